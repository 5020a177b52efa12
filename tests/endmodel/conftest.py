"""Fixtures: a tiny randomly initialised BERT (built in a temp folder, no download), toy data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from toydata import build_tiny_bert, toy_pool

from babble.types import Candidate


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-layer, 32-wide BERT with a 21-word vocabulary, saved with its tokenizer."""
    return build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"))


@pytest.fixture()
def pool() -> list[Candidate]:
    """The toy relation pool with gold labels."""
    return toy_pool()


@pytest.fixture()
def soft(pool: list[Candidate]) -> np.ndarray:
    """Confident but soft labels agreeing with gold: 0.9 on the gold class."""
    gold = np.array([c.label for c in pool])
    probs = np.full((len(pool), 2), 0.1)
    probs[np.arange(len(pool)), gold] = 0.9
    return probs
