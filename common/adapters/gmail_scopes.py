"""The OAuth scopes autoapply's Gmail calls need, from Google's own discovery document.

google-api-python-client ships the Gmail discovery document
(``googleapiclient/discovery_cache/documents/gmail.v1.json``); each method there lists the
scopes that allow it (any one suffices). :data:`SCOPES` is the least privilege that covers
every method in :data:`METHODS`:

- ``gmail.compose``: drafts (create, send, delete, list) and ``messages.send``;
- ``gmail.readonly``: the mailbox search that reconciles a send whose answer was lost
  (``messages.list`` with ``q=rfc822msgid:``), reading messages and threads (reply
  tracking), and the profile read of the health check.

``gmail.modify`` alone would also cover every method, but it may trash and relabel any
message; ``https://mail.google.com/`` may delete mail for good. ``gmail.send`` is not
needed (compose covers ``messages.send``). ``gmail.metadata`` is not enough: Gmail refuses a
``q`` search with it. Reading the discovery document finds the file without importing the
client library.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

PREFIX = "https://www.googleapis.com/auth/"
FULL_ACCESS = "https://mail.google.com/"
#: every Gmail API method autoapply calls (discovery ids without the ``gmail.`` prefix)
METHODS = (
    "users.getProfile",
    "users.messages.send",
    "users.messages.list",
    "users.messages.get",
    "users.threads.get",
    "users.drafts.create",
    "users.drafts.send",
    "users.drafts.delete",
    "users.drafts.list",
)
#: the scopes ``autoapply auth gmail`` asks for: the least privilege covering METHODS
SCOPES = (f"{PREFIX}gmail.compose", f"{PREFIX}gmail.readonly")


def discovery_path() -> Path:
    """Where google-api-python-client keeps the Gmail v1 discovery document."""
    spec = importlib.util.find_spec("googleapiclient")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("google-api-python-client is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    return root / "discovery_cache" / "documents" / "gmail.v1.json"


def _methods(resources: dict, prefix: str = "") -> Iterable[tuple[str, dict]]:
    for name, resource in resources.items():
        for method, spec in resource.get("methods", {}).items():
            yield f"{prefix}{name}.{method}", spec
        yield from _methods(resource.get("resources", {}), f"{prefix}{name}.")


@lru_cache(maxsize=1)
def method_scopes() -> dict[str, frozenset[str]]:
    """Each Gmail method (``users.messages.list`` ...) with the scopes that allow it."""
    document = json.loads(discovery_path().read_text(encoding="utf-8"))
    methods = _methods(document["resources"])
    return {name: frozenset(spec.get("scopes", [])) for name, spec in methods}


def uncovered(granted: Iterable[str], methods: Iterable[str] = METHODS) -> list[str]:
    """The methods of ``methods`` that no scope in ``granted`` allows."""
    have, table = set(granted), method_scopes()
    return [m for m in methods if not table[m] & have]


def short(scope: str) -> str:
    """``gmail.readonly`` for ``https://www.googleapis.com/auth/gmail.readonly``."""
    return scope.removeprefix(PREFIX).removeprefix("https://").rstrip("/")


def missing_scopes(granted: Iterable[str]) -> list[str]:
    """The scopes of :data:`SCOPES` that would allow the methods ``granted`` does not."""
    gaps, table = uncovered(granted), method_scopes()
    return [s for s in SCOPES if any(s in table[m] for m in gaps)]


def scope_problem(granted: Iterable[str], subject: str = "the Gmail token") -> str | None:
    """A one-line explanation when ``granted`` does not allow every method autoapply uses."""
    gaps = uncovered(granted)
    if not gaps:
        return None
    need = ", ".join(short(s) for s in missing_scopes(granted)) or "?"
    return (
        f"{subject} lacks scope {need} (needed by {', '.join(gaps)}: without it a send "
        "whose answer was lost cannot be checked and stays 'sending'); run `autoapply auth "
        "gmail` again, allow every permission, and store the new gmail-refresh-token"
    )
