"""Normalizers: one per Apify actor schema, chosen by actor id or by the item's keys.

An unknown shape is rejected with a reason, never guessed.
"""

from __future__ import annotations

from common.normalize.registry import Rejection, normalize

__all__ = ["Rejection", "normalize"]
