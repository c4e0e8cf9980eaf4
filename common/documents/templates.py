"""Document templates in object storage: the shipped defaults are seeded on first use.

A user changes the look by replacing ``templates/resume.typ`` / ``templates/letter.typ`` (or
adding ``templates/reference.docx`` for the DOCX styles) in the object store; the defaults in
``common/resources/templates`` are written there only when the key is missing.
"""

from __future__ import annotations

from importlib import resources

from common.ports import ObjectStore

PREFIX = "templates/"
RESUME_TYP = "resume.typ"
LETTER_TYP = "letter.typ"
REFERENCE_DOCX = "reference.docx"
DEFAULTS = (RESUME_TYP, LETTER_TYP)


def default_template(name: str) -> bytes:
    """The template shipped in the package."""
    return (resources.files("common.resources") / "templates" / name).read_bytes()


class Templates:
    """Reads templates from an object store (seeding the defaults), or the package alone."""

    def __init__(self, objects: ObjectStore | None = None) -> None:
        self.objects = objects

    def get(self, name: str) -> bytes:
        """The template ``name``: the stored one, else the default (stored for next time)."""
        if self.objects is None:
            return default_template(name)
        key = PREFIX + name
        if not self.objects.exists(key):
            self.objects.put(key, default_template(name), "text/plain; charset=utf-8")
        return self.objects.get(key)

    def reference_docx(self) -> bytes | None:
        """The user's DOCX reference document, when there is one (none is shipped)."""
        key = PREFIX + REFERENCE_DOCX
        if self.objects is None or not self.objects.exists(key):
            return None
        return self.objects.get(key)

    def seed(self) -> list[str]:
        """Write every missing default; returns the keys written."""
        written = []
        if self.objects is not None:
            for name in DEFAULTS:
                if not self.objects.exists(PREFIX + name):
                    self.get(name)
                    written.append(PREFIX + name)
        return written
