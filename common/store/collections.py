"""Collection names, in one place (Terraform's TTL policies refer to these too)."""

JOBS = "jobs"
ANALYSES = "analyses"
APPLICATIONS = "applications"
CLAIMS = "claims"
RUNS = "runs"
ANALYSIS_CACHE = "analysis_cache"
BUDGETS = "budgets"
