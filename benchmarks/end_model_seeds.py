"""Retrain a babble run's end model from its labels over several seeds, on any device.

`babble run` trains one end model (one seed) on the CPU or GPU it finds. This script separates
the end model from the stages before it, so that the labels made on one machine can train end
models on another (a GPU machine with PyTorch but no spaCy), and so that the end model's seed
spread can be measured without re-running the label stages:

    python benchmarks/end_model_seeds.py export runs/bench/spouse-main --out labels/spouse.npz
    python benchmarks/end_model_seeds.py train labels/spouse.npz --seeds 0 1 2 --json

``export`` reads a run folder (``config.json``, ``label_matrix.npz``,
``probabilistic_labels.npy``) and writes what the end model stage trains on: the pool
candidates' ids, the training targets (soft or hard, explained examples as gold, as in
:mod:`babble.runner`) and which rows are covered, with the run's dataset and end-model
settings. ``train`` needs only the dataset files (``BABBLE_DATA``) and the end model: it fits
one end model per seed and scores it on the test split, recording wall time, peak memory and
the device.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp


def _config(raw: dict[str, Any]) -> Any:
    """The :class:`~babble.config.RunConfig` of a run folder's resolved ``config.json``."""
    from babble.config import RunConfig

    raw = {  # unset keys are written as null; the reader wants them left out
        key: {k: v for k, v in value.items() if v is not None} if isinstance(value, dict) else value
        for key, value in raw.items()
        if key != "source"
    }
    return RunConfig.from_dict(raw, base=Path.cwd())


def export(run_dir: Path, out: Path) -> None:
    """Write the end model's training inputs of ``run_dir`` to ``out`` (``.npz``, no pickle)."""
    from babble.datasets import load_dataset
    from babble.endmodel import one_hot
    from babble.runner import FILES, explained_targets

    config = _config(json.loads((run_dir / "config.json").read_text("utf-8")))
    dataset = load_dataset(config.data.format, config.data.path)
    pool = dataset.candidates(config.data.pool)
    probs = np.load(run_dir / FILES["probs"], allow_pickle=False)
    matrix = sp.load_npz(run_dir / FILES["matrix"]).tocsr()
    if probs.shape[0] != len(pool) or matrix.shape[0] != len(pool):
        raise SystemExit(f"{run_dir}: labels for {probs.shape[0]} rows, pool has {len(pool)}")
    settings = config.end_model
    targets = probs if settings.labels == "soft" else one_hot(list(probs.argmax(1)), probs.shape[1])
    covered = np.diff(matrix.indptr) > 0
    if settings.explained_examples:
        targets, covered = explained_targets(dataset, pool, targets, covered)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(
        out,
        ids=np.array([c.id for c in pool]),
        targets=targets,
        covered=covered,
        config=np.array(json.dumps(config.to_dict() | {"source": None, "output": "."})),
    )
    print(f"{out}: {len(pool)} pool rows, {int(covered.sum())} covered")


def _gold(dataset: Any, split: str) -> list[Any]:
    """The candidates of ``split`` that have a gold label."""
    return [c for c in dataset.candidates(split) if c.label is not None]


def train(path: Path, seeds: list[int], steps: int | None = None) -> dict[str, Any]:
    """Fit the exported run's end model once per seed; score each on the run's test split."""
    import torch

    from babble.datasets import load_dataset
    from babble.endmodel import EndModel
    from babble.metrics import score

    saved = np.load(path, allow_pickle=False)
    config = _config(json.loads(str(saved["config"])))
    dataset = load_dataset(config.data.format, config.data.path)
    by_id = {c.id: c for c in dataset.candidates(config.data.pool)}
    pool = [by_id[i] for i in saved["ids"].tolist()]
    dev = _gold(dataset, config.data.dev) if config.data.dev else []
    test = _gold(dataset, config.data.test)
    gold = np.array([c.label for c in test])
    scores, walls = {}, {}
    for seed in seeds:
        if torch.cuda.is_available():
            torch.cuda.reset_peak_memory_stats()
        start = time.perf_counter()
        model = EndModel(
            config.end_model.model,
            seed=seed,
            progress=False,
            **config.end_model.tuning() | ({"steps": steps} if steps else {}),
        )
        model.fit(
            pool,
            saved["targets"],
            dev or None,
            label_space=dataset.label_space,
            covered=saved["covered"],
            metric=dataset.metric,
        )
        got = score(dataset.metric, gold, model.predict(test), dataset.label_space)
        scores[str(seed)] = round(100 * got, 1)
        walls[str(seed)] = round(time.perf_counter() - start, 1)
        done = f"{path.stem} seed {seed}: {scores[str(seed)]} in {walls[str(seed)]} s"
        print(done, file=sys.stderr)
    values = np.array(list(scores.values()))
    return {
        "run": path.stem,
        "dataset": config.data.format,
        "metric": dataset.metric,
        "seed_scores": scores,
        "mean": round(float(values.mean()), 1),
        "std": round(float(values.std()), 1),
        "wall_s": walls,
        "device": torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu",
        "peak_gpu_mb": round(torch.cuda.max_memory_allocated() / 2**20)
        if torch.cuda.is_available()
        else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main() -> None:
    """Parse the command line and run ``export`` or ``train``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export", help="write a run folder's end-model training inputs")
    ex.add_argument("run_dir", type=Path)
    ex.add_argument("--out", type=Path, required=True)
    tr = sub.add_parser("train", help="fit and score the end model of exported labels per seed")
    tr.add_argument("exports", type=Path, nargs="+")
    tr.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    tr.add_argument("--steps", type=int, default=None, help="override the step count (smoke test)")
    tr.add_argument("--json", action="store_true", help="print JSON (default: one line per run)")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if args.command == "export":
        export(args.run_dir, args.out)
        return
    rows = [train(path, args.seeds, args.steps) for path in args.exports]
    for row in rows:
        line = f"{row['run']}: {row['mean']} ± {row['std']} {row['seed_scores']}"
        print(json.dumps(row) if args.json else line)


if __name__ == "__main__":
    main()
