"""A fake Apify API at the HTTP level, for driving the real ``apify-client`` in tests.

It speaks the wire format of ``/work/shared/contracts/apify.md``: ``{"data": ...}`` objects
(runs, actors, ``GET /v2/users/me``),
``{"error": {"type", "message"}}`` errors, dataset items as a JSON array with all five
``X-Apify-Pagination-*`` headers (Count computed per page), actor names as ``user~name``,
ad-hoc webhooks as base64 JSON in the ``webhooks`` query parameter. Failures (429, 5xx) can
be queued per path prefix. Binds 127.0.0.1 on a free port.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections import deque
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

STAMP = "2026-11-26T09:00:00.000Z"


def _id(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:17]


def make_run(
    run_id: str,
    act_id: str,
    dataset_id: str,
    status: str = "SUCCEEDED",
    finished_at: str | None = "2026-11-26T09:30:00.000Z",
) -> dict[str, Any]:
    """A run object with the fields apify-client v3 validates."""
    return {
        "id": run_id,
        "actId": act_id,
        "userId": "fakeUser0000001",
        "actorTaskId": None,
        "startedAt": STAMP,
        "finishedAt": finished_at,
        "status": status,
        "statusMessage": None,
        "meta": {"origin": "API"},
        "stats": {"durationMillis": 1000, "computeUnits": 0.01},
        "options": {
            "build": "latest",
            "timeoutSecs": 3600,
            "memoryMbytes": 1024,
            "diskMbytes": 2048,
        },
        "buildId": "fakeBuild000001",
        "exitCode": 0,
        "defaultKeyValueStoreId": _id("kvs", run_id),
        "defaultDatasetId": dataset_id,
        "defaultRequestQueueId": _id("rq", run_id),
    }


def make_actor(actor_id: str, name: str) -> dict[str, Any]:
    """An actor object with the fields apify-client v3 validates."""
    username, _, short = name.partition("/")
    return {
        "id": actor_id,
        "userId": "fakeOwner000001",
        "name": short,
        "username": username,
        "isPublic": True,
        "createdAt": STAMP,
        "modifiedAt": STAMP,
        "stats": {},
        "versions": [],
        "defaultRunOptions": {"build": "latest", "timeoutSecs": 3600, "memoryMbytes": 1024},
    }


@dataclass
class FakeApify:
    """State of the fake API; start with :meth:`start`, stop with :meth:`stop`."""

    token: str = "test-apify-token"
    actors: dict[str, str] = field(default_factory=dict)  # "user/name" -> actor id
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    datasets: dict[str, list[Any]] = field(default_factory=dict)
    started: list[dict[str, Any]] = field(default_factory=list)  # POST .../runs calls
    requests: list[tuple[str, str]] = field(default_factory=list)
    failures: deque[tuple[str, int]] = field(default_factory=deque)  # (path prefix, status)
    delays: deque[tuple[str, float]] = field(default_factory=deque)  # (path prefix, seconds)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)

    # --- test set-up -------------------------------------------------------------------
    def add_actor(self, name: str) -> str:
        """Register an actor ``user/name``; returns its opaque id."""
        actor_id = _id("actor", name)
        self.actors[name] = actor_id
        return actor_id

    def add_run(
        self,
        run_id: str,
        actor: str,
        items: list[Any],
        status: str = "SUCCEEDED",
        finished_at: str | None = "2026-11-26T09:30:00.000Z",
    ) -> dict[str, Any]:
        """A finished run of ``actor`` whose default dataset holds ``items``."""
        act_id = self.actors.get(actor) or self.add_actor(actor)
        dataset_id = _id("dataset", run_id)
        self.datasets[dataset_id] = list(items)
        self.runs[run_id] = make_run(run_id, act_id, dataset_id, status, finished_at)
        return self.runs[run_id]

    def fail_next(self, path_prefix: str, status: int, times: int = 1) -> None:
        """Answer the next ``times`` requests under ``path_prefix`` with ``status``."""
        self.failures.extend([(path_prefix, status)] * times)

    def delay_next(self, path_prefix: str, seconds: float, times: int = 1) -> None:
        """Answer the next ``times`` requests under ``path_prefix`` after ``seconds`` (a slow
        or stalled page: the client's timeout decides when it stops waiting)."""
        self.delays.extend([(path_prefix, seconds)] * times)

    def page_reads(self, dataset_id: str) -> list[str]:
        """Query strings of the dataset item reads so far."""
        return [q for p, q in self.requests if p == f"/v2/datasets/{dataset_id}/items"]

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeApify:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
                    fake._dispatch(self, "GET")

            def do_POST(self) -> None:
                with suppress(BrokenPipeError, ConnectionResetError):
                    fake._dispatch(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wake the delayed answers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- the wire format ---------------------------------------------------------------
    def _send(
        self, h: BaseHTTPRequestHandler, status: int, body: Any, headers: dict | None = None
    ) -> None:
        data = json.dumps(body).encode()
        h.send_response(status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            h.send_header(key, str(value))
        h.end_headers()
        h.wfile.write(data)

    def _error(self, h: BaseHTTPRequestHandler, status: int, kind: str, message: str) -> None:
        self._send(h, status, {"error": {"type": kind, "message": message}})

    def _dispatch(self, h: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(h.path)
        path, query = parts.path, parse_qs(parts.query)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        with self._lock:
            self.requests.append((path, parts.query))
            failure = next((f for f in self.failures if path.startswith(f[0])), None)
            if failure:
                self.failures.remove(failure)
            delay = next((d for d in self.delays if path.startswith(d[0])), None)
            if delay:
                self.delays.remove(delay)
        if delay:
            self._stopping.wait(delay[1])
        if failure:
            kind = "rate-limit-exceeded" if failure[1] == 429 else "internal-server-error"
            return self._error(h, failure[1], kind, "injected failure")
        if h.headers.get("Authorization") != f"Bearer {self.token}":
            return self._error(h, 401, "token-not-valid", "Authentication token is not valid.")
        segments = [unquote(s) for s in path.strip("/").split("/")]
        if segments == ["v2", "users", "me"] and method == "GET":
            return self._send(h, 200, {"data": {"id": "fakeUser0000001", "username": "fake"}})
        if segments[:2] == ["v2", "actor-runs"] and len(segments) == 3 and method == "GET":
            run = self.runs.get(segments[2])
            if run is None:
                return self._error(h, 404, "record-not-found", "Actor run was not found")
            return self._send(h, 200, {"data": run})
        if segments[:2] == ["v2", "datasets"] and segments[3:] == ["items"]:
            return self._items(h, segments[2], query)
        if segments[:2] == ["v2", "actors"] and len(segments) >= 3:
            name = segments[2].replace("~", "/")
            actor_id = self.actors.get(name) or (
                segments[2] if segments[2] in self.actors.values() else None
            )
            if actor_id is None:
                return self._error(h, 404, "record-not-found", "Actor was not found")
            if len(segments) == 3 and method == "GET":
                return self._send(h, 200, {"data": make_actor(actor_id, name)})
            if segments[3:] == ["runs"] and method == "POST":
                return self._start(h, name, actor_id, query, body)
        return self._error(h, 404, "page-not-found", f"no route {method} {path}")

    def _items(self, h: BaseHTTPRequestHandler, dataset_id: str, query: dict) -> None:
        items = self.datasets.get(dataset_id)
        if items is None:
            return self._error(h, 404, "record-not-found", "Dataset was not found")
        offset = int(query.get("offset", ["0"])[0])
        limit = int(query["limit"][0]) if "limit" in query else len(items)
        page = items[offset : offset + limit]
        headers = {
            "X-Apify-Pagination-Offset": offset,
            "X-Apify-Pagination-Limit": limit,
            "X-Apify-Pagination-Count": len(page),
            "X-Apify-Pagination-Total": len(items),
            "X-Apify-Pagination-Desc": "false",
        }
        self._send(h, 200, page, headers)

    def _start(
        self, h: BaseHTTPRequestHandler, name: str, actor_id: str, query: dict, body: bytes
    ) -> None:
        webhooks = []
        if "webhooks" in query:
            webhooks = json.loads(base64.b64decode(query["webhooks"][0]))
        with self._lock:
            run_id = _id("run", name, str(len(self.started)))
            self.started.append(
                {
                    "actor": name,
                    "input": json.loads(body or b"null"),
                    "webhooks": webhooks,
                    "query": {k: v[0] for k, v in query.items() if k != "webhooks"},
                    "run_id": run_id,
                }
            )
        dataset_id = _id("dataset", run_id)
        self.datasets[dataset_id] = []
        self.runs[run_id] = make_run(run_id, actor_id, dataset_id, "RUNNING", None)
        self._send(h, 201, {"data": self.runs[run_id]})
