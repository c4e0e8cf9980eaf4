"""Document templates in object storage: the shipped defaults are seeded on first use.

A user changes the look by replacing ``templates/resume.typ``, ``templates/letter.typ`` (PDF)
or ``templates/reference.docx`` (DOCX styles) in the object store; the defaults in
``common/resources/templates`` are written there only when the key is missing.

The bytes read are kept per process with the object's version (:meth:`ObjectStore.version`):
each use asks only whether the stored template changed (one call instead of two, and no
download), so an edited template is used from the next document on.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from importlib import resources

from common.ports import ObjectStore

PREFIX = "templates/"
RESUME_TYP = "resume.typ"
LETTER_TYP = "letter.typ"
REFERENCE_DOCX = "reference.docx"
DEFAULTS = (RESUME_TYP, LETTER_TYP, REFERENCE_DOCX)
MEDIA_TYPES = {
    RESUME_TYP: "text/plain; charset=utf-8",
    LETTER_TYP: "text/plain; charset=utf-8",
    REFERENCE_DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


#: template URI -> (version, bytes), least recently used first
_cache: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
_lock = threading.Lock()
CACHE_SIZE = 16


@functools.cache
def default_template(name: str) -> bytes:
    """The template shipped in the package."""
    return (resources.files("common.resources") / "templates" / name).read_bytes()


class Templates:
    """Reads templates from an object store (seeding the defaults), or the package alone.

    ``prefix`` is where they live in the store; with ``seed=False`` a missing template falls
    back to the default without writing it (for a user's own template folder).
    """

    def __init__(
        self, objects: ObjectStore | None = None, *, prefix: str = PREFIX, seed: bool = True
    ) -> None:
        self.objects = objects
        self.prefix = prefix
        self.seed_missing = seed

    def get(self, name: str) -> bytes:
        """The template ``name``: the stored one, else the default (stored for next time)."""
        key = self.prefix + name
        if self.objects is None:
            return default_template(name)
        version = self.objects.version(key)
        if version is None:
            if not self.seed_missing:
                return default_template(name)
            self.objects.put(key, default_template(name), MEDIA_TYPES[name])
            version = self.objects.version(key)
        uri = self.objects.uri(key)
        with _lock:
            hit = _cache.get(uri)
            if hit is not None and hit[0] == version:
                _cache.move_to_end(uri)
                return hit[1]
        data = self.objects.get(key)
        if version is not None:  # None: removed since, so nothing to keep
            with _lock:
                _cache[uri] = (version, data)
                _cache.move_to_end(uri)
                if len(_cache) > CACHE_SIZE:
                    _cache.popitem(last=False)
        return data

    def seed(self) -> list[str]:
        """Write every missing default; returns the keys written."""
        missing = [n for n in DEFAULTS if self.objects and not self.objects.exists(self.prefix + n)]
        for name in missing:
            self.get(name)
        return [self.prefix + n for n in missing]
