"""The Spouse loader: token offsets, person spans, gold mapping, explanations, and bad input."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from babble.datasets import load_dataset
from babble.datasets.spouse import BLANK_PERSON, NOT_PUBLISHED, load
from babble.errors import DataFormatError, DataNotFoundError
from babble.types import Dataset, Token

SENTENCE = "Colbert's wife (Evelyn McGee) wed him in 1993.   "
TOKENS = ["Colbert", "s", "wife", "-LRB-", "Evelyn", "McGee", "-RRB-", "wed", "him", "in", "1993"]
TOKENS += [".", ""]


def _row(cid: str = "dev-0", **changes: Any) -> dict[str, Any]:
    """A valid line for :data:`SENTENCE` (Colbert, Evelyn McGee), with ``changes`` applied."""
    row: dict[str, Any] = {
        "id": cid,
        "sentence": SENTENCE,
        "tokens": TOKENS,
        "person1_word_idx": [0, 0],
        "person2_word_idx": [4, 5],
        "gold": 1,
    }
    row.update(changes)
    return row


def _folder(
    tmp_path: Path,
    dev: list[Any] | None = None,
    test: list[Any] | None = None,
    tsv: str = "dev-0\t1\t'wife' is right before person2\n",
) -> Path:
    """A Spouse folder; a ``str`` row is written verbatim (for syntax errors)."""
    for name, rows in (("dev", dev or [_row()]), ("test", test or [_row("test-0", gold=-1)])):
        lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
        (tmp_path / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "explanations_gradturk.tsv").write_text(tsv, encoding="utf-8")
    return tmp_path


# --- small files -------------------------------------------------------------------------------


def test_offsets_spans_and_labels(tmp_path: Path) -> None:
    rows = [_row(), _row("dev-1", person2_word_idx=[8, 8], gold=0)]
    ds = load(_folder(tmp_path, dev=rows))
    first, second = ds.splits["dev"]
    # The apostrophe the tokeniser dropped is skipped, escapes get their character, "" goes.
    assert first.tokens[:5] == (
        Token("Colbert", 0, 7),
        Token("s", 8, 9),
        Token("wife", 10, 14),
        Token("(", 15, 16),
        Token("Evelyn", 16, 22),
    )
    assert len(first.tokens) == len(TOKENS) - 1
    assert all(SENTENCE[t.start : t.end] == t.text for t in first.tokens)
    assert [(s.role, s.type, s.text) for s in first.spans] == [
        ("subject", "PERSON", "Colbert"),
        ("object", "PERSON", "Evelyn McGee"),
    ]
    assert ds.label_space.labels == ("not_spouse", "spouse")
    assert (first.label, second.label) == (1, 0)
    assert second.metadata["gold"] == 0
    assert first.doc_id == second.doc_id == "dev-sentence-0"
    assert ds.task == "relation" and ds.metric == "f1"
    assert "dev: 1 candidates with gold 0 (unsure) counted as not_spouse" in ds.notes[0]


def test_explanation_joins_when_its_candidate_is_loaded(tmp_path: Path) -> None:
    tsv = "dev-0\t1\t'wife' is right before person2\nabc::span:1:2~~abc::span:5:9\t2\tno\n"
    ds = load(_folder(tmp_path, tsv=tsv))
    joined, unpublished = ds.joins
    assert joined.joined and joined.explanation.candidate_id == "dev-0"
    assert joined.explanation.label == "spouse"
    assert not unpublished.joined and unpublished.reason == NOT_PUBLISHED
    assert unpublished.explanation.candidate_id is None
    assert unpublished.explanation.label == "not_spouse"
    assert unpublished.explanation.name == "spouse-exp-2"
    assert str(unpublished.explanation.source).endswith("explanations_gradturk.tsv:2")


def test_person_on_an_empty_token_is_skipped_and_counted(tmp_path: Path) -> None:
    rows = [_row(), _row("dev-1", person2_word_idx=[12, 12], gold=-1)]
    ds = load(_folder(tmp_path, dev=rows))
    assert [c.id for c in ds.splits["dev"]] == ["dev-0"]
    assert [(s.reason, s.count, s.examples) for s in ds.skipped] == [(BLANK_PERSON, 1, ("dev-1",))]


@pytest.mark.parametrize(
    ("rows", "fragment"),
    [
        ([_row(), '{"id": "dev-1", "sentence": '], "dev.jsonl:2: not valid JSON"),
        ([_row(person2_word_idx=[4, 13])], "field 'person2_word_idx': expected [first, last]"),
        ([_row(person1_word_idx=[3, 2])], "0 <= first <= last < 13 tokens"),
        ([_row(person1_word_idx=[0])], "field 'person1_word_idx'"),
        ([_row(person1_word_idx=None)], "field 'person1_word_idx': expected list, got NoneType"),
        ([_row(tokens=["Colbert", "x"])], "dev.jsonl:1, field 'tokens': token 1 'x' not found"),
        ([_row(tokens=["Colbert", "s", "wife", "s"])], "token 3 's' not found at character 14"),
        ([_row(tokens=["Colbert", 7])], "token 1 is int"),
        ([_row(gold=2)], "field 'gold': expected 1 (spouse), -1 (not) or 0 (unsure), got 2"),
        ([_row(gold="1")], "field 'gold': expected int"),
        ([_row(), _row()], "dev.jsonl:2, field 'id': duplicate candidate id 'dev-0'"),
        ([{"id": "dev-0"}], "field 'sentence': missing field"),
    ],
)
def test_malformed_jsonl(tmp_path: Path, rows: list[Any], fragment: str) -> None:
    with pytest.raises(DataFormatError, match="E101") as err:
        load(_folder(tmp_path, dev=rows))
    assert fragment in str(err.value)


@pytest.mark.parametrize(
    ("tsv", "fragment"),
    [
        ("a\t1\tok\nb\t1\n", "explanations_gradturk.tsv:2: expected 3 tab-separated fields"),
        ("a\t1\tok\tmore\n", "tsv:1: expected 3 tab-separated fields (candidate id, label 1 or"),
        ("a\t3\tok\n", "tsv:1, field 'label': expected 1 (spouse) or 2 (not spouse), got '3'"),
        ("a\t-1\tok\n", "field 'label'"),
        ("a\t1\t \n", "tsv:1, field 'explanation': is empty"),
        ("\t1\tok\n", "tsv:1, field 'candidate id': is empty"),
    ],
)
def test_malformed_explanations(tmp_path: Path, tsv: str, fragment: str) -> None:
    with pytest.raises(DataFormatError) as err:
        load(_folder(tmp_path, tsv=tsv))
    assert fragment in str(err.value)


def test_missing_file_says_which(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "test.jsonl").unlink()
    with pytest.raises(DataNotFoundError, match=r"Spouse test split \(test.jsonl\) not found"):
        load(folder)


# --- the shared data ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def spouse(shared_data: Path) -> Dataset:
    return load_dataset("spouse", shared_data / "spouse")


def test_shared_counts_and_gold(spouse: Dataset) -> None:
    # dev.jsonl has 2,811 lines and test.jsonl 2,701; 34 + 11 have a blank person.
    assert {k: len(v) for k, v in spouse.splits.items()} == {"dev": 2776, "test": 2691}
    assert [(s.count, s.examples[:2]) for s in spouse.skipped] == [(45, ("dev-48", "dev-252"))]
    raw = {k: Counter(c.metadata["gold"] for c in v) for k, v in spouse.splits.items()}
    assert raw == {
        "dev": Counter({-1: 2483, 1: 190, 0: 103}),
        "test": Counter({-1: 2388, 1: 218, 0: 85}),
    }
    assert Counter(spouse.gold("dev").tolist()) == Counter({0: 2586, 1: 190})
    assert Counter(spouse.gold("test").tolist()) == Counter({0: 2473, 1: 218})
    assert len({c.doc_id for c in spouse.candidates()}) == 1087 + 1070


def test_shared_spans_match_their_tokens(spouse: Dataset) -> None:
    for c in spouse.candidates():
        assert all(c.text[t.start : t.end] == t.text and t.text for t in c.tokens)
        starts = {t.start: i for i, t in enumerate(c.tokens)}
        ends = {t.end: i for i, t in enumerate(c.tokens)}
        for span in c.spans:
            first, last = starts[span.start], ends[span.end]
            covered = c.tokens[first : last + 1]
            # Only whitespace and dropped apostrophes lie between the tokens of a span.
            joined = "".join(t.text for t in covered).replace("'", "")
            assert "".join(span.text.split()).replace("'", "") == joined
    dev3 = spouse.candidates("dev")[3]
    assert (dev3.span("subject").text, dev3.span("object").text) == ("Colbert", "Donald Trump")


def test_shared_explanations(spouse: Dataset) -> None:
    assert len(spouse.explanations) == len(spouse.joins) == 200
    assert Counter(e.label for e in spouse.explanations) == {"spouse": 107, "not_spouse": 93}
    assert {(j.joined, j.reason) for j in spouse.joins} == {(False, NOT_PUBLISHED)}
    assert spouse.explanations[0].text == '"his wife" occurs between person1 and person2'
    aliases = spouse.label_space.entity_aliases
    assert (aliases["person1"], aliases["person2"]) == ("subject", "object")
