"""From a dataset's explanations to filtered LFs: parse, preprocess the pool, run the bank."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from babble.errors import BabbleError
from babble.filter.bank import FilterConfig, FilterResult, ParsedExplanation, filter_parses
from babble.logic.interpret import PhraseAnalyzer, analyzer_for
from babble.parse import ParseLimits, parse
from babble.preprocess import DEFAULT_PIPELINE, PreprocessedCandidates, preprocess
from babble.types import Candidate, Dataset, Explanation, LabelSpace


def explanation_name(explanation: Explanation, index: int) -> str:
    """An explanation's name, or ``explanation-<index>`` when it has none."""
    return explanation.name or f"explanation-{index}"


def parse_explanations(
    explanations: Sequence[Explanation],
    label_space: LabelSpace,
    *,
    word_lists: Mapping[str, Sequence[str]] | None = None,
    examples: Mapping[str, Candidate] | None = None,
    limits: ParseLimits | None = None,
) -> tuple[ParsedExplanation, ...]:
    """Parse every explanation (an explanation that fails keeps its error, the rest go on).

    ``examples`` maps candidate ids to candidates, so the parser can read unquoted words of
    the explanation's own example as quoted (and its entities named by their own words);
    ``limits`` bound each parse (default :class:`~babble.parse.ParseLimits`).

    Examples
    --------
    >>> space = LabelSpace(("no", "yes"), entity_aliases={"person1": "subject",
    ...                                                   "person2": "object"})
    >>> [p] = parse_explanations([Explanation("'wife' is right before person2", "yes")], space)
    >>> p.name, p.label, len(p.rules) >= 1, p.error
    ('explanation-0', 1, True, None)
    """
    bounds = asdict(limits or ParseLimits())
    out = []
    for i, explanation in enumerate(explanations):
        name = explanation_name(explanation, i)
        cid = explanation.candidate_id
        example = None if cid is None or examples is None else examples.get(cid)
        try:
            label = label_space.index(explanation.label)
            result = parse(
                explanation,
                label_space,
                word_lists=word_lists,
                sentence=None if example is None else example.text,
                entities=None if example is None else example.entity_texts,
                **bounds,
            )
        except BabbleError as exc:  # a bad label: this explanation fails, the others go on
            out.append(ParsedExplanation(name, -1, (), cid, error=str(exc)))
            continue
        error = None if result.error is None else str(result.error)
        out.append(ParsedExplanation(name, label, result.rules, cid, error))
    return tuple(out)


@dataclass(frozen=True, eq=False)
class FilteredTask:
    """A dataset's explanations through the filter bank, with the pool they ran on."""

    dataset: Dataset
    split: str
    pool: PreprocessedCandidates
    parsed: tuple[ParsedExplanation, ...]
    result: FilterResult


def filter_dataset(
    dataset: Dataset,
    split: str,
    *,
    config: FilterConfig | None = None,
    pipeline: str = DEFAULT_PIPELINE,
    analyzer: PhraseAnalyzer | None = None,
    limits: ParseLimits | None = None,
    progress: bool = False,
) -> FilteredTask:
    """Parse a dataset's explanations and filter the parses against one split as the pool.

    Explanations' own examples outside the pool (e.g. CDR's dev examples with a train pool)
    are preprocessed separately for the consistency filter; they do not join the pool.
    """
    pool_candidates = dataset.candidates(split)
    everything = {c.id: c for c in dataset.candidates()}
    parsed = parse_explanations(
        dataset.explanations,
        dataset.label_space,
        word_lists=dataset.word_lists,
        examples=everything,
        limits=limits,
    )
    pool = preprocess(pool_candidates, pipeline=pipeline, progress=progress)
    in_pool = {c.id for c in pool_candidates}
    outside: list[Candidate] = list(
        {
            p.example: everything[p.example]
            for p in parsed
            if p.example is not None and p.example in everything and p.example not in in_pool
        }.values()
    )
    examples = preprocess(outside, pipeline=pipeline, progress=False) if outside else None
    result = filter_parses(
        parsed,
        pool,
        examples=examples,
        config=config,
        word_lists=dataset.word_lists,
        analyzer=analyzer or analyzer_for(pipeline),
        n_labels=dataset.label_space.k,
    )
    return FilteredTask(dataset, split, pool, parsed, result)
