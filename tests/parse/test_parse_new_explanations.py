"""Explanations written for these tests in the style of the four shared sets (spouse, chemical-
disease, aspect sentiment, SemEval relations), none taken from them: each must parse reading every
word, and its first reading must be the logical form the English intends.

They exercise varied general English: "X is followed by", "the phrase ... occurs after", "one of
the words ... appears", "within five words of", "not preceded by", "ends with", "the sentence
mentions", ordinal and number words ("the third word after", "twice"), passive voice, "there is a"
/ "there are no", an elided verb ("... and 'y' does not"), the edges of the sentence, "either
person", "connects A to BETWEEN", "A precedes BETWEEN with 'x' in between", "different last names".
"""

from __future__ import annotations

import pytest

from babble.datasets._common import label_space_from_table, task_table
from babble.logic.forms import (
    And,
    AnyWord,
    Apart,
    Between,
    Cmp,
    Condition,
    Count,
    Distance,
    Entity,
    EntityText,
    EntityType,
    Inside,
    Match,
    Not,
    Occurs,
    Or,
    Order,
    Part,
    Phrase,
    Quant,
    Region,
    SameText,
    Sentence,
    Side,
    Unit,
    Window,
    WordLike,
    WordList,
    all_items,
)
from babble.parse import parse

SUBJ, OBJ, TERM = Entity("subject"), Entity("object"), Entity("target")
BETWEEN = Between(SUBJ, OBJ)
ADJ = Distance(Cmp.EQ, 1)
LISTS = {"causal": ("caused", "induced", "associated with"), "treat": ("treat", "therap")}
SPACES = {
    task: label_space_from_table(task_table(task)) for task in ("spouse", "cdr", "absa", "semeval")
}


def w(e: Entity, side: Side, limit: Distance | None = None) -> Window:
    return Window(e, side, limit)


def at(words: str | tuple[str, ...], where: Region) -> Occurs:
    """Any of the quoted words occurs in a region."""
    texts = (words,) if isinstance(words, str) else words
    return Occurs(tuple(Phrase(t) for t in texts), where)


def le(n: int) -> Distance:
    return Distance(Cmp.LE, n)


def eq(n: int) -> Distance:
    return Distance(Cmp.EQ, n)


NO_WORD_BEFORE = {e: Not(Occurs((AnyWord(),), w(e, Side.BEFORE))) for e in (SUBJ, OBJ, TERM)}
NO_WORD_AFTER = {e: Not(Occurs((AnyWord(),), w(e, Side.AFTER))) for e in (SUBJ, OBJ, TERM)}

CASES: list[tuple[str, str, Condition]] = [
    # ------------------------------------------------------------------ spouse
    (
        "spouse",
        "person1 is immediately followed by 'and' and then person2",
        And((at("and", w(SUBJ, Side.AFTER, ADJ)), at("and", w(OBJ, Side.BEFORE)))),
    ),
    (
        "spouse",
        "the phrase 'his wife' occurs right after person1",
        at("his wife", w(SUBJ, Side.AFTER, ADJ)),
    ),
    (
        "spouse",
        "one of the words 'wife', 'husband' or 'spouse' appears between person1 and person2",
        at(("wife", "husband", "spouse"), BETWEEN),
    ),
    (
        "spouse",
        "'married' is within five words of person2",
        at("married", w(OBJ, Side.EITHER, le(5))),
    ),
    ("spouse", "person2 is not preceded by 'and'", Not(at("and", w(OBJ, Side.BEFORE)))),
    ("spouse", "person1 ends with 'son'", EntityText(SUBJ, Match.ENDS_WITH, (Phrase("son"),))),
    ("spouse", "the sentence mentions 'wedding'", at("wedding", Sentence())),
    (
        "spouse",
        "there are no words between person1 and person2",
        Not(Occurs((AnyWord(),), BETWEEN)),
    ),
    ("spouse", "there is a comma between person1 and person2", at(",", BETWEEN)),
    ("spouse", "'divorced' is mentioned before person1", at("divorced", w(SUBJ, Side.BEFORE))),
    ("spouse", "person1 comes first in the sentence", Order(SUBJ, OBJ)),
    (
        "spouse",
        "at least two of the words 'wife', 'married' and 'husband' appear in the sentence",
        Occurs(
            (Phrase("wife"), Phrase("married"), Phrase("husband")), Sentence(), Quant(Cmp.GE, 2)
        ),
    ),
    (
        "spouse",
        "no more than two words separate person1 and person2",
        Count(AnyWord(), BETWEEN, Cmp.LE, 2),
    ),
    (
        "spouse",
        "there are at most 3 words separating person1 and person2",
        Count(AnyWord(), BETWEEN, Cmp.LE, 3),
    ),
    (
        "spouse",
        "neither 'brother' nor 'sister' occurs between person1 and person2",
        Not(at(("brother", "sister"), BETWEEN)),
    ),
    ("spouse", "person1 is the first word of the sentence", NO_WORD_BEFORE[SUBJ]),
    ("spouse", "person2 is at the end of the sentence", NO_WORD_AFTER[OBJ]),
    ("spouse", "person2 is not the last word in the sentence", NO_WORD_AFTER[OBJ].part),
    ("spouse", "the sentence ends with person2", NO_WORD_AFTER[OBJ]),
    ("spouse", "person1 begins the sentence", NO_WORD_BEFORE[SUBJ]),
    (
        "spouse",
        "the word 'wife' appears in the sentence twice",
        Count(Phrase("wife"), Sentence(), Cmp.EQ, 2),
    ),
    ("spouse", "the third word after person1 is 'wife'", at("wife", w(SUBJ, Side.AFTER, eq(3)))),
    ("spouse", "person2 is the fourth word after person1", Order(SUBJ, OBJ, eq(4))),
    (
        "spouse",
        "'wife' is not within three words of either person",
        Not(Or((at("wife", w(SUBJ, Side.EITHER, le(3))), at("wife", w(OBJ, Side.EITHER, le(3)))))),
    ),
    (
        "spouse",
        "'and' appears between person1 and person2 but 'married' does not",
        And((at("and", BETWEEN), Not(at("married", BETWEEN)))),
    ),
    ("spouse", "'wife' is the last word before person2", at("wife", w(OBJ, Side.BEFORE, ADJ))),
    (
        "spouse",
        "person1 and person2 have different last names",
        Not(SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD)),
    ),
    (
        "spouse",
        "the words 'married' and 'wife' both appear in the sentence",
        Occurs((Phrase("married"), Phrase("wife")), Sentence(), all_items(2)),
    ),
    ("spouse", "'husband' is not mentioned anywhere", Not(at("husband", Sentence()))),
    (
        "spouse",
        "there is another person between person1 and person2",
        Occurs((EntityType(("PERSON",)),), BETWEEN),
    ),
    ("spouse", "person2 is two words after person1", Order(SUBJ, OBJ, eq(2))),
    (
        "spouse",
        "the word 'wed' comes after person1 and before person2",
        And((at("wed", w(SUBJ, Side.AFTER)), at("wed", w(OBJ, Side.BEFORE)))),
    ),
    # ------------------------------------------------------------------ chemical-disease
    (
        "cdr",
        "a causal word appears between the chemical and the disease",
        Occurs((WordList("causal"),), BETWEEN),
    ),
    (
        "cdr",
        "the disease is mentioned within ten words after the chemical",
        Order(SUBJ, OBJ, le(10)),
    ),
    (
        "cdr",
        "there are no treat words in the sentence",
        Not(Occurs((WordList("treat"),), Sentence())),
    ),
    ("cdr", "the chemical is not within 20 words of the disease", Not(Apart(SUBJ, OBJ, le(20)))),
    (
        "cdr",
        "the chemical name ends with 'ine'",
        EntityText(SUBJ, Match.ENDS_WITH, (Phrase("ine"),)),
    ),
    (
        "cdr",
        "none of the words between the chemical and the disease is a treat word",
        Not(Occurs((WordList("treat"),), BETWEEN)),
    ),
    (
        "cdr",
        "a word ending in 'itis' is in the disease",
        Occurs((WordLike(Match.ENDS_WITH, Phrase("itis")),), Inside(OBJ)),
    ),
    (
        "cdr",
        "the disease follows the chemical by at most 30 characters",
        Order(SUBJ, OBJ, Distance(Cmp.LE, 30, Unit.CHARS)),
    ),
    (
        "cdr",
        "'induced' comes right after the chemical and right before the disease",
        And((at("induced", w(SUBJ, Side.AFTER, ADJ)), at("induced", w(OBJ, Side.BEFORE, ADJ)))),
    ),
    # ------------------------------------------------------------------ aspect sentiment
    ("absa", "$T$ is directly preceded by 'great'", at("great", w(TERM, Side.BEFORE, ADJ))),
    ("absa", "'not' occurs within two words before $T$", at("not", w(TERM, Side.BEFORE, le(2)))),
    ("absa", "$T$ starts the sentence", NO_WORD_BEFORE[TERM]),
    ("absa", "the term appears at the beginning of the sentence", NO_WORD_BEFORE[TERM]),
    (
        "absa",
        "'excellent' is the second word after $T$",
        at("excellent", w(TERM, Side.AFTER, eq(2))),
    ),
    (
        "absa",
        "'love' appears before $T$ and 'not' does not",
        And((at("love", w(TERM, Side.BEFORE)), Not(at("not", w(TERM, Side.BEFORE))))),
    ),
    (
        "absa",
        "the word 'delicious' appears within three words after $T$",
        at("delicious", w(TERM, Side.AFTER, le(3))),
    ),
    # ------------------------------------------------------------------ SemEval relations
    ("semeval", "the phrase 'was put into' connects SUBJ to OBJ", at("was put into", BETWEEN)),
    ("semeval", "the phrase 'comes from' separates SUBJ from OBJ", at("comes from", BETWEEN)),
    (
        "semeval",
        "OBJ is preceded by SUBJ with 'in the' in between",
        And((Order(SUBJ, OBJ), at("in the", Between(OBJ, SUBJ)))),
    ),
    (
        "semeval",
        "SUBJ precedes OBJ with the word 'from' between them",
        And((Order(SUBJ, OBJ), at("from", BETWEEN))),
    ),
    (
        "semeval",
        "there are fewer than four words between SUBJ and OBJ",
        Count(AnyWord(), BETWEEN, Cmp.LT, 4),
    ),
    (
        "semeval",
        "'in' is the only word between SUBJ and OBJ",
        Occurs((Phrase("in"),), BETWEEN, whole=True),
    ),
    ("semeval", "SUBJ comes three words before OBJ", Order(SUBJ, OBJ, eq(3))),
]


@pytest.mark.parametrize(("task", "text", "expected"), CASES, ids=[c[1] for c in CASES])
def test_new_explanation_reads_as_intended(task: str, text: str, expected: Condition) -> None:
    space = SPACES[task]
    result = parse(text, space, word_lists=LISTS, label=space.labels[-1])
    assert result.error is None, result.error
    assert result.best is not None and result.best.skipped == (), result.best
    assert result.rules[0].condition == expected, [r.condition for r in result.rules]


def test_joining_words_are_filler_only_between_entities() -> None:
    space = SPACES["spouse"]
    linked = parse("'and' links person1 with person2", space, label="spouse")
    assert linked.fillers == ("with",) and linked.rules[0].condition == at("and", BETWEEN)
    # elsewhere "to" is an unknown word, so "married to" is still a phrase of the sentence
    sentence = "Ann is married to Bob ."
    married = parse("person1 is married to person2", space, label="spouse", sentence=sentence)
    assert married.best is not None and married.best.skipped == ()
    assert married.rules[0].condition == at("married to", BETWEEN)
