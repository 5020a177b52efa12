"""``babble run``: the demo end to end, cached re-runs, refusals and bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp
from click.testing import CliRunner

from babble.cli.main import cli
from babble.config import RunConfig
from babble.errors import ConfigError, NoLabelingFunctionsError
from babble.parse._resources import lexicon_dir
from babble.runner import FILES, report_table, run

DEMO = Path(__file__).resolve().parents[1] / "demos" / "founders"
FAST = '[preprocess]\npipeline = "blank:en"\n[end_model]\nkind = "baseline"\n'


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BABBLE_CACHE", str(tmp_path / "cache"))


def _config(tmp_path: Path, extra: str = "", data: str = "") -> Path:
    path = tmp_path / "run.toml"
    path.write_text(
        f'output = "{tmp_path / "out"}"\n[data]\nformat = "jsonl"\npath = "{DEMO}"\n'
        f'dev = "dev"\n{data}{FAST}{extra}'
    )
    return path


def _run_cli(config: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["run", str(config), "--json", *args])
    assert result.exit_code == 0, result.output
    out: dict[str, Any] = json.loads(result.output)
    return out


def test_demo_end_to_end_writes_every_file(tmp_path: Path) -> None:
    summary = _run_cli(_config(tmp_path))
    out = tmp_path / "out"
    assert {p.name for p in out.iterdir()} == set(FILES.values())
    assert summary["pool"]["candidates"] == 200
    assert summary["lfs"] >= 1 and summary["explanations"] == 24
    test = summary["test"]
    assert test["candidates"] == 50
    assert 0 <= test["label_model"]["score"] <= 1 and 0 <= test["end_model"]["score"] <= 1
    assert 0 <= test["label_model_where_lfs_vote"]["score"] <= 1
    # answering one class throughout (test split: 23 founder, 27 not_founder)
    assert test["constant"]["not_founder"]["accuracy"] == pytest.approx(27 / 50)
    assert test["constant"]["not_founder"]["f1"] == 0
    assert test["constant"]["founder"]["f1"] == pytest.approx(2 * 23 / (23 + 50))
    assert "| always not_founder | 0.0 | 54.0 |" in (out / "report.md").read_text()
    assert json.loads((out / "metrics.json").read_text())["test"] == test
    assert sp.load_npz(out / "label_matrix.npz").shape == (200, summary["lfs"])
    assert np.load(out / "probabilistic_labels.npy").shape == (200, 2)
    parses = [json.loads(line) for line in (out / "parses.jsonl").read_text().splitlines()]
    assert {p["explanation"] for p in parses} >= {"founded_between"}
    assert "## Test" in (out / "report.md").read_text()
    assert (out / "model" / "endmodel.json").is_file()
    shares = summary["pool_labels"]
    covered = int(np.sum(np.diff(sp.load_npz(out / "label_matrix.npz").tocsr().indptr) > 0))
    assert shares["rows"] == covered and shares["classes"] == ["not_founder", "founder"]
    for model in ("label_model", "majority_vote"):
        assert sum(shares[model]["mass"]) == pytest.approx(1, abs=0.002)
        assert sum(shares[model]["top"]) == pytest.approx(1, abs=0.002)
    assert 0 <= shares["agreement"] <= 1
    assert "## Labels on the pool" in (out / "report.md").read_text()
    assert summary["unvoted_classes"] == []


def test_existing_folder_refused_then_resumed_from_cache_or_overwritten(tmp_path: Path) -> None:
    config = _config(tmp_path)
    first = _run_cli(config)
    refused = CliRunner().invoke(cli, ["run", str(config), "--json"])
    assert refused.exit_code != 0
    assert isinstance(refused.exception, ConfigError)
    assert "already exists" in str(refused.exception)
    again = _run_cli(config, "--resume")
    assert again["cached_stages"] == ["label", "label model", "end model"]
    assert again["test"] == first["test"]
    assert _run_cli(config, "--overwrite")["test"] == first["test"]


def test_changed_parser_data_recomputes_the_label_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = _config(tmp_path)
    _run_cli(config)
    lexicon = tmp_path / "lexicon"
    shutil.copytree(lexicon_dir(), lexicon)
    monkeypatch.setenv("BABBLE_LEXICON", str(lexicon))
    assert _run_cli(config, "--resume")["cached_stages"] == ["label", "label model", "end model"]
    with (lexicon / "fillers.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n# an edit: cached labels came from another lexicon\n")
    assert _run_cli(config, "--resume")["cached_stages"] == []


def test_resume_refuses_another_config(tmp_path: Path) -> None:
    config = _config(tmp_path)
    _run_cli(config)
    with pytest.raises(ConfigError, match="another config"):
        run(RunConfig.from_toml(config, {"seed": 5}), resume=True, progress=False)


def test_missing_test_split_means_no_evaluation(tmp_path: Path) -> None:
    summary = _run_cli(_config(tmp_path, data='test = "heldout"\n'))
    assert summary["test"] is None
    assert "no evaluation" in summary["evaluation"] and "missing" in summary["evaluation"]
    assert "no evaluation" in (tmp_path / "out" / "report.md").read_text()


def test_no_explanation_parses_stops_after_the_parse_report(tmp_path: Path) -> None:
    bad = tmp_path / "expl.jsonl"
    bad.write_text(
        json.dumps({"text": "zorp blick fnord", "label": "founder", "candidate_id": "s010-1"})
        + "\n"
    )
    config = _config(tmp_path, f'[explanations]\npath = "{bad}"\n')
    with pytest.raises(NoLabelingFunctionsError, match="none of the 1 explanations parsed") as e:
        run(RunConfig.from_toml(config), progress=False)
    assert "expl.jsonl:1: no reading" in str(e.value)  # the reason, where it is
    assert "'zorp', 'blick', 'fnord'" in str(e.value)
    [row] = (tmp_path / "out" / "parses.jsonl").read_text().splitlines()
    assert json.loads(row)["verdict"] == "no parse"


def test_hand_written_lfs_and_ablation_settings(tmp_path: Path) -> None:
    module = tmp_path / "my_lfs.py"
    module.write_text(
        "from babble.lf import labeling_function\n\n"
        "@labeling_function()\n"
        "def sued(c):\n"
        "    return 0 if 'sued' in c.text else -1\n"
    )
    extra = (
        f'[lfs]\nmodules = ["{module}"]\n[filter]\nmode = "none"\n'
        '[label_model]\nkind = "majority"\ndependencies = false\n'
    )
    summary = _run_cli(_config(tmp_path, extra).parent / "run.toml", "--set", "end_model.kind=none")
    assert summary["filter"]["python"] == 1
    assert summary["lfs"] == summary["filter"]["parses"] + 1
    assert summary["test"]["end_model"] is None
    assert not (tmp_path / "out" / "model").exists()


def test_parser_limits_bound_every_explanation(tmp_path: Path) -> None:
    summary = _run_cli(_config(tmp_path), "--set", "end_model.kind=none")
    rows = [
        json.loads(line) for line in (tmp_path / "out" / "parses.jsonl").read_text().splitlines()
    ]
    assert max(r["rank"] for r in rows) >= 1  # some explanation has two readings by default
    bounded = _run_cli(
        _config(tmp_path, "[parser]\nmax_parses = 1\nmax_chars = 80\n"),
        "--set",
        "end_model.kind=none",
        "--overwrite",
    )
    rows = [
        json.loads(line) for line in (tmp_path / "out" / "parses.jsonl").read_text().splitlines()
    ]
    assert {r["rank"] for r in rows} == {0, None}  # one reading each, or none
    assert bounded["filter"]["parses"] < summary["filter"]["parses"]
    too_long = [r for r in rows if len(r["text"]) > 80]
    assert too_long and all(r["verdict"] == "no parse" for r in too_long)
    assert bounded["cached_stages"] == []  # the bounds are part of the label stage's key


def test_unknown_split_and_missing_module_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="split 'nope'"):
        run(RunConfig.from_toml(_config(tmp_path, data='pool = "nope"\n')), progress=False)
    config = _config(tmp_path, '[lfs]\nmodules = ["missing.py"]\n')
    with pytest.raises(ConfigError, match=r"missing\.py not found"):
        run(RunConfig.from_toml(config), overwrite=True, progress=False)


def test_explained_examples_train_with_the_annotators_label() -> None:
    from babble.datasets import load_dataset
    from babble.runner import explained_targets

    dataset = load_dataset("jsonl", DEMO)
    pool = dataset.splits["train"]
    k = dataset.label_space.k
    targets = np.full((len(pool), k), 1.0 / k)
    covered = np.zeros(len(pool), dtype=bool)
    new_targets, new_covered = explained_targets(dataset, pool, targets, covered)
    rows = {c.id: i for i, c in enumerate(pool)}
    explained = [e for e in dataset.explanations if e.candidate_id in rows]
    assert explained, "the demo's explanations name pool candidates"
    for e in explained:
        row = rows[e.candidate_id or ""]
        assert new_covered[row]
        assert new_targets[row].argmax() == dataset.label_space.index(e.label)
        assert new_targets[row].max() == 1.0
    assert int(new_covered.sum()) == len({e.candidate_id for e in explained})
    assert not covered.any() and np.allclose(targets, 1.0 / k)  # inputs left as they were


def test_the_terminal_table_shows_the_constant_answers(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["run", str(_config(tmp_path)), "--no-progress"])
    assert result.exit_code == 0, result.output
    for row in ("label model", "end model", "always not_founder", "always founder"):
        assert row in result.output
    assert "Run folder:" in result.output


def test_a_class_no_lf_votes_is_named_in_the_log_report_and_table(tmp_path: Path) -> None:
    founder_only = tmp_path / "founder_only.jsonl"
    lines = (DEMO / "explanations.jsonl").read_text().splitlines()
    founder_only.write_text(
        "\n".join(line for line in lines if json.loads(line)["label"] in ("founder", "yes"))
    )
    config = _config(tmp_path, f'[explanations]\npath = "{founder_only}"\n')
    result = CliRunner().invoke(cli, ["run", str(config), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "warning: no LF votes `not_founder`" in result.output  # the stage log
    assert "No LF votes not_founder: the end model will not predict it" in result.output
    report = (tmp_path / "out" / "report.md").read_text()
    assert "**Warning: no LF votes `not_founder`" in report
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert metrics["unvoted_classes"] == ["not_founder"]


def test_the_test_table_has_one_column_when_the_metric_is_accuracy() -> None:
    scores = {"score": 0.5, "accuracy": 0.5}
    test = {"label_model": scores, "end_model": None, "constant": {"positive": scores}}
    heads, rows = report_table(test, "accuracy")
    assert heads == ["accuracy"]
    assert rows == [("label model", [0.5]), ("always positive", [0.5])]
    heads, rows = report_table(test | {"end_model": {"score": 0.7, "accuracy": 0.9}}, "f1")
    assert heads == ["f1", "accuracy"] and rows[1] == ("end model", [0.7, 0.9])
