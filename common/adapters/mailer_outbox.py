"""The embedded mailer: ``.eml`` files in an outbox folder, one per Message-ID."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from common.errors import ConfigError
from common.ports import MailResult


def _file_name(message_id: str) -> str:
    return hashlib.sha256(message_id.encode()).hexdigest()[:24] + ".eml"


class OutboxMailer:
    """:class:`common.ports.Mailer` writing RFC 5322 files; the same message writes one file."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)

    def deliver(self, raw: bytes, *, message_id: str, mode: str) -> MailResult:
        path = self.folder / _file_name(message_id)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
        os.replace(tmp, path)
        return MailResult("written", str(path))

    def find_sent(self, *, message_id: str, **_: object) -> str | None:
        path = self.folder / _file_name(message_id)
        return str(path) if path.is_file() else None

    def send_draft(self, draft_id: str) -> MailResult:
        raise ConfigError(
            "the outbox mailer cannot send; set backends.mailer to 'gmail' to approve drafts",
            field="backends.mailer",
        )

    def discard_draft(self, draft_id: str) -> None:
        """Remove a written ``.eml`` (only inside the outbox folder)."""
        path = Path(draft_id)
        if path.parent.resolve() == self.folder.resolve():
            path.unlink(missing_ok=True)
