"""What each labeling function does: polarity, coverage, overlap, conflict and accuracy.

Definitions (as in Snorkel's ``LFAnalysis``), over the candidates of a label matrix:

* **polarity** -- the labels an LF votes;
* **coverage** -- the share of candidates it votes on;
* **overlap** -- the share of candidates it votes on where another LF votes too;
* **conflict** -- the share of candidates it votes on where another LF votes a different label
  (for the whole set: candidates with two different votes);
* **empirical accuracy** -- where gold labels are known: its correct votes over its votes on
  gold-labeled candidates, reported with that count (no accuracy without such a vote).

Per explanation, its LFs taken together: the share of candidates any of them votes on, and the
accuracy of all their votes. For the whole set: total coverage, overlap and conflict rate, the
accuracy of all votes, and the mean accuracy over LFs.

Examples
--------
>>> import numpy as np
>>> from babble.apply import LabelMatrix
>>> m = LabelMatrix.from_dense(np.array([[1, 1], [1, 0], [-1, -1]]), ("a", "b"), ("x", "y", "z"))
>>> report = analyze(m, gold=np.array([1, 0, 1]))
>>> [(s.name, round(s.coverage, 2), s.conflict > 0, s.accuracy) for s in report.lfs]
[('a', 0.67, True, 0.5), ('b', 0.67, True, 1.0)]
>>> round(report.total.coverage, 2), round(report.total.conflict, 2)
(0.67, 0.33)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from babble.apply import LabelMatrix
from babble.errors import LabelMatrixError


@dataclass(frozen=True)
class LFSummary:
    """One LF's statistics (see the module docstring)."""

    name: str
    origin: str
    polarity: tuple[int, ...]
    votes: int
    coverage: float
    overlap: float
    conflict: float
    gold_votes: int
    correct: int
    accuracy: float | None


@dataclass(frozen=True)
class ExplanationSummary:
    """The LFs of one explanation (or of Python code), taken together."""

    explanation: str
    lfs: int
    coverage: float
    gold_votes: int
    correct: int
    accuracy: float | None


@dataclass(frozen=True)
class SetSummary:
    """The whole set of LFs."""

    lfs: int
    candidates: int
    coverage: float
    overlap: float
    conflict: float
    gold_votes: int
    correct: int
    accuracy: float | None
    mean_lf_accuracy: float | None


@dataclass(frozen=True)
class Analysis:
    """Per LF, per explanation and whole-set statistics of a label matrix."""

    lfs: tuple[LFSummary, ...]
    explanations: tuple[ExplanationSummary, ...]
    total: SetSummary
    accuracy_on: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "accuracy_on": self.accuracy_on,
            "total": asdict(self.total),
            "explanations": [asdict(e) for e in self.explanations],
            "lfs": [asdict(s) for s in self.lfs],
        }


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def _row_stats(csr: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the number of votes, and whether two of them differ."""
    counts = np.diff(csr.indptr)
    differ = np.zeros(csr.shape[0], dtype=bool)
    voted = np.flatnonzero(counts)
    if voted.size:
        starts = csr.indptr[voted]
        low = np.minimum.reduceat(csr.data, starts)
        high = np.maximum.reduceat(csr.data, starts)
        differ[voted] = low != high
    return counts, differ


def _correct(csc: sp.csc_matrix, gold: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """Per column: votes on gold-labeled rows, and how many of those are right."""
    m = csc.shape[1]
    if gold is None:
        return np.zeros(m, dtype=np.int64), np.zeros(m, dtype=np.int64)
    col = np.repeat(np.arange(m), np.diff(csc.indptr))
    known = gold[csc.indices] >= 0
    right = known & (gold[csc.indices] == csc.data.astype(np.int64) - 1)
    return (
        np.bincount(col[known], minlength=m).astype(np.int64),
        np.bincount(col[right], minlength=m).astype(np.int64),
    )


def _check_gold(matrix: LabelMatrix, gold: np.ndarray | None, what: str) -> np.ndarray | None:
    if gold is None:
        return None
    gold = np.asarray(gold, dtype=np.int64)
    if gold.shape != (matrix.shape[0],):
        raise LabelMatrixError(
            f"gold labels for the {what} have shape {gold.shape}, expected ({matrix.shape[0]},) "
            f"-- one per candidate, -1 where unknown"
        )
    return gold


def analyze(
    matrix: LabelMatrix,
    gold: np.ndarray | None = None,
    *,
    dev: LabelMatrix | None = None,
    origins: Mapping[str, str] | None = None,
) -> Analysis:
    """Statistics of each LF, each explanation and the whole set (see the module docstring).

    Parameters
    ----------
    matrix
        The LFs' votes on the pool: coverage, overlap and conflict are measured here.
    gold
        Gold labels (``-1`` where unknown), aligned with ``dev`` when it is given, else with
        ``matrix``; without them there is no accuracy.
    dev
        The same LFs' votes on a labeled dev split, for accuracy.
    origins
        LF name -> explanation name (``"python"`` for hand-written LFs), for the
        per-explanation rows; by default the part of the name before ``#``.
    """
    if dev is not None and dev.lf_names != matrix.lf_names:
        raise LabelMatrixError("the dev matrix must have the same LFs, in the same order")
    scored = dev if dev is not None else matrix
    gold = _check_gold(scored, gold, "dev split" if dev is not None else "pool")
    n, m = matrix.shape
    csc = matrix.matrix.tocsc()
    counts, differ = _row_stats(matrix.matrix)
    gold_votes, correct = _correct(scored.matrix.tocsc(), gold)
    origin = dict(origins or {})
    lfs = []
    for j, name in enumerate(matrix.lf_names):
        rows = csc.indices[csc.indptr[j] : csc.indptr[j + 1]]
        values = csc.data[csc.indptr[j] : csc.indptr[j + 1]]
        lfs.append(
            LFSummary(
                name=name,
                origin=origin.get(name, name.split("#")[0]),
                polarity=tuple(int(v) - 1 for v in np.unique(values)),
                votes=int(rows.size),
                coverage=rows.size / n,
                overlap=float(np.count_nonzero(counts[rows] >= 2)) / n,
                conflict=float(np.count_nonzero(differ[rows])) / n,
                gold_votes=int(gold_votes[j]),
                correct=int(correct[j]),
                accuracy=_ratio(int(correct[j]), int(gold_votes[j])),
            )
        )
    groups: dict[str, list[int]] = {}
    for j, summary in enumerate(lfs):
        groups.setdefault(summary.origin, []).append(j)
    explanations = tuple(
        ExplanationSummary(
            explanation=name,
            lfs=len(cols),
            coverage=float(np.count_nonzero(np.diff(matrix.matrix[:, cols].tocsr().indptr))) / n,
            gold_votes=int(gold_votes[cols].sum()),
            correct=int(correct[cols].sum()),
            accuracy=_ratio(int(correct[cols].sum()), int(gold_votes[cols].sum())),
        )
        for name, cols in groups.items()
    )
    accuracies = [s.accuracy for s in lfs if s.accuracy is not None]
    total = SetSummary(
        lfs=m,
        candidates=n,
        coverage=float(np.count_nonzero(counts)) / n if n else 0.0,
        overlap=float(np.count_nonzero(counts >= 2)) / n if n else 0.0,
        conflict=float(np.count_nonzero(differ)) / n if n else 0.0,
        gold_votes=int(gold_votes.sum()),
        correct=int(correct.sum()),
        accuracy=_ratio(int(correct.sum()), int(gold_votes.sum())),
        mean_lf_accuracy=float(np.mean(accuracies)) if accuracies else None,
    )
    where = "none" if gold is None else "dev" if dev is not None else "pool"
    return Analysis(tuple(lfs), explanations, total, where)


def plot_coverage_accuracy(
    analysis: Analysis,
    path: str | Path,
    title: str = "",
    label_names: Sequence[str] | None = None,
) -> Path:
    """Save a PNG scatter plot of coverage (x) against empirical accuracy (y), one dot per LF
    with gold votes (sized by their number), colored by the label it votes. Uses matplotlib's
    Agg canvas: no display needed, no global backend changed.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    shown = [(s, s.accuracy) for s in analysis.lfs if s.accuracy is not None]
    labels = sorted({s.polarity[0] if len(s.polarity) == 1 else -2 for s, _ in shown})
    for label in labels:
        group = [
            (s, acc) for s, acc in shown if (s.polarity[0] if len(s.polarity) == 1 else -2) == label
        ]
        axes.scatter(
            [s.coverage for s, _ in group],
            [acc for _, acc in group],
            s=[12 + 4 * np.sqrt(s.gold_votes) for s, _ in group],
            alpha=0.6,
            label="several labels" if label == -2 else _name(label, label_names),
        )
    axes.set_xscale("symlog", linthresh=1e-3)
    axes.set_xlabel("coverage (share of the pool voted on)")
    axes.set_ylabel(f"empirical accuracy (on {analysis.accuracy_on} gold)")
    axes.set_ylim(-0.05, 1.05)
    axes.set_title(title or f"{len(shown)} of {len(analysis.lfs)} LFs with gold votes")
    if labels:  # beside the axes, so that it hides no dot however many labels there are
        axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.02, 1.0))
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, format="png", bbox_inches="tight")
    return out


def unvoted_labels(matrix: LabelMatrix, n_labels: int) -> list[int]:
    """The labels no LF votes anywhere in ``matrix``: a label model can give them only its
    prior, and an end model trained on its labels never learns them.

    Examples
    --------
    >>> import numpy as np
    >>> m = LabelMatrix.from_dense(np.array([[0, -1], [2, 0]]), ("a", "b"), ("x", "y"))
    >>> unvoted_labels(m, 3)
    [1]
    """
    voted = np.zeros(n_labels, dtype=bool)
    voted[np.unique(matrix.matrix.data).astype(np.int64) - 1] = True
    return [int(label) for label in np.flatnonzero(~voted)]


def percent(share: float | None) -> str:
    """A share as a percentage with one decimal, ``"-"`` for none.

    Examples
    --------
    >>> percent(0.1234), percent(None)
    ('12.3', '-')
    """
    return "-" if share is None else f"{100 * share:.1f}"


def _name(label: int, label_names: Sequence[str] | None) -> str:
    return label_names[label] if label_names is not None else f"label {label}"


def table_rows(analysis: Analysis, label_names: Sequence[str] | None = None) -> list[list[Any]]:
    """Rows for a terminal table of the LFs: name, polarity, coverage, overlap, conflict,
    accuracy and its count (percentages with one decimal).

    Examples
    --------
    >>> from babble.apply import LabelMatrix
    >>> m = LabelMatrix.from_dense(np.array([[1], [-1]]), ("a",), ("x", "y"))
    >>> table_rows(analyze(m, np.array([1, 0])), ("no", "yes"))
    [['a', 'yes', '50.0', '0.0', '0.0', '100.0', 1]]
    """

    return [
        [
            s.name,
            ",".join(_name(p, label_names) if label_names else str(p) for p in s.polarity) or "-",
            percent(s.coverage),
            percent(s.overlap),
            percent(s.conflict),
            percent(s.accuracy),
            s.gold_votes,
        ]
        for s in analysis.lfs
    ]
