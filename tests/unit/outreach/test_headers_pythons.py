"""The header defence on every Python the project supports (3.11 and later), not only the one
running the tests: the ``email`` package's own behaviour changed with CVE-2024-6923 (3.11.10,
3.12.5, 3.13.0), so the same hostile values are composed by each interpreter found.

Interpreters: ``$AUTOAPPLY_TEST_PYTHONS`` (paths separated by ``os.pathsep``), else
``python3.11``... on PATH and pyenv's versions; this one always. ``common.outreach.headers``
uses only the standard library, so a bare interpreter can run it.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.hostile import ENCODED_INJECTIONS, RAW_INJECTIONS

ROOT = Path(__file__).resolve().parents[3]
SUPPORTED = [(3, minor) for minor in range(11, 15)]

SCRIPT = r"""
import json, sys
from email import message_from_bytes
from email.policy import default
from email.utils import getaddresses
from common.errors import ValidationError
from common.outreach.headers import header_text, new_message, to_bytes, verify

out = []
for value in json.loads(sys.stdin.read()):
    try:
        name = header_text(value, "name")
        subject = "Application at " + header_text(value, "company")
        msg = new_message(sender_name=name, sender="a@example.org", recipient="jobs@example.com",
                          subject=subject, message_id="<m@example.org>")
        msg.set_content("letter")
        raw = to_bytes(msg)
        verify(raw, sender="a@example.org", recipients=["jobs@example.com"], subject=subject)
    except ValidationError as exc:
        out.append({"refused": exc.message})
        continue
    parsed = message_from_bytes(raw, policy=default)
    fields = ("To", "Cc", "Bcc", "Resent-To", "Resent-Cc", "Resent-Bcc")
    out.append({
        "headers": [k.lower() for k in parsed],
        "recipients": [a for f in fields for _, a in getaddresses(parsed.get_all(f, []))],
    })
print(json.dumps({"version": list(sys.version_info[:3]), "results": out}))
"""


def _version(python: str) -> tuple[int, int] | None:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:
        return None
    parts = done.stdout.split()
    return (int(parts[0]), int(parts[1])) if done.returncode == 0 and len(parts) == 2 else None


@functools.cache
def interpreters() -> dict[tuple[int, int], str]:
    """One interpreter per supported minor version found here (this one included)."""
    named = os.environ.get("AUTOAPPLY_TEST_PYTHONS")
    if named:
        candidates = [p for p in named.split(os.pathsep) if p]
    else:
        candidates = [shutil.which(f"python{a}.{b}") or "" for a, b in SUPPORTED]
        pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
        candidates += sorted(str(p) for p in pyenv.glob("3.*/bin/python3"))
    found = {sys.version_info[:2]: sys.executable}
    for python in candidates:
        version = _version(python) if python else None
        if version in SUPPORTED and version not in found:
            found[version] = python
    return found


@pytest.mark.parametrize("version", sorted(interpreters()), ids=lambda v: f"{v[0]}.{v[1]}")
def test_no_python_lets_a_value_add_a_header(version: tuple[int, int]) -> None:
    python = interpreters()[version]
    values = ENCODED_INJECTIONS + RAW_INJECTIONS + ["=?utf-8?q?M=C3=BCller?= GmbH"]
    done = subprocess.run(
        [python, "-c", SCRIPT],
        input=json.dumps(values),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert tuple(report["version"][:2]) == version
    built = ["from", "to", "subject", "message-id", "content-type", "content-transfer-encoding"]
    built.append("mime-version")
    for value, result in zip(values, report["results"], strict=True):
        if "refused" in result:
            assert "not allowed in a header" in result["refused"], value
            continue
        assert sorted(result["headers"]) == sorted(built), (value, result)
        assert result["recipients"] == ["jobs@example.com"], (value, result)
    assert "refused" not in report["results"][-1]  # the harmless encoded word goes through
