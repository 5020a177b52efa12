"""Explanations in a report's nominal style, written for these tests (not from any set): "the
presence of 'x' ...", "the absence of any digit ...", and a verb that concludes the label ("...
justifies positive", "... results in spam")."""

from __future__ import annotations

import pytest

from babble.logic.forms import (
    And,
    Cmp,
    Digits,
    Not,
    Occurs,
    Phrase,
    Sentence,
)
from tests.parse.test_parse_constructions import BETWEEN, HUSBAND, TEXT, readings


@pytest.mark.parametrize(
    "text",
    [
        "The presence of 'husband' right before person1 justifies married.",
        "The presence of 'husband' right before person1 warrants the label married.",
        "The inclusion of 'husband' right before person1 results in married.",
        "The appearance of 'husband' right before person1 points to married.",
    ],
)
def test_a_cue_named_as_a_noun_and_a_concluding_verb(text: str) -> None:
    # before: "presence of", "inclusion of" and the verb before the label were skipped words
    assert readings(text)[0] == HUSBAND


@pytest.mark.parametrize(
    "text",
    [
        "The absence of any digit indicates ham.",
        "the lack of digits suggests ham",
    ],
)
def test_the_absence_of_a_cue_is_none_of_it(text: str) -> None:
    assert readings(text, TEXT)[0] == Not(Occurs((Digits(Cmp.GE, 1),), Sentence()))


def test_cues_joined_as_a_report_joins_them() -> None:
    # before: "in conjunction with" was skipped, and the second cue lost
    text = "The presence of 'husband' right before person1 in conjunction with 'wed' between them"
    assert readings(text)[0] == And((HUSBAND, Occurs((Phrase("wed"),), BETWEEN)))
