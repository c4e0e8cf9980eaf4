"""``autoapply auth gmail``: the one-time installed-app OAuth flow for a personal Gmail account.

It opens (or prints) Google's consent page, receives the answer on a local port, and prints
the refresh token to store as secret ``gmail-refresh-token`` (with the OAuth client's id and
secret as ``gmail-client-id`` / ``gmail-client-secret``).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from common.errors import ConfigError, ValidationError
from common.jsonsafe import loads

SECRET_COMMANDS = """\
Store these as secrets (Secret Manager):
  printf %s '{refresh_token}' | gcloud secrets versions add gmail-refresh-token --data-file=-
  printf %s '{client_id}' | gcloud secrets versions add gmail-client-id --data-file=-
  printf %s '<client_secret from {file}>' |
    gcloud secrets versions add gmail-client-secret --data-file=-
or locally, in .env: GMAIL_REFRESH_TOKEN, GMAIL_CLIENT_ID, GMAIL_CLIENT_SECRET.
If the OAuth consent screen is in 'Testing' status, Google expires this token after 7 days:
publish the app ('In production') for a lasting token."""


def register(sub: Any) -> None:
    parser = sub.add_parser("auth", help="one-time authorizations (auth gmail)")
    which = parser.add_subparsers(dest="service", required=True, metavar="SERVICE")
    gmail = which.add_parser("gmail", help="authorize Gmail and print the refresh token")
    gmail.add_argument(
        "--client-secrets",
        required=True,
        help="OAuth client file of type 'Desktop app' downloaded from the Google Cloud console",
    )
    gmail.add_argument("--port", type=int, default=0, help="local port for the answer (0: any)")
    gmail.add_argument(
        "--no-browser", action="store_true", help="print the consent URL instead of opening it"
    )
    gmail.set_defaults(func=run)


def read_client(path: str) -> dict[str, Any]:
    """The ``installed`` section of a Desktop-app OAuth client file; ConfigError otherwise."""
    file = Path(path)
    try:
        data = loads(file.read_bytes(), f"--client-secrets {file}")
    except OSError as exc:
        raise ConfigError(f"--client-secrets: cannot read {file} ({exc.strerror})") from exc
    except ValidationError as exc:
        raise ConfigError(f"--client-secrets: {file} is not JSON ({exc.message})") from exc
    client = data.get("installed") if isinstance(data, dict) else None
    if not isinstance(client, dict) or not client.get("client_id"):
        raise ConfigError(
            f"--client-secrets: {file} is not a 'Desktop app' OAuth client (expected an "
            "'installed' section with client_id); create one under APIs & Services > Credentials"
        )
    return client


def run(args: argparse.Namespace) -> int:
    from google_auth_oauthlib.flow import InstalledAppFlow

    from common.adapters.gmail import SCOPES

    client = read_client(args.client_secrets)
    flow = InstalledAppFlow.from_client_secrets_file(args.client_secrets, scopes=SCOPES)
    creds = flow.run_local_server(
        host="localhost",
        port=args.port,
        open_browser=not args.no_browser,
        authorization_prompt_message="Open this URL to authorize autoapply: {url}",
        access_type="offline",
        prompt="consent",
    )
    if not creds.refresh_token:
        raise ConfigError("Google returned no refresh token; revoke the app's access and retry")
    print(f"refresh token: {creds.refresh_token}")
    print(
        SECRET_COMMANDS.format(
            refresh_token=creds.refresh_token,
            client_id=client["client_id"],
            file=args.client_secrets,
        )
    )
    return 0
