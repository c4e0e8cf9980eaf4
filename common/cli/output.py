"""Terminal output helpers shared by the commands (rich, imported only when printing)."""

from __future__ import annotations

from typing import Any


def summary_table(title: str, rows: list[tuple[str, Any]]) -> None:
    """Print a two-column table."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", justify="right")
    for key, value in rows:
        table.add_row(key, str(value))
    Console().print(table)
