"""Reusable test helpers and fakes."""
