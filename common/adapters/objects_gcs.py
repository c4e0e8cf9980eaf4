"""The cloud object store: Cloud Storage (``google-cloud-storage``).

Retries: the storage client retries idempotent calls (its default retry); uploads here are
idempotent because every key is deterministic, so the default retry is kept and nothing else
retries.
"""

from __future__ import annotations

from typing import Any

from common.adapters.google_errors import google_call
from common.settings import require_setting


class GcsObjectStore:
    """:class:`common.ports.ObjectStore` on a Cloud Storage bucket."""

    def __init__(self, bucket: str | None, project: str | None = None, client: Any = None) -> None:
        bucket = require_setting(bucket, "gcp.bucket", "AUTOAPPLY_BUCKET", "Cloud Storage")
        if client is None:
            from google.cloud import storage

            with google_call("storage client"):
                client = storage.Client(project=project)
        self.client = client
        self.bucket = client.bucket(bucket)

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        with google_call(f"storage upload {key}"):
            self.bucket.blob(key).upload_from_string(data, content_type=content_type)
        return self.uri(key)

    def uri(self, key: str) -> str:
        return f"gs://{self.bucket.name}/{key}"

    def get(self, key: str) -> bytes:
        with google_call(f"storage download {key}"):
            return self.bucket.blob(key).download_as_bytes()

    def exists(self, key: str) -> bool:
        with google_call(f"storage exists {key}"):
            return bool(self.bucket.blob(key).exists())

    def version(self, key: str) -> str | None:
        with google_call(f"storage metadata {key}"):
            blob = self.bucket.get_blob(key)
        return None if blob is None else str(blob.generation)

    def list(self, prefix: str = "") -> list[str]:
        with google_call(f"storage list {prefix}"):
            return sorted(
                b.name for b in self.client.list_blobs(self.bucket, prefix=prefix or None)
            )

    def delete(self, key: str) -> None:
        from google.api_core.exceptions import NotFound

        with google_call(f"storage delete {key}"):
            try:
                self.bucket.blob(key).delete()
            except NotFound:
                return
