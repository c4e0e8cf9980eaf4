"""``autoapply review / approve / reject`` and the Gmail wiring, end to end on the fake."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.cli.main import main
from common.runtime import build_runtime
from common.settings import load_settings
from tests.helpers.fake_gmail import FakeGmail
from tests.helpers.outreach import deliver, seed


@pytest.fixture
def gmail():
    with FakeGmail() as fake:
        yield fake


@pytest.fixture
def config(tmp_path: Path, gmail: FakeGmail, monkeypatch: pytest.MonkeyPatch) -> Path:
    cfg = tmp_path / "autoapply.yaml"
    cfg.write_text(
        "data_dir: data\nbackends:\n  mailer: gmail\n"
        "sending:\n  mode: draft\n  quiet_hours: null\n  daily_cap: 5\n"
    )
    for name, value in gmail.env().items():
        monkeypatch.setenv(name, value)
    return cfg


def _drafts(config: Path, n: int) -> list[str]:
    rt = build_runtime(load_settings(config))
    ids = []
    for i in range(n):
        app_id = seed(rt.store, rt.objects, i, now=rt.clock.now(), score=70 + i)
        deliver(app_id, rt.store, rt.objects, rt.mailer, rt.clock, rt.settings.sending)
        ids.append(app_id)
    return ids


def test_review_approve_reject(config: Path, gmail: FakeGmail, capsys) -> None:
    first, second = _drafts(config, 2)
    assert main(["--config", str(config), "review", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == [second, first]  # best score first
    assert rows[0]["score"] == 71 and rows[0]["reasons"] == ["reason 1"]

    assert main(["--config", str(config), "review"]) == 0
    table = capsys.readouterr().out
    assert "2 waiting for review" in table and "Engineer 1" in table

    for _ in range(2):  # idempotent
        assert main(["--config", str(config), "approve", first]) == 0
        assert capsys.readouterr().out.strip() == f"{first}: sent"
        assert main(["--config", str(config), "reject", second]) == 0
        assert capsys.readouterr().out.strip() == f"{second}: rejected"
    assert sum(gmail.sent_count.values()) == 1 and gmail.drafts == {}
    assert gmail.calls["drafts.send"] == 1 and gmail.calls["drafts.delete"] == 1

    assert main(["--config", str(config), "reject", first]) == 2
    assert "can no longer be rejected" in capsys.readouterr().err
    assert main(["--config", str(config), "review"]) == 0
    assert "nothing waiting for review" in capsys.readouterr().out


def test_missing_gmail_secrets_name_them(config: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("GMAIL_REFRESH_TOKEN")
    assert main(["--config", str(config), "approve", "app-x"]) == 2
    err = capsys.readouterr().err
    assert "gmail-refresh-token" in err and "autoapply auth gmail" in err


def test_approve_unknown_application(config: Path, capsys) -> None:
    assert main(["--config", str(config), "approve", "app-nope"]) == 2
    assert "app-nope is neither a job nor an application" in capsys.readouterr().err
