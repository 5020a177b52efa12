"""Fixtures for the workbench: the shipped founders demo (no shared data needed), a fast
tokenizer-only pipeline and a private preprocessing cache."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from babble.datasets import load_dataset
from babble.types import Dataset
from babble.workbench import Workbench
from tests.workbench.helpers import DEMO, PIPELINE


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABBLE_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def demo() -> Dataset:
    """The founders demo: 200 train (the pool), 50 dev and 50 test candidates."""
    return load_dataset("jsonl", DEMO)


@pytest.fixture
def open_bench(demo: Dataset, tmp_path: Path) -> Callable[..., Workbench]:
    """Opens a workbench on the demo, saving to ``tmp_path/explanations.jsonl`` by default."""

    def make(path: Path | None = None, **kwargs: object) -> Workbench:
        return Workbench(demo, path or tmp_path / "explanations.jsonl", pipeline=PIPELINE, **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture
def bench(open_bench: Callable[..., Workbench]) -> Workbench:
    """A fresh workbench on the demo with no explanation yet."""
    return open_bench()
