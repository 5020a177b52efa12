"""parse(): constructions of general English, bad input, ranking and skipping, bounds."""

from __future__ import annotations

import time

import pytest

from babble.errors import (
    EmptyExplanationError,
    ExplanationTooLongError,
    LabelError,
    NoParseError,
    ParseTimeoutError,
    TooManyParsesError,
    UnclosedQuoteError,
    UndefinedWordListError,
    UnknownEntityError,
)
from babble.logic.forms import (
    ANY,
    And,
    AnyWord,
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
    Inside,
    LabelingRule,
    Lemma,
    Match,
    Not,
    Occurs,
    Or,
    Order,
    Part,
    PartOfSpeech,
    Phrase,
    Quant,
    SameText,
    Sentence,
    Shape,
    ShapeKind,
    Side,
    Unit,
    Window,
    WordLike,
    WordList,
    all_items,
)
from babble.parse import ParseResult, parse
from babble.types import Explanation, LabelSpace, SourceLocation

SUBJ, OBJ, T = Entity("subject"), Entity("object"), Entity("target")
RELATION = LabelSpace(
    ("other", "spouse"),
    entity_aliases={
        "person1": "subject",
        "person2": "object",
        "x": "subject",
        "y": "object",
        "the chemical": "subject",
        "the disease": "object",
    },
    label_aliases={"true": "spouse", "false": "other"},
)
ASPECT = LabelSpace(
    ("negative", "positive"), entity_aliases={"$t$": "target", "the term": "target"}
)
LISTS = {"causal": ("cause", "induce"), "treat": ("treat", "therap")}
BETWEEN = Between(SUBJ, OBJ)


def p(*words: str) -> tuple[Phrase, ...]:
    return tuple(Phrase(w) for w in words)


def before(e: Entity, cmp: Cmp | None = None, n: int = 1, unit: Unit = Unit.WORDS) -> Window:
    return Window(e, Side.BEFORE, None if cmp is None else Distance(cmp, n, unit))


def after(e: Entity, cmp: Cmp | None = None, n: int = 1, unit: Unit = Unit.WORDS) -> Window:
    return Window(e, Side.AFTER, None if cmp is None else Distance(cmp, n, unit))


def run(text: str, space: LabelSpace = RELATION, **kwargs: object) -> ParseResult:
    return parse(text, space, label=space.labels[1], word_lists=LISTS, **kwargs)  # type: ignore[arg-type]


def conditions(result: ParseResult) -> list[Condition]:
    assert result.error is None, result.error
    return [r.condition for r in result.rules]


CONSTRUCTIONS: list[tuple[str, Condition]] = [
    # word sets in places
    ("'his wife' is right before person2", Occurs(p("his wife"), before(OBJ, Cmp.EQ))),
    ("The word 'wife' appears between person1 and person2", Occurs(p("wife"), BETWEEN)),
    ("'wife' or 'husband' is between them", Occurs(p("wife", "husband"), BETWEEN)),
    (
        "the words 'a', 'b', and 'c' occur between X and Y",
        Occurs(p("a", "b", "c"), BETWEEN, all_items(3)),
    ),
    ("either 'a' or 'b' is between them", Occurs(p("a", "b"), BETWEEN)),
    ("both 'a' and 'b' are in the sentence", Occurs(p("a", "b"), Sentence(), all_items(2))),
    (
        "neither 'a' nor 'b' is within two words of person1",
        Not(Occurs(p("a", "b"), Window(SUBJ, Side.EITHER, Distance(Cmp.LE, 2)))),
    ),
    (
        "none of the words 'a', 'b' or 'c' are in the sentence",
        Not(Occurs(p("a", "b", "c"), Sentence())),
    ),
    (
        "at least two of 'a', 'b', and 'c' are between person1 and person2",
        Occurs(p("a", "b", "c"), BETWEEN, Quant(Cmp.GE, 2)),
    ),
    (
        "exactly one of 'a' and 'b' occurs after Y",
        Occurs(p("a", "b"), after(OBJ), Quant(Cmp.EQ, 1)),
    ),
    ("'wife' does not occur between X and Y", Not(Occurs(p("wife"), BETWEEN))),
    (
        "the sentence contains 'cheating on' and 'wife'",
        Occurs(p("cheating on", "wife"), Sentence(), all_items(2)),
    ),
    ("the sentence does not mention 'divorce'", Not(Occurs(p("divorce"), Sentence()))),
    (
        "'Pope' is in person1 or person2",
        Or((Occurs(p("Pope"), Inside(SUBJ)), Occurs(p("Pope"), Inside(OBJ)))),
    ),
    # positions
    ("X is immediately preceded by 'fair'", Occurs(p("fair"), before(SUBJ, Cmp.EQ))),
    ("$T$ is directly followed by 'promptly'", Occurs(p("promptly"), after(T, Cmp.EQ))),
    ("the word 'good' follows the term within 2 words", Occurs(p("good"), after(T, Cmp.LE, 2))),
    ("'bad' directly precedes $T$", Occurs(p("bad"), before(T, Cmp.EQ))),
    (
        "the word 'large' is after the word $T$ by no more than 2 words",
        Occurs(p("large"), after(T, Cmp.LE, 2)),
    ),
    ("'x' is within 3 words to the left of person2", Occurs(p("x"), before(OBJ, Cmp.LE, 3))),
    ("'x' is less than 5 words right of person2", Occurs(p("x"), after(OBJ, Cmp.LT, 5))),
    (
        "'x' is within three words of person1",
        Occurs(p("x"), Window(SUBJ, Side.EITHER, Distance(Cmp.LE, 3))),
    ),
    ("'x' is next to person1", Occurs(p("x"), Window(SUBJ, Side.EITHER, Distance(Cmp.EQ, 1)))),
    (
        "the word 'son' occurs within 6 characters after person2",
        Occurs(p("son"), after(OBJ, Cmp.LE, 6, Unit.CHARS)),
    ),
    ("'x' appears four words before person2", Occurs(p("x"), before(OBJ, Cmp.EQ, 4))),
    ("'x' appears four words before person2", Occurs(p("x"), before(OBJ, Cmp.LE, 4))),
    (
        "'(' is before person2 and ')' is after person2",
        And((Occurs(p("("), before(OBJ)), Occurs(p(")"), after(OBJ)))),
    ),
    (
        "'x' occurs after person1 and person2",
        And((Occurs(p("x"), after(SUBJ)), Occurs(p("x"), after(OBJ)))),
    ),
    (
        "parentheses occur before and after person2",
        And((Occurs(p("(", ")"), before(OBJ)), Occurs(p("(", ")"), after(OBJ)))),
    ),
    (
        "$T$ is preceded by 'poor' and followed by 'awful'",
        And((Occurs(p("poor"), before(T)), Occurs(p("awful"), after(T)))),
    ),
    ("person2 comes right after the word 'wife'", Occurs(p("wife"), before(OBJ, Cmp.EQ))),
    ("the word right before person2 is 'wife'", Occurs(p("wife"), before(OBJ, Cmp.EQ))),
    ("within 3 words after $T$ there is 'great'", Occurs(p("great"), after(T, Cmp.LE, 3))),
    (
        "between the chemical and the disease, there is a causal word",
        Occurs((WordList("causal"),), BETWEEN),
    ),
    (
        "SUBJ and OBJ sandwich the phrase 'full of'".replace("SUBJ", "X").replace("OBJ", "Y"),
        Occurs(p("full of"), BETWEEN, whole=True),
    ),
    ("the phrase 'and his wife' links X and Y", Occurs(p("and his wife"), BETWEEN)),
    ("'and' occurs directly between person1 and person2", Occurs(p("and"), BETWEEN, whole=True)),
    ("'and' is the only word between them", Occurs(p("and"), BETWEEN, whole=True)),
    # entities
    ("OBJ follows SUBJ".replace("OBJ", "Y").replace("SUBJ", "X"), Order(SUBJ, OBJ)),
    ("the chemical comes before the disease", Order(SUBJ, OBJ)),
    ("the disease is immediately preceded by the chemical", Order(SUBJ, OBJ, Distance(Cmp.EQ, 1))),
    (
        "the chemical precedes the disease by no more than 100 characters",
        Order(SUBJ, OBJ, Distance(Cmp.LE, 100, Unit.CHARS)),
    ),
    (
        "the disease appears more than 100 characters before the chemical",
        Order(OBJ, SUBJ, Distance(Cmp.GT, 100, Unit.CHARS)),
    ),
    ("person2 occurs within 3 words of person1", Apart(OBJ, SUBJ, Distance(Cmp.LE, 3))),
    ("person1 is more than 20 words away from person2", Apart(SUBJ, OBJ, Distance(Cmp.GT, 20))),
    (
        "person1 and person2 are within two words of each other",
        Apart(SUBJ, OBJ, Distance(Cmp.LE, 2)),
    ),
    ("they are less than 5 words apart", Apart(SUBJ, OBJ, Distance(Cmp.LT, 5))),
    (
        "the distance between person1 and person2 is at most 4",
        Apart(SUBJ, OBJ, Distance(Cmp.LE, 4)),
    ),
    ("person1 and person2 are adjacent", Apart(SUBJ, OBJ, Distance(Cmp.EQ, 1))),
    # entity text
    ("person2 contains 'Osteen'", EntityText(OBJ, Match.CONTAINS, p("Osteen"))),
    ("person2 is 'Obama'", EntityText(OBJ, Match.IS, p("Obama"))),
    (
        "person1 and person2 start with 'Mr'",
        And(
            (
                EntityText(SUBJ, Match.STARTS_WITH, p("Mr")),
                EntityText(OBJ, Match.STARTS_WITH, p("Mr")),
            )
        ),
    ),
    (
        "the chemical name contains an 'induc' or 'assoc' word",
        EntityText(SUBJ, Match.CONTAINS, p("induc", "assoc")),
    ),
    ("person1 is not a person", Not(EntityText(SUBJ, Match.IS, (EntityType(("PERSON",)),)))),
    ("person2 is in all caps", EntityText(OBJ, Match.IS, (Shape(ShapeKind.ALL_CAPS),))),
    ("person2 ends with person1", SameText(OBJ, SUBJ, Match.ENDS_WITH)),
    ("person1 is the same as person2", SameText(SUBJ, OBJ)),
    ("person1 and person2 are spelled the same", SameText(SUBJ, OBJ)),
    (
        "the last word of person1 is the same as the last word of person2",
        SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD),
    ),
    ("person1 has the same last name as person2", SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD)),
    ("the first word of person1 is 'Mr'", EntityText(SUBJ, Match.STARTS_WITH, p("Mr"))),
    ("person1 contains 1 token", EntityLength(SUBJ, Cmp.EQ, 1)),
    (
        "person1 or person2 is at least four words long",
        Or((EntityLength(SUBJ, Cmp.GE, 4), EntityLength(OBJ, Cmp.GE, 4))),
    ),
    # counting
    ("there are no more than four words between X and Y", Count(AnyWord(), BETWEEN, Cmp.LE, 4)),
    (
        "There is only one word 'defining' between X and Y",
        Count(Phrase("defining"), BETWEEN, Cmp.EQ, 1),
    ),
    (
        "There is only one word 'defining' between X and Y",
        Occurs(p("defining"), BETWEEN, whole=True),
    ),
    (
        "there are only two people in the sentence",
        Count(EntityType(("PERSON",)), Sentence(), Cmp.EQ, 2),
    ),
    (
        "there are at least four capitalized words between them",
        Count(Shape(ShapeKind.CAPITALIZED), BETWEEN, Cmp.GE, 4),
    ),
    ("fewer than 3 words separate person1 and person2", Count(AnyWord(), BETWEEN, Cmp.LT, 3)),
    ("the number of words between X and Y is less than 5", Count(AnyWord(), BETWEEN, Cmp.LT, 5)),
    ("'wife' appears at least twice in the sentence", Count(Phrase("wife"), Sentence(), Cmp.GE, 2)),
    ("there is nothing between person1 and person2", Not(Occurs((AnyWord(),), BETWEEN))),
    (
        "there is at least one treat word no more than 50 characters before the disease",
        Occurs((WordList("treat"),), before(OBJ, Cmp.LE, 50, Unit.CHARS)),
    ),
    # word classes
    ("a word in the treat dictionary is between them", Occurs((WordList("treat"),), BETWEEN)),
    ("a form of 'marry' is between them", Occurs((Lemma("marry"),), BETWEEN)),
    ("a verb is right before person2", Occurs((PartOfSpeech("VERB"),), before(OBJ, Cmp.EQ))),
    ("a number is 1 word after person2", Occurs((Shape(ShapeKind.NUMBER),), after(OBJ, Cmp.EQ))),
    ("there is a person between person1 and person2", Occurs((EntityType(("PERSON",)),), BETWEEN)),
    ("a date appears in the sentence", Occurs((EntityType(("DATE",)),), Sentence())),
    ("a comma is right after person1", Occurs(p(","), after(SUBJ, Cmp.EQ))),
    (
        "a word containing 'develop' appears before the chemical",
        Occurs((WordLike(Match.CONTAINS, Phrase("develop")),), before(SUBJ)),
    ),
    (
        "a word between the chemical and the disease ends with 'induced'",
        Occurs((WordLike(Match.ENDS_WITH, Phrase("induced")),), BETWEEN),
    ),
    (
        "the chemical is preceded by a word that starts with a word in the treat list",
        Occurs((WordLike(Match.STARTS_WITH, WordList("treat")),), before(SUBJ)),
    ),
    # descriptions and chains
    (
        "X is followed by the word 'and' which is followed by Y",
        And((Occurs(p("and"), after(SUBJ)), Occurs(p("and"), before(OBJ)))),
    ),
    (
        "person2 is referred to as person1's 'wife'",
        Occurs(p("wife"), Window(SUBJ, Side.AFTER, Distance(Cmp.LE, 2))),
    ),
    ("person1 'married' person2", Occurs(p("married"), BETWEEN)),
    ("it says person1 'moved into' person2", Occurs(p("moved into"), BETWEEN, whole=True)),
    ("the text between X and Y contains 'wife'", Occurs(p("wife"), BETWEEN)),
    (
        "the words between X and Y are 'and his wife'",
        Occurs(p("and his wife"), BETWEEN, whole=True),
    ),
    ("the last word before Y is 'wife'", Occurs(p("wife"), before(OBJ, Cmp.EQ))),
    ("the word after X is 'and'", Occurs(p("and"), after(SUBJ, Cmp.EQ))),
    (
        "words like 'wife' or 'husband' appear between X and Y",
        Occurs(p("wife", "husband"), BETWEEN),
    ),
    (
        "a word that begins with a capital letter is right before Y",
        Occurs((Shape(ShapeKind.CAPITALIZED),), before(OBJ, Cmp.EQ)),
    ),
    ("X and Y are separated only by 'and'", Occurs(p("and"), BETWEEN, whole=True)),
    ("X comes first", Order(SUBJ, OBJ)),
    ("Y comes first", Order(OBJ, SUBJ)),
    ("X and Y are next to each other", Apart(SUBJ, OBJ, Distance(Cmp.EQ, 1))),
    ("person1 and person2 have the same last name", SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD)),
    ("the sentence has more than 20 words", Count(AnyWord(), Sentence(), Cmp.GT, 20)),
    # boolean structure
    (
        "'a' is between them and 'b' is not between them",
        And((Occurs(p("a"), BETWEEN), Not(Occurs(p("b"), BETWEEN)))),
    ),
    (
        "('a' is before X or 'b' is after Y) and X precedes Y",
        And((Or((Occurs(p("a"), before(SUBJ)), Occurs(p("b"), after(OBJ)))), Order(SUBJ, OBJ))),
    ),
    ("it is not the case that 'a' is in the sentence", Not(Occurs(p("a"), Sentence()))),
    ("not not 'a' is in the sentence", Occurs(p("a"), Sentence())),
    (
        "neither 'a' is before X nor 'b' is after Y",
        And((Not(Occurs(p("a"), before(SUBJ))), Not(Occurs(p("b"), after(OBJ))))),
    ),
]


@pytest.mark.parametrize(("text", "expected"), CONSTRUCTIONS)
def test_construction(text: str, expected: Condition) -> None:
    space = ASPECT if "$T$" in text or "the term" in text else RELATION
    result = run(text, space)
    assert expected in conditions(result)
    assert result.best is not None and result.best.skipped == ()


def test_the_label_and_the_rule() -> None:
    result = parse("'wife' is between them", RELATION, label="true")
    assert result.rules == (LabelingRule(1, Occurs(p("wife"), BETWEEN)),)
    assert parse("'wife' is between them", RELATION, label=0).label == 0
    with pytest.raises(LabelError):
        parse("'wife' is between them", RELATION, label="married")
    with pytest.raises(TypeError, match="label="):
        parse("'wife' is between them", RELATION)


def test_explanation_objects_carry_label_and_source() -> None:
    exp = Explanation(
        "'wife' is between person3 and person1", "spouse", source=SourceLocation("e.tsv", 7)
    )
    result = parse(exp, RELATION)
    assert isinstance(result.error, UnknownEntityError) and result.label == 1
    assert str(result.error).startswith("[E405] e.tsv:7: the task has no entity named 'person3'")
    with pytest.raises(UnknownEntityError):
        result.raise_for_error()


@pytest.mark.parametrize(
    ("text", "error", "fragment"),
    [
        ("", EmptyExplanationError, "has no words"),
        ("  \t ", EmptyExplanationError, "has no words"),
        ("?!... ,", EmptyExplanationError, "only punctuation"),
        ("x" * 10_000, ExplanationTooLongError, "10000 characters, more than the limit of 500"),
        ("'wife is between them", UnclosedQuoteError, "never closed"),
        (
            "a word in the ctd_therapy dictionary is between them",
            UndefinedWordListError,
            "the word list 'ctd_therapy' is not defined; defined lists: causal, treat",
        ),
        ("person3 is before person1", UnknownEntityError, "no entity named 'person3'"),
        ("blah blah blah", NoParseError, "words not understood: 'blah', 'blah', 'blah'"),
    ],
)
def test_bad_input_is_a_clear_error(text: str, error: type, fragment: str) -> None:
    started = time.perf_counter()
    result = run(text)
    assert time.perf_counter() - started < 10.0  # a hang guard, not a speed test
    assert isinstance(result.error, error) and fragment in str(result.error)
    assert not result.ok and result.skipped_share() == 1.0


def test_words_not_understood_leave_out_the_example_s_own_words() -> None:
    # "blacksmith" and "parts" are the entities, named by their own words; "in that list" is
    # what does not read (before: the error blamed the entities' names)
    result = run(
        "'creates' is the word right after blacksmith and parts comes later in that list",
        sentence="The blacksmith creates metal parts for wagons.",
        entities={"subject": "blacksmith", "object": "parts"},
    )
    assert isinstance(result.error, NoParseError)
    assert "blacksmith" not in result.error.words and "parts" not in result.error.words
    assert "parsing stopped at 'in'" in str(result.error)


def test_deep_nesting_is_bounded() -> None:
    # A generous deadline: this checks what deep nesting parses to, not how fast (a loaded CI
    # machine can take longer than the default 250 ms on 110 nested "not"s).
    slack = {"deadline_ms": 30_000.0}
    result = run("not " * 110 + "'wife' is between them", **slack)
    assert conditions(result) == [Occurs(p("wife"), BETWEEN)]  # an even number of nots
    assert run("( " * 40 + "'wife' is between them" + " )" * 40, **slack).ok
    assert run("'a' or " * 60 + "'b' is between them", **slack).ok


def test_skipped_words_are_recorded_and_fewest_skips_win() -> None:
    result = run("'wife' quietly sits right before person2")
    assert result.ok and result.unknown == ("quietly",)
    assert result.best is not None and result.best.skipped == ("quietly",)
    assert result.best.spans == ((7, 14),)
    assert result.skipped_share() == pytest.approx(1 / 6)
    # an unparsable known word is dropped too, and the reading skips as little as it can
    result = run("'wife' is between them them them")
    assert result.ok and result.best is not None and len(result.best.skipped) <= 2


def test_fillers_are_not_skipped_words() -> None:
    result = run("Label true because the word 'wife' is between them.")
    assert result.fillers == ("Label", "true", "because", "the")
    assert result.best is not None and result.best.skipped == ()


def test_unquoted_words_from_the_sentence() -> None:
    sentence = "Ann and her wife Bo were there."
    result = run("the word wife is between them", sentence=sentence)
    assert result.best is not None and result.best.rule.condition == Occurs(p("wife"), BETWEEN)
    assert result.best.quoted == ("wife",) and result.best.skipped == ()
    # without the sentence the word is unknown and skipped
    assert run("the word wife is between them").best.skipped == ("wife",)  # type: ignore[union-attr]


def test_distinct_readings_up_to_the_bound() -> None:
    text = "'a' is before X and 'b' is before X or 'c' is before X and 'd' is before Y"
    result = run(text)
    assert len(result.parses) == len(set(result.rules))
    small = run(text + " or 'f' is after X and 'g' is after Y", max_parses=1)
    assert len(small.parses) <= 1
    ambiguous = run("'a' or 'b' is before X and 'c' is after Y", max_parses=1)
    assert len(ambiguous.parses) == 1


def test_too_many_readings_is_a_warning() -> None:
    result = run("There is only one word 'x' between X and Y", max_parses=1)
    assert len(result.parses) == 1
    assert any(isinstance(w, TooManyParsesError) for w in result.warnings)


def test_deadline() -> None:
    result = run("'wife' is right before person2 and 'x' is after person1", deadline_ms=0.0)
    assert isinstance(result.error, ParseTimeoutError) or any(
        isinstance(w, ParseTimeoutError) for w in result.warnings
    )


def test_typed_readings_only() -> None:
    # "between person1" alone is not a region, so no reading uses it
    for rule in run("'x' is between person1 and 'y' is after person2").rules:
        assert rule.condition is not None
    # ill-typed combinations are dropped while parsing: two entities the same
    assert not run("person1 is before person1").ok


def test_quant_any_is_default() -> None:
    (condition,) = conditions(run("'a' is in the sentence"))
    assert isinstance(condition, Occurs) and condition.quant == ANY
