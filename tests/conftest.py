"""Shared fixtures: the real datasets (skipped with a reason when absent) and an offline hub."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from babble.datasets._common import data_root

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The shared datasets root (``$BABBLE_DATA``); skips the test when it is not there."""
    root = data_root()
    if not (root / "README.md").is_file():
        pytest.skip(
            f"shared datasets not found at {root.resolve()} (set BABBLE_DATA to their folder)"
        )
    return root
