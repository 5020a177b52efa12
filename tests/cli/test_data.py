"""``babble data inspect`` / ``preprocess``: counts on every format; errors exit with 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from babble.cli.main import cli, main

DEMO = Path(__file__).resolve().parents[2] / "demos" / "founders"


def _inspect(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["data", "inspect", *args, "--json"])
    assert result.exit_code == 0, result.output
    out: dict[str, object] = json.loads(result.output)
    return out


def _split_sizes(summary: dict[str, object]) -> dict[str, int]:
    return {s["name"]: s["candidates"] for s in summary["splits"]}  # type: ignore[attr-defined]


def test_inspect_demo_json() -> None:
    summary = _inspect(str(DEMO), "--format", "jsonl")
    assert _split_sizes(summary) == {"train": 200, "dev": 50, "test": 50}
    assert summary["explanations"] == summary["joined"] == 24


def test_inspect_demo_table() -> None:
    result = CliRunner().invoke(cli, ["data", "inspect", str(DEMO), "--format", "jsonl"])
    assert result.exit_code == 0
    assert "Label distribution" in result.output
    assert "24 loaded, 24 joined" in result.output


@pytest.mark.parametrize(
    ("fmt", "folder", "sizes", "explanations", "joined"),
    [
        ("semeval", None, {"train": 8000, "test": 2717}, 203, 201),
        ("cdr", None, {"train": 4724, "dev": 5101, "test": 4999}, 34, 23),
        ("spouse", None, {"dev": 2776, "test": 2691}, 200, 0),
        ("absa", None, {"train": 3608, "test": 1120}, 75, 74),
        ("wrench", "wrench/sms", {"train": 4571, "dev": 500, "test": 500}, 0, 0),
    ],
)
def test_inspect_shared_datasets(
    shared_data: Path,
    fmt: str,
    folder: str | None,
    sizes: dict[str, int],
    explanations: int,
    joined: int,
) -> None:
    args = [str(shared_data / folder)] if folder else []
    summary = _inspect(*args, "--format", fmt)
    assert _split_sizes(summary) == sizes
    assert (summary["explanations"], summary["joined"]) == (explanations, joined)


def test_spouse_reports_skipped_rows(shared_data: Path) -> None:
    summary = _inspect("--format", "spouse")
    skipped = summary["skipped"]
    assert isinstance(skipped, dict)
    # 2,811 + 2,701 rows in the files: 5,467 loaded, the rest skipped with a reason.
    assert sum(skipped.values()) == 2811 + 2701 - 2776 - 2691


def test_babble_errors_exit_2_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(
        "sys.argv", ["babble", "data", "inspect", str(tmp_path), "--format", "jsonl"]
    )
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: [E102]")
    assert "Traceback" not in err


def test_preprocess_command_reports_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABBLE_CACHE", str(tmp_path))
    args = ["data", "preprocess", str(DEMO), "--format", "jsonl", "--spacy-model", "blank:en"]
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["candidates"] == 300
    assert report["distinct_sentences"] == 198
