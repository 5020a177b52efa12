"""The token-table cache: round trip, keys, damaged entries, interrupted writes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import spacy

from babble.errors import CacheError
from babble.preprocess import (
    COLUMN_DTYPES,
    TokenTable,
    entry_path,
    load_table,
    preprocess_texts,
    save_table,
)

TEXTS = ("Ann met Bob in Zürich.", "Ann left.", "")


@pytest.fixture
def table() -> TokenTable:
    return preprocess_texts(TEXTS, spacy.blank("en"))


@pytest.fixture
def entry(tmp_path: Path, table: TokenTable) -> Path:
    path = entry_path(table.sentences, table.pipeline, tmp_path)
    save_table(table, path)
    return path


def test_round_trip(table: TokenTable, entry: Path) -> None:
    loaded = load_table(entry, TEXTS)
    assert (loaded.strings, loaded.sentences, loaded.pipeline) == (
        table.strings,
        table.sentences,
        table.pipeline,
    )
    for name in (*COLUMN_DTYPES, "offsets"):
        column = getattr(loaded, name)
        assert isinstance(column, np.memmap) and not column.flags.writeable
        np.testing.assert_array_equal(column, getattr(table, name))
    assert sorted(p.name for p in entry.iterdir()) == sorted(
        [f"{name}.npy" for name in (*COLUMN_DTYPES, "offsets")] + ["meta.json"]
    )


def test_key_depends_on_sentences_and_pipeline(tmp_path: Path) -> None:
    base = entry_path(["a", "b"], "p[x]", tmp_path)
    assert base.parent == tmp_path / "preprocess"
    assert base == entry_path(("a", "b"), "p[x]", tmp_path)
    assert base != entry_path(["b", "a"], "p[x]", tmp_path)
    assert base != entry_path(["a", "b"], "p[x,ner]", tmp_path)
    assert base != entry_path(["ab"], "p[x]", tmp_path)


def _truncate(entry: Path) -> None:
    data = (entry / "lemma.npy").read_bytes()
    (entry / "lemma.npy").write_bytes(data[: len(data) - 4])


def _bad_ids(entry: Path) -> None:
    np.save(entry / "tag.npy", np.full(len(np.load(entry / "tag.npy")), 999, dtype=np.int32))


def _bad_json(entry: Path) -> None:
    (entry / "meta.json").write_text("{", encoding="utf-8")


def _old_format(entry: Path) -> None:
    meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
    (entry / "meta.json").write_text(json.dumps({**meta, "format": 0}), encoding="utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        lambda e: (e / "offsets.npy").unlink(),
        _truncate,
        _bad_ids,
        _bad_json,
        _old_format,
    ],
    ids=["missing-file", "truncated", "bad-ids", "bad-json", "old-format"],
)
def test_damaged_entry_raises_cache_error(entry: Path, damage: Callable[[Path], None]) -> None:
    damage(entry)
    with pytest.raises(CacheError, match=r"\[E203\] preprocessing cache entry .* delete that"):
        load_table(entry, TEXTS)


def test_entry_of_other_sentences_raises(entry: Path) -> None:
    with pytest.raises(CacheError, match="other sentences"):
        load_table(entry, ("something else",))


def test_interrupted_write_leaves_no_entry(
    table: TokenTable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = 0
    real_save = np.save

    def failing_save(*args: object, **kwargs: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        real_save(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(np, "save", failing_save)
    path = entry_path(table.sentences, table.pipeline, tmp_path)
    with pytest.raises(KeyboardInterrupt):
        save_table(table, path)
    assert list(path.parent.iterdir()) == []
