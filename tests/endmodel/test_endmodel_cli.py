"""``babble train / predict / evaluate`` on a toy JSONL dataset and the tiny BERT."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner, Result
from toydata import toy_pool

from babble.cli.endmodel import register
from babble.errors import LabelSpaceMismatchError, ProbabilisticLabelsError
from babble.types import Candidate


@click.group()
def cli() -> None:
    """Test group holding the end model commands."""


register(cli)


def _line(cand: Candidate, labels: tuple[str, ...]) -> str:
    spans = [{"role": s.role, "start": s.start, "end": s.end, "type": s.type} for s in cand.spans]
    label = None if cand.label is None else labels[cand.label]
    return json.dumps({"id": cand.id, "text": cand.text, "spans": spans, "label": label})


def _dataset(folder: Path, labels: tuple[str, ...] = ("not_spouse", "spouse")) -> Path:
    folder.mkdir()
    task = {"name": "toy", "task": "relation", "labels": list(labels), "metric": "f1"}
    (folder / "task.json").write_text(json.dumps(task))
    pool = toy_pool()
    (folder / "train.jsonl").write_text("\n".join(_line(c, labels) for c in pool) + "\n")
    (folder / "test.jsonl").write_text(
        "\n".join(_line(Candidate(**{**c.__dict__, "id": "t" + c.id}), labels) for c in pool[::4])
        + "\n"
    )
    return folder


def _invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _dataset(tmp_path_factory.mktemp("data") / "toy")


def test_baseline_train_predict_evaluate(data: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    result = _invoke(
        "train",
        "--format",
        "jsonl",
        "--data",
        data,
        "--gold",
        "--baseline",
        "ngrams",
        "--dev-split",
        "test",
        "--class-prior",
        "dev",
        "--out",
        model,
        "--json",
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["kind"] == "baseline" and summary["trained_on"] == 72
    assert json.loads((model / "endmodel.json").read_text())["settings"]["class_prior"] == "dev"
    assert json.loads((model / "training.json").read_text())["split"] == "train"

    result = _invoke("predict", model, "--format", "jsonl", "--data", data)
    lines = [json.loads(x) for x in result.output.splitlines()]
    assert len(lines) == 18 and set(lines[0]["probs"]) == {"not_spouse", "spouse"}
    assert lines[0]["label"] in {"not_spouse", "spouse"}

    out = tmp_path / "pred.csv"
    assert (
        _invoke("predict", model, "--format", "jsonl", "--data", data, "--out", out).exit_code == 0
    )
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["id", "label", "not_spouse", "spouse"] and len(rows) == 19

    result = _invoke("evaluate", model, "--format", "jsonl", "--data", data, "--json")
    scores = json.loads(result.output)
    assert (
        scores["metric"] == "f1" and scores["evaluated"] == 18 and scores["f1"] == scores["score"]
    )


def test_transformer_from_probabilistic_labels(
    data: Path, tiny_model: Path, tmp_path: Path
) -> None:
    pool = toy_pool()
    gold = np.array([c.label for c in pool])
    probs = tmp_path / "probs.npz"
    covered = np.ones(len(pool), dtype=bool)
    covered[:8] = False
    np.savez(probs, probs=np.where(np.eye(2)[gold] == 1, 0.8, 0.2), covered=covered)
    model = tmp_path / "model"
    args = [
        "train",
        "--format",
        "jsonl",
        "--data",
        data,
        "--labels",
        probs,
        "--out",
        model,
        "--model",
        tiny_model,
        "--steps",
        "3",
        "--batch-size",
        "8",
        "--cpu-threads",
        "1",
        "--dev-split",
        "test",
        "--no-progress",
    ]
    result = _invoke(*args)
    assert result.exit_code == 0, result.output
    assert "on 64 of 72" in result.output
    assert not (model / "checkpoints").exists()
    summary = json.loads((model / "training.json").read_text())
    assert summary["kind"] == "transformer" and summary["steps"] == 3
    evaluated = _invoke("evaluate", model, "--format", "jsonl", "--data", data)
    assert evaluated.exit_code == 0 and "Task metric f1" in evaluated.output
    again = _invoke(*args)
    assert again.exit_code != 0 and "--overwrite" in str(again.exception)


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ([], "give exactly one of --labels FILE and --gold"),
        (["--gold", "--labels", "x.npy"], "give exactly one of --labels FILE and --gold"),
        (["--gold", "--split", "nope"], "has no split 'nope'"),
    ],
)
def test_train_usage_errors(data: Path, tmp_path: Path, extra: list[str], fragment: str) -> None:
    result = _invoke("train", "--format", "jsonl", "--data", data, "--out", tmp_path / "m", *extra)
    assert result.exit_code != 0
    assert fragment in result.output + str(result.exception)


def test_wrong_number_of_probability_rows(data: Path, tmp_path: Path) -> None:
    np.save(tmp_path / "p.npy", np.full((10, 2), 0.5))
    result = _invoke(
        "train",
        "--format",
        "jsonl",
        "--data",
        data,
        "--labels",
        tmp_path / "p.npy",
        "--baseline",
        "ngrams",
        "--out",
        tmp_path / "m",
    )
    assert isinstance(result.exception, ProbabilisticLabelsError)
    assert "10 rows for 72 candidates" in str(result.exception)


def test_label_space_of_the_data_must_match_the_model(data: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    _invoke(
        "train",
        "--format",
        "jsonl",
        "--data",
        data,
        "--gold",
        "--baseline",
        "ngrams",
        "--out",
        model,
    )
    other = _dataset(tmp_path / "other", labels=("no", "yes"))
    result = _invoke("evaluate", model, "--format", "jsonl", "--data", other)
    assert isinstance(result.exception, LabelSpaceMismatchError)
    assert "dataset 'toy' has ['no', 'yes']" in str(result.exception)
