"""What every saved end model shares: ``endmodel.json`` (kind, label space, settings) and the
checks made when a model meets data."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from babble._io import atomic_write_text
from babble.errors import CheckpointError, LabelSpaceMismatchError
from babble.types import LabelSpace

META_FILE = "endmodel.json"
FORMAT_VERSION = 1


def label_space_to_dict(space: LabelSpace) -> dict[str, Any]:
    """A label space as plain data."""
    return {
        "labels": list(space.labels),
        "entity_aliases": dict(space.entity_aliases),
        "label_aliases": dict(space.label_aliases),
        "entity_types": dict(space.entity_types),
    }


def label_space_from_dict(data: Mapping[str, Any]) -> LabelSpace:
    """Inverse of :func:`label_space_to_dict`.

    Examples
    --------
    >>> label_space_from_dict(label_space_to_dict(LabelSpace(("a", "b")))).labels
    ('a', 'b')
    """
    return LabelSpace(
        labels=tuple(data["labels"]),
        entity_aliases=dict(data.get("entity_aliases", {})),
        label_aliases=dict(data.get("label_aliases", {})),
        entity_types=dict(data.get("entity_types", {})),
    )


def default_label_space(k: int) -> LabelSpace:
    """Labels named ``"0" .. "k-1"``, for callers that pass bare arrays."""
    return LabelSpace(tuple(str(i) for i in range(k)))


def check_label_space(model: LabelSpace, data: LabelSpace, what: str = "the data") -> None:
    """Raise :class:`LabelSpaceMismatchError` unless the label names agree, in order.

    Examples
    --------
    >>> check_label_space(LabelSpace(("a", "b")), LabelSpace(("b", "a")))
    Traceback (most recent call last):
    babble.errors.LabelSpaceMismatchError: [E604] the model was trained on labels ['a', 'b'] ...
    """
    if model.labels != data.labels:
        raise LabelSpaceMismatchError(
            f"the model was trained on labels {list(model.labels)} but {what} has "
            f"{list(data.labels)}; use a model trained on this task"
        )


def write_meta(folder: Path, kind: str, meta: Mapping[str, Any]) -> None:
    """Write ``endmodel.json`` last, so a folder that has it holds a complete model."""
    body = {"format_version": FORMAT_VERSION, "kind": kind, **meta}
    atomic_write_text(folder / META_FILE, json.dumps(body, indent=2, ensure_ascii=False) + "\n")


def read_meta(folder: str | Path, kind: str | None = None) -> dict[str, Any]:
    """Read ``endmodel.json`` of a saved model; check its kind when ``kind`` is given."""
    path = Path(folder) / META_FILE
    if not path.is_file():
        raise CheckpointError(
            f"{folder} is not a saved end model (no {META_FILE}); train one with `babble train`"
        )
    try:
        meta: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CheckpointError(f"{path} is not valid JSON ({exc})") from exc
    if meta.get("format_version") != FORMAT_VERSION:
        raise CheckpointError(
            f"{path}: format version {meta.get('format_version')!r}, this babble reads "
            f"{FORMAT_VERSION}"
        )
    if kind is not None and meta.get("kind") != kind:
        raise CheckpointError(f"{folder} holds a {meta.get('kind')!r} end model, not {kind!r}")
    return meta


def begin_save(folder: str | Path) -> Path:
    """Create ``folder`` and remove its ``endmodel.json`` before new files are written, so a
    save interrupted half-way leaves no folder that looks complete."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    (path / META_FILE).unlink(missing_ok=True)
    return path
