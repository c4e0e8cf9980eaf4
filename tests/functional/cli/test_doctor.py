"""``autoapply doctor`` against the fake Gemini, Gmail and Apify servers, one misconfiguration
at a time: each fails its own line with the fix, the others stay ok, and nothing is written or
spent (no generation, no draft, no run, no store created)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from common.cli.main import main
from tests.functional.cli.conftest import ACTOR, DEMO, MODEL


def doctor(capsys, *extra: str) -> tuple[int, dict[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    code = main(["--config", "autoapply.yaml", "doctor", "--json", *extra])
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is (code == 0)
    return code, {c["check"]: c for c in out["checks"]}


def only_failure(checks: dict[str, dict[str, str]]) -> dict[str, str]:
    failed = [c for c in checks.values() if c["status"] == "fail"]
    assert len(failed) == 1, failed
    return failed[0]


def test_everything_configured_and_healthy(folder: Path, fakes, capsys) -> None:  # type: ignore[no-untyped-def]
    before = sorted(p.name for p in folder.iterdir())
    code, checks = doctor(capsys)
    assert code == 0, checks
    statuses = {name: c["status"] for name, c in checks.items()}
    assert statuses == {
        "settings": "ok",
        "profile": "ok",
        "store": "ok",
        "gemini": "ok",
        "gmail": "ok",
        "apify": "ok",
        "webhook secret": "ok",
        "terraform": "skip",
    }
    assert MODEL in checks["gemini"]["message"]
    assert "compose" in checks["gmail"]["message"] and "readonly" in checks["gmail"]["message"]
    # read-only: nothing created here, no generation, no draft, no run started
    assert sorted(p.name for p in folder.iterdir()) == before
    assert fakes["gemini"].calls == 0 and fakes["gemini"].lookups == [MODEL]
    assert not fakes["gmail"].messages and fakes["gmail"].calls["users.getProfile"] == 1
    assert fakes["apify"].started == []


def test_expired_gmail_token(folder: Path, fakes, capsys) -> None:  # type: ignore[no-untyped-def]
    fakes["gmail"].revoke("refresh-1")
    code, checks = doctor(capsys)
    failed = only_failure(checks)
    assert code == 1 and failed["check"] == "gmail"
    assert "invalid_grant" in failed["message"] and "autoapply auth gmail" in failed["message"]


def test_gmail_token_missing_a_scope(folder: Path, fakes, capsys) -> None:  # type: ignore[no-untyped-def]
    fakes["gmail"].grant("refresh-1", ["gmail.send"])
    code, checks = doctor(capsys)
    failed = only_failure(checks)
    assert code == 1 and failed["check"] == "gmail"
    assert "lacks scope" in failed["message"] and "gmail.compose" in failed["message"]
    assert "autoapply auth gmail" in failed["message"]


def test_unknown_or_retired_model(folder: Path, fakes, capsys) -> None:  # type: ignore[no-untyped-def]
    fakes["gemini"].models.pop(MODEL)
    code, checks = doctor(capsys)
    failed = only_failure(checks)
    assert code == 1 and failed["check"] == "gemini"
    assert "404" in failed["message"] and "set gemini.model" in failed["message"]


def test_invalid_gemini_key(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GEMINI_API_KEY", "not-the-key")
    code, checks = doctor(capsys)
    failed = only_failure(checks)
    assert code == 1 and failed["check"] == "gemini" and "invalid key" in failed["message"]
    assert "not-the-key" not in json.dumps(checks)  # never a secret's value


def test_bad_apify_token(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("APIFY_TOKEN", "apify_api_wrong")
    code, checks = doctor(capsys)
    failed = only_failure(checks)
    assert code == 1 and failed["check"] == "apify"
    assert "refused" in failed["message"] and "APIFY_TOKEN" in failed["message"]
    assert "apify_api_wrong" not in json.dumps(checks)


def test_search_actor_unknown_to_apify(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    settings = yaml.safe_load((folder / "autoapply.yaml").read_text())
    settings["searches"].append({"name": "gone", "actor": "someone/deleted-actor", "input": {}})
    (folder / "autoapply.yaml").write_text(yaml.safe_dump(settings))
    code, checks = doctor(capsys)
    failed = only_failure(checks)
    assert code == 1 and failed["check"] == "apify" and "someone/deleted-actor" in failed["message"]
    assert ACTOR not in failed["message"]


def test_untouched_profile_template(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    shutil.copy(DEMO / "init" / "profile.yaml", folder / "profile.yaml")
    settings = yaml.safe_load((folder / "autoapply.yaml").read_text())
    (folder / "autoapply.yaml").write_text(yaml.safe_dump({**settings, "profile": "profile.yaml"}))
    code, checks = doctor(capsys)
    failed = only_failure(checks)
    assert code == 1 and failed["check"] == "profile" and "untouched" in failed["message"]

    text = (folder / "profile.yaml").read_text().replace("Your Name", "Jana Novak")
    (folder / "profile.yaml").write_text(text)
    _, checks = doctor(capsys)
    assert "basics.email" in checks["profile"]["message"]  # half-filled: names what is left
    assert "basics.name" not in checks["profile"]["message"]


def test_webhook_secret_missing(folder: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("APIFY_WEBHOOK_SECRET")
    code, checks = doctor(capsys)
    failed = only_failure(checks)
    assert code == 1 and failed["check"] == "webhook secret"
    assert "apify-webhook-secret" in failed["message"]


def test_terraform_outputs_compared_with_the_settings(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    settings = yaml.safe_load((folder / "autoapply.yaml").read_text())
    settings["gcp"] = {"bucket": "my-docs"}
    (folder / "autoapply.yaml").write_text(yaml.safe_dump(settings))
    outputs = {
        "documents_bucket": {"sensitive": False, "type": "string", "value": "autoapply-docs-1"},
        "secrets": {"sensitive": False, "type": ["list", "string"], "value": ["apify-token"]},
    }
    (folder / "outputs.json").write_text(json.dumps(outputs))
    code, checks = doctor(capsys, "--terraform-outputs", "outputs.json")
    failed = only_failure(checks)
    assert failed["check"] == "terraform"
    assert "'my-docs'" in failed["message"] and "'autoapply-docs-1'" in failed["message"]
    assert "gemini-api-key" in failed["message"]  # needed, no container

    outputs["documents_bucket"]["value"] = "my-docs"
    outputs["secrets"]["value"] = [
        "apify-token",
        "apify-webhook-secret",
        "gemini-api-key",
        "gmail-client-id",
        "gmail-client-secret",
        "gmail-refresh-token",
    ]
    (folder / "outputs.json").write_text(json.dumps(outputs))
    code, checks = doctor(capsys, "--terraform-outputs", "outputs.json")
    assert code == 0 and checks["terraform"]["status"] == "ok"


def test_invalid_settings_fail_first_and_the_rest_wait(folder: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    (folder / "autoapply.yaml").write_text("backends: {mailer: pigeon}\n")
    code, checks = doctor(capsys)
    assert code == 1 and checks["settings"]["status"] == "fail"
    assert "backends.mailer" in checks["settings"]["message"]
    assert {c["status"] for n, c in checks.items() if n != "settings"} == {"skip"}


def test_text_output_is_one_line_per_check(folder: Path, fakes, capsys) -> None:  # type: ignore[no-untyped-def]
    fakes["gemini"].models.pop(MODEL)
    code = main(["--config", "autoapply.yaml", "doctor"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1 and len(lines) == 8
    assert [line.split()[0] for line in lines].count("FAIL") == 1
    assert any(line.startswith("FAIL") and "gemini" in line for line in lines)
