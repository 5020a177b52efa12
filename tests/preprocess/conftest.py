"""Fixtures for preprocessing tests: a tokenizer-only pipeline that counts its calls, candidates."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from babble.types import Candidate, EntitySpan


class CountingPipe:
    """Wraps ``nlp.pipe`` and records every text it is given."""

    def __init__(self, nlp: Language) -> None:
        self.inner = nlp.pipe
        self.texts: list[str] = []

    def __call__(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Doc]:
        texts = list(texts)
        self.texts.extend(texts)
        return self.inner(texts, **kwargs)


@pytest.fixture
def counting_nlp() -> tuple[Language, CountingPipe]:
    """A blank English pipeline (tokenizer only, fast) whose ``pipe`` calls are recorded."""
    nlp = spacy.blank("en")
    counter = CountingPipe(nlp)
    nlp.pipe = counter  # type: ignore[method-assign]
    return nlp, counter


def _relation(cid: str, text: str, subject: str, obj: str) -> Candidate:
    s, o = text.index(subject), text.index(obj)
    return Candidate(
        id=cid,
        doc_id=cid,
        text=text,
        tokens=(),
        spans=(
            EntitySpan("subject", "PERSON", s, s + len(subject), subject),
            EntitySpan("object", "PERSON", o, o + len(obj), obj),
        ),
    )


@pytest.fixture
def relation() -> Callable[[str, str, str, str], Candidate]:
    """``relation(id, text, subject, object)``: a relation candidate whose spans are the first
    occurrences of ``subject`` and ``object`` in ``text``."""
    return _relation
