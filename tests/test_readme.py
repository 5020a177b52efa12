"""The README's three quick-start commands are the ones CI runs and they point at real files."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "README's Quick start has no ```bash block"
    return [ln for ln in block.group(1).splitlines() if ln.strip() and not ln.startswith("#")]


def test_exactly_three_commands() -> None:
    assert len(_quick_start_commands()) == 3


def test_ci_runs_the_readme_setup_and_test_commands() -> None:
    setup, test, _ = _quick_start_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert setup in ci
    assert test in ci
    assert "torch==2.13.0" in (ROOT / "constraints.txt").read_text()


def test_demo_command_names_a_shipped_config() -> None:
    demo = shlex.split(_quick_start_commands()[2])
    assert demo[:2] == ["babble", "run"]
    assert (ROOT / demo[2]).is_file()


def _api_examples() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def _run_example(code: str, tmp_path: Path, cwd: Path) -> str:
    script = tmp_path / "example.py"
    script.write_text(code, encoding="utf-8")
    env = {**os.environ, "BABBLE_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, str(script)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_python_api_example_runs(tmp_path: Path) -> None:
    examples = _api_examples()
    assert len(examples) == 2, "README's Python API section has a data and a label-model example"
    assert "gold:" in _run_example(examples[0], tmp_path, cwd=ROOT)


def test_label_model_example_runs(tmp_path: Path) -> None:
    _run_example(_api_examples()[1], tmp_path, cwd=tmp_path)
    assert (tmp_path / "label_model.json").is_file()
