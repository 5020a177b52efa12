"""The workbench's explanations file: the generic ``explanations.jsonl`` format, rewritten whole
and atomically after every change, so killing the process at any moment loses nothing already
accepted and never leaves half a file.

Each line is ``{"name", "text", "label", "candidate_id", "metadata"}``; ``metadata`` records
whether the explanation parsed and, when it did not, the words not understood (babble's readers
check it is an object and do not read it), so the file feeds ``babble run`` unchanged.

What an earlier file says is kept as written: a ``candidate_id`` the dataset does not have stays
on its line (with one warning naming the lines), and ``metadata`` keys other tools wrote are kept
beside the workbench's own.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from babble._io import atomic_write_text
from babble.datasets._common import read_jsonl
from babble.datasets.jsonl import read_explanations
from babble.errors import ExplanationInputError
from babble.filter import explanation_name
from babble.types import Dataset, Explanation
from babble.workbench.feedback import ExplanationRecord

OWN_METADATA = frozenset({"parsed", "not_understood"})
"""The ``metadata`` keys the workbench writes (and rewrites) on every line."""

SHOWN_LINES = 10
"""Lines named, at most, in a warning about the file."""


class ExplanationFileWarning(UserWarning):
    """Something in the explanations file is kept as written but cannot be used fully."""


def record_line(
    record: ExplanationRecord, metadata: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON object of one explanation line; ``metadata``: other tools' keys to keep.

    Examples
    --------
    >>> record_line(ExplanationRecord("e1", "no idea", "yes", "c1", False, ("idea",)))
    ... # doctest: +NORMALIZE_WHITESPACE
    {'name': 'e1', 'text': 'no idea', 'label': 'yes', 'candidate_id': 'c1',
     'metadata': {'parsed': False, 'not_understood': ['idea']}}
    """
    line: dict[str, Any] = {"name": record.name, "text": record.text, "label": record.label}
    if record.candidate_id is not None:
        line["candidate_id"] = record.candidate_id
    own = {"parsed": record.parsed, "not_understood": list(record.not_understood)}
    line["metadata"] = {**(metadata or {}), **own}
    return line


class ExplanationStore:
    """Where the workbench keeps its explanations.

    Parameters
    ----------
    path
        The JSONL file; created at the first save, its folder too.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise ExplanationInputError(
                f"the explanations file {self.path} is a folder; pass a file path, e.g. "
                f"{self.path / 'explanations.jsonl'}"
            )
        self._metadata: dict[str, dict[str, Any]] = {}

    def load(self, dataset: Dataset) -> tuple[Explanation, ...]:
        """The explanations saved so far (none when the file does not exist yet), as written.

        Each has a name: unnamed lines are named as ``babble run`` names them
        (``explanation-<index>``), or with the next free ``explanation-<k>`` when a line already
        uses that name. A ``candidate_id`` the dataset does not have is kept (``babble run``
        joins such an explanation to no candidate), with one
        :class:`ExplanationFileWarning` naming the lines. Other tools' ``metadata`` keys are
        kept for :meth:`save`.

        Raises
        ------
        DataFormatError
            A malformed line (the message names it).
        """
        self._metadata = {}
        if not self.path.is_file():
            return ()
        explanations = _named(read_explanations(self.path, dataset.label_space))
        known = {c.id for c in dataset.candidates()}
        unknown = [e for e in explanations if e.candidate_id and e.candidate_id not in known]
        if unknown:
            warnings.warn(_unknown_ids(unknown, dataset.name), ExplanationFileWarning, stacklevel=2)
        extra = {
            line: {k: v for k, v in obj["metadata"].items() if k not in OWN_METADATA}
            for line, obj in read_jsonl(self.path)
            if obj.get("metadata")
        }
        for e in explanations:
            assert e.name is not None and e.source is not None and e.source.line is not None
            if extra.get(e.source.line):
                self._metadata[e.name] = extra[e.source.line]
        return explanations

    def save(self, records: Sequence[ExplanationRecord]) -> None:
        """Replace the file's content with ``records``, atomically (see the module docstring);
        a record keeps the other tools' metadata its name's line had when loaded."""
        kept = {r.name: self._metadata[r.name] for r in records if r.name in self._metadata}
        text = "".join(
            json.dumps(record_line(r, kept.get(r.name)), ensure_ascii=False) + "\n" for r in records
        )
        atomic_write_text(self.path, text)
        self._metadata = kept  # a deleted explanation's metadata is not given to a new one


def _named(explanations: Sequence[Explanation]) -> tuple[Explanation, ...]:
    """Every explanation with a name, unique (see :meth:`ExplanationStore.load`)."""
    taken = {e.name for e in explanations if e.name is not None}
    out = []
    for i, e in enumerate(explanations):
        if e.name is None:
            name, k = explanation_name(e, i), len(explanations)
            while name in taken:
                name, k = f"explanation-{k}", k + 1
            taken.add(name)
            e = replace(e, name=name)
        out.append(e)
    return tuple(out)


def _unknown_ids(explanations: Sequence[Explanation], dataset: str) -> str:
    lines = [f"  {e.source}: candidate_id {e.candidate_id!r}" for e in explanations]
    more = len(lines) - SHOWN_LINES
    return (
        f"{len(explanations)} explanation(s) name a candidate that dataset {dataset!r} does not "
        "have; each is kept as written (its candidate_id too) and judged without its example, "
        "as `babble run` judges it. Check the explanations file belongs to this dataset:\n"
        + "\n".join(lines[:SHOWN_LINES])
        + (f"\n  ... and {more} more" if more > 0 else "")
    )
