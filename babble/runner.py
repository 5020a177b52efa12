"""``babble run``: the stages of a run, in order, each reading only what the previous ones made.

Stages available so far: load -> preprocess. Parsing, filtering, the label model and the end
model join this list as they are built; until then a run says plainly where it stops.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from babble._io import atomic_write_text
from babble.config import RunConfig
from babble.datasets import load_dataset
from babble.datasets.summary import describe
from babble.preprocess import preprocess

PENDING_STAGES = ("parse", "filter", "label model", "end model")
"""Stages of the full pipeline that this version does not run yet."""


@dataclass(frozen=True)
class StageTiming:
    """Wall time of one stage."""

    stage: str
    seconds: float


@dataclass(frozen=True)
class RunResult:
    """What a run produced: the summary written to the run folder and per-stage timings."""

    summary: dict[str, Any]
    timings: tuple[StageTiming, ...] = field(default=())
    pending: tuple[str, ...] = PENDING_STAGES


def run(
    config: RunConfig, progress: bool = True, on_stage: Callable[[str], None] | None = None
) -> RunResult:
    """Run every available stage of ``config`` and write the run folder ``config.output``.

    The folder gets ``config.json`` (the config as resolved) and ``summary.json``.
    """
    timings: list[StageTiming] = []

    def stage(name: str) -> float:
        if on_stage is not None:
            on_stage(name)
        return time.perf_counter()

    start = stage("load")
    dataset = load_dataset(config.data.format, config.data.path)
    timings.append(StageTiming("load", time.perf_counter() - start))

    start = stage("preprocess")
    prepared = preprocess(
        dataset.candidates(),
        pipeline=config.preprocess.pipeline,
        batch_size=config.preprocess.batch_size,
        n_process=config.preprocess.n_process,
        progress=progress,
    )
    timings.append(StageTiming("preprocess", time.perf_counter() - start))

    summary = {
        "dataset": describe(dataset).to_dict(),
        "preprocess": {
            "pipeline": prepared.table.pipeline,
            "candidates": len(prepared.candidates),
            "distinct_sentences": prepared.table.n_sentences,
            "tokens": int(prepared.table.offsets[-1]),
        },
        "timings": {t.stage: round(t.seconds, 3) for t in timings},
        "pending_stages": list(PENDING_STAGES),
    }
    config.output.mkdir(parents=True, exist_ok=True)
    atomic_write_text(config.output / "config.json", json.dumps(config.to_dict(), indent=2))
    atomic_write_text(config.output / "summary.json", json.dumps(summary, indent=2))
    return RunResult(summary=summary, timings=tuple(timings))
