"""The scrape function through functions-framework's test client, against the fake Apify API:
webhooks, dataset continuation and scheduled runs."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml

from common.events import INGEST_CONTINUE, JOBS_INGESTED
from common.http_routes import _apify
from common.runtime import shared_runtime
from common.store.collections import JOBS, RUNS
from tests.helpers import pubsub_push
from tests.helpers.cloudevents import function_client
from tests.helpers.fake_apify import FakeApify
from tests.helpers.runtimes import reset_shared_runtime

ACTOR = "bebity/linkedin-jobs-scraper"
SECRET, PREVIOUS = "current-secret-value", "previous-secret-value"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "apify"


def items(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "id": str(5000 + n),
            "jobUrl": f"https://de.linkedin.com/jobs/view/job-{n}?trk=x",
            "companyName": f"Company {n}",
            "title": f"Engineer {n}",
            "location": "Berlin, Germany",
            "postedTime": "13 hours ago",
            "descriptionHtml": f"<p>Job {n}</p>",
        }
        for n in range(start, start + count)
    ]


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    server = FakeApify().start()
    yield server
    server.stop()


def configure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeApify, **apify: Any):  # type: ignore[no-untyped-def]
    settings = {
        "data_dir": str(tmp_path / "data"),
        "searches": [
            {"name": "berlin", "actor": ACTOR, "input": {"keywords": "python"}},
            {"name": "remote", "actor": "curious_coder/linkedin-jobs-scraper", "input": {}},
        ],
        "apify": {
            "api_url": fake.url,
            "webhook_url": "https://fn.example/webhooks/apify",
            **apify,
        },
    }
    (tmp_path / "autoapply.yaml").write_text(yaml.safe_dump(settings))
    for var in ("AUTOAPPLY_STORE", "AUTOAPPLY_BUS", "AUTOAPPLY_SECRETS", "AUTOAPPLY_DATA_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AUTOAPPLY_CONFIG", str(tmp_path / "autoapply.yaml"))
    monkeypatch.setenv("APIFY_TOKEN", fake.token)
    monkeypatch.setenv("APIFY_WEBHOOK_SECRET", SECRET)
    monkeypatch.setenv("APIFY_WEBHOOK_SECRET_PREVIOUS", PREVIOUS)
    reset_shared_runtime()
    _apify.cache_clear()
    return shared_runtime()


@pytest.fixture
def rt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake: FakeApify):  # type: ignore[no-untyped-def]
    runtime = configure(tmp_path, monkeypatch, fake)
    yield runtime
    reset_shared_runtime()
    _apify.cache_clear()


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    return function_client("scrape", "scrape_http", "http")


def webhook(run_id: str, event: str = "ACTOR.RUN.SUCCEEDED") -> dict[str, Any]:
    return {
        "userId": "u1",
        "createdAt": "2026-11-26T09:30:01.000Z",
        "eventType": event,
        "eventData": {"actorId": "anything", "actorRunId": run_id},
        "resource": {"id": run_id, "status": "SUCCEEDED", "defaultDatasetId": "forged"},
    }


def post(client, body: Any, secret: str | None = SECRET, path: str = "/webhooks/apify", **kw):  # type: ignore[no-untyped-def]
    headers = {"Content-Type": "application/json", **kw.pop("headers", {})}
    if secret is not None:
        headers["X-Autoapply-Webhook-Secret"] = secret
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(path, data=data, headers=headers)


def published_ids(rt) -> list[str]:  # type: ignore[no-untyped-def]
    return [i for e in rt.bus.queue if e.topic == JOBS_INGESTED for i in e.message["job_ids"]]


def push_body(message: dict[str, Any], message_id: str = "m1") -> str:
    """A raw Pub/Sub push body of the ``ingest-continue`` subscription."""
    return pubsub_push.push_body(
        message, message_id, subscription="projects/p/subscriptions/ingest-continue-push"
    )


def test_good_delivery_ingests_once(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    fake.add_run("run-1", ACTOR, items(7))
    response = post(client, webhook("run-1"))
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["status"], body["inserted"], body["received"]) == ("ingested", 7, 7)
    assert len(rt.store.query(JOBS)) == 7
    assert sorted(published_ids(rt)) == sorted(i for i, _ in rt.store.query(JOBS))
    run = rt.store.get(RUNS, "run-1")
    assert run["status"] == "SUCCEEDED" and run["counts"]["inserted"] == 7
    assert run["ingest"] == "done"
    job = rt.store.query(JOBS)[0][1]
    assert job["run_id"] == "run-1" and job["date_posted"] == "2026-11-25"  # run finished 09:30

    again = post(client, webhook("run-1"))
    assert again.status_code == 200 and again.get_json()["status"] == "duplicate"
    assert len(published_ids(rt)) == 7


def test_the_runs_actor_settles_a_thin_item_shape(
    tmp_path, monkeypatch, fake: FakeApify, client
) -> None:  # type: ignore[no-untyped-def]
    """Items with too few of their actor's fields to be recognized alone (a trimmed dataset
    view) are read as the actor of the run's search, on continuation pages too."""
    rt = configure(tmp_path, monkeypatch, fake, page_size=2, time_budget_seconds=0)
    thin = [
        {"id": str(7000 + n), "title": f"Analyst {n}", "companyName": "Ledgerline"}
        | {"location": "Austin, TX"}
        for n in range(3)
    ]
    fake.add_run("run-thin", ACTOR, thin)
    first = post(client, webhook("run-thin")).get_json()
    assert (first["status"], first["inserted"], first["rejected"]) == ("continuing", 2, {})
    assert rt.store.get(RUNS, "run-thin")["actor"] == ACTOR
    (env,) = [e for e in rt.bus.queue if e.topic == INGEST_CONTINUE]
    rest = post(client, push_body(env.message), path="/tasks/ingest-continue").get_json()
    assert (rest["inserted"], rest["rejected"]) == (1, {})
    jobs = [doc for _, doc in rt.store.query(JOBS)]
    assert all(d["job_url"].startswith("https://www.linkedin.com/jobs/view/700") for d in jobs)
    assert jobs[0]["location"] == {"city": "Austin", "state": "TX", "country": "US"}
    # the same items from an actor no search names are not guessed
    from common.services.ingest import ingest_items

    alone = ingest_items(thin, store=rt.store, bus=rt.bus, now=rt.clock.now())
    assert list(alone.rejected) == [
        "unknown item shape (closest: linkedin-bebity; if it is one, use --source "
        "bebity/linkedin-jobs-scraper)"
    ]


def test_concurrent_duplicates_ingest_once(rt, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    fake.add_run("run-1", ACTOR, items(30))
    statuses: list[int] = []
    # one function instance each, made here: building Flask apps in several threads at once
    # trips CPython 3.11's AST constructor ("recursion depth mismatch") and kills a thread
    clients = [function_client("scrape", "scrape_http", "http") for _ in range(4)]

    def deliver(client) -> None:  # type: ignore[no-untyped-def]
        statuses.append(post(client, webhook("run-1")).status_code)

    threads = [threading.Thread(target=deliver, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(statuses) == 4  # every delivery answered (a thread that died would not)
    assert set(statuses) <= {200, 503} and 200 in statuses
    for _ in range(3):  # Apify retries the 503s later
        assert (
            post(function_client("scrape", "scrape_http", "http"), webhook("run-1")).status_code
            == 200
        )
    ids = published_ids(rt)
    assert len(ids) == len(set(ids)) == 30


def test_wrong_or_missing_secret_has_no_side_effect(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    fake.add_run("run-1", ACTOR, items(3))
    for secret in ("wrong", "", None, SECRET + "x"):
        response = post(client, webhook("run-1"), secret=secret)
        assert response.status_code == 401
        assert response.get_json()["error"] == "AuthError"
    assert fake.requests == [] and rt.store.query(RUNS) == [] and not rt.bus.queue
    assert post(client, webhook("run-1"), secret=PREVIOUS).status_code == 200  # rotation window


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        (b"{not json", "body", "not valid JSON"),
        (b"[1, 2]", "body", "expected a JSON object"),
        ({"eventType": 5}, "eventType", "expected a non-empty string"),
        ({"eventType": "ACTOR.RUN.SUCCEEDED", "eventData": {}}, "eventData.actorRunId", "string"),
        (
            {"eventType": "ACTOR.RUN.SUCCEEDED", "eventData": {"actorRunId": "../jobs/x"}},
            "eventData.actorRunId",
            "expected an Apify run id",
        ),
        (b"\xff\xfe", "body", "not valid JSON"),
    ],
)
def test_malformed_bodies(rt, client, fake: FakeApify, body: Any, field: str, text: str) -> None:  # type: ignore[no-untyped-def]
    response = post(client, body)
    assert response.status_code == 400
    error = response.get_json()
    assert error["field"] == field and text in error["message"]
    assert fake.requests == []


def test_oversized_body(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    big = {**webhook("run-1"), "padding": "x" * (300 * 1024)}
    response = post(client, big)
    assert response.status_code == 400
    assert "larger than" in response.get_json()["message"] and fake.requests == []


@pytest.mark.parametrize(
    ("event", "status"),
    [
        ("ACTOR.RUN.FAILED", "FAILED"),
        ("ACTOR.RUN.ABORTED", "ABORTED"),
        ("ACTOR.RUN.TIMED_OUT", "TIMED-OUT"),
    ],
)
def test_failure_events_record_the_outcome(
    rt, client, fake: FakeApify, event: str, status: str
) -> None:  # type: ignore[no-untyped-def]
    fake.add_run("run-f", ACTOR, items(4), status=status)
    response = post(client, webhook("run-f", event))
    assert response.status_code == 200
    assert response.get_json() == {"status": "recorded", "run_status": status}
    run = rt.store.get(RUNS, "run-f")
    assert run["status"] == status and "ingest" not in run
    assert rt.store.query(JOBS) == [] and not rt.bus.queue


def test_partial_ingest_when_configured(tmp_path, monkeypatch, fake: FakeApify, client) -> None:  # type: ignore[no-untyped-def]
    rt = configure(tmp_path, monkeypatch, fake, ingest_partial=True)
    fake.add_run("run-t", ACTOR, items(4), status="TIMED-OUT")
    response = post(client, webhook("run-t", "ACTOR.RUN.TIMED_OUT"))
    assert response.status_code == 200 and response.get_json()["inserted"] == 4
    assert rt.store.get(RUNS, "run-t")["status"] == "TIMED-OUT"


def test_test_and_other_events(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    assert post(client, {"eventType": "TEST"}).get_json() == {"status": "test"}
    other = post(client, {"eventType": "ACTOR.BUILD.SUCCEEDED", "eventData": {}})
    assert other.status_code == 200 and other.get_json()["status"] == "ignored"
    assert fake.requests == []


def test_run_unknown_to_the_api(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    response = post(client, webhook("no-such-run"))
    assert response.status_code == 404
    assert "unknown to the Apify API" in response.get_json()["message"]
    assert rt.store.query(RUNS) == [] and not rt.bus.queue


def test_run_of_another_actor_is_refused(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    fake.add_run("run-x", "mallory/crypto-miner", items(2))
    response = post(client, webhook("run-x"))
    assert response.status_code == 400 and "no configured search" in response.get_json()["message"]
    assert rt.store.query(JOBS) == []


def test_status_not_yet_final_is_retried(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    fake.add_run("run-r", ACTOR, items(2), status="RUNNING")
    assert post(client, webhook("run-r")).status_code == 503
    fake.runs["run-r"]["status"] = "SUCCEEDED"
    assert post(client, webhook("run-r")).get_json()["inserted"] == 2


def test_transient_api_errors_and_missing_dataset(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    run = fake.add_run("run-1", ACTOR, items(3))
    fake.fail_next("/v2/datasets", 500)
    assert post(client, webhook("run-1")).get_json()["inserted"] == 3  # the client retried
    fake.add_run("run-2", ACTOR, items(3))
    del fake.datasets[fake.runs["run-2"]["defaultDatasetId"]]
    response = post(client, webhook("run-2"))
    assert response.status_code == 404 and "not found" in response.get_json()["message"].lower()
    assert run["id"] == "run-1"


def test_large_dataset_continues_through_messages(
    tmp_path, monkeypatch, fake: FakeApify, client
) -> None:  # type: ignore[no-untyped-def]
    rt = configure(tmp_path, monkeypatch, fake, page_size=10, time_budget_seconds=0)
    fake.add_run("run-big", ACTOR, items(35))
    first = post(client, webhook("run-big")).get_json()
    assert (first["status"], first["next_offset"], first["inserted"]) == ("continuing", 10, 10)
    pushes = 0
    while True:
        pending = [e for e in rt.bus.queue if e.topic == INGEST_CONTINUE][pushes:]
        if not pending:
            break
        for env in pending:
            pushes += 1
            for _ in range(2):  # Pub/Sub may deliver twice: the page is ingested once
                answer = post(client, push_body(env.message), path="/tasks/ingest-continue")
                assert answer.status_code == 200, answer.get_data(as_text=True)
    assert pushes == 3
    ids = published_ids(rt)
    assert len(ids) == len(set(ids)) == 35 and len(rt.store.query(JOBS)) == 35
    run = rt.store.get(RUNS, "run-big")
    assert run["ingest"] == "done" and run["counts"]["inserted"] == 35


def test_continuation_that_cannot_succeed_is_acknowledged(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    forged = post(
        client, push_body({"run_id": "forged", "offset": 0}), SECRET, "/tasks/ingest-continue"
    )
    assert forged.status_code == 200  # acknowledged: a push answered 4xx comes back forever
    assert (
        forged.get_json()["status"] == "dropped"
        and "never recorded" in forged.get_json()["message"]
    )
    bad = post(client, push_body({"run_id": "x", "offset": -1}), SECRET, "/tasks/ingest-continue")
    assert bad.status_code == 200 and bad.get_json()["field"] == "offset"
    garbage = post(client, b"{", SECRET, "/tasks/ingest-continue")
    assert garbage.status_code == 200 and garbage.get_json()["field"] == "body"
    assert fake.requests == [] and not rt.bus.queue


def _tick(client, when: str, secret: str | None = SECRET):  # type: ignore[no-untyped-def]
    headers = {
        "X-CloudScheduler": "true",
        "X-CloudScheduler-JobName": "autoapply-daily",
        "X-CloudScheduler-ScheduleTime": when,
    }
    return post(client, b"", secret=secret, path="/runs", headers=headers)


def test_schedule_tick_starts_each_search_once(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    fake.add_actor(ACTOR)
    fake.add_actor("curious_coder/linkedin-jobs-scraper")
    first = _tick(client, "2026-11-26T07:00:00Z")
    assert first.status_code == 200, first.get_data(as_text=True)
    assert {s["status"] for s in first.get_json()["searches"].values()} == {"started"}
    assert len(fake.started) == 2
    hook = fake.started[0]["webhooks"][0]
    assert hook["requestUrl"] == "https://fn.example/webhooks/apify"
    # the secret, and the scheduled run's trace (the webhook's ingestion continues it)
    assert json.loads(hook["headersTemplate"]) == {
        "X-Autoapply-Webhook-Secret": SECRET,
        "X-Autoapply-Trace": first.headers["X-Autoapply-Trace"],
    }
    assert set(hook["eventTypes"]) >= {"ACTOR.RUN.SUCCEEDED", "ACTOR.RUN.FAILED"}
    assert fake.started[0]["query"]["maxItems"] == "200"
    assert fake.started[0]["input"] == {"keywords": "python"}

    retry = _tick(client, "2026-11-26T07:00:00Z")  # Scheduler retried the same tick
    assert retry.status_code == 200 and len(fake.started) == 2
    assert {s["status"] for s in retry.get_json()["searches"].values()} == {"done"}
    assert _tick(client, "2026-11-27T07:00:00Z").status_code == 200 and len(fake.started) == 4
    assert _tick(client, "2026-11-28T07:00:00Z", secret="nope").status_code == 401

    run_id = fake.started[0]["run_id"]  # the webhook of a run we started is accepted
    fake.runs[run_id].update(status="SUCCEEDED", finishedAt="2026-11-26T07:20:00.000Z")
    fake.datasets[fake.runs[run_id]["defaultDatasetId"]].extend(items(2))
    assert post(client, webhook(run_id)).get_json()["inserted"] == 2
    assert rt.store.get(RUNS, run_id)["search"] == "berlin"


def test_a_search_that_failed_to_start_is_retried_alone(rt, client, fake: FakeApify) -> None:  # type: ignore[no-untyped-def]
    fake.add_actor(ACTOR)  # the other search's actor does not exist: refused for good
    fake.fail_next("/v2/actors/bebity~linkedin-jobs-scraper/runs", 500, times=5)
    failed = _tick(client, "2026-11-26T07:00:00Z")
    assert failed.status_code == 503 and fake.started == []
    again = _tick(client, "2026-11-26T07:00:00Z")
    searches = again.get_json()["searches"]
    assert searches["berlin"]["status"] == "started" and searches["remote"]["status"] == "done"
    assert searches["remote"]["earlier"]["status"] == "refused" and len(fake.started) == 1


def test_webhook_url_is_never_taken_from_the_request(
    tmp_path, monkeypatch, fake: FakeApify, client
) -> None:  # type: ignore[no-untyped-def]
    """The webhook carries the secret header: a forged Host must not receive it. Unset, POST
    /runs refuses (nothing started); set, the Host header does not matter."""
    fake.add_actor(ACTOR)
    headers = {"X-CloudScheduler-ScheduleTime": "2026-11-26T07:00:00Z", "Host": "evil.example"}
    configure(tmp_path, monkeypatch, fake, webhook_url=None)
    refused = post(client, b"", path="/runs", headers=headers)
    assert refused.status_code == 400, refused.get_data(as_text=True)
    assert refused.get_json()["field"] == "apify.webhook_url"
    assert "AUTOAPPLY_APIFY_WEBHOOK_URL" in refused.get_json()["message"]
    assert fake.started == []
    configure(tmp_path, monkeypatch, fake)
    assert post(client, b"", path="/runs", headers=headers).status_code == 200
    hooks = [hook["requestUrl"] for run in fake.started for hook in run["webhooks"]]
    assert hooks and set(hooks) == {"https://fn.example/webhooks/apify"}


SCHEDULER_SA = "autoapply-scheduler@proj.iam.gserviceaccount.com"
PUSH_SA = "autoapply-scrape-push@proj.iam.gserviceaccount.com"


def test_google_routes_need_an_oidc_token_when_deployed(  # type: ignore[no-untyped-def]
    rt, client, fake: FakeApify, httpserver
) -> None:
    """In the cloud the scrape function is public: /runs and /tasks/* check Google's token
    (audience and caller), and the webhook secret alone is no longer enough there."""
    from common.settings import GoogleCallers
    from tests.helpers.oidc import TokenIssuer

    issuer = TokenIssuer()
    rt.settings.callers = GoogleCallers(
        audience="autoapply-scrape",
        service_accounts=[SCHEDULER_SA, PUSH_SA],
        certs_url=issuer.serve_certs(httpserver),
    )
    fake.add_actor(ACTOR)
    fake.add_actor("curious_coder/linkedin-jobs-scraper")
    tick = {
        "X-CloudScheduler-JobName": "daily",
        "X-CloudScheduler-ScheduleTime": "2026-11-29T07:00:00Z",
    }

    def call(path: str, token: str | None, secret: str | None = None, body: Any = b""):  # type: ignore[no-untyped-def]
        headers = {**tick, **({"Authorization": f"Bearer {token}"} if token else {})}
        return post(client, body, secret=secret, path=path, headers=headers)

    assert call("/runs", None, secret=SECRET).status_code == 401  # the secret is not enough
    assert call("/runs", issuer.token("other-audience", SCHEDULER_SA)).status_code == 401
    assert call("/runs", issuer.token("autoapply-scrape", "x@evil.example")).status_code == 401
    assert fake.started == []
    ok = call("/runs", issuer.token("autoapply-scrape", SCHEDULER_SA))
    assert ok.status_code == 200 and len(fake.started) == 2

    continuation = push_body({"run_id": "forged", "offset": 0})
    assert call("/tasks/ingest-continue", None, secret=SECRET, body=continuation).status_code == 401
    pushed = call(
        "/tasks/ingest-continue", issuer.token("autoapply-scrape", PUSH_SA), body=continuation
    )
    assert pushed.status_code == 200 and pushed.get_json()["status"] == "dropped"


def test_a_stalled_dataset_page_is_bounded_by_the_time_budget(
    tmp_path, monkeypatch, fake: FakeApify, client
) -> None:  # type: ignore[no-untyped-def]
    """A page that never answers: the webhook answers 503 (Apify retries later) within the
    function's time budget instead of waiting out the client's 360 s timeouts and retries."""
    import time

    configure(tmp_path, monkeypatch, fake, time_budget_seconds=2)
    fake.add_run("run-slow", ACTOR, items(3))
    fake.delay_next("/v2/datasets", 30, times=20)
    started = time.monotonic()
    response = post(client, webhook("run-slow"))
    assert response.status_code == 503, response.get_data(as_text=True)
    assert time.monotonic() - started < 8
    fake.delays.clear()
    assert post(client, webhook("run-slow")).get_json()["inserted"] == 3
