"""The object-store contract, on a local folder and on the Cloud Storage emulator."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from common.adapters.objects_local import LocalObjectStore
from common.errors import ConfigError, NotFoundError, ValidationError
from common.ports import ObjectStore
from tests.helpers.gcs_emulator import BUCKET


@pytest.fixture(params=["local", "gcs"])
def objects(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "local":
        return LocalObjectStore(tmp_path / "objects")
    request.getfixturevalue("gcs_emulator")
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import storage

    from common.adapters.objects_gcs import GcsObjectStore

    client = storage.Client(project="test", credentials=AnonymousCredentials())
    store = GcsObjectStore(BUCKET, client=client)
    prefix = f"t{uuid.uuid4().hex[:8]}/"  # the bucket is shared by the session
    return _Prefixed(store, prefix)


class _Prefixed:
    """Keeps each test's keys apart inside the shared emulator bucket."""

    def __init__(self, inner: ObjectStore, prefix: str) -> None:
        self.inner, self.prefix = inner, prefix

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        return self.inner.put(self.prefix + key, data, content_type)

    def get(self, key: str) -> bytes:
        return self.inner.get(self.prefix + key)

    def exists(self, key: str) -> bool:
        return self.inner.exists(self.prefix + key)

    def version(self, key: str) -> str | None:
        return self.inner.version(self.prefix + key)

    def list(self, prefix: str = "") -> list[str]:
        return [k.removeprefix(self.prefix) for k in self.inner.list(self.prefix + prefix)]

    def delete(self, key: str) -> None:
        self.inner.delete(self.prefix + key)

    def uri(self, key: str) -> str:
        return self.inner.uri(self.prefix + key)


def test_put_get_replace(objects: ObjectStore) -> None:
    locator = objects.put("applications/a/resume.pdf", b"%PDF-1", "application/pdf")
    assert locator.endswith("applications/a/resume.pdf")
    assert objects.uri("applications/a/resume.pdf").endswith("applications/a/resume.pdf")
    assert objects.uri("x").split(":")[0] in ("file", "gs")
    assert objects.get("applications/a/resume.pdf") == b"%PDF-1"
    objects.put("applications/a/resume.pdf", b"%PDF-2", "application/pdf")
    assert objects.get("applications/a/resume.pdf") == b"%PDF-2"


def test_exists_list_delete(objects: ObjectStore) -> None:
    objects.put("a/1.txt", b"1")
    objects.put("a/2.txt", b"2")
    objects.put("b/3.txt", b"3")
    assert objects.exists("a/1.txt") and not objects.exists("a/9.txt")
    assert objects.list("a/") == ["a/1.txt", "a/2.txt"]
    assert objects.list() == ["a/1.txt", "a/2.txt", "b/3.txt"]
    objects.delete("a/1.txt")
    objects.delete("a/1.txt")  # absent: not an error
    assert objects.list("a/") == ["a/2.txt"]


def test_version_changes_with_every_write(objects: ObjectStore) -> None:
    assert objects.version("v/t.typ") is None
    objects.put("v/t.typ", b"one")
    first = objects.version("v/t.typ")
    assert first is not None and objects.version("v/t.typ") == first
    objects.put("v/t.typ", b"one")  # the same bytes written again still count as a write
    second = objects.version("v/t.typ")
    assert second not in (None, first)
    objects.delete("v/t.typ")
    assert objects.version("v/t.typ") is None


def test_missing_key_raises_not_found(objects: ObjectStore) -> None:
    with pytest.raises(NotFoundError):
        objects.get("nothing/here")


def test_local_keys_cannot_escape_the_folder(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "objects")
    for key in ("../outside", "/etc/passwd", "a/../../x", "", ".", "a/.."):
        with pytest.raises(ValidationError):
            store.put(key, b"x")


def test_gcs_needs_a_bucket() -> None:
    from common.adapters.objects_gcs import GcsObjectStore

    with pytest.raises(ConfigError, match="AUTOAPPLY_BUCKET"):
        GcsObjectStore(None, client=object())


def test_local_list_walks_only_the_prefix_folder(tmp_path) -> None:
    from common.adapters.objects_local import LocalObjectStore

    store = LocalObjectStore(tmp_path)
    for i in range(50):
        store.put(f"applications/app-{i}/resume.pdf", b"x")
    store.put("applications/app-1x/resume.pdf", b"x")
    assert store.list("applications/app-1/") == ["applications/app-1/resume.pdf"]
    partial = store.list("applications/app-1")  # a prefix that ends inside a name
    assert len(partial) == 12 and "applications/app-1x/resume.pdf" in partial
    assert store.list("nothing/here/") == []
    assert len(store.list()) == 51


def test_local_list_stays_inside_the_store(tmp_path) -> None:
    from common.adapters.objects_local import LocalObjectStore

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("x")
    store = LocalObjectStore(tmp_path / "store")
    store.put("a/b/one.txt", b"x")
    store.put("a/two.txt", b"x")
    (tmp_path / "store" / "a" / ".tmp-123-0-ab").write_text("partial")
    (tmp_path / "store" / "link").symlink_to(outside, target_is_directory=True)
    (tmp_path / "store" / "a" / "inner").symlink_to(tmp_path / "store" / "a" / "b")
    assert store.list("a/") == ["a/b/one.txt", "a/two.txt"]  # linked folders not entered
    assert store.list("link/") == []  # a link out of the store is not followed
    assert store.list("../outside/") == []
    assert store.list() == ["a/b/one.txt", "a/two.txt"]
