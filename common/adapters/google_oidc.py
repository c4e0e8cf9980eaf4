"""Verify Google-signed OIDC tokens (Cloud Scheduler, Pub/Sub push) on a public function.

The scrape function must be public (Apify cannot send Google tokens), so Cloud Run does not
check who calls it; the routes that Google itself calls (``POST /runs`` from Cloud Scheduler,
``POST /tasks/...`` from Pub/Sub push) check the ``Authorization: Bearer`` token here: signed
by Google (certificates fetched once an hour), issued by accounts.google.com, for our
audience, not expired, and naming an allowed service account with a verified email.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterable
from typing import Any

from common.errors import AuthError, RetryableError

GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
ISSUERS = {"accounts.google.com", "https://accounts.google.com"}


class OidcVerifier:
    """Checks bearer tokens against one audience and a set of allowed service accounts."""

    def __init__(
        self,
        audience: str,
        allowed: Iterable[str],
        certs_url: str = GOOGLE_CERTS_URL,
        cache_seconds: float = 3600,
    ) -> None:
        self.audience = audience
        self.allowed = {a.strip().lower() for a in allowed if a.strip()}
        self.certs_url = certs_url
        self.cache_seconds = cache_seconds
        self._certs: tuple[float, dict[str, str]] | None = None
        self._lock = threading.Lock()

    def _fetch_certs(self) -> dict[str, str]:
        with self._lock:
            if self._certs and time.monotonic() - self._certs[0] < self.cache_seconds:
                return self._certs[1]
            try:
                with urllib.request.urlopen(self.certs_url, timeout=10) as response:
                    certs = json.loads(response.read())
            except (OSError, ValueError) as exc:
                raise RetryableError(f"Google's token certificates are unreachable: {exc}") from exc
            self._certs = (time.monotonic(), certs)
            return certs

    def verify(self, authorization: str | None) -> dict[str, Any]:
        """The token's claims, or AuthError saying what is wrong (never the token itself)."""
        from google.auth import exceptions, jwt

        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("missing 'Authorization: Bearer' OIDC token")
        try:
            claims = jwt.decode(
                token.strip(),
                certs=self._fetch_certs(),
                audience=self.audience,
                clock_skew_in_seconds=60,
            )
        except (ValueError, exceptions.GoogleAuthError) as exc:
            raise AuthError(f"OIDC token rejected: {type(exc).__name__}: {exc}") from exc
        if claims.get("iss") not in ISSUERS:
            raise AuthError("OIDC token rejected: not issued by accounts.google.com")
        email = str(claims.get("email", "")).lower()
        if not claims.get("email_verified") or email not in self.allowed:
            raise AuthError("OIDC token rejected: the caller is not an allowed service account")
        return claims
