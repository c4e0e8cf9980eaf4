"""Plain HTTP requests for health checks (standard library only: no SDK at cold start).

One attempt, a short timeout, errors translated here. Messages name the service and the HTTP
status, never the URL's query, a header or the response body (which could echo a secret).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import Any

from common.errors import AuthError, NotFoundError, PermanentError, RetryableError


def translate_status(status: int, what: str) -> Exception:
    """The autoapply error for an HTTP error status."""
    text = f"{what}: HTTP {status}"
    if status in (401, 403):
        return AuthError(f"{text} (credential refused)")
    if status == 404:
        return NotFoundError(f"{text} (not found)")
    if status in (408, 429) or status >= 500:
        return RetryableError(text)
    return PermanentError(text)


def request_json(
    url: str,
    *,
    what: str,
    timeout: float,
    headers: Mapping[str, str] | None = None,
    form: Mapping[str, str] | None = None,
) -> Any:
    """GET (or POST ``form`` url-encoded) and return the decoded JSON answer."""
    data = urllib.parse.urlencode(dict(form)).encode() if form is not None else None
    request = urllib.request.Request(url, data=data, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        exc.close()
        raise translate_status(exc.code, what) from None
    except TimeoutError as exc:
        raise RetryableError(f"{what}: timed out after {timeout:g} s") from exc
    except (urllib.error.URLError, OSError) as exc:
        if isinstance(getattr(exc, "reason", None), TimeoutError):
            raise RetryableError(f"{what}: timed out after {timeout:g} s") from exc
        raise RetryableError(f"{what}: unreachable ({type(exc).__name__})") from exc
    try:
        return json.loads(body or b"null")
    except ValueError as exc:
        raise RetryableError(f"{what}: answer is not JSON") from exc
