"""The shipped demo's end model (baseline on bundled MiniLM embeddings) beats the majority rate.

Slow (spaCy's pipeline and the bundled MiniLM, ~15 s on a quiet CPU): ``pytest -m slow``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from babble.config import RunConfig
from babble.runner import run

DEMO = Path(__file__).resolve().parents[2] / "demos" / "founders" / "babble.toml"


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="since explained examples train as gold (d7c6270) the demo's end model scores 52% "
    "against the 54% majority rate: 2 of 50 test candidates (benchmarks/README.md, 'The founders "
    "demo')",
)
def test_demo_end_model_beats_the_majority_rate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BABBLE_CACHE", str(tmp_path / "cache"))
    config = RunConfig.from_toml(DEMO, {"output": str(tmp_path / "out")})
    test = run(config, progress=False).summary["test"]
    majority = 27 / 50  # test split: 23 founder, 27 not_founder (demos/founders/README.md)
    assert test["end_model"]["accuracy"] > majority
