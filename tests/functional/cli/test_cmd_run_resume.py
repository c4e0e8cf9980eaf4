"""``autoapply run`` and ``resume``: unfinished work is finished first, a bad file strands
nothing (it is refused before anything changes), and ``resume`` finishes what a lost message
left behind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from common.cli.main import main
from common.store.collections import JOBS

DEMO = Path(__file__).resolve().parents[3] / "common" / "resources" / "demo"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("autoapply.yaml", "profile.json", "linkedin-bebity.json"):
        shutil.copy(DEMO / name, tmp_path / name)
    (tmp_path / "bad.json").write_text('[{"title": "x"}, ')  # cut short
    return tmp_path


def _jobs(folder: Path) -> dict[str, str]:
    from common.adapters.store_sqlite import SqliteStore

    store = SqliteStore(folder / ".autoapply" / "autoapply.sqlite3")
    try:
        return {i: d["status"] for i, d in store.query(JOBS)}
    finally:
        store.close()


def test_a_bad_file_is_refused_in_one_line_before_anything_changes(
    folder: Path, capsys: pytest.CaptureFixture
) -> None:
    """The preflight reads every input first: a file cut short stops the run before any job
    is stored (nothing to strand), in one line naming the file; the good file alone runs
    to the end."""
    assert main(["run", "--json", "linkedin-bebity.json", "bad.json"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("autoapply: ") and "bad.json" in err[0]
    assert not (folder / ".autoapply" / "autoapply.sqlite3").exists()
    assert main(["run", "--json", "linkedin-bebity.json"]) == 0
    out = json.loads(capsys.readouterr().out)
    jobs = _jobs(folder)
    assert len(jobs) == 6 and "ingested" not in jobs.values(), jobs
    assert out["funnel"]["emails"] >= 1


def test_resume_finishes_what_a_lost_message_left_and_then_has_nothing_to_do(
    folder: Path, capsys: pytest.CaptureFixture
) -> None:
    from common.adapters.bus_local import LocalBus
    from common.adapters.dataset_file import iter_dataset_file
    from common.runtime import build_runtime
    from common.services.ingest import ingest_items
    from common.settings import load_settings

    rt = build_runtime(load_settings())
    lost = LocalBus()  # published to, never delivered: the messages are lost
    ingest_items(iter_dataset_file(folder / "linkedin-bebity.json"), store=rt.store, bus=lost,
                 now=rt.clock.now())  # fmt: skip
    assert set(_jobs(folder).values()) == {"ingested"}
    assert main(["resume", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["resumed"]["ingested"]["published"] == 6
    assert "ingested" not in _jobs(folder).values() and out["funnel"]["emails"] >= 1
    assert main(["resume"]) == 0
    assert "nothing to resume" in capsys.readouterr().out
