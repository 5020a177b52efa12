"""Parse reports: every explanation of a dataset parsed, each reading checked on its own example.

:func:`report_dataset` parses each explanation (:func:`babble.parse.parse`), renders every
reading (:func:`~babble.logic.render.paraphrase`, :func:`~babble.logic.render.to_sexpr`) and, where
the explanation was joined to the example it was written about, runs each reading on that example
with the reference interpreter (:mod:`babble.logic.interpret`) to see whether it votes the
explanation's label. :class:`ParseSummary` condenses the reports into the figures
``babble parse`` and ``benchmarks/parse_coverage.py`` print.

Conventions: an explanation with no parse counts as skipping all its words (share 1.0); "skips
nothing but filler" means its best parse skips no word (fillers such as "the" or "because" are
never counted as skipped).
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from babble.datasets.jsonl import join_explanation, read_explanations
from babble.logic.interpret import analyzer_for, candidate_view, compile_rule
from babble.logic.render import paraphrase, to_sexpr
from babble.parse import Parse, ParseResult, parse
from babble.preprocess import DEFAULT_PIPELINE, PreprocessedCandidates, preprocess
from babble.types import Dataset, ExplanationJoin, LabelSpace, SourceLocation

SKIP_BOUND = 0.20
"""The share of skipped words below which a best parse counts as reading "almost everything"."""


@dataclass(frozen=True)
class ReadingReport:
    """One reading of an explanation.

    Attributes
    ----------
    sexpr, paraphrase
        The logical form as an S-expression and as canonical English.
    skipped
        Words of the explanation this reading does not use (fillers aside).
    vote
        The reading's vote on the explanation's own example (``-1``: abstains); ``None`` when the
        example is unknown.
    correct
        Whether that vote is the explanation's label; ``None`` when the example is unknown.
    respelled
        Misspelt words it read as the lexicon word they stand for: (as written, as read).
    """

    sexpr: str
    paraphrase: str
    skipped: tuple[str, ...]
    vote: int | None
    correct: bool | None
    respelled: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ExplanationReport:
    """What parsing one explanation gave.

    Attributes
    ----------
    name, text, label, source
        The explanation: its name, text, label name and where it came from (``file:line``).
    example
        The id of the candidate it was written about, when that candidate is in the data.
    readings
        Every reading, best (fewest skipped words) first.
    n_words
        The explanation's words, punctuation aside.
    skipped_share
        The share of them the best reading skips (1.0 when there is none).
    error, error_code
        Why there is no reading (message and :class:`~babble.errors.BabbleError` code), if so.
    warnings
        Problems that did not prevent parsing (too many readings, deadline).
    elapsed_ms
        Parse time.
    """

    name: str | None
    text: str
    label: str
    source: str | None
    example: str | None
    readings: tuple[ReadingReport, ...]
    n_words: int
    skipped_share: float
    error: str | None
    error_code: str | None
    warnings: tuple[str, ...]
    elapsed_ms: float

    @property
    def parsed(self) -> bool:
        """Whether there is at least one reading."""
        return bool(self.readings)

    @property
    def correct(self) -> bool | None:
        """Whether some reading labels the own example correctly (``None``: example unknown)."""
        if self.example is None:
            return None
        return any(r.correct for r in self.readings)

    @property
    def skipped(self) -> tuple[str, ...]:
        """The words the best reading skips."""
        return self.readings[0].skipped if self.readings else ()

    @property
    def filler_only(self) -> bool:
        """Whether the best reading skips nothing but filler."""
        return self.parsed and not self.readings[0].skipped

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, with the derived flags."""
        out = asdict(self)
        out.update(parsed=self.parsed, correct=self.correct, filler_only=self.filler_only)
        return out


@dataclass(frozen=True)
class ParseSummary:
    """Figures over many explanation reports.

    Attributes
    ----------
    n, parsed
        Explanations, and those with at least one reading.
    with_example, correct
        Explanations whose own example is known, and those with a reading that labels it
        correctly.
    filler_only, skip_within_bound
        Explanations whose best reading skips nothing but filler, and at most
        :data:`SKIP_BOUND` of their words.
    median_skipped, mean_skipped
        The share of words the best reading skips (1.0 without a reading).
    mean_readings
        Readings per explanation.
    p50_ms, p95_ms
        Parse time percentiles.

    Examples
    --------
    >>> ParseSummary.of([]).n
    0
    """

    n: int
    parsed: int
    with_example: int
    correct: int
    filler_only: int
    skip_within_bound: int
    median_skipped: float
    mean_skipped: float
    mean_readings: float
    p50_ms: float
    p95_ms: float

    @classmethod
    def of(cls, reports: Sequence[ExplanationReport]) -> ParseSummary:
        """Summarise some explanation reports."""
        shares = [r.skipped_share for r in reports] or [0.0]
        times = [r.elapsed_ms for r in reports] or [0.0]
        return cls(
            n=len(reports),
            parsed=sum(r.parsed for r in reports),
            with_example=sum(r.example is not None for r in reports),
            correct=sum(bool(r.correct) for r in reports),
            filler_only=sum(r.filler_only for r in reports),
            skip_within_bound=sum(r.parsed and r.skipped_share <= SKIP_BOUND for r in reports),
            median_skipped=statistics.median(shares),
            mean_skipped=statistics.fmean(shares),
            mean_readings=statistics.fmean([len(r.readings) for r in reports] or [0]),
            p50_ms=float(np.percentile(times, 50)),
            p95_ms=float(np.percentile(times, 95)),
        )

    def share(self, count: int, of: int | None = None) -> float:
        """``count`` as a share of ``of`` (default: all explanations); 0.0 when there are none."""
        total = self.n if of is None else of
        return count / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, with the shares."""
        out: dict[str, Any] = asdict(self)
        out.update(
            parsed_share=self.share(self.parsed),
            correct_share=self.share(self.correct, self.with_example),
            filler_only_share=self.share(self.filler_only),
            skip_within_bound_share=self.share(self.skip_within_bound),
        )
        return out


@dataclass(frozen=True)
class DatasetReport:
    """The reports of a dataset's explanations and their summary."""

    dataset: str
    explanations: tuple[ExplanationReport, ...]
    summary: ParseSummary

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "dataset": self.dataset,
            "summary": self.summary.to_dict(),
            "explanations": [e.to_dict() for e in self.explanations],
        }


def load_explanations(path: Path, dataset: Dataset) -> tuple[ExplanationJoin, ...]:
    """Explanations from a generic ``explanations.jsonl`` (see ``docs/formats.md``), each joined
    by ``candidate_id`` to a candidate of ``dataset``."""
    seen = {c.id: SourceLocation(dataset.name, document=c.doc_id) for c in dataset.candidates()}
    return tuple(join_explanation(e, seen) for e in read_explanations(path, dataset.label_space))


def report_dataset(
    dataset: Dataset,
    joins: Sequence[ExplanationJoin] | None = None,
    *,
    pipeline: str = DEFAULT_PIPELINE,
    cache_dir: str | Path | None = None,
) -> DatasetReport:
    """Parse explanations and check each reading on the explanation's own example.

    Parameters
    ----------
    dataset
        The dataset: its label space, word lists and the candidates explanations are joined to.
    joins
        The explanations (default: the dataset's own).
    pipeline
        The spaCy pipeline that preprocesses the known examples and tokenises phrases.
    cache_dir
        Preprocessing cache root (default ``$BABBLE_CACHE``).
    """
    joins = dataset.joins if joins is None else tuple(joins)
    by_id = {c.id: c for c in dataset.candidates()}
    examples = {
        cid: by_id[cid]
        for j in joins
        if j.joined and (cid := j.explanation.candidate_id) is not None and cid in by_id
    }
    pre = (
        preprocess(list(examples.values()), pipeline=pipeline, cache_dir=cache_dir, progress=False)
        if examples
        else None
    )
    position = {cid: k for k, cid in enumerate(examples)}
    checker = _Checker(dataset.label_space, dataset.word_lists, pipeline, pre)
    reports = []
    for join in joins:
        cid = join.explanation.candidate_id if join.joined else None
        example = examples.get(cid) if cid is not None else None
        result = parse(
            join.explanation,
            dataset.label_space,
            word_lists=dataset.word_lists,
            sentence=example.text if example is not None else None,
            entities=example.entity_texts if example is not None else None,
        )
        reports.append(checker.report(join, result, position[example.id] if example else None))
    return DatasetReport(dataset.name, tuple(reports), ParseSummary.of(reports))


@dataclass(frozen=True)
class _Checker:
    """Renders readings and runs them on the preprocessed examples."""

    space: LabelSpace
    word_lists: Mapping[str, Sequence[str]]
    pipeline: str
    pre: PreprocessedCandidates | None

    def report(
        self, join: ExplanationJoin, result: ParseResult, example: int | None
    ) -> ExplanationReport:
        e = join.explanation
        readings = tuple(self.reading(p, example, result.label) for p in result.parses)
        return ExplanationReport(
            name=e.name,
            text=e.text,
            label=e.label,
            source=result.source,
            example=e.candidate_id if example is not None else None,
            readings=readings,
            n_words=result.n_words,
            skipped_share=result.skipped_share(),
            error=str(result.error) if result.error else None,
            error_code=result.error.code if result.error else None,
            warnings=tuple(str(w) for w in result.warnings),
            elapsed_ms=result.elapsed_ms,
        )

    def reading(self, parse: Parse, example: int | None, label: int) -> ReadingReport:
        vote = None
        if example is not None and self.pre is not None:
            compiled = compile_rule(
                parse.rule, self.word_lists, analyzer=analyzer_for(self.pipeline)
            )
            vote = compiled(candidate_view(self.pre, example))
        return ReadingReport(
            sexpr=to_sexpr(parse.rule),
            paraphrase=paraphrase(parse.rule, self.space),
            skipped=parse.skipped,
            vote=vote,
            correct=None if vote is None else vote == label,
            respelled=parse.respelled,
        )
