"""The workbench's HTTP API through FastAPI's test client: endpoints, errors, bounds, safety."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from babble.workbench import Workbench
from babble.workbench.app import MAX_BODY_BYTES, STATIC, create_app
from tests.workbench.helpers import FOUNDED, INVESTOR

SCRIPT = "<script>alert('x')</script> because the word 'founded' is between them"


@pytest.fixture
def client(bench: Workbench) -> TestClient:
    return TestClient(create_app(bench))


def _post(
    client: TestClient, text: str, candidate: str = "s010-1", label: str = "founder"
) -> dict[str, Any]:
    response = client.post(
        "/api/explanations", json={"candidate_id": candidate, "label": label, "text": text}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_task_next_and_candidate(client: TestClient) -> None:
    task = client.get("/api/task").json()
    assert task["labels"] == ["not_founder", "founder"] and task["pool"] == 200
    assert task["dev_split"] == "dev" and task["max_chars"] == 500
    suggestion = client.get("/api/next", params={"strategy": "uncovered"}).json()
    assert suggestion["remaining"] == 200 and suggestion["candidate"]["in_pool"]
    candidate = client.get("/api/candidates/s010-1").json()
    assert [e["role"] for e in candidate["entities"]] == ["subject", "object"]
    assert client.get("/api/next", params={"strategy": "random"}).status_code == 422


def test_submit_list_update_delete(client: TestClient, bench: Workbench) -> None:
    feedback = _post(client, FOUNDED)
    assert feedback["saved"] and feedback["summary"]["lfs"] == 1
    reading = feedback["parse"]["readings"][0]
    assert reading["paraphrase"] == "label founder if 'founded' is between person and company"
    assert feedback["lf"]["coverage"] == 0.23 and len(feedback["lf"]["sample"]) == 5
    _post(client, INVESTOR, "s001-2", "not_founder")
    listed = client.get("/api/explanations").json()
    assert [(i["explanation"]["name"], i["lf"]["conflicts"]) for i in listed] == [
        ("explanation-0", 7),
        ("explanation-1", 7),
    ]
    changed = client.put("/api/explanations/explanation-1", json={"label": "no", "text": "blorf"})
    assert changed.status_code == 200 and not changed.json()["parse"]["ok"]
    summary = client.delete("/api/explanations/explanation-0").json()
    assert (summary["explanations"], summary["lfs"]) == (1, 0)
    assert client.get("/api/summary").json() == summary
    saved = [json.loads(line) for line in bench.store.path.read_text().splitlines()]
    assert [(s["name"], s["label"], s["text"]) for s in saved] == [
        ("explanation-1", "not_founder", "blorf")
    ]


def test_preview_does_not_save(client: TestClient, bench: Workbench) -> None:
    body = {"candidate_id": "s010-1", "label": "founder", "text": FOUNDED}
    feedback = client.post("/api/preview", json=body).json()
    assert not feedback["saved"] and feedback["summary"] is None
    assert not bench.store.path.exists()


def test_each_accept_is_on_disk_when_the_answer_comes(client: TestClient, bench: Workbench) -> None:
    for k, text in enumerate([FOUNDED, "blorf", INVESTOR], start=1):
        _post(client, text)
        assert len(bench.store.path.read_text().splitlines()) == k  # a kill now loses nothing


def test_unparseable_explanation_is_saved_with_unknown_words(client: TestClient) -> None:
    feedback = _post(client, "because of the blorf zingy thing")
    assert not feedback["parse"]["ok"] and feedback["lf"] is None
    assert feedback["explanation"]["not_understood"] == ["blorf", "zingy"]
    [item] = client.get("/api/explanations").json()
    assert item["explanation"]["parsed"] is False


def test_script_explanation_is_returned_as_json_text(client: TestClient) -> None:
    feedback = _post(client, SCRIPT)
    assert feedback["explanation"]["text"] == SCRIPT
    listed = client.get("/api/explanations")
    assert listed.headers["content-type"] == "application/json"
    assert listed.json()[0]["explanation"]["text"] == SCRIPT


def test_page_inserts_data_as_text_only() -> None:
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script
    page = (STATIC / "index.html").read_text(encoding="utf-8")
    assert '<script src="/static/app.js" defer></script>' in page
    assert page.count("<script") == 1  # no inline script: the CSP forbids it anyway


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        ({"candidate_id": "nope", "label": "founder", "text": FOUNDED}, 404, "no candidate"),
        ({"candidate_id": "s010-1", "label": "maybe", "text": FOUNDED}, 422, "unknown label"),
        ({"candidate_id": "s010-1", "label": "founder", "text": " "}, 422, "blank"),
        ({"candidate_id": "s010-1", "label": "founder", "text": "x" * 501}, 422, "at most 500"),
        ({"candidate_id": "s010-1", "label": "founder", "text": "x", "extra": 1}, 422, "extra"),
    ],
)
def test_bad_requests(client: TestClient, body: dict[str, Any], status: int, fragment: str) -> None:
    response = client.post("/api/explanations", json=body)
    assert response.status_code == status
    assert fragment in json.dumps(response.json())


def test_unknown_explanation_is_404(client: TestClient) -> None:
    response = client.put("/api/explanations/nope", json={"label": "no", "text": "x"})
    assert response.status_code == 404 and response.json()["code"] == "E802"
    assert client.delete("/api/explanations/nope").status_code == 404


def test_oversize_requests_are_refused(client: TestClient, bench: Workbench) -> None:
    big = json.dumps({"candidate_id": "s010-1", "label": "founder", "text": "x" * MAX_BODY_BYTES})
    response = client.post(
        "/api/explanations", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413 and "over 16384 bytes" in response.json()["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while it is read
        for _ in range(5):
            yield b"x" * 4096

    response = client.post(
        "/api/preview", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert not bench.store.path.exists()


def test_security_headers_and_cross_origin_writes(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    body = {"candidate_id": "s010-1", "label": "founder", "text": FOUNDED}
    evil = client.post("/api/explanations", json=body, headers={"origin": "http://evil.example"})
    assert evil.status_code == 403
    same = client.post("/api/preview", json=body, headers={"origin": "http://testserver"})
    assert same.status_code == 200


def test_localhost_server_answers_only_localhost_names(bench: Workbench) -> None:
    app = create_app(bench, allowed_hosts=["127.0.0.1", "localhost"])
    assert TestClient(app, base_url="http://127.0.0.1:8000").get("/api/health").status_code == 200
    assert TestClient(app, base_url="http://evil.example").get("/api/health").status_code == 400


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/health",
        "/api/task",
        "/api/candidates/{candidate_id}",
        "/api/next",
        "/api/preview",
        "/api/explanations",
        "/api/explanations/{name}",
        "/api/summary",
    }
    assert {"Feedback", "Summary", "Suggestion", "ExplanationIn"} <= set(
        schema["components"]["schemas"]
    )
    post = schema["paths"]["/api/explanations"]["post"]
    assert "201" in post["responses"]


def test_reload_through_explanations_file(
    client: TestClient, bench: Workbench, open_bench: Callable[..., Workbench]
) -> None:
    _post(client, FOUNDED)
    _post(client, "blorf")
    again = TestClient(create_app(open_bench(Path(bench.store.path))))
    assert again.get("/api/explanations").json() == client.get("/api/explanations").json()
    assert again.get("/api/summary").json() == client.get("/api/summary").json()
