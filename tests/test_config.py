"""Run configs: TOML parsing, path resolution and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from babble.config import RunConfig, parse_override
from babble.errors import ConfigError


def test_reads_toml_and_resolves_paths(tmp_path: Path) -> None:
    cfg_file = tmp_path / "run.toml"
    cfg_file.write_text('seed = 3\noutput = "out"\n[data]\nformat = "jsonl"\npath = "data"\n')
    cfg = RunConfig.from_toml(cfg_file)
    assert cfg.seed == 3
    assert cfg.data.path == tmp_path / "data"
    assert cfg.output == tmp_path / "out"
    assert cfg.to_dict()["data"]["path"] == str(tmp_path / "data")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[data]\nformat = 'jsonl'\nbogus = 1\n", "unknown key [data] 'bogus'"),
        ("seed = 1\n", "missing table [data]"),
        ("[data]\nformat = 'jsonl'\n[preprocess]\nbatch_size = 'big'\n", "batch_size must be int"),
        ("[data\n", "not valid TOML"),
        ("seed = 'x'\n[data]\nformat = 'jsonl'\n", "'seed' must be an integer"),
        (
            "explanations = 'e.jsonl'\n[data]\nformat = 'jsonl'\n",
            "[explanations] must be a table, not str 'e.jsonl': write a [explanations] line",
        ),
    ],
)
def test_bad_configs_name_the_key(tmp_path: Path, text: str, fragment: str) -> None:
    cfg_file = tmp_path / "run.toml"
    cfg_file.write_text(text)
    with pytest.raises(ConfigError, match=fragment.replace("[", r"\[")):
        RunConfig.from_toml(cfg_file)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        RunConfig.from_toml(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[filter]\nmode = 'some'\n", "mode must be one of"),
        ("[end_model]\nkind = 'svm'\n", "kind must be one of"),
        ("[end_model]\nsteps = 1.5\n", "steps must be int"),
        ("[label_model]\ndependencies = 'yes'\n", "dependencies must be bool"),
        ("[lfs]\nmodules = 'a.py'\n", "modules must be tuple"),
        ("[parse]\nx = 1\n", "unknown key 'parse'"),
        ("[end_model]\nsteeps = 3\n", "unknown key [end_model] 'steeps'"),
        ("[parser]\nmax_parses = 0\n", "[parser] max_parses must be positive, got 0"),
        ("[parser]\ndeadline_ms = 'soon'\n", "[parser] deadline_ms must be float"),
        ("[parser]\nmax_words = 9\n", "unknown key [parser] 'max_words'"),
    ],
)
def test_bad_section_values_name_the_key(tmp_path: Path, text: str, fragment: str) -> None:
    cfg_file = tmp_path / "run.toml"
    cfg_file.write_text("[data]\nformat = 'jsonl'\n" + text)
    with pytest.raises(ConfigError, match=fragment.replace("[", r"\[")):
        RunConfig.from_toml(cfg_file)


def test_sections_overrides_and_paths(tmp_path: Path) -> None:
    cfg_file = tmp_path / "run.toml"
    cfg_file.write_text(
        "[data]\nformat = 'jsonl'\n[lfs]\nmodules = ['lfs/a.py']\n"
        "[end_model]\nlr = 1\nsteps = 10\n[explanations]\npath = 'e.jsonl'\n"
    )
    cfg = RunConfig.from_toml(cfg_file, {"end_model.steps": 20, "filter.mode": "none"})
    assert cfg.lfs.modules == (tmp_path / "lfs" / "a.py",)
    assert cfg.explanations.path == tmp_path / "e.jsonl"
    assert cfg.end_model.tuning() == {"lr": 1.0, "steps": 20, "include_uncovered": False}
    assert cfg.filter.mode == "none"
    assert cfg.to_dict()["lfs"]["modules"] == [str(tmp_path / "lfs" / "a.py")]


def test_filter_and_label_model_settings(tmp_path: Path) -> None:
    cfg_file = tmp_path / "run.toml"
    cfg_file.write_text("[data]\nformat = 'jsonl'\n[filter]\nuniform_coverage = 0.5\n")
    cfg = RunConfig.from_toml(
        cfg_file,
        {"filter.drop_generalisations": False, "label_model.learn_dependencies": True},
    )
    bank = cfg.filter.bank()
    assert (bank.uniform_coverage, bank.drop_generalisations, bank.one_per_explanation) == (
        0.5,
        False,
        False,
    )
    assert (cfg.label_model.dependencies, cfg.label_model.learn_dependencies) == (True, True)
    default = RunConfig.from_dict({"data": {"format": "jsonl"}}, base=tmp_path)
    assert default.filter.bank().drop_generalisations is True
    assert default.label_model.learn_dependencies is False
    with pytest.raises(ConfigError, match="learn_dependencies must be bool"):
        RunConfig.from_dict(
            {"data": {"format": "jsonl"}, "label_model": {"learn_dependencies": 1}}, base=tmp_path
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("seed=3", ("seed", 3)), ("a.b=x y", ("a.b", "x y")), ("a.c=false", ("a.c", False))],
)
def test_parse_override(text: str, expected: tuple[str, object]) -> None:
    assert parse_override(text) == expected


def test_bad_override() -> None:
    with pytest.raises(ConfigError, match=r"section\.key=value"):
        parse_override("novalue")


def test_override_paths_are_taken_from_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_dir, here = tmp_path / "configs", tmp_path / "here"
    config_dir.mkdir()
    here.mkdir()
    cfg_file = config_dir / "run.toml"
    cfg_file.write_text("output = 'runs/a'\n[data]\nformat = 'jsonl'\npath = 'data'\n")
    monkeypatch.chdir(here)
    from_file = RunConfig.from_toml(cfg_file)
    assert (from_file.output, from_file.data.path) == (
        config_dir / "runs" / "a",
        config_dir / "data",
    )
    typed = RunConfig.from_toml(
        cfg_file,
        {"output": "runs/b", "data.path": "/abs/data", "lfs.modules": ["my_lfs.py"], "seed": 2},
    )
    assert typed.output == here / "runs" / "b"
    assert typed.data.path == Path("/abs/data")
    assert typed.lfs.modules == (here / "my_lfs.py",)
    assert typed.seed == 2
    with pytest.raises(ConfigError, match=r"\[data\] path must be Path, got 3"):
        RunConfig.from_toml(cfg_file, {"data.path": 3})
