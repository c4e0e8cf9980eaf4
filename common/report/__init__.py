"""The HTML report: one self-contained file with the funnel, scores and every job."""
