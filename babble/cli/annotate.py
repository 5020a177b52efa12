"""``babble annotate``: the workbench's loop in a terminal, for annotators working over SSH.

One candidate at a time: its sentence with the entities highlighted, then a label (by its
number or name) and the explanation; the paraphrases, filter verdicts and figures are printed,
the explanation saved, and the next candidate proposed. Commands list, edit and delete the
explanations written so far, by name (the web page's core API: :class:`Workbench`).
"""

from __future__ import annotations

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from babble._memory import frozen_heap
from babble.analysis import percent
from babble.cli.serve import open_workbench, workbench_options
from babble.errors import BabbleError
from babble.workbench import STRATEGIES, CandidateInfo, Feedback, Summary, Workbench
from babble.workbench.feedback import STRATEGY_HELP, EntityMark, LFFigures, Mark

ENTITY_STYLES = {
    "subject": "black on yellow",
    "object": "black on cyan",
    "target": "black on magenta",
}
"""How each entity role is shown."""

HELP = (
    "Type a label's number or name, then the explanation. Commands: [bold]n[/] next candidate, "
    "[bold]s[/] summary, [bold]l[/] list explanations, [bold]e NAME[/] edit one, "
    "[bold]d NAME[/] delete one, [bold]q[/] quit (everything accepted is already saved)."
)


@click.command()
@workbench_options
@click.option(
    "--strategy",
    type=click.Choice(STRATEGIES),
    default="uncovered",
    show_default=True,
    help="How the next candidate is chosen: "
    + "; ".join(f"{name}: {what}" for name, what in STRATEGY_HELP.items())
    + ".",
)
@click.option("--candidate", "first", default=None, help="Start with this candidate id.")
def annotate(
    data: str | None,
    fmt: str | None,
    config: str | None,
    explanations: str | None,
    pool: str | None,
    dev: str | None,
    pipeline: str | None,
    strategy: str,
    first: str | None,
) -> None:
    """Write explanations in the terminal, with the web workbench's feedback after each one
    (paraphrases, skipped words, filter verdicts, coverage, dev accuracy, conflicts, sample).

    Every explanation is saved at once to the explanations file, which `babble run` reads
    unchanged; run it again with the same --explanations to continue.
    """
    out = Console(highlight=False)
    bench = open_workbench(data, fmt, config, explanations, pool, dev, pipeline, progress=False)
    out.print(f"Saving to {escape(str(bench.store.path))}. {HELP}")
    current = bench.candidate(first) if first else bench.suggest_next(strategy).candidate
    shown = None
    with frozen_heap():  # the loaded pool, out of the garbage collector's scans (as serve)
        while current is not None:
            if current.id != shown:  # after a command, the same candidate is not shown again
                show_candidate(out, current, bench.space.labels)
                shown = current.id
            answer = click.prompt("label", default="", show_default=False).strip()
            if answer == "q":
                break
            if answer in ("", "n") or (
                not _command(out, bench, answer) and _explain(out, bench, current, answer)
            ):
                current = bench.suggest_next(strategy, after=current.id).candidate
    out.print("Done; explanations are in " + escape(str(bench.store.path)))


def _command(out: Console, bench: Workbench, answer: str) -> bool:
    """Run a command (s, l, e NAME, d NAME, ?); whether ``answer`` was one."""
    if answer == "s":
        show_summary(out, bench.summary())
    elif answer == "l":
        for item in bench.explanations():
            e = item.explanation
            status = "parsed" if e.parsed else "NOT PARSED: " + ", ".join(e.not_understood)
            figures = f"coverage {percent(item.lf.coverage)}%" if item.lf else "no LF"
            out.print(escape(f"{e.name} [{e.label}] {e.text!r} -- {status}; {figures}"))
    elif answer.startswith("e "):
        _edit(out, bench, answer[2:].strip())
    elif answer.startswith("d "):
        try:
            show_summary(out, bench.delete(answer[2:].strip()))
        except BabbleError as exc:
            out.print(f"[red]{escape(exc.message)}[/red]")
    elif answer == "?":
        out.print(HELP)
    else:
        return False
    return True


def _edit(out: Console, bench: Workbench, name: str) -> None:
    """Change an explanation's label and text (Enter keeps each), judge it again and save it
    (:meth:`Workbench.update`, as the web page's Edit)."""
    try:
        old = bench.explanation(name)
    except BabbleError as exc:
        out.print(f"[red]{escape(exc.message)}[/red]")
        return
    labels = "  ".join(f"{i} {label}" for i, label in enumerate(bench.space.labels, 1))
    out.print(Text(f"editing {old.name} [{old.label}] {old.text!r} -- labels: {labels}"))
    answer = click.prompt("label (Enter keeps it)", default="", show_default=False).strip()
    label = _label(bench, answer) if answer else old.label
    text = click.prompt("why (Enter keeps it)", default="", show_default=False)
    try:
        feedback = bench.update(old.name, label, text if text.strip() else old.text)
    except BabbleError as exc:
        out.print(f"[red]{escape(exc.message)}[/red] ({escape(old.name)} is unchanged)")
        return
    show_feedback(out, feedback)


def _label(bench: Workbench, answer: str) -> str:
    """The label a typed answer names: its number (from 1) or its name (or alias)."""
    labels = bench.space.labels
    if answer.isdigit() and 0 < int(answer) <= len(labels):
        return labels[int(answer) - 1]
    return answer


def _explain(out: Console, bench: Workbench, candidate: CandidateInfo, answer: str) -> bool:
    """Read the explanation for a label answer, submit it and show the feedback."""
    label = _label(bench, answer)
    text = click.prompt(f"why {label}?", default="", show_default=False)
    if not text.strip():
        return False
    try:
        feedback = bench.submit(candidate.id, label, text)
    except BabbleError as exc:
        out.print(f"[red]{escape(exc.message)}[/red]")
        return False
    show_feedback(out, feedback)
    return True


def show_candidate(out: Console, candidate: CandidateInfo, labels: tuple[str, ...]) -> None:
    """Print a candidate, its entities highlighted, and the label choices."""
    out.rule(escape(f"{candidate.id} ({candidate.split})"))
    out.print(_marked(candidate.text, candidate.entities, ()))
    for e in candidate.entities:
        aliases = f" -- call it {', '.join(e.aliases)}" if e.aliases else ""
        out.print(Text.assemble((e.text, ENTITY_STYLES.get(e.role, "bold")), f" {e.role}{aliases}"))
    if candidate.votes:
        votes = ", ".join(f"{v.explanation} -> {v.label}" for v in candidate.votes)
        out.print("current LFs: " + escape(votes))
    out.print("  ".join(f"[bold]{i}[/] {escape(name)}" for i, name in enumerate(labels, 1)))


def show_feedback(out: Console, feedback: Feedback) -> None:
    """Print what the parser, the filter bank and the figures say about an explanation."""
    parse = feedback.parse
    name = feedback.explanation.name
    if not parse.ok:
        words = ", ".join(m.text for m in parse.not_understood) or "-"
        out.print(f"[red]not understood ({parse.error_code}):[/red] {escape(parse.error or '')}")
        out.print(escape(f"saved as {name}, marked as not parsed (words to rephrase: {words})"))
        return
    table = Table(title=Text(f"{name}: readings"), title_justify="left")
    for column in ("#", "paraphrase", "verdict", "votes", "skipped"):
        table.add_column(column)
    for r in parse.readings:
        verdict = r.verdict if r.reason is None else f"{r.verdict}: {r.reason}"
        skipped = ", ".join(m.text for m in r.skipped) or "-"
        cells = (str(r.rank), r.paraphrase, verdict, f"{r.votes} ({percent(r.coverage)}%)", skipped)
        table.add_row(*(Text(cell) for cell in cells))  # Text: no markup read in user data
    out.print(table)
    _show_figures(out, feedback.lf)
    if feedback.summary is not None:
        show_summary(out, feedback.summary)


def _show_figures(out: Console, lf: LFFigures | None) -> None:
    if lf is None:
        out.print("[yellow]no LF survived: this explanation labels nothing[/yellow]")
        return
    conflicts = ", ".join(f"{c.explanation} ({c.candidates})" for c in lf.conflicts_with)
    dev = f"{percent(lf.dev_accuracy)}% of {lf.dev_votes}" if lf.dev_votes else "-"
    line = (
        f"coverage {percent(lf.coverage)}% ({lf.votes}), dev accuracy {dev}, "
        f"conflicts {lf.conflicts}{' with ' + conflicts if conflicts else ''}, "
        f"agrees with others on {lf.agreements}"
    )
    out.print(escape(line))
    for s in lf.sample:
        flag = (" (conflicts)", "red") if s.conflicts else ""
        marked = _marked(s.text, s.entities, s.firing)
        out.print(Text.assemble("  -> ", (s.vote, "bold"), ": ", marked, flag))


def show_summary(out: Console, s: Summary) -> None:
    """Print the whole set's figures in one line."""
    dev = f", label model {s.dev_metric} on dev {percent(s.dev_score)}%" if s.dev_metric else ""
    out.print(
        f"[bold]summary[/bold]: {s.explanations} explanations ({s.parsed} parsed), {s.lfs} LFs, "
        f"coverage {percent(s.coverage)}%, conflict rate {percent(s.conflict)}%{dev}"
        + (f"; no LF votes {escape(', '.join(s.unvoted))} yet" if s.unvoted else "")
    )


def _marked(text: str, entities: tuple[EntityMark, ...], firing: tuple[Mark, ...]) -> Text:
    """A sentence with its entities coloured and the firing words underlined."""
    shown = Text(text)
    for e in entities:
        shown.stylize(ENTITY_STYLES.get(e.role, "bold"), e.start, e.end)
    for m in firing:
        shown.stylize("bold underline", m.start, m.end)
    return shown
