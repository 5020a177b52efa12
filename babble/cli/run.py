"""``babble run CONFIG``: the whole job from one config file."""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape

from babble.cli._output import console, print_json, print_table
from babble.config import RunConfig, parse_override
from babble.runner import RunResult, report_table
from babble.runner import run as run_pipeline


@click.command()
@click.argument("config", type=click.Path(dir_okay=False))
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Override a config key, e.g. --set end_model.steps=50 --set output=runs/x (repeatable).",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing run folder.")
@click.option("--resume", is_flag=True, help="Continue an existing run folder of the same config.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON on stdout.")
@click.option("--no-progress", is_flag=True, help="Hide progress bars.")
def run(
    config: str,
    overrides: tuple[str, ...],
    overwrite: bool,
    resume: bool,
    as_json: bool,
    no_progress: bool,
) -> None:
    """Run the pipeline described by CONFIG (TOML): preprocess, parse, filter, label model, end
    model, evaluation; write the run folder named by its `output` key.

    Hand-written LF modules named in the config's [lfs] section are imported: run only configs
    you trust.
    """
    cfg = RunConfig.from_toml(config, dict(parse_override(o) for o in overrides))
    result = run_pipeline(
        cfg,
        overwrite=overwrite,
        resume=resume,
        progress=not no_progress and not as_json,
        log=None if as_json else lambda line: console.print(line, highlight=False),
    )
    if as_json:
        print_json(result.summary)
        return
    _print(result)


def _print(result: RunResult) -> None:
    s = result.summary
    f = s["filter"]
    console.print(
        f"\n[bold]{s['dataset']}[/bold]: {s['explanations']} explanations -> {f['parses']} parses "
        f"-> [bold]{s['lfs']} LFs[/bold], voting on {100 * s['pool_coverage']:.1f}% of the "
        f"{s['pool']['candidates']}-candidate pool"
    )
    if s.get("unvoted_classes"):
        names = ", ".join(s["unvoted_classes"])
        console.print(
            f"[yellow]No LF votes {escape(names)}: the end model will not predict "
            f"{'it' if len(s['unvoted_classes']) == 1 else 'them'} (see report.md).[/yellow]"
        )
    test: dict[str, Any] | None = s["test"]
    if test is None:
        console.print(f"[yellow]{s['evaluation']}[/yellow]")
    else:
        heads, rows = report_table(test, s["metric"])
        print_table(
            f"Test ({test['split']}, {test['candidates']} candidates)",
            ["model", *heads],
            [(name, *(round(100 * v, 1) for v in values)) for name, values in rows],
        )
    cached = f" (cached: {', '.join(s['cached_stages'])})" if s["cached_stages"] else ""
    total = sum(t.seconds for t in result.timings)
    console.print(f"Total {total:.1f} s{cached}; peak memory {s['peak_memory_mb']} MB")
    console.print(f"Run folder: {result.folder} (see report.md)")
