"""Facts read from the code itself (AST), for tests that cross-check the deployment against it.

Read, never hard-coded: when another change adds a secret, a topic, an environment variable or
a route, these answers change with it, and the cross-checks notice what the deployment lacks.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = (ROOT / "common", ROOT / "functions")


def _trees(dirs: tuple[Path, ...] = CODE_DIRS) -> Iterator[tuple[Path, ast.Module]]:
    for folder in dirs:
        for path in sorted(folder.rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _method_calls(attr: str, dirs: tuple[Path, ...]) -> Iterator[tuple[Path, ast.Call]]:
    """Every ``<something>.attr(arg, ...)`` call in the code, with its file."""
    for path, tree in _trees(dirs):
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == attr
                and node.args
            ):
                yield path, node


def _where(path: Path, node: ast.AST) -> str:
    """``file:line`` of a node, the file relative to the repository when inside it."""
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    return f"{shown}:{getattr(node, 'lineno', 0)}"


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _dotted(node: ast.AST) -> str:
    """``a.b.c`` for a Name/Attribute chain, else ""."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def function_folders() -> list[str]:
    """The deployable functions: folders of ``functions/`` with a ``main.py``."""
    return sorted(p.parent.name for p in (ROOT / "functions").glob("*/main.py"))


def entry_point(function: str) -> tuple[str, str]:
    """``(name, signature)`` of the functions-framework entry point in ``functions/<fn>/main.py``:
    signature is ``http`` or ``cloud_event``, from its decorator."""
    tree = ast.parse((ROOT / "functions" / function / "main.py").read_text(encoding="utf-8"))
    found = [
        (node.name, _dotted(dec).rsplit(".", 1)[-1])
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        for dec in node.decorator_list
        if _dotted(dec).startswith("functions_framework.")
    ]
    if len(found) != 1:
        raise AssertionError(f"functions/{function}/main.py: expected one entry point, got {found}")
    return found[0]


def imported_names(function: str, module: str) -> set[str]:
    """Names ``functions/<fn>/main.py`` imports from ``module``."""
    tree = ast.parse((ROOT / "functions" / function / "main.py").read_text(encoding="utf-8"))
    return {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == module
        for alias in node.names
    }


_SECRET_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")


def secret_names(dirs: tuple[Path, ...] = CODE_DIRS) -> dict[str, list[str]]:
    """Every secret name the code reads -> where: literal names passed to
    ``<...>secrets.get("name")`` or to a helper whose name says secret (``_secret(rt, "name")``),
    and the names listed in a module constant ``*_SECRETS``."""
    found: dict[str, list[str]] = {}
    for path, tree in _trees(dirs):
        for node in ast.walk(tree):
            names: list[str | None] = []
            if isinstance(node, ast.Call):
                callee = _dotted(node.func)
                if callee.endswith("secrets.get") and node.args:
                    names = [_literal(node.args[0])]
                elif "secret" in callee.rsplit(".", 1)[-1].lower():
                    names = [_literal(arg) for arg in node.args]
            elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id.endswith("SECRETS") for t in node.targets
            ):
                items = node.value.elts if isinstance(node.value, ast.Tuple | ast.List) else []
                names = [_literal(item) for item in items]
            for name in names:
                if name and _SECRET_NAME.fullmatch(name):
                    found.setdefault(name, []).append(_where(path, node))
    return found


def env_reads() -> dict[str, list[str]]:
    """Environment variables read by literal name: ``os.environ.get("X")``, ``os.getenv("X")``,
    ``os.environ["X"]`` and ``env.get("X")`` on the environment mapping named ``env`` (a WSGI
    ``environ`` is not the process environment)."""
    found: dict[str, list[str]] = {}

    def add(name: str | None, path: Path, node: ast.AST) -> None:
        if name and name.isupper():
            found.setdefault(name, []).append(_where(path, node))

    for path, tree in _trees():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and node.args:
                target = _dotted(node.func)
                if target in ("os.getenv", "getenv", "os.environ.get", "env.get"):
                    add(_literal(node.args[0]), path, node)
            elif isinstance(node, ast.Subscript) and _dotted(node.value) == "os.environ":
                add(_literal(node.slice), path, node)
    return found


def published_topics(dirs: tuple[Path, ...] = CODE_DIRS) -> dict[str, list[str]]:
    """Topics published by constant: ``<bus>.publish(TOPIC_CONSTANT, ...)`` resolved through
    ``common.events`` -> where."""
    import common.events as events

    found: dict[str, list[str]] = {}
    for path, node in _method_calls("publish", dirs):
        arg = node.args[0]
        topic = _literal(arg)
        if topic is None and isinstance(arg, ast.Name | ast.Attribute):
            value = getattr(events, _dotted(arg).rsplit(".", 1)[-1], None)
            topic = value if isinstance(value, str) else None
        if topic:
            found.setdefault(topic, []).append(_where(path, node))
    return found


def ordered_queries(dirs: tuple[Path, ...] = CODE_DIRS) -> list[tuple[str, list[str], str, str]]:
    """Store queries that need a composite index: ``.query(COLLECTION, [Where(...)...],
    order_by="field")`` with a filter on another field -> (collection, filter fields,
    order field, where)."""
    import common.store.collections as collections

    found = []
    for path, node in _method_calls("query", dirs):
        keywords = {k.arg: k.value for k in node.keywords}
        order = _literal(keywords.get("order_by")) or (
            _literal(node.args[2]) if len(node.args) > 2 else None
        )
        where = keywords.get("where") or (node.args[1] if len(node.args) > 1 else None)
        if not order or not isinstance(where, ast.List | ast.Tuple):
            continue
        fields = [
            _literal(cond.args[0])
            for cond in where.elts
            if isinstance(cond, ast.Call) and _dotted(cond.func).endswith("Where") and cond.args
        ]
        fields = [f for f in fields if f and f != order]
        coll = _literal(node.args[0]) or getattr(
            collections, _dotted(node.args[0]).rsplit(".", 1)[-1], None
        )
        if fields and isinstance(coll, str):
            found.append((coll, fields, order, _where(path, node)))
    return found


class _Reached(Exception):
    """A router got past its path matching (it touched the runtime)."""


class _Untouchable:
    def __getattr__(self, name: str) -> None:
        raise _Reached(name)


def serves(function: str, method: str, path: str) -> bool:
    """Whether the router ``functions/<fn>/main.py`` uses (from ``common.http_routes``) serves
    ``method path``: asked of the code itself, with a runtime that stops it at first use."""
    import flask

    import common.http_routes as http_routes

    (router,) = imported_names(function, "common.http_routes") & set(dir(http_routes))
    app = flask.Flask(__name__)
    with app.test_request_context(path, method=method, data=b"{}"):
        try:
            response = getattr(http_routes, router)(flask.request, _Untouchable())
        except Exception:
            return True  # it matched the route and then needed something real
    body, status = response[0], response[1]
    return not (status == 404 and "no route" in body)


def emitted_events(dirs: tuple[Path, ...] = CODE_DIRS) -> dict[str, dict[str, list[str]]]:
    """Structured log events the code writes: ``emit(logger, "event", ..., field=...)`` calls
    (:func:`common.log_fields.emit`) -> event -> field -> where. An event name that is not a
    literal is reported under ``"?"``."""
    found: dict[str, dict[str, list[str]]] = {}
    for path, tree in _trees(dirs):
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and _dotted(node.func).rsplit(".", 1)[-1] == "emit"
                and len(node.args) >= 2
            ):
                continue
            event = _literal(node.args[1]) or "?"
            fields = found.setdefault(event, {})
            for keyword in node.keywords:
                if keyword.arg and keyword.arg != "level":
                    fields.setdefault(keyword.arg, []).append(_where(path, node))
                elif keyword.arg is None:  # **mapping: fields the scan cannot see
                    fields.setdefault("**", []).append(_where(path, node))
    return found
