"""``autoapply digest``: the digest of new matches, now (``run`` writes one at its end).

Locally it is an ``.eml`` in ``<data_dir>/digests``; with ``backends.mailer: gmail`` it is sent
to your own address (one send of the daily cap). A digest lists each match once.
"""

from __future__ import annotations

import argparse
from typing import Any

from common.cli.output import cell, console
from common.cli.prepare import checked_runtime
from common.preflight import Needs


def register(sub: Any) -> None:
    parser = sub.add_parser("digest", help="send or write the digest of new matches")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from common.handlers import send_digest

    rt = checked_runtime(args, Needs(store=True, profile=True, sender=True, mailer=True))
    print_digest(send_digest(rt))
    return 0


def print_digest(result: Any) -> None:
    """One line: what the digest did and where it went."""
    if result.status in ("written", "sent", "done"):
        where = f": {result.delivery}" if result.delivery else ""
        line = f"digest {result.status} ({result.items} item(s)){where}"
    elif result.status == "waiting":
        line = "digest waits for the daily cap; it goes out with the next one"
    else:
        line = f"digest: {result.status}"
    console().print(cell(line))
