"""The reference interpreter: one test per node type, and the edge cases of spans and regions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

import pytest
from spacy.language import Language

from babble.errors import UndefinedWordListError
from babble.logic.forms import (
    ANY,
    NONE,
    And,
    AnyWord,
    Apart,
    Between,
    Cmp,
    Condition,
    Count,
    Distance,
    Edge,
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
    Precedes,
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
from babble.logic.interpret import (
    SpacyAnalyzer,
    analyzer_for,
    apply_rules,
    candidate_view,
    compile_rule,
    resolve,
)
from babble.preprocess import DEFAULT_PIPELINE, PreprocessedCandidates, load_pipeline, preprocess
from babble.types import ABSTAIN, Candidate, EntitySpan

SUBJ, OBJ, TGT = Entity("subject"), Entity("object"), Entity("target")
BETWEEN = Between(SUBJ, OBJ)


@cache
def _real() -> Language:
    return load_pipeline(DEFAULT_PIPELINE)


@cache
def _blank() -> Language:
    return analyzer_for("blank:en").nlp


def candidate(text: str, *spans: tuple[str, str | tuple[int, int]]) -> Candidate:
    """A candidate whose spans are given as (role, the first occurrence of a string | offsets)."""
    made = []
    for role, where in spans:
        if isinstance(where, str):
            start = text.index(where)
            where = (start, start + len(where))
        made.append(EntitySpan(role, "X", where[0], where[1], text[where[0] : where[1]]))
    return Candidate("c", "d", text, (), tuple(made))


def run(
    condition: Condition,
    cand: Candidate,
    tmp_path: Path,
    *,
    real: bool = False,
    word_lists: Mapping[str, Sequence[str]] | None = None,
) -> bool:
    """Whether ``condition`` holds on ``cand`` (preprocessed by blank:en or the real pipeline)."""
    pre = _pre([cand], tmp_path, real)
    analyzer = SpacyAnalyzer(_real()) if real else analyzer_for("blank:en")
    vote = compile_rule(LabelingRule(1, condition), word_lists, analyzer=analyzer)(
        candidate_view(pre, 0)
    )
    assert vote in (1, ABSTAIN)
    return vote == 1


def _pre(cands: list[Candidate], tmp_path: Path, real: bool = False) -> PreprocessedCandidates:
    return preprocess(
        cands, pipeline=_real() if real else _blank(), cache_dir=tmp_path, progress=False
    )


PAIR = candidate("Ann and her husband Bob left .", ("subject", "Ann"), ("object", "Bob"))
REVERSED = candidate("Bob , her husband , met Ann .", ("subject", "Ann"), ("object", "Bob"))


# --------------------------------------------------------------------------- word sets


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (Phrase("husband"), True),
        (Phrase("HUSBAND"), True),  # case-insensitive
        (Phrase("her husband"), True),  # multi-word: consecutive tokens
        (Phrase("husband her"), False),
        (Phrase("hus"), False),  # whole tokens only
        (Phrase("Ann"), False),  # an entity is not part of the region between
    ],
)
def test_phrase(item: Phrase, expected: bool, tmp_path: Path) -> None:
    assert run(Occurs((item,), BETWEEN), PAIR, tmp_path) is expected


def test_word_list_entries_are_tokenised_like_the_sentence(tmp_path: Path) -> None:
    lists = {"kin": ("wife", "Her Husband"), "empty": ()}
    assert run(Occurs((WordList("kin"),), BETWEEN), PAIR, tmp_path, word_lists=lists)
    assert not run(Occurs((WordList("empty"),), Sentence()), PAIR, tmp_path, word_lists=lists)
    cand = candidate("Ann 's husband's friend Bob", ("subject", "Ann"), ("object", "Bob"))
    possessive = {"kin": ("husband's",)}  # tokenised as husband + 's, as in the sentence
    assert run(Occurs((WordList("kin"),), BETWEEN), cand, tmp_path, word_lists=possessive)


def test_undefined_word_list_fails_at_compile_time() -> None:
    rule = LabelingRule(0, Occurs((WordList("causal"),), Sentence()))
    with pytest.raises(UndefinedWordListError, match=r"'causal'.*defined lists: treat"):
        compile_rule(rule, {"treat": ("treats",)}, analyzer=analyzer_for("blank:en"))


def test_resolve_dedupes_and_skips_empty_entries() -> None:
    runs = resolve(
        WordList("k"), {"k": ("Wife", "wife", " ", "his wife")}, analyzer_for("blank:en")
    )
    assert runs is not None and runs.sequences == (("wife",), ("his", "wife"))
    assert resolve(AnyWord(), {}, analyzer_for("blank:en")) is None


def test_lemma_with_the_real_pipeline(tmp_path: Path) -> None:
    cand = candidate("Ann married Bob in 2001 .", ("subject", "Ann"), ("object", "Bob"))
    assert run(Occurs((Lemma("marry"),), BETWEEN), cand, tmp_path, real=True)
    assert not run(Occurs((Lemma("divorce"),), BETWEEN), cand, tmp_path, real=True)


def test_lemma_without_a_lemmatizer_falls_back_to_the_text(tmp_path: Path) -> None:
    cand = candidate("Ann married Bob", ("subject", "Ann"), ("object", "Bob"))
    assert run(Occurs((Lemma("married"),), BETWEEN), cand, tmp_path)
    assert not run(Occurs((Lemma("marry"),), BETWEEN), cand, tmp_path)


def test_part_of_speech(tmp_path: Path) -> None:
    cand = candidate("Ann quickly married Bob .", ("subject", "Ann"), ("object", "Bob"))
    assert run(Occurs((PartOfSpeech("VERB"),), BETWEEN), cand, tmp_path, real=True)
    assert run(Occurs((PartOfSpeech("ADV"),), BETWEEN), cand, tmp_path, real=True)
    assert not run(Occurs((PartOfSpeech("NOUN"),), BETWEEN), cand, tmp_path, real=True)


def test_entity_type_counts_mentions_not_tokens(tmp_path: Path) -> None:
    cand = candidate(
        "Ann met Barack Obama and Bob in Paris .", ("subject", "Ann"), ("object", "Bob")
    )
    person = EntityType(("PERSON",))
    assert run(Occurs((person,), BETWEEN), cand, tmp_path, real=True)
    assert run(Count(person, BETWEEN, Cmp.EQ, 1), cand, tmp_path, real=True)  # one mention
    assert run(Count(person, Sentence(), Cmp.EQ, 3), cand, tmp_path, real=True)
    place = EntityType(("GPE", "LOC"))
    assert run(Occurs((place,), Window(OBJ, Side.AFTER)), cand, tmp_path, real=True)
    assert not run(Occurs((place,), BETWEEN), cand, tmp_path, real=True)
    # without NER nothing is an entity
    assert not run(Occurs((person,), Sentence()), cand, tmp_path)


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (ShapeKind.CAPITALIZED, "met Smith", True),
        (ShapeKind.CAPITALIZED, "met NASA", True),
        (ShapeKind.CAPITALIZED, "met smith", False),
        (ShapeKind.ALL_CAPS, "met NASA", True),
        (ShapeKind.ALL_CAPS, "met Smith", False),
        (ShapeKind.LOWERCASE, "MET SMITH", False),
        (ShapeKind.LOWERCASE, "MET smith", True),
        (ShapeKind.PUNCTUATION, "MET , SMITH", True),
        (ShapeKind.PUNCTUATION, "MET SMITH", False),
        (ShapeKind.NUMBER, "MET 42 SMITHS", True),
        (ShapeKind.NUMBER, "MET ten SMITHS", True),
        (ShapeKind.NUMBER, "MET SMITHS", False),
    ],
)
def test_shape(kind: ShapeKind, text: str, expected: bool, tmp_path: Path) -> None:
    cand = candidate(f"Ann {text} Bob", ("subject", "Ann"), ("object", "Bob"))
    assert run(Occurs((Shape(kind),), BETWEEN), cand, tmp_path) is expected


def test_any_word_counts_words_not_punctuation_or_clitics(tmp_path: Path) -> None:
    assert run(Count(AnyWord(), BETWEEN, Cmp.EQ, 3), PAIR, tmp_path)  # and her husband
    assert run(
        Count(AnyWord(), Between(OBJ, SUBJ), Cmp.EQ, 3), REVERSED, tmp_path
    )  # , her husband , met: the commas are no words
    adjacent = candidate("Ann Bob", ("subject", "Ann"), ("object", "Bob"))
    assert not run(Occurs((AnyWord(),), BETWEEN), adjacent, tmp_path)
    comma = candidate("Ann , Bob", ("subject", "Ann"), ("object", "Bob"))
    assert not run(Occurs((AnyWord(),), BETWEEN), comma, tmp_path)
    # "John's" is one word: the clitic "'s" is part of it
    owner = candidate("Ann met John's Bob", ("subject", "Ann"), ("object", "Bob"))
    assert run(Count(AnyWord(), BETWEEN, Cmp.EQ, 2), owner, tmp_path)
    # distances still count every token
    assert run(Apart(SUBJ, OBJ, Distance(Cmp.EQ, 2)), comma, tmp_path)


@pytest.mark.parametrize(
    ("match", "pattern", "expected"),
    [
        (Match.CONTAINS, "usba", True),
        (Match.STARTS_WITH, "HUS", True),
        (Match.STARTS_WITH, "usb", False),
        (Match.ENDS_WITH, "band", True),
        (Match.ENDS_WITH, "husb", False),
    ],
)
def test_word_like(match: Match, pattern: str, expected: bool, tmp_path: Path) -> None:
    item = WordLike(match, Phrase(pattern))
    assert run(Occurs((item,), BETWEEN), PAIR, tmp_path) is expected


def test_word_like_with_a_word_list(tmp_path: Path) -> None:
    item = WordLike(Match.STARTS_WITH, WordList("pre"))
    assert run(Occurs((item,), BETWEEN), PAIR, tmp_path, word_lists={"pre": ("x", "Hus")})
    assert not run(Occurs((item,), BETWEEN), PAIR, tmp_path, word_lists={"pre": ("x",)})


# --------------------------------------------------------------------------- regions


def test_between_is_the_same_whichever_entity_comes_first(tmp_path: Path) -> None:
    for region in (Between(SUBJ, OBJ), Between(OBJ, SUBJ)):
        assert run(Occurs((Phrase("her husband"),), region), REVERSED, tmp_path)
        assert not run(Occurs((Phrase("met"),), region), PAIR, tmp_path)


def test_between_overlapping_entities_is_empty(tmp_path: Path) -> None:
    nested = candidate("Mr Bob Smith left", ("subject", (0, 12)), ("object", (3, 6)))
    assert not run(Occurs((AnyWord(),), BETWEEN), nested, tmp_path)
    assert run(Count(AnyWord(), BETWEEN, Cmp.EQ, 0), nested, tmp_path)
    overlapping = candidate("Mr Bob Smith left", ("subject", (0, 6)), ("object", (3, 12)))
    assert not run(Occurs((AnyWord(),), BETWEEN), overlapping, tmp_path)


@pytest.mark.parametrize(
    ("region", "phrase", "expected"),
    [
        (Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 1)), "her husband", True),  # ends right before
        (Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 1)), "her", False),
        (Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 2)), "her", True),
        (Window(OBJ, Side.BEFORE, Distance(Cmp.LE, 3)), "and", True),
        (Window(OBJ, Side.BEFORE, Distance(Cmp.LT, 3)), "and", False),
        (Window(OBJ, Side.BEFORE), "Ann", True),  # another entity is an ordinary word
        (Window(OBJ, Side.BEFORE), "Bob", False),  # the anchor is not in its window
        (Window(OBJ, Side.BEFORE), "left", False),
        (Window(OBJ, Side.AFTER), "left", True),
        (Window(OBJ, Side.AFTER, Distance(Cmp.EQ, 1)), "left", True),
        (Window(OBJ, Side.AFTER, Distance(Cmp.GT, 1)), "left", False),
        (Window(OBJ, Side.EITHER, Distance(Cmp.LE, 1)), "left", True),
        (Window(OBJ, Side.EITHER, Distance(Cmp.LE, 1)), "husband", True),
        (Window(OBJ, Side.EITHER, Distance(Cmp.LE, 1)), "her", False),
        (Window(SUBJ, Side.BEFORE), "and", False),  # nothing before the first token
        # characters between "her" and "Bob": " husband " = 9
        (Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 9, Unit.CHARS)), "her", True),
        (Window(OBJ, Side.BEFORE, Distance(Cmp.LT, 9, Unit.CHARS)), "her", False),
        (Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 1, Unit.CHARS)), "husband", True),
        (Inside(SUBJ), "Ann", True),
        (Inside(SUBJ), "and", False),
        (Sentence(), "Bob", True),  # the sentence includes the entities
        (Edge(Side.BEFORE), "Ann", True),  # the first word, an entity or not
        (Edge(Side.BEFORE), "and", False),
        (Edge(Side.AFTER), "left", True),  # the final period is not a word
        (Edge(Side.AFTER), "Bob left", True),
        (Edge(Side.AFTER), "Bob", False),
        (Edge(Side.BEFORE, 1), "and", True),  # the second word
        (Edge(Side.BEFORE, 1), "Ann", False),
        (Edge(Side.AFTER, 1), "Bob", True),  # the second word from the end
        (Edge(Side.AFTER, 9), "Ann", False),  # fewer words than that
    ],
)
def test_regions(
    region: Window | Inside | Sentence | Edge, phrase: str, expected: bool, tmp_path: Path
) -> None:
    assert run(Occurs((Phrase(phrase),), region), PAIR, tmp_path) is expected


def test_edge_skips_punctuation_but_not_words(tmp_path: Path) -> None:
    quoted = candidate('" Best pizza , ever ! "', ("target", "pizza"))
    assert run(Occurs((Phrase("best"),), Edge(Side.BEFORE)), quoted, tmp_path)
    assert run(Occurs((Phrase("ever"),), Edge(Side.AFTER)), quoted, tmp_path)
    assert not run(Occurs((Phrase("pizza"),), Edge(Side.BEFORE)), quoted, tmp_path)
    assert run(Count(AnyWord(), Edge(Side.BEFORE), Cmp.EQ, 1), quoted, tmp_path)


def test_window_with_touching_entities(tmp_path: Path) -> None:
    adjacent = candidate("Ann Bob wed", ("subject", "Ann"), ("object", "Bob"))
    assert run(
        Occurs((Phrase("Ann"),), Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 1))), adjacent, tmp_path
    )
    assert run(
        Occurs((Phrase("("),), Window(OBJ, Side.BEFORE, Distance(Cmp.EQ, 0, Unit.CHARS))),
        candidate("Ann (Bob) wed", ("subject", "Ann"), ("object", "Bob")),
        tmp_path,
    )


# --------------------------------------------------------------------------- occurs and count


@pytest.mark.parametrize(
    ("quant", "expected"),
    [
        (ANY, True),
        (NONE, False),
        (all_items(3), False),
        (Quant(Cmp.GE, 2), True),
        (Quant(Cmp.EQ, 2), True),
        (Quant(Cmp.LT, 2), False),
    ],
)
def test_occurs_counts_items(quant: Quant, expected: bool, tmp_path: Path) -> None:
    items = (Phrase("her"), Phrase("husband"), Phrase("wife"))
    assert run(Occurs(items, BETWEEN, quant), PAIR, tmp_path) is expected


def test_occurs_whole_fills_the_region_exactly(tmp_path: Path) -> None:
    cand = candidate("Ann , wife of Bob", ("subject", "Ann"), ("object", "Bob"))
    assert run(Occurs((Phrase(", wife of"),), BETWEEN, whole=True), cand, tmp_path)
    assert not run(Occurs((Phrase("wife"),), BETWEEN, whole=True), cand, tmp_path)
    assert run(Occurs((Phrase("wife"),), BETWEEN, whole=False), cand, tmp_path)
    assert run(Occurs((Phrase("Ann"),), Inside(SUBJ), whole=True), cand, tmp_path)
    adjacent = candidate("Ann Bob", ("subject", "Ann"), ("object", "Bob"))
    assert not run(Occurs((AnyWord(),), BETWEEN, whole=True), adjacent, tmp_path)
    single = candidate("Ann weds Bob", ("subject", "Ann"), ("object", "Bob"))
    assert run(Occurs((AnyWord(),), BETWEEN, whole=True), single, tmp_path)
    assert run(Occurs((Phrase("x"), AnyWord()), BETWEEN, ANY, whole=True), single, tmp_path)


def test_count_counts_occurrences(tmp_path: Path) -> None:
    cand = candidate("Ann la la la Bob", ("subject", "Ann"), ("object", "Bob"))
    assert run(Count(Phrase("la"), BETWEEN, Cmp.EQ, 3), cand, tmp_path)
    assert run(Count(Phrase("la la"), BETWEEN, Cmp.EQ, 2), cand, tmp_path)  # overlapping runs
    lists = {"l": ("la", "la la", "LA")}  # distinct runs matching some entry: 3 + 2
    assert run(Count(WordList("l"), BETWEEN, Cmp.EQ, 5), cand, tmp_path, word_lists=lists)
    assert run(
        Count(Phrase("la"), Window(OBJ, Side.BEFORE, Distance(Cmp.LE, 2)), Cmp.EQ, 2),
        cand,
        tmp_path,
    )
    assert run(Count(AnyWord(), Sentence(), Cmp.GT, 4), cand, tmp_path)


# --------------------------------------------------------------------------- entities


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (Order(SUBJ, OBJ), True),
        (Order(OBJ, SUBJ), False),
        (Order(SUBJ, OBJ, Distance(Cmp.EQ, 4)), True),  # and her husband: 3 between, + 1
        (Order(SUBJ, OBJ, Distance(Cmp.LT, 4)), False),
        (Order(SUBJ, OBJ, Distance(Cmp.EQ, 17, Unit.CHARS)), True),  # " and her husband "
        (Apart(SUBJ, OBJ, Distance(Cmp.LE, 4)), True),
        (Apart(OBJ, SUBJ, Distance(Cmp.LE, 4)), True),
        (Apart(SUBJ, OBJ, Distance(Cmp.LT, 4)), False),
    ],
)
def test_order_and_apart(condition: Condition, expected: bool, tmp_path: Path) -> None:
    assert run(condition, PAIR, tmp_path) is expected


def test_order_and_apart_reversed_and_overlapping(tmp_path: Path) -> None:
    assert run(Order(OBJ, SUBJ, Distance(Cmp.EQ, 6)), REVERSED, tmp_path)
    assert run(Apart(SUBJ, OBJ, Distance(Cmp.EQ, 6)), REVERSED, tmp_path)
    overlapping = candidate("Mr Bob Smith left", ("subject", (0, 6)), ("object", (3, 12)))
    for condition in (Order(SUBJ, OBJ), Order(OBJ, SUBJ), Apart(SUBJ, OBJ, Distance(Cmp.GE, 1))):
        assert not run(condition, overlapping, tmp_path)
    adjacent = candidate("Ann Bob", ("subject", "Ann"), ("object", "Bob"))
    assert run(Order(SUBJ, OBJ, Distance(Cmp.EQ, 1)), adjacent, tmp_path)


def test_a_hyphen_joining_two_words_is_no_distance(tmp_path: Path) -> None:
    """'induced' is right after Lidocaine in "Lidocaine-induced", as a reader sees it; a hyphen
    with spaces around it is a token like any other."""
    joined = candidate(
        "Lidocaine-induced cardiac asystole.", ("subject", "Lidocaine"), ("object", "cardiac")
    )
    right_after = Window(SUBJ, Side.AFTER, Distance(Cmp.EQ, 1))
    assert run(Occurs((Phrase("induced"),), right_after), joined, tmp_path)
    assert run(Order(SUBJ, OBJ, Distance(Cmp.EQ, 2)), joined, tmp_path)
    assert run(Apart(SUBJ, OBJ, Distance(Cmp.EQ, 2)), joined, tmp_path)
    assert run(
        Precedes(Phrase("Lidocaine"), Phrase("cardiac"), Distance(Cmp.EQ, 2)), joined, tmp_path
    )
    spaced = candidate(
        "Lidocaine - induced asystole", ("subject", "Lidocaine"), ("object", "asystole")
    )
    assert not run(Occurs((Phrase("induced"),), right_after), spaced, tmp_path)
    assert run(Order(SUBJ, OBJ, Distance(Cmp.EQ, 3)), spaced, tmp_path)


NAMES = candidate(
    "Mr. Joel Osteen met Joel Smith .", ("subject", "Mr. Joel Osteen"), ("object", "Joel Smith")
)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (EntityText(SUBJ, Match.IS, (Phrase("Mr. JOEL osteen"),)), True),
        (EntityText(SUBJ, Match.IS, (Phrase("joel osteen"),)), False),
        (EntityText(SUBJ, Match.CONTAINS, (Phrase("Osteen"),)), True),
        (EntityText(SUBJ, Match.CONTAINS, (Phrase("oste"),)), True),  # a substring test
        (EntityText(SUBJ, Match.STARTS_WITH, (Phrase("Mr"),)), True),
        (EntityText(SUBJ, Match.STARTS_WITH, (Phrase("Joel"),)), False),
        (EntityText(SUBJ, Match.ENDS_WITH, (Phrase("osteen"),)), True),
        (
            EntityText(SUBJ, Match.STARTS_WITH, (Phrase("Mrs"), Phrase("Mr")), Quant(Cmp.EQ, 1)),
            True,
        ),
        (EntityText(SUBJ, Match.CONTAINS, (Phrase("joel"), Phrase("osteen")), all_items(2)), True),
        (EntityText(SUBJ, Match.IS, (Shape(ShapeKind.CAPITALIZED),)), True),
        (EntityText(SUBJ, Match.IS, (Shape(ShapeKind.PUNCTUATION),)), False),
        (
            EntityText(SUBJ, Match.CONTAINS, (Shape(ShapeKind.PUNCTUATION),)),
            False,
        ),  # "Mr." is one token
        (EntityText(OBJ, Match.STARTS_WITH, (WordLike(Match.STARTS_WITH, Phrase("jo")),)), True),
        (EntityText(OBJ, Match.ENDS_WITH, (WordLike(Match.STARTS_WITH, Phrase("jo")),)), False),
        (SameText(SUBJ, OBJ), False),
        (SameText(SUBJ, OBJ, Match.IS, Part.FIRST_WORD), False),
        (SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD), False),
        (SameText(OBJ, SUBJ, Match.STARTS_WITH, Part.WHOLE), False),
        (SameText(SUBJ, OBJ, Match.CONTAINS, Part.WHOLE), False),
        (EntityLength(SUBJ, Cmp.EQ, 3), True),
        (EntityLength(OBJ, Cmp.EQ, 10, Unit.CHARS), True),
        (EntityLength(SUBJ, Cmp.LE, 2), False),
    ],
)
def test_entity_text_and_length(condition: Condition, expected: bool, tmp_path: Path) -> None:
    assert run(condition, NAMES, tmp_path) is expected


def test_same_text(tmp_path: Path) -> None:
    cand = candidate(
        "Joel Osteen and joel met Ann Osteen", ("subject", "Joel Osteen"), ("object", "joel")
    )
    assert run(SameText(SUBJ, OBJ, Match.STARTS_WITH), cand, tmp_path)  # case-insensitive
    assert run(SameText(SUBJ, OBJ, Match.CONTAINS), cand, tmp_path)
    assert not run(SameText(SUBJ, OBJ, Match.ENDS_WITH), cand, tmp_path)
    assert run(SameText(SUBJ, OBJ, Match.IS, Part.FIRST_WORD), cand, tmp_path)
    assert run(SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD), cand, tmp_path) is False
    other = candidate(
        "Joel Osteen met Ann Osteen", ("subject", "Joel Osteen"), ("object", "Ann Osteen")
    )
    assert run(SameText(SUBJ, OBJ, Match.IS, Part.LAST_WORD), other, tmp_path)
    assert not run(SameText(SUBJ, OBJ, Match.ENDS_WITH, Part.WHOLE), other, tmp_path)
    suffix = candidate("Ann Osteen met Osteen", ("subject", "Ann Osteen"), ("object", (15, 21)))
    assert run(SameText(SUBJ, OBJ, Match.ENDS_WITH, Part.WHOLE), suffix, tmp_path)
    assert not run(SameText(SUBJ, OBJ), other, tmp_path)


def test_entity_type_of_an_entity_uses_its_tokens(tmp_path: Path) -> None:
    cand = candidate(
        "Barack Obama met Bob in Paris .", ("subject", "Barack Obama"), ("object", "Paris")
    )
    person = EntityType(("PERSON",))
    assert run(EntityText(SUBJ, Match.IS, (person,)), cand, tmp_path, real=True)
    assert not run(EntityText(OBJ, Match.IS, (person,)), cand, tmp_path, real=True)


# --------------------------------------------------------------------------- booleans, votes


def test_booleans(tmp_path: Path) -> None:
    yes, no = Order(SUBJ, OBJ), Order(OBJ, SUBJ)
    assert run(And((yes, Not(no))), PAIR, tmp_path)
    assert not run(And((yes, no)), PAIR, tmp_path)
    assert run(Or((no, yes)), PAIR, tmp_path)
    assert not run(Or((no, Not(yes))), PAIR, tmp_path)
    assert run(Not(Not(yes)), PAIR, tmp_path)


def test_missing_role_abstains(tmp_path: Path) -> None:
    aspect = candidate("The soup was cold", ("target", "soup"))
    pre = _pre([aspect, PAIR], tmp_path)
    blank = analyzer_for("blank:en")
    relation = compile_rule(
        LabelingRule(1, Occurs((Phrase("was"),), Window(OBJ, Side.AFTER))), analyzer=blank
    )
    sentence = compile_rule(LabelingRule(0, Occurs((Phrase("the"),), Sentence())), analyzer=blank)
    aspect_rule = compile_rule(
        LabelingRule(2, Occurs((Phrase("cold"),), Window(TGT, Side.AFTER))), analyzer=blank
    )
    votes = apply_rules([relation, sentence, aspect_rule], pre)
    assert votes.tolist() == [[ABSTAIN, 0, 2], [ABSTAIN, ABSTAIN, ABSTAIN]]
    assert votes.dtype.name == "int64"


def test_apply_rules_matches_calls_on_views(tmp_path: Path) -> None:
    one = candidate("Ann and her husband Bob left .", ("subject", "Ann"), ("object", "Bob"))
    swapped = candidate("Ann and her husband Bob left .", ("subject", "Bob"), ("object", "Ann"))
    text_only = Candidate("t", "d", "Ann and her husband Bob left .", ())
    pre = _pre([one, swapped, text_only], tmp_path)
    rules = [
        compile_rule(LabelingRule(1, Order(SUBJ, OBJ)), analyzer=analyzer_for("blank:en")),
        compile_rule(
            LabelingRule(0, Occurs((Phrase("left"),), Sentence())),
            analyzer=analyzer_for("blank:en"),
        ),
    ]
    votes = apply_rules(rules, pre)
    assert votes.tolist() == [[1, 0], [ABSTAIN, 0], [ABSTAIN, 0]]
    assert [[r(candidate_view(pre, j)) for r in rules] for j in range(3)] == votes.tolist()
    assert apply_rules([], pre).shape == (3, 0)


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (Precedes(Phrase("Ann"), Phrase("left")), True),  # "Ann and her husband Bob left ."
        (Precedes(Phrase("left"), Phrase("Ann")), False),
        (Precedes(Phrase("her"), Phrase("husband")), True),  # adjacent counts
        (Precedes(Phrase("her husband"), Phrase("husband")), False),  # overlapping does not
        (Precedes(Phrase("and"), Phrase("nowhere")), False),
    ],
)
def test_precedes_is_word_order_anywhere(
    condition: Condition, expected: bool, tmp_path: Path
) -> None:
    assert run(condition, PAIR, tmp_path) is expected
