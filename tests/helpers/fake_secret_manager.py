"""A fake Secret Manager speaking the REST format, on pytest-httpserver."""

from __future__ import annotations

import base64
import json

import google_crc32c
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response


class FakeSecretManager:
    """Serves ``GET /v1/projects/{p}/secrets/{s}/versions/{v}:access`` from a dict."""

    def __init__(self, server: HTTPServer, project: str, secrets: dict[str, str]) -> None:
        self.server, self.project, self.secrets = server, project, secrets
        self.calls: list[str] = []
        self.corrupt: set[str] = set()
        self.unavailable = 0  # answer this many next requests with 503 UNAVAILABLE
        server.expect_request(_Prefix(f"/v1/projects/{project}/secrets/")).respond_with_handler(
            self._handle
        )

    @property
    def endpoint(self) -> str:
        return f"http://{self.server.host}:{self.server.port}"

    def _handle(self, request: Request) -> Response:
        path = request.path
        self.calls.append(path)
        name = path.split("/secrets/", 1)[1].split("/versions/", 1)[0]
        if self.unavailable > 0:
            self.unavailable -= 1
            body = {"error": {"code": 503, "status": "UNAVAILABLE", "message": "try again"}}
            return Response(json.dumps(body), 503, content_type="application/json")
        if name not in self.secrets:
            body = {
                "error": {
                    "code": 404,
                    "status": "NOT_FOUND",
                    "message": f"Secret [{name}] not found or has no versions.",
                }
            }
            return Response(json.dumps(body), 404, content_type="application/json")
        data = self.secrets[name].encode()
        crc = google_crc32c.value(data) + (1 if name in self.corrupt else 0)
        body = {
            "name": f"projects/{self.project}/secrets/{name}/versions/1",
            "payload": {"data": base64.b64encode(data).decode(), "dataCrc32c": str(crc)},
        }
        return Response(json.dumps(body), 200, content_type="application/json")


class _Prefix(str):
    """A URI matcher for pytest-httpserver that accepts every path under a prefix."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and other.startswith(str(self))

    __hash__ = str.__hash__
