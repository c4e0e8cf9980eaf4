"""The cloud secrets: Secret Manager (``google-cloud-secret-manager``).

Values are cached in-process for ``ttl`` seconds, so a warm function does not pay a call per
request; the payload's CRC32C is checked. Retries: the SDK's own default for
``access_secret_version`` (UNAVAILABLE and RESOURCE_EXHAUSTED, backoff up to 60 s), the one
retry layer for secrets; a failure after it is translated, and the handler's policy decides.
"""

from __future__ import annotations

import time
from typing import Any

from common.adapters.google_errors import google_call
from common.errors import NotFoundError, PermanentError
from common.settings import require_setting


class SecretManagerSecrets:
    """:class:`common.ports.Secrets` on Secret Manager, latest versions."""

    def __init__(
        self, project: str | None, client: Any = None, endpoint: str | None = None, ttl: float = 300
    ) -> None:
        project = require_setting(project, "gcp.project", "GOOGLE_CLOUD_PROJECT", "Secret Manager")
        if client is None:
            from google.cloud import secretmanager

            with google_call("secretmanager client"):
                if endpoint:  # a local fake: REST, no TLS, no credentials
                    from google.auth.credentials import AnonymousCredentials

                    client = secretmanager.SecretManagerServiceClient(
                        transport="rest",
                        credentials=AnonymousCredentials(),
                        client_options={"api_endpoint": endpoint},
                    )
                else:
                    client = secretmanager.SecretManagerServiceClient()
        self.client = client
        self.project = project
        self.ttl = ttl
        self._cache: dict[str, tuple[float, str | None]] = {}

    def get(self, name: str) -> str | None:
        hit = self._cache.get(name)
        if hit and time.monotonic() - hit[0] < self.ttl:
            return hit[1]
        path = f"projects/{self.project}/secrets/{name}/versions/latest"
        try:
            with google_call(f"secretmanager access {name}"):
                response = self.client.access_secret_version(request={"name": path})
        except NotFoundError:
            value = None
        else:
            import google_crc32c

            data = response.payload.data
            crc = response.payload.data_crc32c
            if crc and int(google_crc32c.value(data)) != int(crc):
                raise PermanentError(f"secret {name}: payload checksum mismatch")
            value = data.decode("utf-8")
        self._cache[name] = (time.monotonic(), value)
        return value
