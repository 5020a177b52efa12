"""Explanations typed into a tool that renders Markdown, written for these tests (not from any
set): emphasis as quotation marks ("**his wife**", "_with_"), and arrows between a cue, what it
means and the label ("'who played' -> an actor -> HUM", "'who' = a person => HUM")."""

from __future__ import annotations

import pytest

from babble.logic.forms import (
    Cmp,
    Condition,
    Distance,
    Edge,
    Occurs,
    Phrase,
    Quant,
    Sentence,
    Side,
    Window,
)
from babble.parse.lexicon import load_lexicon
from babble.parse.tokens import scan
from babble.types import LabelSpace
from tests.parse.test_parse_constructions import OBJ, QUESTIONS, SPACE, readings

WIFE_BEFORE_Y = Occurs((Phrase("his wife"),), Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 1)))


@pytest.mark.parametrize(
    "text",
    [
        "**his wife** is right before person2",
        "*his wife* is right before person2",
        "__his wife__ is right before person2",
        "_his wife_ is right before person2",
        '**"his wife"** is right before person2',
    ],
)
def test_emphasis_quotes_a_cue(text: str) -> None:
    # before: the marks were symbols and "his wife" unknown words
    assert readings(text)[0] == WIFE_BEFORE_Y


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("*only* 'of' between", ["word", "quote", "word"]),  # a stressed word
        ("**Label:** married", ["word", "symbol", "word"]),  # a field's name
        ("**married** because", ["word", "word"]),  # a label
        ("* starts with 'who' * ends with '?'", ["symbol", "word", "word", "quote"] * 2),
        ("ctd_therapy_list", ["word"]),  # underscores inside a word
    ],
)
def test_emphasis_that_names_no_cue_is_no_quote(text: str, kinds: list[str]) -> None:
    labels = frozenset({("married",)})
    assert [p.kind for p in scan(text, load_lexicon(), labels)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "`who played` -> a person -> HUM",
        "`who played` \u2192 an actor \u2192 HUM \U0001f44d",
        "`who played` = a person \u21d2 HUM",
        "**who played** = a person => HUM",
        "`who played` \u2192 a film role, HUM",
        "`who played` \u2192 HUM, a person",
    ],
)
def test_a_step_between_arrows_glosses_the_cue(text: str) -> None:
    # before: the gloss ("an actor", "a person") was read as a condition and nothing parsed
    assert readings(text, QUESTIONS)[0] == Occurs((Phrase("who played"),), Sentence())


@pytest.mark.parametrize(
    ("text", "space", "expected"),
    [
        ("'his wife' -> right before person2 => married", SPACE, WIFE_BEFORE_Y),
        (
            "'who' = the first word \u21d2 HUM",
            QUESTIONS,
            Occurs((Phrase("who"),), Edge(Side.BEFORE), Quant(Cmp.GE, 1)),
        ),
    ],
)
def test_a_step_between_arrows_that_reads_is_kept(
    text: str, space: LabelSpace, expected: Condition
) -> None:
    # a gloss is dropped only when the rest reads with fewer words skipped
    assert readings(text, space)[0] == expected
