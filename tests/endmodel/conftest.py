"""A tiny randomly initialised BERT (built in a temp folder, no download) and toy candidates."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from babble.types import Candidate, EntitySpan, LabelSpace, Token

WORDS = "ann bob cy dee married met wife of saw and the is . , likes husband".split()
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PEOPLE = ("Ann", "Bob", "Cy", "Dee")
POSITIVE = ("married", "is the wife of", "is the husband of")
NEGATIVE = ("met", "saw", "likes")
SPACE = LabelSpace(("not_spouse", "spouse"), entity_types={"subject": "PERSON", "object": "PERSON"})


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer, 32-wide BERT with a 21-word vocabulary, saved with its tokenizer."""
    from transformers import BertConfig, BertModel, BertTokenizer

    folder = tmp_path_factory.mktemp("tiny-bert")
    vocab = {w: i for i, w in enumerate(SPECIALS + WORDS)}
    tokenizer = BertTokenizer(vocab=vocab)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def relation(cid: str, left: str, verb: str, right: str, label: int | None) -> Candidate:
    """``"<left> <verb> <right> ."`` with the two names as subject and object."""
    text = f"{left} {verb} {right} ."
    tokens, pos = [], 0
    for word in text.split():
        start = text.index(word, pos)
        tokens.append(Token(word, start, start + len(word)))
        pos = start + len(word)
    obj_start = len(left) + len(verb) + 2
    spans = (
        EntitySpan("subject", "PERSON", 0, len(left), left),
        EntitySpan("object", "PERSON", obj_start, obj_start + len(right), right),
    )
    return Candidate(cid, cid, text, tuple(tokens), spans, label)


def toy_pool() -> list[Candidate]:
    """Every ordered pair of people with every verb phrase: 12 x 6 = 72 candidates."""
    out = []
    for i, ((a, b), verb) in enumerate(
        itertools.product(itertools.permutations(PEOPLE, 2), POSITIVE + NEGATIVE)
    ):
        out.append(relation(f"c{i}", a, verb, b, int(verb in POSITIVE)))
    return out


@pytest.fixture()
def pool() -> list[Candidate]:
    """The toy relation pool with gold labels."""
    return toy_pool()


@pytest.fixture()
def soft(pool: list[Candidate]) -> np.ndarray:
    """Confident but soft labels agreeing with gold: 0.9 on the gold class."""
    gold = np.array([c.label for c in pool])
    probs = np.full((len(pool), 2), 0.1)
    probs[np.arange(len(pool)), gold] = 0.9
    return probs
