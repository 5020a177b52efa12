"""What the filter bank does on the four shared explanation sets.

Usage: ``python benchmarks/filter_report.py [--json] [--datasets semeval,cdr,absa,spouse]``

For each dataset its explanations are parsed and every parse is executed on an unlabeled pool
(SemEval, CDR and ABSA: the train split; Spouse, which has no train split: dev). The pool's gold
labels are used as a dev set *for this report only* (the filters never see them). Printed:

* parses before the bank and after each filter, in total and per explanation;
* the number of LFs and the pool coverage of the survivors (any LF votes);
* the empirical accuracy of the surviving LFs vs that of all parses: the mean over LFs that
  voted on some gold-labeled candidate, and the accuracy of all their votes pooled; and the mean
  accuracy of the parses the consistency filter dropped. Accuracy is held out: an LF's vote on
  its own explanation's example is not counted (coverage counts every vote);
* the same for the parses the generalisation filter dropped, and for explanations of which a
  filter dropped some readings and kept others: the kept readings vs the dropped ones;
* the same with ``one_per_explanation`` on (the optional last filter), for the ablation.

The consistency filter can only check explanations whose example is known: SemEval and ABSA
name their training sentence, CDR most of its candidates (dev-set examples are preprocessed
apart from the train pool), Spouse none (its sentences were never published).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from rich.console import Console
from rich.table import Table

from babble.analysis import analyze
from babble.apply import LabelMatrix
from babble.datasets import load_dataset
from babble.filter import FILTERS, FilterConfig, FilteredTask, filter_dataset

POOLS = {"semeval": "train", "cdr": "train", "absa": "train", "spouse": "dev"}

console = Console(stderr=True)


def held_out(matrix: LabelMatrix, task: FilteredTask) -> LabelMatrix:
    """``matrix`` without each LF's vote on its own explanation's example: an LF is always
    right there (the consistency filter saw to it), so counting it would flatter parses that
    fire on little else."""
    rows = {c.id: j for j, c in enumerate(task.pool.candidates)}
    example = {p.name: p.example for p in task.parsed}
    coo = matrix.matrix.tocoo()
    own = np.full(matrix.shape[1], -1)
    for j, name in enumerate(matrix.lf_names):
        row = rows.get(example.get(name.split("#")[0]) or "")
        own[j] = -1 if row is None else row
    keep = coo.row != own[coo.col]
    kept = sp.csr_matrix(
        (coo.data[keep], (coo.row[keep], coo.col[keep])), shape=matrix.shape, dtype=coo.dtype
    )
    return replace(matrix, matrix=kept)


def _accuracy(matrix: LabelMatrix | None, gold: np.ndarray, task: FilteredTask) -> dict[str, Any]:
    if matrix is None:
        return {"lfs": 0, "coverage": 0.0, "mean_lf_accuracy": None, "vote_accuracy": None}
    report = analyze(matrix, gold, dev=held_out(matrix, task))
    scored = [s for s in report.lfs if s.accuracy is not None]
    return {
        "lfs": len(report.lfs),
        "lfs_with_gold_votes": len(scored),
        "coverage": round(report.total.coverage, 4),
        "mean_lf_accuracy": _round(report.total.mean_lf_accuracy),
        "vote_accuracy": _round(report.total.accuracy),
        "gold_votes": report.total.gold_votes,
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def summarize(task: FilteredTask, one_per: FilteredTask) -> dict[str, Any]:
    """The report's figures for one dataset."""
    result = task.result
    gold = task.dataset.gold(task.split)
    totals = result.totals()
    n_expl = totals["explanations"]
    stages = [("parsed", totals["parses"])]
    left = totals["parses"]
    for name in FILTERS[:-1]:
        left -= totals[name]
        stages.append((f"after {name}", left))
    stages.append(("after one_per_explanation (on)", one_per.result.totals()["lfs"]))
    return {
        "dataset": task.dataset.name,
        "pool": f"{task.split} ({len(task.pool)} candidates)",
        "explanations": n_expl,
        "parsed": sum(1 for r in result.reports if r.parses),
        "example_known": sum(1 for r in result.reports if not r.example.startswith("not")),
        "stages": {
            name: {"parses": n, "per_explanation": round(n / n_expl, 2)} for name, n in stages
        },
        "all_parses": _accuracy(result.parsed, gold, task),
        "surviving": _accuracy(result.matrix, gold, task),
        "dropped_by_consistency": _accuracy(_dropped_by(task, "consistency"), gold, task),
        "dropped_by_generalisation": _accuracy(_dropped_by(task, "generalisation"), gold, task),
        "surviving_one_per_explanation": _accuracy(one_per.result.matrix, gold, task),
        "duplicate_groups": len(result.duplicates),
        "ambiguous_resolved_by_consistency": _resolved(task, "consistency"),
        "ambiguous_resolved_by_generalisation": _resolved(task, "generalisation"),
    }


def _dropped_by(task: FilteredTask, filter_name: str) -> LabelMatrix | None:
    """The votes of the parses one filter dropped (None when it dropped none)."""
    dropped = [d.lf for d in task.result.dropped if d.filter == filter_name]
    parsed = task.result.parsed
    return parsed.select(dropped) if dropped and parsed is not None else None


def _resolved(task: FilteredTask, filter_name: str) -> dict[str, Any]:
    """Explanations of which one filter dropped some readings while another survived the bank:
    the held-out accuracy of the surviving readings vs the ones that filter dropped."""
    gone = {d.lf for d in task.result.dropped if d.filter == filter_name}
    surviving = {lf.name for lf in task.result.lfs}
    kept: list[str] = []
    dropped: list[str] = []
    for p in task.parsed:
        names = [f"{p.name}#{k}" for k in range(len(p.rules))]
        if any(n in gone for n in names) and any(n in surviving for n in names):
            dropped += [n for n in names if n in gone]
            kept += [n for n in names if n in surviving]
    parsed = task.result.parsed
    if not kept or parsed is None:
        return {"explanations": 0}
    gold = task.dataset.gold(task.split)
    return {
        "explanations": len({n.split("#")[0] for n in dropped}),
        "kept": _accuracy(parsed.select(kept), gold, task),
        "dropped": _accuracy(parsed.select(dropped), gold, task),
    }


def measure(names: list[str]) -> list[dict[str, Any]]:
    out = []
    for name in names:
        console.print(f"{name}: parsing, preprocessing the {POOLS[name]} pool, filtering ...")
        dataset = load_dataset(name)
        start = time.perf_counter()
        task = filter_dataset(dataset, POOLS[name], progress=True)
        seconds = time.perf_counter() - start
        one_per = filter_dataset(
            dataset, POOLS[name], config=FilterConfig(one_per_explanation=True)
        )
        out.append({**summarize(task, one_per), "seconds": round(seconds, 1)})
    return out


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def show(rows: list[dict[str, Any]]) -> None:
    out = Console()
    stages = Table(title="Parses before / after each filter (per explanation)")
    stages.add_column("stage")
    for r in rows:
        stages.add_column(f"{r['dataset']}\n{r['pool']}", justify="right")
    for stage in rows[0]["stages"]:
        stages.add_row(
            stage,
            *(
                f"{r['stages'][stage]['parses']} ({r['stages'][stage]['per_explanation']})"
                for r in rows
            ),
        )
    stages.add_row(
        "explanations (parsed, example known)",
        *(f"{r['explanations']} ({r['parsed']}, {r['example_known']})" for r in rows),
    )
    out.print(stages)
    quality = Table(title="LFs on the pool, gold of the pool as dev (report only)")
    quality.add_column("")
    for r in rows:
        quality.add_column(r["dataset"], justify="right")
    for key, label in [
        ("all_parses", "all parses"),
        ("surviving", "surviving LFs"),
        ("dropped_by_consistency", "dropped by consistency"),
        ("dropped_by_generalisation", "dropped by generalisation"),
        ("surviving_one_per_explanation", "surviving, one per explanation"),
    ]:
        quality.add_row(f"{label}: LFs", *(str(r[key]["lfs"]) for r in rows))
        quality.add_row("  total coverage %", *(_pct(r[key]["coverage"]) for r in rows))
        quality.add_row("  mean LF accuracy %", *(_pct(r[key]["mean_lf_accuracy"]) for r in rows))
        quality.add_row("  accuracy of all votes %", *(_pct(r[key]["vote_accuracy"]) for r in rows))
    out.print(quality)
    for r in rows:
        for filter_name in ("consistency", "generalisation"):
            resolved = r[f"ambiguous_resolved_by_{filter_name}"]
            if resolved["explanations"]:
                out.print(
                    f"{r['dataset']}: {resolved['explanations']} ambiguous explanations where the "
                    f"{filter_name} filter dropped some readings: held-out mean accuracy of the "
                    f"surviving readings {_pct(resolved['kept']['mean_lf_accuracy'])}% "
                    f"({resolved['kept']['lfs']} LFs, pooled votes "
                    f"{_pct(resolved['kept']['vote_accuracy'])}%) vs dropped "
                    f"{_pct(resolved['dropped']['mean_lf_accuracy'])}% "
                    f"({resolved['dropped']['lfs']}, pooled "
                    f"{_pct(resolved['dropped']['vote_accuracy'])}%)"
                )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--datasets", default=",".join(POOLS))
    args = parser.parse_args(argv)
    rows = measure(args.datasets.split(","))
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        print()
    else:
        show(rows)


if __name__ == "__main__":
    main()
