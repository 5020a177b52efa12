"""The workbench's explanations file: the generic ``explanations.jsonl`` format, rewritten whole
and atomically after every change, so killing the process at any moment loses nothing already
accepted and never leaves half a file.

Each line is ``{"name", "text", "label", "candidate_id", "metadata"}``; ``metadata`` records
whether the explanation parsed and, when it did not, the words not understood (babble's readers
check it is an object and do not read it), so the file feeds ``babble run`` unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from babble._io import atomic_write_text
from babble.errors import ExplanationInputError
from babble.parse.report import load_explanations
from babble.types import Dataset, ExplanationJoin
from babble.workbench.feedback import ExplanationRecord


def record_line(record: ExplanationRecord) -> dict[str, Any]:
    """The JSON object of one explanation line.

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
    line["metadata"] = {"parsed": record.parsed, "not_understood": list(record.not_understood)}
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

    def load(self, dataset: Dataset) -> tuple[ExplanationJoin, ...]:
        """The explanations saved so far (none when the file does not exist yet), each joined to
        its candidate as ``babble run`` joins them; a malformed line raises
        :class:`~babble.errors.DataFormatError` naming it."""
        if not self.path.is_file():
            return ()
        return load_explanations(self.path, dataset)

    def save(self, records: Sequence[ExplanationRecord]) -> None:
        """Replace the file's content with ``records``, atomically (see the module docstring)."""
        text = "".join(json.dumps(record_line(r), ensure_ascii=False) + "\n" for r in records)
        atomic_write_text(self.path, text)
