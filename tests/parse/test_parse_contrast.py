"""Explanations that argue by contrast, written for these tests (not from any set): a contrast
with what is not there ("instead of", "as opposed to"), a counterfactual ("had it been 'how
much' it would be NUM") and a word denied after a comma ("'husband', not 'brother'")."""

from __future__ import annotations

import pytest

from babble.logic.forms import (
    And,
    Edge,
    Not,
    Occurs,
    Phrase,
    Precedes,
    Sentence,
    Side,
)
from tests.parse.test_parse_constructions import HUSBAND, QUESTIONS, readings, run


@pytest.mark.parametrize(
    "text",
    [
        "'husband' is right before person1 instead of something like 'brother'",
        "'husband' is right before person1, as opposed to a word like 'brother'",
        "had it said 'brother' it would not count; 'husband' is right before person1",
        "'husband' is right before person1; if it were 'brother' it would be unrelated",
    ],
)
def test_what_is_contrasted_or_imagined_is_no_condition(text: str) -> None:
    # before: the contrast and the counterfactual were read into the rule, or nothing parsed
    assert readings(text)[0] == HUSBAND


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "the sentence contains 'husband', not 'brother'",
            And(
                (
                    Occurs((Phrase("husband"),), Sentence()),
                    Not(Occurs((Phrase("brother"),), Sentence())),
                )
            ),
        ),
        (
            "'husband' appears but not 'brother'",
            And(
                (
                    Occurs((Phrase("husband"),), Sentence()),
                    Not(Occurs((Phrase("brother"),), Sentence())),
                )
            ),
        ),
    ],
)
def test_a_word_denied_after_a_comma_is_absent(text: str, expected: And) -> None:
    # before: "not" was skipped, and both words had to occur
    assert readings(text)[0] == expected


def test_an_opening_denied_after_a_comma_is_not_the_opening() -> None:
    # before: "it opens with 'how many', not 'how is'" found no reading
    start = Edge(Side.BEFORE)
    assert readings("it opens with 'how many', not 'how is'", QUESTIONS)[0] == And(
        (Occurs((Phrase("how many"),), start), Not(Occurs((Phrase("how is"),), start)))
    )


def test_a_class_after_a_comma_is_a_gloss_not_denied() -> None:
    # ", not a person" says what an entity is not: no reading denies people in the sentence
    rules = run("'Inc' is right after person1, not a person").rules
    assert not any(isinstance(r.condition, And) for r in rules)


def test_order_reads_before_a_counterfactual() -> None:
    text = "'how' comes before 'much'; had it been 'how many' it would be NUM"
    assert readings(text, QUESTIONS)[0] == Precedes(Phrase("how"), Phrase("much"))


@pytest.mark.parametrize(
    "text",
    [
        "'husband' is right before person1 rather than 'brother' or 'son'",
        "'husband' is right before person1, unlike 'brother'",
    ],
)
def test_a_contrast_with_named_words_is_no_condition(text: str) -> None:
    # before: "rather than 'brother'" read as a second cue (or left nothing read)
    assert readings(text)[0] == HUSBAND
