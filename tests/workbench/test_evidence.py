"""``CompiledRule.evidence``: the words that make a rule fire, for the workbench's sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from babble.logic.forms import (
    And,
    Between,
    Cmp,
    Condition,
    Distance,
    Entity,
    LabelingRule,
    Not,
    Occurs,
    Or,
    Order,
    Phrase,
    Sentence,
    Side,
    Window,
)
from babble.logic.interpret import CandidateView, analyzer_for, candidate_view, compile_rule
from babble.preprocess import PreprocessedCandidates, preprocess
from babble.types import Candidate, EntitySpan
from babble.workbench.figures import firing_marks
from tests.workbench.helpers import PIPELINE

TEXT = "Ann and her husband Bob left, said her husband."
#       0   1   2   3       4   5    6 7    8   9       10
SUBJECT, OBJECT = Entity("subject"), Entity("object")
BETWEEN = Between(SUBJECT, OBJECT)
HUSBAND = Phrase("her husband")


@pytest.fixture(scope="module")
def view_and_pool(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[CandidateView, PreprocessedCandidates]:
    spans = (
        EntitySpan("subject", "PERSON", 0, 3, "Ann"),
        EntitySpan("object", "PERSON", 20, 23, "Bob"),
    )
    cache = Path(tmp_path_factory.mktemp("cache"))
    pool = preprocess(
        [Candidate("c", "d", TEXT, (), spans)], pipeline=PIPELINE, cache_dir=cache, progress=False
    )
    return candidate_view(pool, 0), pool


@pytest.mark.parametrize(
    ("condition", "spans"),
    [
        (Occurs((HUSBAND,), BETWEEN), ((2, 4),)),  # the occurrence after Bob is outside the region
        (Occurs((HUSBAND,), Sentence()), ((2, 4), (8, 10))),
        (Occurs((HUSBAND,), Window(OBJECT, Side.BEFORE, Distance(Cmp.EQ, 1))), ((2, 4),)),
        (Occurs((Phrase("and her husband"),), BETWEEN, whole=True), ((1, 4),)),
        (Order(SUBJECT, OBJECT), ((0, 1), (4, 5))),
        (And((Occurs((HUSBAND,), BETWEEN), Not(Occurs((Phrase("wife"),), Sentence())))), ((2, 4),)),
        (
            Or((Occurs((Phrase("wife"),), Sentence()), Occurs((Phrase("left"),), Sentence()))),
            ((5, 6),),
        ),
        (Occurs((Phrase("wife"),), Sentence()), ()),  # abstains: nothing fires
    ],
)
def test_evidence(
    view_and_pool: tuple[CandidateView, PreprocessedCandidates],
    condition: Condition,
    spans: tuple[tuple[int, int], ...],
) -> None:
    view, _ = view_and_pool
    rule = compile_rule(LabelingRule(1, condition), analyzer=analyzer_for(PIPELINE))
    assert rule.evidence(view) == spans


def test_firing_marks_are_character_offsets(
    view_and_pool: tuple[CandidateView, PreprocessedCandidates],
) -> None:
    _, pool = view_and_pool
    rule = compile_rule(
        LabelingRule(1, Occurs((HUSBAND,), Sentence())), analyzer=analyzer_for(PIPELINE)
    )
    marks = firing_marks([rule], pool, 0)
    assert [(m.text, m.start, m.end, m.token_start, m.token_end) for m in marks] == [
        ("her husband", 8, 19, 2, 4),
        ("her husband", 35, 46, 8, 10),
    ]
