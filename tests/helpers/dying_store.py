"""A document store whose process dies after its Nth write (tests of recovery, in-process).

Every call goes to the real store. Right after the Nth write returns, the "instance" is dead:
:class:`Died` (a ``BaseException``, so no handler's ``except Exception`` catches it) is
raised, and so is every later call until :meth:`revive`: a ``finally`` or ``except
BaseException`` that tries to give a lease back writes nothing, as after a real crash.
"""

from __future__ import annotations

from typing import Any

#: the DocumentStore methods that may change a document
WRITES = frozenset({"put", "put_many", "create", "create_many", "update", "delete", "transact"})


class Died(BaseException):
    """The function instance died here."""


class DyingStore:
    """Wraps a :class:`common.ports.DocumentStore`; ``trace`` lists every write as
    ``(n, method, collection, document id or "")``."""

    def __init__(self, inner: Any, die_after: int = 0) -> None:
        self.inner = inner
        self.die_after = die_after
        self.writes = 0
        self.dead = False
        self.trace: list[tuple[int, str, str, str]] = []

    def revive(self) -> None:
        """Another instance takes over: calls work again, and nothing dies any more."""
        self.dead, self.die_after = False, 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.inner, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            if self.dead:
                raise Died(name)
            result = attr(*args, **kwargs)
            if name in WRITES:
                self.writes += 1
                collection = str(args[0]) if args else ""
                doc_id = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
                self.trace.append((self.writes, name, collection, doc_id))
                if self.writes == self.die_after:
                    self.dead = True
                    raise Died(f"after write {self.writes} ({name} {collection} {doc_id})")
            return result

        return call
