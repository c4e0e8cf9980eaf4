"""Build Pub/Sub CloudEvent requests exactly as Eventarc sends them (binary mode)."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def pubsub_request(
    message: dict[str, Any],
    topic: str = "jobs-ingested",
    project: str = "test-project",
    message_id: str | None = None,
    attributes: dict[str, str] | None = None,
    published: datetime | None = None,
) -> tuple[dict[str, str], str]:
    """``(headers, body)`` of a binary-mode ``messagePublished`` CloudEvent (published now
    unless ``published`` is given)."""
    message_id = message_id or uuid.uuid4().hex[:12]
    stamp = (published or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    headers = {
        "ce-id": message_id,
        "ce-specversion": "1.0",
        "ce-time": stamp,
        "ce-type": "google.cloud.pubsub.topic.v1.messagePublished",
        "ce-source": f"//pubsub.googleapis.com/projects/{project}/topics/{topic}",
        "Content-Type": "application/json",
    }
    body = {
        "subscription": f"projects/{project}/subscriptions/{topic}-sub",
        "message": {
            "data": base64.b64encode(json.dumps(message).encode()).decode(),
            "attributes": attributes or {},
            "messageId": message_id,
            "publishTime": stamp,
        },
    }
    return headers, json.dumps(body)


def function_client(function: str, target: str, signature: str):  # type: ignore[no-untyped-def]
    """A functions-framework test client for ``functions/<function>/main.py``."""
    from functions_framework import create_app

    source = ROOT / "functions" / function / "main.py"
    return create_app(target, str(source), signature).test_client()
