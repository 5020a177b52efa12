"""``babble serve``: the annotator workbench as a local web page (and the options it shares with
``babble annotate``: which dataset, pool, dev split and explanations file)."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from babble.config import RunConfig
from babble.datasets import FORMATS, load_dataset
from babble.preprocess import DEFAULT_PIPELINE
from babble.workbench import Workbench

DEFAULT_EXPLANATIONS = Path("workbench_explanations.jsonl")
"""Where explanations are saved when neither ``--explanations`` nor the config names a file."""

F = TypeVar("F", bound=Callable[..., Any])

_OPTIONS = (
    click.option(
        "--data",
        type=click.Path(),
        default=None,
        help="Dataset folder (default: the shared copy of --format's dataset under $BABBLE_DATA).",
    ),
    click.option(
        "--format",
        "fmt",
        type=click.Choice(sorted(FORMATS)),
        default=None,
        help="Dataset format (default: jsonl when --data holds a task.json).",
    ),
    click.option(
        "--config",
        type=click.Path(dir_okay=False),
        default=None,
        help="A `babble run` config: its dataset, pool and dev splits, pipeline, filter "
        "settings, seed and [explanations] path (instead of --data/--format).",
    ),
    click.option(
        "--explanations",
        type=click.Path(dir_okay=False),
        default=None,
        help="JSONL file (generic explanation format) to continue and to save every accepted "
        f"explanation to (default: the config's [explanations] path, else {DEFAULT_EXPLANATIONS}).",
    ),
    click.option("--pool", default=None, help="Split used as the pool (default: train)."),
    click.option(
        "--dev",
        default=None,
        help="Split whose gold labels score the LFs and the label model (default: dev).",
    ),
    click.option("--pipeline", default=None, help=f"spaCy pipeline (default: {DEFAULT_PIPELINE})."),
)


def workbench_options(command: F) -> F:
    """The options choosing what a workbench works on (see :func:`open_workbench`)."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


@contextmanager
def _warnings_to_stderr() -> Iterator[None]:
    """Print the warnings raised inside the block to stderr, each once, without a traceback."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    err = Console(stderr=True, highlight=False)
    for warning in caught:
        err.print(f"[bold yellow]warning:[/bold yellow] {escape(str(warning.message))}")


@_warnings_to_stderr()
def open_workbench(
    data: str | None,
    fmt: str | None,
    config: str | None,
    explanations: str | None,
    pool: str | None,
    dev: str | None,
    pipeline: str | None,
    progress: bool = True,
) -> Workbench:
    """Load the dataset and open a :class:`~babble.workbench.Workbench` on it, from the
    command-line options (``--config`` or ``--data``/``--format``; explicit options win over the
    config's). Warnings while opening (e.g. an explanation naming a candidate the dataset does
    not have) are printed to stderr."""
    if config is not None:
        if data is not None or fmt is not None:
            raise click.UsageError("give either --config or --data/--format, not both")
        cfg = RunConfig.from_toml(config)
        return Workbench(
            load_dataset(cfg.data.format, cfg.data.path),
            explanations or cfg.explanations.path or DEFAULT_EXPLANATIONS,
            pool=pool or cfg.data.pool,
            dev=dev or cfg.data.dev,
            pipeline=pipeline or cfg.preprocess.pipeline,
            filter_config=cfg.filter.bank(),  # all of it: the LFs are `babble run`'s
            parse_limits=cfg.parser,
            seed=cfg.seed,
            progress=progress,
        )
    if fmt is None and data is not None and (Path(data) / "task.json").is_file():
        fmt = "jsonl"
    if fmt is None:
        raise click.UsageError("give --format (and --data), or --config")
    return Workbench(
        load_dataset(fmt, data),
        explanations or DEFAULT_EXPLANATIONS,
        pool=pool,
        dev=dev,
        pipeline=pipeline or DEFAULT_PIPELINE,
        progress=progress,
    )


@click.command()
@workbench_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port."
)
def serve(
    data: str | None,
    fmt: str | None,
    config: str | None,
    explanations: str | None,
    pool: str | None,
    dev: str | None,
    pipeline: str | None,
    host: str,
    port: int,
) -> None:
    """Serve the annotator workbench: a local web page where each explanation gets instant
    feedback (paraphrases, skipped words, filter verdicts, coverage, dev accuracy, conflicts,
    the candidates it labels) and is saved at once to the explanations file, which `babble run`
    reads unchanged ([explanations] path). The JSON API is described at /api/openapi.json.

    It listens on localhost only unless --host says otherwise; there is no authentication.
    """
    from babble.workbench import app as web  # the web stack, only for this command

    err = Console(stderr=True)
    if not web.is_local(host):
        err.print(
            f"[bold red]warning:[/bold red] listening on {host}, not localhost: anyone who can "
            "reach this machine on port "
            f"{port} can read and change the explanations (there is no authentication).",
            highlight=False,
        )
    started = time.perf_counter()
    bench = open_workbench(data, fmt, config, explanations, pool, dev, pipeline)
    info, loaded = bench.task_info(), bench.summary().explanations
    err.print(
        f"Workbench on {info.dataset} ({info.pool:,}-candidate pool, {loaded} explanations "
        f"loaded) ready in {time.perf_counter() - started:.1f} s: "
        f"[bold]http://{_url_host(host)}:{port}/[/bold]\nSaving explanations to "
        f"{info.explanations_file}. Ctrl+C stops the server (nothing is lost).",
        highlight=False,
    )
    web.serve(bench, host, port)


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
