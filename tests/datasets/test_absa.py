"""SemEval-2014 ABSA restaurants: the shared copy (exact counts, spans, explanation joins) and
every validation error on small files."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from babble.datasets import load_dataset
from babble.datasets.absa import EXPLANATIONS_FILE, load
from babble.errors import DataFormatError, DataNotFoundError
from babble.types import Dataset

TOY = (
    "The $T$ -LRB- sushi -RRB- was great .\nfood\n1\n"
    "The food -LRB- $T$ -RRB- was great .\nsushi\n0\n"
    "But the $T$ was so horrible to us .\nstaff\n-1\n"
    "The $T$ was ok .\nwine\n0\n"
    "The $T$ was ok .\nwine\n0\n"
)


def _folder(tmp_path: Path, train: str, explanations: Any = None) -> Path:
    """A dataset folder with ``train`` as the training file and one valid test example."""
    (tmp_path / "Restaurants_Train.xml.seg").write_bytes(train.encode("utf-8", "surrogateescape"))
    (tmp_path / "Restaurants_Test_Gold.xml.seg").write_text("$T$ rocks .\nPizza\n1\n")
    if explanations is not None:
        (tmp_path / EXPLANATIONS_FILE).write_text(json.dumps(explanations), encoding="utf-8")
    return tmp_path


def _exp(sent: str, term: str = "staff", label: Any = -1, **changes: Any) -> dict[str, Any]:
    obj = {"term": term, "exp": "'horrible' follows $T$", "sent": sent, "label": label}
    obj.update(changes)
    return {k: v for k, v in obj.items() if v is not None}


# --- the shared copy ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def absa(shared_data: Path) -> Dataset:
    return load(shared_data / "absa_semeval2014")


def test_shared_counts(absa: Dataset) -> None:
    assert {split: len(c) for split, c in absa.splits.items()} == {"train": 3608, "test": 1120}
    assert absa.label_space.labels == ("negative", "neutral", "positive")
    assert absa.task == "aspect" and absa.metric == "accuracy"
    names = absa.label_space.labels
    assert Counter(names[c.label or 0] for c in absa.candidates("train")) == {
        "positive": 2164,
        "negative": 807,
        "neutral": 637,
    }
    assert Counter(names[c.label or 0] for c in absa.candidates("test")) == {
        "positive": 728,
        "negative": 196,
        "neutral": 196,
    }
    assert len({c.doc_id for c in absa.candidates("train")}) == 2009
    assert absa.skipped == ()


def test_shared_spans_are_the_terms(absa: Dataset, shared_data: Path) -> None:
    for split, name in (
        ("train", "Restaurants_Train.xml.seg"),
        ("test", "Restaurants_Test_Gold.xml.seg"),
    ):
        lines = (shared_data / "absa_semeval2014" / name).read_text(encoding="utf-8").splitlines()
        candidates = absa.candidates(split)
        assert [c.span("target").text for c in candidates] == lines[1::3]
        for c in candidates:
            assert c.roles == ("target",) and c.spans[0].type == "ASPECT"
            assert "$T$" not in c.text and "-LRB-" not in c.text
            assert c.spans[0].start in {t.start for t in c.tokens}
    first = absa.candidates("train")[0]
    assert (first.id, first.doc_id, first.text) == (
        "absa-train-1",
        "train-sentence-1",
        "But the staff was so horrible to us .",
    )


def test_shared_explanations(absa: Dataset) -> None:
    assert len(absa.explanations) == len(absa.joins) == 75
    assert sum(j.joined for j in absa.joins) == 74
    (missed,) = [j for j in absa.joins if not j.joined]
    assert missed.explanation.name == "absa-exp-12"
    assert missed.reason.startswith("no training sentence matches")
    train = {c.id: c for c in absa.candidates("train")}
    for j in absa.joins:
        if j.joined:
            candidate = train[j.explanation.candidate_id or ""]
            assert absa.label_space.name(candidate.label or 0) == j.explanation.label
    assert Counter(e.label for e in absa.explanations) == {"positive": 55, "negative": 20}
    # "(including the best $T$ I've ever had)" vs "-LRB- including the best $T$ I 've ever had"
    assert absa.explanations[6].candidate_id == "absa-train-2326"


def test_shared_load_dataset_default_path(
    shared_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BABBLE_DATA", str(shared_data))
    assert len(load_dataset("absa").candidates("test")) == 1120


# --- small files -------------------------------------------------------------------------------


def test_toy_file(tmp_path: Path) -> None:
    data = load(_folder(tmp_path, TOY.replace("\n", "\r\n") + "\n\n"))
    first, second = data.candidates("train")[:2]
    assert first.text == second.text == "The food ( sushi ) was great ."
    assert first.doc_id == second.doc_id == "train-sentence-1"
    assert (first.span("target").text, second.span("target").text) == ("food", "sushi")
    assert [t.text for t in first.tokens][:4] == ["The", "food", "(", "sushi"]
    assert [c.label for c in data.candidates("train")] == [2, 1, 0, 1, 1]
    assert data.candidates("test")[0].text == "Pizza rocks ."


def test_toy_explanation_joins(tmp_path: Path) -> None:
    explanations = [
        _exp("But the $T$ was so horrible to us."),  # untokenised, as NExT writes them
        _exp("The food ($T$) was great.", term="Sushi", label="0"),
        _exp("The $T$ (sushi) was great.", term="food", label=-1),
        _exp("The $T$ was ok.", term="wine", label=0),
        _exp("The $T$ was awful.", label=-1),
        _exp("No term here.", label=1),
    ]
    data = load(_folder(tmp_path, TOY, explanations))
    joins = data.joins
    assert joins[0].joined and joins[0].explanation.candidate_id == "absa-train-3"
    assert joins[1].joined and joins[1].explanation.candidate_id == "absa-train-2"
    assert joins[1].explanation.label == "neutral"
    assert not joins[2].joined and "labelled 'positive', not 'negative'" in joins[2].reason
    assert not joins[3].joined and "absa-train-4, absa-train-5" in joins[3].reason
    assert not joins[4].joined and joins[4].reason.startswith("no training sentence matches")
    assert not joins[5].joined and "should hold $T$ once" in joins[5].reason


ONE = "The $T$ was ok .\nwine\n0\n"


@pytest.mark.parametrize(
    ("train", "line", "fragment"),
    [
        (ONE + "The wine was ok .\nwine\n0\n", 4, "expected a sentence with $T$ once"),
        (ONE + "$T$ and $T$\nwine\n0\n", 4, "found it 2 times"),
        (ONE + "The $T$ was ok .\n \n0\n", 5, "expected the aspect term, got an empty line"),
        (ONE + "The $T$ was ok .\nwine\npositive\n", 6, "expected the polarity -1, 0 or 1"),
        (
            ONE + "The $T$ was ok .\nwine\n",
            6,
            "the file ends inside an example; expected the polarity",
        ),
        (ONE + "\n" + ONE, 4, "expected a sentence with $T$ once"),
        (ONE + "The $T$ was \udcff .\nwine\n0\n", 4, "not UTF-8"),
    ],
)
def test_malformed_examples(tmp_path: Path, train: str, line: int, fragment: str) -> None:
    with pytest.raises(DataFormatError) as err:
        load(_folder(tmp_path, train))
    assert f"Restaurants_Train.xml.seg:{line}:" in str(err.value) and err.value.line == line
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("explanations", "fragment"),
    [
        ({"term": "wine"}, "expected a JSON list of"),
        (["wine"], "document [0]: expected an object"),
        ([_exp("The $T$ was ok .", label="great")], "document [0], field 'label': unknown label"),
        ([_exp("The $T$ was ok .", label=1.0)], "field 'label': expected int or str, got float"),
        ([_exp("The $T$ was ok ."), _exp("The $T$ was ok .", term=None)], "[1], field 'term'"),
        ([_exp("The $T$ was ok .", exp="")], "field 'exp': expected some text"),
    ],
)
def test_malformed_explanations(tmp_path: Path, explanations: Any, fragment: str) -> None:
    with pytest.raises(DataFormatError, match=re.escape(fragment)) as err:
        load(_folder(tmp_path, ONE, explanations))
    assert EXPLANATIONS_FILE in str(err.value)


def test_missing_split_file(tmp_path: Path) -> None:
    _folder(tmp_path, ONE)
    (tmp_path / "Restaurants_Train.xml.seg").unlink()
    with pytest.raises(DataNotFoundError, match="ABSA train file not found"):
        load(tmp_path)
