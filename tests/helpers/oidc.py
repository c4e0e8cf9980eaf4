"""Google-style OIDC tokens signed by a key of our own, and the certificates to check them."""

from __future__ import annotations

import json
import time
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pytest_httpserver import HTTPServer


class TokenIssuer:
    """Signs tokens like Google's; serves its public keys like the certs endpoint."""

    def __init__(self, kid: str = "test-key-1") -> None:
        from google.auth import crypt

        self.kid = kid
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self.public_pem = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        self.signer = crypt.RSASigner.from_string(pem, key_id=kid)

    def token(self, audience: str, email: str, **overrides: Any) -> str:
        """A signed ID token for ``email`` and ``audience`` (claims overridable)."""
        from google.auth import jwt

        now = int(time.time())
        claims = {
            "iss": "https://accounts.google.com",
            "aud": audience,
            "email": email,
            "email_verified": True,
            "sub": "1234",
            "iat": now,
            "exp": now + 3600,
            **overrides,
        }
        return jwt.encode(self.signer, claims).decode()

    def serve_certs(self, server: HTTPServer) -> str:
        """Serve ``{kid: public key}`` and return its URL."""
        server.expect_request("/oauth2/v1/certs").respond_with_data(
            json.dumps({self.kid: self.public_pem}), content_type="application/json"
        )
        return server.url_for("/oauth2/v1/certs")
