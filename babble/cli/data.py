"""``babble data ...``: look at a dataset before doing anything with it."""

from __future__ import annotations

import click

from babble.cli._output import console, print_json, print_table
from babble.datasets import FORMATS, load_dataset
from babble.datasets.summary import describe
from babble.preprocess import DEFAULT_PIPELINE, preprocess


@click.group()
def data() -> None:
    """Load and inspect datasets."""


@data.command()
@click.argument("path", type=click.Path(), required=False)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True, help="Dataset format."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def inspect(path: str | None, fmt: str, as_json: bool) -> None:
    """Print candidates per split, label distribution and explanation joins of PATH.

    PATH defaults to the shared copy of the format's dataset under $BABBLE_DATA.
    """
    summary = describe(load_dataset(fmt, path))
    if as_json:
        print_json(summary.to_dict())
        return
    console.print(
        f"[bold]{summary.name}[/bold]: {summary.task} task, {len(summary.labels)} labels, "
        f"metric {summary.metric}"
    )
    print_table(
        "Candidates per split",
        ["split", "candidates", "label matrix"],
        (
            [
                s.name,
                s.candidates,
                "" if s.label_matrix_shape is None else "x".join(map(str, s.label_matrix_shape)),
            ]
            for s in summary.splits
        ),
    )
    label_names = [*summary.labels, "unlabelled"]
    print_table(
        "Label distribution",
        ["label", *(s.name for s in summary.splits)],
        (
            [label, *(s.labels.get(label, 0) for s in summary.splits)]
            for label in label_names
            if any(label in s.labels for s in summary.splits)
        ),
    )
    console.print(
        f"Explanations: {summary.explanations} loaded, {summary.joined} joined to their example, "
        f"{summary.explanations - summary.joined} not joined"
    )
    if summary.not_joined:
        print_table(
            "Explanations not joined",
            ["reason", "count", "e.g."],
            (
                [reason, n, "; ".join(summary.not_joined_examples.get(reason, []))]
                for reason, n in summary.not_joined.items()
            ),
        )
    if summary.skipped:
        print_table("Rows skipped on purpose", ["reason", "count"], summary.skipped.items())
    if summary.word_lists:
        console.print(
            "Word lists: " + ", ".join(f"{k} ({n})" for k, n in summary.word_lists.items())
        )
    for note in summary.notes:
        console.print(f"Note: {note}")


@data.command(name="preprocess")
@click.argument("path", type=click.Path(), required=False)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True, help="Dataset format."
)
@click.option(
    "--spacy-model",
    default=DEFAULT_PIPELINE,
    show_default=True,
    help="spaCy pipeline: an installed package name, a folder, or blank:<lang>.",
)
@click.option("--split", default=None, help="Only this split (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")
def preprocess_command(
    path: str | None, fmt: str, spacy_model: str, split: str | None, as_json: bool
) -> None:
    """Run spaCy over the distinct sentences of PATH once and cache the token columns."""
    dataset = load_dataset(fmt, path)
    prepared = preprocess(dataset.candidates(split), pipeline=spacy_model, progress=not as_json)
    report = {
        "dataset": dataset.name,
        "candidates": len(prepared),
        "distinct_sentences": prepared.table.n_sentences,
        "tokens": int(prepared.table.offsets[-1]),
        "pipeline": prepared.table.pipeline,
    }
    if as_json:
        print_json(report)
        return
    print_table("Preprocessed", ["", "value"], report.items())
