"""Preprocess candidates: each distinct sentence once through spaCy, cached, spans aligned."""

from __future__ import annotations

import warnings
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.language import Language

from babble.preprocess.align import align_candidates, align_char_span, source_token_chars
from babble.preprocess.cache import entry_path, load_table, save_table
from babble.preprocess.columns import SentenceView, TokenTable
from babble.preprocess.extract import DEFAULT_BATCH_SIZE, preprocess_texts
from babble.preprocess.pipeline import (
    DEFAULT_EXCLUDE,
    DEFAULT_PIPELINE,
    PipelineSpec,
    describe_pipeline,
    load_pipeline,
)
from babble.types import Candidate


@dataclass(frozen=True, eq=False)
class PreprocessedCandidates:
    """Candidates with the spaCy token columns of their sentences and their spans in tokens.

    Attributes
    ----------
    candidates
        The candidates, in the order given.
    table
        Token columns of the distinct sentences.
    sentence
        int32 ``(n_candidates,)``: the table sentence of each candidate.
    spans
        int32 ``(n_candidates, 2, 2)``: spaCy-token ``[start, end)`` (sentence-relative) of
        ``candidate.spans[0]`` and ``[1]``; ``NO_SPAN`` (-1) where the candidate has fewer spans.
    """

    candidates: tuple[Candidate, ...]
    table: TokenTable
    sentence: np.ndarray
    spans: np.ndarray

    def __len__(self) -> int:
        return len(self.candidates)

    def view(self, j: int) -> SentenceView:
        """The tokens of candidate ``j``'s sentence as plain Python values."""
        return self.table.view(int(self.sentence[j]))

    def token_span(self, j: int, role: str) -> tuple[int, int]:
        """Token ``[start, end)`` of candidate ``j``'s span with this role; ``KeyError`` if none."""
        roles = self.candidates[j].roles
        if role not in roles:
            raise KeyError(
                f"candidate {self.candidates[j].id!r} has no {role!r} span (has {roles})"
            )
        start, end = self.spans[j, roles.index(role)].tolist()
        return start, end

    def align(self, j: int, start: int, end: int, *, unit: str = "char") -> tuple[int, int]:
        """Token ``[start, end)`` of a span of candidate ``j``'s sentence.

        ``unit="char"``: ``start, end`` are character offsets; ``unit="source_token"``: indices
        into ``candidate.tokens`` (the dataset's own tokens). Raises
        :class:`~babble.errors.AlignmentError` when the span overlaps no token.
        """
        candidate = self.candidates[j]
        if unit == "source_token":
            start, end = source_token_chars(candidate, start, end)
        elif unit != "char":
            raise ValueError(f"unit must be 'char' or 'source_token', got {unit!r}")
        rows = self.table.rows(int(self.sentence[j]))
        return align_char_span(
            self.table.start[rows],
            self.table.end[rows],
            start,
            end,
            what=f"candidate {candidate.id!r}, span {candidate.text[start:end]!r}",
        )


def preprocess(
    candidates: Iterable[Candidate],
    *,
    pipeline: PipelineSpec = DEFAULT_PIPELINE,
    exclude: Collection[str] = DEFAULT_EXCLUDE,
    cache_dir: str | Path | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    progress: bool = True,
) -> PreprocessedCandidates:
    """Run spaCy once over the distinct sentences of ``candidates``, cached, and align their spans.

    The table of the distinct sentences (in order of first appearance) is looked up in the
    cache under a key of the sentences and the pipeline identity; on a miss the pipeline is
    loaded, run and the table written (atomically). A hit loads neither spaCy weights nor data:
    the columns are memory-mapped.

    Parameters
    ----------
    candidates
        The candidates; many may share a sentence.
    pipeline
        A spaCy pipeline package name, folder, ``"blank:<lang>"``, or a loaded ``Language``
        (then ``exclude`` does not apply, and its identity is its name, version and components:
        a modified pipeline must be renamed or versioned to avoid stale cache hits).
    exclude
        Components not to run (see :mod:`babble.preprocess.pipeline`): by default the parser.
    cache_dir
        Cache root; default ``$BABBLE_CACHE``, else ``~/.cache/babble``.
    batch_size, n_process
        Passed to ``nlp.pipe``.
    progress
        Show a progress bar when spaCy runs for more than a couple of seconds.

    Raises
    ------
    PipelineNotFoundError
        The pipeline is not installed (the message says what to install).
    AlignmentError
        A candidate span covers no spaCy token.
    CacheError
        The cache entry is damaged (the message names the folder to delete). A cache that
        cannot be written (read-only, disk full) only warns.

    Examples
    --------
    >>> import tempfile
    >>> from babble.types import EntitySpan
    >>> s = "Ann married Bob."
    >>> c = Candidate("c1", "d1", s, (), (EntitySpan("subject", "PERSON", 0, 3, "Ann"),))
    >>> out = preprocess([c, c], pipeline="blank:en", cache_dir=tempfile.mkdtemp(), progress=False)
    >>> out.table.n_sentences, out.view(0).text, out.token_span(0, "subject")
    (1, ('Ann', 'married', 'Bob', '.'), (0, 1))
    """
    candidates = tuple(candidates)
    index: dict[str, int] = {}
    sentence = np.fromiter(
        (index.setdefault(c.text, len(index)) for c in candidates), np.int32, len(candidates)
    )
    sentences = tuple(index)
    entry = entry_path(sentences, describe_pipeline(pipeline, exclude), cache_dir)
    if entry.is_dir():
        table = load_table(entry, sentences)
    else:
        nlp = (
            pipeline if isinstance(pipeline, Language) else load_pipeline(pipeline, exclude=exclude)
        )
        table = preprocess_texts(
            sentences, nlp, batch_size=batch_size, n_process=n_process, progress=progress
        )
        try:
            save_table(table, entry)
        except OSError as exc:  # a read-only or full disk should not cost the work just done
            warnings.warn(
                f"could not write the preprocessing cache entry {entry} ({exc}); "
                f"continuing without caching",
                stacklevel=2,
            )
    spans = align_candidates(table.start, table.end, table.offsets, candidates, sentence)
    return PreprocessedCandidates(candidates, table, sentence, spans)
