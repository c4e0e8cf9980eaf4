"""Runtimes for tests: embedded adapters over a given store and a fake clock."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from common.adapters.bus_local import LocalBus
from common.adapters.objects_local import LocalObjectStore
from common.adapters.secrets_env import EnvSecrets
from common.resilience.guard import Guard
from common.runtime import Runtime
from common.settings import Settings
from tests.helpers.clock import FakeClock


def make_runtime(
    store: Any, clock: FakeClock, tmp_path: Path, settings: Settings | None = None
) -> Runtime:
    """A runtime whose guard sleeps on the fake clock (a retry wait advances it)."""
    settings = settings or Settings()
    rt = Runtime(
        settings=settings,
        store=store,
        objects=LocalObjectStore(tmp_path / "objects"),
        bus=LocalBus(),
        secrets=EnvSecrets(env={}, dotenv=None),
        clock=clock,
    )
    rt._guard = Guard(
        store, clock, settings.resilience, sleep=lambda seconds: clock.advance(seconds=seconds)
    )
    return rt


def reset_shared_runtime() -> None:
    """Forget the process-wide runtime, so the next entry point call builds it again."""
    from common.runtime import set_shared_runtime

    set_shared_runtime(None)
