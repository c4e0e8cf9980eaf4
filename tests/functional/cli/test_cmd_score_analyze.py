"""``autoapply score`` (stateless, any export) and ``autoapply analyze`` (pending jobs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.cli.main import main
from tests.helpers.fake_gemini import FakeGemini
from tests.helpers.postings import EVAL_PROFILE

EXPORT = Path(__file__).resolve().parents[3] / "eval" / "data" / "postings.jsonl"
FIELDS = {
    "source_id",
    "title",
    "company",
    "score",
    "decision",
    "reasons",
    "filtered_by",
    "llm_used",
}


@pytest.fixture
def empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for var in ("GEMINI_API_KEY", "AUTOAPPLY_CONFIG", "GOOGLE_GEMINI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def export(tmp: Path, n: int = 12) -> Path:
    lines = EXPORT.read_text(encoding="utf-8").splitlines()[:n]
    items = [json.loads(x) for x in lines] + [{"unexpected": "shape"}]
    path = tmp / "dataset.json"
    path.write_text(json.dumps(items), encoding="utf-8")  # a JSON array export
    return path


def test_score_in_an_empty_folder_is_stateless(empty_dir: Path, capsys) -> None:
    jobs = export(empty_dir)
    assert main(["score", "--profile", str(EVAL_PROFILE), "--jobs", str(jobs)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 13
    for row in rows:
        assert set(row) >= FIELDS
        assert 0 <= row["score"] <= 100 and row["decision"] in ("apply", "review", "skip")
        assert row["llm_used"] is False
    assert rows[-1]["filtered_by"] == "unsupported_item"
    assert sorted(p.name for p in empty_dir.iterdir()) == ["dataset.json"]  # nothing written


def test_score_jsonl_uses_gemini_above_the_threshold_only(
    empty_dir: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    jobs = export(empty_dir, n=30)
    with FakeGemini() as fake:
        monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake.url)
        monkeypatch.setenv("GEMINI_API_KEY", "k")
        argv = ["score", "--profile", str(EVAL_PROFILE), "--jobs", str(jobs), "--jsonl"]
        assert main(argv) == 0
        rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
        used = sum(r["llm_used"] for r in rows)
        assert 0 < used == fake.calls < len(rows) / 2
        assert main([*argv, "--local-only"]) == 0
        assert fake.calls == used
    assert not any(r["llm_used"] for r in map(json.loads, capsys.readouterr().out.splitlines()))


def test_score_falls_back_to_local_when_gemini_is_down(
    empty_dir: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.helpers.fake_gemini import unavailable

    jobs = export(empty_dir, n=30)
    with FakeGemini(default=unavailable()) as fake:
        monkeypatch.setenv("GOOGLE_GEMINI_BASE_URL", fake.url)
        monkeypatch.setenv("GEMINI_API_KEY", "k")
        argv = ["score", "--profile", str(EVAL_PROFILE), "--jobs", str(jobs), "--jsonl"]
        assert main(argv) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(rows) == 31 and fake.calls > 0
    down = [r for r in rows if any("Gemini not available" in x for x in r["reasons"])]
    # every call that failed, and those the per-minute budget stopped, fell back to local
    assert len(down) >= fake.calls and not any(r["llm_used"] for r in rows)


def test_score_feedback_trains_on_the_judged_and_scores_the_rest(empty_dir: Path, capsys) -> None:
    jobs = export(empty_dir, n=30)
    items = (
        [json.loads(x) for x in jobs.read_text().splitlines()]
        if jobs.suffix == ".jsonl"
        else (json.loads(jobs.read_text()))
    )
    judged = {str(it["id"]): i % 2 == 0 for i, it in enumerate(items[:12])}
    labels = empty_dir / "labels.json"
    labels.write_text(json.dumps(judged))
    argv = ["score", "--profile", str(EVAL_PROFILE), "--jobs", str(jobs), "--local-only"]
    assert main([*argv, "--jsonl", "--feedback", str(labels)]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert {r["source_id"] for r in rows}.isdisjoint(judged)
    assert all({"source_id", "score", "decision"} <= r.keys() for r in rows)
    for bad, why in (({"nope": True}, "'nope' is not a posting"), ({next(iter(judged)): 1}, "1")):
        labels.write_text(json.dumps(bad))
        assert main([*argv, "--feedback", str(labels)]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and why in err


def test_score_bad_profile_is_one_line(empty_dir: Path, capsys) -> None:
    (empty_dir / "p.json").write_text('{"work": []}')
    assert main(["score", "--profile", "p.json", "--jobs", str(export(empty_dir))]) == 2
    assert "basics" in capsys.readouterr().err


def test_analyze_sweeps_pending_jobs(empty_dir: Path, capsys) -> None:
    from common.adapters.bus_local import LocalBus
    from common.adapters.dataset_file import iter_dataset_file
    from common.runtime import build_runtime
    from common.services.ingest import ingest_items
    from common.settings import load_settings

    (empty_dir / "autoapply.yaml").write_text(f"profile: {EVAL_PROFILE}\n")
    rt = build_runtime(load_settings())
    report = ingest_items(
        iter_dataset_file(export(empty_dir, n=6)),
        store=rt.store,
        bus=LocalBus(),
        now=rt.clock.now(),
    )
    assert report.inserted == 6
    assert main(["analyze", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pending"] == 6 and out["waiting"] == ""
    assert "ingested" not in out["status"] and sum(out["status"].values()) == 6
    assert main(["analyze", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["pending"] == 0
