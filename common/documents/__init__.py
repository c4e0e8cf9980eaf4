"""Application documents: content from the profile, rendered to DOCX (and PDF)."""
