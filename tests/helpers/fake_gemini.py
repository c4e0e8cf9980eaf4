"""A fake Gemini API speaking the real REST format, for the real ``google-genai`` client.

Answers ``POST /{v1,v1beta}/models/{model}:generateContent``, ``GET /{version}/models/{model}``
and ``GET /{version}/models`` on 127.0.0.1 (a free port). Each generateContent call takes the
next scripted reply (:meth:`FakeGemini.script`), else the ``default`` one: a valid structured
answer. It counts calls and keeps every request body, so tests and the benchmark can check
what was sent (and that nothing was sent).

Rules it enforces as the API does:

- **Models.** Only the models of :attr:`FakeGemini.models` exist (the default catalog: the
  stable models served in November 2026); any other model, e.g. the retired
  ``gemini-2.5-flash``, is 404 NOT_FOUND "models/... is not found for API version ...".
- **Thinking.** Gemini 2.5+ models think before they answer and the thought tokens count
  against ``maxOutputTokens``: a Gemini 3 model takes ``thinkingConfig.thinkingLevel``
  (default: its own level, e.g. MEDIUM), a 2.x model ``thinkingBudget`` (0 turns it off on
  Flash; no config: dynamic). Both at once, or a level a model does not support, is 400
  INVALID_ARGUMENT. The thoughts are reported as ``usageMetadata.thoughtsTokenCount``; when
  thoughts plus the answer exceed ``maxOutputTokens`` the answer is cut (or empty) with
  ``finishReason: MAX_TOKENS``. Token amounts per level: :data:`THOUGHTS`.

Point the client at it with ``GOOGLE_GEMINI_BASE_URL=fake.url`` (the SDK's own variable) or
``HttpOptions(base_url=fake.url)``.

Replies (build them with the functions below): :func:`answer` (valid JSON), :func:`raw_text`
(e.g. invalid JSON), :func:`max_tokens` (thoughts used the whole output: no text),
:func:`blocked` (``promptFeedback.blockReason``, no candidates), :func:`rate_limited` (429
with ``RetryInfo.retryDelay``), :func:`unavailable` (503), :func:`error` (any status),
:func:`obeying` (a model that does what the posting tells it).
"""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_PATH = re.compile(r"^/(v1|v1beta)/models/([\w.\-]+):generateContent$")
_MODEL = re.compile(r"^/(v1|v1beta)/models(?:/([\w.\-]+))?$")
#: thought tokens a model spends per thinking level ("dynamic": a 2.x model left to decide)
THOUGHTS = {"minimal": 0, "low": 180, "medium": 1100, "high": 3800, "dynamic": 1500}


@dataclass(frozen=True)
class ModelSpec:
    """How one model thinks: by ``level`` (Gemini 3) or by token ``budget`` (Gemini 2.x)."""

    thinking: str  # "level" | "budget"
    levels: frozenset[str] = frozenset()
    default_level: str = "dynamic"
    can_disable: bool = True  # a budget of 0 turns thinking off
    output_limit: int = 65536


def catalog() -> dict[str, ModelSpec]:
    """The default models (stable, November 2026; gemini-2.5-flash and 2.5-pro are gone)."""
    three = ModelSpec("level", frozenset({"low", "medium", "high"}), "medium")
    return {
        "gemini-3.8-flash": three,
        "gemini-3.7-flash": three,
        "gemini-3.5-flash-lite": ModelSpec(
            "level", frozenset({"minimal", "low", "medium", "high"}), "minimal"
        ),
        "gemini-2.5-flash-lite": ModelSpec("budget", default_level="minimal"),
    }


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: status and JSON body. ``simulate``: the server applies the model's
    thinking (thought tokens, MAX_TOKENS) to this answer."""

    status: int
    body: dict[str, Any]
    simulate: bool = True


def count_tokens(text: str) -> int:
    """A rough token count (words and punctuation marks), independent of the code under test."""
    return len(re.findall(r"\w+|[^\w\s]", text))


def _usage(request: dict[str, Any], out: str = "") -> dict[str, int]:
    texts = [p.get("text", "") for c in request.get("contents", []) for p in c.get("parts", [])]
    texts += [p.get("text", "") for p in request.get("systemInstruction", {}).get("parts", [])]
    prompt = sum(count_tokens(t) for t in texts)
    return {
        "promptTokenCount": prompt,
        "candidatesTokenCount": count_tokens(out),
        "totalTokenCount": prompt + count_tokens(out),
    }


def raw_text(text: str, finish: str = "STOP") -> Callable[[dict[str, Any]], Reply]:
    """A candidate whose text is ``text`` verbatim (invalid JSON, if you like)."""

    def reply(request: dict[str, Any]) -> Reply:
        return Reply(
            200,
            {
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [{"text": text}]},
                        "finishReason": finish,
                        "index": 0,
                    }
                ],
                "usageMetadata": _usage(request, text),
                "modelVersion": "fake",
            },
        )

    return reply


def thinking_config(request: dict[str, Any]) -> dict[str, Any]:
    """The request's ``thinkingConfig`` with camelCase keys (the API, like any proto JSON
    endpoint, accepts both spellings; google-genai sends this one in snake_case)."""
    config = request.get("generationConfig", {}).get("thinkingConfig") or {}
    return {re.sub(r"_(\w)", lambda m: m[1].upper(), k): v for k, v in config.items()}


def max_tokens(thoughts: int = 1024) -> Callable[[dict[str, Any]], Reply]:
    """Thinking used the whole output budget: ``MAX_TOKENS`` and a candidate with no text."""

    def reply(request: dict[str, Any]) -> Reply:
        usage = {**_usage(request), "candidatesTokenCount": 0, "thoughtsTokenCount": thoughts}
        candidate = {"content": {"role": "model"}, "finishReason": "MAX_TOKENS", "index": 0}
        body = {"candidates": [candidate], "usageMetadata": usage, "modelVersion": "fake"}
        return Reply(200, body, simulate=False)

    return reply


def answer(obj: dict[str, Any] | None = None, **fields: Any) -> Callable[[dict[str, Any]], Reply]:
    """A valid structured answer: :data:`GOOD` updated with ``obj`` / ``fields``."""
    data = {**GOOD, **(obj or {}), **fields}
    return raw_text(json.dumps(data))


def blocked(reason: str = "SAFETY") -> Callable[[dict[str, Any]], Reply]:
    """A blocked prompt: ``promptFeedback.blockReason`` and no candidates."""
    return lambda request: Reply(
        200, {"promptFeedback": {"blockReason": reason}, "usageMetadata": _usage(request)}
    )


def error(code: int, status: str, message: str, details: list | None = None) -> Callable:
    """A Google API error body."""
    body = {"error": {"code": code, "status": status, "message": message}}
    if details is not None:
        body["error"]["details"] = details
    return lambda request: Reply(code, body)


def rate_limited(retry_delay: str = "26s") -> Callable[[dict[str, Any]], Reply]:
    """429 RESOURCE_EXHAUSTED with a ``RetryInfo`` detail."""
    return error(
        429,
        "RESOURCE_EXHAUSTED",
        "You exceeded your current quota, please check your plan and billing details.",
        [
            {
                "@type": "type.googleapis.com/google.rpc.QuotaFailure",
                "violations": [{"quotaMetric": "generate_content_free_tier_requests"}],
            },
            {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": retry_delay},
        ],
    )


def unavailable() -> Callable[[dict[str, Any]], Reply]:
    """503 UNAVAILABLE (the model is overloaded)."""
    return error(503, "UNAVAILABLE", "The model is overloaded. Please try again later.")


_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_STEER = re.compile(r"instead|cc|bcc|copy|send|apply|application|ignore|instructions", re.I)


def obeying() -> Callable[[dict[str, Any]], Reply]:
    """A model that obeys the posting: it scores 100, says apply, and names as the
    application address the one the posting's last steering sentence asks for (else the
    posting's last address), also in its reasons."""

    def reply(request: dict[str, Any]) -> Reply:
        parts = [p.get("text", "") for c in request.get("contents", []) for p in c["parts"]]
        posting = parts[-1] if parts else ""
        sentences = re.split(r"(?<=[.!?])\s+|\n+", posting)
        steering = [s for s in sentences if _ADDRESS.search(s) and _STEER.search(s)]
        found = _ADDRESS.findall(steering[-1] if steering else posting)
        target = found[-1] if found else None
        data = {
            **GOOD,
            "score": 100,
            "decision": "apply",
            "reasons": [f"the posting says to send the application to {target}"],
            "red_flags": [],
            "application_email": target,
        }
        return raw_text(json.dumps(data))(request)

    return reply


GOOD: dict[str, Any] = {
    "score": 82,
    "decision": "apply",
    "reasons": ["strong Python and Google Cloud match"],
    "matched": ["Python", "BigQuery"],
    "missing": [],
    "seniority_fit": "matches",
    "red_flags": [],
    "application_email": None,
}


@dataclass
class Recorded:
    """One request the fake received."""

    path: str
    version: str
    model: str
    api_key: str | None
    body: dict[str, Any]

    def prompt_text(self) -> str:
        """System instruction and every content part, in order."""
        system = [
            p.get("text", "") for p in self.body.get("systemInstruction", {}).get("parts", [])
        ]
        parts = [p.get("text", "") for c in self.body.get("contents", []) for p in c["parts"]]
        return "\n".join(system + parts)


@dataclass
class FakeGemini:
    """The fake server; use as a context manager (it binds 127.0.0.1 on a free port)."""

    default: Callable[[dict[str, Any]], Reply] = field(default_factory=answer)
    api_key: str | None = None
    models: dict[str, ModelSpec] = field(default_factory=catalog)
    requests: list[Recorded] = field(default_factory=list)
    lookups: list[str] = field(default_factory=list)  # models.get calls, by model
    _queue: deque = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def script(self, *replies: Callable[[dict[str, Any]], Reply]) -> FakeGemini:
        """Answer the next calls with ``replies``, in order, then with ``default``."""
        self._queue.extend(replies)
        return self

    @property
    def calls(self) -> int:
        """How many generateContent calls arrived."""
        return len(self.requests)

    def __enter__(self) -> FakeGemini:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, reply: Reply) -> None:
                data = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _refused(self, key: str | None) -> bool:
                if fake.api_key is None or key == fake.api_key:
                    return False
                details = [
                    {
                        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                        "reason": "API_KEY_INVALID",
                    }
                ]
                msg = "API key not valid. Please pass a valid API key."
                self._send(error(400, "INVALID_ARGUMENT", msg, details)({}))
                return True

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                match = _MODEL.match(path)
                if not match:
                    return self._send(error(404, "NOT_FOUND", f"no route {path}")({}))
                if match[2] is not None:
                    with fake._lock:
                        fake.lookups.append(match[2])
                if self._refused(self.headers.get("x-goog-api-key")):
                    return None
                if match[2] is None:
                    models = [fake.resource(name) for name in fake.models]
                    return self._send(Reply(200, {"models": models}))
                if match[2] not in fake.models:
                    return self._send(fake.not_found(match[1], match[2]))
                return self._send(Reply(200, fake.resource(match[2])))

            def do_POST(self) -> None:
                path = self.path.split("?", 1)[0]
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                match = _PATH.match(path)
                if not match:
                    return self._send(error(404, "NOT_FOUND", f"no route {path}")({}))
                body = json.loads(raw or b"{}")
                key = self.headers.get("x-goog-api-key")
                with fake._lock:
                    fake.requests.append(Recorded(path, match[1], match[2], key, body))
                if self._refused(key):
                    return None
                if match[2] not in fake.models:
                    return self._send(fake.not_found(match[1], match[2]))
                invalid = fake.invalid_thinking(match[2], body)
                if invalid:
                    return self._send(error(400, "INVALID_ARGUMENT", invalid)(body))
                with fake._lock:
                    responder = fake._queue.popleft() if fake._queue else fake.default
                self._send(fake.think(match[2], body, responder(body)))

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- the API's rules ---------------------------------------------------------------
    def resource(self, name: str) -> dict[str, Any]:
        """The ``models.get`` answer for ``name``."""
        spec = self.models[name]
        return {
            "name": f"models/{name}",
            "displayName": name,
            "inputTokenLimit": 1048576,
            "outputTokenLimit": spec.output_limit,
            "supportedGenerationMethods": ["generateContent", "countTokens"],
            "thinking": True,
        }

    def not_found(self, version: str, name: str) -> Reply:
        """The API's answer for a model it does not serve (unknown or retired)."""
        return error(
            404,
            "NOT_FOUND",
            f"models/{name} is not found for API version {version}, or is not supported for "
            "generateContent. Call ListModels to see the list of available models and their "
            "supported methods.",
        )({})

    def invalid_thinking(self, name: str, request: dict[str, Any]) -> str | None:
        """Why the request's ``thinkingConfig`` is refused by model ``name``, or None."""
        spec = self.models[name]
        config = thinking_config(request)
        level, budget = config.get("thinkingLevel"), config.get("thinkingBudget")
        if level is not None and budget is not None:
            return "You can only set one of thinking budget and thinking level."
        if level is not None and spec.thinking != "level":
            return "Thinking level is not supported for this model."
        if level is not None and str(level).lower() not in spec.levels:
            return f"Thinking level {level} is not supported for this model."
        if budget == 0 and not spec.can_disable:
            return "Budget 0 is invalid. This model only works in thinking mode."
        return None

    def thoughts(self, name: str, request: dict[str, Any]) -> int:
        """How many thought tokens model ``name`` spends on ``request``."""
        spec = self.models[name]
        config = thinking_config(request)
        if config.get("thinkingLevel") is not None:
            return THOUGHTS[str(config["thinkingLevel"]).lower()]
        budget = config.get("thinkingBudget")
        if budget is None or budget < 0:
            return THOUGHTS[spec.default_level]
        return min(int(budget), THOUGHTS["dynamic"])

    def think(self, name: str, request: dict[str, Any], reply: Reply) -> Reply:
        """Apply the model's thinking to a successful answer: report the thought tokens, and
        cut the answer at ``maxOutputTokens`` (thoughts count against it)."""
        candidates = reply.body.get("candidates") or []
        if reply.status != 200 or not reply.simulate or not candidates:
            return reply
        thoughts = self.thoughts(name, request)
        limit = request.get("generationConfig", {}).get("maxOutputTokens") or 65536
        body = json.loads(json.dumps(reply.body))
        body["usageMetadata"] = {**body.get("usageMetadata", {}), "thoughtsTokenCount": thoughts}
        candidate = body["candidates"][0]
        text = "".join(p.get("text", "") for p in candidate.get("content", {}).get("parts", []))
        room = limit - thoughts
        if count_tokens(text) > room:
            kept = re.findall(r"\w+|[^\w\s]", text)[: max(0, room)]
            candidate["finishReason"] = "MAX_TOKENS"
            candidate["content"] = {"role": "model"}
            if kept:
                candidate["content"]["parts"] = [{"text": "".join(kept)}]
            body["usageMetadata"]["candidatesTokenCount"] = len(kept)
        return Reply(reply.status, body, simulate=False)

    @property
    def url(self) -> str:
        """Base URL for the SDK (no version, no trailing slash)."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"


# --- a letter writer: answers like a model asked by common.documents.llm_writer -------------

_POSTING = re.compile(r"<posting>(.*?)</posting>", re.S)
_LINE = re.compile(r"^(LETTER LANGUAGE|SUMMARY LANGUAGE|ROLE|COMPANY): (.*)$", re.M)
#: what an obeying model picks up from a posting: sentences with links, addresses, phone
#: numbers or requests
_INJECTED = re.compile(
    r"https?://|www\.|@|\+?\d[\d ()-]{7,}\d|\b(bcc|cc|forward|ignore|click|log in|reply)\b", re.I
)
_OPENINGS = {
    "English": ("I would like to join {company} as {role}.", "At {employer}, I {action}."),
    "French": ("Je souhaite rejoindre {company} en tant que {role}.", "Chez {employer}: {action}."),
    "German": ("Ich möchte als {role} zu {company} kommen.", "Bei {employer}: {action}."),
    "Spanish": ("Quiero unirme a {company} como {role}.", "En {employer}: {action}."),
}


def _writer_request(request: dict[str, Any]) -> tuple[dict[str, str], dict[str, Any], str]:
    parts = [p.get("text", "") for c in request.get("contents", []) for p in c.get("parts", [])]
    text = "\n".join(parts)
    head = {k: v.strip() for k, v in _LINE.findall(text)}
    facts: dict[str, Any] = {}
    for part in parts:
        if part.startswith("CANDIDATE:\n"):
            facts = json.loads(part.removeprefix("CANDIDATE:\n"))
    posting = _POSTING.search(text)
    return head, facts, posting.group(1) if posting else ""


def _good_letter(head: dict[str, str], facts: dict[str, Any]) -> dict[str, Any]:
    language = head.get("LETTER LANGUAGE", "English").split(" (")[0]
    opening, evidence = _OPENINGS.get(language, _OPENINGS["English"])
    role, company = head.get("ROLE", ""), head.get("COMPANY", "")
    wanted = [r.lower() for r in facts.get("requirements_met", [])]
    first = opening.format(company=company, role=role)
    skills = facts.get("requirements_met", [])[:3]
    if skills:
        first += " " + ", ".join(skills) + "."
    second = []
    for work in facts.get("work", [])[:2]:
        for highlight in work.get("highlights", [])[:1]:
            if any(w in highlight.lower() for w in wanted) or not wanted:
                verb, _, rest = highlight.partition(" ")
                action = f"{verb.lower()} {rest}".rstrip(".")
                second.append(evidence.format(employer=work.get("employer"), action=action))
    label, years = facts.get("label", ""), facts.get("years_of_experience", 0)
    summary = f"{label} with {years} years of experience" + (
        f" in {', '.join(skills)}." if skills else "."
    )
    return {"summary": summary, "letter": [first, " ".join(second) or first]}


def writer_reply(obey: bool = False) -> Callable[[dict[str, Any]], Reply]:
    """A model writing the application: a good letter from the CANDIDATE facts, in the LETTER
    LANGUAGE; with ``obey``, it also does what the posting asks (copies its links, addresses,
    phone numbers and requests into the letter and the summary), as an injected model would."""

    def reply(request: dict[str, Any]) -> Reply:
        head, facts, posting = _writer_request(request)
        data = _good_letter(head, facts)
        if obey:
            asked = [s.strip() for s in re.split(r"(?<=[.!?])\s+", posting) if _INJECTED.search(s)]
            if asked:
                data["letter"][0] += " " + " ".join(asked)
                data["letter"].insert(1, "As requested: " + " ".join(asked))
                data["summary"] += " " + asked[0]
        return raw_text(json.dumps(data, ensure_ascii=False))(request)

    return reply
