"""Constants the workbench tests share: the demo dataset, a fast pipeline, known explanations."""

from __future__ import annotations

import socket
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "demos" / "founders"
PIPELINE = "blank:en"  # tokenizer only: fast, and enough for phrase LFs

FOUNDED = "the word 'founded' is between the person and the company"
"""An explanation of s010-1 ("... Keiko Carvalho founded Quicksilver Materials ..."): its LF
votes founder on 46 of the 200 pool candidates."""

INVESTOR = "the word 'in' is between the person and the company"
"""A not_founder explanation of s001-2 whose LF disagrees with FOUNDED's on 7 candidates."""


def free_port() -> int:
    """A localhost port free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
