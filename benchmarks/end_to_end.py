"""End-to-end experiments: the main table, label efficiency and ablations (issue 9).

Usage (from the repository root, virtual environment active)::

    python benchmarks/end_to_end.py main        [--datasets semeval spouse cdr absa] [--reduced]
    python benchmarks/end_to_end.py efficiency  [--datasets semeval spouse] [--seeds 0 1 2]
    python benchmarks/end_to_end.py ablations   [--datasets spouse,semeval] [--reduced] [--only 0 6]

Each writes ``benchmarks/results/end_to_end_<table>[_reduced].{json,md}`` (and a PNG for the
learning curve) and prints the Markdown table (``--json``: the JSON). ``--reduced`` swaps the
transformer end model for the n-gram logistic-regression baseline (seconds instead of minutes
per run) and, for the learning curves, uses one seed: figures from it are labelled *reduced*.

Every ``babble run`` happens in its own process (``babble run CONFIG --json``), so its wall time
and peak memory (``ru_maxrss``) are that run's alone. A table's rows that a run does not redo
(other datasets, other ablations) are kept from its previous results file, so the full tables can
be filled a dataset at a time on a small machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "benchmarks" / "configs"
RESULTS = ROOT / "benchmarks" / "results"
DATASETS = ("semeval", "spouse", "cdr", "absa")
SIZES = (25, 50, 100, 200, 500, 1000, 2000, None)  # None: the whole pool
REDUCED = ("end_model.kind=baseline",)

PUBLISHED: dict[str, dict[str, Any]] = {
    "spouse": {
        "system": "Babble Labble",
        "figure": 50.1,
        "source": "Hancock et al. 2018 (ACL), F1 with ~30 explanations; as commonly cited, "
        "unconfirmed here (table not checked)",
    },
    "cdr": {
        "system": "Babble Labble",
        "figure": 42.3,
        "source": "Babble Labble, chemical-disease task: F1 42.3 from 30 explanations and 6.7k "
        "unlabeled candidates (1k gold labels: 41.9), the authors' blog post 'Training with "
        "Natural Language' (snorkel.org, 2018-05-15); the paper's table not checked here",
    },
    "semeval": {
        "system": "NExT",
        "figure": None,
        "source": "Wang et al. 2020 (ICLR) Table 2 (its number confirmed, its figures not "
        "reachable from here, so not quoted)",
    },
    "absa": {
        "system": "NExT",
        "figure": None,
        "source": "Wang et al. 2020 (ICLR) Table 2, Restaurant (its number confirmed, its "
        "figures not reachable from here, so not quoted)",
    },
}
"""Published figures beside which babble's are shown, with where each comes from."""

ABLATIONS: dict[str, tuple[str, ...]] = {
    "babble (full)": (),
    "no filter bank (all parses)": ("filter.mode=none",),
    "only the consistency filter": ("filter.mode=consistency",),
    "keep generalisations": ("filter.drop_generalisations=false",),
    "uniform filter at 90% (old default)": ("filter.uniform_coverage=0.9",),
    "one parse per explanation": ("filter.one_per_explanation=true",),
    "majority vote label model": ("label_model.kind=majority",),
    "no dependency handling": ("label_model.dependencies=false",),
    "explanation groups only (no sibling forms)": ("label_model.sibling_forms=false",),
    "learned dependencies too": ("label_model.learn_dependencies=true",),
    "label model without end model": ("end_model.kind=none",),
    "hard instead of soft labels": ("end_model.labels=hard",),
    "explained examples not used as gold": ("end_model.explained_examples=false",),
}
"""Ablation name -> config overrides."""


def run_config(dataset: str, overrides: tuple[str, ...], tag: str) -> dict[str, Any]:
    """``babble run`` one benchmark config in a fresh process; its summary, wall time, peak RSS."""
    out = ROOT / "runs" / "bench" / f"{dataset}-{tag}"
    sets = [*overrides, f'output="{out}"']
    cmd = [str(Path(sys.executable).parent / "babble"), "run", str(CONFIGS / f"{dataset}.toml")]
    cmd += [arg for s in sets for arg in ("--set", s)] + ["--overwrite", "--json", "--no-progress"]
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1:], "wall_s": round(wall, 1)}
    summary: dict[str, Any] = json.loads(done.stdout)
    summary["wall_s"] = round(wall, 1)
    return summary


def _score(summary: dict[str, Any], model: str) -> float | None:
    test = summary.get("test")
    if not test or test.get(model) is None:
        return None
    return round(100 * float(test[model]["score"]), 1)


def _coverage(summary: dict[str, Any]) -> float | None:
    """The share of the test split some LF votes on, in percent."""
    test = summary.get("test")
    return None if not test else round(100 * float(test["label_model_coverage"]), 1)


def main_table(datasets: list[str], overrides: tuple[str, ...]) -> list[dict[str, Any]]:
    """Label model alone and end model on test, beside the published figure."""
    rows = []
    for name in datasets:
        s = run_config(name, overrides, "main")
        rows.append(
            {
                "dataset": name,
                "metric": s.get("metric"),
                "explanations": s.get("explanations"),
                "lfs": s.get("lfs"),
                "label_model": _score(s, "label_model"),
                "label_model_where_lfs_vote": _score(s, "label_model_where_lfs_vote"),
                "test_coverage": _coverage(s),
                "end_model": _score(s, "end_model"),
                **{f"published_{k}": v for k, v in PUBLISHED[name].items()},
                "wall_s": s.get("wall_s"),
                "peak_mb": s.get("peak_memory_mb"),
                "error": s.get("error"),
            }
        )
    return rows


def efficiency(
    datasets: list[str],
    reduced: bool,
    seeds: tuple[int, ...],
    sizes: tuple[int | None, ...] = SIZES,
) -> list[dict[str, Any]]:
    """The same end model on N gold labels of the pool (early-stopped on the config's dev split
    when it has one, as ``babble run`` does), one draw (and model seed) per seed in
    ``seeds``, against babble's score in the main table (see :func:`_main_score`). Each row keeps
    its per-seed scores so that seeds run at different times are pooled by :func:`merged`."""
    from babble.config import RunConfig
    from babble.datasets import load_dataset
    from babble.endmodel import BaselineEndModel, EndModel, one_hot
    from babble.metrics import score

    rows = []
    for name in datasets:
        cfg = RunConfig.from_toml(CONFIGS / f"{name}.toml")
        babble = _main_score(name, reduced)
        data = load_dataset(cfg.data.format, cfg.data.path)
        pool = data.candidates(cfg.data.pool)
        test = [c for c in data.candidates(cfg.data.test) if c.label is not None]
        gold = np.array([c.label for c in test])
        # The dev split early-stops the gold-trained models as it does babble's (CDR).
        dev = (
            [c for c in data.candidates(cfg.data.dev) if c.label is not None]
            if cfg.data.dev
            else []
        )
        for n in sizes:
            if n is not None and n >= len(pool):
                continue
            start, scores = time.perf_counter(), {}
            for seed in seeds:
                rng = np.random.default_rng(seed)
                pick = sorted(rng.permutation(len(pool))[: n or len(pool)])
                cands = [pool[i] for i in pick]
                y = one_hot([c.label for c in cands], data.label_space.k)
                model: Any = (
                    BaselineEndModel()
                    if reduced
                    else EndModel(seed=seed, progress=False, **cfg.end_model.tuning())
                )
                model.fit(cands, y, dev or None, label_space=data.label_space, metric=data.metric)
                got = score(data.metric, gold, model.predict(test), data.label_space)
                scores[str(seed)] = round(100 * got, 1)
            row = {"dataset": name, "n_gold": n or len(pool), "seed_scores": scores}
            rows.append(
                _with_mean(row)
                | {
                    "babble_end_model": babble,
                    "wall_s": round(time.perf_counter() - start, 1),
                    "peak_mb_so_far": round(
                        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
                    ),
                }
            )
    return rows


def _with_mean(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` with ``score`` (mean), ``std`` and ``seeds`` computed from its ``seed_scores``."""
    values = list(row["seed_scores"].values())
    return row | {
        "score": round(float(np.mean(values)), 1),
        "std": round(float(np.std(values)), 1),
        "seeds": len(values),
    }


def _main_score(dataset: str, reduced: bool) -> float | None:
    """babble's end-model score on ``dataset``: the main table's row when the main table has
    been run (the learning curve then needs no second babble run), else a fresh main run."""
    stem = "end_to_end_main" + ("_reduced" if reduced else "")
    path = RESULTS / f"{stem}.json"
    if path.exists():
        for row in json.loads(path.read_text(encoding="utf-8")).get("rows", []):
            if row.get("dataset") == dataset and row.get("end_model") is not None:
                return float(row["end_model"])
    return _score(run_config(dataset, REDUCED if reduced else (), "main"), "end_model")


def crossing(rows: list[dict[str, Any]], dataset: str) -> int | None:
    """The smallest N whose gold-trained score reaches babble's, or None."""
    for r in rows:
        target = r["babble_end_model"]
        if r["dataset"] == dataset and target is not None and r["score"] >= target:
            return int(r["n_gold"])
    return None


def plot_efficiency(rows: list[dict[str, Any]], path: Path) -> None:
    """One learning curve per dataset, babble's score as a horizontal line."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 4.8), dpi=100)
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    for i, name in enumerate(sorted({r["dataset"] for r in rows})):
        mine = [r for r in rows if r["dataset"] == name]
        color = f"C{i}"
        ax.errorbar(
            [r["n_gold"] for r in mine],
            [r["score"] for r in mine],
            yerr=[r["std"] for r in mine],
            fmt="o-",
            capsize=3,
            color=color,
            label=f"{name}: gold labels (mean ± std over seeds)",
        )
        if mine[0]["babble_end_model"] is not None:
            ax.axhline(
                mine[0]["babble_end_model"], color=color, linestyle="--", label=f"{name}: babble"
            )
    ax.set_xscale("log")
    ax.set_xlabel("gold labels (N)")
    ax.set_ylabel("test score (task metric, %)")
    ax.legend(fontsize="small")
    figure.savefig(path)


def ablations(
    datasets: list[str], overrides: tuple[str, ...], only: list[int] | None = None
) -> list[dict[str, Any]]:
    """Each ablation's (or those numbered in ``only``) label model and end model score on test."""
    rows = []
    for name in datasets:
        for i, (ablation, sets) in enumerate(ABLATIONS.items()):
            if only is not None and i not in only:
                continue
            s = run_config(name, (*overrides, *sets), f"ablation{i}")
            rows.append(
                {
                    "dataset": name,
                    "ablation": ablation,
                    "lfs": s.get("lfs"),
                    "label_model": _score(s, "label_model"),
                    "label_model_where_lfs_vote": _score(s, "label_model_where_lfs_vote"),
                    "end_model": _score(s, "end_model"),
                    "wall_s": s.get("wall_s"),
                    "peak_mb": s.get("peak_memory_mb"),
                    "error": s.get("error"),
                }
            )
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    """A Markdown table of ``rows`` (columns of the first row)."""
    if not rows:
        return "(no rows)\n"
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_cell(r.get(c)) for c in cols) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _cell(value: Any) -> str:
    """A table cell: empty for None, per-seed scores as ``seed: score`` pairs."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _datasets(text: str) -> list[str]:
    """``--datasets`` items: one name or several joined by commas."""
    names = [n for n in text.split(",") if n]
    unknown = [n for n in names if n not in DATASETS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown dataset {unknown[0]!r}; choose from {DATASETS}")
    return names


ROW_KEYS = {
    "main": ("dataset",),
    "ablations": ("dataset", "ablation"),
    "efficiency": ("dataset", "n_gold"),
}
"""What identifies a row of each table: a re-run replaces the rows it shares a key with."""


def merged(previous: Path, rows: list[dict[str, Any]], table: str) -> list[dict[str, Any]]:
    """``rows`` after the rows of ``previous`` (a results JSON) that this run did not redo, so
    that a table can be filled a dataset (or an ablation) at a time. Learning-curve rows pool
    their seeds: a run of seeds 1 and 2 adds to an earlier run of seed 0 (wall times add up)."""
    if not previous.exists():
        return rows

    def key(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(row.get(field) for field in ROW_KEYS[table])

    kept = {key(r): r for r in json.loads(previous.read_text(encoding="utf-8")).get("rows", [])}
    if table == "efficiency":
        rows = [_pooled(kept[key(r)], r) if key(r) in kept else r for r in rows]
    ran = {key(r) for r in rows}
    return [r for k, r in kept.items() if k not in ran] + rows


def _pooled(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """A learning-curve row with the seeds of ``old`` and ``new`` (``new`` wins a seed both ran)."""
    kept = [s for s in old["seed_scores"] if s not in new["seed_scores"]]
    # the old row's wall time, shared equally by its seeds, counts for the seeds kept from it
    wall = new["wall_s"] + old["wall_s"] * len(kept) / len(old["seed_scores"])
    seeds = old["seed_scores"] | new["seed_scores"]
    return _with_mean(new | {"seed_scores": seeds, "wall_s": round(wall, 1)})


def main() -> None:
    """Parse the command line, run one table, write and print it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("table", choices=("main", "efficiency", "ablations"))
    parser.add_argument(
        "--datasets",
        nargs="+",
        type=_datasets,
        default=None,
        help=f"datasets, space- or comma-separated (of {', '.join(DATASETS)})",
    )
    parser.add_argument(
        "--reduced",
        action="store_true",
        help="baseline end model (and one seed): fast, labelled reduced",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=None,
        help="learning curves: the seeds (gold-label draw and model seed) to run per N, pooled "
        "with those already in the results file (default 0 1 2; 0 with --reduced)",
    )
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=None,
        help="learning curves: these N only (0 = the whole pool; default: "
        + " ".join(str(n or 0) for n in SIZES)
        + ")",
    )
    parser.add_argument(
        "--only",
        type=int,
        nargs="+",
        default=None,
        help="ablations: run only these (0-based, in the order of ABLATIONS; 0 is the full run)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args()
    if args.datasets is not None:
        args.datasets = [name for names in args.datasets for name in names]
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    overrides = REDUCED if args.reduced else ()
    if args.table == "main":
        rows = main_table(args.datasets or list(DATASETS), overrides)
    elif args.table == "ablations":
        rows = ablations(args.datasets or ["spouse"], overrides, args.only)
    else:
        seeds = tuple(args.seeds or ((0,) if args.reduced else (0, 1, 2)))
        sizes = SIZES if args.sizes is None else tuple(n or None for n in args.sizes)
        rows = efficiency(args.datasets or ["semeval", "spouse"], args.reduced, seeds, sizes)
    stem = f"end_to_end_{args.table}" + ("_reduced" if args.reduced else "")
    RESULTS.mkdir(parents=True, exist_ok=True)
    rows = merged(RESULTS / f"{stem}.json", rows, args.table)
    if args.table == "efficiency":
        rows.sort(key=lambda r: (r["dataset"], r["n_gold"]))
    record: dict[str, Any] = {"table": args.table, "reduced": args.reduced, "rows": rows}
    if args.table == "efficiency":
        record["crossing"] = {d: crossing(rows, d) for d in {r["dataset"] for r in rows}}
        plot_efficiency(rows, RESULTS / f"{stem}.png")
    (RESULTS / f"{stem}.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    note = "**Reduced** (baseline end model): not the full benchmark.\n\n" if args.reduced else ""
    (RESULTS / f"{stem}.md").write_text(note + markdown(rows), encoding="utf-8")
    print(json.dumps(record, indent=2) if args.json else note + markdown(rows))


if __name__ == "__main__":
    main()
