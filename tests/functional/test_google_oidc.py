"""OIDC tokens of Cloud Scheduler and Pub/Sub push, checked on the public scrape function."""

from __future__ import annotations

import time

import pytest
from pytest_httpserver import HTTPServer

from common.adapters.google_oidc import OidcVerifier
from common.errors import AuthError, RetryableError
from tests.helpers.oidc import TokenIssuer

AUD = "autoapply-scrape"
SCHEDULER = "autoapply-scheduler@proj.iam.gserviceaccount.com"


@pytest.fixture(scope="module")
def issuer() -> TokenIssuer:
    return TokenIssuer()


@pytest.fixture
def verifier(issuer: TokenIssuer, httpserver: HTTPServer) -> OidcVerifier:
    return OidcVerifier(AUD, [SCHEDULER], certs_url=issuer.serve_certs(httpserver))


def test_valid_token_passes_and_certs_are_cached(
    issuer: TokenIssuer, verifier: OidcVerifier, httpserver: HTTPServer
) -> None:
    for _ in range(3):
        claims = verifier.verify(f"Bearer {issuer.token(AUD, SCHEDULER)}")
        assert claims["email"] == SCHEDULER
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    ("header", "why"),
    [
        (None, "missing"),
        ("Basic abc", "missing"),
        ("Bearer not-a-jwt", "rejected"),
    ],
)
def test_malformed_headers(verifier: OidcVerifier, header: str | None, why: str) -> None:
    with pytest.raises(AuthError, match=why):
        verifier.verify(header)


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "someone-else"},
        {"email": "intruder@other.iam.gserviceaccount.com"},
        {"email_verified": False},
        {"iss": "https://evil.example"},
        {"exp": int(time.time()) - 600, "iat": int(time.time()) - 4200},
    ],
)
def test_wrong_claims_are_rejected(issuer: TokenIssuer, verifier: OidcVerifier, claims) -> None:  # type: ignore[no-untyped-def]
    claims = dict(claims)
    token = issuer.token(AUD, claims.pop("email", SCHEDULER), **claims)
    with pytest.raises(AuthError):
        verifier.verify(f"Bearer {token}")


def test_token_signed_by_another_key_is_rejected(verifier: OidcVerifier) -> None:
    forger = TokenIssuer(kid="test-key-1")  # same key id, different key
    with pytest.raises(AuthError):
        verifier.verify(f"Bearer {forger.token(AUD, SCHEDULER)}")


def test_unreachable_certs_are_retryable(issuer: TokenIssuer) -> None:
    verifier = OidcVerifier(AUD, [SCHEDULER], certs_url="http://127.0.0.1:9/certs")
    with pytest.raises(RetryableError):
        verifier.verify(f"Bearer {issuer.token(AUD, SCHEDULER)}")
