"""PDF rendering with typst (the PyPI package bundles the compiler and its fonts).

The content goes to the template as JSON in ``sys.inputs.data``; the template inserts the
strings as text, so nothing in a profile or a posting can act as typst markup or code. Only
the fonts embedded in the typst package are used (Libertinus Serif, New Computer Modern:
Latin with accents, Greek, Cyrillic), so the output is the same on a laptop and in Cloud
Functions, whatever fonts the machine has.

One compiler per process keeps the parsed fonts and standard library (about 5x faster than
``typst.compile``); a lock serializes it for threaded servers. The data does not go through
the compiler's ``sys_inputs``: setting them rebuilds and rehashes typst's whole standard
library at every compile (about 1.3 ms of a letter's 5-6) and makes typst's memoized work of
the previous documents unusable. The template is compiled with a line put in front of it that
binds ``sys`` to ``(version: sys.version, inputs: (data: "<the JSON>"))``: the template's
``sys.inputs.data`` reads the same string (the PDFs are byte for byte the same), and the JSON
is a typst string literal whose backslashes and quotes are escaped, so nothing in it can end
the literal. The compiler's root is an empty folder of its own (removed when the process
exits), so a template cannot read files of the installation.

The last PDFs compiled are kept by content: the SHA-256 of the template, the data and the UTC
day. A tailored resume is often the same for many postings (the same highlights in the same
order), and compiling it again would give the same page; the day is in the key so that no
PDF carries the date of another day.
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from common.errors import ValidationError

_lock = threading.Lock()
#: content key -> PDF bytes, least recently used first (a PDF is 20-40 kB)
_cache: OrderedDict[bytes, bytes] = OrderedDict()
CACHE_SIZE = 64
#: "hits" and "compiles" since the process started (the bench reports them)
STATS = {"hits": 0, "compiles": 0}


@functools.cache
def _root() -> Any:
    """The compiler's empty root folder, removed when the process exits (a folder per
    process was left in the temporary directory by every command and worker process)."""
    import tempfile

    return tempfile.TemporaryDirectory(prefix="autoapply-typst-")


@functools.cache
def _compiler() -> Any:
    import typst

    return typst.Compiler(root=_root().name, ignore_system_fonts=True)


def source(template: bytes, data: str) -> bytes:
    """``template`` with ``sys.inputs.data`` bound to ``data`` (a JSON text) by a ``#let``
    line put in front of it (as if the compiler had been given ``sys_inputs={"data": data}``;
    a line of its own, so that a heading or list on the template's first line stays one)."""
    literal = data.replace("\\", "\\\\").replace('"', '\\"')
    return (
        f'#let sys = (version: sys.version, inputs: (data: "{literal}"))\n'.encode()
        + template.removeprefix(b"\xef\xbb\xbf")
    )


def render_pdf(template: bytes, data: dict[str, Any], *, name: str = "template") -> bytes:
    """Compile ``template`` with ``data``; a broken template is a ValidationError naming it."""
    import typst

    text = json.dumps(data, ensure_ascii=False)
    key = hashlib.sha256()
    for part in (template, text.encode(), datetime.now(UTC).date().isoformat().encode()):
        key.update(len(part).to_bytes(8, "big") + part)
    digest = key.digest()
    try:
        with _lock:
            if digest in _cache:
                STATS["hits"] += 1
                _cache.move_to_end(digest)
                return _cache[digest]
            STATS["compiles"] += 1
            pdf = _compiler().compile(input=source(template, text))
            _cache[digest] = pdf
            if len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
            return pdf
    except typst.TypstError as exc:
        raise ValidationError(
            f"document template {name} does not compile: {exc.message}", field=name
        ) from exc
