"""Where the end model runs: CUDA with mixed precision when present, else every CPU core."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

import torch


def cpu_cores() -> int:
    """The CPU cores this process may use (its affinity mask where the OS has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def select_device(name: str | None = None, threads: int | None = None) -> torch.device:
    """``name`` (``"cpu"``, ``"cuda"``, ``"cuda:1"``) or the best available device.

    On CPU, torch is told to use ``threads`` threads, by default every core the process may use
    (torch's own default can be fewer). Fewer pay off for tiny models or a busy machine, where
    threads waiting on each other cost more than they compute.

    Examples
    --------
    >>> select_device("cpu").type
    'cpu'
    """
    device = torch.device(name or ("cuda" if torch.cuda.is_available() else "cpu"))
    if device.type == "cpu":
        torch.set_num_threads(threads or cpu_cores())
    return device


def amp_dtype(device: torch.device, enabled: bool = True) -> torch.dtype | None:
    """The mixed-precision dtype for ``device``: bfloat16 where the GPU has it, else float16;
    ``None`` on CPU or when disabled (CPU autocast is slower than float32 on most CPUs)."""
    if not enabled or device.type != "cuda":
        return None
    return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16


@contextlib.contextmanager
def autocast(device: torch.device, dtype: torch.dtype | None) -> Iterator[None]:
    """Run the block under autocast with ``dtype``; a no-op when ``dtype`` is ``None``."""
    if dtype is None:
        yield
        return
    with torch.autocast(device_type=device.type, dtype=dtype):
        yield


def grad_scaler(device: torch.device, dtype: torch.dtype | None) -> torch.amp.GradScaler | None:
    """A gradient scaler when training in float16 (bfloat16 and float32 need none)."""
    if dtype is torch.float16:
        return torch.amp.GradScaler(device.type)
    return None
