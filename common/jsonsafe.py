"""JSON and YAML from outside, decoded without exhausting the stack.

A few kilobytes of nested brackets (``[[[[...]]]]``) make the standard decoders, or any
recursive code that walks the result later (pydantic, the stores, ``json.dumps``), raise
RecursionError: an HTTP 500 on a webhook, a traceback in the CLI. Everything that decodes
untrusted JSON or YAML goes through :func:`loads` / :func:`load_yaml`, or calls
:func:`check_depth` on what its own decoder produced (a streaming dataset reader); each
raises :class:`common.errors.ValidationError` with one line naming where the problem is.

No real input comes close to :data:`MAX_DEPTH` (Apify items, webhook and Pub/Sub bodies,
JSON Resume documents and settings are all under ten levels deep).
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Any

from common.errors import ValidationError

#: containers nested deeper than this are refused
MAX_DEPTH = 64
#: containers and values visited at most (a YAML alias bomb shares nodes, and is refused)
MAX_NODES = 1_000_000
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\']|\'\')*\'')
_BRACKETS = re.compile(r"[][{}]")


def too_deep(where: str, max_depth: int = MAX_DEPTH) -> ValidationError:
    """The error for a value nested deeper than ``max_depth``."""
    return ValidationError(
        f"{where}: nested deeper than {max_depth} levels (no real input nests this deep)",
        field=where,
    )


def check_depth(value: Any, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """``value`` unchanged, or ValidationError when its lists and objects nest deeper than
    ``max_depth`` or hold more than :data:`MAX_NODES` values. Iterative: it never recurses."""
    if not isinstance(value, dict | list):
        return value
    stack: list[tuple[Any, int]] = [(value, 1)]
    seen = 0
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node
        seen += len(children)
        if seen > MAX_NODES:
            raise ValidationError(f"{where}: more than {MAX_NODES} values", field=where)
        for child in children:
            if isinstance(child, dict | list):
                if depth >= max_depth:
                    raise too_deep(where, max_depth)
                stack.append((child, depth + 1))
    return value


def loads(data: str | bytes, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """Decode one JSON document; ValidationError (one line, naming ``where``) when it is not
    JSON, not UTF-8, or nested too deep."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise too_deep(where, max_depth) from None
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{where}: not UTF-8 text ({exc.reason})", field=where) from exc
    except ValueError as exc:
        raise ValidationError(f"{where}: not valid JSON ({exc})", field=where) from exc
    return check_depth(value, where, max_depth)


def yaml_problem(exc: Exception) -> str:
    """A YAML error in one line: what is wrong and where (PyYAML's own text spans lines)."""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    return " ".join(f"{problem}{where}".split())


def _flow_depth(text: str) -> int:
    """How deep YAML flow collections (``[...]``, ``{...}``) nest, quoted text aside."""
    brackets = _BRACKETS.findall(_QUOTED.sub("", text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def load_yaml(text: str, where: str, max_depth: int = MAX_DEPTH) -> Any:
    """Decode YAML (or JSON, a subset) with ``yaml.safe_load``; ValidationError in one line
    when it is not valid YAML or nested too deep."""
    import yaml

    if text.count("[") + text.count("{") > max_depth and _flow_depth(text) > max_depth:
        raise too_deep(where, max_depth)  # before PyYAML spends seconds recursing into it
    try:
        value = yaml.safe_load(text)
    except RecursionError:
        raise too_deep(where, max_depth) from None
    except yaml.YAMLError as exc:
        raise ValidationError(
            f"{where}: not valid YAML ({yaml_problem(exc)})", field=where
        ) from exc
    return check_depth(value, where, max_depth)
