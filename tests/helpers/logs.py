"""Capture what the ``autoapply`` loggers write, in a given format (the production one)."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def captured(formatter: logging.Formatter) -> Iterator[Callable[[], list[str]]]:
    """Within the block, every ``autoapply`` record (INFO and above) is also formatted with
    ``formatter``; the yielded function returns the lines so far. The handlers the code
    installs itself stay in place (``common.logging.configure`` keeps foreign handlers)."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(formatter)
    handler.setLevel(logging.INFO)
    root = logging.getLogger("autoapply")
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [line for line in buffer.getvalue().splitlines() if line.strip()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
