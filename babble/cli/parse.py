"""``babble parse``: what the parser makes of a dataset's explanations, reading by reading."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape

from babble.cli._output import console, print_json, print_table
from babble.datasets import FORMATS, load_dataset
from babble.parse.report import (
    SKIP_BOUND,
    DatasetReport,
    ExplanationReport,
    load_explanations,
    report_dataset,
)
from babble.preprocess import DEFAULT_PIPELINE

_VERDICT = {True: "[green]labels its example correctly[/green]", False: "[red]wrong vote[/red]"}


@click.command()
@click.option(
    "--data",
    "data_path",
    type=click.Path(),
    help="Dataset folder (default: the format's shared copy under $BABBLE_DATA).",
)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True, help="Dataset format."
)
@click.option(
    "--explanations",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An explanations.jsonl (text, label, candidate_id, name) to parse instead of the "
    "dataset's own.",
)
@click.option(
    "--spacy-model",
    default=DEFAULT_PIPELINE,
    show_default=True,
    help="spaCy pipeline for the examples.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def parse(
    data_path: str | None, fmt: str, explanations: Path | None, spacy_model: str, as_json: bool
) -> None:
    """Parse explanations: each one's readings (paraphrase + S-expression), skipped words and
    whether each reading labels the explanation's own example correctly; then a summary."""
    dataset = load_dataset(fmt, data_path)
    joins = load_explanations(explanations, dataset) if explanations else None
    report = report_dataset(dataset, joins, pipeline=spacy_model)
    if as_json:
        print_json(report.to_dict())
        return
    for k, explanation in enumerate(report.explanations):
        _print_explanation(k, explanation)
    _print_summary(report)


def _print_explanation(k: int, e: ExplanationReport) -> None:
    where = f" ({escape(e.source)})" if e.source else ""
    console.print(
        f"\n[bold]{k + 1}. {escape(e.name or '')}[/bold]{where} label [bold]{escape(e.label)}"
        f"[/bold]: {escape(e.text)}"
    )
    if e.example is not None:
        console.print(f"   example: {escape(e.example)}")
    if e.error:
        console.print(f"   [red]{escape(e.error)}[/red]")
    for i, r in enumerate(e.readings):
        verdict = "" if r.correct is None else f"  {_VERDICT[r.correct]}"
        console.print(f"   {i + 1}) {escape(r.paraphrase)}{verdict}")
        console.print(f"      [dim]{escape(r.sexpr)}[/dim]")
        if r.skipped and i > 0:
            console.print(f"      skips: {escape(', '.join(r.skipped))}")
        if r.respelled:
            console.print(f"      reads {escape(_respellings(r.respelled))}")
    if e.readings:
        skipped = ", ".join(repr(w) for w in e.skipped) or "nothing but filler"
        console.print(
            f"   best reading skips {e.skipped_share:.0%} of {e.n_words} words: {escape(skipped)}"
        )
    for warning in e.warnings:
        console.print(f"   [yellow]{escape(warning)}[/yellow]")


def _respellings(pairs: tuple[tuple[str, str], ...]) -> str:
    """ "'befor' as 'before', 'sentance' as 'sentence'": misspelt words, as read."""
    return ", ".join(f"{written!r} as {meant!r}" for written, meant in pairs)


def _print_summary(report: DatasetReport) -> None:
    s = report.summary
    print_table(
        f"Summary: {report.dataset}, {s.n} explanations, parse time p50 {s.p50_ms:.1f} ms / "
        f"p95 {s.p95_ms:.1f} ms",
        ["measure", "count", "share"],
        [
            ["at least one reading", s.parsed, f"{s.share(s.parsed):.1%}"],
            [
                f"a reading labels its own example correctly (of {s.with_example} known)",
                s.correct,
                f"{s.share(s.correct, s.with_example):.1%}" if s.with_example else "-",
            ],
            [
                "best reading skips nothing but filler",
                s.filler_only,
                f"{s.share(s.filler_only):.1%}",
            ],
            [
                f"best reading skips at most {SKIP_BOUND:.0%} of the words",
                s.skip_within_bound,
                f"{s.share(s.skip_within_bound):.1%}",
            ],
            [
                "share of words skipped by the best reading: median / mean",
                "",
                f"{s.median_skipped:.1%} / {s.mean_skipped:.1%}",
            ],
            ["readings per explanation (mean)", "", f"{s.mean_readings:.2f}"],
        ],
    )
