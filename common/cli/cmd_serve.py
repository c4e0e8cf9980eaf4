"""``autoapply serve``: all five functions over HTTP on one port, wired by the in-process bus.

Routes are the cloud's: ``POST /webhooks/apify``, ``POST /runs``, ``POST /tasks/...`` go to
scrape; ``GET /api/health/...`` to health. Published messages are pushed as Pub/Sub
CloudEvents to the analyze, generate_docs and send_email functions, as Eventarc would.
"""

from __future__ import annotations

import argparse
from typing import Any

from common.cli.prepare import checked_runtime
from common.preflight import Needs


def register(sub: Any) -> None:
    parser = sub.add_parser("serve", help="run every function locally over HTTP")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from werkzeug.serving import run_simple

    from common.local_server import LocalServer

    server = LocalServer(checked_runtime(args, Needs(store=True)))
    server.start_pump()
    print(f"autoapply serving on http://{args.host}:{args.port}")
    print(f"  curl -X GET  http://{args.host}:{args.port}/api/health/integrations")
    print(
        f"  curl -X POST http://{args.host}:{args.port}/webhooks/apify "
        "-H 'X-Autoapply-Webhook-Secret: $APIFY_WEBHOOK_SECRET' -d @webhook.json"
    )
    try:
        run_simple(args.host, args.port, server, threaded=True, use_reloader=False)
    finally:
        server.stop_pump()
    return 0
