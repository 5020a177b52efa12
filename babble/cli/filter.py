"""``babble filter``: parse a dataset's explanations, run the filter bank, analyse the LFs."""

from __future__ import annotations

from typing import Any

import click

from babble.analysis import Analysis, analyze, percent, plot_coverage_accuracy, table_rows
from babble.apply import LabelMatrix, apply_lfs
from babble.cli._output import console, print_json, print_table
from babble.datasets import FORMATS, load_dataset
from babble.filter import FILTERS, FilterConfig, FilteredTask, filter_dataset, require_lfs
from babble.logic.interpret import analyzer_for
from babble.preprocess import DEFAULT_PIPELINE, preprocess

_HEADERS = ("consistency", "uniform", "duplicate", "low cov.", "general.", "one/expl.")


@click.command(name="filter")
@click.argument("path", type=click.Path(), required=False)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True, help="Dataset format."
)
@click.option(
    "--split",
    default=None,
    help="Split used as the unlabeled pool (default: train, else the first split).",
)
@click.option(
    "--uniform",
    "uniform",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=FilterConfig.uniform_coverage,
    show_default=True,
    help="Drop parses voting on more than this share of the pool.",
)
@click.option(
    "--keep-generalisations",
    is_flag=True,
    help="Keep a parse that strictly generalises another parse of its explanation.",
)
@click.option(
    "--one-per-explanation",
    is_flag=True,
    help="Keep only the most specific surviving parse of each explanation.",
)
@click.option(
    "--analyze",
    "do_analyze",
    is_flag=True,
    help="Also print each LF's polarity, coverage, overlap, conflict and accuracy.",
)
@click.option(
    "--gold-split",
    default=None,
    help="Split whose gold labels give the LFs' empirical accuracy (may be the pool).",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False),
    default=None,
    help="Save a PNG of coverage vs accuracy per LF (needs --gold-split).",
)
@click.option("--pipeline", default=DEFAULT_PIPELINE, show_default=True, help="spaCy pipeline.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def filter_command(
    path: str | None,
    fmt: str,
    split: str | None,
    uniform: float,
    keep_generalisations: bool,
    one_per_explanation: bool,
    do_analyze: bool,
    gold_split: str | None,
    plot: str | None,
    pipeline: str,
    as_json: bool,
) -> None:
    """Parse the explanations of PATH, execute every parse on the pool and filter them.

    Reports, per explanation, the parses found, how many each filter dropped and the LFs that
    survive. PATH defaults to the shared copy of the format's dataset under $BABBLE_DATA.
    """
    dataset = load_dataset(fmt, path)
    split = split or ("train" if "train" in dataset.splits else next(iter(dataset.splits)))
    config = FilterConfig(
        uniform_coverage=uniform,
        one_per_explanation=one_per_explanation,
        drop_generalisations=not keep_generalisations,
    )
    task = filter_dataset(dataset, split, config=config, pipeline=pipeline, progress=not as_json)
    analysis = None
    if do_analyze or plot or gold_split:
        analysis = _analysis(task, gold_split, pipeline)
        if plot:
            title = f"{dataset.name}: LFs on the {split} pool"
            plot_coverage_accuracy(analysis, plot, title, dataset.label_space.labels)
    if as_json:
        out: dict[str, Any] = {"dataset": dataset.name, "pool": split, **task.result.to_dict()}
        if analysis is not None:
            out["analysis"] = analysis.to_dict()
        print_json(out)
    else:
        _print(task, analysis)
        if plot:
            console.print(f"Plot saved to {plot}")
    require_lfs(task.result)


def _analysis(task: FilteredTask, gold_split: str | None, pipeline: str) -> Analysis:
    matrix = require_lfs(task.result)
    if gold_split is None:
        return analyze(matrix)
    dataset = task.dataset
    if gold_split == task.split:
        return analyze(matrix, dataset.gold(gold_split))
    dev = preprocess(dataset.candidates(gold_split), pipeline=pipeline, progress=False)
    dev_matrix: LabelMatrix = apply_lfs(
        task.result.lfs,
        dev,
        word_lists=dataset.word_lists,
        analyzer=analyzer_for(pipeline),
        n_labels=dataset.label_space.k,
    )
    return analyze(matrix, dataset.gold(gold_split), dev=dev_matrix)


def _print(task: FilteredTask, analysis: Analysis | None) -> None:
    result = task.result
    print_table(
        f"Filter bank: {task.dataset.name}, pool = {task.split} ({len(task.pool)} candidates)",
        ["explanation", "label", "parses", *_HEADERS, "LFs", "example / error"],
        (
            [
                r.explanation,
                task.dataset.label_space.name(r.label) if r.label >= 0 else "?",
                r.parses,
                *(r.dropped[name] for name in FILTERS),
                len(r.surviving),
                r.error.splitlines()[0] if r.error else r.example,
            ]
            for r in result.reports
        ),
    )
    totals = result.totals()
    console.print(
        f"{totals['explanations']} explanations -> {totals['parses']} parses -> "
        f"[bold]{totals['lfs']} LFs[/bold] (dropped: "
        + ", ".join(f"{h} {totals[name]}" for h, name in zip(_HEADERS, FILTERS, strict=True))
        + f"; duplicate groups: {len(result.duplicates)})"
    )
    if result.matrix is not None:
        for note in result.matrix.notes:
            console.print(f"Note: {note}")
    if analysis is None:
        return
    print_table(
        f"Labeling functions (accuracy on {analysis.accuracy_on} gold)",
        ["LF", "polarity", "coverage %", "overlap %", "conflict %", "accuracy %", "gold votes"],
        table_rows(analysis, task.dataset.label_space.labels),
    )
    print_table(
        "Per explanation (its LFs together)",
        ["explanation", "LFs", "coverage %", "accuracy %", "gold votes"],
        (
            [e.explanation, e.lfs, percent(e.coverage), percent(e.accuracy), e.gold_votes]
            for e in analysis.explanations
        ),
    )
    t = analysis.total
    console.print(
        f"Total coverage {percent(t.coverage)}%, overlap {percent(t.overlap)}%, conflict "
        f"{percent(t.conflict)}%; accuracy of all votes {percent(t.accuracy)}% "
        f"({t.gold_votes} gold votes), mean LF accuracy {percent(t.mean_lf_accuracy)}%"
    )
