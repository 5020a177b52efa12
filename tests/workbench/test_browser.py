"""End to end in a real headless Chromium: load the page, type an explanation, save it, and see
the paraphrase, the coverage and an earlier ``<script>`` explanation shown as text.

Needs Debian's ``chromium`` (``/usr/bin/chromium``; ``.ci/run`` installs it) and Playwright's
Python package, driven against that browser (no downloaded browser needed).
"""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from babble.workbench import Workbench
from babble.workbench.app import create_app
from tests.workbench.helpers import FOUNDED, free_port

CHROMIUM = Path("/usr/bin/chromium")
SCRIPT = "<script>document.title = 'pwned'</script> <b>bold</b> because blorf"

if not CHROMIUM.is_file():
    pytest.skip(
        f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)",
        allow_module_level=True,
    )
if importlib.util.find_spec("playwright") is None:
    pytest.skip("Playwright's Python package is not installed", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture
def url(bench: Workbench) -> Iterator[str]:
    """The workbench served by a real uvicorn in a thread, on a free localhost port."""
    port = free_port()
    app = create_app(bench, allowed_hosts=["127.0.0.1"])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_type_submit_and_see_feedback(url: str, bench: Workbench, tmp_path: Path) -> None:
    bench.submit("s010-1", "founder", SCRIPT)
    shot = tmp_path / "workbench.png"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(url + "/#candidate=s010-1")
            page.wait_for_selector("#sentence .ent-subject")
            assert page.text_content("#sentence .ent-subject") == "Keiko Carvalho"
            # the earlier explanation is shown as the text it is, nothing of it run or rendered
            unparsed = page.text_content("#explanations td.text div") or ""
            assert unparsed.startswith("not parsed: script") and unparsed.endswith("blorf")
            assert SCRIPT in (page.text_content("#explanations td.text") or "")
            assert page.locator("#explanations script, #explanations b").count() == 0
            assert page.title() == "babble workbench"

            page.keyboard.press("2")  # the label key of "founder"
            page.keyboard.press("e")  # into the explanation box
            page.keyboard.type(FOUNDED)
            page.wait_for_selector("#feedback-kind:text('preview')")  # the live preview
            page.keyboard.press("Control+Enter")
            page.wait_for_selector("#feedback-kind:text('saved')")

            paraphrase = page.text_content("#readings li .paraphrase")
            assert paraphrase == "label founder if 'founded' is between person and company"
            assert "coverage23.0% (46 candidates)" in (page.text_content("#figures") or "")
            assert page.locator("#sample .fire").count() >= 5
            # the <script> explanation has no reading: only the founder LF votes
            assert "labels no LF votesnot_founder" in (page.text_content("#summary") or "")
            assert page.locator("#explanations tr").count() == 3  # header + 2 explanations
            page.screenshot(path=str(shot), full_page=True)
            assert errors == []
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    assert len(bench.store.path.read_text(encoding="utf-8").splitlines()) == 2
