"""``autoapply auth gmail``: the installed-app OAuth flow, with the test as the browser and the
fake server as Google's token endpoint. Google's consent page itself cannot be exercised here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from common.cli.cmd_auth import read_client
from common.errors import ConfigError
from tests.helpers.fake_gmail import FakeGmail


def _client_file(tmp_path: Path, token_uri: str) -> Path:
    path = tmp_path / "client_secret.json"
    path.write_text(
        json.dumps(
            {
                "installed": {
                    "client_id": "client-1.apps.googleusercontent.com",
                    "client_secret": "secret-1",
                    "auth_uri": "https://accounts.google.com/o/oauth2/auth",
                    "token_uri": token_uri,
                    "redirect_uris": ["http://localhost"],
                }
            }
        )
    )
    return path


def _run_flow(
    tmp_path: Path, gmail: FakeGmail, allow: list[str] | None
) -> tuple[int, str, str, set[str]]:
    """Run `autoapply auth gmail`, answer its consent URL as the user would (allowing
    ``allow``, or every scope asked for), and return (exit code, stdout, stderr, asked)."""
    client = _client_file(tmp_path, f"{gmail.url}/token")
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "OAUTHLIB_INSECURE_TRANSPORT": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "common.cli.main",
            "auth",
            "gmail",
            "--no-browser",
            "--client-secrets",
            str(client),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        line = proc.stdout.readline()
        assert line.startswith("Open this URL to authorize autoapply: "), line
        url = line.split(": ", 1)[1].strip()
        query = parse_qs(urlsplit(url).query)
        assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
        asked = set(query["scope"][0].split())
        gmail.consent("abc", asked if allow is None else allow)
        # the browser comes back to the local redirect with the code and the state
        back = f"{query['redirect_uri'][0]}?code=abc&state={query['state'][0]}"
        urllib.request.urlopen(back, timeout=10).read()
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    return proc.returncode, out, err, asked


def test_flow_asks_for_the_scopes_every_method_needs_and_prints_the_token(tmp_path: Path) -> None:
    with FakeGmail() as gmail:
        code, out, err, asked = _run_flow(tmp_path, gmail, None)
        assert asked == {
            "https://www.googleapis.com/auth/gmail.compose",
            "https://www.googleapis.com/auth/gmail.readonly",
        }
        assert code == 0, err
        assert "refresh token: 1//refresh-abc" in out
        assert "gcloud secrets versions add gmail-refresh-token" in out
        assert "7 days" in out
        # the token it printed can search the mailbox (reconcile) and send
        mailer = gmail.mailer("1//refresh-abc")
        assert mailer.find_sent(message_id="<none@example.org>") is None


def test_a_permission_left_unticked_is_refused_in_one_line(tmp_path: Path) -> None:
    """Google's consent page lets the user untick a permission: the command says which one
    is missing instead of printing a token that cannot reconcile a send."""
    with FakeGmail() as gmail:
        code, out, err, _ = _run_flow(
            tmp_path, gmail, ["https://www.googleapis.com/auth/gmail.compose"]
        )
    assert code != 0 and "refresh token" not in out
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "gmail.readonly" in lines[0], err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not JSON"),
        (json.dumps({"web": {"client_id": "x"}}), "not a 'Desktop app' OAuth client"),
    ],
)
def test_client_file_must_be_a_desktop_client(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        read_client(str(path))
    with pytest.raises(ConfigError, match="cannot read"):
        read_client(str(tmp_path / "missing.json"))
