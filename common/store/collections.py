"""Collection names, in one place (Terraform's TTL policies refer to these too)."""

JOBS = "jobs"
ANALYSES = "analyses"
APPLICATIONS = "applications"
CLAIMS = "claims"
RUNS = "runs"
OUTBOX = "outbox"  # one delivery record per application (the exactly-once state machine)
LEDGER = "outreach_ledger"  # sending policy: rolling window, cooldowns, dedup keys, Gmail state
