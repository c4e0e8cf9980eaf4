"""Pub/Sub push requests as a push subscription sends them (the deployment's delivery path).

Terraform feeds each event function through its own push subscription (OIDC, retry policy,
dead-letter policy), not an Eventarc trigger: the body is Pub/Sub's wrapped push format, which
functions-framework turns into the same ``messagePublished`` CloudEvent.
"""

from __future__ import annotations

import base64
import json
from typing import Any


def push_body(
    message: dict[str, Any],
    message_id: str,
    subscription: str = "projects/test-project/subscriptions/autoapply-analyze-jobs-ingested",
    attempt: int = 1,
    attributes: dict[str, str] | None = None,
) -> str:
    """The JSON body of one push delivery (``deliveryAttempt`` is set with a dead-letter policy)."""
    published = "2026-11-26T10:00:00.000Z"
    return json.dumps(
        {
            "message": {
                "data": base64.b64encode(json.dumps(message).encode()).decode(),
                "attributes": attributes or {},
                "messageId": message_id,
                "message_id": message_id,
                "publishTime": published,
                "publish_time": published,
            },
            "subscription": subscription,
            "deliveryAttempt": attempt,
        }
    )


PUSH_HEADERS = {"Content-Type": "application/json", "User-Agent": "APIs-Google"}
