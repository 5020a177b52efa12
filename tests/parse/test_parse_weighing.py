"""Explanations that weigh their cues, as an adjudicator does, written for these tests (not from
any set): "mainly because ...", "the deciding cue is ...", "Primary cue: ... Supporting: ...",
"(moderate confidence)", "Confidence: 4/5."."""

from __future__ import annotations

import pytest

from babble.logic.forms import And, Occurs, Phrase
from tests.parse.test_parse_constructions import BETWEEN, HUSBAND, readings


@pytest.mark.parametrize(
    "text",
    [
        "mainly 'husband' is right before person1",
        "The deciding cue is 'husband' right before person1.",
        "first and foremost 'husband' is right before person1, so married",
        "'husband' is right before person1 confidence high",
        "'husband' is right before person1. Confidence: 4/5.",
    ],
)
def test_the_weight_of_a_cue_is_no_condition(text: str) -> None:
    # before: "mainly", "first and foremost", "the deciding cue is" and the confidence were
    # skipped words, or nothing parsed
    assert readings(text)[0] == HUSBAND


def test_weighted_cues_as_fields_all_hold() -> None:
    # before: "Supporting" was a skipped word
    text = "Primary cue: 'husband' right before person1 and Supporting: 'wed' between them"
    assert readings(text)[0] == And((HUSBAND, Occurs((Phrase("wed"),), BETWEEN)))


def test_a_cue_added_on_top_holds_too() -> None:
    text = "'husband' is right before person1 and on top of that 'wed' is between them"
    assert readings(text)[0] == And((HUSBAND, Occurs((Phrase("wed"),), BETWEEN)))
