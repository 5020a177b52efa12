"""``babble serve`` (server start stubbed) and ``babble annotate`` (typed input)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from babble.cli.main import cli
from babble.workbench import Workbench
from tests.workbench.helpers import DEMO, FOUNDED, PIPELINE


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Workbench, str, int]]:
    """Records what ``babble serve`` would serve instead of starting uvicorn."""
    calls: list[tuple[Workbench, str, int]] = []
    monkeypatch.setattr(
        "babble.workbench.app.serve", lambda bench, host, port: calls.append((bench, host, port))
    )
    return calls


def _flat(output: str) -> str:
    return " ".join(output.split())  # rich wraps long lines


def test_serve_on_localhost(served: list[Any], tmp_path: Path) -> None:
    mine = tmp_path / "mine.jsonl"
    args = ["serve", "--data", str(DEMO), "--pipeline", PIPELINE, "--explanations", str(mine)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    [(bench, host, port)] = served
    assert (host, port, bench.store.path, bench.pool_split) == ("127.0.0.1", 8000, mine, "train")
    assert "http://127.0.0.1:8000/" in result.output and "warning" not in result.output


def test_serve_warns_when_not_on_localhost(served: list[Any], tmp_path: Path) -> None:
    args = ["serve", "--format", "jsonl", "--data", str(DEMO), "--pipeline", PIPELINE]
    args += ["--explanations", str(tmp_path / "x.jsonl"), "--host", "0.0.0.0", "--port", "9001"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "warning: listening on 0.0.0.0, not localhost" in _flat(result.output)
    assert served[0][1:] == ("0.0.0.0", 9001)


def test_serve_from_a_run_config(served: list[Any], tmp_path: Path) -> None:
    mine = tmp_path / "mine.jsonl"
    mine.write_text(json.dumps({"text": FOUNDED, "label": "founder", "candidate_id": "s010-1"}))
    args = ["serve", "--config", str(DEMO / "babble.toml"), "--pipeline", PIPELINE]
    result = CliRunner().invoke(cli, [*args, "--explanations", str(mine)])
    assert result.exit_code == 0, result.output
    bench = served[0][0]
    assert (bench.pool_split, bench.dev_split, bench.summary().lfs) == ("train", "dev", 1)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ([], "give --format (and --data), or --config"),
        (["--config", str(DEMO / "babble.toml"), "--format", "jsonl"], "not both"),
    ],
)
def test_serve_usage_errors(served: list[Any], args: list[str], fragment: str) -> None:
    result = CliRunner().invoke(cli, ["serve", *args])
    assert result.exit_code == 2 and fragment in result.output and not served


def _annotate(mine: Path, typed: str) -> Result:
    """``babble annotate`` on the demo's candidate s010-1, saving to ``mine``, fed ``typed``."""
    args = ["annotate", "--data", str(DEMO), "--pipeline", PIPELINE, "--explanations", str(mine)]
    result = CliRunner(env={"COLUMNS": "250"}).invoke(
        cli, [*args, "--candidate", "s010-1"], input=typed
    )
    assert result.exit_code == 0, result.output
    return result


def test_annotate_loop(tmp_path: Path) -> None:
    mine = tmp_path / "mine.jsonl"
    typed = f"2\n{FOUNDED}\nl\ns\n1\nbecause blorf\nq\n"
    result = _annotate(mine, typed)
    out = _flat(result.output)
    assert "Keiko Carvalho subject -- call it person, the person, subject" in out
    assert "label founder if 'founded' is between person and company" in out
    assert "coverage 23.0% (46), dev accuracy 83.3% of 12, conflicts 0" in out
    assert "explanation-0 [founder]" in out and "summary: 1 explanations (1 parsed), 1 LFs" in out
    assert "no LF votes not_founder yet" in out
    assert "not understood (E406)" in out and "words to rephrase: blorf" in out
    saved = [json.loads(line) for line in mine.read_text().splitlines()]
    assert [(s["label"], s["metadata"]["parsed"]) for s in saved] == [
        ("founder", True),
        ("not_founder", False),
    ]


def test_annotate_delete_and_unknown_label(tmp_path: Path) -> None:
    mine = tmp_path / "mine.jsonl"
    typed = f"founder\n{FOUNDED}\nmaybe\nwhy not\nd explanation-0\nd nope\nq\n"
    result = _annotate(mine, typed)
    out = _flat(result.output)
    assert "unknown label 'maybe'" in out and "no explanation named 'nope'" in out
    assert "summary: 0 explanations" in out and mine.read_text() == ""


def test_annotate_prints_markup_in_user_text_as_text(tmp_path: Path) -> None:
    mine = tmp_path / "mine.jsonl"
    typed = "2\n[/red] [bold]blorf[/bold]\nl\nq\n"
    result = _annotate(mine, typed)
    assert "explanation-0 [founder] '[/red] [bold]blorf[/bold]'" in result.output


def test_annotate_edits_an_explanation_by_name(tmp_path: Path) -> None:
    mine = tmp_path / "mine.jsonl"
    typed = (
        "2\nblorf\n"  # founder, does not parse
        f"e explanation-0\n\n{FOUNDED}\n"  # label kept, new text
        "e explanation-0\nmaybe\n\n"  # an unknown label: nothing changes
        "e explanation-0\n1\n\n"  # label by number, text kept
        "e nope\nq\n"
    )
    result = _annotate(mine, typed)
    out = _flat(result.output)
    assert "editing explanation-0 [founder] 'blorf'" in out
    assert "label founder if 'founded' is between person and company" in out
    assert "unknown label 'maybe'" in out and "(explanation-0 is unchanged)" in out
    assert "label not_founder if 'founded' is between person and company" in out
    assert "no explanation named 'nope'" in out
    [saved] = [json.loads(line) for line in mine.read_text().splitlines()]
    assert (saved["name"], saved["label"], saved["text"]) == (
        "explanation-0",
        "not_founder",
        FOUNDED,
    )
    assert saved["candidate_id"] == "s010-1"


def test_serve_warns_about_unknown_candidate_ids_with_their_line(
    served: list[Any], tmp_path: Path
) -> None:
    mine = tmp_path / "mine.jsonl"
    mine.write_text(
        json.dumps({"text": FOUNDED, "label": "founder", "candidate_id": "zz-9"}) + "\n"
    )
    args = ["serve", "--data", str(DEMO), "--pipeline", PIPELINE, "--explanations", str(mine)]
    result = CliRunner(env={"COLUMNS": "250"}).invoke(cli, args)
    assert result.exit_code == 0, result.output
    out = _flat(result.output)
    assert "warning: 1 explanation(s) name a candidate that dataset 'founders'" in out
    assert f"{mine}:1: candidate_id 'zz-9'" in out
    assert served[0][0].explanation("explanation-0").candidate_id == "zz-9"
