"""Only the user's own tab gets in: the guard in front of Flet's web server.

First the real app (``python main.py``) over raw sockets, as a foreign page or a
DNS-rebinding page would reach it; then the guard's rules one by one over a
stand-in ASGI app (the guard is plain ASGI: the stand-in only records whether
a request got through).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from views.web_guard import LoopbackOnly, Message, Receive, Scope, Send, csp_of, header_policy

ROOT = Path(__file__).resolve().parents[1]
INDEX = ROOT / "assets" / "index.html"
EVIL = "evil.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The real app in its own process group (ended whole), with an empty data folder."""
    port = free_port()
    data = tmp_path_factory.mktemp("guard") / "data"
    log = data.parent / "app.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "main.py", "--port", str(port), "--data-dir", str(data)],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while status(port, "/", f"127.0.0.1:{port}")[0] != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the app did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def status(
    port: int, path: str, host: str, origin: str | None = None
) -> tuple[int, dict[str, str]]:
    """One GET with exactly the Host (and Origin) given; 0 when nothing answers yet."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host)
        if origin is not None:
            conn.putheader("Origin", origin)
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    except OSError:
        return 0, {}
    finally:
        conn.close()


def upgrade(port: int, host: str, origin: str | None) -> int:
    """A WebSocket handshake on a raw socket (no client library picks the headers)."""
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /ws HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n" not in head:
            chunk = s.recv(1024)
            if not chunk:
                break
            head += chunk
    return int(head.split(b" ", 2)[1])


# ----------------------------------------------------------------- the real app


def test_websocket_from_a_foreign_origin_is_refused(app_port: int) -> None:
    own = f"127.0.0.1:{app_port}"
    assert upgrade(app_port, own, f"http://{EVIL}") == 403
    assert upgrade(app_port, own, f"http://localhost:{app_port + 1}") == 403
    assert upgrade(app_port, own, "null") == 403


def test_websocket_with_a_foreign_host_is_refused(app_port: int) -> None:
    """DNS rebinding: the page's own name points at 127.0.0.1, so its Origin matches its Host."""
    assert upgrade(app_port, EVIL, f"http://{EVIL}") == 403
    assert upgrade(app_port, f"{EVIL}:{app_port}", f"http://{EVIL}:{app_port}") == 403
    assert upgrade(app_port, f"{EVIL}:{app_port}", None) == 403


def test_the_apps_own_tab_gets_its_websocket(app_port: int) -> None:
    assert upgrade(app_port, f"127.0.0.1:{app_port}", f"http://127.0.0.1:{app_port}") == 101
    assert upgrade(app_port, f"localhost:{app_port}", f"http://localhost:{app_port}") == 101


@pytest.mark.parametrize("path", ["/", "/main.dart.js", "/manifest.json", "/wheel/feedback"])
def test_plain_http_with_a_foreign_host_or_origin_is_refused(app_port: int, path: str) -> None:
    assert status(app_port, path, EVIL)[0] == 403
    assert status(app_port, path, f"{EVIL}:{app_port}")[0] == 403
    assert status(app_port, path, f"127.0.0.1:{app_port}", f"http://{EVIL}")[0] == 403


@pytest.mark.parametrize("path", ["/", "/main.dart.js", "/manifest.json", "/wheel/feedback", "/x"])
def test_no_response_allows_other_origins(app_port: int, path: str) -> None:
    for host in (f"127.0.0.1:{app_port}", f"localhost:{app_port}", EVIL):
        code, headers = status(app_port, path, host)
        assert code in (200, 403, 404)
        assert "access-control-allow-origin" not in headers


def test_the_page_carries_its_csp_as_a_header(app_port: int) -> None:
    expected = header_policy(csp_of(INDEX.read_text("utf-8")))
    for path in ("/", "/wheel/feedback"):  # the page itself and a deep link to it
        code, headers = status(app_port, path, f"127.0.0.1:{app_port}")
        assert code == 200
        assert headers["content-type"].startswith("text/html")
        assert headers["content-security-policy"] == expected
    assert "frame-ancestors 'none'" in expected
    assert "connect-src 'self' ws://127.0.0.1:* ws://localhost:*" in expected


# ------------------------------------------------------------- the guard's rules

PORT = 8550


class StandIn:
    """The app behind the guard: answers 200 with whatever headers it is given."""

    def __init__(self, headers: list[tuple[bytes, bytes]] | None = None) -> None:
        self.reached = 0
        self.headers = headers or [(b"content-type", b"text/html; charset=utf-8")]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.reached += 1
        if scope["type"] == "websocket":
            await send({"type": "websocket.accept"})
            return
        await send({"type": "http.response.start", "status": 200, "headers": self.headers})
        await send({"type": "http.response.body", "body": b"ok"})


def run(guard: LoopbackOnly, kind: str, headers: list[tuple[bytes, bytes]]) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": f"{kind}.request" if kind == "http" else "websocket.connect"}

    async def send(message: Message) -> None:
        sent.append(message)

    scope: dict[str, Any] = {"type": kind, "path": "/", "headers": headers}
    asyncio.run(guard(scope, receive, send))
    return sent


def guard(app: StandIn | None = None) -> LoopbackOnly:
    return LoopbackOnly(app or StandIn(), port=PORT, csp="default-src 'self'")


@pytest.mark.parametrize(
    ("host", "origin"),
    [
        (b"127.0.0.1:8550", None),
        (b"localhost:8550", None),
        (b"127.0.0.1:8550", b"http://127.0.0.1:8550"),
        (b"127.0.0.1:8550", b"http://localhost:8550"),
        (b"LOCALHOST:8550", b"http://localhost:8550"),
    ],
)
@pytest.mark.parametrize("kind", ["http", "websocket"])
def test_own_host_and_origin_pass(kind: str, host: bytes, origin: bytes | None) -> None:
    app = StandIn()
    headers = [(b"host", host)] + ([(b"origin", origin)] if origin else [])
    sent = run(guard(app), kind, headers)
    assert app.reached == 1
    assert sent[0]["type"] in ("http.response.start", "websocket.accept")


@pytest.mark.parametrize(
    "headers",
    [
        [],  # no Host at all (HTTP/1.0)
        [(b"host", b"127.0.0.1")],  # no port
        [(b"host", b"127.0.0.1:8551")],  # another port
        [(b"host", b"[::1]:8550")],
        [(b"host", b"0.0.0.0:8550")],
        [(b"host", b"evil.example:8550")],
        [(b"host", b"127.0.0.1:8550.evil.example")],
        [(b"host", b"127.0.0.1:8550"), (b"host", b"evil.example")],  # two Hosts
        [(b"host", b"127.0.0.1:8550"), (b"origin", b"http://evil.example")],
        [(b"host", b"127.0.0.1:8550"), (b"origin", b"null")],
        [(b"host", b"127.0.0.1:8550"), (b"origin", b"https://127.0.0.1:8550")],
        [(b"host", b"127.0.0.1:8550"), (b"origin", b"http://127.0.0.1:8551")],
        [(b"host", b"127.0.0.1:8550"), (b"origin", b"http://127.0.0.1:8550/")],
        [
            (b"host", b"127.0.0.1:8550"),
            (b"origin", b"http://127.0.0.1:8550"),
            (b"origin", b"http://evil.example"),
        ],
    ],
)
@pytest.mark.parametrize("kind", ["http", "websocket"])
def test_anything_else_is_refused_before_the_app(
    kind: str, headers: list[tuple[bytes, bytes]]
) -> None:
    app = StandIn()
    sent = run(guard(app), kind, headers)
    assert app.reached == 0
    if kind == "websocket":
        assert sent == [{"type": "websocket.close", "code": 1008}]
    else:
        assert sent[0]["status"] == 403
        assert (b"access-control-allow-origin", b"*") not in sent[0]["headers"]


def test_wildcard_cors_is_dropped_and_csp_goes_on_html_only() -> None:
    own = [(b"host", b"127.0.0.1:8550")]
    html = StandIn([(b"content-type", b"text/html"), (b"Access-Control-Allow-Origin", b"*")])
    start = run(guard(html), "http", own)[0]
    assert start["headers"] == [
        (b"content-type", b"text/html"),
        (b"content-security-policy", b"default-src 'self'"),
    ]
    script = StandIn(
        [(b"content-type", b"text/javascript"), (b"access-control-allow-origin", b"*")]
    )
    assert run(guard(script), "http", own)[0]["headers"] == [(b"content-type", b"text/javascript")]


def test_lifespan_passes_through() -> None:
    """Flet's session manager starts on the lifespan event: the guard must not stop it."""
    app = StandIn()
    sent = run(guard(app), "lifespan", [])
    assert app.reached == 1
    assert sent  # the stand-in answered


def test_the_csp_is_read_from_the_page() -> None:
    policy = csp_of(INDEX.read_text("utf-8"))
    assert policy.startswith("default-src 'self'")
    assert "form-action 'none'" in policy
    with pytest.raises(ValueError, match="Content-Security-Policy"):
        csp_of("<html><head></head></html>")
    two = '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'">' * 2
    with pytest.raises(ValueError, match="Content-Security-Policy"):
        csp_of(two)
