"""Postings in French, German and Spanish read like their English twin: the same required
skills (alternatives grouped), nice-to-haves and years. Words in any alphabet are words."""

from __future__ import annotations

from common.analysis.lexical import tokens
from common.analysis.posting import _pieces, skills_in


def test_accented_words_are_whole_words() -> None:
    assert tokens("Réaliser des analyses, Übersicht, año") == [
        "Réaliser", "des", "analyses", "Übersicht", "año",
    ]  # fmt: skip
    assert tokens("snake_case and __init__") == ["snake", "case", "and", "init"]
    assert "r" not in skills_in("Réaliser des analyses de risque. Rôle clé.")
    assert "r" in skills_in("Statistik mit R und Python")
    # an underscore parts words without ending a sentence (no space is made of it)
    assert _pieces("fin._suite") == ["fin", "suite"]
    assert _pieces("fin. suite") == ["fin", "", "suite"]
