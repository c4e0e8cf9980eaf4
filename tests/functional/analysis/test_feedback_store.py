"""The candidate's model lives in the store: trained from labels, rebuilt when corrupt."""

from __future__ import annotations

from pathlib import Path

from common.adapters.store_sqlite import SqliteStore
from common.domain.preferences import Preferences
from common.services.ranking import FEEDBACK_DOC, load_scorer, record_label
from common.store.collections import JOBS, RANKER
from tests.helpers.clock import FakeClock
from tests.helpers.postings import SALES, job, profile


def test_labels_train_a_model_and_a_corrupt_one_is_rebuilt(tmp_path: Path) -> None:
    store, clock, prefs = SqliteStore(tmp_path / "s.sqlite3"), FakeClock(), Preferences()
    for i in range(12):
        good = i % 2 == 0
        made = job(
            id=f"j-{i}",
            title=f"Backend Engineer {i}" if good else f"Sales Lead {i}",
            description=job().description if good else SALES,
        )
        store.put(JOBS, made.id, made.to_doc())
        record_label(store, made.id, good, "label", clock)
    scorer = load_scorer(store, profile(), prefs, clock)
    assert scorer.feedback is not None and scorer.feedback.labels == 12
    stored = store.get(RANKER, FEEDBACK_DOC)
    store.put(RANKER, FEEDBACK_DOC, {**stored, "model": {"version": 1, "features": "x"}})
    rebuilt = load_scorer(store, profile(), prefs, clock)  # never a crash
    assert rebuilt.feedback is not None and rebuilt.feedback.labels == 12
    assert store.get(RANKER, FEEDBACK_DOC)["model"]["features"] != "x"
