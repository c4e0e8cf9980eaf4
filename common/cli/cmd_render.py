"""``autoapply render --profile PROFILE [--job FILE] --out DIR``: look at your documents.

Renders the resume (and, given a job file, the cover letter) straight from the files, without
the pipeline or any store: the shipped templates, or your own with ``--templates DIR``.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from common.documents.templates import Templates
from common.domain.candidate import Profile
from common.domain.job import Job
from common.errors import ValidationError, first_problem
from common.jsonsafe import loads
from common.services.documents import make_documents


def register(sub: Any) -> None:
    parser = sub.add_parser("render", help="render your resume (and a letter) to a folder")
    parser.add_argument("--profile", required=True, help="your JSON Resume file (JSON or YAML)")
    parser.add_argument("--job", help="a job as JSON: title, company, description, ...")
    parser.add_argument("--out", required=True, help="folder to write the files into")
    parser.add_argument(
        "--templates", help="folder with your resume.typ / letter.typ / reference.docx"
    )
    parser.set_defaults(func=run)


def load_job(path: Path) -> Job:
    """A job record from a JSON file; ``id`` defaults to the file name."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"job file {path}: cannot be read ({exc.strerror})") from exc
    raw = loads(data, f"job file {path}")
    if not isinstance(raw, dict):
        raise ValidationError(f"job file {path}: expected a JSON object with title and company")
    for key in ("title", "company"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValidationError(f"job file {path}: field '{key}': expected text", field=key)
    raw.setdefault("id", path.stem)
    import pydantic

    try:
        return Job.from_doc(raw)
    except pydantic.ValidationError as exc:
        where, msg, _ = first_problem(exc)
        raise ValidationError(f"job file {path}: field '{where}': {msg}", field=where) from exc


def run(args: argparse.Namespace) -> int:
    profile = Profile.load(Path(args.profile))
    job = load_job(Path(args.job)) if args.job else None
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ValidationError(f"--out {out} is a file: give a folder to write the documents into")
    templates = Templates()
    if args.templates:
        if not Path(args.templates).is_dir():
            raise ValidationError(f"--templates {args.templates}: expected a folder of templates")
        from common.adapters.objects_local import LocalObjectStore

        templates = Templates(LocalObjectStore(args.templates), prefix="", seed=False)
    content, files = make_documents(profile, job, None, templates=templates, today=date.today())
    out.mkdir(parents=True, exist_ok=True)
    for f in files:
        (out / f.filename).write_bytes(f.data)
        print(out / f.filename)
    for event in content.events:
        print(f"guard: {event.action} {event.field}: {event.text[:80]}")
    return 0
