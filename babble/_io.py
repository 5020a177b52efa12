"""Crash-safe file output and the on-disk cache location, shared by every stage that writes.

A reader must never see half a file or half a cache entry, even when a run is interrupted
(Ctrl-C, a killed job, a full disk). Everything here writes to a temporary sibling first and then
renames it into place: a rename within one folder is atomic on POSIX and Windows, so the target
either does not exist or is complete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CACHE_ENV = "BABBLE_CACHE"
"""Environment variable that overrides the cache root."""

DEFAULT_CACHE_ROOT = Path("~/.cache/babble")


def cache_root(override: str | Path | None = None) -> Path:
    """The folder babble caches derived data in.

    ``override`` if given, else ``$BABBLE_CACHE``, else ``~/.cache/babble``. Each stage keeps its
    entries in a subfolder named after it (e.g. ``preprocess/``).

    Examples
    --------
    >>> cache_root("/tmp/my-cache").as_posix()
    '/tmp/my-cache'
    """
    if override is not None:
        return Path(override).expanduser()
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE_ROOT).expanduser()


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: readers see the old file or the whole new one.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "x.bin"
    >>> atomic_write_bytes(target, b"abc")
    >>> target.read_bytes()
    b'abc'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "x.txt"
    >>> atomic_write_text(target, "hello")
    >>> target.read_text()
    'hello'
    """
    atomic_write_bytes(path, text.encode(encoding))


@contextmanager
def atomic_directory(path: str | Path) -> Iterator[Path]:
    """Build a folder under a temporary name; it appears at ``path`` only if the block succeeds.

    Yields the temporary folder to fill. On success its files are flushed to disk and the folder
    is renamed to ``path``; on an exception it is deleted. If ``path`` already exists when the
    block ends (another process built the same entry meanwhile), the existing folder is kept and
    the new one discarded: callers use this for content-addressed entries, where both are equal.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "entry"
    >>> with atomic_directory(target) as tmp:
    ...     _ = (tmp / "a.txt").write_text("1")
    >>> sorted(p.name for p in target.iterdir())
    ['a.txt']
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        yield tmp
        for child in tmp.iterdir():
            if child.is_file():
                with child.open("rb") as handle:
                    os.fsync(handle.fileno())
        try:
            os.replace(tmp, path)
        except OSError:
            if not path.is_dir():
                raise
            # Lost a race to an identical entry: keep the one already published.
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Persist a rename by syncing its folder (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
