"""Fit analysis: hard filters, the local scorer, and the Gemini analyzer."""
