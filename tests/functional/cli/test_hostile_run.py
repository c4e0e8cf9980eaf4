"""``autoapply run`` over postings carrying poison characters and header injections: the batch
goes through, every application reaches a final state, and no email gains a header or a
recipient. (A lone surrogate in one title used to abort the whole run; NUL, VT, FF or ESC in a
company left its application ``pending``; an encoded CR LF in a company added a ``Bcc``.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from common.cli.main import main
from common.safetext import is_clean
from common.settings import load_settings
from common.store.collections import APPLICATIONS, JOBS
from tests.helpers.hostile import ENCODED_INJECTIONS, POISON, assert_only_built_headers

DEMO = Path(__file__).resolve().parents[3] / "common" / "resources" / "demo"
OPEN_STATES = {"pending", "documents", "sending"}


def _poisoned(items: list[dict]) -> list[dict]:
    out = []
    for n, item in enumerate(items):
        if "title" not in item:
            out.append(item)
            continue
        poison = POISON[n % len(POISON)]
        out.append(
            {**item, "title": f"{item['title']} {poison}", "companyName": item["companyName"]}
        )
        # the same posting again under another id, its company an encoded header injection
        injected = ENCODED_INJECTIONS[n % len(ENCODED_INJECTIONS)]
        out.append(
            {
                **item,
                "id": f"{item['id']}9",
                "jobUrl": item["jobUrl"].replace(item["id"], f"{item['id']}9"),
                "companyName": f"{item['companyName']}{poison} {injected}",
                "description": f"{item.get('description', '')} Ref {n}.",
            }
        )
    return out


def test_a_poisoned_batch_runs_to_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    for name in ("autoapply.yaml", "profile.json"):
        shutil.copy(DEMO / name, tmp_path / name)
    items = json.loads((DEMO / "linkedin-bebity.json").read_text())
    (tmp_path / "hostile.json").write_text(json.dumps(_poisoned(items)))
    monkeypatch.chdir(tmp_path)
    for var in ("AUTOAPPLY_CONFIG", "AUTOAPPLY_DATA_DIR", "AUTOAPPLY_STORE", "GEMINI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    # log lines (the guard's warnings) are JSON here, as a deployed function's: still on stderr
    monkeypatch.setenv("AUTOAPPLY_LOG_FORMAT", "json")

    code = main(["run", "--json", "hostile.json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    summary = json.loads(captured.out)
    assert code == 0 and summary["dead_letters"] == 0, captured.err
    assert summary["ingest"]["inserted"] >= len(items) - 1, summary["ingest"]

    from common.runtime import build_runtime

    rt = build_runtime(load_settings("autoapply.yaml"))
    for _, job in rt.store.query(JOBS):
        assert is_clean(job["title"]) and is_clean(job["company"]) and is_clean(job["description"])
    apps = [doc for _, doc in rt.store.query(APPLICATIONS)]
    assert apps and not [a for a in apps if a["status"] in OPEN_STATES]
    written = [a for a in apps if a["status"] == "written"]
    assert written, [(a["company"], a["status"], a.get("error")) for a in apps]
    for app in written:
        assert_only_built_headers(Path(app["delivery"]).read_bytes(), app["recipient"])
    for app in apps:
        if app["status"] == "failed":  # refused, with the reason: an injection in a header
            assert "not allowed in a header" in app["error"], app
