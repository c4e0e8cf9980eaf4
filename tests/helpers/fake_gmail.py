"""A fake Gmail API server speaking the real REST format, for the real google-api-python-client.

Endpoints: ``POST /token`` (OAuth refresh with ``invalid_grant`` for revoked tokens, and the
authorization-code exchange of the installed-app flow), and under
``/gmail/v1/users/me``: ``GET profile``, ``POST messages/send``, ``GET messages?q=``,
``POST drafts``, ``GET drafts?q=``, ``POST drafts/send``, ``DELETE drafts/{id}``,
``GET threads/{id}`` (metadata headers). Search understands ``rfc822msgid:``, ``to:``,
``from:`` (``me`` is the mailbox owner), ``subject:"..."``, ``after:EPOCH``, ``in:sent`` and a
leading ``-`` for "not"; ``messages.list`` pages with ``maxResults`` / ``pageToken``.
:meth:`FakeGmail.receive` delivers an answer into a thread (an employer replying).

It counts accepted sends per client-set Message-ID (``sent_count``) and injects faults per
operation: an error answer before accepting (429, 403 rate limit, ``dailyLimitExceeded``),
an error after accepting (500), or accepting and dropping the connection with no answer.

    with FakeGmail() as gmail:
        mailer = gmail.mailer()            # a GmailMailer pointed at this server
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import getaddresses
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

PREFIX = "/gmail/v1/users/me"
SCOPES_GRANTED = (
    "https://www.googleapis.com/auth/gmail.send",
    "https://www.googleapis.com/auth/gmail.compose",
)
_TERM = re.compile(r'(-?)(\w+):("[^"]*"|\S+)')
OWNER = "candidate@example.org"  # the mailbox owner (users.getProfile, from:me)


@dataclass
class Fault:
    """One injected failure: ``when`` is 'before' (refuse), 'after' (accept, then fail with
    ``status``) or 'drop' (accept, then close the connection without answering)."""

    when: str = "before"
    status: int = 429
    reason: str = "rateLimitExceeded"


@dataclass
class Stored:
    id: str
    thread_id: str
    labels: set[str]
    message_id: str
    to: list[str]
    subject: str
    at: float
    raw: bytes
    header_id: str = ""  # the Message-ID the client set (what sent_count counts)
    draft_id: str | None = None
    sender: str = OWNER


@dataclass
class FakeGmail:
    """The server and its mailbox. ``now`` gives the mailbox time (seconds since the epoch)."""

    now: Callable[[], float] = time.time
    hide_message_ids: bool = False  # as if Gmail had replaced the client's Message-ID
    messages: dict[str, Stored] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)  # draft id -> message id
    sent_count: Counter[str] = field(default_factory=Counter)
    calls: Counter[str] = field(default_factory=Counter)
    revoked: set[str] = field(default_factory=set)
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    #: refresh token -> the scopes it was granted (the refresh answer lists them, as Google's
    #: does); any other refresh token has SCOPES_GRANTED
    granted: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = 0
        self.server: ThreadingHTTPServer | None = None

    # -- control -------------------------------------------------------------------------
    @classmethod
    def with_clock(cls, clock: Any, **kw: Any) -> FakeGmail:
        """A fake whose mailbox time follows a :class:`tests.helpers.clock.FakeClock`."""
        return cls(now=lambda: clock.now().timestamp(), **kw)

    def inject(self, op: str, *faults: Fault) -> None:
        """Queue faults for ``op`` ('messages.send', 'drafts.create', 'drafts.send', ...)."""
        with self._lock:
            self.faults.setdefault(op, deque()).extend(faults)

    def revoke(self, refresh_token: str) -> None:
        """Refreshing ``refresh_token`` now fails with ``invalid_grant``; issued tokens die."""
        with self._lock:
            self.revoked.add(refresh_token)
            self.tokens.clear()

    @property
    def url(self) -> str:
        assert self.server is not None, "start() the fake first"
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def mailer(self, refresh_token: str = "refresh-1", **kw: Any) -> Any:
        """A real :class:`common.adapters.gmail.GmailMailer` pointed at this server."""
        from common.adapters.gmail import GmailMailer

        return GmailMailer(
            refresh_token=refresh_token,
            client_id="client-1",
            client_secret="secret-1",
            token_uri=f"{self.url}/token",
            endpoint=self.url,
            **kw,
        )

    def env(self) -> dict[str, str]:
        """Environment variables that point ``build_runtime`` (backends.mailer gmail) here."""
        return {
            "GMAIL_REFRESH_TOKEN": "refresh-1",
            "GMAIL_CLIENT_ID": "client-1",
            "GMAIL_CLIENT_SECRET": "secret-1",
            "AUTOAPPLY_GMAIL_ENDPOINT": self.url,
            "AUTOAPPLY_GMAIL_TOKEN_URI": f"{self.url}/token",
        }

    def start(self) -> FakeGmail:
        fake = self

        class Handler(_Handler):
            gmail = fake

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def __enter__(self) -> FakeGmail:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def receive(self, thread_id: str, sender: str, subject: str = "Re: your application") -> Stored:
        """An answer from ``sender`` arrives in ``thread_id`` (label INBOX)."""
        with self._lock:
            mid = self._next_id()
            msg = Stored(
                id=mid,
                thread_id=thread_id,
                labels={"INBOX", "UNREAD"},
                message_id=f"<{mid}@mail.example>",
                to=[OWNER],
                subject=subject,
                at=self.now(),
                raw=b"",
                header_id=f"<{mid}@mail.example>",
                sender=sender,
            )
            self.messages[mid] = msg
            return msg

    def sent(self) -> list[Stored]:
        """Messages with the SENT label, in the order they were accepted."""
        return [m for m in self.messages.values() if "SENT" in m.labels]

    # -- behaviour -----------------------------------------------------------------------
    def _next_id(self, prefix: str = "") -> str:
        self._seq += 1
        return f"{prefix}{self._seq:016x}"

    def _fault(self, op: str) -> Fault | None:
        queue = self.faults.get(op)
        return queue.popleft() if queue else None

    def _store(self, raw_b64: str, label: str) -> Stored:
        raw = base64.urlsafe_b64decode(raw_b64 + "=" * (-len(raw_b64) % 4))
        parsed = message_from_bytes(raw, policy=default_policy)
        mid = self._next_id()
        msg = Stored(
            id=mid,
            thread_id=mid,
            labels={label},
            message_id=f"<{mid}@fake.gmail>"
            if self.hide_message_ids
            else str(parsed["Message-ID"]),
            to=[a.lower() for _, a in getaddresses([str(parsed.get("To", ""))])],
            subject=str(parsed.get("Subject", "")),
            at=self.now(),
            raw=raw,
            header_id=str(parsed["Message-ID"]),
        )
        self.messages[mid] = msg
        return msg

    def _send(self, msg: Stored) -> None:
        msg.labels = {"SENT"}
        msg.at = self.now()
        self.sent_count[msg.header_id] += 1

    def search(self, q: str, label: str | None) -> list[Stored]:
        """Messages (carrying ``label``, if given) that match every term of the query."""
        terms = [(neg == "-", k.lower(), v.strip('"').lower()) for neg, k, v in _TERM.findall(q)]
        out = []
        for m in self.messages.values():
            if label is not None and label not in m.labels:
                continue
            if all(self._term(m, key, value) is not negate for negate, key, value in terms):
                out.append(m)
        return out

    @staticmethod
    def _term(m: Stored, key: str, value: str) -> bool:
        if key == "rfc822msgid":
            return m.message_id.strip("<>").lower() == value.strip("<>")
        if key == "to":
            return value in m.to
        if key == "from":
            return (OWNER if value == "me" else value) in m.sender.lower()
        if key == "subject":
            return value in m.subject.lower()
        if key == "after":
            return m.at > float(value)
        if key == "in":
            return value.upper().rstrip("S") in {lab.rstrip("S") for lab in m.labels}
        return True


def _meta(m: Stored) -> dict[str, Any]:
    """A message as ``threads.get(format=metadata)`` shows it."""
    headers = [{"name": "From", "value": m.sender}, {"name": "Subject", "value": m.subject}]
    return {
        "id": m.id,
        "threadId": m.thread_id,
        "labelIds": sorted(m.labels),
        "internalDate": str(int(m.at * 1000)),
        "payload": {"headers": headers},
    }


class _Handler(BaseHTTPRequestHandler):
    gmail: FakeGmail
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK wait

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _reply(self, status: int, body: Any = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, reason: str) -> None:
        self._reply(
            status,
            {
                "error": {
                    "code": status,
                    "message": f"fake gmail: {reason}",
                    "errors": [{"domain": "global", "reason": reason, "message": reason}],
                }
            },
        )

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _authorized(self) -> bool:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        if token in self.gmail.tokens:
            return True
        self._reply(
            401,
            {
                "error": {
                    "code": 401,
                    "message": "Invalid Credentials",
                    "errors": [{"reason": "authError"}],
                }
            },
        )
        return False

    def do_POST(self) -> None:
        g, path = self.gmail, urlsplit(self.path).path
        body = self._body()
        if path == "/token":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            with g._lock:
                g.calls["token"] += 1
                if form.get("grant_type") == "authorization_code":  # the installed-app flow
                    return self._reply(
                        200,
                        {
                            "access_token": g._next_id("ya29."),
                            "refresh_token": f"1//refresh-{form.get('code')}",
                            "expires_in": 3599,
                            "token_type": "Bearer",
                            "scope": " ".join(SCOPES_GRANTED),
                        },
                    )
                if (
                    form.get("grant_type") != "refresh_token"
                    or form.get("refresh_token") in g.revoked
                ):
                    return self._reply(
                        400,
                        {
                            "error": "invalid_grant",
                            "error_description": "Token has been expired or revoked.",
                        },
                    )
                token = g._next_id("ya29.")
                g.tokens.add(token)
            scopes = g.granted.get(str(form.get("refresh_token")), SCOPES_GRANTED)
            return self._reply(
                200,
                {
                    "access_token": token,
                    "expires_in": 3599,
                    "token_type": "Bearer",
                    "scope": " ".join(scopes),
                },
            )
        if not self._authorized():
            return None
        payload = json.loads(body or b"{}")
        ops = {
            f"{PREFIX}/messages/send": "messages.send",
            f"{PREFIX}/drafts": "drafts.create",
            f"{PREFIX}/drafts/send": "drafts.send",
        }
        op = ops.get(path)
        if op is None:
            return self._error(404, "notFound")
        with g._lock:
            g.calls[op] += 1
            fault = g._fault(op)
            if fault and fault.when == "before":
                return self._error(fault.status, fault.reason)
            if op == "messages.send":
                msg = g._store(payload["raw"], "SENT")
                g.sent_count[msg.header_id] += 1
                answer: dict[str, Any] = {
                    "id": msg.id,
                    "threadId": msg.thread_id,
                    "labelIds": ["SENT"],
                }
            elif op == "drafts.create":
                msg = g._store(payload["message"]["raw"], "DRAFT")
                draft_id = g._next_id("r-")
                msg.draft_id = draft_id
                g.drafts[draft_id] = msg.id
                answer = {
                    "id": draft_id,
                    "message": {"id": msg.id, "threadId": msg.thread_id, "labelIds": ["DRAFT"]},
                }
            else:
                message_key = g.drafts.pop(str(payload.get("id")), None)
                if message_key is None:
                    return self._error(404, "notFound")
                msg = g.messages[message_key]
                g._send(msg)
                answer = {"id": msg.id, "threadId": msg.thread_id, "labelIds": ["SENT"]}
        if fault and fault.when == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        if fault and fault.when == "after":
            return self._error(fault.status, fault.reason)
        return self._reply(200, answer)

    def do_GET(self) -> None:
        g = self.gmail
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if not self._authorized():
            return None
        with g._lock:
            if parts.path == f"{PREFIX}/profile":
                g.calls["users.getProfile"] += 1
                return self._reply(200, {"emailAddress": OWNER, "messagesTotal": len(g.messages)})
            if parts.path == f"{PREFIX}/messages":
                g.calls["messages.list"] += 1
                hits = g.search(query.get("q", ""), None)
                start = int(query.get("pageToken") or 0)
                size = int(query.get("maxResults") or 100)
                page = hits[start : start + size]
                body: dict[str, Any] = {"resultSizeEstimate": len(hits)}
                if page:
                    body["messages"] = [{"id": m.id, "threadId": m.thread_id} for m in page]
                if start + size < len(hits):
                    body["nextPageToken"] = str(start + size)
                return self._reply(200, body)
            if parts.path.startswith(f"{PREFIX}/threads/"):
                g.calls["threads.get"] += 1
                thread_id = parts.path.rsplit("/", 1)[-1]
                found = sorted(
                    (m for m in g.messages.values() if m.thread_id == thread_id),
                    key=lambda m: m.at,
                )
                if not found:
                    return self._error(404, "notFound")
                return self._reply(200, {"id": thread_id, "messages": [_meta(m) for m in found]})
            if parts.path == f"{PREFIX}/drafts":
                g.calls["drafts.list"] += 1
                hits = g.search(query.get("q", ""), "DRAFT")
                body = {"resultSizeEstimate": len(hits)}
                if hits:
                    body["drafts"] = [
                        {"id": m.draft_id, "message": {"id": m.id, "threadId": m.thread_id}}
                        for m in hits
                    ]
                return self._reply(200, body)
        return self._error(404, "notFound")

    def do_DELETE(self) -> None:
        g, path = self.gmail, urlsplit(self.path).path
        if not self._authorized():
            return None
        with g._lock:
            g.calls["drafts.delete"] += 1
            draft_id = path.rsplit("/", 1)[-1]
            message_key = (
                g.drafts.pop(draft_id, None) if path.startswith(f"{PREFIX}/drafts/") else None
            )
            if message_key is None:
                return self._error(404, "notFound")
            g.messages.pop(message_key, None)
        return self._reply(204)
