"""Terminal output helpers shared by the commands (rich, imported only when printing).

Text that came from outside (postings, model output, ids in the store) is printed only as
:func:`cell` (a ``rich.text.Text``: never parsed as markup or emoji codes, control characters
removed), so a title like ``[link=http://evil.example]...[/link]`` shows as written.
"""

from __future__ import annotations

from typing import Any

from common.terminal import plain


def console(stderr: bool = False) -> Any:
    """A Rich console that never interprets markup, emoji codes or highlighting in strings."""
    from rich.console import Console

    return Console(stderr=stderr, markup=False, emoji=False, highlight=False, soft_wrap=True)


def cell(value: Any, style: str = "") -> Any:
    """Untrusted text as a Rich ``Text`` (one line, no control characters)."""
    from rich.text import Text

    return Text("" if value is None else plain(value, one_line=True), style=style)


def table(title: str, columns: list[str], **options: Any) -> Any:
    """A Rich table whose header and title are ours."""
    from rich.table import Table

    out = Table(title=title, **options)
    for column in columns:
        out.add_column(column, justify="right" if column in ("count", "score", "%") else "left")
    return out


def summary_table(title: str, rows: list[tuple[str, Any]]) -> None:
    """Print a two-column table."""
    from rich.table import Table

    out = Table(title=title, show_header=False)
    out.add_column("what", style="bold")
    out.add_column("value", justify="right")
    for key, value in rows:
        out.add_row(cell(key), cell(value))
    console().print(out)
