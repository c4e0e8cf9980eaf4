"""Logging: JSON lines with severity in functions, readable lines in a terminal."""

from __future__ import annotations

import json
import logging

import pytest

from common.logging import ConsoleFormatter, JsonFormatter, bound, configure, get_logger


def _record(message: str, level: int = logging.INFO) -> logging.LogRecord:
    return logging.LogRecord("autoapply.test", level, __file__, 1, message, (), None)


def test_json_line_has_severity_function_and_context() -> None:
    with bound(event_id="e-1", job_id="j-9", empty=None):
        line = JsonFormatter("analyze").format(_record("scored 80", logging.WARNING))
    entry = json.loads(line)
    assert entry["severity"] == "WARNING"
    assert entry["message"] == "scored 80"
    assert entry["function"] == "analyze"
    assert entry["event_id"] == "e-1" and entry["job_id"] == "j-9"
    assert "empty" not in entry


def test_context_is_unbound_after_the_block() -> None:
    with bound(event_id="e-1"):
        pass
    assert "event_id" not in json.loads(JsonFormatter().format(_record("x")))


def test_console_line_is_readable() -> None:
    with bound(job_id="j-1"):
        line = ConsoleFormatter().format(_record("hello"))
    assert "INFO" in line and "hello" in line and "job_id=j-1" in line


def test_running_as_function_logs_json(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("K_SERVICE", "analyze")
    monkeypatch.delenv("AUTOAPPLY_LOG_FORMAT", raising=False)
    configure("analyze")
    get_logger("t").info("started")
    entry = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert entry["severity"] == "INFO" and entry["function"] == "analyze"


def test_the_command_line_logs_to_stderr_even_as_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AUTOAPPLY_LOG_FORMAT", "json")
    configure(level="INFO", to_stderr=True)
    get_logger("t").warning("a guard event")
    captured = capsys.readouterr()
    assert captured.out == ""  # `autoapply ... --json` prints one JSON document on stdout
    assert json.loads(captured.err.strip().splitlines()[-1])["message"] == "a guard event"
