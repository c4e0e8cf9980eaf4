"""Outreach internals: composing the email, the sending policy and the outbox state machine."""
