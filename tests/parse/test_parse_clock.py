"""The parse deadline's clock leaves out the garbage collector's time (babble.parse._clock)."""

from __future__ import annotations

import gc

import pytest

from babble.parse import _clock


def test_the_hook_is_registered() -> None:
    assert _clock._time_collections in gc.callbacks


def test_time_spent_collecting_is_not_parse_time(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [10.0]
    monkeypatch.setattr(_clock.time, "thread_time", lambda: now[0])
    before = _clock.parse_time()
    now[0] += 0.25  # parsing
    _clock._time_collections("start", {"generation": 2})
    now[0] += 2.0  # a full collection
    _clock._time_collections("stop", {"generation": 2})
    now[0] += 0.5  # parsing
    assert _clock.parse_time() - before == pytest.approx(0.75)


def test_a_stop_without_its_start_counts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_clock.time, "thread_time", lambda: 5.0)
    before = _clock.parse_time()
    _clock._time_collections("stop", {"generation": 0})  # the hook was added mid-collection
    assert _clock.parse_time() == before
