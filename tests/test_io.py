"""Atomic writes and the cache root."""

from __future__ import annotations

from pathlib import Path

import pytest

from babble._io import atomic_directory, atomic_write_bytes, atomic_write_text, cache_root


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.txt"
    atomic_write_text(target, "old")
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]


def test_atomic_directory_publishes_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    with pytest.raises(RuntimeError, match="interrupted"), atomic_directory(target) as tmp:
        (tmp / "half.npy").write_bytes(b"x")
        raise RuntimeError("interrupted")
    assert list(tmp_path.iterdir()) == []  # neither the entry nor a temporary folder is left
    with atomic_directory(target) as tmp:
        (tmp / "a").write_text("1")
    assert (target / "a").read_text() == "1"


def test_atomic_directory_keeps_existing_entry(tmp_path: Path) -> None:
    target = tmp_path / "entry"
    for value in ("first", "second"):
        with atomic_directory(target) as tmp:
            (tmp / "a").write_text(value)
    assert (target / "a").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["entry"]


def test_cache_root(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BABBLE_CACHE", str(tmp_path))
    assert cache_root() == tmp_path
    assert cache_root(tmp_path / "x") == tmp_path / "x"
    monkeypatch.delenv("BABBLE_CACHE")
    assert cache_root() == Path.home() / ".cache" / "babble"
