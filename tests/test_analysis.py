"""LF analysis: polarity, coverage, overlap, conflict, accuracy; JSON and the PNG plot."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from babble.analysis import analyze, plot_coverage_accuracy, table_rows
from babble.apply import LabelMatrix
from babble.errors import LabelMatrixError


def _random_matrix(
    seed: int, n: int = 60, m: int = 7, k: int = 3
) -> tuple[np.ndarray, LabelMatrix]:
    rng = np.random.default_rng(seed)
    dense = np.where(rng.random((n, m)) < 0.3, rng.integers(0, k, (n, m)), -1)
    names = [f"exp{j // 2}#{j % 2}" for j in range(m - 1)] + ["python_lf"]
    return dense, LabelMatrix.from_dense(dense, names, [f"c{i}" for i in range(n)])


@pytest.mark.parametrize("seed", range(5))
def test_statistics_match_a_brute_force_count(seed: int) -> None:
    dense, matrix = _random_matrix(seed)
    gold = np.asarray(np.random.default_rng(seed + 100).integers(-1, 3, dense.shape[0]))
    report = analyze(matrix, gold, origins={"python_lf": "python"})
    voted = dense != -1
    for j, s in enumerate(report.lfs):
        others = np.delete(dense, j, axis=1)
        overlap = voted[:, j] & (others != -1).any(axis=1)
        conflict = voted[:, j] & ((others != -1) & (others != dense[:, [j]])).any(axis=1)
        scored = voted[:, j] & (gold >= 0)
        assert s.polarity == tuple(sorted(set(dense[voted[:, j], j].tolist())))
        assert s.coverage == pytest.approx(voted[:, j].mean())
        assert s.overlap == pytest.approx(overlap.mean())
        assert s.conflict == pytest.approx(conflict.mean())
        assert s.gold_votes == scored.sum()
        assert s.correct == (dense[scored, j] == gold[scored]).sum()
    labels_per_row = [set(row[row != -1].tolist()) for row in dense]
    assert report.total.coverage == pytest.approx(voted.any(axis=1).mean())
    assert report.total.overlap == pytest.approx((voted.sum(axis=1) >= 2).mean())
    assert report.total.conflict == pytest.approx(np.mean([len(s) > 1 for s in labels_per_row]))
    assert [e.explanation for e in report.explanations] == ["exp0", "exp1", "exp2", "python"]
    exp0 = report.explanations[0]
    assert exp0.lfs == 2 and exp0.coverage == pytest.approx(voted[:, :2].any(axis=1).mean())
    accuracies = [s.accuracy for s in report.lfs if s.accuracy is not None]
    assert report.total.mean_lf_accuracy == pytest.approx(np.mean(accuracies))
    assert report.accuracy_on == "pool"


def test_without_gold_there_is_no_accuracy() -> None:
    _, matrix = _random_matrix(0)
    report = analyze(matrix)
    assert all(s.accuracy is None and s.gold_votes == 0 for s in report.lfs)
    assert report.total.accuracy is None and report.accuracy_on == "none"


def test_accuracy_on_a_dev_matrix() -> None:
    _, pool = _random_matrix(1)
    dev = LabelMatrix.from_dense(np.array([[0, -1, 1, -1, -1, -1, 2]]), pool.lf_names, ["d0"])
    report = analyze(pool, np.array([1]), dev=dev)
    assert report.accuracy_on == "dev"
    assert [(s.gold_votes, s.correct) for s in report.lfs][:3] == [(1, 0), (0, 0), (1, 1)]
    with pytest.raises(LabelMatrixError, match="same LFs"):
        analyze(pool, np.array([1]), dev=dev.select(["python_lf"]))


def test_gold_of_the_wrong_length_is_refused() -> None:
    _, matrix = _random_matrix(2)
    with pytest.raises(LabelMatrixError, match=r"expected \(60,\)"):
        analyze(matrix, np.zeros(3, dtype=int))


def test_json_table_and_plot(tmp_path: Path) -> None:
    dense, matrix = _random_matrix(3)
    report = analyze(matrix, np.zeros(dense.shape[0], dtype=int))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["total"]["lfs"] == 7 and len(data["lfs"]) == 7
    rows = table_rows(report, ("a", "b", "c"))
    assert rows[0][0] == "exp0#0" and set(rows[0][1].split(",")) <= {"a", "b", "c"}
    png = plot_coverage_accuracy(report, tmp_path / "out" / "plot.png", label_names=("a", "b", "c"))
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5000
