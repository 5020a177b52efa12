"""Dependency groups from explanations and sibling logical forms (issue 7, static dependencies)."""

from __future__ import annotations

import pytest

from babble.lf import PYTHON, LabelingFunction, dependency_groups, siblings
from babble.logic.forms import (
    ANY,
    AnyWord,
    Between,
    Cmp,
    Count,
    Entity,
    LabelingRule,
    Lemma,
    Not,
    Occurs,
    Order,
    Phrase,
    Quant,
    Side,
    Window,
)

SUBJ, OBJ = Entity("subject"), Entity("object")
BETWEEN = Between(SUBJ, OBJ)


def words(*texts: str, where: object = BETWEEN, label: int = 1) -> LabelingRule:
    return LabelingRule(label, Occurs(tuple(Phrase(t) for t in texts), where))  # type: ignore[arg-type]


def near(n: int, label: int = 1) -> LabelingRule:
    return LabelingRule(label, Count(AnyWord(), BETWEEN, Cmp.LE, n))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (near(3), near(5)),  # one number
        (words("wife"), words("husband")),  # one member replaced
        (words("wife", "husband"), words("wife", "husband", "spouse")),  # one member added
        (words("wife", "husband", "spouse"), words("wife", "spouse")),  # one member removed
        (words("wife", "husband"), words("wife", "spouse")),
        (
            LabelingRule(0, Not(Occurs((Lemma("marry"),), BETWEEN))),
            LabelingRule(0, Not(Occurs((Lemma("wed"),), BETWEEN))),
        ),
        (words("wife"), words("wife", where=Window(OBJ, Side.BEFORE))),  # another region
        # the exact word and its inflections: one member of the word set changed
        (words("wife"), LabelingRule(1, Occurs((Lemma("wife"),), BETWEEN))),
    ],
)
def test_siblings_differ_in_one_number_or_one_member(a: LabelingRule, b: LabelingRule) -> None:
    assert siblings(a, b)
    assert siblings(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (near(3), near(3, label=0)),  # another label
        (near(3), near(3)),  # the same rule is a duplicate, not a sibling
        (words("wife", "husband"), words("son", "daughter")),  # two members replaced
        (words("wife", "husband"), words("wife", where=Window(OBJ, Side.BEFORE))),  # two
        (
            words("wife"),
            LabelingRule(1, Occurs((Phrase("wife"),), BETWEEN, ANY, whole=True)),
        ),  # a flag, not a number
        (
            LabelingRule(1, Occurs((Phrase("a"), Phrase("b")), BETWEEN, Quant(Cmp.GE, 1))),
            LabelingRule(1, Occurs((Phrase("a"), Phrase("c")), BETWEEN, Quant(Cmp.GE, 2))),
        ),  # a member and a number: two differences
        (words("wife"), LabelingRule(1, Order(SUBJ, OBJ))),  # another shape
    ],
)
def test_not_siblings(a: LabelingRule, b: LabelingRule) -> None:
    assert not siblings(a, b)


def lf(rule: LabelingRule, explanation: str, rank: int = 0) -> LabelingFunction:
    return LabelingFunction.from_rule(rule, explanation=explanation, rank=rank)


def test_groups_join_explanations_and_sibling_chains() -> None:
    lfs = [
        lf(words("wife"), "e1"),
        lf(near(3), "e1", 1),  # same explanation as column 0
        lf(words("husband"), "e2"),  # sibling of column 0
        lf(words("spouse"), "e3"),  # sibling of column 2 (and 0): one chain
        lf(near(4, label=0), "e4"),  # label 0: nothing in common
        LabelingFunction("hand", PYTHON, func=lambda c: 1),
    ]
    assert dependency_groups(lfs) == [[0, 1, 2, 3]]
    assert dependency_groups(lfs, by_form=False) == [[0, 1]]


def test_no_groups_for_unrelated_or_python_lfs() -> None:
    lfs = [
        lf(words("wife"), "e1"),
        lf(LabelingRule(1, Order(SUBJ, OBJ)), "e2"),
        LabelingFunction("hand", PYTHON, func=lambda c: 1),
    ]
    assert dependency_groups(lfs) == []
    assert dependency_groups([]) == []
