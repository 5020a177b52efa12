"""LabelingFunction, the @labeling_function decorator and plain callables."""

from __future__ import annotations

import pytest

from babble.errors import LabelingFunctionDefinitionError
from babble.lf import (
    PYTHON,
    LabelingFunction,
    Origin,
    as_labeling_functions,
    labeling_function,
    lfs_from_parses,
)
from babble.logic.forms import Entity, LabelingRule, Order
from babble.types import ABSTAIN, Candidate

RULE = LabelingRule(1, Order(Entity("subject"), Entity("object")))
CAND = Candidate("c1", "d1", "Ann met Bob.", ())


def test_decorator_with_and_without_parentheses_and_a_name() -> None:
    @labeling_function()
    def a(c: Candidate) -> int:
        return 1

    @labeling_function
    def b(c: Candidate) -> int:
        return 0

    @labeling_function(name="custom")
    def c(c: Candidate) -> int:
        return ABSTAIN

    assert [lf.name for lf in (a, b, c)] == ["a", "b", "custom"]
    assert all(lf.origin == PYTHON and lf.is_python and lf.label is None for lf in (a, b, c))
    assert (a(CAND), b(CAND), c(CAND)) == (1, 0, ABSTAIN)


def test_plain_callables_and_snorkel_style_objects_are_wrapped() -> None:
    def by_length(c: Candidate) -> int:
        return int(len(c.text) > 5)

    class SnorkelLike:
        name = "snorkel_lf"

        def __call__(self, x: Candidate) -> int:
            return 1

    lfs = as_labeling_functions([by_length, SnorkelLike()])
    assert [lf.name for lf in lfs] == ["by_length", "snorkel_lf"]
    assert [lf(CAND) for lf in lfs] == [1, 1]


def test_logical_form_lfs_are_named_by_explanation_and_rank() -> None:
    lfs = lfs_from_parses("exp", [RULE, LabelingRule(0, RULE.condition)])
    assert [(lf.name, lf.origin, lf.label) for lf in lfs] == [
        ("exp#0", Origin("exp", 0), 1),
        ("exp#1", Origin("exp", 1), 0),
    ]
    assert not lfs[0].is_python and not lfs[0].origin.is_python
    with pytest.raises(LabelingFunctionDefinitionError, match=r"use babble\.apply\.apply_lfs"):
        lfs[0](CAND)


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: LabelingFunction("x", PYTHON), "not neither"),
        (lambda: LabelingFunction("x", PYTHON, rule=RULE, func=len), "not both"),
        (lambda: LabelingFunction("", PYTHON, func=len), "non-empty name"),
        (lambda: LabelingFunction("x", PYTHON, rule="rule"), "must be a LabelingRule"),  # type: ignore[arg-type]
        (lambda: LabelingFunction("x", PYTHON, func=3), "must be callable"),  # type: ignore[arg-type]
        (lambda: Origin("exp", None), "both an explanation and a parse rank"),
        (lambda: LabelingFunction.from_callable(lambda c: 1), "pass name="),
        (lambda: labeling_function(name=3), "takes a string"),  # type: ignore[call-overload]
        (lambda: as_labeling_functions([3]), "must be callable"),  # type: ignore[list-item]
        (lambda: as_labeling_functions(lfs_from_parses("e", [RULE]) * 2), "two labeling"),
    ],
)
def test_malformed_lfs_are_refused(build: object, fragment: str) -> None:
    with pytest.raises(LabelingFunctionDefinitionError, match=fragment):
        build()  # type: ignore[operator]


def test_a_lambda_with_a_name_is_fine() -> None:
    lf = LabelingFunction.from_callable(lambda c: 1, name="always")
    assert lf.name == "always" and lf(CAND) == 1
