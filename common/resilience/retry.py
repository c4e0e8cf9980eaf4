"""The one retry policy, and which layer retries what.

Exactly one layer retries each call; stacking them multiplies attempts (4 x 4 = 16 calls)
and hides outages from the circuit breaker. Per SDK (versions pinned in requirements.txt),
as the adapters use them:

=========================  ==============================================  ====================
SDK / call                 what the SDK retries                            who retries
=========================  ==============================================  ====================
google-genai (Gemini)      nothing (``HttpRetryOptions`` left off: it      nobody in-process:
                           ignores ``RetryInfo.retryDelay``)               redelivery (Pub/Sub,
                                                                           or the next ``run``);
                                                                           a 429's retryDelay is
                                                                           kept in the shared
                                                                           budget
google-api-python-client   nothing (``execute(num_retries=0)`` over a      nobody in-process: a
(Gmail)                    transport that never repeats a request)         send never (it may
                                                                           have gone out); a
                                                                           read is redelivered
apify-client: runs,        429, 5xx, transport errors: 4 retries,          the SDK
actors, starting runs      exponential backoff from 0.5 s
apify-client: dataset      off (``max_retries=0``: its default 360 s       this module, within
pages                      timeout and retries ignore the time budget)     the page's time
                                                                           budget (``deadline``)
google-cloud-firestore     reads (UNAVAILABLE, ...), and a transaction     the SDK
                           retried on ABORTED (``max_attempts=5``)
google-cloud-pubsub        publish: its default retry (UNAVAILABLE,        the SDK
(publisher)                DEADLINE_EXCEEDED, ... for up to 600 s)
google-cloud-storage       idempotent calls (GET, and writes with a        the SDK
                           generation precondition) via DEFAULT_RETRY
google-cloud-secret-       access: its default retry (UNAVAILABLE,         the SDK
manager                    RESOURCE_EXHAUSTED; up to 60 s)
plain HTTP (health         nothing (one attempt, short timeout)            nobody: a health
checks, urllib)                                                            check reports, it
                                                                           does not insist
Pub/Sub delivery           a handler that raises is redelivered            Pub/Sub (10 s..600 s
                                                                           backoff, then the
                                                                           dead-letter topic)
=========================  ==============================================  ====================

This module's policy (``resilience.retry``) serves the calls marked "this module", through
:meth:`common.resilience.guard.Guard.call` with ``retry=True``. A wait the service asks for
(``Retry-After``, ``google.rpc.RetryInfo.retryDelay``) travels in
:attr:`common.errors.RetryableError.retry_after`; it replaces the backoff. One longer than
``resilience.retry.max_retry_after`` is not slept in-process: the error propagates and Pub/Sub
redelivers later. A ``deadline`` ends the retries before a wait would pass it.
:class:`common.errors.CircuitOpen` is never retried in-process.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

from common.errors import CircuitOpen, RetryableError
from common.settings import Retry as RetrySettings

T = TypeVar("T")
Sleep = Callable[[float], None]


def retry_after_from_headers(headers: Mapping[str, str], now: datetime) -> float | None:
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    value = next((v for k, v in headers.items() if k.lower() == "retry-after"), None)
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - now).total_seconds())


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)s\s*$")


def retry_after_from_error_body(body: Any) -> float | None:
    """Seconds asked for by a Google error body's ``RetryInfo`` (``"retryDelay": "26s"``)."""
    error = body.get("error") if isinstance(body, dict) else None
    details = error.get("details") if isinstance(error, dict) else None
    for detail in details if isinstance(details, list) else []:
        if isinstance(detail, dict) and str(detail.get("@type", "")).endswith(
            "google.rpc.RetryInfo"
        ):
            match = _DURATION.match(str(detail.get("retryDelay", "")))
            if match:
                return float(match.group(1))
    return None


def _retryable(exc: BaseException) -> bool:
    return isinstance(exc, RetryableError) and not isinstance(exc, CircuitOpen)


def call_with_retry(
    fn: Callable[[], T],
    policy: RetrySettings,
    *,
    sleep: Sleep = time.sleep,
    rng: random.Random | None = None,
    deadline: float | None = None,
    monotonic: Callable[[], float] = time.monotonic,
) -> T:
    """Call ``fn``; retry a :class:`RetryableError` with jittered exponential backoff.

    Bounded by ``policy.max_attempts``, and by ``deadline`` (a ``monotonic()`` time): no
    wait that would end after it. A ``retry_after`` on the error replaces the backoff (a
    longer one than ``policy.max_retry_after`` ends the retries at once). The last error
    propagates unchanged.
    """
    import tenacity

    rng = rng or random.Random()

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        asked = getattr(exc, "retry_after", None)
        if asked is not None:
            return float(asked)
        ceiling = min(policy.max_wait, policy.initial_wait * 2 ** (state.attempt_number - 1))
        return rng.uniform(ceiling / 2, ceiling)  # "equal jitter": never zero, never over

    def give_up(state: tenacity.RetryCallState) -> bool:
        if state.attempt_number >= policy.max_attempts:
            return True
        if deadline is not None and monotonic() + state.upcoming_sleep >= deadline:
            return True
        exc = state.outcome.exception() if state.outcome else None
        asked = getattr(exc, "retry_after", None)
        return asked is not None and asked > policy.max_retry_after

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception(_retryable),
        stop=give_up,
        wait=wait,
        sleep=sleep,
        reraise=True,
    )
    return retrying(fn)
