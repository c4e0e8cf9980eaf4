"""Pub/Sub push requests as a push subscription sends them (the deployment's delivery path).

Terraform feeds each event function through its own push subscription (OIDC, retry policy,
dead-letter policy), not an Eventarc trigger: the body is Pub/Sub's wrapped push format, which
functions-framework turns into the same ``messagePublished`` CloudEvent.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from common.clock import iso


def push_body(
    message: dict[str, Any],
    message_id: str,
    published: datetime | None = None,
    subscription: str = "projects/test-project/subscriptions/autoapply-analyze-jobs-ingested",
    attempt: int | None = 1,
    attributes: dict[str, str] | None = None,
) -> str:
    """The JSON body of one push delivery (``deliveryAttempt`` is set with a dead-letter policy).

    ``published`` is the message's ``publishTime``: take it from the test's clock, since the
    entry point compares it with the runtime's clock (the event-age cut-off); without it the
    body has no publish time.
    """
    body: dict[str, Any] = {
        "message": {
            "data": base64.b64encode(json.dumps(message).encode()).decode(),
            "attributes": attributes or {},
            "messageId": message_id,
            "message_id": message_id,
        },
        "subscription": subscription,
    }
    if published is not None:
        body["message"]["publishTime"] = body["message"]["publish_time"] = iso(published)
    if attempt is not None:
        body["deliveryAttempt"] = attempt
    return json.dumps(body)


PUSH_HEADERS = {"Content-Type": "application/json", "User-Agent": "APIs-Google"}
