"""End model benchmark: supervised upper bound, throughput, soft vs hard labels.

Usage::

    python benchmarks/end_model.py [--json] [--datasets semeval,spouse,cdr] [--max-train N]
        [--max-test N] [--steps N | --epochs E] [--model NAME] [--no-transformer]
        [--soft-hard DATASETS] [--soft-hard-seeds N] [--soft-hard-steps N] [--cpu-threads N]
        [--out FILE]

Sections
--------
supervised
    The end model trained on *gold* labels (the upper bound for labels made from explanations):
    SemEval-2010 Task 8 train -> test (official macro-F1, Other excluded), Spouse dev -> test
    (F1 of ``spouse``; the split Babble Labble trains on), CDR train -> test (F1 of
    ``positive``), with the default model (bundled all-MiniLM-L6-v2) and the n-gram logistic
    regression baseline, beside published figures for BERT-size models (see ``LITERATURE``).
throughput
    Training and inference candidates per second of the default model on this machine's CPU
    (and on the GPU when one is visible to the run), measured during the supervised runs.
soft vs hard
    The same pool trained on probabilistic labels and on their argmax (ties: the lower class),
    both from babble's label model (:class:`babble.labelmodel.LabelModel`) fitted on the
    hand-written LFs that ship with the WRENCH benchmarks (train split, rows no LF voted on
    left out), scored on the benchmark's test split with its metric. The baseline runs on every
    ``--soft-hard`` benchmark, the transformer on the first.

On a quiet 2-core CPU the full supervised section takes about 20 minutes (SemEval 750 steps,
Spouse and CDR 500 each, at 73 / 34 / 42 training candidates per second); on a machine shared with
other jobs, pass ``--cpu-threads 1`` (two torch threads that wait on each other are several times
slower there). ``--max-train`` and ``--steps`` make a reduced run, and the output says which
settings produced each number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from babble.datasets import load_dataset
from babble.datasets._common import data_root
from babble.endmodel import BaselineEndModel, EndModel, hard_labels, one_hot
from babble.endmodel.device import cpu_cores
from babble.labelmodel import LabelModel
from babble.metrics import score
from babble.types import Candidate, Dataset


@dataclass(frozen=True)
class Setup:
    """Which split trains and which one is scored, per dataset."""

    train: str
    test: str


SETUPS = {
    "semeval": Setup("train", "test"),
    "spouse": Setup("dev", "test"),
    "cdr": Setup("train", "test"),
}

LITERATURE: dict[str, list[dict[str, Any]]] = {
    "semeval": [
        {
            "system": "R-BERT (Wu & He, 2019), BERT-base uncased, entity markers",
            "score": 89.25,
            "note": "official macro-F1 on test; confirmed: arXiv 1905.08284 (CIKM 2019; 5 epochs, "
            "lr 2e-5, batch 16, max length 128), also listed by Papers with Code",
        },
        {
            "system": "BERT_EM entity start (Baldini Soares et al., 2019), BERT-large",
            "score": 89.2,
            "note": "official macro-F1 on test; unconfirmed (recalled, no source checked here)",
        },
        {
            "system": "MiniLM + entity markers, lr 5e-5, 3 epochs (measured for issue 8)",
            "score": 69.3,
            "note": "this project's earlier plain PyTorch loop, 'still underfit'",
        },
    ],
    "spouse": [
        {
            "system": "MiniLM + entity markers on all dev gold (measured for issue 8)",
            "score": 46.5,
            "note": "this project's earlier plain PyTorch loop; no published BERT-size supervised "
            "figure on this split (Snorkel's dev -> test) was confirmed",
        },
    ],
    "cdr": [
        {
            "system": "none confirmed",
            "score": None,
            "note": "published BERT-size CDR figures are document-level or on other candidate "
            "sets, not comparable to this sentence-level candidate F1",
        },
    ],
}


def sample(cands: tuple[Candidate, ...], limit: int | None, seed: int) -> list[Candidate]:
    """A seeded sample of ``limit`` candidates in pool order (all when ``limit`` is None)."""
    if limit is None or limit >= len(cands):
        return list(cands)
    keep = np.sort(np.random.default_rng(seed).permutation(len(cands))[:limit])
    return [cands[i] for i in keep]


def evaluate(model: Any, test: list[Candidate], dataset: Dataset) -> tuple[float, float]:
    """Task metric (percent) on ``test`` and inference candidates per second."""
    start = time.perf_counter()
    pred = model.predict_proba(test).argmax(axis=1)
    seconds = time.perf_counter() - start
    gold = np.array([c.label for c in test], dtype=np.int64)
    return 100 * score(dataset.metric, gold, pred, dataset.label_space), len(test) / seconds


def run_model(
    kind: str,
    train: list[Candidate],
    probs: np.ndarray,
    test: list[Candidate],
    dataset: Dataset,
    args: argparse.Namespace,
    covered: np.ndarray | None = None,
) -> dict[str, Any]:
    """Train one end model and score it; returns a result row."""
    start = time.perf_counter()
    if kind == "baseline":
        model: Any = BaselineEndModel("ngrams").fit(
            train, probs, label_space=dataset.label_space, covered=covered
        )
        extra: dict[str, Any] = {"C": model.C}
    else:
        settings = {
            k: v
            for k, v in (
                ("steps", args.steps),
                ("epochs", args.epochs),
                ("cpu_threads", args.cpu_threads),
            )
            if v is not None
        }
        model = EndModel(args.model, progress=not args.json, **settings).fit(
            train, probs, label_space=dataset.label_space, covered=covered
        )
        result = model.result
        extra = {
            "steps": result.steps,
            "train_examples_per_s": round(result.examples_per_second, 1),
        }
    train_seconds = time.perf_counter() - start
    value, infer_rate = evaluate(model, test, dataset)
    trained_on = len(train) if covered is None else int(covered.sum())
    return {
        "model": kind,
        "train": trained_on,
        "test": len(test),
        "metric": dataset.metric,
        "score": round(value, 2),
        "train_seconds": round(train_seconds, 1),
        "inference_examples_per_s": round(infer_rate, 1),
        **extra,
    }


def supervised(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Gold-label training per dataset, baseline and (unless disabled) transformer."""
    rows = []
    for name in args.datasets:
        dataset, setup = load_dataset(name), SETUPS[name]
        train = sample(dataset.candidates(setup.train), args.max_train, args.seed)
        test = sample(dataset.candidates(setup.test), args.max_test, args.seed)
        probs = one_hot([c.label for c in train], dataset.label_space.k)
        for kind in ("baseline", *(() if args.no_transformer else ("transformer",))):
            row = {
                "dataset": name,
                "train_split": setup.train,
                "test_split": setup.test,
                **run_model(kind, train, probs, test, dataset, args),
            }
            rows.append(row)
            _log(args, f"supervised {name} {kind}: {row}")
    return rows


def wrench_labels(name: str, seed: int) -> tuple[Dataset, np.ndarray, np.ndarray]:
    """A WRENCH benchmark, babble's label model's probabilistic labels for its train split
    (from the benchmark's own LFs) and the covered mask."""
    dataset = load_dataset("wrench", data_root() / "wrench" / name)
    matrix = dataset.label_matrices["train"]
    model = LabelModel(random_state=seed).fit(matrix)
    return dataset, np.asarray(model.predict_proba(matrix)), (matrix != -1).any(axis=1)


def soft_vs_hard(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Soft labels and their argmax, from the same label model: the baseline on every
    ``--soft-hard`` WRENCH benchmark, the transformer on the first one's first seed."""
    rows = []
    for position, name in enumerate(args.soft_hard):
        for seed in range(args.soft_hard_seeds):
            dataset, probs, covered = wrench_labels(name, seed)
            train, test = list(dataset.candidates("train")), list(dataset.candidates("test"))
            gold = dataset.gold("train")
            label_acc = float((probs.argmax(axis=1) == gold)[covered].mean())
            kinds = ["baseline"]
            if position == seed == 0 and not args.no_transformer:
                kinds.append("transformer")
            local = argparse.Namespace(
                **{**vars(args), "steps": args.soft_hard_steps or args.steps}
            )
            for kind in kinds:
                for labels, target in (("soft", probs), ("hard", hard_labels(probs))):
                    row = {
                        "dataset": f"wrench/{name}",
                        "label_model_seed": seed,
                        "labels": labels,
                        "covered": int(covered.sum()),
                        "label_model_accuracy_on_covered": round(100 * label_acc, 1),
                        **run_model(kind, train, target, test, dataset, local, covered),
                    }
                    rows.append(row)
                    _log(args, f"soft-vs-hard {row}")
    return rows


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    info: dict[str, Any] = {
        "cpu": platform.processor() or platform.machine(),
        "cpu_cores_usable": cpu_cores(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
        "load_average_1m_at_end": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    return info


def _log(args: argparse.Namespace, text: str) -> None:
    if not args.json:
        print(text, file=sys.stderr, flush=True)


def summarise(rows: list[dict[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """Mean and std of ``score`` per group of ``key`` fields."""
    groups: dict[tuple[Any, ...], list[float]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in key), []).append(row["score"])
    return [
        {
            **dict(zip(key, g, strict=True)),
            "runs": len(v),
            "mean": round(float(np.mean(v)), 2),
            "std": round(float(np.std(v)), 2),
        }
        for g, v in groups.items()
    ]


def markdown(report: dict[str, Any]) -> str:
    """The report as Markdown tables."""
    lines = [f"End model benchmark ({report['run']})", ""]
    lines += [
        "| dataset | model | train | test | metric | score | train s | train ex/s | infer ex/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["supervised"]:
        lines.append(
            f"| {r['dataset']} | {r['model']} | {r['train']} | {r['test']} | {r['metric']} | "
            f"{r['score']} | {r['train_seconds']} | {r.get('train_examples_per_s', '')} | "
            f"{r['inference_examples_per_s']} |"
        )
    lines += ["", "Literature (BERT-size, full training data):"]
    for name in report["datasets"]:
        for ref in LITERATURE[name]:
            lines.append(f"- {name}: {ref['system']}: {ref['score']} ({ref['note']})")
    if report["soft_vs_hard"]:
        lines += [
            "",
            "| dataset | model | labels | runs | mean | std |",
            "|---|---|---|---|---|---|",
        ]
        for r in report["soft_vs_hard_summary"]:
            lines.append(
                f"| {r['dataset']} | {r['model']} | {r['labels']} | {r['runs']} | {r['mean']} "
                f"| {r['std']} |"
            )
    lines += ["", f"Machine: {report['machine']}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, run the sections, print JSON or Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--datasets", default="semeval,spouse,cdr")
    parser.add_argument("--max-train", type=int, default=None)
    parser.add_argument("--max-test", type=int, default=None)
    parser.add_argument(
        "--steps", type=int, default=None, help="transformer steps (default: its schedule)"
    )
    parser.add_argument("--epochs", type=float, default=None)
    parser.add_argument(
        "--model", default=None, help="HF model name or folder (default: bundled MiniLM)"
    )
    parser.add_argument("--no-transformer", action="store_true", help="baseline only (fast)")
    parser.add_argument(
        "--soft-hard",
        default="youtube,sms,trec,semeval",
        help="WRENCH benchmarks for soft vs hard, comma-separated ('' to skip)",
    )
    parser.add_argument("--soft-hard-seeds", type=int, default=1, help="label model seeds")
    parser.add_argument("--soft-hard-steps", type=int, default=None)
    parser.add_argument(
        "--cpu-threads",
        type=int,
        default=None,
        help="torch threads (default: every core; 1 is faster on a machine shared with others)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON report here")
    args = parser.parse_args(argv)
    args.datasets = [d for d in args.datasets.split(",") if d]
    args.soft_hard = [d for d in args.soft_hard.split(",") if d]
    reductions = ("max_train", "max_test", "steps", "epochs", "soft_hard_steps")
    full = all(getattr(args, k) is None for k in reductions)
    report: dict[str, Any] = {
        "run": "full"
        if full
        else "REDUCED: "
        + ", ".join(f"{k}={getattr(args, k)}" for k in reductions if getattr(args, k) is not None),
        "datasets": args.datasets,
        "supervised": supervised(args),
        "soft_vs_hard": soft_vs_hard(args) if args.soft_hard else [],
    }
    report["soft_vs_hard_summary"] = summarise(
        report["soft_vs_hard"], ("dataset", "model", "labels")
    )
    report["literature"] = {d: LITERATURE[d] for d in args.datasets}
    report["machine"] = machine()
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2) if args.json else markdown(report))


if __name__ == "__main__":
    main()
