"""The register of an annotation appendix or a paper's error analysis, with explanations written
for these tests (not from any set): "the intervening span", "the left context of arg2", "a
window of three tokens", "the head / tail argument", "sentence-initial", "Rationale: ...", and
a verb shared by two clauses ("X is preceded by 'a' and Y by 'b'")."""

from __future__ import annotations

import pytest

from babble.datasets._common import label_space_from_table, task_table
from babble.logic.forms import (
    And,
    AnyWord,
    Apart,
    Cmp,
    Condition,
    Count,
    Distance,
    Edge,
    Match,
    Not,
    Occurs,
    Order,
    Phrase,
    Precedes,
    Quant,
    Sentence,
    Side,
    Window,
    WordLike,
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
    TEXT,
    readings,
)

ADJACENT = Distance(Cmp.EQ, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the only intervening tokens are 'of the'", Occurs((Phrase("of the"),), BETWEEN)),
        ("'of' occurs in the intervening span", Occurs((Phrase("of"),), BETWEEN)),
        ("'of' occurs in the intervening material", Occurs((Phrase("of"),), BETWEEN)),
        ("there are no intervening tokens", Not(Occurs((AnyWord(),), BETWEEN))),
        ("the intervening span contains 'of'", Occurs((Phrase("of"),), BETWEEN)),
    ],
)
def test_the_intervening_span_is_between_the_pair(text: str, expected: Condition) -> None:
    # before: "intervening" was skipped, and the phrase read anywhere in the sentence
    assert readings(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'of' is between the mentions", Occurs((Phrase("of"),), BETWEEN)),
        ("the mentions are far apart", Apart(SUBJ, OBJ, Distance(Cmp.GT, 3))),
        (
            "'of' directly precedes the tail argument",
            Occurs((Phrase("of"),), Window(OBJ, Side.BEFORE, ADJACENT)),
        ),
        ("the head mention is followed by 'of'", Occurs((Phrase("of"),), Window(SUBJ, Side.AFTER))),
        (
            "'of' is attested in the left context of person2",
            Occurs((Phrase("of"),), Window(OBJ, Side.BEFORE)),
        ),
        (
            "person2 is introduced by 'his wife'",
            Occurs((Phrase("his wife"),), Window(OBJ, Side.BEFORE)),
        ),
    ],
)
def test_the_mentions_and_their_heads_and_tails(text: str, expected: Condition) -> None:
    # before: "mentions" was the verb, "head" and "tail" unknown, "attested" and "introduced"
    # skipped
    assert readings(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "'of' appears within a window of four tokens to the right of person1",
            Window(SUBJ, Side.AFTER, Distance(Cmp.LE, 4)),
        ),
        (
            "'of' is in a window of size 2 before person2",
            Window(OBJ, Side.BEFORE, Distance(Cmp.LE, 2)),
        ),
    ],
)
def test_a_context_window_bounds_the_distance(text: str, expected: Window) -> None:
    # before: "window of" was skipped, and "in a window of two" read as exactly two words away
    assert readings(text)[0] == Occurs((Phrase("of"),), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "'slow' appears within three tokens to its right",
            Window(TERM, Side.AFTER, Distance(Cmp.LE, 3)),
        ),
        ("'slow' occurs in its left context", Window(TERM, Side.BEFORE)),
    ],
)
def test_a_side_of_its_is_a_side_of_what_it_names(text: str, expected: Window) -> None:
    # before: "to its right" and "in its left context" were skipped words
    assert readings(text, ONE)[0] == Occurs((Phrase("slow"),), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'who' is sentence-initial", Occurs((Phrase("who"),), Edge(Side.BEFORE))),
        ("'?' is sentence-final", Occurs((Phrase("?"),), Edge(Side.AFTER))),
        ("the message consists of four words", Count(AnyWord(), Sentence(), Cmp.EQ, 4)),
    ],
)
def test_the_text_as_a_paper_describes_it(text: str, expected: Condition) -> None:
    # before: "sentence-initial" and "consists of four words" did not read
    assert readings(text, TEXT)[0] == expected


def test_rationale_introduces_the_reason() -> None:
    # "Label: spam. Rationale: ...": filler, not a word the parser failed to understand (before,
    # an explanation that did not parse listed it)
    tokens = tokenize("Label: spam. Rationale: 'free' occurs in it.", TEXT)
    assert "Rationale" in tokens.words(tokens.fillers) and not tokens.unknown


def test_consisting_of_a_number_of_words_counts_words_not_the_phrase() -> None:
    # "three words ('a b c')": the words named, not three times the phrase
    found = readings("the message consists of only three words ('on my way')", TEXT)
    assert found[0] == Count(AnyWord(), Sentence(), Cmp.EQ, 3)


@pytest.mark.parametrize(
    "text",
    [
        "the word immediately following 'who' is 'led'",
        "the word following 'who' is 'led'",
        "the word preceding 'led' is 'who'",
    ],
)
def test_the_word_following_a_phrase(text: str) -> None:
    # as "the word right after 'who' is 'led'": before, "following" and 'led' were skipped
    assert readings(text, QUESTIONS)[0] == Occurs((Phrase("who led"),), Sentence())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the left context of person2 ends with 'wife'", Window(OBJ, Side.BEFORE, ADJACENT)),
        ("the right context of person1 begins with 'wife'", Window(SUBJ, Side.AFTER, ADJACENT)),
    ],
)
def test_the_edge_of_a_context_next_to_its_entity(text: str, expected: Window) -> None:
    # before: no reading
    assert readings(text)[0] == Occurs((Phrase("wife"),), expected)


@pytest.mark.parametrize("comma", ["", ","])
def test_a_second_entity_borrows_the_passive_verb(comma: str) -> None:
    # before: both phrases were read before person1, and "person2 by" was skipped
    text = f"person1 is preceded by 'President'{comma} and person2 by 'Ms'"
    assert readings(text, SPACE)[0] == And(
        (
            Occurs((Phrase("President"),), Window(SUBJ, Side.BEFORE)),
            Occurs((Phrase("Ms"),), Window(OBJ, Side.BEFORE)),
        )
    )


@pytest.mark.parametrize(
    ("text", "side"),
    [
        ("its right context reads 'good'", Side.AFTER),
        ("the left context of $T$ reads 'good'", Side.BEFORE),
    ],
)
def test_a_context_that_reads_a_phrase_starts_next_to_its_entity(text: str, side: Side) -> None:
    # before: "its" was read as the sentence (the phrase at both of its ends)
    assert readings(text, ONE)[0] == Occurs((Phrase("good"),), Window(TERM, side, ADJACENT))


def test_its_side_in_a_clause_about_an_entity_names_the_other() -> None:
    # "to its left" names the entity named before, not the clause's own (before: no reading of
    # the second clause)
    found = readings("'wife' precedes person1, and person2 occurs within three tokens to its left")
    assert found[0] == And(
        (
            Occurs((Phrase("wife"),), Window(SUBJ, Side.BEFORE)),
            Order(OBJ, SUBJ, Distance(Cmp.LE, 3)),
        )
    )


@pytest.mark.parametrize(
    "text",
    [
        "the message contains a web address beginning with 'www.'",
        "it has a URL that starts with 'www.'",
        "it contains a link starting with 'www.'",
    ],
)
def test_a_link_that_starts_with_a_phrase(text: str) -> None:
    # before: "beginning with 'www.'" was read as the start of the message
    found = readings(text, TEXT)[0]
    assert found == Occurs((WordLike(Match.STARTS_WITH, Phrase("www.")),), Sentence())


@pytest.mark.parametrize("noun", ["word", "noun"])
def test_the_word_that_follows_is_the_next_word(noun: str) -> None:
    # as "the next word is 'product'": before, 'product' was read as coming anywhere before
    text = f"it begins with 'name a', and the {noun} that follows is 'product'"
    assert readings(text, QUESTIONS)[0] == And(
        (
            Occurs((Phrase("name a"),), Edge(Side.BEFORE)),
            Occurs((Phrase("name a product"),), Sentence()),
        )
    )


def test_the_first_two_may_leave_out_words() -> None:
    # "the first two are ...": before, no reading
    text = "the last two words are 'stand for', and the first two are 'what does'"
    assert readings(text, QUESTIONS)[0] == And(
        (
            Occurs((Phrase("stand for"),), Edge(Side.AFTER)),
            Occurs((Phrase("what does"),), Edge(Side.BEFORE)),
        )
    )


@pytest.mark.parametrize("text", ["We assign ham: 'mum' occurs", "I label it ham: 'mum' occurs"])
def test_we_assign_states_the_label(text: str) -> None:
    # the annotator's "we" / "I" before a label verb is filler with it (before: unknown, left to
    # the search to drop as a remark)
    tokens = tokenize(text, TEXT)
    assert not tokens.unknown and text.split()[0] in tokens.words(tokens.fillers)


def test_the_parties_named_first_and_second() -> None:
    # a genealogist's "the first-named party" / "the second party": before, unknown words
    found = readings("'married to' sits between the first-named party and the second party")
    assert found[0] == Occurs((Phrase("married to"),), BETWEEN)


def test_the_question_stem_is_its_opening() -> None:
    # a librarian's "question stem": before, the whole question was read as the phrase
    found = readings("the question stem is 'what country'", QUESTIONS)
    assert found[0] == Occurs((Phrase("what country"),), Edge(Side.BEFORE))


def test_what_the_cues_mark_is_a_remark() -> None:
    # "... mark a premium subscription, i.e. spam": before, no reading ("mark", "premium" ...)
    found = readings("the charge '150p' and the instruction 'txt nok' mark a premium service", TEXT)
    assert found[0] == Occurs((Phrase("150p"), Phrase("txt nok")), Sentence(), Quant(Cmp.EQ, 2))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'stand for' closes the question", Occurs((Phrase("stand for"),), Edge(Side.AFTER))),
        ("it ends with a closing bracket", Occurs((Phrase(")"), Phrase("]")), Edge(Side.AFTER))),
    ],
)
def test_a_phrase_that_closes_the_text(text: str, expected: Condition) -> None:
    # "closes" as "finishes" (before: unknown); "a closing bracket" stays a mark
    assert readings(text, QUESTIONS)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("'who wrote' opens the question", Occurs((Phrase("who wrote"),), Edge(Side.BEFORE))),
        ("'who' is the very first word", Occurs((Phrase("who"),), Edge(Side.BEFORE))),
        (
            "it starts with an open bracket",
            Occurs((Phrase("("), Phrase("[")), Edge(Side.BEFORE)),
        ),
    ],
)
def test_a_phrase_that_opens_the_text(text: str, expected: Condition) -> None:
    # "opens" as "starts" (before: unknown); "an open bracket" stays a mark (before: any
    # bracket, "open" read as the verb); "the very first word" (before: "very" skipped)
    assert readings(text, QUESTIONS)[0] == expected


def test_a_phrase_that_follows_what_was_named() -> None:
    # "'wives' follows" ends its clause: after the phrase named before it (before: read as
    # following a number)
    found = readings("the first two words are 'how many' and 'wives' follows", QUESTIONS)
    assert found[0] == And(
        (
            Occurs((Phrase("how many"),), Edge(Side.BEFORE)),
            Precedes(Phrase("how many"), Phrase("wives")),
        )
    )


def test_a_curators_names_for_the_drug_and_the_event() -> None:
    # CDR's task names the chemical "the agent" and the disease "the adverse event (reaction,
    # ADR)", as pharmacovigilance does (before: unknown words)
    cdr = label_space_from_table(task_table("cdr"))
    found = readings("'induced' is right after the agent and right before the ADR", cdr)
    assert found[0] == And(
        (
            Occurs((Phrase("induced"),), Window(SUBJ, Side.AFTER, ADJACENT)),
            Occurs((Phrase("induced"),), Window(OBJ, Side.BEFORE, ADJACENT)),
        )
    )


@pytest.mark.parametrize("who", ["sender", "writer", "reviewer"])
def test_what_the_writer_says_is_in_the_text(who: str) -> None:
    # "the sender says 'hi'": the text holds it (before: "sender" unknown, no reading)
    assert readings(f"the {who} says 'hi'", TEXT)[0] == Occurs((Phrase("hi"),), Sentence())


@pytest.mark.parametrize(
    "text",
    [
        "person1 is linked to person2 by 'and'",
        "person1 is joined with person2 by 'and'",
        "person1 is connected to person2 by just 'and'",
    ],
)
def test_an_entity_linked_to_the_other_by_a_phrase(text: str) -> None:
    # the passive with the other entity after "to": before, "to" was unknown and the phrase read
    # as person1's text
    assert readings(text)[0].where == BETWEEN  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("it is a 'how many' question", None),
        ("a 'how many' question of only five words", Count(AnyWord(), Sentence(), Cmp.EQ, 5)),
    ],
)
def test_a_question_named_by_how_it_starts(text: str, count: Count | None) -> None:
    # "a 'why' question": the question starts with 'why' (before: no reading, or the whole
    # question read as the phrase)
    stem = Occurs((Phrase("how many"),), Edge(Side.BEFORE))
    assert readings(text, QUESTIONS)[0] == (stem if count is None else And((stem, count)))


def test_a_pronoun_before_question_is_no_stem() -> None:
    # "'all the', this question ...": "this" read as the phrase names no question stem
    result = parse(
        "'rivers' comes after 'all the', this question asks for places", QUESTIONS, label="HUM"
    )
    assert all("Edge" not in str(p.rule.condition) for p in result.parses)


@pytest.mark.parametrize(
    "text",
    [
        "signal: 'slow' | window: 2 words right of the term | verdict: negative",
        "trigger='slow'; location=within 2 words after the term => negative",
        "Evidence - 'slow' within 2 words after the term. Decision - negative.",
    ],
)
def test_the_fields_of_a_form(text: str) -> None:
    # field names before ":", "=" or a spaced dash are filler (before: unknown words)
    tokens = tokenize(text, ONE)
    assert not tokens.unknown
    found = readings(text, ONE)[0]
    assert found in (
        Occurs((Phrase("slow"),), Window(TERM, Side.AFTER, Distance(cmp, 2)))
        for cmp in (Cmp.EQ, Cmp.LE)
    )


@pytest.mark.parametrize(
    "text",
    [
        "(1) 'slow' right after the term (2) 'cold' earlier -> negative",
        "1) 'slow' right after the term 2) 'cold' earlier -> negative",
        "* 'slow' right after the term * 'cold' earlier -> negative",
    ],
)
def test_numbered_conditions_all_hold(text: str) -> None:
    # each bullet after the first separates a condition (before: the numbers were read as
    # counts, or the conditions ran together)
    assert readings(text, ONE)[0] == And(
        (
            Occurs((Phrase("slow"),), Window(TERM, Side.AFTER, ADJACENT)),
            Occurs((Phrase("cold"),), Window(TERM, Side.BEFORE)),
        )
    )


def test_a_number_in_brackets_mid_sentence_is_no_bullet() -> None:
    # a list opens with its first bullet: "(1)" after a word is part of the sentence
    tokens = tokenize("'slow' (1) is right after the term", ONE)
    assert not any(t.type == "STOP" for t in tokens.terms)
