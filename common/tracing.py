"""One trace per job: a correlation id born at the webhook or scheduled run, carried along.

* HTTP (``scrape``, ``health``): the trace comes from ``X-Autoapply-Trace`` (what the scheduled
  run asked Apify to send back with its webhook), else from Cloud Run's ``traceparent`` or
  ``X-Cloud-Trace-Context`` (so our lines join the request's own log), else a new one.
* Pub/Sub: every message published while a trace is bound carries it in the attribute
  ``autoapply_trace``; the function that receives it continues that trace.
* Every invocation gets its own span id. :mod:`common.logging` writes both on every line:
  as ``logging.googleapis.com/trace`` and ``/spanId`` in JSON (Logs Explorer groups the
  lines of one trace), as ``trace=... span=...`` in a terminal.

Standard library only: no tracing SDK is imported, so cold starts pay nothing for it.
"""

from __future__ import annotations

import contextlib
import re
import secrets
from collections.abc import Iterator, Mapping
from typing import Any

from common.log_fields import SPAN_ID, TRACE_ID
from common.logging import bound, context, rebind

#: the Pub/Sub attribute carrying the trace id
TRACE_ATTRIBUTE = "autoapply_trace"
#: the HTTP header carrying the trace id (set in the webhooks a scheduled run asks Apify for)
TRACE_HEADER = "X-Autoapply-Trace"
_TRACE = re.compile(r"[0-9a-f]{32}")
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}")


def new_trace_id() -> str:
    """32 lowercase hex digits (the W3C / Cloud Trace format)."""
    return secrets.token_hex(16)


def new_span_id() -> str:
    """16 lowercase hex digits."""
    return secrets.token_hex(8)


def valid(trace: Any) -> str | None:
    """``trace`` when it is a well-formed, non-zero trace id, else None (never trust text)."""
    if isinstance(trace, str):
        trace = trace.strip().lower()
        if _TRACE.fullmatch(trace) and trace.strip("0"):
            return trace
    return None


def from_headers(headers: Mapping[str, str]) -> str | None:
    """The trace an HTTP request carries (ours first, then Cloud Run's), or None."""
    ours = valid(headers.get(TRACE_HEADER))
    if ours:
        return ours
    parent = _TRACEPARENT.fullmatch((headers.get("traceparent") or "").strip().lower())
    if parent and valid(parent.group(1)):
        return parent.group(1)
    return valid((headers.get("X-Cloud-Trace-Context") or "").split("/", 1)[0])


def from_attributes(attributes: Mapping[str, str] | None) -> str | None:
    """The trace a Pub/Sub message carries, or None."""
    return valid((attributes or {}).get(TRACE_ATTRIBUTE))


def from_push(data: Any) -> str | None:
    """The trace in a Pub/Sub push body or CloudEvent data (``message.attributes``), read
    leniently: a malformed body has none."""
    message = data.get("message") if isinstance(data, dict) else None
    attributes = message.get("attributes") if isinstance(message, dict) else None
    return from_attributes(attributes) if isinstance(attributes, dict) else None


def current() -> str | None:
    """The trace bound in this context, if any."""
    return context().get(TRACE_ID)


def inject(attributes: Mapping[str, str] | None) -> dict[str, str]:
    """``attributes`` plus the current trace (an explicit one is kept)."""
    out = dict(attributes or {})
    trace = current()
    if trace and TRACE_ATTRIBUTE not in out:
        out[TRACE_ATTRIBUTE] = trace
    return out


@contextlib.contextmanager
def span(trace: str | None = None) -> Iterator[str]:
    """Work inside ``trace`` (a new trace when None) with a new span; yields the trace id."""
    trace = valid(trace) or new_trace_id()
    with bound(**{TRACE_ID: trace, SPAN_ID: new_span_id()}):
        yield trace


@contextlib.contextmanager
def continued(trace: str | None = None) -> Iterator[str]:
    """Like :func:`span`, but keep the trace already bound when ``trace`` is None."""
    with span(valid(trace) or current()) as bound_trace:
        yield bound_trace


def adopt(trace: str | None) -> None:
    """From here to the end of the current block, continue ``trace`` (when it is valid): an
    HTTP push learns from its body which job it belongs to, after the request's span began."""
    trace = valid(trace)
    if trace:
        rebind(**{TRACE_ID: trace})
