"""Comparing where a run that was killed and recovered ends with where a clean run ends."""

from __future__ import annotations

from typing import Any

#: how far a score may move when a kill changed which postings were counted before it: the
#: lexical features read the corpus statistics of the postings counted when a job is scored,
#: and a recovered job is scored before (or, counted twice, after) the rest of its batch
SCORE_SLACK = 2


def assert_same_end(state: dict[str, Any], clean: dict[str, Any], context: str = "") -> None:
    """``state`` equals ``clean`` except that the scores in ``analyses`` (job id -> (score,
    decision)) may differ by :data:`SCORE_SLACK`; decisions may not."""
    rest = {k: v for k, v in state.items() if k != "analyses"}
    assert rest == {k: v for k, v in clean.items() if k != "analyses"}, context
    got, want = state["analyses"], clean["analyses"]
    assert got.keys() == want.keys(), context
    moved = {
        i: (got[i], want[i])
        for i in want
        if got[i][1] != want[i][1] or abs(got[i][0] - want[i][0]) > SCORE_SLACK
    }
    assert not moved, f"{context}: (score, decision) after recovery vs clean: {moved}"
