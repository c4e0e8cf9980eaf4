"""Logging: one JSON line per record in a function, readable lines in a terminal.

In Cloud Functions (``K_SERVICE`` or ``FUNCTION_TARGET`` set, or ``AUTOAPPLY_LOG_FORMAT=json``)
each record is a JSON object with ``severity`` and ``message`` (what Cloud Logging parses),
the function name, the bound context (event id, job id, ...) and the trace and span as
``logging.googleapis.com/trace`` / ``spanId`` (see :mod:`common.tracing`). The field names are
the stable set of :mod:`common.log_fields`.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from common.log_fields import SPAN, SPAN_ID, TRACE, TRACE_ID
from common.terminal import plain

_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "log_context", default=None
)
_SEVERITY = {"WARNING": "WARNING", "CRITICAL": "CRITICAL", "ERROR": "ERROR", "INFO": "INFO"}


def get_logger(name: str) -> logging.Logger:
    """A logger under the ``autoapply`` namespace."""
    return logging.getLogger(f"autoapply.{name}")


@contextlib.contextmanager
def bound(**fields: Any) -> Iterator[None]:
    """Attach ``fields`` (event id, job id, ...) to every record logged inside the block."""
    present = {k: v for k, v in fields.items() if v is not None}
    token = _context.set({**(_context.get() or {}), **present})
    try:
        yield
    finally:
        _context.reset(token)


def rebind(**fields: Any) -> None:
    """Change ``fields`` in the innermost bound context, for the rest of its block (a request
    that learns, from its body, which job's trace it continues)."""
    current = _context.get()
    if current is not None:  # outside any block there is nothing to change
        current.update({k: v for k, v in fields.items() if v is not None})


def context() -> dict[str, Any]:
    """The fields bound in this context (a copy)."""
    return dict(_context.get() or {})


class JsonFormatter(logging.Formatter):
    """A Cloud Logging structured line; the trace as ``projects/PROJECT/traces/ID``
    (``GOOGLE_CLOUD_PROJECT``, or ``local`` where it is not set)."""

    def __init__(self, function: str | None = None, project: str | None = None) -> None:
        super().__init__()
        self.function = function
        self.project = project or os.environ.get("GOOGLE_CLOUD_PROJECT") or "local"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": _SEVERITY.get(record.levelname, "DEBUG"),
            "message": record.getMessage(),
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "logger": record.name,
        }
        if self.function:
            entry["function"] = self.function
        entry.update(_context.get() or {})
        extra = getattr(record, "fields", None)
        if isinstance(extra, dict):
            entry.update(extra)
        trace, span = entry.pop(TRACE_ID, None), entry.pop(SPAN_ID, None)
        if trace:
            entry[TRACE] = f"projects/{self.project}/traces/{trace}"
        if span:
            entry[SPAN] = span
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class ConsoleFormatter(logging.Formatter):
    """``HH:MM:SS LEVEL message key=value ...`` for people."""

    def format(self, record: logging.LogRecord) -> str:
        fields = {**(_context.get() or {}), **(getattr(record, "fields", None) or {})}
        tail = " ".join(f"{k}={v}" for k, v in fields.items())
        stamp = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        line = f"{stamp} {record.levelname:<7} {record.getMessage()}"
        if tail:
            line = f"{line}  {tail}"
        if record.exc_info:
            line = f"{line}\n{self.formatException(record.exc_info)}"
        return plain(line)  # a posting's escape sequences never reach the terminal


def running_as_function() -> bool:
    """Whether this process is a deployed function (or asked to log like one)."""
    return bool(os.environ.get("K_SERVICE") or os.environ.get("FUNCTION_TARGET"))


def configure(
    function: str | None = None, level: str | None = None, *, to_stderr: bool = False
) -> None:
    """Install the formatter for the ``autoapply`` loggers (replacing the one an earlier call
    installed; handlers added by others, such as a test's capture, are kept). JSON lines go to
    stdout, where Cloud Logging reads them, unless ``to_stderr`` (the command line, whose
    stdout is its output)."""
    fmt = os.environ.get("AUTOAPPLY_LOG_FORMAT") or ("json" if running_as_function() else "text")
    root = logging.getLogger("autoapply")
    root.setLevel(level or os.environ.get("AUTOAPPLY_LOG_LEVEL", "INFO"))
    handler = logging.StreamHandler(sys.stdout if fmt == "json" and not to_stderr else sys.stderr)
    handler.setFormatter(JsonFormatter(function) if fmt == "json" else ConsoleFormatter())
    handler.set_name(_HANDLER)
    root.handlers[:] = [h for h in root.handlers if h.get_name() != _HANDLER] + [handler]
    root.propagate = False


_HANDLER = "autoapply-output"
