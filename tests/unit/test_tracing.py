"""Trace ids: where they come from, what is trusted, how they reach log lines and messages."""

from __future__ import annotations

import json
import logging

from common.adapters.bus_local import LocalBus
from common.log_fields import SPAN, TRACE
from common.logging import ConsoleFormatter, JsonFormatter, bound
from common.tracing import (
    TRACE_ATTRIBUTE,
    TRACE_HEADER,
    adopt,
    continued,
    current,
    from_attributes,
    from_headers,
    from_push,
    inject,
    span,
    valid,
)

T = "4bf92f3577b34da6a3ce929d0e0e4736"
U = "0af7651916cd43dd8448eb211c80319c"


def _record() -> logging.LogRecord:
    return logging.LogRecord("autoapply.t", logging.INFO, __file__, 1, "hello", (), None)


def test_only_well_formed_trace_ids_are_trusted() -> None:
    assert valid(T) == T and valid(T.upper()) == T
    for bad in (None, "", "0" * 32, T[:-1], T + "0", "x" * 32, f"{T}\nInjected: 1", 42):
        assert valid(bad) is None, bad


def test_headers_ours_first_then_cloud_run() -> None:
    parent = f"00-{U}-00f067aa0ba902b7-01"
    assert from_headers({TRACE_HEADER: T, "traceparent": parent}) == T
    assert from_headers({TRACE_HEADER: "forged", "traceparent": parent}) == U
    assert from_headers({"X-Cloud-Trace-Context": f"{U}/12345;o=1"}) == U
    assert from_headers({"traceparent": "garbage"}) is None
    assert from_headers({}) is None


def test_attributes_and_push_bodies() -> None:
    assert from_attributes({TRACE_ATTRIBUTE: T}) == T
    assert from_attributes(None) is None
    assert from_push({"message": {"attributes": {TRACE_ATTRIBUTE: T}}}) == T
    for body in (None, "x", {"message": "x"}, {"message": {"attributes": ["x"]}}):
        assert from_push(body) is None


def test_span_binds_a_trace_and_a_new_span_each_time() -> None:
    assert current() is None
    with span(T) as first:
        assert first == current() == T
        line = json.loads(JsonFormatter(project="p1").format(_record()))
        assert line[TRACE] == f"projects/p1/traces/{T}" and len(line[SPAN]) == 16
        with continued(None) as again:  # nothing new: the same trace, a new span
            assert again == T
            inner = json.loads(JsonFormatter(project="p1").format(_record()))
            assert inner[SPAN] != line[SPAN]
    with span(None) as fresh:
        assert valid(fresh) and fresh != T
    assert current() is None


def test_console_lines_show_the_same_id() -> None:
    with span(T):
        assert f"trace={T}" in ConsoleFormatter().format(_record())


def test_published_messages_carry_the_current_trace() -> None:
    bus = LocalBus()
    bus.publish("jobs-matched", {"job_id": "j"})
    with span(T):
        bus.publish("jobs-matched", {"job_id": "j"}, {"replay_of": "x"})
        assert inject({TRACE_ATTRIBUTE: U}) == {TRACE_ATTRIBUTE: U}  # an explicit one is kept
    assert TRACE_ATTRIBUTE not in bus.queue[0].attributes
    assert bus.queue[1].attributes == {"replay_of": "x", TRACE_ATTRIBUTE: T}


def test_adopt_switches_the_rest_of_the_block() -> None:
    with span(T), bound(function="health"):
        adopt("not a trace")
        assert current() == T
        adopt(U)
        assert current() == U
        line = json.loads(JsonFormatter(project="p").format(_record()))
        assert line[TRACE].endswith(U) and line["function"] == "health"
    assert current() is None
