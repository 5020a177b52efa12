"""Terminal output shared by commands: rich tables, and JSON on stdout for ``--json``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console()


def print_json(obj: Any) -> None:
    """Print one JSON object on stdout (machine-readable output of ``--json``)."""
    click_safe = json.dumps(obj, indent=2, ensure_ascii=False, default=str)
    print(click_safe)


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Print a table with a title; numbers are right-aligned."""
    table = Table(title=title, title_justify="left")
    materialised = [list(r) for r in rows]
    for i, col in enumerate(columns):
        numeric = bool(materialised) and all(isinstance(r[i], int | float) for r in materialised)
        table.add_column(col, justify="right" if numeric else "left")
    for row in materialised:
        table.add_row(*(str(v) for v in row))
    console.print(table)
