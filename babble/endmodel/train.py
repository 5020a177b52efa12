"""The training loop: soft cross-entropy on probabilistic labels, scheduled by steps.

Noise-aware loss
    The loss is the cross-entropy between the label model's distribution and the model's, i.e.
    the expected cross-entropy over the label model's posterior (Ratner et al., 2016, "Data
    Programming"). A candidate the label model is unsure about pulls the model less. Hard labels
    are the special case of one-hot rows.
Schedule by steps
    The run lasts ``steps`` optimisation steps (by default ``epochs`` passes over the data,
    clipped to ``[min_steps, max_steps]``), with a linear warm-up and a linear decay to 0. A
    fixed number of epochs fails at both ends: 200 labels make 7 steps an epoch (nothing is
    learned in 10 epochs) while a large pool makes each epoch long.
Batches
    Seeded per epoch and grouped by length (:meth:`Trainer._epoch_batches`), so little compute
    goes to padding.
Rounds
    Every round (an epoch, or a tenth of the run when epochs are shorter) the model is scored
    on the dev set when one is given (early stopping: the best round's weights are kept, and
    the run stops after ``patience`` rounds without improvement) and a checkpoint is written.
Checkpoints
    ``checkpoint_dir/step-<n>/`` holds the weights, the optimiser state, the RNG state and the
    loop's state (safetensors + JSON, never pickles), built under a temporary name and renamed;
    ``checkpoint_dir/LATEST`` names the newest and is replaced atomically, so an interrupted run
    always finds a complete checkpoint. A run resumes from it when its fingerprint (settings and
    data) matches, and continues exactly as if never stopped.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file, save_file
from torch import nn
from tqdm.auto import tqdm

from babble._io import atomic_directory, atomic_write_text
from babble.endmodel.data import CandidateDataset
from babble.endmodel.device import amp_dtype, autocast, grad_scaler
from babble.endmodel.labels import check_class_prior
from babble.errors import CheckpointError, ConfigError

LATEST = "LATEST"
BUCKET_BATCHES = 50
"""Batches per length bucket (see :meth:`Trainer._epoch_batches`)."""


@dataclass(frozen=True)
class EndModelSettings:
    """Every setting of the transformer end model (all have defaults).

    Parameters
    ----------
    model
        Hugging Face model name or local folder; ``None`` is the bundled ``all-MiniLM-L6-v2``.
    max_length
        Most tokens per candidate (cut around the entities).
    batch_size
        Candidates per optimisation step (and per inference batch).
    lr
        Peak learning rate. The default suits MiniLM-size encoders; use 2e-5 to 5e-5 for
        base-size ones (BERT-base, RoBERTa-base).
    weight_decay
        AdamW weight decay (not applied to biases and layer norms).
    warmup
        Fraction of the steps spent warming the learning rate up from 0.
    steps
        Optimisation steps; ``None`` derives them from ``epochs``, ``min_steps``, ``max_steps``.
    epochs, min_steps, max_steps
        The default schedule: ``epochs`` passes over the data, but at least ``min_steps`` and at
        most ``max_steps`` steps.
    dropout
        Dropout before the classification layer.
    class_weights
        ``None``, ``"balanced"`` or one weight per class, applied in the loss.
    class_prior
        ``"labels"``: the training labels' class prior is kept; ``"dev"``: with a gold dev set,
        predictions are moved to its class prior (:func:`~babble.endmodel.labels.prior_shift`;
        better accuracy when the label model's class balance is off, worse minority-class F1).
    include_uncovered
        Train on candidates no LF voted on, too (their labels are only the class prior).
    patience
        Rounds without a better dev score before stopping (only with a dev set).
    max_grad_norm
        Gradient clipping norm.
    seed
        Seeds the head's initialisation, the data order and dropout.
    device
        ``"cpu"``, ``"cuda"``...; ``None`` picks CUDA when present.
    cpu_threads
        Torch threads on CPU; ``None`` uses every core.
    mixed_precision
        Use bfloat16/float16 autocast on CUDA.
    progress
        Show a progress bar with the loss.
    """

    model: str | None = None
    max_length: int = 128
    batch_size: int = 32
    lr: float = 1e-4
    weight_decay: float = 0.01
    warmup: float = 0.1
    steps: int | None = None
    epochs: float = 3.0
    min_steps: int = 500
    max_steps: int = 3000
    dropout: float = 0.1
    class_weights: str | tuple[float, ...] | None = None
    class_prior: str = "labels"
    include_uncovered: bool = False
    patience: int = 3
    max_grad_norm: float = 1.0
    seed: int = 0
    device: str | None = None
    cpu_threads: int | None = None
    mixed_precision: bool = True
    progress: bool = True

    def __post_init__(self) -> None:
        positive = {"max_length": self.max_length, "batch_size": self.batch_size, "lr": self.lr}
        positive |= {
            "epochs": self.epochs,
            "min_steps": self.min_steps,
            "max_steps": self.max_steps,
        }
        positive |= {"patience": self.patience}
        if self.steps is not None:
            positive["steps"] = self.steps
        bad = {k: v for k, v in positive.items() if not v > 0}
        if bad:
            raise ConfigError(f"end model settings must be positive, got {bad}")
        if not 0 <= self.warmup < 1 or not 0 <= self.dropout < 1:
            raise ConfigError(
                f"warmup and dropout must be in [0, 1), got {self.warmup} and {self.dropout}"
            )
        if self.min_steps > self.max_steps:
            raise ConfigError(f"min_steps {self.min_steps} exceeds max_steps {self.max_steps}")
        check_class_prior(self.class_prior)

    @classmethod
    def create(cls, **values: Any) -> EndModelSettings:
        """Build from keyword arguments; an unknown key raises :class:`ConfigError` listing the
        known ones.

        Examples
        --------
        >>> EndModelSettings.create(lr=3e-5).lr
        3e-05
        """
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ConfigError(f"unknown end model settings {unknown}; known: {sorted(known)}")
        if isinstance(values.get("class_weights"), list):
            values["class_weights"] = tuple(values["class_weights"])
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON)."""
        return asdict(self)

    def fingerprint_dict(self) -> dict[str, Any]:
        """The settings that change what training computes (not where or how it is shown)."""
        out = self.to_dict()
        for key in ("device", "cpu_threads", "progress"):
            out.pop(key)
        return out


@dataclass(frozen=True)
class Plan:
    """How long a run lasts: total steps, steps per epoch and per round (dev score +
    checkpoint)."""

    total_steps: int
    steps_per_epoch: int
    round_steps: int
    warmup_steps: int

    @classmethod
    def make(cls, n: int, settings: EndModelSettings) -> Plan:
        """The plan for ``n`` training candidates.

        Examples
        --------
        >>> Plan.make(203, EndModelSettings())  # few labels: many epochs
        Plan(total_steps=500, steps_per_epoch=7, round_steps=50, warmup_steps=50)
        >>> Plan.make(8000, EndModelSettings()).total_steps  # 3 epochs
        750
        """
        per_epoch = math.ceil(n / settings.batch_size)
        total = settings.steps or min(
            max(math.ceil(settings.epochs * per_epoch), settings.min_steps), settings.max_steps
        )
        rounds = max(per_epoch, math.ceil(total / 10))
        return cls(total, per_epoch, min(rounds, total), int(settings.warmup * total))

    def lr_factor(self, step: int) -> float:
        """The learning-rate multiplier at ``step``: linear warm-up, then linear decay to 0."""
        if step < self.warmup_steps:
            return (step + 1) / self.warmup_steps
        return max(0.0, (self.total_steps - step) / max(1, self.total_steps - self.warmup_steps))


def soft_cross_entropy(
    logits: torch.Tensor, targets: torch.Tensor, weights: torch.Tensor | None = None
) -> torch.Tensor:
    """Mean over the batch of ``-sum_c w_c p_c log q_c`` (``p`` the target distribution).

    Examples
    --------
    >>> logits = torch.tensor([[2.0, 0.0]])
    >>> round(float(soft_cross_entropy(logits, torch.tensor([[1.0, 0.0]]))), 4)
    0.1269
    """
    logq = torch.log_softmax(logits.float(), dim=-1)
    per_class = -targets * logq
    if weights is not None:
        per_class = per_class * weights
    return per_class.sum(dim=-1).mean()


@dataclass
class LoopState:
    """What a checkpoint restores besides tensors: progress, early stopping, history."""

    step: int = 0
    best_score: float | None = None
    best_step: int | None = None
    bad_rounds: int = 0
    finished: bool = False
    history: list[dict[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class TrainResult:
    """What a run did: steps taken, the best dev score and when, the per-round history."""

    steps: int
    total_steps: int
    best_score: float | None
    best_step: int | None
    stopped_early: bool
    resumed_from: int | None
    seconds: float
    examples_per_second: float
    history: tuple[Mapping[str, float], ...]


def fingerprint(parts: Mapping[str, Any]) -> str:
    """A short stable hash of JSON-able ``parts`` (arrays are hashed by their bytes)."""
    digest = hashlib.sha256()
    for key in sorted(parts):
        value = parts[key]
        if isinstance(value, np.ndarray):
            digest.update(key.encode() + np.ascontiguousarray(value).tobytes())
        else:
            digest.update(key.encode() + json.dumps(value, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:16]


class Trainer:
    """Runs the loop for one model, data set and settings; see the module docstring.

    ``forward`` maps a collated batch (on the device) to logits. ``evaluate`` scores the model
    on the dev set (higher is better) or is ``None``.
    """

    def __init__(
        self,
        network: nn.Module,
        forward: Callable[[dict[str, torch.Tensor]], torch.Tensor],
        data: CandidateDataset,
        settings: EndModelSettings,
        device: torch.device,
        pad_id: int,
        weights: np.ndarray | None = None,
        evaluate: Callable[[], float] | None = None,
    ) -> None:
        self.network, self.forward, self.data = network, forward, data
        self.settings, self.device, self.pad_id = settings, device, pad_id
        self.evaluate = evaluate
        self.plan = Plan.make(len(data), settings)
        self.weights = (
            None
            if weights is None
            else torch.as_tensor(weights, dtype=torch.float32, device=device)
        )
        self.dtype = amp_dtype(device, settings.mixed_precision)
        self.scaler = grad_scaler(device, self.dtype)
        self.optimizer = torch.optim.AdamW(
            _param_groups(network, settings.weight_decay), lr=settings.lr
        )
        self.state = LoopState()
        self.best_weights: dict[str, torch.Tensor] | None = None
        self._epoch: tuple[int, list[list[int]]] = (-1, [])

    def run(
        self, checkpoint_dir: Path | None = None, run_id: str = "", resume: bool = True
    ) -> TrainResult:
        """Train to the end of the plan (or early stop), resuming from ``checkpoint_dir``."""
        resumed = self._resume(checkpoint_dir, run_id) if checkpoint_dir and resume else None
        if checkpoint_dir is not None and resumed is None:
            clear_checkpoints(checkpoint_dir)
        start, first_step = time.perf_counter(), self.state.step
        bar = tqdm(
            total=self.plan.total_steps,
            initial=self.state.step,
            desc="end model",
            unit="step",
            disable=not self.settings.progress,
            dynamic_ncols=True,
        )
        smoothed: float | None = None
        self.network.train()
        try:
            while not self.state.finished and self.state.step < self.plan.total_steps:
                loss = _step(self, self._batch(self.state.step))
                smoothed = loss if smoothed is None else 0.9 * smoothed + 0.1 * loss
                self.state.step += 1
                bar.update(1)
                bar.set_postfix(loss=f"{smoothed:.4f}", refresh=False)
                if (
                    self.state.step % self.plan.round_steps == 0
                    or self.state.step == self.plan.total_steps
                ):
                    self._end_round(smoothed, bar)
                    if checkpoint_dir is not None:
                        self.save_checkpoint(checkpoint_dir, run_id)
        finally:
            bar.close()
        if self.best_weights is not None:
            self.network.load_state_dict(self.best_weights)
        elapsed = time.perf_counter() - start
        trained = (self.state.step - first_step) * self.settings.batch_size
        return TrainResult(
            steps=self.state.step,
            total_steps=self.plan.total_steps,
            best_score=self.state.best_score,
            best_step=self.state.best_step,
            stopped_early=self.state.step < self.plan.total_steps,
            resumed_from=resumed,
            seconds=elapsed,
            examples_per_second=trained / elapsed if elapsed > 0 else 0.0,
            history=tuple(self.state.history),
        )

    def _batch(self, step: int) -> dict[str, torch.Tensor]:
        """The batch of ``step``, from :meth:`_epoch_batches` of its epoch."""
        epoch, index = divmod(step, self.plan.steps_per_epoch)
        if self._epoch[0] != epoch:
            self._epoch = (epoch, self._epoch_batches(epoch))
        chosen = self._epoch[1][index]
        return next(self.data.batches(chosen, len(chosen), self.pad_id))

    def _epoch_batches(self, epoch: int) -> list[list[int]]:
        """One epoch's batches, a pure function of ``(seed, epoch)`` so that a resumed run sees
        the same batches as an uninterrupted one.

        The data are shuffled, cut into chunks of :data:`BUCKET_BATCHES` batches, each chunk
        sorted by length and cut into batches, and the batches shuffled: batches of similar
        lengths need little padding (twice as fast on long-tailed sentences such as Spouse's)
        while every epoch still mixes the data.
        """
        rng = np.random.default_rng([self.settings.seed, epoch])
        order = rng.permutation(len(self.data)).tolist()
        size = self.settings.batch_size
        chunk = size * BUCKET_BATCHES
        lengths = [len(e.input_ids) for e in self.data.encodings]
        batches: list[list[int]] = []
        for start in range(0, len(order), chunk):
            part = sorted(order[start : start + chunk], key=lambda i: lengths[i])
            batches += [part[i : i + size] for i in range(0, len(part), size)]
        rng.shuffle(batches)
        return batches

    def _end_round(self, loss: float | None, bar: Any) -> None:
        entry: dict[str, float] = {"step": float(self.state.step), "loss": float(loss or 0.0)}
        if self.evaluate is not None:
            score = self.evaluate()
            self.network.train()
            entry["dev"] = score
            bar.set_postfix(loss=f"{loss:.4f}", dev=f"{score:.4f}")
            if self.state.best_score is None or score > self.state.best_score:
                self.state.best_score, self.state.best_step, self.state.bad_rounds = (
                    score,
                    self.state.step,
                    0,
                )
                self.best_weights = {
                    k: v.detach().cpu().clone() for k, v in self.network.state_dict().items()
                }
            else:
                self.state.bad_rounds += 1
                if self.state.bad_rounds >= self.settings.patience:
                    self.state.finished = True
        self.state.history.append(entry)
        if self.state.step >= self.plan.total_steps:
            self.state.finished = True

    # -- checkpoints ---------------------------------------------------------------------------

    def save_checkpoint(self, root: Path, run_id: str) -> Path:
        """Write ``root/step-<n>/`` atomically, point ``root/LATEST`` at it, drop older ones."""
        name = f"step-{self.state.step:07d}"
        target = root / name
        if not target.is_dir():
            with atomic_directory(target) as tmp:
                save_file(_cpu(self.network.state_dict()), tmp / "weights.safetensors")
                if self.best_weights is not None:
                    save_file(self.best_weights, tmp / "best.safetensors")
                save_file(self._optimizer_tensors(), tmp / "optimizer.safetensors")
                meta = {"run_id": run_id, "loop": asdict(self.state)}
                (tmp / "state.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
        atomic_write_text(root / LATEST, name + "\n")
        for old in root.glob("step-*"):
            if old.name != name and old.is_dir():
                shutil.rmtree(old, ignore_errors=True)
        return target

    def _optimizer_tensors(self) -> dict[str, torch.Tensor]:
        tensors = {"rng.torch": torch.get_rng_state()}
        if self.device.type == "cuda":
            tensors["rng.cuda"] = torch.cuda.get_rng_state(self.device)
        for index, slots in self.optimizer.state_dict()["state"].items():
            for slot, value in slots.items():
                tensors[f"state.{index}.{slot}"] = (
                    torch.as_tensor(value).detach().cpu().contiguous()
                )
        return tensors

    def _resume(self, root: Path, run_id: str) -> int | None:
        pointer = root / LATEST
        if not pointer.is_file():
            return None
        folder = root / pointer.read_text(encoding="utf-8").strip()
        try:
            meta = json.loads((folder / "state.json").read_text(encoding="utf-8"))
            weights = load_file(folder / "weights.safetensors")
            optimizer = load_file(folder / "optimizer.safetensors")
            best = folder / "best.safetensors"
            best_weights = load_file(best) if best.is_file() else None
        except (OSError, ValueError) as exc:
            raise CheckpointError(
                f"checkpoint {folder} is unreadable ({exc}); delete {root} to start over"
            ) from exc
        if meta.get("run_id") != run_id:
            raise CheckpointError(
                f"checkpoint {folder} belongs to a different run (other settings, model or data); "
                f"delete {root} or use another checkpoint folder to start over"
            )
        self.network.load_state_dict(weights)
        self._load_optimizer(optimizer)
        self.best_weights = best_weights
        self.state = LoopState(**meta["loop"])
        return self.state.step

    def _load_optimizer(self, tensors: dict[str, torch.Tensor]) -> None:
        torch.set_rng_state(tensors.pop("rng.torch"))
        cuda_rng = tensors.pop("rng.cuda", None)
        if cuda_rng is not None and self.device.type == "cuda":
            torch.cuda.set_rng_state(cuda_rng, self.device)
        state: dict[int, dict[str, torch.Tensor]] = {}
        for key, value in tensors.items():
            _, index, slot = key.split(".", 2)
            state.setdefault(int(index), {})[slot] = value
        current = self.optimizer.state_dict()
        self.optimizer.load_state_dict({"state": state, "param_groups": current["param_groups"]})


def clear_checkpoints(root: Path) -> None:
    """Remove the checkpoints in ``root`` (``LATEST`` first, so none is left half-named)."""
    (root / LATEST).unlink(missing_ok=True)
    for old in root.glob("step-*"):
        shutil.rmtree(old, ignore_errors=True)


def _step(trainer: Trainer, batch: dict[str, torch.Tensor]) -> float:
    """One optimisation step on ``batch``; returns its loss."""
    batch = {k: v.to(trainer.device) for k, v in batch.items()}
    factor = trainer.plan.lr_factor(trainer.state.step)
    for group in trainer.optimizer.param_groups:
        group["lr"] = trainer.settings.lr * factor
    with autocast(trainer.device, trainer.dtype):
        logits = trainer.forward(batch)
    loss = soft_cross_entropy(logits, batch["targets"], trainer.weights)
    trainer.optimizer.zero_grad(set_to_none=True)
    if trainer.scaler is not None:
        trainer.scaler.scale(loss).backward()  # type: ignore[no-untyped-call]
        trainer.scaler.unscale_(trainer.optimizer)
    else:
        loss.backward()  # type: ignore[no-untyped-call]
    nn.utils.clip_grad_norm_(trainer.network.parameters(), trainer.settings.max_grad_norm)
    if trainer.scaler is not None:
        trainer.scaler.step(trainer.optimizer)
        trainer.scaler.update()
    else:
        trainer.optimizer.step()
    return float(loss.detach())


def _param_groups(network: nn.Module, weight_decay: float) -> list[dict[str, Any]]:
    """AdamW groups: no weight decay on biases and normalisation weights (the usual recipe)."""
    decay: list[nn.Parameter] = []
    no_decay: list[nn.Parameter] = []
    for name, param in network.named_parameters():
        if not param.requires_grad:
            continue
        (no_decay if param.ndim < 2 or "norm" in name.lower() else decay).append(param)
    return [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]


def _cpu(state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A state dict as contiguous CPU tensors that do not share memory (safetensors needs that;
    tied weights are stored twice)."""
    return {k: v.detach().cpu().contiguous().clone() for k, v in state.items()}
