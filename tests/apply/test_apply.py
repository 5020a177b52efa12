"""apply_lfs: hand-made logical forms on real sentences, Python LFs, joining, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from babble.apply import LabelMatrix, apply_lfs, partitions
from babble.errors import (
    EmptyCandidatesError,
    EmptyPoolError,
    LabelingFunctionDefinitionError,
    LabelMatrixError,
    NoLabelingFunctionsError,
    PoolTaskError,
    UndefinedWordListError,
)
from babble.lf import LabelingFunction, labeling_function
from babble.logic.forms import (
    And,
    Apart,
    Between,
    Cmp,
    Condition,
    Count,
    Distance,
    Entity,
    EntityLength,
    EntityText,
    EntityType,
    LabelingRule,
    Lemma,
    Match,
    Not,
    Occurs,
    Order,
    Part,
    PartOfSpeech,
    Phrase,
    Precedes,
    SameText,
    Sentence,
    Shape,
    ShapeKind,
    Side,
    Unit,
    Window,
    WordList,
)
from babble.preprocess import DEFAULT_PIPELINE, preprocess
from babble.types import ABSTAIN, Candidate, EntitySpan
from tests.apply.pools import (
    WORD_LISTS,
    analyzer,
    blank_analyzer,
    blank_pool,
    cache_dir,
    real_pool,
    relation,
)

SUBJ, OBJ = Entity("subject"), Entity("object")
BETWEEN = Between(SUBJ, OBJ)

FORMS: list[tuple[Condition, list[int]]] = [
    (Occurs((Phrase("wife"),), Sentence()), [1, 2]),
    (Occurs((Phrase("His Wife"),), Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 1))), [1]),
    (Occurs((Lemma("marry"),), BETWEEN), [0, 9]),
    (Occurs((WordList("causal"),), BETWEEN), [3, 4, 5]),
    (Count(EntityType(("PERSON",)), Sentence(), Cmp.GE, 2), [0, 1, 2, 6, 9]),
    (Order(OBJ, SUBJ), [4]),
    (Apart(SUBJ, OBJ, Distance(Cmp.LE, 2)), [0, 5, 6, 7]),
    (SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD), [2, 6]),
    (EntityText(SUBJ, Match.STARTS_WITH, (Phrase("Mr."),)), [6]),
    (EntityLength(OBJ, Cmp.GE, 2), [2, 6, 7, 9]),
    (Occurs((Shape(ShapeKind.NUMBER),), Window(OBJ, Side.AFTER)), [0, 5, 6]),
    (Not(Occurs((PartOfSpeech("VERB"),), Sentence())), [7]),
    (Occurs((Phrase("and"),), BETWEEN, whole=True), [6]),
    (
        And(
            (
                Occurs((Phrase("in"),), Window(OBJ, Side.AFTER, Distance(Cmp.LE, 1))),
                Order(SUBJ, OBJ),
            )
        ),
        [0, 3, 5, 9],
    ),
    (Occurs((Phrase("Smith"),), Window(SUBJ, Side.AFTER, Distance(Cmp.LE, 12, Unit.CHARS))), [2]),
    (Occurs((Phrase("Smith"),), Window(SUBJ, Side.AFTER, Distance(Cmp.LE, 10, Unit.CHARS))), []),
]
"""Conditions and the candidates of :func:`real_pool` they hold on (worked out by hand)."""


def _lf(condition: Condition, label: int = 1, name: str = "e#0") -> LabelingFunction:
    explanation, rank = name.split("#")
    return LabelingFunction.from_rule(
        LabelingRule(label, condition), explanation=explanation, rank=int(rank), name=name
    )


def _votes(condition: Condition, executor: str) -> list[int]:
    """The real-pool rows where one LF of ``condition`` votes, by ``executor``."""
    matrix = apply_lfs(
        [_lf(condition)],
        real_pool(),
        word_lists=WORD_LISTS,
        analyzer=analyzer(),
        executor=executor,  # type: ignore[arg-type]
    )
    return np.flatnonzero(matrix.column(0) == 1).tolist()


@pytest.mark.parametrize("executor", ["vectorized", "reference"])
@pytest.mark.parametrize(("condition", "expected"), FORMS)
def test_hand_made_forms_on_real_sentences(
    condition: Condition, expected: list[int], executor: str
) -> None:
    assert _votes(condition, executor) == expected


@pytest.mark.parametrize("executor", ["vectorized", "reference"])
@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        (None, [0]),
        (Distance(Cmp.GE, 0), [0]),
        (Distance(Cmp.GE, 1), [0]),
        (Distance(Cmp.GE, 2), [0]),
        (Distance(Cmp.GE, 3), []),
        (Distance(Cmp.EQ, 2), [0]),
        (Distance(Cmp.LE, 1), []),
    ],
)
def test_a_word_precedes_another_occurrence_of_itself(
    limit: Distance | None, expected: list[int], executor: str
) -> None:
    """'in' ... 'in': only sentence 0 ("Ann married Bob in Paris in 2010.") has two, the second
    2 words after the first (distance counted as for Order). Regression: with ``GE 0`` (every
    distance) the vectorized executor looked only at the latest end at most one token past each
    start -- the second 'in''s own end -- and missed the first 'in'."""
    assert _votes(Precedes(Phrase("in"), Phrase("in"), limit), executor) == expected


def test_matrix_of_many_lfs_is_sparse_label_plus_one() -> None:
    lfs = [_lf(c, label=j % 3, name=f"e{j}#0") for j, (c, _) in enumerate(FORMS)]
    matrix = apply_lfs(lfs, real_pool(), word_lists=WORD_LISTS, analyzer=analyzer(), n_labels=3)
    assert matrix.shape == (10, len(FORMS))
    assert matrix.matrix.format == "csr" and matrix.matrix.nnz == sum(len(e) for _, e in FORMS)
    dense = matrix.to_dense()
    for j, (_, expected) in enumerate(FORMS):
        assert np.flatnonzero(dense[:, j] != ABSTAIN).tolist() == expected
        assert set(dense[expected, j]) <= {j % 3}
    assert set(matrix.matrix.data.tolist()) <= {1, 2, 3}  # stored: label + 1
    assert matrix.candidate_ids == tuple(c.id for c in real_pool().candidates)


def test_python_and_logical_form_lfs_join_one_matrix() -> None:
    @labeling_function()
    def mentions_paris(c: Candidate) -> int:
        return 0 if "Paris" in c.text else ABSTAIN

    def long_sentence(c: Candidate) -> int:  # a plain callable
        return 1 if len(c.text) > 50 else ABSTAIN

    lfs = [_lf(FORMS[0][0]), mentions_paris, long_sentence]
    matrix = apply_lfs(lfs, real_pool(), analyzer=analyzer())
    assert matrix.lf_names == ("e#0", "mentions_paris", "long_sentence")
    assert np.flatnonzero(matrix.column("mentions_paris") == 0).tolist() == [0]
    long = [j for j, c in enumerate(real_pool().candidates) if len(c.text) > 50]
    assert np.flatnonzero(matrix.column("long_sentence") == 1).tolist() == long == [5, 6, 8]
    assert not matrix.errors


def test_a_failing_python_lf_abstains_there_and_is_reported() -> None:
    @labeling_function(name="fragile")
    def fragile(c: Candidate) -> int:
        if "wife" in c.text:
            raise ValueError("no wives allowed")
        return 1

    @labeling_function()
    def out_of_range(c: Candidate) -> int:
        return 7 if c.id == "c3" else ABSTAIN

    matrix = apply_lfs([fragile, out_of_range], real_pool(), n_labels=2)
    assert np.flatnonzero(matrix.column("fragile") == ABSTAIN).tolist() == [1, 2]
    errors = {e.lf: e for e in matrix.errors}
    assert errors["fragile"].count == 2 and errors["fragile"].candidate == "c1"
    assert "ValueError: no wives allowed" in str(errors["fragile"])
    assert errors["out_of_range"].count == 1
    assert "returned 7" in errors["out_of_range"].error
    assert (matrix.column("out_of_range") == ABSTAIN).all()


def test_partitions_join_into_the_whole_matrix() -> None:
    lfs = [_lf(c, name=f"e{j}#0") for j, (c, _) in enumerate(FORMS)]
    whole = apply_lfs(lfs, real_pool(), word_lists=WORD_LISTS, analyzer=analyzer())
    parts = [
        apply_lfs(lfs, part, word_lists=WORD_LISTS, analyzer=analyzer())
        for part in partitions(real_pool(), 3)
    ]
    joined = LabelMatrix.vstack(parts)
    assert joined.candidate_ids == whole.candidate_ids
    assert (joined.to_dense() == whole.to_dense()).all()


# --------------------------------------------------------------------------- bad input


def test_empty_pool_is_refused() -> None:
    with pytest.raises(EmptyPoolError, match="pool is empty"):
        apply_lfs([_lf(FORMS[0][0])], blank_pool([]), analyzer=blank_analyzer())


def test_no_lfs_is_refused() -> None:
    with pytest.raises(NoLabelingFunctionsError, match="no labeling functions"):
        apply_lfs([], real_pool())


def test_a_pool_of_another_task_is_refused() -> None:
    aspect = Candidate("a1", "d", "Great pizza.", (), (EntitySpan("target", "X", 6, 11, "pizza"),))
    pool = blank_pool([aspect])
    with pytest.raises(PoolTaskError, match="another task"):
        apply_lfs([_lf(Order(SUBJ, OBJ))], pool, analyzer=blank_analyzer())


def test_candidates_lacking_an_lfs_roles_abstain_and_are_noted() -> None:
    aspect = Candidate("a1", "d", "Ann met Bob.", (), (EntitySpan("target", "X", 0, 3, "Ann"),))
    pool = blank_pool([relation("r1", "Ann met Bob.", "Ann", "Bob"), aspect])
    matrix = apply_lfs([_lf(Order(SUBJ, OBJ))], pool, analyzer=blank_analyzer())
    assert matrix.column(0).tolist() == [1, ABSTAIN]
    assert any("lack one of the entities" in note for note in matrix.notes)


def test_candidates_without_tokens_are_noted_and_a_pool_of_them_refused() -> None:
    empty = Candidate("blank", "d", "", ())
    pool = blank_pool([Candidate("ok", "d", "I love it.", ()), empty])
    not_love = _lf(Not(Occurs((Phrase("love"),), Sentence())))
    matrix = apply_lfs([not_love], pool, analyzer=blank_analyzer())
    assert matrix.column(0).tolist() == [ABSTAIN, 1]  # as the interpreter: an empty sentence
    assert any("have no tokens" in note and "'blank'" in note for note in matrix.notes)
    with pytest.raises(EmptyCandidatesError, match="none of the 1 candidates has a token"):
        apply_lfs([not_love], blank_pool([Candidate("x", "d", "", ())]), analyzer=blank_analyzer())


def test_undefined_word_list_and_out_of_range_label_are_refused() -> None:
    lf = _lf(Occurs((WordList("nowhere"),), Sentence()))
    with pytest.raises(UndefinedWordListError, match="'nowhere'"):
        apply_lfs([lf], real_pool(), analyzer=analyzer())
    with pytest.raises(LabelMatrixError, match="votes label 5"):
        apply_lfs([_lf(Order(SUBJ, OBJ), label=5)], real_pool(), n_labels=2, analyzer=analyzer())


def test_duplicate_lf_names_are_refused() -> None:
    with pytest.raises(LabelingFunctionDefinitionError, match="two labeling functions"):
        apply_lfs([_lf(Order(SUBJ, OBJ)), _lf(Order(OBJ, SUBJ))], real_pool(), analyzer=analyzer())


def test_unknown_executor_is_refused() -> None:
    with pytest.raises(ValueError, match="executor must be"):
        apply_lfs([_lf(Order(SUBJ, OBJ))], real_pool(), executor="gpu")  # type: ignore[arg-type]


@pytest.mark.parametrize("executor", ["vectorized", "reference"])
def test_same_text_compares_names_without_a_possessive_ending(executor: str) -> None:
    # "Lynda's" is the name Lynda, and the last name of "Beau Ryan's" is Ryan (before: the
    # possessive "'s" was compared, so neither held)
    pool = preprocess(
        [
            relation("p0", "Lynda said Lynda's sister was there.", "Lynda", "Lynda's"),
            relation("p1", "Ryan said Beau Ryan's wife was there.", "Beau Ryan's", "Ryan"),
            relation("p2", "Ann said Bob's wife was there.", "Ann", "Bob's"),
        ],
        pipeline=DEFAULT_PIPELINE,
        cache_dir=cache_dir(),
        progress=False,
    )
    same = [
        _lf(SameText(SUBJ, OBJ), name="a#0"),
        _lf(SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD), name="b#0"),
    ]
    matrix = apply_lfs(same, pool, analyzer=analyzer(), executor=executor)  # type: ignore[arg-type]
    assert matrix.column(0).tolist() == [1, ABSTAIN, ABSTAIN]
    assert matrix.column(1).tolist() == [1, 1, ABSTAIN]
