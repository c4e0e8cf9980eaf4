"""The bad-input corpus: malformed settings, profiles, datasets and job files (written here).

``python -m tests.helpers.bad_input`` writes it to ``tests/fixtures/bad_input/``: a ``base/``
folder with good files (settings, profile, dataset, job) and one folder per case under
``cases/`` whose files replace or join them, and ``cases.json``: each case's name, what it
breaks (``needs``: which commands read it) and a text its one-line error must contain.
``tests/functional/cli/test_bad_input.py`` runs every command that reads a case over it.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "bad_input"

PROFILE: dict[str, Any] = {
    "basics": {
        "name": "Mira Sandberg",
        "label": "Data Engineer",
        "email": "mira.sandberg@example.org",
        "location": {"city": "Hamburg", "countryCode": "DE"},
    },
    "work": [
        {
            "name": "Hafenlicht Logistik",
            "position": "Data Engineer",
            "startDate": "2021-03",
            "highlights": ["Built Python pipelines on BigQuery"],
        }
    ],
    "skills": [{"name": "Python"}, {"name": "SQL"}],
}
SETTINGS = "profile: profile.json\nsending: {mode: outbox}\n"
DATA = SETTINGS + "data_dir: data\n"


def item(n: int) -> dict[str, Any]:
    """A synthetic item in the shape of ``bebity/linkedin-jobs-scraper``."""
    return {
        "id": str(7100 + n),
        "jobUrl": f"https://www.linkedin.com/jobs/view/{7100 + n}/",
        "companyName": f"Werft {n}",
        "title": "Data Engineer",
        "location": "Hamburg, Germany",
        "postedTime": "2 days ago",
        "descriptionHtml": f"<p>Python and SQL for our data platform {n}.</p>",
    }


GOOD_ITEMS = [json.dumps(item(n)) for n in range(3)]
DEEP = "[" * 3000 + "]" * 3000


def _profile(**basics: Any) -> str:
    return json.dumps({**PROFILE, "basics": {**PROFILE["basics"], **basics}})


def _with(**parts: Any) -> str:
    return json.dumps({**PROFILE, **parts})


#: settings that are not valid: every command reading autoapply.yaml refuses them
SETTINGS_CASES: dict[str, tuple[str | bytes, str]] = {
    "yaml-tab": ("searches:\n\t- name: x\n", "not valid YAML"),
    "yaml-unclosed-flow": ("filters: {locations: [Berlin\n", "not valid YAML"),
    "yaml-unclosed-quote": ('profile: "profile.json\n', "not valid YAML"),
    "yaml-bad-indent": ("sending:\n  mode: outbox\n daily_cap: 3\n", "not valid YAML"),
    "yaml-undefined-alias": ("sending: *missing\n", "not valid YAML"),
    "yaml-duplicate-anchor-use": ("a: &x 1\nb: *y\n", "not valid YAML"),
    "yaml-nul": ("profile: profile.json\x00\n", "YAML"),
    "yaml-directive-only": ("%YAML 1.1\n%YAML 1.1\n---\n", "not valid YAML"),
    "not-utf8": (b"profile: \xff\xfe\xfd\n", "not UTF-8"),
    "utf16": (SETTINGS.encode("utf-16"), "not UTF-8"),
    "binary": (bytes(range(256)), "not UTF-8"),
    "top-level-list": ("- profile.json\n- sending\n", "expected a mapping"),
    "top-level-text": ("just some text\n", "expected a mapping"),
    "deep": ("searches: " + DEEP + "\n", "nested deeper"),
    "alias-bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n"
            for i in range(7)
        ),
        "more than",
    ),
    "unknown-key": ("profiel: profile.json\n", "profiel"),
    "unknown-nested-key": ("profile: profile.json\nsending: {mod: send}\n", "sending.mod"),
    "int-key": ("profile: profile.json\n1: 2\n", "'1'"),
    "daily-cap-text": ("sending: {daily_cap: many}\n", "sending.daily_cap"),
    "daily-cap-negative": ("sending: {daily_cap: -1}\n", "sending.daily_cap"),
    "daily-cap-infinite": ("sending: {daily_cap: .inf}\n", "sending.daily_cap"),
    "daily-cap-overflow": ("sending: {daily_cap: 1e400}\n", "sending.daily_cap"),
    "send-mode": ("sending: {mode: email}\n", "sending.mode"),
    "sending-null": ("sending: null\n", "'sending'"),
    "sending-list": ("sending: [outbox]\n", "'sending'"),
    "quiet-hours": ("sending: {quiet_hours: {start: 25, end: 8}}\n", "quiet_hours.start"),
    "timezone": ("sending: {timezone: Mars/Olympus}\n", "sending.timezone"),
    "attach": ("sending: {attach: zip}\n", "sending.attach"),
    "store-backend": ("backends: {store: mongo}\n", "backends.store"),
    "backends-list": ("backends: [sqlite]\n", "'backends'"),
    "analyzer-backend": ("backends: {analyzer: gpt}\n", "backends.analyzer"),
    "scoring-list": ("scoring: [70, 50]\n", "'scoring'"),
    "scoring-text": ("scoring: {apply_threshold: high}\n", "scoring.apply_threshold"),
    "searches-mapping": ("searches: {name: x}\n", "'searches'"),
    "search-without-actor": ("searches: [{name: x, input: {}}]\n", "searches.0.actor"),
    "remote": ("filters: {remote: sometimes}\n", "filters.remote"),
    "salary-floor": ("filters: {salary_floor: {amount: lots}}\n", "salary_floor.amount"),
    "locations-text": ("filters: {locations: 5}\n", "filters.locations"),
    "gemini-temperature": ("gemini: {temperature: 5}\n", "gemini.temperature"),
    "gemini-rpm-zero": ("gemini: {requests_per_minute: 0}\n", "requests_per_minute"),
    "webhook-url": ("apify: {webhook_url: 'evil'}\n", "apify.webhook_url"),
    "retry-zero": ("resilience: {retry: {max_attempts: 0}}\n", "max_attempts"),
    "data-dir-number": ("data_dir: 42\n", "'data_dir'"),
    "data-dir-list": ("data_dir: [a, b]\n", "'data_dir'"),
    "profile-list": ("profile: []\n", "'profile'"),
    "documents-rephrase-text": ("documents: {rephrase: perhaps}\n", "documents.rephrase"),
}

#: settings that parse but point the store somewhere unusable (extra files beside them)
STORE_CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "data-dir-is-a-file": (
        {"autoapply.yaml": SETTINGS + "data_dir: notadir\n", "notadir": "a file\n"},
        "is a file",
    ),
    "data-dir-under-a-file": (
        {"autoapply.yaml": SETTINGS + "data_dir: notadir/sub\n", "notadir": "a file\n"},
        "cannot be created",
    ),
    "data-dir-dev-null": ({"autoapply.yaml": SETTINGS + "data_dir: /dev/null\n"}, "is a file"),
    "data-dir-not-writable": (
        {"autoapply.yaml": SETTINGS + "data_dir: /proc/autoapply-data\n"},
        "cannot be written",
    ),
    "sqlite-not-a-database": (
        {"autoapply.yaml": DATA, "data/autoapply.sqlite3": b"this is not a database\n" * 10},
        "not a SQLite database",
    ),
    "objects-is-a-file": ({"autoapply.yaml": DATA, "data/objects": "a file\n"}, "objects is a"),
    "outbox-is-a-file": ({"autoapply.yaml": DATA, "data/outbox": "a file\n"}, "outbox is a"),
    "gcs-without-bucket": (
        {"autoapply.yaml": SETTINGS + "backends: {objects: gcs}\n"},
        "gcp.bucket",
    ),
    "pubsub-without-project": (
        {"autoapply.yaml": SETTINGS + "backends: {bus: pubsub}\n"},
        "gcp.project",
    ),
    "secretmanager-without-project": (
        {"autoapply.yaml": SETTINGS + "backends: {secrets: secretmanager}\n"},
        "gcp.project",
    ),
}

#: profiles the settings point at (and --profile gets) that cannot be used
PROFILE_CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "missing-file": ({"autoapply.yaml": "profile: missing.json\n"}, "missing.json"),
    "a-folder": ({"autoapply.yaml": "profile: profdir\n", "profdir/x": "x"}, "cannot be read"),
    "json-syntax": ({"profile.json": '{"basics": {"name": "Mira"'}, "not valid JSON"),
    "json-trailing-comma": ({"profile.json": '{"basics": {"name": "Mira",}}'}, "not valid JSON"),
    "yaml-tab": (
        {"autoapply.yaml": "profile: profile.yaml\n", "profile.yaml": "basics:\n\tname: M\n"},
        "not valid YAML",
    ),
    "yaml-unclosed": (
        {"autoapply.yaml": "profile: profile.yaml\n", "profile.yaml": "basics: {name: [M\n"},
        "not valid YAML",
    ),
    "top-level-list": ({"profile.json": "[1, 2]"}, "JSON Resume object"),
    "empty": ({"profile.json": ""}, "not valid JSON"),
    "null": ({"profile.json": "null"}, "JSON Resume object"),
    "no-basics": ({"profile.json": json.dumps({"work": []})}, "basics"),
    "basics-text": ({"profile.json": json.dumps({"basics": "Mira"})}, "basics"),
    "no-name": ({"profile.json": json.dumps({"basics": {"label": "x"}})}, "basics.name"),
    "name-number": ({"profile.json": json.dumps({"basics": {"name": 5}})}, "basics.name"),
    "work-object": ({"profile.json": _with(work={"name": "x"})}, "work"),
    "highlights-text": (
        {"profile.json": _with(work=[{"name": "x", "highlights": "did things"}])},
        "work.0.highlights",
    ),
    "start-date-number": (
        {"profile.json": _with(work=[{"name": "x", "startDate": 2020}])},
        "work.0.startDate",
    ),
    "skill-without-name": ({"profile.json": _with(skills=[{"level": "x"}])}, "skills.0.name"),
    "profiles-text": ({"profile.json": _profile(profiles="github")}, "basics.profiles"),
    "email-invalid": ({"profile.json": _profile(email="mira-at-example")}, "basics.email"),
    "email-two": ({"profile.json": _profile(email="a@example.org, b@example.org")}, "basics.email"),
    "email-injection": (
        {"profile.json": _profile(email="a@example.org\r\nBcc: x@evil.example")},
        "basics.email",
    ),
    "deep": ({"profile.json": '{"basics": ' + DEEP + "}"}, "nested deeper"),
    "not-utf8": ({"profile.json": b'{"basics": {"name": "\xff"}}'}, "not UTF-8"),
    "utf16": ({"profile.json": json.dumps(PROFILE).encode("utf-16")}, "not UTF-8"),
    "nul-bytes": ({"profile.json": b"\x00" * 64}, "not valid JSON"),
}

#: profiles that load but cannot be an email's sender (``run`` composes emails)
SENDER_CASES: dict[str, tuple[dict[str, str | bytes], str]] = {
    "no-email": (
        {"profile.json": json.dumps({**PROFILE, "basics": {"name": "Mira"}})},
        "basics.email is missing",
    ),
    "name-line-break": ({"profile.json": _profile(name="Mira\r\nBcc: x@evil.example")}, "name"),
    "name-encoded-line-break": (
        {"profile.json": _profile(name="Mira =?utf-8?b?DQpCY2M6IGFAZXZpbC5leGFtcGxl?=")},
        "name",
    ),
}

#: configured backends whose credentials are missing
SECRET_CASES: dict[str, tuple[str, dict[str, str | bytes], str]] = {
    "gemini-without-key": (
        "analyzer",
        {"autoapply.yaml": SETTINGS + "backends: {analyzer: gemini}\n"},
        "gemini-api-key",
    ),
    "gmail-without-secrets": (
        "mailer",
        {"autoapply.yaml": SETTINGS + "backends: {mailer: gmail}\n"},
        "gmail-refresh-token",
    ),
    "gmail-with-one-secret": (
        "mailer",
        {
            "autoapply.yaml": SETTINGS + "backends: {mailer: gmail}\n",
            ".env": "GMAIL_CLIENT_ID=client-1\n",
        },
        "gmail-refresh-token, gmail-client-secret",
    ),
}

#: dataset files (``run``, ``ingest``, ``score --jobs``) that are not Apify exports
DATASET_CASES: dict[str, tuple[dict[str, str | bytes], str, str]] = {
    # name: (files, the dataset argument, expected text)
    "missing-file": ({}, "missing.json", "cannot be read"),
    "a-folder": ({"folder/x": "x"}, "folder", "is a folder"),
    "truncated-array": ({"dataset.json": "[" + GOOD_ITEMS[0] + ", {"}, "dataset.json", "array"),
    "unclosed-string": ({"dataset.json": '[{"title": "Data'}, "dataset.json", "array"),
    "text": ({"dataset.json": "hello, these are jobs\n"}, "dataset.json", "not valid JSON"),
    "bad-item-after-good-ones": (
        {"dataset.json": "[" + ", ".join(GOOD_ITEMS) + ", {oops}]"},
        "dataset.json",
        "array",
    ),
    "jsonl-bad-line-after-good-ones": (
        {"dataset.jsonl": "\n".join([*GOOD_ITEMS, "{oops", GOOD_ITEMS[0]]) + "\n"},
        "dataset.jsonl",
        "dataset.jsonl:4",
    ),
    "jsonl-truncated-last-line": (
        {"dataset.jsonl": "\n".join([*GOOD_ITEMS, GOOD_ITEMS[0][:40]])},
        "dataset.jsonl",
        "dataset.jsonl:4",
    ),
    "missing-comma": ({"dataset.json": "[" + " ".join(GOOD_ITEMS) + "]"}, "dataset.json", "array"),
    "not-utf8": ({"dataset.json": b'[{"title": "\xff\xfe"}]'}, "dataset.json", "not UTF-8"),
    "utf16": (
        {"dataset.json": ("[" + GOOD_ITEMS[0] + "]").encode("utf-16")},
        "dataset.json",
        "not UTF-8",
    ),
    "deep-item": (
        {"dataset.json": "[" + GOOD_ITEMS[0] + ", " + DEEP + "]"},
        "dataset.json",
        "nested",
    ),
    "deep-jsonl-line": (
        {"dataset.jsonl": GOOD_ITEMS[0] + "\n" + DEEP + "\n"},
        "dataset.jsonl",
        "nested deeper",
    ),
    "nul-bytes": ({"dataset.json": b"\x00" * 64}, "dataset.json", "not valid JSON"),
}

#: job files for ``render --job``
JOB_CASES: dict[str, tuple[str | bytes, str]] = {
    "syntax": ('{"title": "Data Engineer"', "not valid JSON"),
    "list": ('["Data Engineer"]', "expected one JSON object"),
    "no-title": ('{"company": "Werft"}', "'title'"),
    "company-number": ('{"title": "Data Engineer", "company": 7}', "'company'"),
    "deep": ('{"title": "x", "company": "y", "extra": ' + DEEP + "}", "nested deeper"),
}


def cases() -> list[dict[str, Any]]:
    """Every case: name, needs, expected text, files, and the dataset argument."""
    out: list[dict[str, Any]] = []
    for name, (text, expect) in SETTINGS_CASES.items():
        out.append(_case(f"settings-{name}", "settings", expect, {"autoapply.yaml": text}))
    for name, (files, expect) in STORE_CASES.items():
        out.append(_case(f"store-{name}", "store", expect, files))
    for name, (files, expect) in PROFILE_CASES.items():
        out.append(_case(f"profile-{name}", "profile", expect, files))
    for name, (files, expect) in SENDER_CASES.items():
        out.append(_case(f"sender-{name}", "sender", expect, files))
    for name, (needs, files, expect) in SECRET_CASES.items():
        out.append(_case(f"secret-{name}", needs, expect, files))
    for name, (files, dataset, expect) in DATASET_CASES.items():
        out.append(_case(f"dataset-{name}", "dataset", expect, files, dataset=dataset))
    for name, (text, expect) in JOB_CASES.items():
        out.append(_case(f"job-{name}", "job", expect, {"job.json": text}))
    return out


def _case(
    name: str, needs: str, expect: str, files: dict[str, Any], dataset: str = "dataset.json"
) -> dict[str, Any]:
    return {"name": name, "needs": needs, "expect": expect, "files": files, "dataset": dataset}


def base_files() -> dict[str, str]:
    """The good files every case starts from."""
    return {
        "autoapply.yaml": SETTINGS,
        "profile.json": json.dumps(PROFILE, indent=2) + "\n",
        "dataset.json": "[\n" + ",\n".join(GOOD_ITEMS) + "\n]\n",
        "job.json": json.dumps({"title": "Data Engineer", "company": "Werft 1"}) + "\n",
    }


def _write(folder: Path, files: dict[str, Any]) -> None:
    for rel, content in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8", "surrogatepass"))


def write_corpus(root: Path = CORPUS) -> None:
    """(Re)write the corpus folder from the definitions above."""
    if root.exists():
        shutil.rmtree(root)
    _write(root / "base", base_files())
    manifest = []
    for case in cases():
        _write(root / "cases" / case["name"], case["files"])
        (root / "cases" / case["name"]).mkdir(parents=True, exist_ok=True)
        manifest.append({k: v for k, v in case.items() if k != "files"})
    (root / "cases.json").write_text(json.dumps(manifest, indent=1) + "\n")


if __name__ == "__main__":
    write_corpus(Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS)
