"""Helpers every loader shares: where the data lives, reading files with located errors,
a fallback
tokeniser, and the per-task tables (labels, aliases) stored as JSON beside this module."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from babble.errors import DataFormatError, DataNotFoundError
from babble.types import Candidate, EntitySpan, LabelSpace, SourceLocation, Token

DEFAULT_DATA_ROOT = Path("../shared/datasets")

_TOKEN_RE = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]")


def data_root() -> Path:
    """The shared datasets folder: ``$BABBLE_DATA``, else ``../shared/datasets``."""
    return Path(os.environ.get("BABBLE_DATA", str(DEFAULT_DATA_ROOT)))


def require_file(path: Path, what: str) -> Path:
    """Return ``path`` if it is a file, else raise :class:`DataNotFoundError` naming ``what``."""
    if not path.is_file():
        raise DataNotFoundError(
            f"{what} not found at {path}; pass the dataset folder (or set BABBLE_DATA to the "
            f"folder that holds the shared datasets)"
        )
    return path


def simple_tokenize(text: str) -> tuple[Token, ...]:
    """Split ``text`` into words and punctuation with character offsets.

    Used where a source gives no tokens; preprocessing re-tokenises with spaCy anyway.

    Examples
    --------
    >>> [t.text for t in simple_tokenize("Ann's half-sister, Bo.")]
    ["Ann's", 'half-sister', ',', 'Bo', '.']
    """
    return tuple(Token(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text))


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` per non-blank line; a bad line raises with its number."""
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFormatError(
                    f"not valid JSON ({exc.msg} at column {exc.colno})",
                    file=str(path),
                    line=line_no,
                ) from exc
            if not isinstance(obj, dict):
                raise DataFormatError(
                    f"expected a JSON object, got {type(obj).__name__}",
                    file=str(path),
                    line=line_no,
                )
            yield line_no, obj


def read_json(path: Path) -> Any:
    """Parse a whole JSON file; a syntax error names the file, line and column."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataFormatError(
            f"not valid JSON ({exc.msg}, column {exc.colno})", file=str(path), line=exc.lineno
        ) from exc


def get_field(
    obj: Mapping[str, Any],
    name: str,
    kind: type | tuple[type, ...],
    where: SourceLocation,
    *,
    field: str | None = None,
) -> Any:
    """``obj[name]`` checked to be of ``kind``; a missing or mistyped field raises, located.

    ``field`` names it in the error when it is nested (e.g. ``spans[0].start``); default ``name``.
    """
    field = field or name
    if name not in obj:
        raise DataFormatError(
            f"missing field; expected {_kind_name(kind)}",
            file=where.file,
            line=where.line,
            document=where.document,
            field=field,
        )
    value = obj[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise DataFormatError(
            f"expected {_kind_name(kind)}, got {type(value).__name__} {value!r:.60}",
            file=where.file,
            line=where.line,
            document=where.document,
            field=field,
        )
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(k.__name__ for k in kinds)


def make_candidate(where: SourceLocation, field: str | None = None, **kwargs: Any) -> Candidate:
    """Build a :class:`Candidate`; an invalid one (e.g. a span outside its sentence) raises
    :class:`DataFormatError` naming ``where``."""
    try:
        return Candidate(**kwargs)
    except ValueError as exc:
        raise DataFormatError(
            str(exc), file=where.file, line=where.line, document=where.document, field=field
        ) from exc


def make_span(text: str, role: str, type_: str, start: int, end: int) -> EntitySpan:
    """An :class:`EntitySpan` whose ``text`` is cut from the sentence (checked by ``Candidate``)."""
    return EntitySpan(role=role, type=type_, start=start, end=end, text=text[start:end])


@cache
def task_table(name: str) -> dict[str, Any]:
    """The task table ``tasks/<name>.json``: labels, entity and label aliases, entity types."""
    ref = resources.files("babble.datasets") / "tasks" / f"{name}.json"
    table: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return table


def label_space_from_table(table: Mapping[str, Any]) -> LabelSpace:
    """Build a :class:`LabelSpace` from a task table (shipped, or a user's ``task.json``)."""
    return LabelSpace(
        labels=tuple(table["labels"]),
        entity_aliases={k.lower(): v for k, v in table.get("entity_aliases", {}).items()},
        label_aliases={k.lower(): v for k, v in table.get("label_aliases", {}).items()},
        entity_types=dict(table.get("entity_types", {})),
    )
