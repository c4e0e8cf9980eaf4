"""The live tier (``make test-live``): the real Gemini, Gmail, Apify and GCP APIs, opt-in.

Collected only with ``--live`` (``tests/conftest.py``): never part of ``make test`` or CI.
Each test needs its own credentials in the environment and skips with one line naming the
variable to set. The variables are ``AUTOAPPLY_LIVE_*`` on purpose: the credentials in your
``.env`` are never picked up by accident. Endpoints follow the same overrides as the code
(``GOOGLE_GEMINI_BASE_URL``, ``AUTOAPPLY_GMAIL_ENDPOINT`` / ``AUTOAPPLY_GMAIL_TOKEN_URI``,
``AUTOAPPLY_APIFY_API_URL``, the emulator hosts, ``AUTOAPPLY_SECRETMANAGER_ENDPOINT``), which
is how the normal suite runs this tier against the local fakes (tests/functional/
test_live_tier.py). See docs/operations.md, "Live tests against a staging project".
"""

from __future__ import annotations

import os

import pytest

#: variable -> what to put in it
VARIABLES = {
    "AUTOAPPLY_LIVE_GEMINI_API_KEY": "a Gemini API key",
    "AUTOAPPLY_LIVE_GMAIL_REFRESH_TOKEN": "a test mailbox's refresh token",
    "AUTOAPPLY_LIVE_GMAIL_CLIENT_ID": "its OAuth client id",
    "AUTOAPPLY_LIVE_GMAIL_CLIENT_SECRET": "its OAuth client secret",
    "AUTOAPPLY_LIVE_APIFY_TOKEN": "an Apify API token",
    "AUTOAPPLY_LIVE_GCP_PROJECT": "a staging GCP project id",
}


def need(*names: str) -> list[str]:
    """The values of ``names``; skip the test, naming what is missing, if any is unset."""
    missing = [n for n in names if not os.environ.get(n)]
    if missing:
        what = ", ".join(f"{n} ({VARIABLES[n]})" for n in missing)
        pytest.skip(f"set {what} to run it")
    return [os.environ[n] for n in names]
