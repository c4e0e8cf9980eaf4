"""Resilience: circuit breakers, the one retry policy, the audit trail (see docs/operations.md).

Adapters use :class:`common.resilience.guard.Guard` (``Runtime.guard``) around every external
call; nothing here imports an SDK.
"""
