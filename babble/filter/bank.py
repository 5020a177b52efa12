"""The filter bank: which parses of the explanations become labeling functions.

Every parse of every explanation is executed over the unlabeled pool (one vectorized pass), then
the filters run in this order; a dropped parse keeps the filter and the reason:

1. **consistency** -- a parse must give its own example the explanation's label (checked only
   where the example is known: in the pool, or in ``examples``);
2. **uniform** -- a parse that votes on more than :attr:`FilterConfig.uniform_coverage` of the
   pool (default 99%) labels almost every candidate the same way: it says nothing a class prior
   would not. The default is high because under class imbalance an informative LF may vote
   on nearly everything: on Spouse (7% positive) "not_spouse unless 'wife' or 'husband' is within
   two words of a person" votes on 92% of the pool at 96% accuracy and abstains on 90 of its
   190 positives; "any word occurs" (a misreading) votes on 100%;
3. **duplicate** -- parses with identical votes over the pool keep one representative, the first
   in explanation order and parse rank; the others are recorded as its duplicates
   (:attr:`FilterResult.duplicates`, plain data the label model's dependency handling can use);
   a parse that votes nowhere beyond its own example is nobody's duplicate (the next filter
   reports it);
4. **low coverage** -- a parse that votes on no candidate of the pool beyond its own example;
5. **generalisation** (on by default) -- a parse that votes on every candidate another
   surviving parse of the same explanation votes on, and on more, is a strict generalisation of
   it and is dropped: of two nested readings of one sentence the narrower is the one the
   annotator meant more often (SemEval's "there is only one word 'of' between SUBJ and OBJ":
   read as "'of' occurs once between them" it votes on 1,774 train sentences at 33% accuracy,
   read as "the words between them are 'of'" on 331 at 78%). Readings that are not nested both
   stay;
6. **one per explanation** (optional, off by default) -- of the surviving parses of an
   explanation keep only the most specific: the one voting on the fewest candidates (ties: the
   better-ranked parse).

Executing the parses is the costly step; the filters are cheap. :func:`filter_parses` does both;
a caller that keeps each explanation's execution (:func:`execute_parses`, e.g. the workbench)
re-filters a changed list of explanations with :func:`filter_executed` without running a parse
again, with exactly the result :func:`filter_parses` would give for that list.

Examples
--------
>>> config = FilterConfig()
>>> config.uniform_coverage, config.drop_generalisations, config.one_per_explanation
(0.99, True, False)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from babble.apply import LabelMatrix, apply_lfs
from babble.apply.matrix import STORED_DTYPE
from babble.errors import LabelingError, NoLabelingFunctionsError
from babble.lf import LabelingFunction, lfs_from_parses
from babble.logic.forms import LabelingRule
from babble.logic.interpret import PhraseAnalyzer
from babble.preprocess import PreprocessedCandidates

FILTERS = (
    "consistency",
    "uniform",
    "duplicate",
    "low_coverage",
    "generalisation",
    "one_per_explanation",
)
"""The filters, in the order they run."""


@dataclass(frozen=True)
class FilterConfig:
    """Settings of the filter bank.

    Attributes
    ----------
    uniform_coverage
        A parse voting on more than this share of the pool is dropped as uniform.
    one_per_explanation
        Keep only the most specific surviving parse of each explanation.
    drop_generalisations
        Drop a parse that strictly generalises another surviving parse of its explanation.
    """

    uniform_coverage: float = 0.99
    one_per_explanation: bool = False
    drop_generalisations: bool = True

    def __post_init__(self) -> None:
        if not 0.0 < self.uniform_coverage <= 1.0:
            raise LabelingError(
                f"uniform_coverage must be in (0, 1], got {self.uniform_coverage!r}"
            )


@dataclass(frozen=True)
class ParsedExplanation:
    """An explanation's parses, ready for the filter bank.

    Attributes
    ----------
    name
        Unique name of the explanation; its LFs are named ``<name>#<rank>``.
    label
        The explanation's label (integer).
    rules
        Its parses, best first (empty when it did not parse).
    example
        The id of the candidate it was written about, when known.
    error
        Why it has no parse, when it has none.
    """

    name: str
    label: int
    rules: tuple[LabelingRule, ...] = ()
    example: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class Dropped:
    """A parse the filter bank dropped, and why."""

    lf: str
    explanation: str
    rank: int
    filter: str
    reason: str
    duplicate_of: str | None = None


@dataclass(frozen=True)
class FilterReport:
    """What the filter bank did with one explanation.

    Attributes
    ----------
    explanation, label
        The explanation and its label.
    parses
        How many parses it had.
    dropped
        Filter -> how many of its parses that filter dropped (every filter listed).
    surviving
        The names of its parses that became LFs.
    example
        ``"in pool"``, ``"in examples"`` or why the consistency filter could not check it.
    error
        Why it did not parse, if it did not.
    """

    explanation: str
    label: int
    parses: int
    dropped: Mapping[str, int]
    surviving: tuple[str, ...]
    example: str
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        return {
            "explanation": self.explanation,
            "label": self.label,
            "parses": self.parses,
            "dropped": dict(self.dropped),
            "surviving": list(self.surviving),
            "example": self.example,
            "error": self.error,
        }


@dataclass(frozen=True, eq=False)
class FilterResult:
    """The filter bank's output.

    Attributes
    ----------
    lfs
        The surviving LFs, in explanation order and parse rank.
    matrix
        Their label matrix over the pool.
    parsed
        The label matrix of *every* parse over the pool (before filtering), for analysis.
    dropped
        Every dropped parse with its filter and reason.
    reports
        One per explanation, in order.
    duplicates
        Representative LF name -> the names of parses with the same votes.
    config
        The settings used.
    """

    lfs: tuple[LabelingFunction, ...]
    matrix: LabelMatrix | None
    parsed: LabelMatrix | None
    dropped: tuple[Dropped, ...]
    reports: tuple[FilterReport, ...]
    duplicates: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    config: FilterConfig = FilterConfig()

    def totals(self) -> dict[str, int]:
        """Parses found, dropped by each filter, and LFs kept, over all explanations."""
        out = {"explanations": len(self.reports), "parses": sum(r.parses for r in self.reports)}
        for name in FILTERS:
            out[name] = sum(r.dropped[name] for r in self.reports)
        out["lfs"] = len(self.lfs)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (no matrices)."""
        return {
            "config": {
                "uniform_coverage": self.config.uniform_coverage,
                "drop_generalisations": self.config.drop_generalisations,
                "one_per_explanation": self.config.one_per_explanation,
            },
            "totals": self.totals(),
            "explanations": [r.to_dict() for r in self.reports],
            "dropped": [vars(d) for d in self.dropped],
            "duplicates": {k: list(v) for k, v in self.duplicates.items()},
            "lfs": [lf.name for lf in self.lfs],
        }


def filter_parses(
    explanations: Sequence[ParsedExplanation],
    pool: PreprocessedCandidates,
    *,
    examples: PreprocessedCandidates | None = None,
    config: FilterConfig | None = None,
    word_lists: Mapping[str, Sequence[str]] | None = None,
    analyzer: PhraseAnalyzer | None = None,
    n_labels: int | None = None,
) -> FilterResult:
    """Run the filter bank (see the module docstring) over the parses of some explanations.

    Parameters
    ----------
    explanations
        The explanations and their ranked parses (names must be unique).
    pool
        The unlabeled candidates the parses are executed on.
    examples
        Preprocessed candidates holding explanations' own examples that are not in the pool
        (e.g. dev-set examples with a train pool); examples are looked up by candidate id, in
        the pool first.
    config
        Filter settings (default :class:`FilterConfig`).
    word_lists, analyzer, n_labels
        As for :func:`~babble.apply.apply_lfs`.

    Returns
    -------
    FilterResult
        Empty LFs (and ``matrix`` None) when every parse was dropped or nothing parsed: the
        reports say why.
    """
    _require_unique(explanations)
    executed = execute_parses(
        explanations,
        pool,
        examples=examples,
        word_lists=word_lists,
        analyzer=analyzer,
        n_labels=n_labels,
    )
    return filter_executed([executed], config)


@dataclass(frozen=True, eq=False)
class ExecutedParses:
    """Some explanations' parses executed over the pool: all the filters need to judge them.

    Attributes
    ----------
    explanations
        The explanations, in order.
    lfs
        Their parses as LFs, in explanation order and parse rank.
    parsed
        The LFs' votes over the pool (``None`` when there is no parse).
    examples
        Where each explanation's own example is, and its parses' votes on it.
    """

    explanations: tuple[ParsedExplanation, ...]
    lfs: tuple[LabelingFunction, ...]
    parsed: LabelMatrix | None
    examples: _ExampleVotes


def execute_parses(
    explanations: Sequence[ParsedExplanation],
    pool: PreprocessedCandidates,
    *,
    examples: PreprocessedCandidates | None = None,
    word_lists: Mapping[str, Sequence[str]] | None = None,
    analyzer: PhraseAnalyzer | None = None,
    n_labels: int | None = None,
) -> ExecutedParses:
    """Execute explanations' parses over the pool and on their own examples, for
    :func:`filter_executed` (parameters as for :func:`filter_parses`)."""
    lfs = tuple(lf for e in explanations for lf in lfs_from_parses(e.name, e.rules))
    kwargs: dict[str, Any] = {"word_lists": word_lists, "analyzer": analyzer, "n_labels": n_labels}
    parsed = apply_lfs(lfs, pool, **kwargs) if lfs else None
    votes = _example_votes(explanations, lfs, pool, examples, kwargs)
    return ExecutedParses(tuple(explanations), lfs, parsed, votes)


def filter_executed(
    executed: Sequence[ExecutedParses], config: FilterConfig | None = None
) -> FilterResult:
    """Run the filters over executed parses, taken together in order (all executed over the
    same pool): the result :func:`filter_parses` gives for all their explanations at once.

    Examples
    --------
    >>> filter_executed([]).totals()["lfs"]
    0
    """
    config = config or FilterConfig()
    explanations = tuple(e for part in executed for e in part.explanations)
    _require_unique(explanations)
    lfs = [lf for part in executed for lf in part.lfs]
    if not lfs:
        reports = tuple(_report(e, {}, (), "not checked: no parse") for e in explanations)
        return FilterResult((), None, None, (), reports, {}, config)
    parsed = _side_by_side([part.parsed for part in executed if part.parsed is not None])
    bank = _Bank(explanations, lfs, parsed, config)
    bank.consistency(_ExampleVotes.merge([part.examples for part in executed]))
    bank.uniform()
    bank.duplicate()
    bank.low_coverage()
    if config.drop_generalisations:
        bank.generalisation()
    if config.one_per_explanation:
        bank.one_per_explanation()
    return bank.result()


def _require_unique(explanations: Sequence[ParsedExplanation]) -> None:
    names = [e.name for e in explanations]
    if len(set(names)) != len(names):
        twice = sorted({n for n in names if names.count(n) > 1})
        raise LabelingError(f"explanation names must be unique; repeated: {twice}")


def _side_by_side(matrices: Sequence[LabelMatrix]) -> LabelMatrix:
    """The columns of label matrices over the same candidates, in one copy."""
    if len(matrices) == 1:
        return matrices[0]
    columns = sp.hstack([m.matrix.tocsc() for m in matrices], format="csc", dtype=STORED_DTYPE)
    return LabelMatrix(
        columns.tocsr(),  # stacking by columns is fast in CSC, CSR by rows
        tuple(name for m in matrices for name in m.lf_names),
        matrices[0].candidate_ids,
        tuple(e for m in matrices for e in m.errors),
        tuple(dict.fromkeys(note for m in matrices for note in m.notes)),
    )


def _report(
    e: ParsedExplanation, dropped: Mapping[str, int], surviving: tuple[str, ...], example: str
) -> FilterReport:
    counts = {name: dropped.get(name, 0) for name in FILTERS}
    return FilterReport(e.name, e.label, len(e.rules), counts, surviving, example, e.error)


@dataclass(frozen=True)
class _ExampleVotes:
    """Each explanation's own example: where it is, and the votes of its parses on it."""

    where: dict[str, str] = field(default_factory=dict)  # "in pool" / "in examples" / why not
    pool_row: dict[str, int] = field(default_factory=dict)  # its row in the pool
    vote: dict[str, int] = field(default_factory=dict)  # LF -> its vote on an outside example

    @classmethod
    def merge(cls, parts: Sequence[_ExampleVotes]) -> _ExampleVotes:
        """The example votes of several groups of explanations (their names are distinct)."""
        out = cls()
        for part in parts:
            out.where.update(part.where)
            out.pool_row.update(part.pool_row)
            out.vote.update(part.vote)
        return out


def _example_votes(
    explanations: Sequence[ParsedExplanation],
    lfs: Sequence[LabelingFunction],
    pool: PreprocessedCandidates,
    examples: PreprocessedCandidates | None,
    kwargs: dict[str, Any],
) -> _ExampleVotes:
    out = _ExampleVotes()
    pool_rows = {c.id: j for j, c in enumerate(pool.candidates)}
    extra_rows = {} if examples is None else {c.id: j for j, c in enumerate(examples.candidates)}
    by_explanation: dict[str, list[LabelingFunction]] = {}
    for lf in lfs:
        assert lf.origin.explanation is not None
        by_explanation.setdefault(lf.origin.explanation, []).append(lf)
    outside: list[tuple[str, int]] = []
    for e in explanations:
        if e.example is None:
            out.where[e.name] = "not checked: example unknown"
        elif e.example in pool_rows:
            out.where[e.name] = "in pool"
            out.pool_row[e.name] = pool_rows[e.example]
        elif e.example in extra_rows:
            out.where[e.name] = "in examples"
            outside.append((e.name, extra_rows[e.example]))
        else:
            out.where[e.name] = f"not checked: example {e.example!r} not preprocessed"
    if outside and examples is not None:
        own = [lf for name, _ in outside for lf in by_explanation.get(name, [])]
        if own:
            votes = apply_lfs(own, examples, **kwargs)
            rows = dict(outside)
            for lf in own:
                assert lf.origin.explanation is not None
                out.vote[lf.name] = int(votes.column(lf.name)[rows[lf.origin.explanation]])
    return out


class _Bank:
    """The filters' shared state: which parses are still alive."""

    def __init__(
        self,
        explanations: Sequence[ParsedExplanation],
        lfs: Sequence[LabelingFunction],
        parsed: LabelMatrix,
        config: FilterConfig,
    ) -> None:
        self.explanations = explanations
        self.lfs = list(lfs)
        self.parsed = parsed
        self.config = config
        self.label = {e.name: e.label for e in explanations}
        self.alive = [True] * len(lfs)
        self.dropped: list[Dropped] = []
        self.duplicates: dict[str, list[str]] = {}
        self.csc = parsed.matrix.tocsc()
        indptr = self.csc.indptr
        self.columns = [self.csc.indices[indptr[j] : indptr[j + 1]] for j in range(len(lfs))]
        self.coverage = np.diff(indptr) / parsed.shape[0]
        self.own_row: dict[str, int] = {}
        self.where: dict[str, str] = {}

    def explanation(self, j: int) -> str:
        name = self.lfs[j].origin.explanation
        assert name is not None
        return name

    def drop(self, j: int, filter_name: str, reason: str, duplicate_of: str | None = None) -> None:
        self.alive[j] = False
        lf = self.lfs[j]
        assert lf.origin.rank is not None
        self.dropped.append(
            Dropped(lf.name, self.explanation(j), lf.origin.rank, filter_name, reason, duplicate_of)
        )

    def living(self) -> list[int]:
        return [j for j, ok in enumerate(self.alive) if ok]

    def consistency(self, examples: _ExampleVotes) -> None:
        self.where = examples.where
        self.own_row = examples.pool_row
        for j in self.living():
            name = self.explanation(j)
            if name in self.own_row:
                vote = int(self.parsed.matrix[self.own_row[name], j]) - 1
            elif self.lfs[j].name in examples.vote:
                vote = examples.vote[self.lfs[j].name]
            else:
                continue
            if vote != self.label[name]:
                said = "abstains on" if vote == -1 else f"votes {vote} on"
                self.drop(j, "consistency", f"{said} its own example (label {self.label[name]})")

    def uniform(self) -> None:
        limit = self.config.uniform_coverage
        for j in self.living():
            if self.coverage[j] > limit:
                self.drop(
                    j, "uniform", f"votes on {self.coverage[j]:.1%} of the pool (> {limit:.0%})"
                )

    def _beyond_example(self, j: int) -> int:
        """How many pool candidates parse ``j`` votes on, its own example aside."""
        rows = self.columns[j]
        own = self.own_row.get(self.explanation(j))
        return int(rows.size - (own is not None and bool((rows == own).any())))

    def duplicate(self) -> None:
        first: dict[tuple[bytes, bytes], int] = {}
        for j in self.living():
            if not self._beyond_example(j):
                continue
            key = (self.columns[j].tobytes(), self._votes(j).tobytes())
            if key in first:
                keep = self.lfs[first[key]].name
                self.drop(j, "duplicate", f"same votes as {keep}", duplicate_of=keep)
                self.duplicates.setdefault(keep, []).append(self.lfs[j].name)
            else:
                first[key] = j

    def low_coverage(self) -> None:
        for j in self.living():
            if not self._beyond_example(j):
                self.drop(j, "low_coverage", "votes on no candidate of the pool beyond its example")

    def generalisation(self) -> None:
        by_explanation: dict[str, list[int]] = {}
        for j in self.living():
            by_explanation.setdefault(self.explanation(j), []).append(j)
        for parses in by_explanation.values():
            for j in parses:
                narrower = [i for i in parses if i != j and self._strictly_inside(i, j)]
                if narrower:
                    keep = self.lfs[narrower[0]].name
                    self.drop(
                        j,
                        "generalisation",
                        f"votes on every candidate {keep} votes on, and on "
                        f"{self.columns[j].size - self.columns[narrower[0]].size} more",
                    )

    def _strictly_inside(self, i: int, j: int) -> bool:
        """Whether parse ``i`` votes on a strict subset of the candidates parse ``j`` votes on
        (the parses of one explanation all vote its label)."""
        inner, outer = self.columns[i], self.columns[j]
        return inner.size < outer.size and bool(np.isin(inner, outer, assume_unique=True).all())

    def _votes(self, j: int) -> np.ndarray:
        votes: np.ndarray = self.csc.data[self.csc.indptr[j] : self.csc.indptr[j + 1]]
        return votes

    def one_per_explanation(self) -> None:
        best: dict[str, int] = {}
        for j in self.living():
            name = self.explanation(j)
            if name not in best or self.coverage[j] < self.coverage[best[name]]:
                best[name] = j
        for j in self.living():
            keep = best[self.explanation(j)]
            if j != keep:
                self.drop(
                    j,
                    "one_per_explanation",
                    f"less specific than {self.lfs[keep].name} "
                    f"({self.coverage[j]:.1%} vs {self.coverage[keep]:.1%} of the pool)",
                )

    def result(self) -> FilterResult:
        living = self.living()
        kept = tuple(self.lfs[j] for j in living)
        matrix = self.parsed.select(living) if living else None
        counts: dict[str, dict[str, int]] = {}
        for d in self.dropped:
            per = counts.setdefault(d.explanation, {})
            per[d.filter] = per.get(d.filter, 0) + 1
        reports = tuple(
            _report(
                e,
                counts.get(e.name, {}),
                tuple(lf.name for lf in kept if lf.origin.explanation == e.name),
                self.where.get(e.name, "not checked: no parse"),
            )
            for e in self.explanations
        )
        duplicates = {k: tuple(v) for k, v in self.duplicates.items()}
        return FilterResult(
            kept, matrix, self.parsed, tuple(self.dropped), reports, duplicates, self.config
        )


def require_lfs(result: FilterResult) -> LabelMatrix:
    """The surviving LFs' label matrix, or a clear error when no parse survived."""
    if result.matrix is None:
        totals = result.totals()
        raise NoLabelingFunctionsError(
            f"no labeling function survived the filter bank ({totals['parses']} parses of "
            f"{totals['explanations']} explanations; dropped: "
            + ", ".join(f"{k} {totals[k]}" for k in FILTERS)
            + ")"
        )
    return result.matrix
