"""One WSGI app serving every function locally, with a pump delivering bus messages."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from common.adapters.bus_local import Envelope, LocalBus
from common.errors import ConfigError
from common.events import APPLICATIONS_READY, INGEST_CONTINUE, JOBS_INGESTED, JOBS_MATCHED
from common.logging import get_logger
from common.runtime import Runtime, set_shared_runtime

log = get_logger("serve")
FUNCTIONS_DIR = Path(__file__).resolve().parent.parent / "functions"

#: function folder -> (entry point, signature type)
FUNCTIONS = {
    "scrape": ("scrape_http", "http"),
    "health": ("health_check", "http"),
    "analyze": ("analyze_jobs", "cloudevent"),
    "generate_docs": ("generate_documents", "cloudevent"),
    "send_email": ("send_application", "cloudevent"),
}
#: topic -> (function, path) its push subscription delivers to, as in terraform/
SUBSCRIPTIONS = {
    JOBS_INGESTED: ("analyze", "/"),
    JOBS_MATCHED: ("generate_docs", "/"),
    APPLICATIONS_READY: ("send_email", "/"),
    INGEST_CONTINUE: ("scrape", "/tasks/ingest-continue"),
}
#: path prefix -> the HTTP function serving it
HTTP_ROUTES = {
    "/webhooks/": "scrape",
    "/runs": "scrape",
    "/tasks/": "scrape",
    "/api/health": "health",
}


def cloud_event(env: Envelope, project: str = "local") -> tuple[dict[str, str], bytes]:
    """A binary-mode Pub/Sub CloudEvent for ``env``, as Eventarc sends it."""
    headers = {
        "ce-id": env.id,
        "ce-specversion": "1.0",
        "ce-time": time.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "ce-source": f"//pubsub.googleapis.com/projects/{project}/topics/{env.topic}",
        "Content-Type": "application/json",
    }
    body = {
        "subscription": f"projects/{project}/subscriptions/{env.topic}",
        "message": {
            "data": base64.b64encode(json.dumps(env.message).encode()).decode(),
            "attributes": env.attributes,
            "messageId": env.id,
        },
    }
    return headers, json.dumps(body).encode()


class LocalServer:
    """WSGI app: routes HTTP requests to the scrape and health functions; a background pump
    pushes published messages to the event functions until the bus is empty."""

    def __init__(self, runtime: Runtime) -> None:
        if not isinstance(runtime.bus, LocalBus):
            raise ConfigError("serve needs backends.bus 'local'", field="backends.bus")
        if not FUNCTIONS_DIR.is_dir():
            raise ConfigError(f"serve runs from a source checkout: {FUNCTIONS_DIR} is missing")
        from functions_framework import create_app

        set_shared_runtime(runtime)
        self.runtime, self.bus = runtime, runtime.bus
        self.apps = {
            name: create_app(target, str(FUNCTIONS_DIR / name / "main.py"), signature)
            for name, (target, signature) in FUNCTIONS.items()
        }
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        for prefix, name in HTTP_ROUTES.items():
            if path.startswith(prefix):
                return self.apps[name](environ, start_response)
        start_response("404 Not Found", [("Content-Type", "application/json")])
        return [json.dumps({"error": "NotFound", "message": f"no route {path}"}).encode()]

    def pump_once(self) -> int:
        """Push every queued message to its function; a failure is redelivered later."""
        pushed = 0
        while self.bus.queue:
            env = self.bus.queue.popleft()
            env.attempts += 1
            if env.topic not in SUBSCRIPTIONS:
                continue
            target, path = SUBSCRIPTIONS[env.topic]
            headers, body = cloud_event(env)
            if path != "/":  # an HTTP route: the raw push body, with the local credential
                headers = {"Content-Type": "application/json", **self._push_credential()}
            response = self.apps[target].test_client().post(path, headers=headers, data=body)
            if response.status_code >= 300:
                if env.attempts < self.bus.max_attempts:
                    self.bus.queue.append(env)
                else:
                    self.bus.give_up(env, f"HTTP {response.status_code} from {target}")
            pushed += 1
        return pushed

    def _push_credential(self) -> dict[str, str]:
        """Locally (no OIDC audience configured) the scrape routes take the webhook secret."""
        from common.services.scrape import SECRET, SECRET_HEADER

        secret = self.runtime.secrets.get(SECRET)
        return {SECRET_HEADER: secret} if secret else {}

    def start_pump(self, interval: float = 0.2) -> None:
        """Deliver messages in the background every ``interval`` seconds."""

        def loop() -> None:
            while not self._stop.is_set():
                self.pump_once()
                self._stop.wait(interval)

        self._thread = threading.Thread(target=loop, name="bus-pump", daemon=True)
        self._thread.start()

    def stop_pump(self) -> None:
        """Stop the background pump."""
        self._stop.set()
        if self._thread:
            self._thread.join(5)
