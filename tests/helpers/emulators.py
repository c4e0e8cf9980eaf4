"""Access to the emulators that scripts/emulators.sh started (or a clear skip)."""

from __future__ import annotations

import os
import urllib.request
import uuid
from typing import NoReturn

import pytest

#: one project id per test session, so that parallel runs can share an emulator
SESSION_PROJECT = f"autoapply-test-{uuid.uuid4().hex[:8]}"


def strict() -> bool:
    """True in CI (``CI`` or ``AUTOAPPLY_REQUIRE_EMULATORS=1``): nothing the tests need may skip."""
    return bool(os.environ.get("CI")) or os.environ.get("AUTOAPPLY_REQUIRE_EMULATORS") == "1"


def skip_or_fail(message: str) -> NoReturn:
    """Skip a test whose service or tool is missing here; fail instead in CI."""
    if strict():
        pytest.fail(message)
    pytest.skip(message)


def require(var: str, what: str) -> str:
    """The emulator host in ``var``, or skip (fail in CI)."""
    host = os.environ.get(var)
    if not host:
        skip_or_fail(f"{what} emulator not running ({var} unset): run the suite with `make test`")
    return host


def require_official_firestore(why: str) -> None:
    """Skip (fail in CI) unless the official Firestore emulator runs, for ``why``."""
    if firestore_kind() != "official":
        skip_or_fail(f"{why}: only the official Firestore emulator has them")


def firestore_kind() -> str:
    """'official' or 'fallback' (the npm server without transaction conflicts)."""
    return os.environ.get("AUTOAPPLY_FIRESTORE_EMULATOR_KIND", "official")


def reset_firestore(host: str, project: str) -> None:
    """Delete every document of ``project`` in the emulator.

    The npm fallback has no reset route (its tests then see earlier documents); with the
    official emulator a failed reset fails the test instead of leaking state into the next.
    """
    url = f"http://{host}/emulator/v1/projects/{project}/databases/(default)/documents"
    request = urllib.request.Request(url, method="DELETE")
    try:
        urllib.request.urlopen(request, timeout=10).close()
    except OSError as exc:
        if firestore_kind() == "official":
            pytest.fail(f"Firestore emulator reset failed at {host}: {exc}")


def require_binary(name: str, why: str) -> str:
    """The path of program ``name``, or skip (fail in CI, where .ci/run installs it)."""
    import shutil

    path = shutil.which(name)
    if not path:
        skip_or_fail(f"{name} is not installed ({why})")
    return path
