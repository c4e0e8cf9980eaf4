"""An outage: the service answers 503 for a while; nothing is lost, nothing is done twice."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer

from common.runtime import Runtime
from common.settings import Breaker, Resilience, Retry, Settings
from common.store.collections import AUDIT, CLAIMS
from common.store.lease import run_once
from tests.helpers.clock import FakeClock
from tests.helpers.fake_service import ITEM_PATH, ItemClient, ItemService
from tests.helpers.pubsub_sim import PubSubSim
from tests.helpers.runtimes import make_runtime

ITEMS = [f"item-{n:02d}" for n in range(12)]
SETTINGS = Settings(
    resilience=Resilience(
        breaker=Breaker(window_seconds=60, min_calls=3, failure_rate=0.5, open_seconds=30),
        retry=Retry(max_attempts=3, initial_wait=1, max_wait=4),
    )
)


def test_outage_defers_work_and_every_item_completes_once(
    httpserver: HTTPServer, sqlite_store: Any, clock: FakeClock, tmp_path: Path
) -> None:
    # SQLite only: ~250 deliveries are too slow on the emulator; the breaker's sharing over
    # Firestore is covered by test_guard.py.
    store = sqlite_store
    outage = timedelta(minutes=3)
    service = ItemService(clock, down_until=clock.now() + outage, retry_after=5)
    httpserver.expect_request(ITEM_PATH, method="POST").respond_with_handler(service.handle)
    client = ItemClient(httpserver.url_for("/"), clock)
    rt = make_runtime(store, clock, tmp_path, SETTINGS)

    def handler(message: dict[str, Any], rt: Runtime) -> str:
        item = message["item_id"]

        def work() -> dict[str, Any]:
            return rt.guard.call(
                "items", "process", lambda: client.process(item), ids={"item_id": item}, retry=True
            )

        return run_once(rt.store, f"item:{item}", rt.clock.now(), timedelta(minutes=5), work)

    states: list[str] = []
    sim = PubSubSim(rt, handler)
    for item in ITEMS:
        sim.publish({"item_id": item})
    sim.run(after_each=lambda: states.append(rt.guard.breaker.get("items")["state"]))  # type: ignore[union-attr]

    assert sim.dead == []  # nothing lost
    assert service.done == Counter({item: 1 for item in ITEMS})  # each exactly once
    assert "open" in states and states[-1] == "closed"
    assert sim.failed_pushes > len(ITEMS)  # deliveries were deferred, not failed for good
    # While open, only single trial calls reached the service: 3 failures opened it, then
    # at most one trial per open period (30 s) during the 3-minute outage.
    failures = sum(1 for _, status in service.calls if status == 503)
    assert failures <= 3 + outage.total_seconds() / 30 + 1
    claims = dict(store.query(CLAIMS))
    assert {k: v["state"] for k, v in claims.items()} == {f"item:{i}": "done" for i in ITEMS}
    outcomes = Counter(doc["outcome"] for _, doc in store.query(AUDIT))
    assert outcomes["success"] == len(ITEMS) and outcomes["failure"] == failures
    assert outcomes["circuit_open"] > 0
