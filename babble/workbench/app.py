"""The workbench on the web: a JSON API (documented at ``/api/openapi.json``) and one page.

Endpoints (all JSON; errors are ``{"detail": message, "code": babble error code}``):

=======  ================================  ===============================================
GET      ``/api/task``                     the task, labels, pool, limits
GET      ``/api/candidates/{id}``          one candidate, entities and current votes
GET      ``/api/next?strategy=&after=``    the candidate to explain next
POST     ``/api/preview``                  feedback on an explanation, not saved
POST     ``/api/explanations``             feedback, and the explanation saved (201)
GET      ``/api/explanations``             every explanation with its LFs' figures
PUT      ``/api/explanations/{name}``      change an explanation's label and text
DELETE   ``/api/explanations/{name}``      delete it; returns the summary
GET      ``/api/summary``                  coverage, conflicts, label model, dev score
GET      ``/api/health``                   ``{"status": "ok"}`` once the pool is loaded
=======  ================================  ===============================================

Explanations are untrusted text shown back in a browser: the page inserts every value with
``textContent`` and the server forbids inline scripts (Content-Security-Policy). Request bodies
are bounded (:data:`MAX_BODY_BYTES`), explanations too (:data:`~babble.parse.MAX_CHARS`
characters); writes from another site's page are refused (``Origin`` must match ``Host``); and a
server bound to localhost answers only to localhost names (DNS rebinding).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.middleware.trustedhost import TrustedHostMiddleware

from babble._memory import frozen_heap
from babble.errors import (
    BabbleError,
    ExplanationInputError,
    LabelError,
    UnknownCandidateError,
    UnknownExplanationError,
)
from babble.parse import MAX_CHARS
from babble.workbench.feedback import (
    CandidateInfo,
    ExplanationItem,
    Feedback,
    Suggestion,
    Summary,
    TaskInfo,
)
from babble.workbench.session import Workbench

STATIC = Path(__file__).parent / "static"
"""The page's HTML, JavaScript and CSS (package data)."""

MAX_BODY_BYTES = 16 * 1024
"""Request bodies larger than this are refused with 413."""

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Host names that reach only this machine."""

SECURITY_HEADERS = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        b"form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
"""Headers on every response: no inline or foreign script, no framing, no sniffing."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_STATUS = {
    UnknownCandidateError: 404,
    UnknownExplanationError: 404,
    ExplanationInputError: 422,
    LabelError: 422,
}


class ExplanationIn(BaseModel):
    """A new explanation: the candidate it is about, its label and why."""

    model_config = ConfigDict(extra="forbid")

    candidate_id: str = Field(min_length=1, max_length=500)
    label: str = Field(min_length=1, max_length=200, description="a label name or alias")
    text: str = Field(min_length=1, max_length=MAX_CHARS, description="the reason, in English")


class PreviewIn(ExplanationIn):
    """An explanation to preview; ``replacing``: the explanation being edited, if any (it is
    then judged about that explanation's own candidate, as the edit will be)."""

    replacing: str | None = Field(default=None, max_length=500)


class ExplanationEdit(BaseModel):
    """A changed explanation: its new label and text (its candidate stays)."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=MAX_CHARS)


class Health(BaseModel):
    """The server is up and its pool loaded."""

    status: str


def is_local(host: str) -> bool:
    """Whether a bind address reaches only this machine.

    Examples
    --------
    >>> is_local("127.0.0.1"), is_local("localhost"), is_local("0.0.0.0")
    (True, True, False)
    """
    return host in LOCAL_HOSTS or host.startswith("127.")


def create_app(workbench: Workbench, *, allowed_hosts: Sequence[str] | None = None) -> FastAPI:
    """The web app of a workbench.

    Parameters
    ----------
    workbench
        The loaded workbench every request works on.
    allowed_hosts
        ``Host`` header values answered (others get 400); ``None``: any.
    """
    app = FastAPI(
        title="babble workbench",
        summary="Write explanations, see at once what they mean and what they do to the data.",
        docs_url=None,  # the interactive docs load scripts from a CDN; the schema is enough
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.workbench = workbench
    _routes(app, workbench)
    app.add_exception_handler(BabbleError, _babble_error)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(_Guard, max_body=MAX_BODY_BYTES)
    return app


def _routes(app: FastAPI, bench: Workbench) -> None:
    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/api/health")
    def health() -> Health:
        """Whether the server is up (it answers only once the pool is loaded)."""
        return Health(status="ok")

    @app.get("/api/task")
    def task() -> TaskInfo:
        """The task, its labels, the pool and the limits."""
        return bench.task_info()

    @app.get("/api/candidates/{candidate_id:path}")
    def candidate(candidate_id: str) -> CandidateInfo:
        """One candidate of any split, its entities and the current LFs' votes on it."""
        return bench.candidate(candidate_id)

    @app.get("/api/next")
    def next_candidate(
        strategy: Literal["uncovered", "conflict", "uncertain"] = "uncovered",
        after: str | None = None,
    ) -> Suggestion:
        """The unexplained pool candidate to explain next; ``after``: the one shown now."""
        return bench.suggest_next(strategy, after)

    @app.post("/api/preview")
    def preview(body: PreviewIn) -> Feedback:
        """What an explanation would do, without saving it (the page calls it while typing)."""
        return bench.preview(body.candidate_id, body.label, body.text, body.replacing)

    @app.post("/api/explanations", status_code=201)
    def submit(body: ExplanationIn) -> Feedback:
        """Judge an explanation and save it (also when it does not parse)."""
        return bench.submit(body.candidate_id, body.label, body.text)

    @app.get("/api/explanations")
    def explanations() -> list[ExplanationItem]:
        """Every explanation, in order, with its LFs' current figures."""
        return list(bench.explanations())

    @app.put("/api/explanations/{name}")
    def update(name: str, body: ExplanationEdit) -> Feedback:
        """Change an explanation's label and text, judge it again and save."""
        return bench.update(name, body.label, body.text)

    @app.delete("/api/explanations/{name}")
    def delete(name: str) -> Summary:
        """Delete an explanation and save; returns the new summary."""
        return bench.delete(name)

    @app.get("/api/summary")
    def summary() -> Summary:
        """Coverage, conflicts, the label model's LF accuracies, its dev score."""
        return bench.summary()


async def _babble_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, BabbleError)
    status = next((s for kind, s in _STATUS.items() if isinstance(exc, kind)), 400)
    return JSONResponse({"detail": exc.message, "code": exc.code}, status_code=status)


class _Guard:
    """ASGI middleware: bounded bodies, same-origin writes, security headers on every answer."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope["method"], headers)
        if refusal is not None:
            await _answer(send, *refusal)
            return
        if scope["method"] in ("POST", "PUT", "PATCH"):
            body = await _read_body(receive, self.max_body)
            if body is None:
                await _answer(send, 413, f"request body over {self.max_body} bytes")
                return
            receive = _replay(body)
        await self.app(scope, receive, _with_headers(send))

    def _refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        length = headers.get("content-length", "0")
        if not length.isdigit() or int(length) > self.max_body:
            return 413, f"request body over {self.max_body} bytes"
        origin = headers.get("origin")
        writes = method not in ("GET", "HEAD", "OPTIONS")
        if writes and origin is not None and urlsplit(origin).netloc != headers.get("host"):
            return 403, "cross-origin writes are refused"
        return None


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or ``None`` as soon as it passes ``limit`` bytes."""
    body = b""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return body
        body += bytes(message.get("body", b""))
        if len(body) > limit:
            return None
        if not message.get("more_body", False):
            return body


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _with_headers(send: Send) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
        await send(message)

    return wrapped


async def _answer(send: Send, status: int, detail: str) -> None:
    body = JSONResponse({"detail": detail, "code": None}).body
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def serve(
    workbench: Workbench, host: str = "127.0.0.1", port: int = 8000, log_level: str = "info"
) -> None:
    """Serve a workbench with uvicorn until interrupted (see :func:`create_app`); a server
    bound to localhost answers only requests addressed to a localhost name."""
    import uvicorn

    hosts = [*LOCAL_HOSTS, "[::1]"] if is_local(host) else None
    app = create_app(workbench, allowed_hosts=hosts)
    with frozen_heap():  # the loaded pool, out of the garbage collector's scans
        uvicorn.run(app, host=host, port=port, log_level=log_level)
