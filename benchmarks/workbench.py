"""Annotator workbench latency: a real ``babble serve`` server driven over HTTP with the real
explanations of SemEval against a 10k-candidate pool.

Usage: ``python benchmarks/workbench.py [--json] [--pool 10000] [--pipeline NAME]``

* **Server**: a child process opens a :class:`~babble.workbench.Workbench` on SemEval
  (``$BABBLE_DATA``) whose pool is the first ``--pool`` candidates (train, then test) and serves
  it with uvicorn on a free localhost port, exactly as ``babble serve`` does. **Start-up** is the
  time from spawning the process to the first answer of ``GET /api/health`` (imports, loading
  the dataset, preprocessing -- from the cache once it is warm; the first run ever runs spaCy
  over the 10k sentences -- and the warm-up).
* **Latency**: each SemEval explanation joined to a candidate is ``POST``-ed to
  ``/api/explanations`` in order, one at a time, as an annotator would; the time from sending
  the request to having parsed the complete feedback (parse, filter verdicts, LF figures,
  sample, summary with the label model refitted on every LF so far), measured by the client.
  p50 / p95 / max over all of them, and the server's own figure for comparison.
* **Edit and delete**: then the first ``--changes`` explanations are edited (``PUT``, same label
  and text: parsed and executed again) and deleted (``DELETE``), front first -- the worst case,
  since every change re-runs the filter bank over all explanations after it (all of them, in
  fact: the workbench re-filters the whole file so its LFs stay ``babble run``'s).

Goal: submit p95 <= 300 ms. Results go to ``benchmarks/results/workbench.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from rich.console import Console
from rich.table import Table

P95_GOAL_MS = 300.0
RESULTS = Path(__file__).parent / "results" / "workbench.json"

console = Console(stderr=True)


def serve_semeval(port: int, explanations: Path, pool: int, pipeline: str | None) -> None:
    """The child: SemEval's first ``pool`` candidates as the pool, served on ``port``."""
    from babble.datasets import load_dataset
    from babble.preprocess import DEFAULT_PIPELINE
    from babble.workbench import Workbench
    from babble.workbench.app import serve

    dataset = load_dataset("semeval")
    candidates = dataset.candidates()
    split = replace(dataset, splits={"pool": candidates[:pool], "rest": candidates[pool:]})
    bench = Workbench(
        split, explanations, pool="pool", pipeline=pipeline or DEFAULT_PIPELINE, progress=True
    )
    serve(bench, "127.0.0.1", port, log_level="warning")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(client: httpx.Client, child: subprocess.Popen[bytes], limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"the server exited with {child.returncode} before answering")
        try:
            if client.get("/api/health", timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the server did not answer within {limit_s:.0f} s")


def drive(client: httpx.Client, changes: int) -> dict[str, Any]:
    """Submit every joined SemEval explanation, then edit and delete the first ``changes``;
    client- and server-side milliseconds."""
    from babble.datasets import load_dataset

    dataset = load_dataset("semeval")
    client_ms, server_ms, parsed, kept = [], [], 0, 0
    joined = [e for e in dataset.explanations if e.candidate_id is not None]
    for e in joined:
        body = {"candidate_id": e.candidate_id, "label": e.label, "text": e.text}
        start = time.perf_counter()
        response = client.post("/api/explanations", json=body, timeout=60.0)
        feedback = response.json()
        client_ms.append((time.perf_counter() - start) * 1000.0)
        response.raise_for_status()
        server_ms.append(feedback["elapsed_ms"])
        parsed += feedback["parse"]["ok"]
        kept += feedback["lf"] is not None
    summary = client.get("/api/summary").json()
    edit_ms, delete_ms = [], []
    names = [item["explanation"]["name"] for item in client.get("/api/explanations").json()]
    for name, e in zip(names[:changes], joined, strict=False):
        start = time.perf_counter()
        body = {"label": e.label, "text": e.text}
        client.put(f"/api/explanations/{name}", json=body).raise_for_status()
        edit_ms.append((time.perf_counter() - start) * 1000.0)
    for name in names[:changes]:
        start = time.perf_counter()
        client.delete(f"/api/explanations/{name}").raise_for_status()
        delete_ms.append((time.perf_counter() - start) * 1000.0)
    return {
        "explanations": len(joined),
        "not_joined": len(dataset.explanations) - len(joined),
        "parsed": parsed,
        "with_lf": kept,
        "lfs": summary["lfs"],
        "coverage": round(summary["coverage"], 4),
        "client_ms": client_ms,
        "server_ms": server_ms,
        "edit_ms": edit_ms,
        "delete_ms": delete_ms,
    }


def _stats(times: list[float]) -> dict[str, float]:
    return {
        "p50": round(float(np.percentile(times, 50)), 1),
        "p95": round(float(np.percentile(times, 95)), 1),
        "max": round(max(times), 1),
    }


def measure(pool: int, pipeline: str | None, changes: int) -> dict[str, Any]:
    """Start the server, drive it, stop it; the figures."""
    port = _free_port()
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, __file__, "--serve", str(port), "--pool", str(pool)]
        command += ["--explanations", str(Path(folder) / "explanations.jsonl")]
        command += ["--pipeline", pipeline] if pipeline else []
        started = time.perf_counter()
        child = subprocess.Popen(command, env={**os.environ, "HF_HUB_OFFLINE": "1"})
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
                _wait_until_up(client, child, limit_s=1800)
                startup = time.perf_counter() - started
                console.print(f"server up in {startup:.1f} s; submitting explanations ...")
                driven = drive(client, changes)
        finally:
            child.terminate()
            child.wait(timeout=30)
    client_ms, server_ms = driven.pop("client_ms"), driven.pop("server_ms")
    edit_ms, delete_ms = driven.pop("edit_ms"), driven.pop("delete_ms")
    return {
        "dataset": "semeval",
        "pool": pool,
        "startup_s": round(startup, 2),
        **driven,
        "submit_ms": _stats(client_ms),
        "server_ms": _stats(server_ms),
        "changes": len(delete_ms),
        "edit_ms": _stats(edit_ms) if edit_ms else None,
        "delete_ms": _stats(delete_ms) if delete_ms else None,
        "p95_goal_ms": P95_GOAL_MS,
        "goal_met": _stats(client_ms)["p95"] <= P95_GOAL_MS,
        "cpus": os.cpu_count(),
    }


def show(r: dict[str, Any]) -> None:
    table = Table(
        title=f"Workbench over HTTP: {r['explanations']} SemEval explanations, "
        f"{r['pool']:,}-candidate pool"
    )
    for column in ("", "p50 ms", "p95 ms", "max ms"):
        table.add_column(column, justify="right" if column else "left")
    for name, key in (
        ("submit -> complete feedback (client)", "submit_ms"),
        ("server", "server_ms"),
        (f"edit, first {r['changes']} (client)", "edit_ms"),
        (f"delete, first {r['changes']} (client)", "delete_ms"),
    ):
        if r[key] is not None:
            table.add_row(name, *(str(r[key][s]) for s in ("p50", "p95", "max")))
    Console().print(table)
    Console().print(
        f"Goal p95 <= {P95_GOAL_MS:.0f} ms: {r['goal_met']}. Server start-up {r['startup_s']} s. "
        f"{r['parsed']} parsed, {r['with_lf']} with a surviving LF; {r['lfs']} LFs cover "
        f"{100 * r['coverage']:.1f}% of the pool. {r['cpus']} CPUs."
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--pool", type=int, default=10_000, help="candidates in the pool")
    parser.add_argument("--pipeline", default=None, help="spaCy pipeline (default: babble's)")
    parser.add_argument(
        "--changes", type=int, default=20, help="explanations edited, then deleted, at the end"
    )
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--explanations", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve is not None:
        serve_semeval(args.serve, args.explanations, args.pool, args.pipeline)
        return
    result = measure(args.pool, args.pipeline, args.changes)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
    else:
        show(result)


if __name__ == "__main__":
    main()
