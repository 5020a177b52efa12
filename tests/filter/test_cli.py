"""``babble filter``: the per-explanation report, ``--json``, ``--analyze`` and the plot."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from babble.cli.main import cli, main

DEMO = Path(__file__).resolve().parents[2] / "demos" / "founders"


@pytest.fixture(autouse=True)
def _private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BABBLE_CACHE", str(tmp_path_factory.getbasetemp() / "cli-cache"))


def test_json_report_per_explanation() -> None:
    result = CliRunner().invoke(cli, ["filter", str(DEMO), "--format", "jsonl", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["dataset"], report["pool"]) == ("founders", "train")
    assert report["totals"]["explanations"] == len(report["explanations"]) == 24
    assert report["totals"]["lfs"] == len(report["lfs"]) >= 1
    for row in report["explanations"]:
        assert row["parses"] == sum(row["dropped"].values()) + len(row["surviving"])
        assert row["example"] == "in pool"
    assert "analysis" not in report


def test_analysis_table_and_plot(tmp_path: Path) -> None:
    plot = tmp_path / "coverage.png"
    args = [
        "filter",
        str(DEMO),
        "--format",
        "jsonl",
        "--analyze",
        "--gold-split",
        "dev",
        "--plot",
        str(plot),
        "--one-per-explanation",
        "--keep-generalisations",
        "--uniform",
        "0.5",
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "Filter bank: founders" in result.output
    assert "Labeling functions (accuracy on dev gold)" in result.output
    assert "Total coverage" in result.output
    assert plot.read_bytes().startswith(b"\x89PNG")


def test_analysis_json_with_the_pool_as_gold() -> None:
    args = ["filter", str(DEMO), "--format", "jsonl", "--json", "--gold-split", "train"]
    report = json.loads(CliRunner().invoke(cli, args).output)
    assert report["analysis"]["accuracy_on"] == "pool"
    assert report["analysis"]["total"]["gold_votes"] > 0


def test_no_surviving_lf_exits_2_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "garbled"
    shutil.copytree(DEMO, folder)
    (folder / "explanations.jsonl").write_text(
        json.dumps({"name": "g", "text": "purple elephants sing", "label": "founder"}) + "\n"
    )
    monkeypatch.setattr("sys.argv", ["babble", "filter", str(folder), "--format", "jsonl"])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert "1 explanations -> 0 parses -> 0 LFs" in " ".join(captured.out.split())
    assert captured.err.startswith("error: [E702] no labeling function survived")
