"""Parser coverage on the four shared explanation sets, beside the original Babble Labble parser.

Usage: ``python benchmarks/parse_coverage.py [--json] [--spacy-model NAME] [--heldout a|...|af]``

For SemEval (203 explanations), CDR (34), ABSA restaurants (75) and Spouse (200), per set
(:func:`babble.parse.report.report_dataset` does the work, as for ``babble parse``):

* share with at least one parse;
* share with a parse that labels the explanation's own example with the explanation's label,
  over the explanations whose example the loader joins (CDR: also over the 28 that name an
  example, the 5 the loader cannot join counting as misses; Spouse publishes no examples);
* share of the explanation's words (punctuation aside) the best parse skips, median and mean
  (1.0 for an explanation without a parse);
* share whose best parse skips nothing but filler, and share that skips at most 20%;
* mean parses per explanation; parse time per explanation, p50 / p95 (after one warm-up parse).

``--heldout a`` (or ``b``) measures the same figures on the explanations of
``benchmarks/heldout/<set>_<half>.jsonl`` instead of the shared sets': explanations written blind
(see ``benchmarks/heldout/README.md``), so that what the parser understands can be told from what
it was built on. The ``a`` halves may guide parser work; the ``b`` halves are for reporting.
``--heldout c`` parses set ``c``, written later by other helpers (SemEval, Spouse, CDR, ABSA
and WRENCH TREC questions); its first figures were taken before any parser work it guided.
``--heldout d`` and ``e`` parse two sets in a wordier style (full sentences, the annotator's
own asides): ``d`` is for reporting only, ``e`` may guide parser work. ``--heldout f``, written
after the parser work of the session that added it, mixes terse and wordy explanations and is
for reporting only; so do ``g``, ``i``, ``j`` and ``l`` (reporting only) and ``h``, ``k`` and
``m`` and ``n`` (may guide parser work); ``o`` is for reporting only, and ``n`` and ``o``
(crowd workers' voice: sloppier, with misspellings) are one style split in two; ``p`` (mixed
voices) was measured blind, for reporting only; ``q`` (may guide parser work) and ``r``
(reporting only) are one style split in two (a guidelines rule book's voice), and ``s`` (teachers'
voice) was measured blind, for reporting only; ``t`` / ``u`` (researchers' voice), ``v``
(thinking aloud), ``w`` / ``x`` (non-native English), ``y`` / ``z`` (guards and exceptions),
``aa`` / ``ab`` (instructions and procedures), ``ac`` / ``ad`` (shorthand notes) and ``ae`` /
``af`` (chat replies) follow the same roles: ``t``, ``w``, ``y``, ``aa``, ``ac`` and ``ae`` may
guide parser work. Which set was read, and when each was first measured:
``benchmarks/heldout/README.md``.

Goals (issue 5): >= 90% correct on their own example on SemEval, ABSA and CDR (of 28); median
share skipped <= 10% on every set; on Spouse >= 90% with a parse skipping <= 20% of its words;
p95 parse time <= 50 ms on every set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from babble._memory import frozen_heap
from babble.datasets import load_dataset
from babble.datasets._common import data_root
from babble.parse import parse
from babble.parse.report import SKIP_BOUND, ParseSummary, load_explanations, report_dataset
from babble.preprocess import DEFAULT_PIPELINE
from babble.types import LabelSpace


@dataclass(frozen=True)
class Anchor:
    """The original Babble Labble parser's figures on a set (issue 5)."""

    parsed: float
    correct: float | None
    p50_ms: float
    p95_ms: float


SETS = ("semeval", "cdr", "absa", "spouse")
ANCHORS = {
    "semeval": Anchor(0.995, 0.532, 268, 460),
    "cdr": Anchor(0.941, 0.750, 21, 2979),
    "absa": Anchor(1.000, 0.707, 12, 17),
    "spouse": Anchor(0.920, None, 10, 108),
}
ANCHOR_SKIPPED = "21-40%"
"""Babble Labble's median share of words skipped, as a range across the sets."""

HELDOUT = Path(__file__).resolve().parent / "heldout"
"""Blind held-out explanation sets, ``<set>_<half>.jsonl``."""

HELDOUT_SETS = tuple(
    sorted({p.stem.rsplit("_", 1)[1] for p in HELDOUT.glob("*_*.jsonl")}, key=lambda s: (len(s), s))
)
"""The names of the held-out sets (``a`` ... ``z``, ``aa`` ...): every ``<set>`` of a file."""

HELDOUT_ONLY = {"youtube": "wrench/youtube", "sms": "wrench/sms", "trec": "wrench/trec"}
"""Text-classification sets (WRENCH folders under ``$BABBLE_DATA``) with held-out explanations
only: no shared explanation set exists for them."""

NAMED_EXAMPLES = {"cdr": 28}
"""Explanations that name their example in the data README, where the loader joins fewer."""

GOAL_CORRECT, GOAL_MEDIAN_SKIPPED, GOAL_SPOUSE_WITHIN, GOAL_P95_MS = 0.90, 0.10, 0.90, 50.0


def measure(name: str, pipeline: str, heldout: str | None = None) -> dict[str, Any]:
    """Every figure of one set (of its held-out half ``heldout``), in a flat dict."""
    folder = HELDOUT_ONLY.get(name)
    dataset = load_dataset("wrench", data_root() / folder) if folder else load_dataset(name)
    joins = (
        None if heldout is None else load_explanations(HELDOUT / f"{name}_{heldout}.jsonl", dataset)
    )
    with frozen_heap():  # as in the workbench: the loaded data out of the collector's scans
        report = report_dataset(dataset, joins, pipeline=pipeline)
    s: ParseSummary = report.summary
    named = s.with_example if heldout else NAMED_EXAMPLES.get(name, s.with_example)
    out: dict[str, Any] = {"set": name, **s.to_dict()}
    out.update(named_examples=named, correct_of_named=s.share(s.correct, named))
    return out


def goals(r: dict[str, Any]) -> dict[str, bool]:
    """Which of the issue's goals a set meets (only those that apply to it)."""
    met = {
        "median_skipped": r["median_skipped"] <= GOAL_MEDIAN_SKIPPED,
        "p95_ms": r["p95_ms"] <= GOAL_P95_MS,
    }
    if r["set"] == "spouse":
        met["skip_within_bound"] = r["skip_within_bound_share"] >= GOAL_SPOUSE_WITHIN
    else:
        met["correct"] = r["correct_of_named"] >= GOAL_CORRECT
    return met


def _warm_up() -> None:
    """Load the grammar and lexicon once, so the first set's first parse is not timed cold."""
    space = LabelSpace(("no", "yes"), entity_aliases={"a": "subject", "b": "object"})
    parse("'x' is between a and b", space, label="yes")


def render(results: list[dict[str, Any]], heldout: str | None = None) -> Table:
    """Ours beside Babble Labble's, one row per set (held-out halves: ours alone; Babble
    Labble's figures are for the shared sets)."""
    table = Table(
        title="Parser coverage: babble (ours) vs the original Babble Labble parser (BL)"
        if heldout is None
        else f"Parser coverage on the blind held-out explanations, half {heldout!r}",
        caption=(
            f"median share skipped, BL: {ANCHOR_SKIPPED} across the sets. " if not heldout else ""
        )
        + "Goals: >= "
        f"{GOAL_CORRECT:.0%} correct (SemEval, ABSA, CDR of 28); median skipped <= "
        f"{GOAL_MEDIAN_SKIPPED:.0%}; Spouse >= {GOAL_SPOUSE_WITHIN:.0%} skipping <= "
        f"{SKIP_BOUND:.0%}; p95 <= {GOAL_P95_MS:.0f} ms",
    )
    columns = ["set", ">=1 parse", "correct on own example", "skipped median / mean"]
    columns += ["filler only", f"skips <= {SKIP_BOUND:.0%}", "parses", "ms p50 / p95", "goals"]
    for col in columns:
        table.add_column(col, justify="left" if col in ("set", "goals") else "right")
    for r in results:
        a = ANCHORS.get(r["set"], Anchor(0.0, None, 0, 0))
        bl = heldout is None
        correct = "-"
        if r["with_example"]:
            correct = f"{r['correct_share']:.1%} ({r['correct']}/{r['with_example']})"
            if r["named_examples"] != r["with_example"]:
                correct += f", {r['correct_of_named']:.1%} of {r['named_examples']}"
        bl_correct = "-" if a.correct is None else f"{a.correct:.1%}"
        met = goals(r)
        table.add_row(
            f"{r['set']} ({r['n']})",
            f"{r['parsed_share']:.1%}" + (f" | BL {a.parsed:.1%}" if bl else ""),
            correct + (f" | BL {bl_correct}" if bl else ""),
            f"{r['median_skipped']:.1%} / {r['mean_skipped']:.1%}",
            f"{r['filler_only_share']:.1%}",
            f"{r['skip_within_bound_share']:.1%}",
            f"{r['mean_readings']:.2f}",
            f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f}"
            + (f" | BL {a.p50_ms:.0f} / {a.p95_ms:.0f}" if bl else ""),
            ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in met.items()),
        )
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--spacy-model", default=DEFAULT_PIPELINE, help="pipeline for examples")
    parser.add_argument(
        "--sets", nargs="+", choices=[*SETS, *HELDOUT_ONLY], help="default: all (shared: four)"
    )
    parser.add_argument(
        "--heldout",
        choices=HELDOUT_SETS,
        help="parse a blind held-out set (benchmarks/heldout/): half a or b, or set c to af",
    )
    args = parser.parse_args(argv)
    _warm_up()
    if args.heldout:
        sets = [
            n
            for n in args.sets or [*SETS, *HELDOUT_ONLY]
            if (HELDOUT / f"{n}_{args.heldout}.jsonl").exists()
        ]
    else:
        sets = [n for n in args.sets or SETS if n in SETS]
    results = [measure(name, args.spacy_model, args.heldout) for name in sets]
    for r in results:
        r["goals"] = goals(r)
    if args.json:
        print(json.dumps({"cpus": os.cpu_count(), "sets": results}))
    else:
        Console().print(render(results, args.heldout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
