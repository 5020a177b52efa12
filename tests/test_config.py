"""Run configs: TOML parsing, path resolution and located errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from babble.config import RunConfig
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
