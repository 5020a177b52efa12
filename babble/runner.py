"""``babble run``: the whole job, from explanations to a trained and evaluated end model.

The stages, in order, each reading only what the previous ones made:

1. **load** the dataset (and an explanations override, and hand-written LF modules);
2. **preprocess** the pool (and dev, test) with spaCy -- cached by :mod:`babble.preprocess`;
3. **label** -- parse the explanations, run the filter bank on the pool, apply the chosen LFs to
   the pool and the test split (stops here, after writing the parse report, when no explanation
   parses or no LF survives);
4. **label model** -- probabilistic labels for the pool, predictions for the test split;
5. **end model** -- trained on the pool's probabilistic labels, predicting the test split;
6. **report** -- LF analysis, ``metrics.json`` and ``report.md``.

Stages 3-5 are cached under ``$BABBLE_CACHE/runs/<stage>/<key>``, the key a hash of the
config sections they depend on and of their inputs (dataset content, explanation and LF files,
the previous stage's key), so a re-run with the same config reuses them. Every file of the run
folder is written atomically; the model folder appears in one rename.

Hand-written LF modules named in ``[lfs] modules`` are imported (executed): they are trusted code.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import resource
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from babble._io import atomic_directory, atomic_write_bytes, atomic_write_text, cache_root
from babble.analysis import analyze, plot_coverage_accuracy, unvoted_labels
from babble.apply import LabelMatrix, apply_lfs
from babble.config import RunConfig
from babble.datasets import load_dataset
from babble.endmodel import BaselineEndModel, EndModel, one_hot
from babble.endmodel.baseline import baseline_settings
from babble.errors import ConfigError, NoLabelingFunctionsError
from babble.filter import FILTERS, FilteredTask, explanation_name, filter_dataset
from babble.labelmodel import LabelModel, LabelShares, MajorityVoter, top_agreement
from babble.lf import LabelingFunction, dependency_groups, lfs_from_parses
from babble.logic.interpret import analyzer_for
from babble.logic.render import to_sexpr
from babble.metrics import accuracy, binary_f1, score
from babble.parse._resources import grammar_dir, lexicon_dir
from babble.parse.report import load_explanations
from babble.preprocess import preprocess
from babble.types import Candidate, Dataset, LabelSpace

STAGES = ("load", "preprocess", "label", "label model", "end model", "report")
"""The stages of a run, in order."""

FILES = {
    "config": "config.json",
    "parses": "parses.jsonl",
    "matrix": "label_matrix.npz",
    "lf_names": "lf_names.json",
    "probs": "probabilistic_labels.npy",
    "analysis": "lf_analysis.json",
    "plot": "lf_analysis.png",
    "model": "model",
    "metrics": "metrics.json",
    "report": "report.md",
}
"""What a run folder holds (the model folder only with an end model; the plot only with gold)."""

Log = Callable[[str], None]


@dataclass(frozen=True)
class StageTiming:
    """Wall time of one stage, and whether it came from the cache."""

    stage: str
    seconds: float
    cached: bool = False


@dataclass(frozen=True)
class RunResult:
    """What a run produced: the summary (also in ``metrics.json``) and per-stage timings."""

    summary: dict[str, Any]
    folder: Path
    timings: tuple[StageTiming, ...] = field(default=())


@dataclass(frozen=True, eq=False)
class _Labels:
    """The label stage's output: LF votes on the pool and on the test split."""

    pool: LabelMatrix
    test: LabelMatrix | None
    origins: dict[str, str]
    filter_totals: dict[str, int]
    groups: dict[str, list[list[int]]]
    """Dependency groups (:func:`babble.lf.dependency_groups`): ``"explanations"`` (LFs of one
    explanation) and ``"forms"`` (those and sibling logical forms)."""


def run(
    config: RunConfig,
    *,
    overwrite: bool = False,
    resume: bool = False,
    progress: bool = True,
    log: Log | None = None,
) -> RunResult:
    """Run every stage of ``config`` and write the run folder ``config.output``.

    Parameters
    ----------
    config
        The resolved config.
    overwrite, resume
        An existing, non-empty run folder is refused unless ``overwrite`` (its content is
        deleted first) or ``resume`` (kept; it must hold the same config; cached stages are
        reused and the files rewritten).
    progress
        Show progress bars inside stages.
    log
        Receives one human-readable line per stage.

    Raises
    ------
    ConfigError
        The run folder exists, an input file is missing, a split is unknown.
    NoLabelingFunctionsError
        No explanation parsed, or the filter bank kept no LF (after writing ``parses.jsonl``).
    """
    say = log or (lambda _: None)
    out = _prepare_folder(config, overwrite, resume)
    timings: list[StageTiming] = []

    @contextmanager
    def stage(name: str) -> Iterator[list[bool]]:
        cached = [False]
        say(f"[{STAGES.index(name) + 1}/{len(STAGES)}] {name} ...")
        start = time.perf_counter()
        yield cached
        timings.append(StageTiming(name, time.perf_counter() - start, cached[0]))
        say(f"      {name} done in {timings[-1].seconds:.1f} s" + (" (cached)" * cached[0]))

    with stage("load"):
        dataset, lf_modules = _load(config)
        pool = dataset.candidates(config.data.pool)
        test = _gold_split(dataset, config.data.test)
        dev = _dev_split(dataset, config.data.dev)
        say(
            f"      {dataset.name}: pool {config.data.pool} = {len(pool)} candidates, "
            f"{len(dataset.explanations)} explanations, test = {len(test)} with gold"
        )
    with stage("preprocess"):
        prep = config.preprocess
        for split in (pool, test) if test else (pool,):  # cached: later stages read it back
            preprocess(
                split,
                pipeline=prep.pipeline,
                batch_size=prep.batch_size,
                n_process=prep.n_process,
                progress=progress,
            )
    key = _fingerprint(config, dataset, lf_modules)
    with stage("label") as cached:
        labels, cached[0] = _label_stage(config, dataset, lf_modules, test, key, out, progress)
        say(
            f"      {labels.pool.shape[1]} LFs; they vote on "
            f"{_coverage(labels.pool):.0%} of the pool"
        )
        space = dataset.label_space
        unvoted = [space.name(c) for c in unvoted_labels(labels.pool, space.k)]
        if unvoted:
            say(f"      warning: {_unvoted_warning(unvoted)}")
    lm_key = _hash(key, "label_model", config.label_model, config.seed, _code("labelmodel"))
    with stage("label model") as cached:
        (probs, test_lm), cached[0] = _label_model_stage(
            config, labels, dataset.label_space.k, lm_key
        )
        atomic_write_bytes(out / FILES["probs"], _npy(probs))
    end_pred: np.ndarray | None = None
    with stage("end model") as cached:
        if config.end_model.kind == "none":
            say('      skipped: [end_model] kind = "none"')
        else:
            em_key = _hash(
                lm_key, "end_model", config.end_model, [c.id for c in dev], _code("endmodel")
            )
            end_pred, cached[0] = _end_model_stage(
                config, dataset, pool, dev, test, probs, labels.pool, em_key, out, progress
            )
    with stage("report"):
        summary = _summarise(config, dataset, labels, test, test_lm, end_pred)
        summary["unvoted_classes"] = unvoted
        summary["pool_labels"] = _pool_labels(config, labels, probs, dataset.label_space)
        _write_analysis(dataset, labels, out, config.data.pool)
    summary["timings"] = {t.stage: round(t.seconds, 3) for t in timings}
    summary["cached_stages"] = [t.stage for t in timings if t.cached]
    atomic_write_text(out / FILES["metrics"], json.dumps(summary, indent=2) + "\n")
    atomic_write_text(out / FILES["report"], _report_md(summary))
    return RunResult(summary=summary, folder=out, timings=tuple(timings))


# -- run folder ------------------------------------------------------------------------------


def _prepare_folder(config: RunConfig, overwrite: bool, resume: bool) -> Path:
    out = config.output
    resolved = json.dumps(config.to_dict(), indent=2) + "\n"
    if out.is_dir() and any(out.iterdir()):
        if overwrite:
            shutil.rmtree(out)
        elif resume:
            saved = out / FILES["config"]
            if not saved.is_file() or saved.read_text(encoding="utf-8") != resolved:
                raise ConfigError(
                    f"cannot resume {out}: it holds a run of another config "
                    f"({saved.name} differs); use --overwrite or another output folder"
                )
        else:
            raise ConfigError(
                f"run folder {out} already exists; pass --overwrite to replace it or --resume "
                "to continue it (or set `output` to another folder)"
            )
    elif out.exists() and not out.is_dir():
        raise ConfigError(f"output {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(out / FILES["config"], resolved)
    return out


# -- load ------------------------------------------------------------------------------------


def _load(config: RunConfig) -> tuple[Dataset, list[Path]]:
    dataset = load_dataset(config.data.format, config.data.path)
    settings = config.explanations
    if settings.path is not None:
        if not settings.path.is_file():
            raise ConfigError(f"[explanations] path {settings.path} not found")
        joins = load_explanations(settings.path, dataset)
        dataset = replace(
            dataset, explanations=tuple(j.explanation for j in joins), joins=tuple(joins)
        )
    if settings.limit is not None:
        dataset = replace(
            dataset,
            explanations=dataset.explanations[: settings.limit],
            joins=dataset.joins[: settings.limit],
        )
    for module in config.lfs.modules:
        if not module.is_file():
            raise ConfigError(f"[lfs] module {module} not found")
    for split in {config.data.pool, config.data.test, config.data.dev} - {None}:
        if split == config.data.test:
            continue  # a missing test split means: no evaluation
        if split not in dataset.splits:
            raise ConfigError(
                f"[data] split {split!r} not in dataset {dataset.name!r}; it has "
                f"{list(dataset.splits)}"
            )
    return dataset, list(config.lfs.modules)


def _gold_split(dataset: Dataset, split: str) -> tuple[Candidate, ...]:
    """The test candidates that have a gold label (none when the split is missing)."""
    if split not in dataset.splits:
        return ()
    return tuple(c for c in dataset.candidates(split) if c.label is not None)


def _dev_split(dataset: Dataset, split: str | None) -> tuple[Candidate, ...]:
    return () if split is None else _gold_split(dataset, split)


def _python_lfs(modules: Sequence[Path]) -> list[LabelingFunction]:
    """Every :class:`LabelingFunction` defined at the top level of each module (trusted code)."""
    found: list[LabelingFunction] = []
    for path in modules:
        name = "babble_user_lfs_" + hashlib.sha256(str(path).encode()).hexdigest()[:12]
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ConfigError(f"[lfs] cannot import {path} as a Python module")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        lfs = [v for v in vars(module).values() if isinstance(v, LabelingFunction)]
        if not lfs:
            raise ConfigError(
                f"[lfs] {path} defines no labeling function (decorate functions with "
                "@babble.lf.labeling_function())"
            )
        found.extend(lfs)
    return found


# -- caching ---------------------------------------------------------------------------------


def _hash(*parts: Any) -> str:
    text = json.dumps(parts, sort_keys=True, default=_jsonable)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _jsonable(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if hasattr(value, "__dataclass_fields__"):
        return {k: getattr(value, k) for k in value.__dataclass_fields__}
    return repr(value)


_PACKAGE = Path(__file__).resolve().parent

LABEL_CODE = ("datasets", "preprocess", "parse", "logic", "lf", "apply", "filter")
"""Subpackages whose code decides the label stage's output (with the grammar and lexicon)."""


def _code(*packages: str, folders: Sequence[Path] = ()) -> str:
    """Hash of the source of some babble subpackages and of data folders: a cached stage
    computed by other code (a changed grammar rule, a fixed label model) is not reused."""
    digest = hashlib.sha256()
    files = [f for name in packages for f in sorted((_PACKAGE / name).rglob("*.py"))]
    files += [f for folder in folders for f in sorted(folder.rglob("*")) if f.is_file()]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fingerprint(config: RunConfig, dataset: Dataset, modules: Sequence[Path]) -> str:
    """Key of the label stage: the data it reads, the code that labels it (parser grammar and
    lexicon included) and the settings that change its output."""
    content = hashlib.sha256()
    for cand in dataset.candidates():
        content.update(repr((cand.id, cand.text, cand.label, cand.spans)).encode())
    for expl in dataset.explanations:
        content.update(repr(expl).encode())
    content.update(repr(sorted(dataset.word_lists.items())).encode())
    code = [hashlib.sha256(p.read_bytes()).hexdigest() for p in modules]
    return _hash(
        "label",
        content.hexdigest(),
        code,
        _code(*LABEL_CODE, folders=(grammar_dir(), lexicon_dir())),
        dataset.label_space.labels,
        config.data,
        config.preprocess.pipeline,
        config.parser,
        config.filter,
    )


def _entry(stage: str, key: str) -> Path:
    return cache_root() / "runs" / stage.replace(" ", "_") / key


# -- label stage -----------------------------------------------------------------------------


def _label_stage(
    config: RunConfig,
    dataset: Dataset,
    modules: Sequence[Path],
    test: Sequence[Candidate],
    key: str,
    out: Path,
    progress: bool,
) -> tuple[_Labels, bool]:
    entry = _entry("label", key)
    if not entry.is_dir():
        rows, labels = _compute_labels(config, dataset, modules, test, progress)
        with atomic_directory(entry) as tmp:
            _write_jsonl(tmp / FILES["parses"], rows)
            _save_matrix(tmp / "pool.npz", labels.pool)
            if labels.test is not None:
                _save_matrix(tmp / "test.npz", labels.test)
            meta = {
                "origins": labels.origins,
                "filter": labels.filter_totals,
                "groups": labels.groups,
            }
            atomic_write_text(tmp / "meta.json", json.dumps(meta))
        cached = False
    else:
        cached = True
    meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
    pool = _load_matrix(entry / "pool.npz", meta["origins"], dataset.candidates(config.data.pool))
    test_matrix = _load_matrix(entry / "test.npz", meta["origins"], test) if test else None
    shutil.copyfile(entry / FILES["parses"], out / f".{FILES['parses']}.tmp")
    os.replace(out / f".{FILES['parses']}.tmp", out / FILES["parses"])
    atomic_write_bytes(out / FILES["matrix"], (entry / "pool.npz").read_bytes())
    atomic_write_text(out / FILES["lf_names"], json.dumps(list(pool.lf_names), indent=1) + "\n")
    return _Labels(pool, test_matrix, meta["origins"], meta["filter"], meta["groups"]), cached


def _compute_labels(
    config: RunConfig,
    dataset: Dataset,
    modules: Sequence[Path],
    test: Sequence[Candidate],
    progress: bool,
) -> tuple[list[dict[str, Any]], _Labels]:
    settings = config.filter
    pipeline = config.preprocess.pipeline
    python_lfs = _python_lfs(modules)
    task = filter_dataset(
        dataset,
        config.data.pool,
        config=settings.bank(),
        pipeline=pipeline,
        limits=config.parser,
        progress=progress,
    )
    chosen = _choose(task, settings.mode)
    rows = _parse_rows(task, dataset, {lf.name for lf in chosen})
    _check_parsed(task, chosen, python_lfs, rows, config.output)
    lfs = [*chosen, *python_lfs]
    apply_args: dict[str, Any] = {
        "word_lists": dataset.word_lists,
        "analyzer": analyzer_for(pipeline),
        "n_labels": dataset.label_space.k,
    }
    parsed = task.result.parsed
    matrix = parsed.select([lf.name for lf in chosen]) if chosen and parsed else None
    if python_lfs:
        hand = apply_lfs(python_lfs, task.pool, **apply_args)
        matrix = hand if matrix is None else matrix.hstack(hand)
    assert matrix is not None
    test_matrix = None
    if test:
        prepared = preprocess(test, pipeline=pipeline, progress=False)
        test_matrix = apply_lfs(lfs, prepared, **apply_args)
    origins = {
        lf.name: "python" if lf.origin.explanation is None else lf.origin.explanation for lf in lfs
    }
    totals = task.result.totals() | {"used": len(lfs), "python": len(python_lfs)}
    groups = {
        "explanations": dependency_groups(lfs, by_form=False),
        "forms": dependency_groups(lfs),
    }
    return rows, _Labels(matrix, test_matrix, origins, totals, groups)


def _choose(task: FilteredTask, mode: str) -> list[LabelingFunction]:
    """The LFs the filter mode keeps: the bank's survivors, or all parses minus the ones only
    the consistency filter dropped, or every parse."""
    if mode == "full":
        return list(task.result.lfs)
    every = [lf for p in task.parsed for lf in lfs_from_parses(p.name, p.rules)]
    if mode == "none":
        return every
    inconsistent = {d.lf for d in task.result.dropped if d.filter == "consistency"}
    return [lf for lf in every if lf.name not in inconsistent]


def _parse_rows(task: FilteredTask, dataset: Dataset, used: set[str]) -> list[dict[str, Any]]:
    """One row per parse (or per explanation without one) with the filter bank's verdict."""
    texts = {explanation_name(e, i): e.text for i, e in enumerate(dataset.explanations)}
    verdicts = {d.lf: d for d in task.result.dropped}
    names = dataset.label_space.labels
    rows: list[dict[str, Any]] = []
    for p in task.parsed:
        base = {
            "explanation": p.name,
            "text": texts.get(p.name),
            "label": names[p.label] if p.label >= 0 else None,
            "candidate_id": p.example,
        }
        if not p.rules:
            rows.append(base | {"rank": None, "verdict": "no parse", "reason": p.error})
        for lf in lfs_from_parses(p.name, p.rules):
            assert lf.rule is not None
            drop = verdicts.get(lf.name)
            rows.append(
                base
                | {
                    "rank": lf.origin.rank,
                    "lf": lf.name,
                    "logical_form": to_sexpr(lf.rule),
                    "verdict": "kept" if drop is None else drop.filter,
                    "reason": None if drop is None else drop.reason,
                    "used": lf.name in used,
                }
            )
    return rows


def _check_parsed(
    task: FilteredTask,
    chosen: Sequence[LabelingFunction],
    python_lfs: Sequence[LabelingFunction],
    rows: list[dict[str, Any]],
    out: Path,
) -> None:
    """Stop after the parse report when there is nothing to label with."""
    if chosen or python_lfs:
        return
    _write_jsonl(out / FILES["parses"], rows)
    n = len(task.parsed)
    if not any(p.rules for p in task.parsed):
        first = "".join(
            f"\n  {p.name}: {p.error.splitlines()[0]}" for p in task.parsed[:3] if p.error
        )
        raise NoLabelingFunctionsError(
            f"none of the {n} explanations parsed, so there is nothing to label with;{first}"
            f"\nthe reason for each is in {out / FILES['parses']} (or run `babble parse`). "
            "Stopping before the label model."
        )
    totals = task.result.totals()
    drops = ", ".join(f"{k} {v}" for k, v in totals.items() if k in FILTERS)
    raise NoLabelingFunctionsError(
        f"the filter bank dropped all {totals['parses']} parses of the {n} explanations "
        f"({drops}); "
        f"see {out / FILES['parses']}. Stopping before the label model."
    )


def _save_matrix(path: Path, matrix: LabelMatrix) -> None:
    """``scipy.sparse.save_npz`` (no pickle) of the votes (label + 1, 0 = abstain)."""
    tmp = path.with_name(f".{path.name}.tmp.npz")
    sp.save_npz(tmp, matrix.matrix)
    os.replace(tmp, path)


def _load_matrix(path: Path, origins: dict[str, str], rows: Sequence[Candidate]) -> LabelMatrix:
    return LabelMatrix(sp.load_npz(path).tocsr(), tuple(origins), tuple(c.id for c in rows))


# -- label model -----------------------------------------------------------------------------


def _label_model_stage(
    config: RunConfig, labels: _Labels, k: int, key: str
) -> tuple[tuple[np.ndarray, np.ndarray | None], bool]:
    entry = _entry("label model", key)
    if entry.is_dir():
        probs = np.load(entry / "probs.npy", allow_pickle=False)
        test = entry / "test_pred.npy"
        return (probs, np.load(test, allow_pickle=False) if test.exists() else None), True
    settings = config.label_model
    model: LabelModel | MajorityVoter
    if settings.kind == "majority":
        model = MajorityVoter(cardinality=k, random_state=config.seed)
    else:
        model = LabelModel(
            cardinality=k, learn_dependencies=settings.learn_dependencies, random_state=config.seed
        )
    return _fit_label_model(model, labels, _groups(config, labels), entry), False


def _groups(config: RunConfig, labels: _Labels) -> list[list[int]] | None:
    """The dependency groups the config's label model counts once (``None``: none)."""
    settings = config.label_model
    if not settings.dependencies:
        return None
    return labels.groups["forms" if settings.sibling_forms else "explanations"]


def _fit_label_model(
    model: LabelModel | MajorityVoter,
    labels: _Labels,
    groups: list[list[int]] | None,
    entry: Path,
) -> tuple[np.ndarray, np.ndarray | None]:
    model.fit(labels.pool.matrix, groups=groups)
    probs = model.predict_proba(labels.pool.matrix)
    test = None if labels.test is None else model.predict(labels.test.matrix)
    with atomic_directory(entry) as tmp:
        (tmp / "probs.npy").write_bytes(_npy(probs))
        if test is not None:
            (tmp / "test_pred.npy").write_bytes(_npy(test))
    return probs, test


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


# -- end model -------------------------------------------------------------------------------


def _end_model_stage(
    config: RunConfig,
    dataset: Dataset,
    pool: Sequence[Candidate],
    dev: Sequence[Candidate],
    test: Sequence[Candidate],
    probs: np.ndarray,
    matrix: LabelMatrix,
    key: str,
    out: Path,
    progress: bool,
) -> tuple[np.ndarray | None, bool]:
    entry = _entry("end model", key + "-" + _hash([c.id for c in test]))
    cached = entry.is_dir()
    if not cached:
        s = config.end_model
        targets = (
            probs if s.labels == "soft" else one_hot(list(probs.argmax(axis=1)), probs.shape[1])
        )
        covered = _voted(matrix)
        if s.explained_examples:
            targets, covered = explained_targets(dataset, pool, targets, covered)
        fit: dict[str, Any] = {
            "label_space": dataset.label_space,
            "covered": covered,
            "metric": dataset.metric,
        }
        model: EndModel | BaselineEndModel
        if s.kind == "baseline":
            model = BaselineEndModel(s.features, model=s.model, **baseline_settings(s.tuning()))
            model.fit(list(pool), targets, list(dev) or None, **fit)
        else:
            model = EndModel(s.model, progress=progress, seed=config.seed, **s.tuning())
        with atomic_directory(entry) as tmp:
            if isinstance(model, EndModel):
                model.fit(
                    list(pool), targets, list(dev) or None, checkpoint_dir=tmp / "ckpt", **fit
                )
                shutil.rmtree(tmp / "ckpt", ignore_errors=True)
            model.save(tmp / "model")
            if test:
                (tmp / "test_pred.npy").write_bytes(_npy(model.predict(list(test))))
    staging = out / f".{FILES['model']}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(entry / "model", staging)
    shutil.rmtree(out / FILES["model"], ignore_errors=True)
    os.replace(staging, out / FILES["model"])
    pred = entry / "test_pred.npy"
    return (np.load(pred, allow_pickle=False) if pred.exists() else None), cached


def explained_targets(
    dataset: Dataset, pool: Sequence[Candidate], targets: np.ndarray, covered: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Training targets where each explained pool candidate carries its explanation's label.

    An explanation's example was labelled by the annotator, so it is a gold label; a candidate
    explained twice with different labels keeps the label model's target.
    """
    rows = {c.id: i for i, c in enumerate(pool)}
    labels: dict[int, set[int]] = {}
    for explanation in dataset.explanations:
        row = rows.get(explanation.candidate_id or "")
        if row is not None:
            labels.setdefault(row, set()).add(dataset.label_space.index(explanation.label))
    targets, covered = targets.copy(), covered.copy()
    for row, found in labels.items():
        if len(found) == 1:
            targets[row] = 0.0
            targets[row, found.pop()] = 1.0
            covered[row] = True
    return targets, covered


# -- report ----------------------------------------------------------------------------------


def _voted(matrix: LabelMatrix) -> np.ndarray:
    """Bool mask of the rows some LF votes on."""
    mask: np.ndarray = np.diff(matrix.matrix.indptr) > 0
    return mask


def _coverage(matrix: LabelMatrix) -> float:
    return float(np.mean(_voted(matrix))) if matrix.shape[0] else 0.0


def _scores(dataset: Dataset, gold: np.ndarray, pred: np.ndarray) -> dict[str, Any]:
    space = dataset.label_space
    out: dict[str, Any] = {
        "score": score(dataset.metric, gold, pred, space),
        "accuracy": accuracy(gold, pred),
    }
    if space.k == 2:
        prf = binary_f1(gold, pred, positive=1)
        out |= {"precision": prf.precision, "recall": prf.recall, "f1": prf.f1}
    return out


def _summarise(
    config: RunConfig,
    dataset: Dataset,
    labels: _Labels,
    test: Sequence[Candidate],
    test_lm: np.ndarray | None,
    end_pred: np.ndarray | None,
) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "dataset": dataset.name,
        "metric": dataset.metric,
        "pool": {"split": config.data.pool, "candidates": labels.pool.shape[0]},
        "explanations": len(dataset.explanations),
        "filter": labels.filter_totals,
        "lfs": labels.pool.shape[1],
        "pool_coverage": _coverage(labels.pool),
        "label_model": config.label_model.kind,
        "end_model": config.end_model.kind,
        "test": None,
        "evaluation": None,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "output": str(config.output),
    }
    if not test or test_lm is None:
        summary["evaluation"] = f"no evaluation: split {config.data.test!r} " + (
            "is missing" if config.data.test not in dataset.splits else "has no gold labels"
        )
        return summary
    gold = np.array([c.label for c in test], dtype=np.int64)
    assert labels.test is not None
    voted = _voted(labels.test)
    summary["test"] = {
        "split": config.data.test,
        "candidates": len(test),
        "label_model_coverage": _coverage(labels.test),
        "label_model": _scores(dataset, gold, test_lm),
        # Where no LF votes the label model can only guess its class prior; its score on the
        # rows some LF votes on says how good the votes themselves are.
        "label_model_where_lfs_vote": (
            _scores(dataset, gold[voted], test_lm[voted])
            if _scorable(dataset, gold[voted])
            else None
        ),
        "end_model": None if end_pred is None else _scores(dataset, gold, end_pred),
        "constant": _constant_scores(dataset, gold),
    }
    return summary


def _constant_scores(dataset: Dataset, gold: np.ndarray) -> dict[str, dict[str, Any]]:
    """What answering one class for every test candidate scores, by class name: the test's most
    frequent class and, in a binary task, the positive one (the floors a model must clear: the
    first for accuracy, the second for F1)."""
    space = dataset.label_space
    classes = [int(np.bincount(gold, minlength=space.k).argmax())]
    if space.k == 2 and 1 not in classes:
        classes.append(1)
    return {space.name(c): _scores(dataset, gold, np.full_like(gold, c)) for c in classes}


def _pool_labels(
    config: RunConfig, labels: _Labels, probs: np.ndarray, space: LabelSpace
) -> dict[str, Any]:
    """Class shares of the label model's labels on the pool rows some LF votes on and, for
    the learned model, majority vote's beside them (:mod:`babble.labelmodel.shares`)."""
    voted = _voted(labels.pool)
    learned = probs[voted]
    out: dict[str, Any] = {
        "rows": int(voted.sum()),
        "classes": list(space.labels),
        "label_model": asdict(LabelShares.of(learned)),
    }
    if config.label_model.kind == "learned" and voted.any():  # no NaN agreement in the JSON
        matrix = labels.pool.matrix
        vote = MajorityVoter(cardinality=space.k).fit(matrix, groups=_groups(config, labels))
        majority = vote.predict_proba(matrix)[voted]
        out["majority_vote"] = asdict(LabelShares.of(majority))
        out["agreement"] = top_agreement(learned, majority)
    return out


def _scorable(dataset: Dataset, gold: np.ndarray) -> bool:
    """Whether the dataset's metric is defined on these gold labels."""
    try:
        score(dataset.metric, gold, gold, dataset.label_space)
    except ValueError:
        return False
    return True


def _write_analysis(dataset: Dataset, labels: _Labels, out: Path, pool_split: str) -> None:
    gold = dataset.gold(pool_split)
    has_gold = bool(np.any(gold >= 0))
    analysis = analyze(labels.pool, gold if has_gold else None, origins=labels.origins)
    atomic_write_text(out / FILES["analysis"], json.dumps(analysis.to_dict(), indent=1) + "\n")
    if has_gold:
        tmp = out / f".{FILES['plot']}.tmp.png"
        plot_coverage_accuracy(
            analysis,
            tmp,
            f"{dataset.name}: LFs on the {pool_split} pool",
            dataset.label_space.labels,
        )
        os.replace(tmp, out / FILES["plot"])


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def _unvoted_warning(classes: Sequence[str]) -> str:
    """What it means that no LF votes some classes, and what to do about it."""
    names = ", ".join(f"`{c}`" for c in classes)
    return (
        f"no LF votes {names}: the label model gives such a class only its prior and the end "
        "model never learns to predict it; explanations with that label would add it "
        "(`babble serve` suggests candidates no LF votes on)"
    )


def _report_md(summary: dict[str, Any]) -> str:
    f = summary["filter"]
    lines = [
        f"# babble run: {summary['dataset']}",
        "",
        f"- Pool: {summary['pool']['candidates']} candidates of split `{summary['pool']['split']}`",
        f"- Explanations: {summary['explanations']} -> {f['parses']} parses -> "
        f"{summary['lfs']} LFs used ({f.get('python', 0)} hand-written); filter bank dropped "
        + ", ".join(f"{name.replace('_', ' ')} {f.get(name, 0)}" for name in FILTERS),
        f"- LFs vote on {_pct(summary['pool_coverage'])}% of the pool",
        f"- Label model: {summary['label_model']}; end model: {summary['end_model']}",
        "",
    ]
    if summary.get("unvoted_classes"):
        lines += [f"**Warning: {_unvoted_warning(summary['unvoted_classes'])}.**", ""]
    test = summary["test"]
    if test is None:
        lines += [f"**{summary['evaluation']}.**", ""]
    else:
        metric = summary["metric"]
        lines += [
            f"## Test: {test['candidates']} candidates of `{test['split']}` ({metric})",
            "",
        ]
        heads, rows = report_table(test, metric, covered_only=True)
        lines += ["| model | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
        lines += [f"| {name} | " + " | ".join(map(_pct, v)) + " |" for name, v in rows]
        lines += [
            "",
            f"LFs vote on {_pct(test['label_model_coverage'])}% of the test candidates; the "
            "label model predicts the class prior on the rest (*label model where LFs vote*: "
            "its score on the covered candidates only). *Always X*: answering class X for "
            "every candidate, the floor a model has to clear.",
            "",
        ]
    lines += _pool_labels_md(summary.get("pool_labels"))
    lines += ["## Stages", "", "| stage | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.1f} |" for k, v in summary.get("timings", {}).items()]
    lines += [
        "",
        f"Peak memory {summary['peak_memory_mb']} MB. Files: "
        + ", ".join(f"`{v}`" for v in FILES.values()),
        "",
    ]
    return "\n".join(lines)


def report_table(
    test: dict[str, Any], metric: str, covered_only: bool = False
) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """A run's test table: the column names (the metric, and accuracy unless it is the metric)
    and one row of shares per model, then per constant answer (see :func:`_constant_scores`);
    ``covered_only`` adds the label model's scores on the candidates some LF votes on."""
    keys = ["score", *(["accuracy"] * (metric != "accuracy"))]
    heads = [metric, *(["accuracy"] * (metric != "accuracy"))]
    names = ["label_model", *(["label_model_where_lfs_vote"] * covered_only), "end_model"]
    rows = [(name.replace("_", " "), test[name]) for name in names if test.get(name) is not None]
    rows += [(f"always {label}", s) for label, s in test.get("constant", {}).items()]
    return heads, [(name, [s[k] for k in keys]) for name, s in rows]


def _pool_labels_md(shares: dict[str, Any] | None) -> list[str]:
    """The report's table of class shares on the pool (see :func:`_pool_labels`)."""
    if not shares or not shares["rows"]:
        return []
    models = [m for m in ("label_model", "majority_vote") if m in shares]
    heads = [f"{m.replace('_', ' ')}: {what}" for m in models for what in ("mass", "most probable")]
    lines = [
        f"## Labels on the pool ({shares['rows']} rows some LF votes on, % per class)",
        "",
        "| class | " + " | ".join(heads) + " |",
        "|---|" + "---|" * len(heads),
    ]
    for c, name in enumerate(shares["classes"]):
        cells = [_pct(shares[m][what][c]) for m in models for what in ("mass", "top")]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    if "agreement" in shares:
        lines += [
            f"The label model and majority vote pick the same class on "
            f"{_pct(shares['agreement'])}% of these rows. A class whose share is far from what "
            "the task holds (or from majority vote's) is a warning sign: LFs that are "
            "near-copies of one rule, voting together, make the label model confident about "
            'their class; compare `[label_model] kind = "majority"`.',
            "",
        ]
    return lines


def _write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    atomic_write_text(path, "".join(json.dumps(r) + "\n" for r in rows))
