"""``autoapply status [--json] [--health]``: jobs and applications by state, the matches you
apply to yourself (no address code may send to, with why and the apply link), and the answer
rate; or (``--health``) the integrations as the health function reports them."""

from __future__ import annotations

import argparse
import json
from typing import Any

from common.cli.output import cell, console, table
from common.cli.prepare import checked_runtime
from common.preflight import Needs
from common.runtime import Runtime

#: matches listed in the terminal (all of them are in --json, the digest and the report)
SHOWN = 20


def register(sub: Any) -> None:
    parser = sub.add_parser("status", help="show jobs and applications by state")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--health",
        action="store_true",
        help="the integrations' health, as GET /api/health/integrations (exit 1 when down)",
    )
    parser.set_defaults(func=run)


def apply_yourself(store: Any) -> list[dict[str, Any]]:
    """Matches with no application address code may send to: why, and where to apply."""
    from common.ports import Where
    from common.services.review import apply_url
    from common.store.collections import APPLICATIONS, JOBS

    rows = store.query(APPLICATIONS, [Where("status", "==", "no_contact")])
    jobs = store.get_many(JOBS, [doc["job_id"] for _, doc in rows])
    out = [
        {
            "id": app_id,
            "title": doc.get("title"),
            "company": doc.get("company"),
            "score": doc.get("score"),
            "why": doc.get("reason"),
            "apply_url": apply_url(jobs.get(doc["job_id"], {})),
        }
        for app_id, doc in rows
    ]
    return sorted(out, key=lambda r: -(r["score"] or 0))


def run(args: argparse.Namespace) -> int:
    from common.services.replies import response_rates
    from common.services.status import current_status

    rt = checked_runtime(args, Needs(store=True))
    if args.health:
        return _health(rt, args.json)
    status = current_status(rt.store)
    yourself = apply_yourself(rt.store)
    answers = response_rates(rt.store)
    if args.json:
        body = {
            **status.to_dict(),
            "apply_yourself": yourself,
            "answers": answers,
            "data_dir": str(rt.settings.data_path),
        }
        print(json.dumps(body, indent=2))
        return 0
    out = console()
    funnel = table("pipeline", ["stage", "count"])
    for stage, count in status.funnel():
        funnel.add_row(stage, str(count))
    out.print(funnel)
    for title, counter in (("jobs", status.jobs), ("applications", status.applications)):
        detail = table(f"{title} by state", ["state", "count"])
        for state, count in sorted(counter.items()):
            detail.add_row(cell(state), str(count))
        out.print(detail)
    if yourself:
        out.print(
            f"{len(yourself)} match(es) have no address code may send to (no_contact): "
            "apply through their link; the digest carries their documents",
            style="bold",
        )
        for row in yourself[:SHOWN]:
            out.print(cell(f"  {row['score']}  {row['title']} at {row['company']}"))
            out.print(cell(f"      apply: {row['apply_url'] or '-'}"))
            out.print(cell(f"      why:   {row['why'] or '-'}"))
        if len(yourself) > SHOWN:
            out.print(f"  ... and {len(yourself) - SHOWN} more (status --json, the report)")
    for axis, title in (("source", "answers by source"), ("score", "answers by score band")):
        if answers.get(axis):
            rates = table(title, [axis, "sent", "answered", "%"])
            for key, v in answers[axis].items():
                rates.add_row(
                    cell(key), str(v["sent"]), str(v["answered"]), f"{round(v['rate'] * 100)}"
                )
            out.print(rates)
    out.print(cell(f"data folder: {rt.settings.data_path}"))
    return 0


def _health(rt: Runtime, as_json: bool) -> int:
    """The health function's view of the integrations (the same checks, the same body)."""
    from common.services import health

    body, code = health.integrations(rt)
    if as_json:
        print(json.dumps(body, indent=2))
        return 0 if code == 200 else 1
    view = table(
        f"integrations: {body['status']}", ["integration", "status", "ms", "breaker", "last error"]
    )
    problems = []
    for name, entry in body["integrations"].items():
        latency = entry["latency_ms"]
        view.add_row(
            cell(f"{entry['kind']}/{name}"),
            cell(entry["status"] if entry["enabled"] else "not in use"),
            "" if latency is None else f"{latency:.0f}",
            cell(entry["breaker"] or ""),
            cell(entry["last_error"] or ""),
        )
        if entry.get("error"):
            problems.append(f"{name}: {entry['error']['message']}")
    out = console()
    out.print(view)
    for line in problems:
        out.print(cell(line))
    return 0 if code == 200 else 1
