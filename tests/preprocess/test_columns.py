"""TokenTable: validation, views, string ids, and joining partitions."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import spacy

from babble.preprocess import (
    EMPTY_ID,
    TokenFlag,
    TokenTable,
    concat_tables,
    preprocess_texts,
)

TEXTS = ["Ann met Bob.", "", "It costs $5!", "Ann left."]


@pytest.fixture(scope="module")
def table() -> TokenTable:
    return preprocess_texts(TEXTS, spacy.blank("en"))


def test_table_layout(table: TokenTable) -> None:
    assert table.n_sentences == 4
    assert table.offsets.tolist() == [0, 4, 4, 9, 12]
    assert table.strings[EMPTY_ID] == ""
    assert table.pipeline == "en_pipeline-0.0.0[]"
    assert table.view(1).text == ()
    assert not table.text.flags.writeable and not table.offsets.flags.writeable
    view = table.view(2)
    assert view.sentence == "It costs $5!"
    assert view.text == ("It", "costs", "$", "5", "!")
    assert view.lower[0] == "it"
    assert (view.start, view.end) == ((0, 3, 9, 10, 11), (2, 8, 10, 11, 12))
    assert view.has(2, TokenFlag.IS_CURRENCY)
    assert view.has(3, TokenFlag.LIKE_NUM) and view.has(3, TokenFlag.IS_DIGIT)
    assert view.has(4, TokenFlag.IS_PUNCT)
    assert view.has(0, TokenFlag.IS_TITLE) and not view.has(1, TokenFlag.IS_TITLE)
    assert set(view.ent_type) == {""}  # no NER in a blank pipeline


def test_string_id(table: TokenTable) -> None:
    ann = table.string_id("Ann")
    assert ann is not None
    assert np.flatnonzero(table.text == ann).tolist() == [0, 9]
    assert table.string_id("nowhere") is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"strings": ("x",)}, "must start with the empty string"),
        ({"offsets": np.array([0, 4, 4, 9], dtype=np.int64)}, "offsets must be int64 of shape"),
        ({"offsets": np.array([0, 5, 4, 9, 12], dtype=np.int64)}, "never decrease"),
        ({"lemma": np.zeros(12, dtype=np.int64)}, "column 'lemma' must be int32"),
        ({"flags": np.zeros(11, dtype=np.uint16)}, r"shape \(12,\)"),
        ({"tag": np.full(12, 10**6, dtype=np.int32)}, "column 'tag' has ids outside"),
    ],
)
def test_invalid_tables_raise(table: TokenTable, change: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(table, **change)  # type: ignore[arg-type]


def test_concat_tables_equals_one_pass(table: TokenTable) -> None:
    nlp = spacy.blank("en")
    parts = [preprocess_texts(TEXTS[:2], nlp), preprocess_texts(TEXTS[2:], nlp)]
    joined = concat_tables(parts)
    assert joined.sentences == table.sentences
    assert joined.offsets.tolist() == table.offsets.tolist()
    assert [joined.view(i) for i in range(4)] == [table.view(i) for i in range(4)]


def test_concat_tables_rejects_mixed_pipelines(table: TokenTable) -> None:
    other = dataclasses.replace(table, pipeline="other")
    with pytest.raises(ValueError, match="different pipelines"):
        concat_tables([table, other])
    with pytest.raises(ValueError, match="at least one"):
        concat_tables([])
