"""``autoapply``: the command line. Each command lives in its own module with a ``register``.

Errors a person can fix (a bad setting, a missing profile) print one line naming the problem
and the fix, never a traceback; each command checks what it needs before it changes anything
(:mod:`common.preflight`). An unexpected error (a bug) is one line too, its traceback shown
with ``AUTOAPPLY_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from common.errors import AutoapplyError
from common.safetext import one_line

#: command modules under common.cli, each with ``register(subparsers)``
COMMANDS = [
    "cmd_demo",
    "cmd_run",
    "cmd_resume",
    "cmd_ingest",
    "cmd_init",
    "cmd_status",
    "cmd_doctor",
    "cmd_report",
    "cmd_serve",
    "cmd_replay",
    "cmd_generate",
    "cmd_render",
    "cmd_analyze",
    "cmd_score",
    "cmd_review",
    "cmd_digest",
    "cmd_mark",
    "cmd_label",
    "cmd_auth",
]


def build_parser() -> argparse.ArgumentParser:
    """The parser with every command registered."""
    parser = argparse.ArgumentParser(
        prog="autoapply", description="Automated job applications from your own facts."
    )
    parser.add_argument("--config", help="path to autoapply.yaml (default: ./autoapply.yaml)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"common.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the process exit code."""
    from common.logging import configure

    parser = build_parser()
    args = parser.parse_args(argv)
    # log lines to stderr whatever their format: stdout is the command's output (`--json`)
    configure(level="WARNING" if not getattr(args, "verbose", False) else "INFO", to_stderr=True)
    try:
        return int(args.func(args) or 0)
    except AutoapplyError as exc:
        from common.terminal import plain

        print(f"autoapply: {plain(exc.message, one_line=True)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `autoapply score ... | head`: the reader left; not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a bug: still one line, the traceback on request
        if os.environ.get("AUTOAPPLY_DEBUG"):
            raise
        print(
            f"autoapply: unexpected {type(exc).__name__}: {one_line(str(exc))[:300]} (a bug; "
            "run again with AUTOAPPLY_DEBUG=1 for the traceback and report it)",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
