"""Hostile bodies and items on the scrape function's routes: deep nesting, poison characters
and arbitrary JSON answer 2xx/4xx (never 500), and one bad item never stops a run."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.safetext import is_clean
from common.store.collections import JOBS, RUNS
from tests.functional import test_scrape_function as scrape_tests
from tests.functional.test_scrape_function import ACTOR, SECRET, items, post, webhook
from tests.helpers.fake_apify import FakeApify
from tests.helpers.hostile import POISON, nested_json

#: the scrape function's fixtures: the fake Apify API, the runtime, the test client
fake, rt, client = scrape_tests.fake, scrape_tests.rt, scrape_tests.client

DEEP = [
    nested_json(1000),
    nested_json(1000, '{"a":', "}"),
    '{"eventType": ' + nested_json(900) + "}",
]


@pytest.mark.parametrize("body", DEEP, ids=["arrays", "objects", "inside"])
def test_deep_webhook_body_is_a_clear_400(rt, client, fake: FakeApify, body: str) -> None:  # type: ignore[no-untyped-def]
    assert len(body) < 10_000
    response = post(client, body)
    assert response.status_code == 400, response.get_data(as_text=True)
    error = response.get_json()
    assert error["field"] == "body" and "nested deeper than 64 levels" in error["message"]
    assert fake.requests == [] and rt.store.query(RUNS) == []


@pytest.mark.parametrize("body", DEEP, ids=["arrays", "objects", "inside"])
def test_deep_continuation_body_is_dropped_not_a_500(
    rt, client, fake: FakeApify, body: str
) -> None:  # type: ignore[no-untyped-def]
    """A Pub/Sub push that can never succeed is acknowledged (200 "dropped"), as any other
    permanent failure on that route: a 4xx would only make Pub/Sub redeliver it for days."""
    outer = post(client, body, SECRET, "/tasks/ingest-continue")
    data = base64.b64encode(body.encode()).decode()
    inner = post(
        client, {"message": {"data": data, "messageId": "m1"}}, SECRET, "/tasks/ingest-continue"
    )
    for response, field in ((outer, "body"), (inner, "message.data")):
        assert response.status_code == 200, response.get_data(as_text=True)
        answer = response.get_json()
        assert answer["status"] == "dropped" and answer["field"] == field
        assert "nested deeper" in answer["message"]
    assert fake.requests == [] and not rt.bus.queue


def test_poison_items_are_cleaned_and_the_run_is_ingested(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    """A lone surrogate once aborted the whole run (500, twice, never ingested)."""
    batch = items(len(POISON) + 2)
    for item, poison in zip(batch, POISON, strict=False):
        item["title"] = f"Data {poison}Engineer"
        item["companyName"] = f"Nord{poison}licht {item['companyName']}"
    fake.add_run("run-1", ACTOR, batch)
    response = post(client, webhook("run-1"))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["received"], body["inserted"]) == (len(batch), len(batch))
    stored = [doc for _, doc in rt.store.query(JOBS)]
    assert len(stored) == len(batch)
    for doc in stored:
        assert is_clean(doc["title"]) and is_clean(doc["company"]) and "\n" not in doc["title"]
    assert rt.store.get(RUNS, "run-1")["ingest"] == "done"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters(codec=None, exclude_categories=()), max_size=20)
    | st.sampled_from(["ACTOR.RUN.SUCCEEDED", "TEST", "run-1", "ACTOR.RUN.FAILED"]),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["eventType", "eventData", "actorRunId", "resource", "x"]) | st.text(),
            inner,
            max_size=4,
        )
    ),
    max_leaves=20,
)
bodies = (
    json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=200)
    | st.integers(min_value=65, max_value=3000).map(lambda d: nested_json(d).encode())
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=bodies, path=st.sampled_from(["/webhooks/apify", "/tasks/ingest-continue"]))
def test_any_body_gets_an_answer_never_a_500(rt, client, body: bytes, path: str) -> None:  # type: ignore[no-untyped-def]
    response = post(client, body, SECRET, path)
    assert response.status_code in (200, 400, 404, 409, 503), (
        response.status_code,
        response.get_data(as_text=True),
    )
    assert response.is_json
