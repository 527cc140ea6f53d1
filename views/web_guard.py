"""The web edition's front door: only the user's own tab gets in.

A pure ASGI middleware wrapped around Flet's web server (``main.serve``). Flet
accepts any Host and Origin and answers ``Access-Control-Allow-Origin: *``, so
a page elsewhere in the browser could drive the app: by DNS rebinding (its own
name pointed at 127.0.0.1, so the Host is foreign) or by opening a WebSocket to
127.0.0.1 directly (the Origin is foreign). Here:

- Host must be exactly ``127.0.0.1:<port>`` or ``localhost:<port>`` (the only
  names a browser can use to reach a server bound to 127.0.0.1 without a DNS
  trick; ``[::1]`` never reaches it).
- Origin, when present, must be ``http://127.0.0.1:<port>`` or
  ``http://localhost:<port>``; absent is fine (not a browser page: curl, the
  test's own HTTP check). ``null`` (a sandboxed frame, a file) is refused.
- Anything else gets 403 before Flet sees it: no session is made.
- No response carries Access-Control-Allow-Origin (the app is same-origin only);
  HTML responses carry the page's Content-Security-Policy as a header, plus
  ``frame-ancestors 'none'``, which a ``<meta>`` cannot say.

It imports neither Flet nor the vault: it is plain ASGI, tested on its own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from html.parser import HTMLParser
from typing import Any

Message = MutableMapping[str, Any]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LOOPBACK_NAMES = ("127.0.0.1", "localhost")
DROPPED_HEADERS = {b"access-control-allow-origin", b"content-security-policy"}
FORBIDDEN_BODY = b"Forbidden\n"


class _CspMeta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.policies: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        equiv = (found.get("http-equiv") or "").lower()
        if tag == "meta" and equiv == "content-security-policy":
            self.policies.append(found.get("content") or "")


def csp_of(html: str) -> str:
    """The policy in the page's CSP ``<meta>``: one source for the meta and the header."""
    parser = _CspMeta()
    parser.feed(html)
    if len(parser.policies) != 1 or not parser.policies[0].strip():
        raise ValueError("index.html must hold exactly one Content-Security-Policy meta")
    return parser.policies[0].strip().rstrip(";")


def header_policy(meta_policy: str) -> str:
    """The header adds what only a header can carry: no framing by other pages."""
    return f"{meta_policy}; frame-ancestors 'none'"


class LoopbackOnly:
    """Refuse (403) any request or WebSocket whose Host or Origin is not the app's own."""

    def __init__(self, app: ASGIApp, *, port: int, csp: str) -> None:
        self.app = app
        self.hosts = frozenset(f"{name}:{port}".encode() for name in LOOPBACK_NAMES)
        self.origins = frozenset(f"http://{name}:{port}".encode() for name in LOOPBACK_NAMES)
        self.csp = csp.encode()

    def allowed(self, headers: list[tuple[bytes, bytes]]) -> bool:
        hosts = [v.lower() for k, v in headers if k.lower() == b"host"]
        origins = [v.lower() for k, v in headers if k.lower() == b"origin"]
        if len(hosts) != 1 or hosts[0] not in self.hosts:
            return False
        return not origins or (len(origins) == 1 and origins[0] in self.origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind not in ("http", "websocket"):  # lifespan: Flet's session manager starts
            await self.app(scope, receive, send)
            return
        if not self.allowed(list(scope.get("headers", []))):
            await _refuse(kind, send)
            return
        if kind == "websocket":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = self._headers(list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _headers(self, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        kept = [(k, v) for k, v in headers if k.lower() not in DROPPED_HEADERS]
        content_type = next((v for k, v in kept if k.lower() == b"content-type"), b"")
        if content_type.lower().startswith(b"text/html"):
            kept.append((b"content-security-policy", self.csp))
        return kept


async def _refuse(kind: str, send: Send) -> None:
    if kind == "websocket":
        # Closing before accepting makes the server answer the upgrade with 403.
        await send({"type": "websocket.close", "code": 1008})
        return
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(FORBIDDEN_BODY)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": FORBIDDEN_BODY})
