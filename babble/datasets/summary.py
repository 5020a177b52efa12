"""What ``babble data inspect`` reports: candidates per split, labels, explanation joins."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from babble.types import Dataset


@dataclass(frozen=True)
class SplitSummary:
    """Counts of one split: candidates, and candidates per gold label (``"unlabelled"``: none)."""

    name: str
    candidates: int
    labels: dict[str, int]
    label_matrix_shape: tuple[int, int] | None = None


@dataclass(frozen=True)
class DatasetSummary:
    """Everything ``inspect`` prints about a dataset."""

    name: str
    task: str
    metric: str
    labels: tuple[str, ...]
    splits: tuple[SplitSummary, ...]
    explanations: int
    joined: int
    not_joined: dict[str, int]
    not_joined_examples: dict[str, list[str]]
    skipped: dict[str, int]
    word_lists: dict[str, int]
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


def describe(dataset: Dataset, examples_per_reason: int = 3) -> DatasetSummary:
    """Summarise a dataset for ``inspect``.

    Examples
    --------
    >>> from babble.types import Candidate, LabelSpace
    >>> c = Candidate(id="a", doc_id="a", text="hi", tokens=(), label=1)
    >>> ds = Dataset("toy", "text", LabelSpace(("no", "yes")), {"train": (c,)})
    >>> describe(ds).splits[0].labels
    {'yes': 1}
    """
    space = dataset.label_space
    splits = []
    for name, cands in dataset.splits.items():
        counts = Counter("unlabelled" if c.label is None else space.name(c.label) for c in cands)
        matrix = dataset.label_matrices.get(name)
        shape = None if matrix is None else (int(matrix.shape[0]), int(matrix.shape[1]))
        splits.append(SplitSummary(name, len(cands), dict(sorted(counts.items())), shape))
    not_joined: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for join in dataset.joins:
        if not join.joined:
            not_joined[join.reason] += 1
            shown = examples.setdefault(join.reason, [])
            if len(shown) < examples_per_reason:
                shown.append(join.explanation.name or join.explanation.text[:60])
    return DatasetSummary(
        name=dataset.name,
        task=dataset.task,
        metric=dataset.metric,
        labels=space.labels,
        splits=tuple(splits),
        explanations=len(dataset.explanations),
        joined=sum(j.joined for j in dataset.joins),
        not_joined=dict(not_joined),
        not_joined_examples=examples,
        skipped={s.reason: s.count for s in dataset.skipped},
        word_lists={k: len(v) for k, v in dataset.word_lists.items()},
        notes=dataset.notes,
    )
