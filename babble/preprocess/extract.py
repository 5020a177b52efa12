"""Run spaCy over texts and keep its token attributes as a :class:`TokenTable`.

Attributes are read with ``Doc.to_array`` (one C call per sentence) and spaCy's string hashes are
mapped to table ids once, over all tokens, so extraction costs a few percent of ``nlp.pipe``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy import attrs
from spacy.language import Language
from tqdm import tqdm

from babble.preprocess.columns import (
    EMPTY_ID,
    ID_COLUMNS,
    IOB_BEGIN,
    IOB_INSIDE,
    IOB_OUTSIDE,
    TokenFlag,
    TokenTable,
)
from babble.preprocess.pipeline import pipeline_id

DEFAULT_BATCH_SIZE = 256
"""Sentences per ``nlp.pipe`` batch: fastest of 64/256/1000 on SemEval and Spouse sentences."""

PROGRESS_DELAY_S = 2.0
"""A progress bar appears only once a run has taken this long, so short runs stay quiet."""

# ORTH..ENT_TYPE hold string hashes (POS holds a spaCy symbol id, which the string store also
# resolves); in this order they fill ID_COLUMNS.
_ID_ATTRS = (attrs.ORTH, attrs.LOWER, attrs.LEMMA, attrs.POS, attrs.TAG, attrs.ENT_TYPE)
_ATTRS = [*_ID_ATTRS, attrs.ENT_IOB, attrs.IDX, attrs.LENGTH]
_ATTRS += [getattr(attrs, str(flag.name)) for flag in TokenFlag]
_IOB_COL, _IDX_COL, _LENGTH_COL = len(_ID_ATTRS), len(_ID_ATTRS) + 1, len(_ID_ATTRS) + 2
_FLAG_COLS = slice(_LENGTH_COL + 1, None)
_FLAG_VALUES = np.array([flag.value for flag in TokenFlag], dtype=np.uint64)
# spaCy's ENT_IOB codes: 0 unset, 1 inside, 2 outside, 3 begin.
_IOB_FROM_SPACY = np.array([IOB_OUTSIDE, IOB_INSIDE, IOB_OUTSIDE, IOB_BEGIN], dtype=np.int8)


def preprocess_texts(
    texts: Iterable[str],
    nlp: Language,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    n_process: int = 1,
    progress: bool = False,
) -> TokenTable:
    """Run ``nlp`` over ``texts`` (one table row range per text, in order) and keep the columns.

    A pure function of its inputs, with no global state, so partitions of a corpus can run in
    separate workers (e.g. Dask) and be joined with :func:`~babble.preprocess.concat_tables`.
    It does not remove duplicate texts; :func:`~babble.preprocess.preprocess` does.

    Parameters
    ----------
    texts
        The sentences.
    nlp
        A loaded pipeline, e.g. from :func:`~babble.preprocess.load_pipeline`.
    batch_size, n_process
        Passed to ``nlp.pipe``.
    progress
        Show a progress bar (on stderr) once the run has taken :data:`PROGRESS_DELAY_S`.

    Examples
    --------
    >>> import spacy
    >>> table = preprocess_texts(["Hi there."], spacy.blank("en"))
    >>> table.view(0).text, table.view(0).end
    (('Hi', 'there', '.'), (2, 8, 9))
    """
    texts = tuple(texts)
    docs = nlp.pipe(texts, batch_size=batch_size, n_process=n_process)
    bar = tqdm(
        docs,
        total=len(texts),
        disable=not progress,
        delay=PROGRESS_DELAY_S,
        unit="sent",
        desc="spaCy",
        dynamic_ncols=True,
    )
    per_doc = [doc.to_array(_ATTRS) for doc in bar]
    data = np.concatenate(per_doc) if per_doc else np.zeros((0, len(_ATTRS)), dtype=np.uint64)
    strings, ids = _intern(data[:, : len(_ID_ATTRS)].T, nlp)
    start = data[:, _IDX_COL].astype(np.int32)
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum([len(a) for a in per_doc], out=offsets[1:])
    return TokenTable(
        strings=strings,
        **dict(zip(ID_COLUMNS, ids, strict=True)),
        ent_iob=_IOB_FROM_SPACY[data[:, _IOB_COL]],
        flags=(data[:, _FLAG_COLS] * _FLAG_VALUES).sum(axis=1).astype(np.uint16),
        start=start,
        end=start + data[:, _LENGTH_COL].astype(np.int32),
        offsets=offsets,
        sentences=texts,
        pipeline=pipeline_id(nlp),
    )


def _intern(hashes: np.ndarray, nlp: Language) -> tuple[tuple[str, ...], np.ndarray]:
    """Map spaCy string hashes (any shape) to ids into a new string table that starts with ``""``.

    Each distinct hash is looked up once; distinct hashes naming the same string share an id.
    """
    unique, inverse = np.unique(hashes.ravel(), return_inverse=True)
    index = {"": EMPTY_ID}
    remap = np.array(
        [index.setdefault(nlp.vocab.strings[int(h)], len(index)) for h in unique.tolist()],
        dtype=np.int32,
    )
    return tuple(index), remap[inverse].reshape(hashes.shape)
