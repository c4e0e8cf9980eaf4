"""``autoapply auth gmail``: the one-time installed-app OAuth flow for a personal Gmail account.

It asks for the scopes of :data:`common.adapters.gmail_scopes.SCOPES` (drafts and sending,
and reading the mailbox to reconcile a send whose answer was lost), opens (or prints)
Google's consent page, receives the answer on a local port, checks that every permission was
granted (the page lets the user untick one), and prints the refresh token to store as secret
``gmail-refresh-token`` (with the OAuth client's id and secret as ``gmail-client-id`` /
``gmail-client-secret``).
"""

from __future__ import annotations

import argparse
import os
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


def granted_scopes(creds: Any) -> list[str]:
    """The scopes Google granted (the token answer's ``scope``), as a list."""
    granted = getattr(creds, "granted_scopes", None) or getattr(creds, "scopes", None) or []
    return granted.split() if isinstance(granted, str) else list(granted)


def run(args: argparse.Namespace) -> int:
    from google_auth_oauthlib.flow import InstalledAppFlow

    from common.adapters.gmail_scopes import SCOPES, scope_problem

    client = read_client(args.client_secrets)
    # the consent page lets the user untick a permission: check what was granted ourselves
    # instead of oauthlib's "Scope has changed" exception
    os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")
    flow = InstalledAppFlow.from_client_secrets_file(args.client_secrets, scopes=list(SCOPES))
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
    problem = scope_problem(granted_scopes(creds), subject="the authorization")
    if problem:
        raise ConfigError(problem)
    print(f"refresh token: {creds.refresh_token}")
    print(
        SECRET_COMMANDS.format(
            refresh_token=creds.refresh_token,
            client_id=client["client_id"],
            file=args.client_secrets,
        )
    )
    return 0
