"""``babble parse``: readings per explanation, a summary, JSON; bad input exits with 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from babble.cli.main import cli, main

DEMO = Path(__file__).resolve().parents[2] / "demos" / "founders"
BLANK = ["--spacy-model", "blank:en"]


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABBLE_CACHE", str(tmp_path / "cache"))


def test_parse_demo_json() -> None:
    args = ["parse", "--data", str(DEMO), "--format", "jsonl", *BLANK, "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["dataset"] == "founders"
    summary = report["summary"]
    assert (summary["n"], summary["parsed"], summary["with_example"]) == (24, 24, 24)
    first = report["explanations"][0]
    assert first["name"] == "founded_between" and first["correct"] is True
    assert first["readings"][0]["sexpr"].startswith("(rule 1 (occurs any (between subject object)")


def test_parse_demo_text() -> None:
    result = CliRunner().invoke(cli, ["parse", "--data", str(DEMO), "--format", "jsonl", *BLANK])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())  # rich wraps long lines
    assert "Summary: founders, 24 explanations" in out
    assert "label founder if 'founded' is between person and company" in out
    assert "labels its example correctly" in out
    assert '(rule 1 (occurs any (between subject object) "founded"))' in out


def test_parse_own_explanations_file(tmp_path: Path) -> None:
    mine = tmp_path / "mine.jsonl"
    rows = [
        {
            "text": "'founded' is right before the company",
            "label": "founder",
            "candidate_id": "s010-1",
        },
        {"text": "the person is before a word in the unknown_list list", "label": "founder"},
        {"text": "'founded' is immediatly befor the company", "label": "founder"},
    ]
    mine.write_text("\n".join(json.dumps(r) for r in rows))
    args = ["parse", "--data", str(DEMO), "--format", "jsonl", "--explanations", str(mine)]
    result = CliRunner().invoke(cli, [*args, *BLANK, "--json"])
    assert result.exit_code == 0, result.output
    explanations = json.loads(result.output)["explanations"]
    assert [e["source"] for e in explanations] == [f"{mine}:{n}" for n in (1, 2, 3)]
    assert explanations[1]["error_code"] == "E404"
    assert "unknown_list" in explanations[1]["error"]
    assert explanations[2]["readings"][0]["respelled"] == [
        ["immediatly", "immediately"],
        ["befor", "before"],
    ]
    text = CliRunner().invoke(cli, [*args, *BLANK]).output
    assert "reads 'immediatly' as 'immediately', 'befor' as 'before'" in " ".join(text.split())


def test_parse_bad_explanations_file_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "founder", "colour": "red"}\n')
    argv = ["babble", "parse", "--data", str(DEMO), "--format", "jsonl", "--explanations", str(bad)]
    monkeypatch.setattr("sys.argv", argv)
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: [E101]") and "bad.jsonl:1" in err and "colour" in err
