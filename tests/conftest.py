"""Shared fixtures: stores for the contract suite, the fake clock, emulator access."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.clock import FakeClock
from tests.helpers.emulators import SESSION_PROJECT, require, reset_firestore

LIVE = Path(__file__).resolve().parent / "live"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--live",
        action="store_true",
        help="collect tests/live: the real services, with credentials from the environment "
        "(make test-live); without it the live tier is not even collected",
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The live tier exists only for ``--live`` (never in ``make test`` or CI)."""
    if config.getoption("--live"):
        return None
    return True if collection_path == LIVE or LIVE in collection_path.parents else None


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def sqlite_store(tmp_path: Path):
    from common.adapters.store_sqlite import SqliteStore

    store = SqliteStore(tmp_path / "state.sqlite3")
    yield store
    store.close()


@pytest.fixture
def firestore_store(monkeypatch: pytest.MonkeyPatch):
    host = require("FIRESTORE_EMULATOR_HOST", "Firestore")
    from common.adapters.store_firestore import FirestoreStore

    reset_firestore(host, SESSION_PROJECT)
    yield FirestoreStore(SESSION_PROJECT)
    reset_firestore(host, SESSION_PROJECT)


@pytest.fixture(params=["sqlite", "firestore"])
def store(request: pytest.FixtureRequest) -> Iterator[object]:
    """Every document store backend: the contract suite runs once per backend."""
    yield request.getfixturevalue(f"{request.param}_store")


_contract: Counter[tuple[str, str]] = Counter()


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "test_store_contract" not in report.nodeid or "[" not in report.nodeid:
        return
    backend = report.nodeid.rsplit("[", 1)[1].rstrip("]").split("-")[0]
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        _contract[(backend, report.outcome)] += 1


def pytest_terminal_summary(terminalreporter) -> None:  # type: ignore[no-untyped-def]
    if not _contract:
        return
    terminalreporter.section("store contract suite per backend")
    for backend in sorted({b for b, _ in _contract}):
        counts = ", ".join(f"{n} {o}" for (b, o), n in sorted(_contract.items()) if b == backend)
        terminalreporter.write_line(f"{backend}: {counts}")


@pytest.fixture(scope="session")
def gcs_emulator() -> Iterator[str]:
    """A Cloud Storage emulator for the session; sets STORAGE_EMULATOR_HOST."""
    from tests.helpers.gcs_emulator import running_gcs_emulator

    with running_gcs_emulator() as url:
        old = os.environ.get("STORAGE_EMULATOR_HOST")
        os.environ["STORAGE_EMULATOR_HOST"] = url
        try:
            yield url
        finally:
            if old is None:
                os.environ.pop("STORAGE_EMULATOR_HOST", None)
            else:
                os.environ["STORAGE_EMULATOR_HOST"] = old
