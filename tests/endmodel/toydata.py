"""Toy data for the end model tests: a tiny BERT built in a folder and a spouse-like pool."""

from __future__ import annotations

import itertools
from pathlib import Path

from babble.types import Candidate, EntitySpan, LabelSpace, Token

WORDS = [
    *("ann", "bob", "cy", "dee", "married", "met", "wife", "of", "saw", "and", "the", "is"),
    *(".", ",", "likes", "husband"),
]
SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PEOPLE = ("Ann", "Bob", "Cy", "Dee")
POSITIVE = ("married", "is the wife of", "is the husband of")
NEGATIVE = ("met", "saw", "likes")
SPACE = LabelSpace(("not_spouse", "spouse"), entity_types={"subject": "PERSON", "object": "PERSON"})


def build_tiny_bert(folder: Path) -> Path:
    """Save a randomly initialised 2-layer, 32-wide BERT and its 21-word tokenizer in ``folder``."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    vocab = {w: i for i, w in enumerate(SPECIALS + WORDS)}
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=64,
    )
    torch.manual_seed(0)
    BertModel(config).save_pretrained(folder)
    BertTokenizer(vocab=vocab).save_pretrained(folder)
    return folder


def relation(
    cid: str,
    left: str,
    verb: str,
    right: str,
    label: int | None,
    *,
    before: str = "",
    after: str = "",
) -> Candidate:
    """``"<before><left> <verb> <right><after> ."`` with the two names as subject and object."""
    text = f"{before}{left} {verb} {right}{after} ."
    tokens, pos = [], 0
    for word in text.split():
        start = text.index(word, pos)
        tokens.append(Token(word, start, start + len(word)))
        pos = start + len(word)
    subj_start = len(before)
    obj_start = subj_start + len(left) + len(verb) + 2
    spans = (
        EntitySpan("subject", "PERSON", subj_start, subj_start + len(left), left),
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
