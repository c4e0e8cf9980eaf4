"""The embedded object store: a local folder."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from common.errors import NotFoundError, ValidationError

_serial = itertools.count()
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class LocalObjectStore:
    """:class:`common.ports.ObjectStore` on a folder; writes are atomic (temp file + rename).

    Keys are checked as text (relative, no ``..``), not by resolving the file system: the
    folder is the store's own, and resolving every key cost more than writing the file.
    """

    #: another process of this machine may write it (a batch's worker processes do)
    shared_across_processes = True

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        norm = os.path.normpath(key) if key else ""
        if not norm or norm == "." or os.path.isabs(norm) or norm.split(os.sep)[0] == "..":
            raise ValidationError(f"object key {key!r}: expected a relative path inside the store")
        return self.root / norm

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        path = self._path(key)
        tmp = f"{path.parent}/.tmp-{os.getpid()}-{next(_serial)}-{os.urandom(4).hex()}"
        try:
            fd = os.open(tmp, _EXCLUSIVE, 0o644)
        except FileNotFoundError:  # the key's folder is new
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, _EXCLUSIVE, 0o644)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return str(path)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise NotFoundError(f"object {key!r} does not exist in {self.root}") from exc

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def version(self, key: str) -> str | None:
        # a write renames a new file into place: a new inode, mtime and maybe size
        try:
            st = os.stat(self._path(key))
        except FileNotFoundError:
            return None
        return f"{st.st_ino}-{st.st_mtime_ns}-{st.st_size}"

    def list(self, prefix: str = "") -> list[str]:
        # walk only the folder the prefix names (applications/app-1/ is one small folder,
        # not the whole store): the cost follows the answer, not the store's size
        head = Path(prefix.rpartition("/")[0]).as_posix() if "/" in prefix else "."
        top = os.path.join(self.root, head) if head != "." else str(self.root)
        real, root = os.path.realpath(top), str(self.root)
        if real != root and not real.startswith(root + os.sep):
            return []  # outside the store (a link, or ..)
        keys: list[str] = []
        self._walk(top, "" if head == "." else head + "/", keys)  # os.walk cost 3x more
        return sorted(k for k in keys if k.startswith(prefix))

    def _walk(self, folder: str, base: str, keys: list[str]) -> None:
        """Every file under ``folder`` (its key starting with ``base``) into ``keys``, as
        ``os.walk`` finds them (folders linked to are not entered; errors are skipped)."""
        try:
            with os.scandir(folder) as found:
                entries = list(found)
        except OSError:
            return
        for entry in entries:
            if entry.is_dir():
                if not entry.is_symlink():
                    self._walk(entry.path, base + entry.name + "/", keys)
            elif not entry.name.startswith(".tmp-"):
                keys.append(base + entry.name)

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def uri(self, key: str) -> str:
        return self._path(key).as_uri()
