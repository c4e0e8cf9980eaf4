"""PDF rendering with typst (the PyPI package bundles the compiler and its fonts).

The content goes to the template as JSON in ``sys.inputs.data``; the template inserts the
strings as text, so nothing in a profile or a posting can act as typst markup or code. Only
the fonts embedded in the typst package are used (Libertinus Serif, New Computer Modern:
Latin with accents, Greek, Cyrillic), so the output is the same on a laptop and in Cloud
Functions, whatever fonts the machine has.

One compiler per process keeps the parsed fonts and standard library (about 5x faster than
``typst.compile``); a lock serializes it for threaded servers. Its root is an empty folder of
its own, so a template cannot read files of the installation.
"""

from __future__ import annotations

import functools
import json
import threading
from typing import Any

from common.errors import ValidationError

_lock = threading.Lock()


@functools.cache
def _compiler() -> Any:
    import tempfile

    import typst

    root = tempfile.mkdtemp(prefix="autoapply-typst-")
    return typst.Compiler(root=root, ignore_system_fonts=True)


def render_pdf(template: bytes, data: dict[str, Any], *, name: str = "template") -> bytes:
    """Compile ``template`` with ``data``; a broken template is a ValidationError naming it."""
    import typst

    inputs = {"data": json.dumps(data, ensure_ascii=False)}
    try:
        with _lock:
            return _compiler().compile(input=template, sys_inputs=inputs)
    except typst.TypstError as exc:
        raise ValidationError(
            f"document template {name} does not compile: {exc.message}", field=name
        ) from exc
