"""Run the ``autoapply`` command and SIGKILL its process right after its Nth write.

    python -m tests.helpers.crash_cli --kill-after N [--trace FILE] -- [autoapply arguments]

A write is any call that may change what lasts: a document store write or transaction
(SQLite), an object store put or delete (local folder), a mailer delivery (``.eml`` outbox).
The process kills itself as soon as the Nth returns, as a power cut or the OOM killer would:
no ``finally``, no ``atexit``, no lease given back. ``--kill-after 0`` never kills.
``--trace`` appends one line per write, ``<n> <what> <collection or key>``, so a test can pick
kill points inside each stage. Only the adapters' methods are wrapped; everything else is the
real command.
"""

from __future__ import annotations

import argparse
import functools
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, TextIO

WRITES: dict[str, tuple[str, ...]] = {
    "common.adapters.store_sqlite:SqliteStore": (
        "put",
        "put_many",
        "create",
        "create_many",
        "update",
        "delete",
        "transact",
    ),
    "common.adapters.objects_local:LocalObjectStore": ("put", "delete"),
    "common.adapters.mailer_outbox:OutboxMailer": ("deliver",),
}


class _Counter:
    def __init__(self, kill_after: int, trace: TextIO | None) -> None:
        self.n = 0
        self.kill_after = kill_after
        self.trace = trace

    def wrap(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def counted(obj: Any, *args: Any, **kwargs: Any) -> Any:
            result = method(obj, *args, **kwargs)
            self.n += 1
            if self.trace is not None:
                target = args[0] if args and isinstance(args[0], str) else "-"
                self.trace.write(f"{self.n} {name} {target}\n")
                self.trace.flush()
            if self.n == self.kill_after:
                os.kill(os.getpid(), signal.SIGKILL)
            return result

        return counted


def install(kill_after: int, trace: TextIO | None = None) -> None:
    """Wrap the write methods of the local adapters in this process."""
    import importlib

    counter = _Counter(kill_after, trace)
    for where, methods in WRITES.items():
        module, cls_name = where.split(":")
        cls = getattr(importlib.import_module(module), cls_name)
        for method in methods:
            setattr(cls, method, counter.wrap(f"{cls_name}.{method}", getattr(cls, method)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="crash_cli")
    parser.add_argument("--kill-after", type=int, required=True)
    parser.add_argument("--trace")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    trace = open(args.trace, "a", encoding="utf-8") if args.trace else None  # noqa: SIM115
    install(args.kill_after, trace)
    from common.cli.main import main as autoapply

    return autoapply(command)


if __name__ == "__main__":
    sys.exit(main())
