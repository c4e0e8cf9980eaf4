"""Collection names, in one place (Terraform's TTL policies refer to these too)."""

JOBS = "jobs"
ANALYSES = "analyses"
APPLICATIONS = "applications"
CLAIMS = "claims"
RUNS = "runs"
#: dedup index collections: key hash -> {"job_id": the job that claimed the key first}
JOB_URLS = "job_urls"
JOB_KEYS = "job_keys"
JOB_FINGERPRINTS = "job_fingerprints"
