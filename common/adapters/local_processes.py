"""Which local autoapply processes are alive, told by file locks (POSIX ``flock``).

Each local process that may take leases holds an exclusive lock on
``<folder>/<process id>.lock`` for its whole life; the operating system drops the lock when
the process ends, even on SIGKILL. A lease whose owner's file can be locked by someone else
was left by a dead process, so ``autoapply run`` / ``resume`` take it over at once instead of
waiting for it to expire. A process without a file here (a cloud function, another machine)
is never declared dead: its leases expire as usual. Without ``fcntl`` (Windows) nothing is
registered and nothing is declared dead.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import tempfile
from pathlib import Path

from common.store.lease import PROCESS_ID, owner_process

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

#: open lock files of this process, by path: kept open (and locked) until it exits
_HELD: dict[Path, int] = {}


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class LocalProcesses:
    """The registry of live local processes in one folder (``<data_dir>/processes``)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._dead: set[str] = set()

    def _path(self, process_id: str) -> Path:
        return self.folder / f"{process_id}.lock"

    def register(self, process_id: str = PROCESS_ID) -> None:
        """Mark ``process_id`` (this process) alive until it exits; removes the files that
        dead processes left behind. Idempotent."""
        path = self._path(process_id)
        if fcntl is None or path in _HELD:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # lock a temporary file, then move it into place: the file never exists unlocked
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".new-")
        if not _try_lock(fd):  # pragma: no cover - a fresh file is always lockable
            os.close(fd)
            return
        os.replace(tmp, path)
        _HELD[path] = fd
        atexit.register(_unregister, path)
        for other in self.folder.glob("*.lock"):
            if other != path:
                self.is_dead(other.stem)

    def is_dead(self, process_id: str) -> bool:
        """True when ``process_id`` registered here and has ended (its file is removed)."""
        if process_id in self._dead:
            return True
        path = self._path(process_id)
        if fcntl is None or path in _HELD:
            return False
        try:
            fd = os.open(path, os.O_RDWR)
        except OSError:
            return False  # never registered here, or already found dead
        try:
            if not _try_lock(fd):
                return False
            with contextlib.suppress(OSError):
                path.unlink()
        finally:
            os.close(fd)
        self._dead.add(process_id)
        return True

    def owner_is_dead(self, owner: object) -> bool:
        """Whether the lease owner ``owner`` (``common.store.lease.new_owner``) has died."""
        process = owner_process(owner)
        return process is not None and self.is_dead(process)


def _unregister(path: Path) -> None:
    fd = _HELD.pop(path, None)
    if fd is None:
        return
    with contextlib.suppress(OSError):
        path.unlink()
    os.close(fd)
