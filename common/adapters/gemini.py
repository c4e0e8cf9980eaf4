"""Gemini through ``google-genai``: structured JSON output, low temperature, pinned model.

The endpoint is left to the SDK, so its own ``GOOGLE_GEMINI_BASE_URL`` variable can point it
at another server (the tests' fake). SDK errors are translated here:

- 429 RESOURCE_EXHAUSTED -> :class:`BudgetExhausted` with ``retry_after`` from ``RetryInfo``;
- 5xx, timeouts, connection errors -> :class:`RetryableError`;
- 400 API_KEY_INVALID, 401, 403 -> :class:`AuthError`;
- 404 NOT_FOUND (a retired or misspelt model) and a 400 refusing the thinking setting ->
  :class:`ConfigError` naming the setting (``gemini.model``, ``gemini.thinking_level``);
- other 4xx -> :class:`PermanentError`.

Thinking: Gemini 2.5+ models think before answering, and the thought tokens count against
``max_output_tokens``; left to the model, they can use it all and leave an empty
``MAX_TOKENS`` answer. So thinking is always set: ``thinking_level`` for Gemini 3 models,
``thinking_budget`` for 2.x models (an API error if both are sent).

Every call runs under the shared circuit breaker and audit trail
(:meth:`common.resilience.guard.Guard.attempt`). Retries: none here, on purpose. The one
retry layer is redelivery (Pub/Sub, or the next ``autoapply analyze``): the service records a
429's ``retryDelay`` in the shared budget so no instance calls again before it, and the job
waits.
"""

from __future__ import annotations

from typing import Any

from common.errors import (
    AuthError,
    BudgetExhausted,
    ConfigError,
    PermanentError,
    RetryableError,
)
from common.log_fields import emit
from common.logging import get_logger
from common.ports import Doc, LlmReply
from common.resilience.guard import Guard
from common.resilience.retry import retry_after_from_error_body
from common.settings import Gemini

log = get_logger("gemini")


def _reasons(details: Any) -> set[str]:
    error = details.get("error", details) if isinstance(details, dict) else {}
    return {str(d.get("reason")) for d in error.get("details") or [] if isinstance(d, dict)}


def translate(exc: Exception, settings: Gemini | None = None) -> Exception:
    """The autoapply error for an SDK or transport exception."""
    from google.genai import errors

    if isinstance(exc, errors.APIError):
        what = f"Gemini {exc.code} {exc.status}: {exc.message}"
        model = settings.model if settings else "?"
        if exc.code == 404:
            return ConfigError(
                f"gemini.model {model!r} is not served by the Gemini API (retired or "
                f"misspelt): set gemini.model to a current model, e.g. {Gemini().model!r} "
                f"({what})",
                field="gemini.model",
            )
        if exc.code == 400 and "thinking" in str(exc.message).lower():
            return ConfigError(
                f"model {model!r} refuses the thinking setting: set gemini.thinking_level "
                f"(Gemini 3) or gemini.thinking_budget (Gemini 2.x) to a value it takes ({what})",
                field="gemini.thinking_level",
            )
        if exc.code == 429:
            return BudgetExhausted(what, retry_after=retry_after_from_error_body(exc.details))
        if exc.code >= 500 or exc.code == 408:
            return RetryableError(what)
        if exc.code in (401, 403) or "API_KEY_INVALID" in _reasons(exc.details):
            return AuthError(f"{what} (check the gemini-api-key secret / GEMINI_API_KEY)")
        return PermanentError(what)
    transport = type(exc).__module__.split(".")[0] in ("httpx", "httpx2", "aiohttp")
    if transport or isinstance(exc, OSError | TimeoutError):
        return RetryableError(f"Gemini unreachable: {type(exc).__name__}: {exc}")
    return exc


class GeminiClient:
    """:class:`common.ports.LlmClient` on the Gemini API."""

    def __init__(self, api_key: str, settings: Gemini, guard: Guard | None = None) -> None:
        self.settings = settings
        self.guard = guard or Guard.off()
        self.model = settings.model
        self._api_key = api_key
        self._client: Any = None

    def _sdk(self) -> Any:
        if self._client is None:
            from google import genai
            from google.genai import types

            self._client = genai.Client(
                api_key=self._api_key,
                http_options=types.HttpOptions(
                    api_version=self.settings.api_version,
                    timeout=int(self.settings.timeout_s * 1000),
                ),
            )
        return self._client

    def describe_model(self) -> Doc:
        """``models.get`` of the configured model (no tokens spent): its name and limits. A
        retired or misspelled model raises ConfigError naming ``gemini.model``."""
        with self.guard.attempt("gemini", "models.get"):
            try:
                model = self._sdk().models.get(model=self.model)
            except Exception as exc:
                raise translate(exc, self.settings) from exc
        return {
            "name": model.name,
            "input_token_limit": model.input_token_limit,
            "output_token_limit": model.output_token_limit,
        }

    def _thinking(self) -> Any:
        """The thinking setting of this model's family (a level, or a budget; never both)."""
        from google.genai import types

        if self.settings.thinks_by_budget:
            return types.ThinkingConfig(thinking_budget=self.settings.thinking_budget)
        return types.ThinkingConfig(thinking_level=self.settings.thinking_level.upper())

    def generate_json(self, system: str, parts: list[str], schema: Doc) -> LlmReply:
        """One generateContent call with a JSON schema; no retries (see the module doc)."""
        from google.genai import types

        config = types.GenerateContentConfig(
            system_instruction=system,
            temperature=self.settings.temperature,
            max_output_tokens=self.settings.max_output_tokens,
            thinking_config=self._thinking(),
            response_mime_type="application/json",
            response_json_schema=schema,
        )
        contents = [types.Content(role="user", parts=[types.Part(text=p) for p in parts])]
        # breaker + audit, no retry: redelivery is the one retry layer (see the module doc)
        with self.guard.attempt("gemini", "generate_content"):
            try:
                response = self._sdk().models.generate_content(
                    model=self.model, contents=contents, config=config
                )
            except Exception as exc:
                raise translate(exc, self.settings) from exc
        usage = response.usage_metadata
        feedback = response.prompt_feedback
        candidate = response.candidates[0] if response.candidates else None
        parsed = response.parsed if isinstance(response.parsed, dict) else None
        reply = LlmReply(
            data=parsed,
            text=response.text if candidate else None,
            finish_reason=str(candidate.finish_reason.value)
            if candidate and candidate.finish_reason
            else None,
            block_reason=str(feedback.block_reason.value)
            if feedback and feedback.block_reason
            else None,
            prompt_tokens=usage.prompt_token_count if usage else None,
            cached_tokens=usage.cached_content_token_count if usage else None,
            thoughts_tokens=usage.thoughts_token_count if usage else None,
        )
        emit(
            log,
            "llm_call",
            "gemini %s answered (%s)",
            self.model,
            reply.finish_reason or reply.block_reason,
            model=self.model,
            finish_reason=reply.finish_reason,
            blocked=reply.block_reason is not None,
            prompt_tokens=reply.prompt_tokens or 0,
            output_tokens=(usage.candidates_token_count if usage else None) or 0,
            thinking_tokens=(usage.thoughts_token_count if usage else None) or 0,
            cached_tokens=reply.cached_tokens or 0,
        )
        return reply
