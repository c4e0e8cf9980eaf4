"""Fixtures for the document tests: a Cloud Storage object store on a fresh emulator bucket."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

PROJECT = "autoapply-test"


@pytest.fixture
def gcs_objects(gcs_emulator: str) -> Any:
    """A :class:`GcsObjectStore` on an empty bucket of its own, built like the runtime does."""
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    from common.adapters.objects_gcs import GcsObjectStore

    bucket = f"documents-{uuid.uuid4().hex[:10]}"
    storage.Client(project=PROJECT, credentials=AnonymousCredentials()).create_bucket(bucket)
    return GcsObjectStore(bucket, PROJECT)
