"""Explanations dictated to a speech-to-text tool, with explanations written for these tests (not
from any set): hesitations ("um", "okay so", "let me see"), entities and labels spoken ("e two",
"entity one", "cause effect e two e one")."""

from __future__ import annotations

import pytest

from babble.logic.forms import (
    And,
    Between,
    Edge,
    Entity,
    Occurs,
    Phrase,
    Side,
    Window,
)
from babble.parse import parse
from babble.parse.tokens import tokenize
from babble.types import LabelSpace
from tests.parse.test_parse_constructions import OBJ, SPACE, SUBJ, readings
from tests.parse.test_parse_prose import ADJACENT

# a task that names its entities only "arg1" / "arg2": the spoken "e one" is a generic name
ARGS = LabelSpace(
    ("Cause-Effect(e1,e2)", "Cause-Effect(e2,e1)", "Other"),
    entity_aliases={"arg1": "subject", "arg2": "object"},
)


@pytest.mark.parametrize(
    ("text", "entity"),
    [
        ("'of' is right after e one", SUBJ),
        ("'of' is right after entity one", SUBJ),
        ("'of' is right after argument two", OBJ),
        ("'of' is right after e two", OBJ),
    ],
)
def test_entities_named_with_spoken_numbers(text: str, entity: Entity) -> None:
    # before: "e one" / "entity two" were unknown words, and the phrase read anywhere
    assert readings(text, ARGS)[0] == Occurs((Phrase("of"),), Window(entity, Side.AFTER, ADJACENT))


@pytest.mark.parametrize(
    "text",
    [
        "um 'wife' is right before person2",
        "okay so 'wife' is right before person2",
        "let me see 'wife' is right before person2 you know",
    ],
)
def test_hesitations_are_filler(text: str) -> None:
    # before: unknown words (a reading that skipped them, or none)
    tokens = tokenize(text, SPACE)
    assert not tokens.unknown
    assert readings(text)[0] == Occurs((Phrase("wife"),), Window(OBJ, Side.BEFORE, ADJACENT))


@pytest.mark.parametrize(
    "text",
    [
        "'caused by' is right before arg1 so cause effect e two e one",
        "cause effect e two e one, 'caused by' is right before arg1",
    ],
)
def test_a_label_spoken_without_punctuation(text: str) -> None:
    # "Cause-Effect(e2,e1)" said aloud is the label, not two entities "e two" and "e one"
    # (before: read as entities, left for the search to drop)
    tokens = tokenize(text, ARGS)
    assert [t.type for t in tokens.terms if t.type == "ENT"] == ["ENT"]
    assert "two" in tokens.words(tokens.fillers)
    result = parse(text, ARGS, label="Cause-Effect(e2,e1)")
    expected = Occurs((Phrase("caused by"),), Window(SUBJ, Side.BEFORE, ADJACENT))
    assert result.rules[0].condition == expected


SENTENCE = "John Smith and two of his children with his wife Mary Jones went home"
NAMED = {"subject": "John Smith", "object": "Mary Jones"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "two of his children is between them so married",
            Occurs((Phrase("two of his children"),), Between(SUBJ, OBJ)),
        ),
        (
            "and two of his is right after person1",
            Occurs((Phrase("two of his"),), Window(SUBJ, Side.AFTER, ADJACENT)),
        ),
    ],
)
def test_a_bare_phrase_of_the_sentence_as_a_clause_subject(text: str, expected: Occurs) -> None:
    # the longest run of words the sentence holds, right before "is" / "comes": before, no
    # reading (lexicon words such as "two", "of", "with" cut the run of unknown words)
    result = parse(text, SPACE, label="married", sentence=SENTENCE, entities=NAMED)
    assert result.rules and result.rules[0].condition == expected


def test_a_pronoun_names_a_bare_phrase_of_the_sentence() -> None:
    # "that" is the bare "wed" named before it: before, "that" was only read where the phrase
    # had quotes, and "is right after that" was skipped (or read as "then")
    result = parse(
        "wed comes right after person1 and person2 is right after that",
        SPACE,
        label="married",
        sentence="John Smith wed Mary Jones in May",
        entities=NAMED,
    )
    assert result.rules[0].condition == And(
        (
            Occurs((Phrase("wed"),), Window(SUBJ, Side.AFTER, ADJACENT)),
            Occurs((Phrase("wed"),), Window(OBJ, Side.BEFORE, ADJACENT)),
        )
    )


def test_a_filler_word_named_as_the_cue() -> None:
    # "starts with when did" (said, not quoted): 'when did' is the cue, not the filler "when"
    # (before: the reading "starts with 'did'")
    questions = LabelSpace(("DESC", "NUM"))
    result = parse("it starts with when did", questions, label="NUM", sentence="when did he die ?")
    assert result.rules[0].condition == Occurs((Phrase("when did"),), Edge(Side.BEFORE))
