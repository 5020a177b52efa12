"""Map character spans (and source-token spans) onto spaCy tokens: the one place that does it.

A span ``[start, end)`` of characters maps to the tokens that overlap it, i.e. token ``t`` with
``token_start[t] < end`` and ``token_end[t] > start``; those are contiguous because tokens are
ordered and do not overlap. The result is the token range ``[first, last + 1)``, relative to the
sentence. A span that overlaps no token (whitespace only, or outside the sentence) raises
:class:`~babble.errors.AlignmentError`.

Datasets give entity spans as character offsets (SemEval markup, CDR offsets, and Spouse token
indices converted by its loader); a span given in a candidate's own source tokens is converted
with :func:`source_token_chars` first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from babble.errors import AlignmentError
from babble.types import Candidate

NO_SPAN = -1
"""Fill value of :func:`align_candidates` where a candidate has fewer than two spans."""


def align_spans(
    token_start: np.ndarray,
    token_end: np.ndarray,
    offsets: np.ndarray,
    rows: np.ndarray,
    spans: np.ndarray,
    describe: Callable[[int], str] = lambda i: f"span {i}",
) -> np.ndarray:
    """Align many character spans at once, each in its own sentence.

    Parameters
    ----------
    token_start, token_end
        Character offsets of the tokens of all sentences, concatenated; within a sentence tokens
        are in order and do not overlap.
    offsets
        Sentence ``r`` owns tokens ``offsets[r]:offsets[r + 1]``.
    rows
        int, shape ``(n,)``: the sentence of each span.
    spans
        int, shape ``(n, 2)``: character ``[start, end)`` of each span within its sentence.
    describe
        ``describe(i)`` names span ``i`` in the error message.

    Returns
    -------
    numpy.ndarray
        int32, shape ``(n, 2)``: token ``[first, last + 1)`` of each span, sentence-relative.

    Raises
    ------
    AlignmentError
        For the first span that overlaps no token.

    Examples
    --------
    >>> starts, ends = np.array([0, 4, 0, 2]), np.array([3, 7, 1, 5])  # "Ann Bob" and "I am"
    >>> offsets = np.array([0, 2, 4])
    >>> align_spans(starts, ends, offsets, np.array([0, 1]), np.array([[1, 5], [2, 4]])).tolist()
    [[0, 2], [1, 2]]
    """
    rows = np.asarray(rows, dtype=np.int64)
    spans = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    token_start = np.asarray(token_start, dtype=np.int64)
    token_end = np.asarray(token_end, dtype=np.int64)
    offsets = np.asarray(offsets, dtype=np.int64)
    # One sorted key per token, (sentence, offset) packed as sentence * width + offset, turns the
    # per-sentence binary searches into one vectorised searchsorted over all sentences.
    width = 1 + max(
        int(token_end.max(initial=0)), int(spans.max(initial=0)), int(token_start.max(initial=0))
    )
    clipped = np.maximum(spans, -1)  # keeps every key inside its own sentence's band
    token_row = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    lo, hi = offsets[rows], offsets[rows + 1]
    base = rows * width
    # first token ending after start; first token starting at or after end
    first = np.minimum(
        np.searchsorted(token_row * width + token_end, base + clipped[:, 0], "right"), hi
    )
    stop = np.searchsorted(token_row * width + token_start, base + clipped[:, 1], "left")
    stop = np.clip(stop, lo, hi)
    empty = np.flatnonzero((first >= stop) | (spans[:, 0] >= spans[:, 1]))
    if empty.size:
        i = int(empty[0])
        raise AlignmentError(
            f"{describe(i)}: characters [{spans[i, 0]}, {spans[i, 1]}) overlap no token of "
            f"sentence {int(rows[i])}; expected a span covering at least one non-space character"
        )
    return np.stack([first - lo, stop - lo], axis=1).astype(np.int32)


def align_char_span(
    token_start: Sequence[int] | np.ndarray,
    token_end: Sequence[int] | np.ndarray,
    start: int,
    end: int,
    *,
    what: str = "span",
) -> tuple[int, int]:
    """Align one character span ``[start, end)`` onto the tokens of one sentence.

    ``what`` names the span in the error message, e.g. ``"candidate 'c1', subject span"``.

    Examples
    --------
    >>> starts, ends = [0, 4, 8, 11], [3, 7, 11, 12]  # "Ann met Bob."
    >>> align_char_span(starts, ends, 4, 11)
    (1, 3)
    >>> align_char_span(starts, ends, 5, 6)  # inside one token
    (1, 2)
    """
    n = len(token_start)
    aligned = align_spans(
        np.asarray(token_start),
        np.asarray(token_end),
        np.array([0, n]),
        np.zeros(1, np.int64),
        np.array([[start, end]]),
        lambda _: what,
    )
    return int(aligned[0, 0]), int(aligned[0, 1])


def source_token_chars(candidate: Candidate, token_start: int, token_end: int) -> tuple[int, int]:
    """Character ``[start, end)`` covered by ``candidate.tokens[token_start:token_end]``.

    Raises :class:`AlignmentError` when the token range is empty or outside the candidate.

    Examples
    --------
    >>> from babble.types import Token
    >>> c = Candidate("c1", "d1", "Ann met Bob", (Token("Ann", 0, 3), Token("met", 4, 7),
    ...               Token("Bob", 8, 11)))
    >>> source_token_chars(c, 1, 3)
    (4, 11)
    """
    if not 0 <= token_start < token_end <= len(candidate.tokens):
        raise AlignmentError(
            f"candidate {candidate.id!r}: source tokens [{token_start}, {token_end}) are not a "
            f"non-empty range of its {len(candidate.tokens)} tokens"
        )
    return candidate.tokens[token_start].start, candidate.tokens[token_end - 1].end


def align_candidates(
    token_start: np.ndarray,
    token_end: np.ndarray,
    offsets: np.ndarray,
    candidates: Sequence[Candidate],
    rows: np.ndarray,
) -> np.ndarray:
    """spaCy token ranges of every candidate's entity spans.

    ``rows[j]`` is the sentence of ``candidates[j]``. Returns int32 of shape ``(n, 2, 2)``:
    ``[j, k]`` is the token ``[start, end)`` of ``candidates[j].spans[k]``, :data:`NO_SPAN` where
    the candidate has no ``k``-th span. Raises :class:`AlignmentError` naming the candidate and
    the span.
    """
    out = np.full((len(candidates), 2, 2), NO_SPAN, dtype=np.int32)
    where = [(j, k) for j, c in enumerate(candidates) for k in range(len(c.spans))]
    if not where:
        return out
    slots = np.array(where, dtype=np.int64)
    spans = np.array(
        [(candidates[j].spans[k].start, candidates[j].spans[k].end) for j, k in where],
        dtype=np.int64,
    )

    def describe(i: int) -> str:
        j, k = where[i]
        span = candidates[j].spans[k]
        return f"candidate {candidates[j].id!r}, {span.role} span {span.text!r}"

    out[slots[:, 0], slots[:, 1]] = align_spans(
        token_start, token_end, offsets, np.asarray(rows)[slots[:, 0]], spans, describe
    )
    return out
