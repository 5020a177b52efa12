"""Tokenizing explanations: quotes, words, fillers, names, and the errors for bad names."""

from __future__ import annotations

import pytest

from babble.errors import UnclosedQuoteError, UndefinedWordListError, UnknownEntityError
from babble.parse.lexicon import load_lexicon
from babble.parse.tokens import scan, tokenize
from babble.types import LabelSpace

SPACE = LabelSpace(
    ("not_spouse", "spouse"),
    entity_aliases={"person1": "subject", "person2": "object", "the term": "subject"},
    label_aliases={"true": "spouse", "false": "not_spouse"},
)


def _terms(text: str, **kwargs: object) -> list[tuple[str, str]]:
    return [(t.type, t.value) for t in tokenize(text, SPACE, **kwargs).terms]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "'his wife' is here",
        '"his wife" is here',
        "`his wife` is here",
        "\u2018his wife\u2019 is here",
        "\u201chis wife\u201d is here",
        "``his wife'' is here",
        "'his wife\u2019 is here",
    ],
)
def test_every_quote_style(text: str) -> None:
    quotes = [p.text for p in scan(text, load_lexicon()) if p.kind == "quote"]
    assert quotes == ["his wife"]


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('"\'s husband" is between', ["'s husband"]),
        ("'Beau Ryan's wife' is here", ["Beau Ryan's wife"]),
        ("person2's 'wife'", ["wife"]),
        ("and' occurs between", ["and"]),
        ("'' is empty", []),
    ],
)
def test_apostrophes_inside_and_around_quotes(text: str, quoted: list[str]) -> None:
    assert [p.text for p in scan(text, load_lexicon()) if p.kind == "quote"] == quoted


@pytest.mark.parametrize("text", ["'wife is between them", 'the word "wife is here', "\u201cwife"])
def test_unclosed_quote(text: str) -> None:
    with pytest.raises(UnclosedQuoteError, match="never closed") as info:
        tokenize(text, SPACE)
    assert info.value.spans and "^" in str(info.value)


def test_contractions_and_possessives() -> None:
    assert _terms("person1 isn't person2's wife") == [
        ("ENT", "subject"),
        ("BE", ""),
        ("NOT", ""),
        ("ENT", "object"),
        ("POSS", "'s"),
    ]
    assert _terms("there's no 'x'")[:3] == [("THERE", ""), ("BE", ""), ("NONE", "")]


def test_longest_phrase_wins_and_inflections_match() -> None:
    assert _terms("'x' is immediately to the left of person2") == [
        ("QUOTE", "x"),
        ("BE", ""),
        ("IMMED", ""),
        ("SIDE", "before"),
        ("ENT", "object"),
    ]
    assert _terms("person1 was preceded by 'x'")[1:3] == [("BE", ""), ("POSVERB", "before")]


def test_unknown_words_are_recorded_not_terms() -> None:
    toks = tokenize("'x' quietly sits right before person2", SPACE)
    assert toks.words(toks.unknown) == ("quietly",)
    assert ("OCCUR", "") in [(t.type, t.value) for t in toks.terms]


@pytest.mark.parametrize(
    ("text", "fillers"),
    [
        ("Label true because 'x' is here", ("Label", "true", "because")),
        ("True, because 'x' is here", ("True", "because")),
        ("true love is here", ()),
    ],
)
def test_leading_label_words_are_fillers(text: str, fillers: tuple[str, ...]) -> None:
    toks = tokenize(text, SPACE)
    assert tuple(w for w in toks.words(toks.fillers) if w.lower() != "is") == fillers


RELATIONS = LabelSpace(
    ("Cause-Effect(e1,e2)", "Other"), entity_aliases={"e1": "subject", "e2": "object"}
)


@pytest.mark.parametrize(
    ("text", "fillers"),
    [
        ("label Cause-Effect(e1,e2) if e1 is here", "label Cause-Effect ( e1 , e2 ) if"),
        ("Cause-Effect(e1,e2): e1 is here", "Cause-Effect ( e1 , e2 )"),
        ("Mark: Other, because e1 is here", "Mark Other because"),
        ("Cause-Effect(e1,e2) e1 is here", ""),  # neither "label" before nor a filler after
    ],
)
def test_leading_label_names_keep_their_punctuation(text: str, fillers: str) -> None:
    toks = tokenize(text, RELATIONS)
    assert " ".join(toks.words(toks.fillers)) == fillers


def test_filler_phrases_and_remarks() -> None:
    toks = tokenize("because of 'x' here (a note), which means y. Then z", SPACE)
    assert toks.words(toks.fillers)[:2] == ("because", "of")
    assert [" ".join(toks.words(r)) for r in toks.remarks] == [
        "( a note )",
        "which means y",
        "Then z",
    ]
    text = "'x' is here, so it is fine"
    (remark,) = tokenize(text, SPACE).remarks
    assert " ".join(tokenize(text, SPACE).words(remark)) == "so it is fine"
    dropped = tokenize(text, SPACE, drop=remark)
    assert set(remark) <= set(dropped.fillers) and not dropped.unknown
    assert [t.type for t in dropped.terms] == ["QUOTE", "BE", "THERE", "COMMA"]


def test_alias_that_is_also_a_lexicon_word() -> None:
    # "the term" names the target, except right before a quote or an entity
    assert _terms("the term 'x' is before the term")[0] == ("WORD", "word")
    assert _terms("the term 'x' is before the term")[-1] == ("ENT", "subject")


def test_word_lists_and_numbers() -> None:
    lists = {"causal": ("cause",), "treat_words": ("treat",)}
    assert ("LIST", "causal") in _terms("a causal word is between them", word_lists=lists)
    assert ("LIST", "treat_words") in _terms("a word in the treat words list", word_lists=lists)
    assert ("NUM", "12") in _terms("within 12 words")
    assert ("NUM", "3") in _terms("within three words")


@pytest.mark.parametrize(
    "text",
    [
        "the pair appears in the ctd_therapy dictionary",
        "a word in the marriage list is here",
        "a word in the list 'marriage' is here",
        "a ctd_marker word is here",
        "a marriage list word is here",
        "a word on the marriage list is here",
    ],
)
def test_undefined_word_list(text: str) -> None:
    with pytest.raises(UndefinedWordListError, match="is not defined; defined lists: causal"):
        tokenize(text, SPACE, word_lists={"causal": ("cause",)})


@pytest.mark.parametrize(
    "text",
    ["this reads like an awards list: 'x' is here", "'x' is here, so it is just a price list"],
)
def test_a_list_named_in_passing_is_no_word_list(text: str) -> None:
    toks = tokenize(text, SPACE, word_lists={"causal": ("cause",)})
    assert "QUOTE" in [t.type for t in toks.terms]


def test_unknown_entity() -> None:
    with pytest.raises(UnknownEntityError, match=r"no entity named 'person3'.*person1, person2"):
        tokenize("person3 is before person1", SPACE)


def test_unbalanced_parentheses_are_dropped() -> None:
    assert _terms("( ( 'x' appears )") == [
        ("LPAR", "("),
        ("QUOTE", "x"),
        ("OCCUR", ""),
        ("RPAR", ")"),
    ]


def test_comparison_signs_but_not_arrows() -> None:
    assert ("CMP", "<=") in _terms("person1 and person2 are <= 3 words apart")
    assert ("CMP", ">") in _terms("the sentence has > 40 words")
    for arrow in ("=>", "->", "<-"):
        terms = _terms(f"'wife' is between them {arrow} person2 is his wife")
        assert not [t for t in terms if t[0] == "CMP"], (arrow, terms)
