"""S-expressions (exact round trip, safe reader) and paraphrases (the parser reads them back)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from babble.datasets._common import label_space_from_table, task_table
from babble.errors import LogicTypeError, SExpressionError, UnknownEntityError
from babble.logic.forms import (
    NONE,
    UNIVERSAL_POS,
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
    Words,
)
from babble.logic.render import expressible, from_sexpr, paraphrase, to_sexpr
from babble.parse import parse
from babble.types import LabelSpace
from tests.logic.strategies import ASPECT, RELATION, WORD_LISTS, parseable_rules, rules

SUBJ, OBJ = Entity("subject"), Entity("object")
SPACE = LabelSpace(
    ("not_spouse", "spouse"),
    entity_aliases={"person1": "subject", "person2": "object", "p1": "subject"},
)
LISTS = {name: ("x",) for name in WORD_LISTS}

# --------------------------------------------------------------------------- S-expressions


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([RELATION, ASPECT, ()]).flatmap(lambda roles: rules(roles, n_labels=19)))
def test_sexpr_round_trip_is_exact(rule: LabelingRule) -> None:
    text = to_sexpr(rule)
    assert from_sexpr(text) == rule
    assert to_sexpr(from_sexpr(text)) == text


@pytest.mark.parametrize(
    ("node", "text"),
    [
        (
            LabelingRule(1, Occurs((Phrase("wife"), WordList("kin")), Between(SUBJ, OBJ), NONE)),
            '(rule 1 (occurs none (between subject object) "wife" (list "kin")))',
        ),
        (
            Occurs((Phrase('say "hi"'), AnyWord()), Inside(OBJ), Quant(Cmp.EQ, 2), whole=True),
            '(fills all (inside object) "say \\"hi\\"" (word))',
        ),
        (
            Count(
                EntityType(("GPE", "LOC")),
                Window(OBJ, Side.EITHER, Distance(Cmp.LT, 9, Unit.CHARS)),
                Cmp.GE,
                2,
            ),
            '(count (ent "GPE" "LOC") (window object either (< 9 characters)) >= 2)',
        ),
        (
            Not(Or((Order(SUBJ, OBJ), Apart(SUBJ, OBJ, Distance(Cmp.LE, 3))))),
            "(not (or (order subject object) (apart subject object (<= 3))))",
        ),
        (
            EntityText(
                SUBJ,
                Match.STARTS_WITH,
                (Lemma("marry"), Shape(ShapeKind.ALL_CAPS)),
                Quant(Cmp.LT, 2),
            ),
            '(text subject starts-with (< 2) (lemma "marry") (shape all-caps))',
        ),
        (
            And(
                (SameText(SUBJ, OBJ, Match.ENDS_WITH, Part.LAST_WORD), EntityLength(OBJ, Cmp.GT, 2))
            ),
            "(and (same subject object ends-with last-word) (length object > 2 words))",
        ),
        (
            Occurs(
                (WordLike(Match.CONTAINS, WordList("c")), PartOfSpeech("VERB")),
                Sentence(),
                Quant(Cmp.EQ, 1),
            ),
            '(occurs (== 1) (sentence) (word-contains (list "c")) (pos VERB))',
        ),
    ],
)
def test_sexpr_examples(node: LabelingRule | Condition, text: str) -> None:
    assert to_sexpr(node) == text
    if isinstance(node, LabelingRule):
        assert from_sexpr(text) == node
    else:
        assert from_sexpr(f"(rule 0 {text})") == LabelingRule(0, node)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected one expression, found 0"),
        ("(rule 0 (order subject object)) (rule 1 (order subject object))", "found 2"),
        ("(rule 0 (order subject object)", "1 unclosed '('"),
        ("(rule 0 (order subject object)))", "unbalanced ')'"),
        ('(rule 0 (occurs any (sentence) "wife))', "unreadable text"),
        ('(rule 0 (occurs any (sentence) "\\q"))', "bad string literal"),
        ("(rule x (order subject object))", "expected a non-negative integer"),
        ("(rule 0 (order subject person3))", "expected an entity role"),
        ("(rule 0 (order subject))", "expected 2 or 3 arguments, got 1"),
        ("(rule 0 (and (order subject object)))", "expected 2 or more arguments"),
        ("(rule 0 (frobnicate))", "expected one of and, or"),
        ("(rule 0 (occurs any (sentence) wife))", "expected a list that starts with a symbol"),
        ('(rule 0 (occurs maybe (sentence) "x"))', "expected a list"),
        ("(rule 0 (count (word) (sentence) ~ 3))", "expected a comparison"),
        ("(rule 0 (occurs any (sentence) (pos VRB)))", "expected a part of speech"),
        ("(rule 0 (occurs any (sentence) (word-contains (word))))", "a phrase or (list ...)"),
        ("(rule 0 (occurs any (sentence) (list wife)))", "expected a string literal"),
        ("(not " * 300 + ")" * 300, "nested deeper than 200"),
    ],
)
def test_from_sexpr_rejects_malformed_text(text: str, message: str) -> None:
    with pytest.raises(SExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        from_sexpr(text)


def test_from_sexpr_rejects_ill_typed_forms() -> None:
    with pytest.raises(LogicTypeError, match="no distance of at least 1 words is == 0"):
        from_sexpr("(rule 0 (apart subject object (== 0)))")
    with pytest.raises(LogicTypeError, match="two different entities"):
        from_sexpr("(rule 0 (order subject subject))")


def test_from_sexpr_evaluates_nothing() -> None:
    # a symbol is only ever looked up in fixed tables: text that looks like code is rejected
    with pytest.raises(SExpressionError):
        from_sexpr('(rule 0 (__import__ "os"))')


# --------------------------------------------------------------------------- paraphrases


@pytest.mark.parametrize(
    ("condition", "english"),
    [
        (
            And(
                (
                    Occurs((Phrase("his wife"),), Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 1))),
                    Count(AnyWord(), Between(SUBJ, OBJ), Cmp.LE, 3),
                )
            ),
            "'his wife' is immediately before person2 and there are at most 3 words between "
            "person1 and person2",
        ),
        (
            Not(Occurs((Phrase("wife"), Phrase("husband")), Between(SUBJ, OBJ))),
            "none of 'wife' or 'husband' is between person1 and person2",
        ),
        (
            Occurs(
                (Phrase("a"), Phrase("b")),
                Window(SUBJ, Side.EITHER, Distance(Cmp.LE, 2)),
                Quant(Cmp.EQ, 2),
            ),
            "'a' and 'b' are at most 2 words from person1",
        ),
        (
            Occurs((Phrase("of"),), Between(SUBJ, OBJ), whole=True),
            "only 'of' is between person1 and person2",
        ),
        (Occurs((Phrase("isn't"),), Sentence()), '"isn\'t" is in the sentence'),
        (
            Occurs((Lemma("marry"),), Window(OBJ, Side.EITHER, Distance(Cmp.EQ, 1))),
            "a form of 'marry' is next to person2",
        ),
        (
            Count(EntityType(("PERSON",)), Sentence(), Cmp.EQ, 2),
            "there are exactly 2 persons in the sentence",
        ),
        (
            Order(OBJ, SUBJ, Distance(Cmp.LT, 5, Unit.CHARS)),
            "person2 is fewer than 5 characters before person1",
        ),
        (Not(Order(SUBJ, OBJ)), "person1 is not before person2"),
        (Apart(SUBJ, OBJ, Distance(Cmp.GT, 1)), "person1 and person2 are more than 1 word apart"),
        (
            Not(Apart(SUBJ, OBJ, Distance(Cmp.GT, 1))),
            "it is not true that person1 and person2 are more than 1 word apart",
        ),
        (
            EntityText(SUBJ, Match.STARTS_WITH, (Phrase("Mr"), Phrase("Dr"))),
            "person1 starts with 'Mr' or 'Dr'",
        ),
        (
            Not(EntityText(SUBJ, Match.IS, (Shape(ShapeKind.CAPITALIZED),))),
            "person1 is not a capitalized word",
        ),
        (
            SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD),
            "the last word of person1 is the same as the last word of person2",
        ),
        (Not(SameText(SUBJ, OBJ, Match.CONTAINS)), "person1 does not contain person2"),
        (EntityLength(OBJ, Cmp.GE, 2), "person2 is at least 2 words long"),
        (Not(EntityLength(OBJ, Cmp.EQ, 2)), "it is not true that person2 is exactly 2 words long"),
        (EntityLength(OBJ, Cmp.NE, 2), "person2 is other than 2 words long"),
        (
            Or(
                (
                    Count(WordLike(Match.ENDS_WITH, Phrase("ing")), Inside(OBJ), Cmp.GT, 1),
                    Order(SUBJ, OBJ),
                )
            ),
            "there is more than 1 word that ends with 'ing' in person2 or person1 is before "
            "person2",
        ),
        (
            Or(
                (Order(SUBJ, OBJ), Occurs((Phrase("a"), Phrase("b")), Sentence(), Quant(Cmp.LT, 2)))
            ),
            "person1 is before person2 or (fewer than 2 of 'a' or 'b' are in the sentence)",
        ),
        (
            Not(And((Order(SUBJ, OBJ), Occurs((PartOfSpeech("VERB"),), Window(SUBJ, Side.AFTER))))),
            "it is not true that (person1 is before person2 and a verb is after person1)",
        ),
    ],
)
def test_paraphrase_examples(condition: Condition, english: str) -> None:
    assert paraphrase(LabelingRule(1, condition), SPACE) == f"label spouse if {english}"


def test_paraphrase_needs_an_alias_for_every_role() -> None:
    aspect = LabelSpace(("neg", "pos"), entity_aliases={"$t$": "target"})
    with pytest.raises(UnknownEntityError, match="no alias for the subject entity"):
        paraphrase(LabelingRule(0, Order(SUBJ, OBJ)), aspect)


def test_expressible_word_classes() -> None:
    assert expressible(EntityType(("GPE", "LOC", "FAC"))) and expressible(Shape(ShapeKind.NUMBER))
    assert expressible(PartOfSpeech("X")) and expressible(Phrase("x"))
    assert all(expressible(PartOfSpeech(tag)) for tag in UNIVERSAL_POS)
    assert not expressible(EntityType(("PERSON", "NO_SUCH_TYPE")))


@pytest.mark.parametrize(
    ("item", "english"),
    [
        (Shape(ShapeKind.NUMBER), "a number"),
        (Shape(ShapeKind.PUNCTUATION), "a punctuation mark"),
        (PartOfSpeech("NUM"), "a word tagged as a number"),
        (PartOfSpeech("PUNCT"), "a word tagged as a punctuation mark"),
        (PartOfSpeech("X"), "a foreign word"),
        (EntityType(("DATE",)), "a date"),
        (EntityType(("GPE", "LOC", "FAC")), "a location"),
        (EntityType(("LOC",)), "a geographic feature"),
        (EntityType(("ORG",)), "an organization"),
        (EntityType(("PERSON",)), "a person"),
        (EntityType(("PERSON", "ORG")), "an entity of type person or organization"),
    ],
)
def test_paraphrase_word_classes(item: Words, english: str) -> None:
    rule = LabelingRule(1, Occurs((item,), Between(SUBJ, OBJ)))
    text = paraphrase(rule, SPACE)
    assert text == f"label spouse if {english} is between person1 and person2"
    assert rule in parse(text, SPACE, label=1).rules


def _space(task: str) -> LabelSpace:
    return label_space_from_table(task_table(task))


TEXT_TASK = LabelSpace(("ham", "spam"))
TASKS = [
    pytest.param(_space("spouse"), RELATION, id="spouse"),
    pytest.param(_space("cdr"), RELATION, id="cdr"),
    pytest.param(_space("absa"), ASPECT, id="absa"),
    pytest.param(TEXT_TASK, (), id="text"),
    pytest.param(_space("semeval"), RELATION, id="semeval"),  # labels like Cause-Effect(e1,e2)
]


@pytest.mark.parametrize(("space", "roles"), TASKS)
def test_paraphrase_round_trip(space: LabelSpace, roles: tuple[str, ...]) -> None:
    """Parsing the paraphrase of a rule gives the rule back, reading every word."""

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(parseable_rules(roles, n_labels=space.k))
    def round_trip(rule: LabelingRule) -> None:
        english = paraphrase(rule, space)
        # a generous deadline: this checks the reading, not the speed, on a loaded machine
        result = parse(english, space, word_lists=LISTS, label=rule.label, deadline_ms=30_000.0)
        exact = [p for p in result.parses if p.rule == rule and not p.skipped]
        assert exact, f"{english!r} parsed as {[to_sexpr(r) for r in result.rules]}"

    round_trip()
