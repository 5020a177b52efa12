"""Killing ``babble serve`` loses nothing accepted: a real server process, SIGKILLed."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from babble.datasets.jsonl import read_explanations
from babble.types import Dataset
from tests.workbench.helpers import DEMO, FOUNDED, INVESTOR, PIPELINE, free_port

START_LIMIT_S = 120.0  # imports and the demo's tokenizer-only preprocessing, on a busy machine


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], httpx.Client, Path]]:
    """``babble serve`` on the demo in a child process on a free port, and a client for it."""
    port, saved = free_port(), tmp_path / "explanations.jsonl"
    args = ["serve", "--data", str(DEMO), "--pipeline", PIPELINE, "--explanations", str(saved)]
    command = [sys.executable, "-c", "from babble.cli.main import main; main()", *args]
    log = (tmp_path / "server.log").open("wb")
    child = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30.0) as client:
            _wait_until_up(client, child, tmp_path / "server.log")
            yield child, client, saved
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=30)
        log.close()


def _wait_until_up(client: httpx.Client, child: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        if child.poll() is not None:
            pytest.fail(f"babble serve exited with {child.returncode}:\n{log.read_text()}")
        try:
            if client.get("/api/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    pytest.fail(f"babble serve did not answer within {START_LIMIT_S:.0f} s:\n{log.read_text()}")


def test_sigkill_loses_no_accepted_explanation(
    server: tuple[subprocess.Popen[bytes], httpx.Client, Path], demo: Dataset
) -> None:
    child, client, saved = server
    body = {"candidate_id": "s010-1", "label": "founder", "text": FOUNDED}
    response = client.post("/api/explanations", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["explanation"]["name"] == "explanation-0"

    # a second explanation in flight when the process dies: it is either wholly saved or not
    # at all, and never damages the first
    second = {"candidate_id": "s001-2", "label": "not_founder", "text": INVESTOR}
    url = str(client.base_url.join("/api/explanations"))
    in_flight = threading.Thread(target=_post_ignoring_the_kill, args=(url, second))
    in_flight.start()
    time.sleep(0.02)
    os.kill(child.pid, signal.SIGKILL)
    assert child.wait(timeout=30) == -signal.SIGKILL
    in_flight.join(timeout=30)

    lines = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    assert len(lines) in (1, 2)
    assert lines[0] == {
        "name": "explanation-0",
        "text": FOUNDED,
        "label": "founder",
        "candidate_id": "s010-1",
        "metadata": {"parsed": True, "not_understood": []},
    }
    read = read_explanations(saved, demo.label_space)
    assert [(e.name, e.text, e.label, e.candidate_id) for e in read][:1] == [
        ("explanation-0", FOUNDED, "founder", "s010-1")
    ]
    if len(read) == 2:
        assert (read[1].text, read[1].candidate_id) == (INVESTOR, "s001-2")


def _post_ignoring_the_kill(url: str, body: dict[str, str]) -> None:
    with contextlib.suppress(httpx.TransportError):  # the server dies mid-request: the point
        httpx.post(url, json=body, timeout=30.0)
