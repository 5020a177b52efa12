"""``babble run``: the demo config runs as far as the pipeline goes and writes its folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from babble.cli.main import cli

DEMO = Path(__file__).resolve().parents[1] / "demos" / "founders"


def test_run_demo_writes_run_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABBLE_CACHE", str(tmp_path / "cache"))
    config = tmp_path / "run.toml"
    config.write_text(
        f'output = "{tmp_path / "out"}"\n[data]\nformat = "jsonl"\npath = "{DEMO}"\n'
        '[preprocess]\npipeline = "blank:en"\n'
    )
    result = CliRunner().invoke(cli, ["run", str(config), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["preprocess"]["candidates"] == 300
    assert json.loads((tmp_path / "out" / "summary.json").read_text()) == summary
    assert json.loads((tmp_path / "out" / "config.json").read_text())["data"]["format"] == "jsonl"
