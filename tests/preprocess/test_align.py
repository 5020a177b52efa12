"""Alignment of character and source-token spans onto spaCy tokens: units and properties."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from babble.errors import AlignmentError
from babble.preprocess import (
    NO_SPAN,
    align_candidates,
    align_char_span,
    align_spans,
    source_token_chars,
)
from babble.types import Candidate, EntitySpan, Token

Relation = Callable[[str, str, str, str], Candidate]

# "Ann Smith married Bob." tokens: Ann Smith married Bob .
STARTS, ENDS = [0, 4, 10, 18, 21], [3, 9, 17, 21, 22]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (0, 9, (0, 2)),  # exact tokens
        (1, 2, (0, 1)),  # inside one token
        (2, 6, (0, 2)),  # partial overlap both sides
        (3, 5, (1, 2)),  # starts on a space
        (8, 11, (1, 3)),
        (21, 22, (4, 5)),  # last token
        (0, 22, (0, 5)),
        (0, 30, (0, 5)),  # past the end still overlaps
    ],
)
def test_align_char_span(start: int, end: int, expected: tuple[int, int]) -> None:
    assert align_char_span(STARTS, ENDS, start, end) == expected


@pytest.mark.parametrize(("start", "end"), [(3, 4), (9, 10), (22, 25), (5, 5), (6, 2), (-3, 0)])
def test_align_char_span_without_overlap_raises(start: int, end: int) -> None:
    with pytest.raises(AlignmentError, match=r"candidate 'c7', subject span: characters"):
        align_char_span(STARTS, ENDS, start, end, what="candidate 'c7', subject span")


def test_align_spans_across_sentences() -> None:
    starts = np.array([0, 4, 0, 2, 5])  # "Ann Bob" | "I am ok"
    ends = np.array([3, 7, 1, 4, 7])
    offsets = np.array([0, 2, 2, 5])  # the middle sentence has no tokens
    rows = np.array([0, 0, 2, 2])
    spans = np.array([[0, 3], [2, 7], [0, 7], [3, 4]])
    got = align_spans(starts, ends, offsets, rows, spans)
    assert got.dtype == np.int32
    assert got.tolist() == [[0, 1], [0, 2], [0, 3], [1, 2]]
    # a negative start must not reach into the previous sentence's tokens
    got = align_spans(
        np.array([0, 0]), np.array([3, 1]), np.array([0, 1, 2]), np.array([1]), np.array([[-2, 1]])
    )
    assert got.tolist() == [[0, 1]]
    with pytest.raises(AlignmentError, match=r"span 0: .* sentence 1"):
        align_spans(starts, ends, offsets, np.array([1]), np.array([[0, 1]]))


def test_source_token_chars() -> None:
    cand = Candidate("c1", "d", "Ann met Bob", (Token("Ann", 0, 3), Token("met", 4, 7)))
    assert source_token_chars(cand, 0, 2) == (0, 7)
    for bad in [(1, 1), (0, 3), (-1, 1)]:
        with pytest.raises(AlignmentError, match=r"candidate 'c1': source tokens"):
            source_token_chars(cand, *bad)


def test_align_candidates_fills_missing_spans(relation: Relation) -> None:
    text = "Ann married Bob."
    pair = relation("r", text, "Ann", "Bob")
    target = Candidate("a", "d", text, (), (EntitySpan("target", "T", 4, 11, "married"),))
    plain = Candidate("t", "d", text, ())
    out = align_candidates(
        np.array([0, 4, 12, 15]),
        np.array([3, 11, 15, 16]),
        np.array([0, 4]),
        [pair, target, plain],
        np.zeros(3, np.int32),
    )
    assert out.shape == (3, 2, 2)
    assert out.tolist() == [
        [[0, 1], [2, 3]],
        [[1, 2], [NO_SPAN, NO_SPAN]],
        [[NO_SPAN, NO_SPAN], [NO_SPAN, NO_SPAN]],
    ]


def test_align_candidates_names_candidate_on_error(relation: Relation) -> None:
    cand = relation("c9", "Ann  met Bob", "Ann", "Bob")
    cand = Candidate(cand.id, "d", cand.text, (), (EntitySpan("subject", "P", 3, 5, "  "),))
    with pytest.raises(AlignmentError, match=r"candidate 'c9', subject span '  '"):
        align_candidates(
            np.array([0, 5, 9]),
            np.array([3, 8, 12]),
            np.array([0, 3]),
            [cand],
            np.zeros(1, np.int32),
        )


# --- properties --------------------------------------------------------------------------------

# A sentence as (gap before token, token length) pairs; gaps may be 0 (adjacent tokens).
layouts = st.lists(st.tuples(st.integers(0, 3), st.integers(1, 5)), max_size=12)


def _tokens(layout: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts, ends, pos = [], [], 0
    for gap, length in layout:
        starts.append(pos + gap)
        ends.append(pos + gap + length)
        pos += gap + length
    return starts, ends


def _brute_force(starts: list[int], ends: list[int], s: int, e: int) -> tuple[int, int] | None:
    if s >= e:
        return None  # an empty span overlaps nothing
    hits = [t for t, (a, b) in enumerate(zip(starts, ends, strict=True)) if a < e and b > s]
    return (hits[0], hits[-1] + 1) if hits else None


@given(layouts, st.integers(-2, 60), st.integers(-2, 60))
def test_align_matches_brute_force(layout: list[tuple[int, int]], s: int, e: int) -> None:
    starts, ends = _tokens(layout)
    expected = _brute_force(starts, ends, s, e)
    if expected is None:
        with pytest.raises(AlignmentError):
            align_char_span(starts, ends, s, e)
    else:
        assert align_char_span(starts, ends, s, e) == expected


@given(
    st.lists(st.tuples(layouts, st.integers(-2, 40), st.integers(1, 20)), min_size=1, max_size=6)
)
def test_batch_alignment_equals_per_sentence(
    sentences: list[tuple[list[tuple[int, int]], int, int]],
) -> None:
    """Aligning many sentences at once gives what aligning each alone gives."""
    per_sentence = [_tokens(layout) for layout, _, _ in sentences]
    spans, expected, rows = [], [], []
    for row, (layout, s, width) in enumerate(sentences):
        starts, ends = _tokens(layout)
        hit = _brute_force(starts, ends, s, s + width)
        if hit is not None:
            spans.append((s, s + width))
            expected.append(hit)
            rows.append(row)
    if not spans:
        return
    offsets = np.cumsum([0] + [len(starts) for starts, _ in per_sentence])
    got = align_spans(
        np.concatenate([np.array(s, dtype=np.int64) for s, _ in per_sentence]),
        np.concatenate([np.array(e, dtype=np.int64) for _, e in per_sentence]),
        offsets,
        np.array(rows),
        np.array(spans),
    )
    assert [tuple(pair) for pair in got.tolist()] == expected


_NLP = spacy.blank("en")


@settings(max_examples=50, deadline=None)
@given(
    st.text(alphabet="ab AB.,'-$1\n", min_size=1, max_size=40),
    st.integers(0, 40),
    st.integers(0, 40),
)
def test_spacy_token_spans_map_to_themselves(text: str, i: int, j: int) -> None:
    """The characters of spaCy tokens i..j align back to exactly tokens i..j."""
    doc = _NLP(text)
    if not len(doc):
        return
    i, j = sorted((i % len(doc), j % len(doc)))
    starts = [t.idx for t in doc]
    ends = [t.idx + len(t) for t in doc]
    assert align_char_span(starts, ends, starts[i], ends[j]) == (i, j + 1)
