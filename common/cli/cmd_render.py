"""``autoapply render --profile PROFILE [--job FILE|ID] --out DIR``: look at your documents.

Renders the resume (and, given a job, the cover letter) straight from the files, without the
pipeline: the shipped templates, or your own with ``--templates DIR``. The job is a file
holding one item of any supported Apify actor (as exported), or a job record as JSON (title,
company, description, ...), or the id of a job in the store of ``autoapply.yaml``.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pydantic

from common.documents.templates import Templates
from common.domain.candidate import Profile
from common.domain.job import Job
from common.errors import ValidationError, first_problem
from common.jsonsafe import loads
from common.services.documents import make_documents
from common.terminal import plain


def register(sub: Any) -> None:
    parser = sub.add_parser("render", help="render your resume (and a letter) to a folder")
    parser.add_argument("--profile", required=True, help="your JSON Resume file (JSON or YAML)")
    parser.add_argument(
        "--job",
        help="a posting: a JSON file (an Apify item of a supported actor, or a job record with "
        "title, company, description) or the id of a job in the store",
    )
    parser.add_argument("--out", required=True, help="folder to write the files into")
    parser.add_argument(
        "--templates", help="folder with your resume.typ / letter.typ / reference.docx"
    )
    parser.set_defaults(func=run)


def load_job(path: Path) -> Job:
    """A job from a JSON file: an Apify item of a supported actor, or a job record (``id``
    defaults to the file name). Errors name the file and the problem, in one line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"job file {path}: cannot be read ({exc.strerror})") from exc
    raw = loads(data, f"job file {path}")
    if isinstance(raw, list) and len(raw) == 1:  # an export of one item
        raw = raw[0]
    if not isinstance(raw, dict):
        raise ValidationError(
            f"job file {path}: expected one JSON object (an Apify item or a job record)"
        )
    from common.normalize.registry import Rejection, normalize

    item = normalize(raw, datetime.now(UTC))
    if not isinstance(item, Rejection):
        return item
    if not item.reason.startswith(("unknown item shape", "ambiguous item shape")):
        raise ValidationError(f"job file {path}: {item.reason}")
    for key in ("title", "company"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValidationError(
                f"job file {path}: field '{key}': expected text (a job record needs title "
                "and company; or give one item of a supported Apify actor)",
                field=key,
            )
    raw = {**raw, "id": str(raw.get("id") or path.stem)}
    if isinstance(raw.get("location"), str):  # "Berlin, Germany" as people write it
        raw["location"] = {"city": raw["location"]}
    try:
        return Job.model_validate(raw)
    except pydantic.ValidationError as exc:
        where, msg, _ = first_problem(exc)
        raise ValidationError(f"job file {path}: field '{where}': {msg}", field=where) from exc


def job_from_store(job_id: str, config: str | None) -> Job:
    """The job ``job_id`` of the configured store."""
    from common.runtime import build_runtime
    from common.settings import load_settings
    from common.store.collections import JOBS

    rt = build_runtime(load_settings(Path(config) if config else None))
    doc = rt.store.get(JOBS, job_id)
    if doc is None:
        raise ValidationError(
            f"--job {job_id}: no such file, and no job with that id in the store "
            f"({rt.settings.data_dir}); `autoapply status` lists the jobs",
            field="job",
        )
    return Job.from_doc(doc)


def run(args: argparse.Namespace) -> int:
    profile = Profile.load(Path(args.profile))
    job = None
    if args.job:
        path = Path(args.job)
        exists = path.suffix.lower() == ".json" or path.exists()
        job = load_job(path) if exists else job_from_store(args.job, getattr(args, "config", None))
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
        print(plain(f"guard: {event.action} {event.field}: {event.text[:80]}", one_line=True))
    for note in content.notes:
        print(plain(f"note: {note}", one_line=True))
    return 0
