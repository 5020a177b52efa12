"""The register of contracts and policies, with explanations written for these tests (not from
any set): "In the event that ...", "Label X where ...", "the candidate shall be deemed X", a name
defined in brackets ('the first entity (the "Event")'), "the said term", "the second-named
entity", and an absolute clause that glosses ("..., the said entity being a label")."""

from __future__ import annotations

import pytest

from babble.logic.forms import (
    And,
    Cmp,
    Condition,
    Distance,
    Edge,
    EntityText,
    Match,
    Occurs,
    Order,
    Phrase,
    Quant,
    Sentence,
    Side,
    Window,
)
from babble.parse import parse
from babble.parse.tokens import tokenize
from tests.parse.test_parse_constructions import (
    BETWEEN,
    OBJ,
    ONE,
    QUESTIONS,
    SPACE,
    SUBJ,
    TERM,
    readings,
)

ADJACENT = Distance(Cmp.EQ, 1)
WIFE_BEFORE_Y = Occurs((Phrase("wife"),), Window(OBJ, Side.BEFORE, ADJACENT))


@pytest.mark.parametrize(
    "text",
    [
        "In the event that 'wife' immediately precedes person2, label married.",
        "Label married where the word 'wife' immediately precedes person2.",
        "Where the word 'wife' immediately precedes person2, the label married is to be assigned.",
        "The said pair is to be labelled married where 'wife' immediately precedes person2.",
        "The label married shall be assigned where 'wife' immediately precedes person2.",
        "The candidate shall be deemed married where 'wife' immediately precedes person2.",
        "The label married applies where 'wife' immediately precedes person2.",
        "'wife' immediately precedes the second-named entity: married.",
        "'wife' immediately precedes the said person2, married.",
    ],
)
def test_a_rule_stated_as_a_drafter_states_it(text: str) -> None:
    # before: "where", "in the event" (read as an entity type EVENT), "said", "second-named",
    # "shall", "to be assigned" and the label were skipped words or misread
    assert readings(text)[0] == WIFE_BEFORE_Y


@pytest.mark.parametrize("text", ["the first word is where", "first word where -> HUM"])
def test_where_named_as_a_word_is_no_condition(text: str) -> None:
    # "where" opening a condition is filler; named after "the first word is" it is the cue
    result = parse(text, QUESTIONS, label="HUM", sentence="where is the park ?")
    assert result.best is not None and result.best.skipped == ()
    assert result.best.rule.condition == Occurs((Phrase("where"),), Edge(Side.BEFORE))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "'caused' lies between the first entity (the \"Event\") and person2, and the Event "
            "precedes person2",
            And((Occurs((Phrase("caused"),), BETWEEN), Order(SUBJ, OBJ))),
        ),
        (
            "the word 'wife' (hereinafter the \"Marker\") occurs, and the Marker is right before "
            "person2",
            And((Occurs((Phrase("wife"),), Sentence()), WIFE_BEFORE_Y)),
        ),
    ],
)
def test_a_name_defined_in_brackets_names_what_precedes_them(
    text: str, expected: Condition
) -> None:
    # before: the defined name was an unknown word (or the entity type EVENT)
    assert readings(text)[0] == expected


def test_a_bracket_with_words_not_capitalised_defines_nothing() -> None:
    # "person2 ('the boss')" gives the entity's words, not a name for it: the quote stays
    tokens = tokenize("'wife' is right before person2 ('the boss'), the boss", SPACE)
    assert [t.value for t in tokens.terms if t.type == "QUOTE"] == ["wife", "the boss"]
    assert [t.value for t in tokens.terms if t.type == "ENT"] == ["object"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'Ltd' is the last word of person2", EntityText(OBJ, Match.ENDS_WITH, (Phrase("Ltd"),))),
        ("'Mr' is the first word of person1", EntityText(SUBJ, Match.STARTS_WITH, (Phrase("Mr"),))),
    ],
)
def test_a_word_said_to_be_a_part_of_an_entity(text: str, expected: EntityText) -> None:
    # before: "of person2" was skipped, and the word read as the sentence's last
    assert readings(text)[0] == expected


def test_the_message_commencing_with_words_starts_with_them() -> None:
    assert readings("the question commences with 'who'", QUESTIONS)[0] == Occurs(
        (Phrase("who"),), Edge(Side.BEFORE)
    )


def test_an_absolute_clause_glosses_what_was_said() -> None:
    # before: the gloss after the comma was read as a second condition, or not at all
    text = (
        "The term is to be labelled positive where 'great' immediately precedes it, the said "
        "word being a term of praise"
    )
    assert readings(text, ONE)[0] == Occurs(
        (Phrase("great"),), Window(TERM, Side.BEFORE, ADJACENT), Quant(Cmp.GE, 1)
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Label positive because 'great' immediately precedes it", Distance(Cmp.EQ, 1)),
        ("'great' precedes it within 3 words", Distance(Cmp.LE, 3)),
    ],
)
def test_a_verb_of_order_may_end_in_it(text: str, expected: Distance) -> None:
    # before: "it" was read only after "before"/"after" or "near", not after "precedes"
    assert readings(text, ONE)[0] == Occurs((Phrase("great"),), Window(TERM, Side.BEFORE, expected))
