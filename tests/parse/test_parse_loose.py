"""Looser readings English allows: a quoted word named as a word ("the word 'level'") is also any
form of it, and a word list whose entries may be stems ("therap") is also the words that start
with an entry. The reading as written always comes first; the filter bank picks between them.
"""

from __future__ import annotations

import pytest

from babble.logic.forms import (
    Between,
    Cmp,
    Condition,
    Count,
    Distance,
    Entity,
    Lemma,
    Match,
    Not,
    Occurs,
    Phrase,
    Side,
    Unit,
    Window,
    WordLike,
    WordList,
    Words,
)
from babble.parse import parse
from babble.types import LabelSpace

CHEM, DIS = Entity("subject"), Entity("object")
SPACE = LabelSpace(
    ("negative", "positive"),
    entity_aliases={"the chemical": "subject", "the disease": "object"},
)
LISTS = {
    "treat": ("treat", "therap", "prevent"),
    "patient": ("in a patient with", "in patients with"),  # no one-word entry: no stems
}
AFTER_CHEM = Window(CHEM, Side.AFTER)
BETWEEN = Between(CHEM, DIS)


def conditions(text: str) -> list[Condition]:
    result = parse(text, SPACE, label="positive", word_lists=LISTS)
    assert result.error is None and result.best is not None and not result.best.skipped
    return [r.condition for r in result.rules]


def occurs(*items: Words) -> Occurs:
    return Occurs(items, AFTER_CHEM)


@pytest.mark.parametrize(
    "text",
    [
        "the word 'level' comes after the chemical",
        "the term 'level' appears after the chemical",
        "the keyword 'level' occurs after the chemical",
    ],
)
def test_a_word_named_as_a_word_is_also_any_of_its_forms(text: str) -> None:
    assert conditions(text) == [occurs(Phrase("level")), occurs(Lemma("level"))]


@pytest.mark.parametrize(
    "text",
    [
        "'level' comes after the chemical",  # a bare quote is the text as written
        "the string 'level' comes after the chemical",
        "the phrase 'serum level' comes after the chemical",  # a phrase, not one word
        "the word 'x-ray' comes after the chemical",  # not a plain word
        "the word ',' comes after the chemical",
    ],
)
def test_strings_phrases_and_symbols_match_as_written(text: str) -> None:
    assert len(conditions(text)) == 1
    assert all(isinstance(i, Phrase) for i in conditions(text)[0].items)  # type: ignore[union-attr]


def test_every_named_word_of_a_list_is_loosened_together() -> None:
    found = conditions("the words 'level' or 'dose' appear after the chemical")
    assert found == [
        occurs(Phrase("level"), Phrase("dose")),
        occurs(Lemma("level"), Lemma("dose")),
    ]


STEMS = WordLike(Match.STARTS_WITH, WordList("treat"))
WITHIN_50 = Distance(Cmp.LE, 50, Unit.CHARS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a treat word comes after the chemical",
            [occurs(WordList("treat")), occurs(STEMS)],
        ),
        (
            "there are no treat words between the chemical and the disease",
            [Not(Occurs((WordList("treat"),), BETWEEN)), Not(Occurs((STEMS,), BETWEEN))],
        ),
        (
            # a count of list words: "treatment" starts with the entry "treat"
            "there is at least one treat word no more than 50 characters before the disease",
            [Occurs((w,), Window(DIS, Side.BEFORE, WITHIN_50)) for w in (WordList("treat"), STEMS)],
        ),
        (
            "more than two treat words are between the chemical and the disease",
            [Count(WordList("treat"), BETWEEN, Cmp.GT, 2), Count(STEMS, BETWEEN, Cmp.GT, 2)],
        ),
    ],
)
def test_a_list_with_one_word_entries_is_also_read_as_stems(
    text: str, expected: list[Condition]
) -> None:
    assert conditions(text) == expected


def test_a_list_of_phrases_only_is_not_read_as_stems() -> None:
    assert conditions("a patient word comes after the chemical") == [occurs(WordList("patient"))]
