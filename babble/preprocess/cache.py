"""The on-disk cache of token tables: one folder per (sentences, pipeline), memory-mapped on load.

An entry ``<cache root>/preprocess/<key>/`` holds one ``.npy`` file per column (read back with
``np.load(mmap_mode="r")``, so loading costs almost nothing until the columns are used) and
``meta.json`` with the string table, the sentences, the pipeline identity and the format version.
The key hashes the format version, the spaCy version, the pipeline identity and the sentences, so
any change in them makes a new entry; nothing is ever pickled.

Entries are written with :func:`babble._io.atomic_directory`: an interrupted run leaves no entry
rather than half of one. An entry that is unreadable anyway (edited or damaged on disk) raises
:class:`~babble.errors.CacheError` naming the folder to delete, rather than being rebuilt
silently: damage there usually means something else is wrong with the disk or the folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from spacy.about import __version__ as SPACY_VERSION

from babble._io import atomic_directory, cache_root
from babble.errors import CacheError
from babble.preprocess.columns import COLUMN_DTYPES, TokenTable

FORMAT_VERSION = 1
"""Bumped whenever the entry layout or the column semantics change."""

STAGE = "preprocess"
"""Subfolder of the cache root that holds preprocessing entries."""

_META = "meta.json"


def entry_path(
    sentences: Sequence[str], pipeline: str, cache_dir: str | Path | None = None
) -> Path:
    """The cache folder for these sentences under this pipeline identity.

    ``cache_dir`` overrides the cache root (see :func:`babble._io.cache_root`).

    Examples
    --------
    >>> entry_path(["A cat."], "en_x-1.0[tagger]", "/tmp/c").parent.as_posix()
    '/tmp/c/preprocess'
    """
    key = json.dumps([FORMAT_VERSION, SPACY_VERSION, pipeline, list(sentences)])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    return cache_root(cache_dir) / STAGE / digest


def save_table(table: TokenTable, entry: Path) -> None:
    """Write ``table`` to the cache folder ``entry`` atomically (an existing entry is kept)."""
    with atomic_directory(entry) as tmp:
        for name in (*COLUMN_DTYPES, "offsets"):
            np.save(tmp / f"{name}.npy", getattr(table, name), allow_pickle=False)
        meta = {
            "format": FORMAT_VERSION,
            "spacy": SPACY_VERSION,
            "pipeline": table.pipeline,
            "n_tokens": table.n_tokens,
            "strings": table.strings,
            "sentences": table.sentences,
        }
        (tmp / _META).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def load_table(entry: Path, sentences: Sequence[str] | None = None) -> TokenTable:
    """Read the table cached in ``entry``, columns memory-mapped (read-only).

    When ``sentences`` is given, the entry must hold exactly these sentences.

    Raises
    ------
    CacheError
        The entry is missing files, damaged, of another format, or holds other sentences.
    """
    try:
        meta = json.loads((entry / _META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"format {meta.get('format')!r}, expected {FORMAT_VERSION}")
        columns = {
            name: np.load(entry / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in (*COLUMN_DTYPES, "offsets")
        }
        table = TokenTable(
            strings=tuple(meta["strings"]),
            **columns,
            sentences=tuple(meta["sentences"]),
            pipeline=meta["pipeline"],
        )
        if sentences is not None and table.sentences != tuple(sentences):
            raise ValueError("it holds other sentences than its key says")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CacheError(
            f"preprocessing cache entry {entry} is unreadable ({type(exc).__name__}: {exc}); "
            f"delete that folder and run again to rebuild it"
        ) from exc
    return table
