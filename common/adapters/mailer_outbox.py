"""The embedded mailer: ``.eml`` files in an outbox folder, one per Message-ID.

Mode ``draft`` writes the file to a ``drafts`` folder beside the outbox instead: nothing is in
the outbox until you approve it (``autoapply approve`` moves the file there).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from common.errors import NotFoundError
from common.ports import MailResult


def _file_name(message_id: str) -> str:
    return hashlib.sha256(message_id.encode()).hexdigest()[:24] + ".eml"


def _write(folder: Path, name: str, raw: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(raw)
    os.replace(tmp, path)
    return path


class OutboxMailer:
    """:class:`common.ports.Mailer` writing RFC 5322 files; the same message writes one file."""

    def __init__(self, folder: str | Path, drafts: str | Path | None = None) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.drafts = Path(drafts) if drafts else self.folder.parent / "drafts"

    def deliver(self, raw: bytes, *, message_id: str, mode: str) -> MailResult:
        if mode == "draft":
            return MailResult("drafted", str(_write(self.drafts, _file_name(message_id), raw)))
        return MailResult("written", str(_write(self.folder, _file_name(message_id), raw)))

    def find_sent(self, *, message_id: str, mode: str = "send", **_: object) -> str | None:
        folder = self.drafts if mode == "draft" else self.folder
        path = folder / _file_name(message_id)
        return str(path) if path.is_file() else None

    def send_draft(self, draft_id: str) -> MailResult:
        """Approve a local draft: move its file into the outbox (``written``)."""
        draft = self._inside(draft_id, self.drafts)
        target = self.folder / draft.name if draft else None
        if draft is None or target is None:
            raise NotFoundError(f"{draft_id} is not a draft of this outbox", field="draft_id")
        if not draft.is_file():
            if target.is_file():  # moved by an earlier attempt whose answer was lost
                return MailResult("written", str(target))
            raise NotFoundError(f"draft {draft_id} is gone", field="draft_id")
        os.replace(draft, target)
        return MailResult("written", str(target))

    def discard_draft(self, draft_id: str) -> None:
        """Remove a draft or a written ``.eml`` (only inside the drafts or outbox folder)."""
        for folder in (self.drafts, self.folder):
            path = self._inside(draft_id, folder)
            if path is not None:
                path.unlink(missing_ok=True)

    @staticmethod
    def _inside(locator: str, folder: Path) -> Path | None:
        path = Path(locator)
        return path if path.parent.resolve() == folder.resolve() else None
