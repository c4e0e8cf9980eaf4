"""Logic shared by every document store: leases and idempotency on top of ``transact``."""
