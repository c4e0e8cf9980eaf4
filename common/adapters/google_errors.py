"""Translate Google SDK errors (Firestore, Pub/Sub, Storage, Secret Manager) at the edge."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from common.errors import (
    AuthError,
    AutoapplyError,
    ConflictError,
    NotFoundError,
    PermanentError,
    RetryableError,
)


def translate(exc: Exception, what: str) -> AutoapplyError:
    """The autoapply error for an SDK exception raised while doing ``what``."""
    from google.api_core import exceptions as gex
    from google.auth import exceptions as auth_ex

    text = f"{what}: {type(exc).__name__}: {exc}"
    if isinstance(exc, auth_ex.DefaultCredentialsError):
        return AuthError(
            f"{what}: no Google Cloud credentials found. Fix: run `gcloud auth "
            "application-default login` (or set GOOGLE_APPLICATION_CREDENTIALS), or use the "
            "embedded backends (backends: store: sqlite, objects: local, bus: local, secrets: env)"
        )
    if isinstance(exc, gex.Aborted | gex.Conflict):
        return ConflictError(text)
    if isinstance(
        exc,
        gex.TooManyRequests
        | gex.ServiceUnavailable
        | gex.InternalServerError
        | gex.DeadlineExceeded
        | gex.GatewayTimeout
        | gex.BadGateway
        | gex.RetryError,
    ):
        return RetryableError(text)
    if isinstance(exc, gex.NotFound):
        return NotFoundError(text)
    if isinstance(exc, gex.Unauthenticated | gex.PermissionDenied | auth_ex.GoogleAuthError):
        return AuthError(text)
    if isinstance(exc, gex.GoogleAPICallError):
        return PermanentError(text)
    if isinstance(exc, ConnectionError | TimeoutError | OSError):
        return RetryableError(text)
    return PermanentError(text)


@contextmanager
def google_call(what: str) -> Iterator[None]:
    """Run SDK calls, re-raising their errors as autoapply errors."""
    from google.api_core import exceptions as gex
    from google.auth import exceptions as auth_ex

    try:
        yield
    except AutoapplyError:
        raise
    except (gex.GoogleAPIError, auth_ex.GoogleAuthError, ConnectionError, TimeoutError) as exc:
        raise translate(exc, what) from exc
