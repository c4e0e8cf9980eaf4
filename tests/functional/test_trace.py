"""One trace per job: a scheduled run's trace follows its postings through the five functions.

On the cloud adapters (Firestore, Pub/Sub and Cloud Storage emulators; fake Apify and Gmail):
Cloud Scheduler's ``POST /runs`` starts the search (the trace is born), Apify calls the webhook
back with the headers the run asked for (the trace comes back), the messages carry it through
Pub/Sub attributes to analyze, generate_docs and send_email, and a message that cannot be
delivered reaches the health function's dead-letter sink with it. Every JSON log line written
on the way names that one trace; a local run does the same with the in-process bus.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from common.events import APPLICATIONS_READY, DEAD_LETTERS
from common.log_fields import EVENT, EVENTS, SPAN, TRACE
from common.logging import ConsoleFormatter, JsonFormatter
from common.store.collections import APPLICATIONS
from common.store.collections import DEAD_LETTERS as DEAD_LETTER_DOCS
from common.tracing import TRACE_ATTRIBUTE, TRACE_HEADER
from tests.functional.test_cloud_chain import ACTOR, DEMO, PUSH, SECRET, cloud  # noqa: F401
from tests.helpers.cloudevents import function_client, pubsub_request
from tests.helpers.fake_gmail import Fault
from tests.helpers.logs import captured
from tests.helpers.pubsub_push import PUSH_HEADERS, push_body

SPAN_ID = re.compile(r"[0-9a-f]{16}")


@pytest.fixture
def lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """The JSON lines the autoapply loggers write meanwhile, parsed (the production format)."""
    with captured(JsonFormatter()) as read:
        yield lambda: [json.loads(line) for line in read()]


def _deliver(chain: dict[str, Any], dead_sub: str, project: str, prefix: str) -> dict[str, int]:
    """Pull every subscription and push each message to its function, as a push subscription
    with ``max_delivery_attempts = 1`` would: a failed delivery goes to the dead-letter topic
    (attributes kept, as Pub/Sub does) and from there to the health function."""
    from google.cloud import pubsub_v1

    clients = {t: function_client(fn, target, "cloudevent") for t, (fn, target) in PUSH.items()}
    health = function_client("health", "health_check", "http")
    publisher = pubsub_v1.PublisherClient()
    pushed = {**dict.fromkeys(PUSH, 0), DEAD_LETTERS: 0, "failed": 0}
    quiet = 0
    while quiet < 2:
        got = False
        for topic, sub in [*chain["subs"].items(), (DEAD_LETTERS, dead_sub)]:
            response = chain["subscriber"].pull(subscription=sub, max_messages=20, timeout=1)
            for received in response.received_messages:
                got = True
                attributes = dict(received.message.attributes)
                message = json.loads(received.message.data)
                if topic == DEAD_LETTERS:
                    body = push_body(message, received.message.message_id, attributes=attributes)
                    answer = health.post("/pubsub/dead-letters", headers=PUSH_HEADERS, data=body)
                    assert answer.status_code == 200, answer.get_data(as_text=True)
                else:
                    headers, body = pubsub_request(
                        message,
                        topic=topic,
                        message_id=received.message.message_id,
                        attributes=attributes,
                    )
                    answer = clients[topic].post("/", headers=headers, data=body)
                    if answer.status_code != 200:
                        pushed["failed"] += 1
                        publisher.publish(
                            f"projects/{project}/topics/{prefix}{DEAD_LETTERS}",
                            received.message.data,
                            **attributes,
                            CloudPubSubDeadLetterSourceDeliveryCount="1",
                        ).result(timeout=30)
                chain["subscriber"].acknowledge(subscription=sub, ack_ids=[received.ack_id])
                pushed[topic] += 1
        quiet = 0 if got else quiet + 1
    return pushed


@pytest.mark.pubsub
def test_one_trace_from_scheduled_run_to_email(cloud, lines) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    read_lines = lines
    import os

    from common.runtime import shared_runtime

    project = os.environ["GOOGLE_CLOUD_PROJECT"]
    prefix = os.environ["AUTOAPPLY_TOPIC_PREFIX"]
    dead_sub = f"projects/{project}/subscriptions/{prefix}{DEAD_LETTERS}-push"
    cloud["subscriber"].create_subscription(
        name=dead_sub, topic=f"projects/{project}/topics/{prefix}{DEAD_LETTERS}"
    )
    apify, gmail = cloud["apify"], cloud["gmail"]
    apify.add_actor(ACTOR)
    scrape = function_client("scrape", "scrape_http", "http")

    # Cloud Scheduler: the trace is born here
    tick = scrape.post(
        "/runs",
        headers={
            "X-Autoapply-Webhook-Secret": SECRET,
            "X-CloudScheduler-JobName": "autoapply-daily",
            "X-CloudScheduler-ScheduleTime": "2026-11-26T07:00:00Z",
        },
    )
    assert tick.status_code == 200, tick.get_data(as_text=True)
    trace = tick.headers[TRACE_HEADER]
    assert re.fullmatch(r"[0-9a-f]{32}", trace)

    # Apify runs the actor, then calls the webhook with the headers the run asked for
    (started,) = apify.started
    hook_headers = json.loads(started["webhooks"][0]["headersTemplate"])
    assert hook_headers[TRACE_HEADER] == trace
    run = apify.runs[started["run_id"]]
    items = json.loads((DEMO / "linkedin-bebity.json").read_text())
    apify.datasets[run["defaultDatasetId"]] = items
    run.update(status="SUCCEEDED", finishedAt="2026-11-26T09:30:00.000Z")
    webhook = {"eventType": "ACTOR.RUN.SUCCEEDED", "eventData": {"actorRunId": run["id"]}}
    answer = scrape.post("/webhooks/apify", json=webhook, headers=hook_headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.headers[TRACE_HEADER] == trace and answer.get_json()["inserted"] == 6

    # the first draft fails (429): with one delivery attempt it becomes a dead letter
    gmail.inject("drafts.create", Fault("before", 429, "rateLimitExceeded"))
    pushed = _deliver(cloud, dead_sub, project, prefix)
    assert pushed["failed"] == 1 and pushed[DEAD_LETTERS] == 1
    lines = read_lines()

    # every line of the journey names the one trace, each invocation its own span
    assert len(lines) > 30
    wanted = f"projects/{project}/traces/{trace}"
    strays = [x for x in lines if x.get(TRACE) != wanted]
    assert not strays, strays[:3]
    assert all(SPAN_ID.fullmatch(x[SPAN]) for x in lines)
    functions = {x.get("function") for x in lines}
    assert functions == {"scrape", "analyze", "generate_docs", "send_email", "health"}
    invocations = [x for x in lines if x.get(EVENT) == "invocation"]
    deliveries = sum(n for key, n in pushed.items() if key != "failed")
    assert len({x[SPAN] for x in invocations}) == len(invocations) == 2 + deliveries

    # one posting, followed from webhook to email by its ids, under the same trace
    rt = shared_runtime()
    apps = dict(rt.store.query(APPLICATIONS))
    drafted = next(a for a in apps.values() if a["status"] == "drafted")
    job_id, app_id = drafted["job_id"], f"app-{drafted['job_id']}"
    journey = {
        x["function"]
        for x in lines
        if x.get("job_id") == job_id or x.get("application_id") == app_id
    }
    assert journey >= {"analyze", "generate_docs", "send_email"}
    dead = [doc for _, doc in rt.store.query(DEAD_LETTER_DOCS)]
    assert len(dead) == 1 and dead[0]["topic"] == APPLICATIONS_READY
    assert dead[0]["attributes"][TRACE_ATTRIBUTE] == trace  # a replay continues the trace

    # the metric events were written with their fields, as the log-based metrics read them
    seen = {x[EVENT]: x for x in lines if EVENT in x}
    journey_events = {"invocation", "external_call", "ingest", "job_analyzed"}
    journey_events |= {"documents_written", "application", "dead_letter", "integration_health"}
    assert journey_events - {"integration_health"} <= set(seen), set(seen)
    for event, line in seen.items():
        assert EVENTS[event].required <= line.keys(), (event, line)


def test_a_local_run_writes_one_trace_on_every_line(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """``autoapply run`` on the in-process bus: the same id on every terminal line."""
    from common.runtime import build_runtime
    from common.services.pipeline import run_files
    from common.settings import load_settings

    monkeypatch.chdir(tmp_path)
    (tmp_path / "autoapply.yaml").write_text(f"profile: {DEMO / 'profile.json'}\n")
    with captured(ConsoleFormatter()) as read:
        rt = build_runtime(load_settings("autoapply.yaml"))
        run_files(rt, [DEMO / "linkedin-bebity.json"])
        text = read()
    assert len(text) > 10
    traces = {m for line in text for m in re.findall(r"\btrace=([0-9a-f]{32})\b", line)}
    assert len(traces) == 1, traces
    assert all("trace=" in line for line in text), [x for x in text if "trace=" not in x][:3]
