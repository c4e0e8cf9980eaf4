"""The one error hierarchy.

Adapters translate SDK errors at their edge into these. Handlers apply one policy:
a :class:`RetryableError` is raised again (Pub/Sub redelivers, HTTP answers 503); a
:class:`PermanentError` is recorded, acknowledged and answered with a 4xx.
"""

from __future__ import annotations

from datetime import datetime


class AutoapplyError(Exception):
    """Root of every error autoapply raises on purpose."""

    retryable: bool = False

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def to_dict(self) -> dict[str, str]:
        """A JSON-safe description, for HTTP answers and records."""
        out = {"error": type(self).__name__, "message": self.message}
        if self.field:
            out["field"] = self.field
        return out


def first_problem(exc: Exception) -> tuple[str, str, object]:
    """``(dotted field, message, input)`` of a pydantic ValidationError's first error: what
    every "field 'x': expected ..." message here is built from."""
    err = exc.errors()[0]  # type: ignore[attr-defined]
    return ".".join(str(p) for p in err["loc"]), str(err["msg"]), err.get("input")


class PermanentError(AutoapplyError):
    """Retrying will not help: bad input, a missing resource, a refused request."""


class RetryableError(AutoapplyError):
    """A passing failure (timeout, 429, 5xx, contention): try again later."""

    retryable = True

    def __init__(
        self, message: str, *, field: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after


class ConfigError(PermanentError):
    """A setting is missing or has a bad value; the message names the field and the fix."""


class ValidationError(PermanentError):
    """Input (a request body, a file, a model answer) does not have the expected shape."""


class AuthError(PermanentError):
    """A credential is missing, wrong or revoked."""


class NotFoundError(PermanentError):
    """The thing asked for does not exist."""


class ConflictError(RetryableError):
    """A concurrent writer won; the operation may be retried."""


class BudgetExhausted(RetryableError):
    """A quota or budget is used up for now; the work waits for later."""


class CircuitOpen(RetryableError):
    """The circuit breaker of an external service is open: defer the work until it closes.

    Raised before any call is made. A Pub/Sub handler lets it propagate, so the message is
    redelivered later instead of the job failing; ``retry_after`` is when the breaker lets a
    trial call through.
    """

    def __init__(self, service: str, retry_after: float | None = None) -> None:
        wait = f"; retry in {retry_after:.0f} s" if retry_after is not None else ""
        super().__init__(f"{service}: circuit breaker open{wait}", retry_after=retry_after)
        self.service = service


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` says the service is failing (counts against its circuit breaker).

    Retryable errors (timeouts, 429, 5xx) and untranslated exceptions count; a permanent
    error (a 400 for a bad request, a missing resource, a refused credential) is a business
    answer from a working service and does not. Our own refusals (an open breaker, an
    exhausted local budget) are not the service's failures either.
    """
    if isinstance(exc, CircuitOpen | BudgetExhausted):
        return False
    if isinstance(exc, AutoapplyError):
        return exc.retryable
    return isinstance(exc, Exception)


class DailyLimitExceeded(BudgetExhausted):
    """The mail provider's daily sending limit is reached: sending pauses until it allows.

    ``until``: when the provider said to try again, if it did."""

    def __init__(
        self, message: str, *, field: str | None = None, until: datetime | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.until = until


class OutcomeUnknown(RetryableError):
    """A request may or may not have taken effect (timeout, lost answer, 5xx on a send).

    Never repeat it blindly: reconcile first (look for its effect), then decide.
    """
