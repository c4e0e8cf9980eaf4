"""``autoapply replay``: re-publish dead letters once the cause is fixed (each at most once)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from common.cli.prepare import checked_runtime
from common.events import DEAD_LETTERS, TOPICS
from common.preflight import Needs
from common.services.dead_letters import pending, replay
from common.terminal import plain


def register(sub: Any) -> None:
    parser = sub.add_parser("replay", help="re-publish dead letters (each one once)")
    parser.add_argument("--topic", choices=[t for t in TOPICS if t != DEAD_LETTERS])
    parser.add_argument("--limit", type=int, default=None, help="replay at most N")
    parser.add_argument("--dry-run", action="store_true", help="list them, publish nothing")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    rt = checked_runtime(args, Needs(store=True))
    if args.dry_run:
        waiting = pending(rt.store, args.topic)[: args.limit]
        body: dict[str, Any] = {
            "pending": [{"id": i, "topic": d["topic"], "reason": d["reason"]} for i, d in waiting]
        }
    else:
        local = rt.settings.backends.bus == "local"
        if local:  # no Pub/Sub to deliver them: run the handlers in this process
            from common.services.pipeline import attach_handlers

            attach_handlers(rt)
        report = replay(rt.store, rt.bus, rt.clock, topic=args.topic, limit=args.limit)
        if local:
            rt.bus.drain()  # type: ignore[attr-defined]
        body = report.to_dict()
    if args.json:
        print(json.dumps(body, indent=2))
    elif args.dry_run:
        for item in body["pending"]:
            print(plain(f"{item['id']}  {item['topic']}  {item['reason']}", one_line=True))
        print(f"{len(body['pending'])} dead letter(s) waiting")
    else:
        print(f"replayed {len(body['replayed'])}, skipped {len(body['skipped'])}")
    return 0
