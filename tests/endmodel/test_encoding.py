"""Encoding candidates: special tokens, marker positions, cutting long sentences around entities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from toydata import relation

from babble.datasets._common import simple_tokenize
from babble.endmodel.data import CandidateDataset, CandidateEncoder, collate
from babble.endmodel.markers import EntityMarkers
from babble.errors import ConfigError
from babble.types import Candidate

FILLER = " ".join(["the"] * 40)


def _encoder(tiny_model: Path, candidates: list[Candidate], max_length: int) -> CandidateEncoder:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    markers = EntityMarkers.from_candidates(candidates)
    tokenizer.add_tokens(list(markers.tokens()), special_tokens=True)
    return CandidateEncoder(tokenizer, markers, max_length)


def _tokens(encoder: CandidateEncoder, ids: tuple[int, ...]) -> list[Any]:
    return list(encoder.tokenizer.convert_ids_to_tokens(list(ids)))


def test_short_candidate_gets_special_tokens_and_marker_positions(tiny_model: Path) -> None:
    cand = relation("c", "Ann", "married", "Bob", 1)
    encoder = _encoder(tiny_model, [cand], 32)
    (enc,) = encoder.encode([cand])
    tokens = _tokens(encoder, enc.input_ids)
    assert tokens[0] == "[CLS]" and tokens[-1] == "[SEP]"
    assert [tokens[i] for i in enc.marker_positions] == ["<subj:PERSON>", "<obj:PERSON>"]
    assert "ann" in tokens and "married" in tokens


@pytest.mark.parametrize("left_filler", [True, False])
def test_long_sentence_is_cut_around_the_entities(tiny_model: Path, left_filler: bool) -> None:
    filler = {"before": FILLER + " "} if left_filler else {"after": " " + FILLER}
    cand = relation("c", "Ann", "married", "Bob", 1, **filler)
    encoder = _encoder(tiny_model, [cand], 16)
    (enc,) = encoder.encode([cand])
    tokens = _tokens(encoder, enc.input_ids)
    assert len(enc.input_ids) == 16
    assert [tokens[i] for i in enc.marker_positions] == ["<subj:PERSON>", "<obj:PERSON>"]
    assert {"</subj:PERSON>", "</obj:PERSON>", "married"} <= set(tokens)


def test_far_apart_entities_each_keep_a_window(tiny_model: Path) -> None:
    cand = relation("c", "Ann", f"met {FILLER}", "Bob", 0)
    encoder = _encoder(tiny_model, [cand], 20)
    (enc,) = encoder.encode([cand])
    tokens = _tokens(encoder, enc.input_ids)
    assert len(enc.input_ids) <= 20
    assert [tokens[i] for i in enc.marker_positions] == ["<subj:PERSON>", "<obj:PERSON>"]


def test_text_classification_is_cut_at_the_end(tiny_model: Path) -> None:
    text = f"ann met bob {FILLER}"
    cand = Candidate("t", "d", text, simple_tokenize(text))
    encoder = _encoder(tiny_model, [cand], 10)
    (enc,) = encoder.encode([cand])
    assert _tokens(encoder, enc.input_ids)[:4] == ["[CLS]", "ann", "met", "bob"]
    assert len(enc.input_ids) == 10 and enc.marker_positions == ()


def test_too_small_max_length_is_an_error(tiny_model: Path) -> None:
    with pytest.raises(ConfigError, match="use a larger max_length"):
        _encoder(tiny_model, [relation("c", "Ann", "met", "Bob", 0)], 4)


def test_collate_pads_to_the_longest(tiny_model: Path) -> None:
    cands = [
        relation("a", "Ann", "met", "Bob", 0),
        relation("b", "Ann", "is the wife of", "Bob", 1),
    ]
    encoder = _encoder(tiny_model, cands, 32)
    data = CandidateDataset(encoder.encode(cands))
    batch = collate([data[0], data[1]], pad_id=0)
    longest = max(len(e.input_ids) for e in data.encodings)
    assert batch["input_ids"].shape == (2, longest)
    assert batch["attention_mask"].sum(dim=1).tolist() == [len(e.input_ids) for e in data.encodings]
    assert batch["marker_positions"].shape == (2, 2)
    assert data.by_length() == [1, 0]
