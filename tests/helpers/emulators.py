"""Access to the emulators that scripts/emulators.sh started (or a clear skip)."""

from __future__ import annotations

import contextlib
import os
import urllib.request
import uuid

import pytest

#: one project id per test session, so that parallel runs can share an emulator
SESSION_PROJECT = f"autoapply-test-{uuid.uuid4().hex[:8]}"


def require(var: str, what: str) -> str:
    """The emulator host in ``var``, or skip (fail when AUTOAPPLY_REQUIRE_EMULATORS=1)."""
    host = os.environ.get(var)
    if not host:
        message = f"{what} emulator not running ({var} unset): run the suite with `make test`"
        if os.environ.get("AUTOAPPLY_REQUIRE_EMULATORS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return host


def firestore_kind() -> str:
    """'official' or 'fallback' (the npm server without transaction conflicts)."""
    return os.environ.get("AUTOAPPLY_FIRESTORE_EMULATOR_KIND", "official")


def reset_firestore(host: str, project: str) -> None:
    """Delete every document of ``project`` in the emulator."""
    url = f"http://{host}/emulator/v1/projects/{project}/databases/(default)/documents"
    request = urllib.request.Request(url, method="DELETE")
    # the npm fallback has no reset route; its tests then see earlier documents
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=10).close()


def require_binary(name: str, why: str) -> str:
    """The path of program ``name``, or skip (fail in CI, where .ci/run installs it)."""
    import shutil

    path = shutil.which(name)
    if not path:
        message = f"{name} is not installed ({why})"
        if os.environ.get("CI") or os.environ.get("AUTOAPPLY_REQUIRE_EMULATORS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path
