"""``babble train / predict / evaluate``: the end model from the command line.

``train`` reads a candidate pool (a dataset split) and probabilistic labels for it (``.npy``,
``.npz`` or ``.jsonl``; see :mod:`babble.endmodel.labels`) or the split's gold labels, and saves a
model folder. ``predict`` writes each candidate's class probabilities (JSONL or CSV) and
``evaluate`` scores a model with the task's metric.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import numpy as np

from babble._io import atomic_write_text
from babble.cli._output import console, print_json, print_table
from babble.datasets import FORMATS, load_dataset
from babble.endmodel import BaselineEndModel, EndModel, load_end_model, one_hot, read_probs
from babble.endmodel.baseline import FEATURES, baseline_settings
from babble.endmodel.hub import model_label
from babble.endmodel.store import META_FILE
from babble.errors import ConfigError
from babble.metrics import accuracy, binary_f1, score
from babble.types import Candidate, Dataset

F = TypeVar("F", bound=Callable[..., Any])

TRAINING_FILE = "training.json"
CHECKPOINTS = "checkpoints"


def _dataset_options(default_split: str | None) -> Callable[[F], F]:
    """The options every command shares: dataset format, folder and split."""

    def wrap(func: F) -> F:
        func = click.option(
            "--split",
            default=default_split,
            help="Split to use"
            + (
                f" (default {default_split})."
                if default_split
                else " (default: train if present, else the first split)."
            ),
        )(func)
        func = click.option(
            "--data",
            "path",
            type=click.Path(),
            default=None,
            help="Dataset folder (default: the shared copy under $BABBLE_DATA).",
        )(func)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(sorted(FORMATS)),
            required=True,
            help="Dataset format.",
        )(func)

    return wrap


def _split(dataset: Dataset, split: str | None) -> tuple[str, tuple[Candidate, ...]]:
    name = split or ("train" if "train" in dataset.splits else next(iter(dataset.splits)))
    try:
        return name, dataset.candidates(name)
    except KeyError as exc:
        raise ConfigError(str(exc.args[0])) from None


@click.command()
@_dataset_options(None)
@click.option(
    "--labels",
    "labels_file",
    type=click.Path(dir_okay=False),
    help="Probabilistic labels of the split: .npy (n, k), .npz or .jsonl.",
)
@click.option("--gold", is_flag=True, help="Train on the split's gold labels instead (supervised).")
@click.option("--dev-split", default=None, help="Split with gold labels for early stopping.")
@click.option(
    "--out", "out", type=click.Path(file_okay=False), required=True, help="Model folder to write."
)
@click.option(
    "--model",
    default=None,
    help="Hugging Face model name or folder (default: bundled all-MiniLM-L6-v2).",
)
@click.option(
    "--baseline",
    type=click.Choice(FEATURES),
    default=None,
    help="Train the fast logistic-regression baseline on these features instead.",
)
@click.option(
    "--steps", type=int, default=None, help="Optimisation steps (default: 3 epochs, 500..3000)."
)
@click.option("--epochs", type=float, default=None, help="Epochs when --steps is not given.")
@click.option("--batch-size", type=int, default=None, help="Candidates per step (default 32).")
@click.option("--max-length", type=int, default=None, help="Most tokens per candidate.")
@click.option("--lr", type=float, default=None, help="Peak learning rate.")
@click.option(
    "--class-weights",
    type=click.Choice(["balanced"]),
    default=None,
    help="Weigh the loss by inverse class frequency.",
)
@click.option(
    "--class-prior",
    type=click.Choice(["labels", "dev"]),
    default=None,
    help="dev: move predictions to the --dev-split's class frequencies (default: labels').",
)
@click.option("--include-uncovered", is_flag=True, help="Also train on rows no LF voted on.")
@click.option(
    "--max-train", type=int, default=None, help="Train on a seeded sample of this many rows."
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--device", default=None, help="cpu, cuda, cuda:1 (default: CUDA when present).")
@click.option(
    "--cpu-threads", type=int, default=None, help="Torch threads on CPU (default: all cores)."
)
@click.option("--overwrite", is_flag=True, help="Replace an existing model folder.")
@click.option(
    "--restart", is_flag=True, help="Start over, ignoring the checkpoints of an interrupted run."
)
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the training summary as JSON.")
def train(
    fmt: str,
    path: str | None,
    split: str | None,
    labels_file: str | None,
    gold: bool,
    dev_split: str | None,
    out: str,
    model: str | None,
    baseline: str | None,
    max_train: int | None,
    overwrite: bool,
    restart: bool,
    no_progress: bool,
    as_json: bool,
    include_uncovered: bool,
    **tuning: Any,
) -> None:
    """Train an end model on a dataset split and save it to --out.

    An interrupted run resumes from its last checkpoint when the same command is run again.
    """
    if gold == (labels_file is not None):
        raise click.UsageError("give exactly one of --labels FILE and --gold")
    folder = Path(out)
    if (folder / META_FILE).exists() and not overwrite:
        raise ConfigError(f"{folder} already holds a model; pass --overwrite to replace it")
    dataset = load_dataset(fmt, path)
    split_name, whole = _split(dataset, split)
    pool, labels, covered = _sample(
        whole, *_labels(whole, dataset, split_name, labels_file), max_train, tuning["seed"]
    )
    dev = list(_split(dataset, dev_split)[1]) if dev_split else None
    settings = {k: v for k, v in tuning.items() if v is not None}
    settings["include_uncovered"] = include_uncovered
    fit: dict[str, Any] = {
        "label_space": dataset.label_space,
        "covered": covered,
        "metric": dataset.metric,
    }
    if baseline is not None:
        base = BaselineEndModel(baseline, model=model, **baseline_settings(settings))
        end: EndModel | BaselineEndModel = base.fit(pool, labels, dev, **fit)
        summary: dict[str, Any] = {"kind": "baseline", "features": baseline, "C": base.C}
    else:
        progress = not (no_progress or as_json)
        transformer = EndModel(model, progress=progress, **settings)
        checkpoints = folder / CHECKPOINTS
        end = transformer.fit(
            pool, labels, dev, checkpoint_dir=checkpoints, resume=not restart, **fit
        )
        summary = _transformer_summary(transformer)
    end.save(folder)
    shutil.rmtree(folder / CHECKPOINTS, ignore_errors=True)
    covered_rows = len(pool) if covered is None else int(np.sum(covered))
    summary = {
        "dataset": dataset.name,
        "split": split_name,
        "dev_split": dev_split,
        "labels": "gold" if gold else str(labels_file),
        "pool": len(pool),
        "trained_on": len(pool) if include_uncovered else covered_rows,
        "metric": dataset.metric,
        "model_folder": str(folder),
        **summary,
    }
    atomic_write_text(folder / TRAINING_FILE, json.dumps(summary, indent=2, default=str) + "\n")
    if as_json:
        print_json(summary)
        return
    console.print(
        f"Trained a {summary['kind']} end model on {summary['trained_on']} of {len(pool)} "
        f"{dataset.name} {split_name} candidates; saved to {folder}"
    )
    if summary.get("best_dev_score") is not None:
        console.print(
            f"Best dev {dataset.metric}: {summary['best_dev_score']:.4f} "
            f"(step {summary['best_step']})"
        )


def _labels(
    pool: tuple[Candidate, ...], dataset: Dataset, split: str, labels_file: str | None
) -> tuple[np.ndarray, np.ndarray | None]:
    """The training targets: a labels file read for ``pool``, else the gold labels one-hot."""
    if labels_file is None:
        return one_hot(
            [c.label for c in pool], dataset.label_space.k, f"gold labels of {split}"
        ), None
    read = read_probs(labels_file, pool, dataset.label_space)
    return read.probs, read.covered


def _sample(
    pool: tuple[Candidate, ...],
    labels: np.ndarray,
    covered: np.ndarray | None,
    limit: int | None,
    seed: int,
) -> tuple[list[Candidate], np.ndarray, np.ndarray | None]:
    """A seeded sample of ``limit`` rows, in pool order (everything when ``limit`` is None)."""
    if limit is None or limit >= len(pool):
        return list(pool), labels, covered
    keep = np.sort(np.random.default_rng(seed).permutation(len(pool))[:limit])
    return [pool[i] for i in keep], labels[keep], None if covered is None else covered[keep]


def _transformer_summary(model: EndModel) -> dict[str, Any]:
    result = model.result
    assert result is not None
    return {
        "kind": "transformer",
        "model": model_label(model.settings.model),
        "steps": result.steps,
        "total_steps": result.total_steps,
        "stopped_early": result.stopped_early,
        "resumed_from": result.resumed_from,
        "best_dev_score": result.best_score,
        "best_step": result.best_step,
        "seconds": round(result.seconds, 1),
        "train_examples_per_second": round(result.examples_per_second, 1),
        "history": list(result.history),
    }


@click.command()
@click.argument("model_dir", type=click.Path(file_okay=False, exists=True))
@_dataset_options("test")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write .jsonl or .csv here (default: JSONL on stdout).",
)
@click.option("--device", default=None)
def predict(
    model_dir: str, fmt: str, path: str | None, split: str, out: str | None, device: str | None
) -> None:
    """Predict each candidate's class probabilities with the model in MODEL_DIR.

    JSONL lines are {"id", "label", "probs": {label: p}}; CSV columns are id, label and one
    probability column per label.
    """
    model = load_end_model(model_dir, device=device)
    dataset = load_dataset(fmt, path)
    model.check_label_space(dataset.label_space, f"dataset {dataset.name!r}")
    _, candidates = _split(dataset, split)
    probs = model.predict_proba(list(candidates))
    names = dataset.label_space.labels
    if out is not None and Path(out).suffix == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["id", "label", *names])
        for cand, row in zip(candidates, probs, strict=True):
            writer.writerow([cand.id, names[int(row.argmax())], *(f"{p:.6g}" for p in row)])
        text = buffer.getvalue()
    else:
        text = "".join(
            json.dumps(
                {
                    "id": c.id,
                    "label": names[int(row.argmax())],
                    "probs": {n: round(float(p), 6) for n, p in zip(names, row, strict=True)},
                }
            )
            + "\n"
            for c, row in zip(candidates, probs, strict=True)
        )
    if out is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(out, text)
        console.print(f"Wrote {len(candidates)} predictions to {out}")


@click.command()
@click.argument("model_dir", type=click.Path(file_okay=False, exists=True))
@_dataset_options("test")
@click.option("--device", default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
def evaluate(
    model_dir: str, fmt: str, path: str | None, split: str, device: str | None, as_json: bool
) -> None:
    """Score the model in MODEL_DIR on a split with the task's metric (gold labels needed)."""
    model = load_end_model(model_dir, device=device)
    dataset = load_dataset(fmt, path)
    space = dataset.label_space
    model.check_label_space(space, f"dataset {dataset.name!r}")
    _, candidates = _split(dataset, split)
    labelled = [c for c in candidates if c.label is not None]
    if not labelled:
        raise ConfigError(f"split {split!r} of {dataset.name} has no gold labels to evaluate on")
    gold = np.array([c.label for c in labelled], dtype=np.int64)
    pred = model.predict_proba(labelled).argmax(axis=1)
    scores: dict[str, Any] = {
        "dataset": dataset.name,
        "split": split,
        "candidates": len(candidates),
        "evaluated": len(labelled),
        "metric": dataset.metric,
        "score": score(dataset.metric, gold, pred, space),
        "accuracy": accuracy(gold, pred),
    }
    if space.k == 2:
        prf = binary_f1(gold, pred, positive=1)
        scores |= {"precision": prf.precision, "recall": prf.recall, "f1": prf.f1}
    if as_json:
        print_json(scores)
        return
    rows = [(k, round(v, 4)) for k, v in scores.items() if isinstance(v, float)]
    print_table(
        f"{dataset.name} {split}: {len(labelled)} candidates with gold labels",
        ["metric", "value"],
        rows,
    )
    console.print(f"Task metric {dataset.metric}: {scores['score']:.4f}")


COMMANDS = (train, predict, evaluate)


def register(group: click.Group) -> None:
    """Add ``train``, ``predict`` and ``evaluate`` to the ``babble`` command group."""
    for command in COMMANDS:
        group.add_command(command)
