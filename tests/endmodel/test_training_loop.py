"""The loop's pieces: the step schedule, the learning-rate curve, the loss, settings, device."""

from __future__ import annotations

import itertools

import pytest
import torch

from babble.endmodel.data import CandidateDataset, Encoding
from babble.endmodel.device import amp_dtype, autocast, grad_scaler, select_device
from babble.endmodel.train import (
    EndModelSettings,
    Plan,
    Trainer,
    fingerprint,
    soft_cross_entropy,
)
from babble.errors import ConfigError


@pytest.mark.parametrize(
    ("n", "overrides", "total", "per_epoch", "round_steps"),
    [
        (203, {}, 500, 7, 50),  # few labels: min_steps, many epochs
        (8000, {}, 750, 250, 250),  # 3 epochs, a round per epoch
        (200_000, {}, 3000, 6250, 3000),  # capped by max_steps
        (8000, {"steps": 40}, 40, 250, 40),  # explicit steps win
        (100, {"epochs": 10, "min_steps": 1}, 40, 4, 4),
    ],
)
def test_plan_schedules_by_steps(
    n: int, overrides: dict[str, int], total: int, per_epoch: int, round_steps: int
) -> None:
    plan = Plan.make(n, EndModelSettings.create(**overrides))
    assert (plan.total_steps, plan.steps_per_epoch, plan.round_steps) == (
        total,
        per_epoch,
        round_steps,
    )


def test_learning_rate_warms_up_then_decays_to_zero() -> None:
    plan = Plan.make(320, EndModelSettings(steps=100, warmup=0.1))
    factors = [plan.lr_factor(s) for s in range(100)]
    assert factors[0] == pytest.approx(0.1) and factors[9] == pytest.approx(1.0)
    assert factors[10] == pytest.approx(1.0) and factors[99] == pytest.approx(1 / 90)
    assert all(a >= b for a, b in itertools.pairwise(factors[9:]))


def test_soft_cross_entropy_generalises_hard_cross_entropy() -> None:
    logits = torch.tensor([[1.0, -1.0, 0.5], [0.0, 2.0, 0.0]])
    hard = torch.tensor([0, 1])
    one_hot = torch.nn.functional.one_hot(hard, 3).float()
    expected = torch.nn.functional.cross_entropy(logits, hard)
    assert soft_cross_entropy(logits, one_hot).item() == pytest.approx(expected.item())
    soft = torch.tensor([[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]])
    weights = torch.tensor([2.0, 1.0, 1.0])
    logq = torch.log_softmax(logits, dim=-1)
    manual = -(soft * weights * logq).sum(dim=1).mean()
    assert soft_cross_entropy(logits, soft, weights).item() == pytest.approx(manual.item())


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"lr": 0}, "must be positive"),
        ({"warmup": 1.0}, "warmup and dropout must be in"),
        ({"min_steps": 10, "max_steps": 5}, "exceeds max_steps"),
        ({"epoch": 3}, "unknown end model settings \\['epoch'\\]"),
    ],
)
def test_bad_settings(values: dict[str, float], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        EndModelSettings.create(**values)


def test_settings_lists_become_tuples_and_fingerprints_are_stable() -> None:
    settings = EndModelSettings.create(class_weights=[1.0, 2.0])
    assert settings.class_weights == (1.0, 2.0)
    assert "device" not in settings.fingerprint_dict()
    assert fingerprint({"a": 1}) == fingerprint({"a": 1}) != fingerprint({"a": 2})


def test_cpu_device_uses_the_requested_threads() -> None:
    before = torch.get_num_threads()
    try:
        assert select_device("cpu", threads=1).type == "cpu"
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
    cpu = torch.device("cpu")
    assert amp_dtype(cpu) is None and grad_scaler(cpu, None) is None
    with autocast(cpu, None):
        assert torch.ones(1).dtype == torch.float32


def test_epoch_batches_cover_the_data_once_grouped_by_length() -> None:
    encodings = [Encoding(tuple(range(1 + (i * 7) % 23)), ()) for i in range(230)]
    settings = EndModelSettings(batch_size=4, steps=10)
    trainer = Trainer(
        torch.nn.Linear(1, 1),
        lambda b: b["input_ids"],
        CandidateDataset(encodings),
        settings,
        torch.device("cpu"),
        pad_id=0,
    )
    batches = trainer._epoch_batches(0)
    assert len(batches) == trainer.plan.steps_per_epoch == 58
    assert sorted(i for b in batches for i in b) == list(range(230))
    assert batches == trainer._epoch_batches(0) != trainer._epoch_batches(1)
    spread = [
        max(len(encodings[i].input_ids) for i in b) - min(len(encodings[i].input_ids) for i in b)
        for b in batches
    ]
    assert sum(spread) / len(spread) < 3  # random batches of 4 would spread ~12 tokens
