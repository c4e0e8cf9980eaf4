"""The funnel: found -> filtered -> analyzed -> matched -> documents -> emails."""

from __future__ import annotations

from collections import Counter

from common.services.status import Status


def test_funnel_counts_each_stage_once() -> None:
    status = Status(
        jobs=Counter(
            {
                "filtered": 2,
                "skipped": 3,
                "review": 1,
                "matched": 1,
                "documents_ready": 4,
                "ingested": 5,
            }
        ),
        applications=Counter({"documents": 1, "written": 2, "no_contact": 1, "deferred": 1}),
    )
    assert status.funnel() == [
        ("found", 16),
        ("filtered", 2),
        ("analyzed", 9),
        ("matched", 5),
        ("documents", 4),
        ("emails", 2),
    ]
