"""Probabilistic labels: checks, the three file formats, coverage, class weights."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from toydata import SPACE, relation

from babble.endmodel.labels import (
    check_probs,
    class_weights,
    hard_labels,
    one_hot,
    read_probs,
    training_rows,
)
from babble.errors import (
    DataFormatError,
    DataNotFoundError,
    EmptyTrainingSetError,
    ProbabilisticLabelsError,
)
from babble.types import Candidate

POOL = [relation(f"c{i}", "Ann", "met", "Bob", 0) for i in range(3)]


@pytest.mark.parametrize(
    ("probs", "n", "fragment"),
    [
        ([[0.5, 0.4], [0.5, 0.5], [1.0, 0.0]], 3, "row 0 sums to 0.9"),
        ([[0.5, 0.5]] * 2, 3, "2 rows for 3 candidates"),
        ([0.5, 0.5, 0.5], 3, "expected a 2-D array"),
        ([[np.nan, 1.0]] * 3, 3, "NaN, infinite or negative"),
        ([[1.5, -0.5]] * 3, 3, "NaN, infinite or negative"),
        ([[1.0]] * 3, 3, "at least 2 classes"),
        ([["a", "b"]] * 3, 3, "not a numeric array"),
    ],
)
def test_bad_probabilities_are_rejected(probs: object, n: int, fragment: str) -> None:
    with pytest.raises(ProbabilisticLabelsError, match=fragment):
        check_probs(probs, n)


def test_column_count_must_match_the_label_space() -> None:
    with pytest.raises(ProbabilisticLabelsError, match="3 columns, but the label space has 2"):
        check_probs([[0.2, 0.3, 0.5]], 1, 2)


def test_rows_are_renormalised_within_tolerance() -> None:
    out = check_probs([[0.3, 0.7005]], 1)
    assert out.sum() == pytest.approx(1.0)


def test_uncovered_rows_are_left_out_by_default() -> None:
    probs = np.array([[0.2, 0.8], [0.9, 0.1], [0.5, 0.5]])
    covered = np.array([True, True, False])
    cands, rows, space = training_rows(POOL, probs, SPACE, covered)
    assert [c.id for c in cands] == ["c0", "c1"] and rows.shape == (2, 2) and space is SPACE
    cands, rows, space = training_rows(POOL, probs, None, covered, include_uncovered=True)
    assert len(cands) == 3 and space.labels == ("0", "1")


@pytest.mark.parametrize(
    ("pool", "probs", "covered", "fragment"),
    [
        ([], np.zeros((0, 2)), None, "the pool is empty"),
        (POOL, np.full((3, 2), 0.5), np.zeros(3, dtype=bool), "no LF voted on any of the 3"),
    ],
)
def test_empty_training_set_is_an_error(
    pool: list[Candidate], probs: np.ndarray, covered: np.ndarray | None, fragment: str
) -> None:
    with pytest.raises(EmptyTrainingSetError, match=fragment):
        training_rows(pool, probs, SPACE, covered)


def test_covered_mask_must_be_booleans_per_candidate() -> None:
    with pytest.raises(ProbabilisticLabelsError, match="expected 3 booleans"):
        training_rows(POOL, np.full((3, 2), 0.5), SPACE, np.array([1, 0, 1]))


def test_npy_npz_and_jsonl_files(tmp_path: Path) -> None:
    probs = np.array([[0.2, 0.8], [0.9, 0.1], [0.5, 0.5]])
    np.save(tmp_path / "p.npy", probs)
    np.savez(tmp_path / "p.npz", probs=probs, covered=np.array([True, True, False]))
    lines = [
        {"id": "c2", "probs": {"spouse": 0.5, "not_spouse": 0.5}, "covered": False},
        {"id": "c0", "probs": [0.2, 0.8]},
        {"id": "c1", "probs": [0.9, 0.1]},
    ]
    (tmp_path / "p.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    npy = read_probs(tmp_path / "p.npy", POOL, SPACE)
    assert npy.covered.all() and np.allclose(npy.probs, probs)
    for name in ("p.npz", "p.jsonl"):
        read = read_probs(tmp_path / name, POOL, SPACE)
        assert np.allclose(read.probs, probs)
        assert read.covered.tolist() == [True, True, False]


@pytest.mark.parametrize(
    ("lines", "error", "fragment"),
    [
        (['{"id": "zz", "probs": [0.5, 0.5]}'], DataFormatError, "not a candidate id of the pool"),
        (['{"id": "c0", "probs": [0.5, 0.5]}'] * 2, DataFormatError, "appears twice"),
        (['{"id": "c0", "probs": [0.5]}'], DataFormatError, "expected 2 numbers"),
        (['{"id": "c0", "probs": {"wed": 1.0}}'], DataFormatError, "unknown labels \\['wed'\\]"),
        (['{"id": "c0", "probs": [0.5, 0.5], "covered": 1}'], DataFormatError, "true or false"),
        (
            ['{"id": "c0", "probs": [0.5, 0.5]}'],
            ProbabilisticLabelsError,
            "2 of 3 pool candidates have no line",
        ),
        (
            [
                '{"id": "c0", "probs": [0.5, 0.6]}',
                '{"id": "c1", "probs": [0.5, 0.5]}',
                '{"id": "c2", "probs": [0.5, 0.5]}',
            ],
            ProbabilisticLabelsError,
            "row 0 sums to 1.1",
        ),
    ],
)
def test_malformed_jsonl(
    tmp_path: Path, lines: list[str], error: type[Exception], fragment: str
) -> None:
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(error, match=fragment):
        read_probs(path, POOL, SPACE)


def test_wrong_row_count_in_npy_names_the_file(tmp_path: Path) -> None:
    np.save(tmp_path / "p.npy", np.full((2, 2), 0.5))
    with pytest.raises(ProbabilisticLabelsError, match=r"p\.npy: 2 rows for 3 candidates"):
        read_probs(tmp_path / "p.npy", POOL, SPACE)


def test_pickled_or_unknown_files_are_refused(tmp_path: Path) -> None:
    np.save(tmp_path / "obj.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ProbabilisticLabelsError, match="without pickles"):
        read_probs(tmp_path / "obj.npy", POOL, SPACE)
    (tmp_path / "p.pkl").write_bytes(b"x")
    with pytest.raises(
        ProbabilisticLabelsError, match=r"unknown probabilistic labels format '\.pkl'"
    ):
        read_probs(tmp_path / "p.pkl", POOL, SPACE)
    with pytest.raises(DataNotFoundError, match="probabilistic labels file not found"):
        read_probs(tmp_path / "missing.npy", POOL, SPACE)


def test_hard_labels_one_hot_and_class_weights() -> None:
    assert hard_labels(np.array([[0.4, 0.6]])).tolist() == [[0.0, 1.0]]
    assert one_hot([1, 0], 2).tolist() == [[0.0, 1.0], [1.0, 0.0]]
    with pytest.raises(ProbabilisticLabelsError, match="no gold label"):
        one_hot([1, None], 2)
    probs = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    assert class_weights(probs, "balanced").tolist() == pytest.approx([2 / 3, 2.0])
    assert class_weights(probs, (1.0, 3.0)).tolist() == [1.0, 3.0]
    assert class_weights(probs, None) is None
    with pytest.raises(ProbabilisticLabelsError, match="expected 'balanced'"):
        class_weights(probs, "inverse")
    with pytest.raises(ProbabilisticLabelsError, match="expected 2 non-negative numbers"):
        class_weights(probs, (1.0, -1.0))
