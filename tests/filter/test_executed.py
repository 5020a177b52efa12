"""The filter bank in two steps: parses executed once per explanation, then filtered together
(what the workbench does after every change) gives exactly what ``filter_parses`` gives."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import pytest

from babble.errors import LabelingError
from babble.filter import (
    FilterConfig,
    FilterResult,
    ParsedExplanation,
    execute_parses,
    filter_executed,
    filter_parses,
)
from babble.logic.forms import Between, LabelingRule, Lemma
from babble.preprocess import PreprocessedCandidates
from tests.apply.pools import analyzer, blank_pool, real_pool, relation
from tests.filter.test_bank import EXPLANATIONS, NESTED, OBJ, SUBJ, _occurs

MARRY_BETWEEN = LabelingRule(1, _occurs(Lemma("marry"), Between(SUBJ, OBJ)))  # c0, c9
MARRY_ANYWHERE = LabelingRule(1, _occurs(Lemma("marry")))  # c0, c6, c9


def _examples() -> PreprocessedCandidates:
    return blank_pool([relation("x1", "Joe married Kim .", "Joe", "Kim")])


def _together(
    explanations: Sequence[ParsedExplanation], config: FilterConfig | None = None
) -> FilterResult:
    return filter_parses(
        explanations,
        real_pool(),
        examples=_examples(),
        config=config,
        analyzer=analyzer(),
        n_labels=2,
    )


def _in_parts(
    parts: Sequence[Sequence[ParsedExplanation]], config: FilterConfig | None = None
) -> FilterResult:
    examples = _examples()
    executed = [
        execute_parses(part, real_pool(), examples=examples, analyzer=analyzer(), n_labels=2)
        for part in parts
    ]
    return filter_executed(executed, config)


def _assert_same(got: FilterResult, expected: FilterResult) -> None:
    assert [lf.name for lf in got.lfs] == [lf.name for lf in expected.lfs]
    assert got.dropped == expected.dropped and got.reports == expected.reports
    assert got.duplicates == expected.duplicates
    for mine, theirs in ((got.matrix, expected.matrix), (got.parsed, expected.parsed)):
        assert (mine is None) == (theirs is None)
        if mine is not None and theirs is not None:
            assert mine.lf_names == theirs.lf_names
            assert (mine.matrix != theirs.matrix).nnz == 0


@pytest.mark.parametrize(
    "cuts",
    [(), (1, 2, 3, 4, 5), (2,), (3, 4)],
    ids=["one part", "one per explanation", "2+4", "3+1+2"],
)
@pytest.mark.parametrize(
    "config",
    [FilterConfig(), FilterConfig(one_per_explanation=True, drop_generalisations=False)],
    ids=["default", "one per explanation"],
)
def test_executing_in_parts_filters_as_all_at_once(
    cuts: tuple[int, ...], config: FilterConfig
) -> None:
    bounds = [0, *cuts, len(EXPLANATIONS)]
    parts = [EXPLANATIONS[a:b] for a, b in pairwise(bounds)]
    _assert_same(_in_parts(parts, config), _together(EXPLANATIONS, config))


def test_a_duplicate_of_a_reading_dropped_later_is_still_a_duplicate() -> None:
    # NESTED#1 is dropped as a generalisation of NESTED#0, *after* the duplicate filter: a
    # later parse with its votes is its duplicate all the same, as when filtered together
    later = ParsedExplanation("later", 1, (MARRY_ANYWHERE,), example="c0")
    result = _in_parts([[NESTED], [later]])
    _assert_same(result, _together([NESTED, later]))
    assert {d.lf: d.filter for d in result.dropped if d.explanation == "later"} == {
        "later#0": "duplicate"
    }


def test_a_duplicate_reading_does_not_make_a_broader_one_a_generalisation() -> None:
    # both#0 duplicates first#0 and is dropped before the generalisation filter, so both#1
    # (which contains it) has no narrower surviving reading and stays
    first = ParsedExplanation("first", 1, (MARRY_BETWEEN,), example="c0")
    both = ParsedExplanation("both", 1, (MARRY_BETWEEN, MARRY_ANYWHERE), example="c0")
    result = _in_parts([[first], [both]])
    _assert_same(result, _together([first, both]))
    assert [lf.name for lf in result.lfs] == ["first#0", "both#1"]


def test_parts_without_any_parse() -> None:
    garbled = ParsedExplanation("garbled", 1, (), example="c2", error="[E406] no reading")
    result = _in_parts([[garbled]])
    _assert_same(result, _together([garbled]))
    assert result.matrix is None and result.reports[0].example == "not checked: no parse"
    assert filter_executed([]).reports == ()


def test_names_must_be_unique_across_parts() -> None:
    one = ParsedExplanation("same", 1, (MARRY_BETWEEN,), example="c0")
    with pytest.raises(LabelingError, match=r"names must be unique; repeated: \['same'\]"):
        _in_parts([[one], [one]])
