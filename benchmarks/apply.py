"""LF execution speed: our vectorized executor vs Snorkel's PandasLFApplier, and the annotator's
loop (parse + filter + analyse one new explanation against a 10k pool).

Usage: ``python benchmarks/apply.py [--json] [--candidates 100000] [--lfs 200]
[--snorkel-rows 5000] [--loop-pool 10000]``

* **LFs**: every parse of the explanations of SemEval, Spouse, CDR and ABSA, taken round-robin
  over the datasets up to ``--lfs`` (reused, renamed, if the parses were fewer).
* **Pool**: every candidate of the four datasets (all splits), repeated to ``--candidates``.
  The token table is repeated with them, as a corpus of that many sentences would be, so the
  token-level work is not flattered by sharing sentences. Candidates lack the entity roles of
  the other tasks' LFs (aspect vs relation), and those LFs abstain on them, as in the reference.
* **Ours**: :func:`babble.apply.apply_lfs` (vectorized), one cold run (inverted indexes built
  inside the timing) and one warm run on the same pool.
* **Snorkel**: the same LFs as per-row Python functions -- the reference interpreter's compiled
  rule called on the row's candidate view -- through ``snorkel.labeling.PandasLFApplier``. The
  views are built before the clock starts (in Snorkel's favour). It runs on the first
  ``--snorkel-rows`` rows and its time is scaled linearly to the whole pool (the applier is a
  loop over rows); ``--snorkel-rows`` equal to ``--candidates`` runs it on everything (about
  nine minutes on two cores). Its votes must equal ours on those rows.
* **Annotator's loop**: for each SemEval explanation, the wall time of ``parse`` +
  ``filter_parses`` + ``analyze`` against a 10k-candidate SemEval pool whose indexes are
  warm (the pool stays loaded while the annotator types). p50 / p95 / max.

Goals: ours >= 20x faster than Snorkel and <= 5 s for 200 LFs x 100k candidates; the loop's
p95 <= 300 ms.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from babble.analysis import analyze
from babble.apply import apply_lfs, subset
from babble.datasets import load_dataset
from babble.filter import FilterConfig, ParsedExplanation, filter_parses, parse_explanations
from babble.lf import LabelingFunction, lfs_from_parses
from babble.logic.interpret import analyzer_for, candidate_views, compile_rule
from babble.parse import parse
from babble.preprocess import PreprocessedCandidates, concat_tables, preprocess
from babble.types import Dataset

DATASETS = ("semeval", "spouse", "cdr", "absa")
SPEEDUP_GOAL = 20.0
SECONDS_GOAL = 5.0
LOOP_P95_GOAL_MS = 300.0

console = Console(stderr=True)


def join_pools(pools: Sequence[PreprocessedCandidates]) -> PreprocessedCandidates:
    """One pool of several, their token tables concatenated (sentences keep their order)."""
    table = concat_tables([p.table for p in pools])
    shifts = np.cumsum([0, *(p.table.n_sentences for p in pools[:-1])])
    return PreprocessedCandidates(
        tuple(c for p in pools for c in p.candidates),
        table,
        np.concatenate([p.sentence + s for p, s in zip(pools, shifts, strict=True)]).astype(
            np.int32
        ),
        np.concatenate([p.spans for p in pools]),
    )


def build_lfs(datasets: dict[str, Dataset], n: int) -> list[LabelingFunction]:
    """``n`` LFs: the datasets' parses round-robin, reused (renamed) when there are fewer."""
    per_dataset = []
    for name, dataset in datasets.items():
        parsed = parse_explanations(
            dataset.explanations, dataset.label_space, word_lists=dataset.word_lists
        )
        per_dataset.append(
            [lf for p in parsed for lf in lfs_from_parses(f"{name}:{p.name}", p.rules)]
        )
    mixed = [lf for group in itertools.zip_longest(*per_dataset) for lf in group if lf is not None]
    return [
        LabelingFunction.from_rule(
            lf.rule,
            explanation=f"r{i // len(mixed)}:{lf.origin.explanation}",
            rank=lf.origin.rank or 0,
        )
        if i >= len(mixed)
        else lf
        for i, lf in ((i, mixed[i % len(mixed)]) for i in range(n))
        if lf.rule is not None
    ]


def snorkel_apply(
    lfs: Sequence[LabelingFunction], pool: PreprocessedCandidates, word_lists: dict[str, Any]
) -> tuple[np.ndarray, float]:
    """The LFs as per-row Python functions through Snorkel's PandasLFApplier: votes, seconds."""
    import pandas as pd
    from snorkel.labeling import LabelingFunction as SnorkelLF
    from snorkel.labeling import PandasLFApplier

    analyzer = analyzer_for()
    compiled = [compile_rule(lf.rule, word_lists, analyzer=analyzer) for lf in lfs if lf.rule]
    frame = pd.DataFrame({"view": list(candidate_views(pool))})
    snorkel_lfs = [
        SnorkelLF(lf.name, f=lambda row, rule=rule: rule(row.view))
        for lf, rule in zip(lfs, compiled, strict=True)
    ]
    start = time.perf_counter()
    votes = PandasLFApplier(snorkel_lfs).apply(frame, progress_bar=False)
    return np.asarray(votes), time.perf_counter() - start


def annotator_loop(dataset: Dataset, pool: PreprocessedCandidates) -> list[float]:
    """Milliseconds to parse, filter and analyse each explanation against the pool."""
    analyzer = analyzer_for()
    gold = np.array([-1 if c.label is None else c.label for c in pool.candidates])
    sentences = {c.id: c.text for c in dataset.candidates()}
    config = FilterConfig()
    times = []
    for i, explanation in enumerate(dataset.explanations):
        start = time.perf_counter()
        result = parse(
            explanation,
            dataset.label_space,
            word_lists=dataset.word_lists,
            sentence=sentences.get(explanation.candidate_id or ""),
        )
        parsed = ParsedExplanation(f"new{i}", result.label, result.rules, explanation.candidate_id)
        filtered = filter_parses(
            [parsed],
            pool,
            config=config,
            word_lists=dataset.word_lists,
            analyzer=analyzer,
            n_labels=dataset.label_space.k,
        )
        if filtered.matrix is not None:
            analyze(filtered.matrix, gold)
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def measure(n_candidates: int, n_lfs: int, snorkel_rows: int, loop_pool: int) -> dict[str, Any]:
    datasets = {name: load_dataset(name) for name in DATASETS}
    console.print("preprocessing (cached after the first run) ...")
    pools = [preprocess(d.candidates(), progress=True) for d in datasets.values()]
    real = join_pools(pools)
    reps = -(-n_candidates // len(real))
    pool = subset(join_pools([real] * reps), slice(0, n_candidates))
    word_lists = {k: v for d in datasets.values() for k, v in d.word_lists.items()}
    lfs = build_lfs(datasets, n_lfs)
    analyzer = analyzer_for()
    console.print(f"{len(lfs)} LFs x {len(pool)} candidates ({pool.table.n_tokens} tokens) ...")

    def ours() -> tuple[Any, float]:
        start = time.perf_counter()
        matrix = apply_lfs(lfs, pool, word_lists=word_lists, analyzer=analyzer)
        return matrix, time.perf_counter() - start

    matrix, cold = ours()
    _, warm = ours()
    rows = min(snorkel_rows, len(pool))
    console.print(f"Snorkel PandasLFApplier on {rows} rows ...")
    votes, snorkel_s = snorkel_apply(lfs, subset(pool, slice(0, rows)), word_lists)
    agree = bool((votes == matrix.to_dense()[:rows]).all())
    snorkel_full = snorkel_s * len(pool) / rows

    semeval = datasets["semeval"]
    loop = preprocess(semeval.candidates()[:loop_pool], progress=False)
    annotator_loop(semeval, subset(loop, slice(0, 50)))  # warm up the parser and the analyzer
    apply_lfs(lfs[:1], loop, word_lists=word_lists, analyzer=analyzer)  # the pool's indexes
    times = sorted(annotator_loop(semeval, loop))
    return {
        "lfs": len(lfs),
        "candidates": len(pool),
        "tokens": pool.table.n_tokens,
        "votes": int(matrix.matrix.nnz),
        "ours_cold_s": round(cold, 3),
        "ours_warm_s": round(warm, 3),
        "snorkel_rows": rows,
        "snorkel_measured_s": round(snorkel_s, 2),
        "snorkel_s": round(snorkel_full, 1),
        "snorkel_extrapolated": rows < len(pool),
        "speedup": round(snorkel_full / cold, 1),
        "same_votes_as_snorkel": agree,
        "loop_pool": len(loop),
        "loop_explanations": len(times),
        "loop_p50_ms": round(float(np.percentile(times, 50)), 1),
        "loop_p95_ms": round(float(np.percentile(times, 95)), 1),
        "loop_max_ms": round(times[-1], 1),
        "cpus": os.cpu_count(),
    }


def show(r: dict[str, Any]) -> None:
    table = Table(title=f"{r['lfs']} LFs x {r['candidates']:,} candidates ({r['tokens']:,} tokens)")
    for col in ("", "seconds", "goal", "met"):
        table.add_column(col, justify="left" if not col else "right")
    extrapolated = f" (measured {r['snorkel_measured_s']} s on {r['snorkel_rows']:,} rows, scaled)"
    table.add_row(
        "ours, vectorized (cold)",
        f"{r['ours_cold_s']}",
        f"<= {SECONDS_GOAL}",
        str(r["ours_cold_s"] <= SECONDS_GOAL),
    )
    table.add_row("ours, vectorized (warm)", f"{r['ours_warm_s']}", "", "")
    table.add_row(
        "Snorkel PandasLFApplier" + (extrapolated if r["snorkel_extrapolated"] else ""),
        f"{r['snorkel_s']}",
        "",
        "",
    )
    table.add_row(
        "speed-up (cold)",
        f"{r['speedup']}x",
        f">= {SPEEDUP_GOAL}x",
        str(r["speedup"] >= SPEEDUP_GOAL),
    )
    Console().print(table)
    Console().print(
        f"Votes: {r['votes']:,}; identical to Snorkel's on the rows it ran: "
        f"{r['same_votes_as_snorkel']}\nAnnotator's loop (parse + filter + analyse one "
        f"explanation, {r['loop_pool']:,}-candidate pool, {r['loop_explanations']} "
        f"explanations): p50 {r['loop_p50_ms']} ms, p95 {r['loop_p95_ms']} ms "
        f"(goal <= {LOOP_P95_GOAL_MS:.0f}: {r['loop_p95_ms'] <= LOOP_P95_GOAL_MS}), "
        f"max {r['loop_max_ms']} ms; {r['cpus']} CPUs"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--candidates", type=int, default=100_000)
    parser.add_argument("--lfs", type=int, default=200)
    parser.add_argument("--snorkel-rows", type=int, default=5_000)
    parser.add_argument("--loop-pool", type=int, default=10_000)
    args = parser.parse_args(argv)
    result = measure(args.candidates, args.lfs, args.snorkel_rows, args.loop_pool)
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        show(result)


if __name__ == "__main__":
    main()
