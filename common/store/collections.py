"""Collection names, in one place (Terraform's TTL policies refer to these too)."""

JOBS = "jobs"
ANALYSES = "analyses"
APPLICATIONS = "applications"
CLAIMS = "claims"
RUNS = "runs"
BREAKERS = "breakers"
AUDIT = "audit"  # TTL policy on the field ``expires_at``
DEAD_LETTERS = "dead_letters"
ANALYSIS_CACHE = "analysis_cache"
BUDGETS = "budgets"
#: the ranker's state: corpus statistics and the candidate's learned model, per profile
RANKER = "ranker"
#: the candidate's judgements of jobs: job id -> {"good": bool, "source", "at"}
LABELS = "labels"
OUTBOX = "outbox"  # one delivery record per application (the exactly-once state machine)
SWEEPS = "sweeps"  # the sweep's backoff marker per stuck item (TTL on ``expires_at``)
LEDGER = "outreach_ledger"  # sending policy: rolling window, cooldowns, dedup keys, Gmail state
LABELS = "labels"  # the candidate's judgements of jobs (approve / reject), for learning
DIGESTS = "digests"  # one record per daily digest to the candidate (exactly once)
#: dedup index collections: key hash -> {"job_id": the job that claimed the key first}
JOB_URLS = "job_urls"
JOB_KEYS = "job_keys"
JOB_FINGERPRINTS = "job_fingerprints"

#: collections whose records carry ``expires_at`` (Firestore TTL policies delete them)
EXPIRING = (CLAIMS, AUDIT, SWEEPS)
