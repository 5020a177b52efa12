"""Preprocessing: spaCy token columns for every distinct sentence, cached on disk.

:func:`preprocess` turns candidates into :class:`PreprocessedCandidates`: one
:class:`TokenTable` (text, lower, lemma, POS, tag, entity type and IOB, lexical
:class:`TokenFlag` bits, character offsets) over the distinct sentences, which sentence each
candidate has, and its entity spans in spaCy tokens. :func:`preprocess_texts` is the pure,
cache-free core for running partitions elsewhere; :func:`concat_tables` joins their results.
"""

from babble.preprocess.align import (
    NO_SPAN,
    align_candidates,
    align_char_span,
    align_spans,
    source_token_chars,
)
from babble.preprocess.cache import FORMAT_VERSION, entry_path, load_table, save_table
from babble.preprocess.columns import (
    COLUMN_DTYPES,
    EMPTY_ID,
    IOB_BEGIN,
    IOB_INSIDE,
    IOB_OUTSIDE,
    SentenceView,
    TokenFlag,
    TokenTable,
    concat_tables,
)
from babble.preprocess.core import PreprocessedCandidates, preprocess
from babble.preprocess.extract import DEFAULT_BATCH_SIZE, preprocess_texts
from babble.preprocess.pipeline import (
    DEFAULT_EXCLUDE,
    DEFAULT_PIPELINE,
    describe_pipeline,
    load_pipeline,
    pipeline_id,
)

__all__ = [
    "COLUMN_DTYPES",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_EXCLUDE",
    "DEFAULT_PIPELINE",
    "EMPTY_ID",
    "FORMAT_VERSION",
    "IOB_BEGIN",
    "IOB_INSIDE",
    "IOB_OUTSIDE",
    "NO_SPAN",
    "PreprocessedCandidates",
    "SentenceView",
    "TokenFlag",
    "TokenTable",
    "align_candidates",
    "align_char_span",
    "align_spans",
    "concat_tables",
    "describe_pipeline",
    "entry_path",
    "load_pipeline",
    "load_table",
    "pipeline_id",
    "preprocess",
    "preprocess_texts",
    "save_table",
    "source_token_chars",
]
