"""Logical forms: construction checks, canonical and/or, hashing, helpers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from babble.errors import LogicTypeError
from babble.logic.forms import (
    ANY,
    NONE,
    And,
    AnyWord,
    Apart,
    Between,
    Cmp,
    Count,
    Digits,
    Distance,
    Entity,
    EntityLength,
    EntityText,
    EntityType,
    Inside,
    LabelingRule,
    Lemma,
    Match,
    Not,
    Occurs,
    Or,
    Order,
    PartOfSpeech,
    Phrase,
    Quant,
    SameText,
    Sentence,
    Shape,
    ShapeKind,
    Side,
    Unit,
    Window,
    WordLike,
    WordList,
    all_items,
    children,
    conjoin,
    depth,
    disjoin,
    negate,
    roles_used,
    walk,
    word_lists_used,
)
from tests.bounded import returns_soon

SUBJ, OBJ = Entity("subject"), Entity("object")
WIFE = Phrase("wife")
BETWEEN = Between(SUBJ, OBJ)


def occurs(*words: str) -> Occurs:
    return Occurs(tuple(Phrase(w) for w in words), BETWEEN)


def test_equal_forms_are_equal_and_hash_alike() -> None:
    a = LabelingRule(1, And((occurs("wife"), Order(SUBJ, OBJ, Distance(Cmp.LE, 3)))))
    b = LabelingRule(1, And((occurs("wife"), Order(SUBJ, OBJ, Distance(Cmp.LE, 3)))))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1


def test_and_flattens_and_drops_repeats() -> None:
    a, b, c = occurs("a"), occurs("b"), occurs("c")
    assert And((And((a, b)), c, a)).parts == (a, b, c)
    assert Or((Or((a, b)), Or((b, c)))).parts == (a, b, c)
    assert And((Or((a, b)), c)).parts == (Or((a, b)), c)  # different connectives stay nested


def test_conjoin_disjoin_negate_helpers() -> None:
    a, b = occurs("a"), occurs("b")
    assert conjoin((a, a)) == a and disjoin((a, a)) == a
    assert conjoin((a, b)) == And((a, b)) and disjoin((a, b)) == Or((a, b))
    assert negate(negate(a)) == a and negate(a) == Not(a)


@pytest.mark.parametrize(
    ("build", "fragment"),
    [
        (lambda: Entity("person1"), "role must be one of"),
        (lambda: Phrase("  "), "non-empty string"),
        (lambda: PartOfSpeech("VERBS"), "tag must be one of"),
        (lambda: EntityType(()), "non-empty tuple"),
        (lambda: Between(SUBJ, SUBJ), "two different entities"),
        (lambda: Window(SUBJ, Side.EITHER), "needs a limit"),
        (lambda: Distance(Cmp.LE, 0), "no distance"),
        (lambda: Distance(Cmp.LT, 1), "no distance"),
        (lambda: Distance(Cmp.LE, -1), "integer >= 0"),
        (lambda: Occurs((WIFE,), BETWEEN, Quant(Cmp.GE, 2)), "no count of 1 items"),
        (lambda: Occurs((WIFE,), BETWEEN, Quant(Cmp.GE, 0)), "every count"),
        (lambda: Occurs((WIFE, WIFE), BETWEEN), "distinct"),
        (lambda: Occurs((), BETWEEN), "non-empty tuple"),
        (lambda: Occurs((BETWEEN,), BETWEEN), "must be word sets"),  # type: ignore[arg-type]
        (lambda: Occurs((WIFE,), WIFE), "must be a region"),  # type: ignore[arg-type]
        (lambda: Occurs((WIFE,), Sentence(), whole=True), "bounded region"),
        (lambda: Count(AnyWord(), BETWEEN, Cmp.GE, 0), "always or never"),
        (lambda: Count(AnyWord(), BETWEEN, Cmp.LT, 0), "always or never"),
        (lambda: Order(SUBJ, SUBJ), "two different entities"),
        (lambda: Apart(SUBJ, OBJ, None), "gap must be a Distance"),  # type: ignore[arg-type]
        (lambda: EntityText(SUBJ, Match.IS, (AnyWord(),)), "name what kind"),
        (lambda: EntityLength(SUBJ, Cmp.GE, 1), "always or never"),
        (lambda: WordLike(Match.IS, WIFE), "CONTAINS, STARTS_WITH or ENDS_WITH"),
        (lambda: WordLike(Match.CONTAINS, AnyWord()), "Phrase or a WordList"),  # type: ignore[arg-type]
        (lambda: And((occurs("a"),)), "at least two"),
        (lambda: And((occurs("a"), WIFE)), "must be conditions"),  # type: ignore[arg-type]
        (lambda: Not(WIFE), "must be a condition"),  # type: ignore[arg-type]
        (lambda: LabelingRule(-1, occurs("a")), "integer >= 0"),
        (lambda: LabelingRule(0, WIFE), "must be a condition"),  # type: ignore[arg-type]
    ],
)
def test_ill_typed_forms_are_rejected(build: object, fragment: str) -> None:
    with pytest.raises(LogicTypeError, match=fragment) as info:
        build()  # type: ignore[operator]
    assert info.value.code == "E410"


def test_well_typed_forms_of_every_kind() -> None:
    forms = [
        Occurs(
            (WordList("causal"), Lemma("marry"), PartOfSpeech("VERB")), Sentence(), all_items(3)
        ),
        Occurs((Shape(ShapeKind.CAPITALIZED),), Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 1))),
        Occurs((WIFE,), Inside(SUBJ), whole=True),
        Occurs(
            (WordLike(Match.CONTAINS, WordList("treat")),),
            Window(SUBJ, Side.EITHER, Distance(Cmp.LE, 3)),
        ),
        Count(EntityType(("PERSON",)), Sentence(), Cmp.EQ, 2),
        Order(SUBJ, OBJ, Distance(Cmp.LE, 100, Unit.CHARS)),
        Apart(SUBJ, OBJ, Distance(Cmp.GT, 20)),
        EntityText(SUBJ, Match.STARTS_WITH, (Phrase("Mr"),)),
        SameText(SUBJ, OBJ),
        EntityLength(SUBJ, Cmp.EQ, 1),
        Occurs((WIFE, Phrase("husband")), BETWEEN, NONE),
    ]
    rule = LabelingRule(0, And(tuple(forms)))
    assert depth(rule) > 3
    assert roles_used(rule) == {"subject", "object"}
    assert word_lists_used(rule) == {"causal", "treat"}
    assert sum(1 for _ in walk(rule)) > len(forms)
    assert list(children(forms[0]))[:1] == [WordList("causal")]


@given(st.sampled_from(list(Cmp)), st.integers(0, 6), st.integers(0, 6))
def test_cmp_negation_is_complement(cmp: Cmp, x: int, n: int) -> None:
    assert cmp.holds(x, n) != cmp.negated().holds(x, n)


@given(st.sampled_from(list(Cmp)), st.integers(0, 5), st.integers(0, 5))
def test_quant_check_matches_brute_force(cmp: Cmp, n: int, size: int) -> None:
    counts = [cmp.holds(k, n) for k in range(size + 1)]
    ok = any(counts) and not all(counts)
    if ok:
        Quant(cmp, n).check_against("node", size)
    else:
        with pytest.raises(LogicTypeError):
            Quant(cmp, n).check_against("node", size)


@given(
    st.sampled_from(list(Cmp)),
    st.integers(0, 8),
    st.integers(0, 6),
    st.one_of(st.none(), st.integers(-1, 9)),
)
def test_cmp_satisfiable_and_trivial_match_brute_force(
    cmp: Cmp, n: int, low: int, high: int | None
) -> None:
    top = max(n, low) + 1 if high is None else high  # past n, any x behaves as n + 1 does
    xs = [cmp.holds(x, n) for x in range(low, top + 1)]
    assert cmp.satisfiable(n, low, high) == any(xs)
    if high is not None:
        assert cmp.trivial(n, low, high) == all(xs)


def test_numbers_of_any_size_are_checked_at_once() -> None:
    """The number comes from the explanation ("a number with 10**20 digits"): checking it does
    not walk every count up to it."""
    big = 10**20
    assert returns_soon(lambda: Digits(Cmp.EQ, big).n) == big
    assert returns_soon(lambda: [c.satisfiable(big, 1) for c in Cmp]) == [True] * len(Cmp)
    assert returns_soon(lambda: Cmp.GT.satisfiable(big, 0, 5)) is False


def test_any_and_none_constants() -> None:
    assert Quant(Cmp.GE, 1) == ANY and Quant(Cmp.EQ, 0) == NONE
