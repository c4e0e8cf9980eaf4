"""Adapters: one module per (port, backend). SDKs are imported only inside these modules."""
