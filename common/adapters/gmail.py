"""Gmail API adapter (google-api-python-client): drafts, sends, approvals and the mailbox search
that reconciles a send whose answer was lost.

Transport: google-api-python-client's default transport (httplib2) sends a request again when
the connection drops before the answer arrives (its "stale connection" rule), which for
``messages.send`` means a second email. This adapter gives the client a transport without any
retry (requests through google-auth's ``AuthorizedSession``, which still refreshes the access
token). A lost answer becomes :class:`OutcomeUnknown` and the caller reconciles.

Scopes: the credential refreshes without naming scopes, so the access token carries what
the refresh token was granted (Google refuses a refresh that asks for more, which would stop
an older token from even sending). A method the token's scopes do not allow is refused with
403 ``insufficientPermissions``: an AuthError naming the missing scope (see
:mod:`common.adapters.gmail_scopes` for what ``autoapply auth gmail`` asks for).

Errors are translated here: 429 and rate-limit 403 -> RetryableError (nothing was sent);
``dailyLimitExceeded``, and the mailbox sending limit (a 429 "User-rate limit exceeded.
Retry after <time> (Mail sending)", which lasts for hours) -> DailyLimitExceeded with Gmail's
retry time; ``invalid_grant`` or a missing scope ->
AuthError naming the cause and the fix; a timeout, a dropped connection or a 5xx on a send ->
OutcomeUnknown.
"""

from __future__ import annotations

import base64
import json
import re
import threading
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

from common.adapters.gmail_scopes import SCOPES, method_scopes, short
from common.errors import (
    AuthError,
    AutoapplyError,
    ConfigError,
    DailyLimitExceeded,
    NotFoundError,
    OutcomeUnknown,
    PermanentError,
    RetryableError,
    ValidationError,
)
from common.ports import MailResult, ThreadAnswer
from common.resilience.guard import Guard

TOKEN_URI = "https://oauth2.googleapis.com/token"
RATE_REASONS = {"rateLimitExceeded", "userRateLimitExceeded"}
SCOPE_REASONS = {"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"}
#: Gmail's words for the mailbox sending limit, and the retry time it gives
SENDING_LIMIT = "(Mail sending)"
RETRY_AT = re.compile(r"Retry after (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)")
INVALID_GRANT = (
    "Gmail refused the refresh token (invalid_grant): it was revoked, or it expired after 7 "
    "days because the OAuth app is in 'Testing' status (publish the app to 'In production' "
    "for long-lived tokens). Run `autoapply auth gmail` and store the new token as secret "
    "'gmail-refresh-token'."
)


class _NoRetryHttp:
    """The httplib2-shaped ``request`` googleapiclient calls, over requests, never retried."""

    def __init__(self, credentials: Any, timeout: float) -> None:
        from google.auth.transport.requests import AuthorizedSession

        self.session = AuthorizedSession(credentials)
        self.timeout = timeout

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        **_: Any,
    ) -> tuple[Any, bytes]:
        import httplib2

        answer = self.session.request(
            method, uri, data=body, headers=headers, timeout=self.timeout, allow_redirects=False
        )
        info = {k.lower(): v for k, v in answer.headers.items()}
        info["status"] = str(answer.status_code)
        return httplib2.Response(info), answer.content

    def close(self) -> None:
        self.session.close()


def _reasons(exc: Any) -> set[str]:
    """The ``errors[].reason``, ``details[].reason`` and ``status`` of a Google error body."""
    try:
        error = json.loads(exc.content.decode("utf-8"))["error"]
        found = [*error.get("errors", []), *error.get("details", [])]
        return {str(e.get("reason")) for e in found} | {str(error.get("status", ""))}
    except (ValueError, KeyError, TypeError, AttributeError):
        return set()


def _message(exc: Any) -> str:
    try:
        return str(json.loads(exc.content.decode("utf-8"))["error"].get("message", ""))
    except (ValueError, KeyError, TypeError, AttributeError):
        return ""


def _retry_at(message: str) -> datetime | None:
    """The time in Gmail's "Retry after 2026-11-27T10:00:00.000Z", if any."""
    found = RETRY_AT.search(message)
    return datetime.fromisoformat(found.group(1).replace("Z", "+00:00")) if found else None


def _missing_scope(what: str) -> str:
    """What to do when the token's scopes do not allow ``what`` ("messages.list")."""
    allowed = method_scopes().get(what if what.startswith("users.") else f"users.{what}", set())
    need = ", ".join(short(s) for s in SCOPES if s in allowed) or "a Gmail scope"
    return (
        f"the Gmail token lacks scope {need}; run `autoapply auth gmail` again, allow every "
        "permission, and store the new gmail-refresh-token"
    )


def translate(exc: Exception, what: str, *, effectful: bool) -> AutoapplyError:
    """The autoapply error for a failure of ``what``; ``effectful``: it may have sent mail."""
    import requests
    from google.auth import exceptions as auth_ex
    from googleapiclient.errors import HttpError

    text = f"Gmail {what}: {type(exc).__name__}: {exc}"
    if isinstance(exc, auth_ex.RefreshError):
        if "invalid_grant" in str(exc):
            return AuthError(f"{INVALID_GRANT} ({exc})", field="gmail-refresh-token")
        return AuthError(f"Gmail token refresh failed: {exc}", field="gmail-refresh-token")
    if isinstance(exc, HttpError):
        status, reasons = exc.resp.status, _reasons(exc)
        text = f"Gmail {what}: HTTP {status} {','.join(sorted(r for r in reasons if r))}"
        message = _message(exc)
        if "dailyLimitExceeded" in reasons:
            return DailyLimitExceeded(text, until=_retry_at(message))
        if SENDING_LIMIT in message and (status == 429 or reasons & RATE_REASONS):
            text = f"{text}: mailbox sending limit reached (Mail sending)"
            return DailyLimitExceeded(text, until=_retry_at(message))
        if status == 429 or (status == 403 and reasons & RATE_REASONS):
            return RetryableError(text, retry_after=60)
        if status == 401:
            return AuthError(text)
        if status == 403 and reasons & SCOPE_REASONS:
            return AuthError(f"{text}: {_missing_scope(what)}", field="gmail-refresh-token")
        if status == 403:
            return AuthError(f"{text}: the token lacks a Gmail scope or access is refused")
        if status == 404:
            return NotFoundError(text)
        if status >= 500:
            return OutcomeUnknown(text) if effectful else RetryableError(text)
        return ValidationError(text) if status == 400 else PermanentError(text)
    if isinstance(exc, requests.RequestException | OSError | TimeoutError):
        return OutcomeUnknown(text) if effectful else RetryableError(text)
    return PermanentError(text)


class GmailMailer:
    """:class:`common.ports.Mailer` on the Gmail API for one user (``me``)."""

    def __init__(
        self,
        *,
        refresh_token: str,
        client_id: str,
        client_secret: str,
        token_uri: str | None = None,
        endpoint: str | None = None,
        timeout: float = 30.0,
        guard: Guard | None = None,
    ) -> None:
        self.guard = guard or Guard.off()
        self._creds_args = {
            "refresh_token": refresh_token,
            "client_id": client_id,
            "client_secret": client_secret,
            "token_uri": token_uri or TOKEN_URI,
        }
        self.endpoint = endpoint
        self.timeout = timeout
        self._local = threading.local()  # one client per thread: transports are not shared

    def _resources(self) -> dict[str, Any]:
        """This thread's ``users``, ``messages`` and ``drafts`` resources, built once each
        (building a resource from the discovery document costs ~15 ms)."""
        resources = getattr(self._local, "resources", None)
        if resources is None:
            from google.oauth2.credentials import Credentials
            from googleapiclient.discovery import build

            creds = Credentials(None, **self._creds_args)  # no scopes: see the module doc
            users = build(
                "gmail",
                "v1",
                http=_NoRetryHttp(creds, self.timeout),
                static_discovery=True,
                cache_discovery=False,
                client_options={"api_endpoint": self.endpoint} if self.endpoint else None,
            ).users()
            resources = {
                "users": users,
                "messages": users.messages(),
                "drafts": users.drafts(),
                "threads": users.threads(),
            }
            self._local.resources = resources
        return resources

    def _run(self, what: str, effectful: bool = False, **params: Any) -> Any:
        """Call ``what`` ("messages.send", ...) once for user ``me``; errors translated."""
        resource, method = what.split(".")
        with self.guard.attempt("gmail", what):  # shared breaker + audit; never a retry
            try:
                request = getattr(self._resources()[resource], method)(userId="me", **params)
                return request.execute(num_retries=0)
            except AutoapplyError:
                raise
            except Exception as exc:
                raise translate(exc, what, effectful=effectful) from exc

    def deliver(self, raw: bytes, *, message_id: str, mode: str) -> MailResult:
        """``draft``: drafts.create; ``send``: messages.send. Never retried here."""
        body = {"raw": base64.urlsafe_b64encode(raw).decode("ascii")}
        if mode == "draft":
            out = self._run("drafts.create", True, body={"message": body})
            return MailResult("drafted", out["id"], out.get("message", {}).get("threadId"))
        if mode == "send":
            out = self._run("messages.send", True, body=body)
            return MailResult("sent", out["id"], out.get("threadId"))
        raise ConfigError(f"the Gmail mailer sends or drafts, not {mode!r}", field="sending.mode")

    def send_draft(self, draft_id: str) -> MailResult:
        """Send a draft (drafts.send): the approval of a reviewed application."""
        out = self._run("drafts.send", True, body={"id": draft_id})
        return MailResult("sent", out["id"], out.get("threadId"))

    def discard_draft(self, draft_id: str) -> None:
        """Delete a draft; one already gone is not an error."""
        with suppress(NotFoundError):
            self._run("drafts.delete", id=draft_id)

    def find_sent(
        self,
        *,
        message_id: str,
        recipient: str | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        mode: str = "send",
    ) -> str | None:
        """The id of a sent message (or draft, in draft mode) already carrying this application:
        by Message-ID first, then by recipient + subject after ``since``."""
        queries = [f"rfc822msgid:{message_id.strip('<>')}"]
        if recipient and subject:
            words = re.sub(r'["{}()]', " ", subject)
            after = f" after:{int(since.timestamp())}" if since else ""
            queries.append(f'to:{recipient} subject:"{" ".join(words.split())}"{after}')
        for q in queries:
            if mode == "draft":
                hits = self._run("drafts.list", q=q).get("drafts") or []
            else:
                hits = self._run("messages.list", q=f"{q} in:sent").get("messages") or []
            if hits:
                return str(hits[0]["id"])
        return None

    def answered_threads(
        self, thread_ids: set[str], *, since: datetime, own_address: str, max_pages: int = 10
    ) -> list[ThreadAnswer]:
        """Threads among ``thread_ids`` with a message from someone else after ``since``.

        One ``messages.list`` search (``-from:me after:``; 5 quota units a page) finds the
        candidate threads; ``threads.get`` (metadata, 10 units) reads who wrote in each match.
        Both need the ``gmail.readonly`` scope (a search is not allowed with metadata only).
        """
        hits: set[str] = set()
        token: str | None = None
        for _ in range(max_pages):
            params: dict[str, Any] = {"q": f"-from:me after:{int(since.timestamp())}"}
            params["maxResults"] = 500
            if token:
                params["pageToken"] = token
            page = self._run("messages.list", **params)
            hits |= {str(m.get("threadId")) for m in page.get("messages") or []} & thread_ids
            token = page.get("nextPageToken")
            if not token:
                break
        own = own_address.strip().lower()
        out = []
        for thread_id in sorted(hits):
            thread = self._run(
                "threads.get", id=thread_id, format="metadata", metadataHeaders=["From"]
            )
            for message in thread.get("messages") or []:
                headers = {h["name"].lower(): h["value"] for h in message["payload"]["headers"]}
                sender = headers.get("from", "")
                if own in sender.lower() or "SENT" in (message.get("labelIds") or []):
                    continue
                stamp = message.get("internalDate")
                at = datetime.fromtimestamp(int(stamp) / 1000, UTC) if stamp else None
                if at is None or at >= since:
                    out.append(ThreadAnswer(thread_id, sender, at))
                    break
        return out

    def check(self) -> dict[str, Any]:
        """A cheap call for health checks (users.getProfile, 1 quota unit; sends nothing)."""
        out = self._run("users.getProfile")
        return {"email": out.get("emailAddress")}
