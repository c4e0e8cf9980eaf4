"""A fake Gmail API server speaking the real REST format, for the real google-api-python-client.

Endpoints: ``POST /token`` (the OAuth token endpoint: the installed-app flow's code exchange
and the refresh grant) and every Gmail method the server implements, routed and authorized
from Google's discovery document shipped inside google-api-python-client
(``gmail.v1.json``): ``GET profile``, ``POST messages/send``, ``GET messages?q=``,
``GET messages/{id}``, ``GET threads/{id}``, ``POST drafts``, ``GET drafts?q=``,
``POST drafts/send``, ``DELETE drafts/{id}``. Search understands ``rfc822msgid:``, ``to:``,
``from:`` (``me`` is the mailbox owner), ``subject:"..."``, ``after:EPOCH``, ``in:sent`` and a
leading ``-`` for "not"; ``messages.list`` pages with ``maxResults`` / ``pageToken`` and
``threads.get`` answers ``format=metadata`` as Gmail does. :meth:`FakeGmail.receive` delivers
an answer into a thread (an employer replying).

Rules it enforces as Google does:

- **Scopes.** Each access token carries the scopes its refresh token was granted; a method is
  allowed when the token holds one of the scopes the discovery document lists for it, else
  403 ``insufficientPermissions`` / ``ACCESS_TOKEN_SCOPE_INSUFFICIENT`` (and a ``q`` search
  with only ``gmail.metadata`` is refused). A refresh that asks for a scope the grant lacks
  fails with ``invalid_scope``; the token answer's ``scope`` lists what the token holds.
  A refresh token is granted :attr:`FakeGmail.granted` unless :meth:`FakeGmail.grant` says
  otherwise (default: what ``autoapply auth gmail`` asks for); an authorization code
  exchanges only after :meth:`FakeGmail.consent` (the user's answer on the consent page).
- **The mailbox sending limit** (``send_limit`` per rolling 24 h): a send over it answers 429
  "User-rate limit exceeded. Retry after <time> (Mail sending)".
- ``invalid_grant`` for revoked refresh tokens; 401 for unknown access tokens.

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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default as default_policy
from email.utils import getaddresses
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

PREFIX = "/gmail/v1/users/me"
SCOPE = "https://www.googleapis.com/auth/"
DAY = 24 * 3600
_TERM = re.compile(r'(-?)(\w+):("[^"]*"|\S+)')
OWNER = "candidate@example.org"  # the mailbox owner (users.getProfile, from:me)


def _autoapply_scopes() -> tuple[str, ...]:
    """What ``autoapply auth gmail`` asks the user for (the default grant of a token)."""
    from common.adapters.gmail_scopes import SCOPES

    return tuple(SCOPES)


@lru_cache(maxsize=1)
def discovery() -> list[tuple[str, re.Pattern[str], str, frozenset[str]]]:
    """``(HTTP method, path pattern, method id, scopes)`` of every Gmail method, read from
    the discovery document google-api-python-client ships."""
    import googleapiclient

    path = Path(googleapiclient.__file__).parent / "discovery_cache/documents/gmail.v1.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    routes = []

    def walk(resources: dict[str, Any]) -> None:
        for resource in resources.values():
            for spec in resource.get("methods", {}).values():
                template = "/" + spec.get("flatPath", spec["path"])
                pattern = re.escape(template)
                pattern = re.sub(r"\\\{userId\\\}", "me", pattern)
                pattern = re.sub(r"\\\{\w+\\\}", r"([^/]+)", pattern)
                method_id = spec["id"].removeprefix("gmail.")
                scopes = frozenset(spec.get("scopes", []))
                routes.append((spec["httpMethod"], re.compile(f"^{pattern}$"), method_id, scopes))
            walk(resource.get("resources", {}))

    walk(doc["resources"])
    # literal segments win over {id} ("drafts/send" is drafts.send, not drafts.get of "send")
    routes.sort(key=lambda r: r[1].pattern.count("([^/]+)"))
    return routes


@dataclass
class Fault:
    """One injected failure: ``when`` is 'before' (refuse), 'after' (accept, then fail with
    ``status``) or 'drop' (accept, then close the connection without answering). ``message``
    replaces the default error text."""

    when: str = "before"
    status: int = 429
    reason: str = "rateLimitExceeded"
    message: str | None = None


def sending_limit_message(retry_at: float) -> str:
    """Gmail's text for the mailbox sending limit (a 429 that can last for hours)."""
    moment = datetime.fromtimestamp(retry_at, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
    return f"User-rate limit exceeded.  Retry after {moment}Z (Mail sending)"


def sending_limit(retry_at: float) -> Fault:
    """The 429 of the mailbox sending limit, as Gmail answers it."""
    return Fault("before", 429, "rateLimitExceeded", sending_limit_message(retry_at))


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
    granted: tuple[str, ...] = field(default_factory=_autoapply_scopes)
    send_limit: int | None = None  # messages per rolling 24 h (consumer Gmail: about 500)
    messages: dict[str, Stored] = field(default_factory=dict)
    drafts: dict[str, str] = field(default_factory=dict)  # draft id -> message id
    sent_count: Counter[str] = field(default_factory=Counter)
    calls: Counter[str] = field(default_factory=Counter)
    revoked: set[str] = field(default_factory=set)
    faults: dict[str, deque[Fault]] = field(default_factory=dict)
    tokens: dict[str, frozenset[str]] = field(default_factory=dict)  # access token -> scopes
    grants: dict[str, frozenset[str]] = field(default_factory=dict)  # refresh token -> scopes
    consents: dict[str, frozenset[str]] = field(default_factory=dict)  # auth code -> scopes

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._seq = 0
        self._send_times: list[float] = []
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

    def grant(self, refresh_token: str, scopes: Iterable[str]) -> None:
        """The user granted ``refresh_token`` exactly ``scopes`` (short names or URLs)."""
        with self._lock:
            self.grants[refresh_token] = frozenset(_full(s) for s in scopes)

    def consent(self, code: str, scopes: Iterable[str]) -> None:
        """The consent page answered authorization code ``code`` with ``scopes`` allowed."""
        with self._lock:
            self.consents[code] = frozenset(_full(s) for s in scopes)

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

    def _over_send_limit(self) -> Fault | None:
        """The sending-limit answer when the rolling 24 h window is full, else None."""
        if self.send_limit is None:
            return None
        now = self.now()
        self._send_times = [t for t in self._send_times if t > now - DAY]
        if len(self._send_times) < self.send_limit:
            return None
        return sending_limit(min(self._send_times) + DAY)

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
        self._send_times.append(msg.at)

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

    def _message(self, m: Stored, form: str = "full") -> dict[str, Any]:
        """A message as ``messages.get`` / ``threads.get`` show it (``format`` raw or metadata)."""
        out: dict[str, Any] = {"id": m.id, "threadId": m.thread_id, "labelIds": sorted(m.labels)}
        if form == "metadata":
            headers = [{"name": "From", "value": m.sender}, {"name": "Subject", "value": m.subject}]
            out |= {"internalDate": str(int(m.at * 1000)), "payload": {"headers": headers}}
        else:
            out["raw"] = base64.urlsafe_b64encode(m.raw).decode()
        return out


def _full(scope: str) -> str:
    return scope if "://" in scope else f"{SCOPE}{scope}"


def _op(method_id: str) -> str:
    """The counter name of a method: ``messages.send`` (``users.getProfile`` stays)."""
    return method_id if method_id == "users.getProfile" else method_id.removeprefix("users.")


class _Handler(BaseHTTPRequestHandler):
    gmail: FakeGmail
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK wait

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _reply(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(status)
        if data:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, reason: str, message: str | None = None) -> None:
        domain = "usageLimits" if "Limit" in reason else "global"
        error: dict[str, Any] = {
            "code": status,
            "message": message or f"fake gmail: {reason}",
            "errors": [{"domain": domain, "reason": reason, "message": message or reason}],
        }
        if status == 429:
            error["status"] = "RESOURCE_EXHAUSTED"
        self._reply(status, {"error": error})

    def _insufficient_scope(self, allowed: frozenset[str]) -> None:
        """Google's answer to a token without any scope the method allows."""
        self._reply(
            403,
            {
                "error": {
                    "code": 403,
                    "message": "Request had insufficient authentication scopes.",
                    "errors": [
                        {
                            "message": "Insufficient Permission",
                            "domain": "global",
                            "reason": "insufficientPermissions",
                        }
                    ],
                    "status": "PERMISSION_DENIED",
                    "details": [
                        {
                            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                            "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
                            "domain": "googleapis.com",
                            "metadata": {"service": "gmail.googleapis.com"},
                        }
                    ],
                }
            },
            {
                "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", '
                f'error="insufficient_scope", scope="{" ".join(sorted(allowed))}"'
            },
        )

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _token_scopes(self) -> frozenset[str] | None:
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        scopes = self.gmail.tokens.get(token)
        if scopes is None:
            self._reply(
                401,
                {
                    "error": {
                        "code": 401,
                        "message": "Invalid Credentials",
                        "errors": [{"reason": "authError"}],
                        "status": "UNAUTHENTICATED",
                    }
                },
            )
        return scopes

    def _route(self, verb: str) -> tuple[str, list[str], dict[str, str]] | None:
        """The method id, path arguments and query of this request, once authorized."""
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        found = [
            (match, method_id, allowed)
            for http_method, pattern, method_id, allowed in discovery()
            if http_method == verb and (match := pattern.match(parts.path))
        ]
        if not found:
            self._error(404, "notFound")
            return None
        match, method_id, allowed = found[0]
        scopes = self._token_scopes()
        if scopes is None:
            return None
        if not scopes & allowed:
            self._insufficient_scope(allowed)
            return None
        if "q" in query and scopes & allowed <= {f"{SCOPE}gmail.metadata"}:
            self._error(403, "forbidden", "Metadata scope does not support 'q' parameter")
            return None
        return method_id, list(match.groups()), query

    def _token(self, form: dict[str, str]) -> None:
        g = self.gmail
        with g._lock:
            g.calls["token"] += 1
            if form.get("grant_type") == "authorization_code":  # the installed-app flow
                granted = g.consents.pop(str(form.get("code")), None)
                if granted is None:
                    bad = {"error": "invalid_grant", "error_description": "Bad Request"}
                    return self._reply(400, bad)
                refresh = f"1//refresh-{form.get('code')}"
                g.grants[refresh] = granted
                token = g._next_id("ya29.")
                g.tokens[token] = granted
                return self._reply(
                    200,
                    {
                        "access_token": token,
                        "refresh_token": refresh,
                        "expires_in": 3599,
                        "token_type": "Bearer",
                        "scope": " ".join(sorted(granted)),
                    },
                )
            refresh = str(form.get("refresh_token"))
            if form.get("grant_type") != "refresh_token" or refresh in g.revoked:
                return self._reply(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                )
            granted = g.grants.get(refresh, frozenset(g.granted))
            asked = frozenset(form["scope"].split()) if form.get("scope") else granted
            if not asked <= granted:
                return self._reply(
                    400,
                    {
                        "error": "invalid_scope",
                        "error_description": "Some requested scopes were invalid. "
                        f"{{invalid=[{', '.join(sorted(asked - granted))}]}}",
                    },
                )
            token = g._next_id("ya29.")
            g.tokens[token] = asked
        return self._reply(
            200,
            {
                "access_token": token,
                "expires_in": 3599,
                "token_type": "Bearer",
                "scope": " ".join(sorted(asked)),
            },
        )

    def do_POST(self) -> None:
        g = self.gmail
        body = self._body()
        if urlsplit(self.path).path == "/token":
            return self._token({k: v[0] for k, v in parse_qs(body.decode()).items()})
        route = self._route("POST")
        if route is None:
            return None
        op = _op(route[0])
        if op not in ("messages.send", "drafts.create", "drafts.send"):
            return self._error(501, "notImplemented")
        payload = json.loads(body or b"{}")
        with g._lock:
            g.calls[op] += 1
            fault = g._fault(op)
            if op != "drafts.create" and not (fault and fault.when == "before"):
                fault = g._over_send_limit() or fault
            if fault and fault.when == "before":
                return self._error(fault.status, fault.reason, fault.message)
            if op == "messages.send":
                msg = g._store(payload["raw"], "SENT")
                g._send(msg)
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
            return self._error(fault.status, fault.reason, fault.message)
        return self._reply(200, answer)

    def do_GET(self) -> None:
        g = self.gmail
        route = self._route("GET")
        if route is None:
            return None
        method_id, args, query = route
        op = _op(method_id)
        with g._lock:
            g.calls[op] += 1
            if op == "users.getProfile":
                return self._reply(200, {"emailAddress": OWNER, "messagesTotal": len(g.messages)})
            if op == "messages.list":  # every message; labels only through in: terms
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
            if op == "drafts.list":
                hits = g.search(query.get("q", ""), "DRAFT")
                body = {"resultSizeEstimate": len(hits)}
                if hits:
                    body["drafts"] = [
                        {"id": m.draft_id, "message": {"id": m.id, "threadId": m.thread_id}}
                        for m in hits
                    ]
                return self._reply(200, body)
            if op == "messages.get" and args[0] in g.messages:
                return self._reply(200, g._message(g.messages[args[0]]))
            if op == "threads.get":
                form = query.get("format", "full")
                thread = sorted(
                    (m for m in g.messages.values() if m.thread_id == args[0]), key=lambda m: m.at
                )
                found = [g._message(m, form) for m in thread]
                if found:
                    return self._reply(200, {"id": args[0], "messages": found})
        return self._error(404, "notFound")

    def do_DELETE(self) -> None:
        g = self.gmail
        route = self._route("DELETE")
        if route is None:
            return None
        method_id, args, _ = route
        if _op(method_id) != "drafts.delete":
            return self._error(501, "notImplemented")
        with g._lock:
            g.calls["drafts.delete"] += 1
            message_key = g.drafts.pop(args[0], None)
            if message_key is None:
                return self._error(404, "notFound")
            g.messages.pop(message_key, None)
        return self._reply(204)
