"""Flet's web client in the user's language: its few visible English texts, replaced.

The compiled client (``main.dart.wasm`` in browsers with WebAssembly GC, else
``main.dart.js``) shows "Working..." while it starts and "The application
encountered an error: {message}" when a session fails; the page's loading
overlay is labelled "Loading". Flet offers no setting for them in web mode, so
this middleware rewrites them as they are served, in the language the user
chose (read at each page load; the result is cached per language).

In the wasm build the texts are imported string constants: each is the field
name of a global import, so the import section is re-encoded with the new
names (and its size). ``tests/test_client_texts.py`` fails if a Flet upgrade
moves them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from views.web_guard import ASGIApp, Message, Receive, Scope, Send

IMPORT_SECTION = 2
GLOBAL_IMPORT = 0x03
WASM_MAGIC = b"\x00asm\x01\x00\x00\x00"

WORKING = "Working..."
APP_ERROR = "The application encountered an error: {message}"
LOADING_LABEL = 'aria-label="Loading"'
TEXT_KEYS = {WORKING: "client.working", APP_ERROR: "client.app_error"}
"""Flet's text → the catalog key of ours that replaces it."""


def leb128(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def read_leb128(data: bytes, at: int) -> tuple[int, int]:
    """(value, position after it)."""
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def sections(data: bytes) -> list[tuple[int, int, int]]:
    """(id, start of content, end of content) of each section of a wasm module."""
    if not data.startswith(WASM_MAGIC):
        raise ValueError("not a WebAssembly module")
    out = []
    at = len(WASM_MAGIC)
    while at < len(data):
        section_id = data[at]
        size, start = read_leb128(data, at + 1)
        out.append((section_id, start, start + size))
        at = start + size
    return out


def patch_wasm(data: bytes, replacements: Mapping[str, str]) -> tuple[bytes, int]:
    """Rename global imports whose field name is a text to replace; (module, count).

    Only the field names change, so every other byte of the section is copied
    as it is; the entries are walked by their names, which is all the edit needs.
    """
    wanted = {k.encode(): v.encode() for k, v in replacements.items()}
    for section_id, start, end in sections(data):
        if section_id != IMPORT_SECTION:
            continue
        body = data[start:end]
        out = bytearray()
        count = 0
        at = 0
        while at < len(body):
            # Copy up to the next length-prefixed name equal to a wanted text,
            # when it is a global import's field name (followed by kind 0x03).
            hit = _next_hit(body, at, wanted)
            if hit is None:
                out += body[at:]
                break
            pos, old = hit
            prefix = leb128(len(old))
            out += body[at:pos]
            out += leb128(len(wanted[old])) + wanted[old]
            at = pos + len(prefix) + len(old)
            count += 1
        new_section = bytes(out)
        header_start = data.rfind(bytes([IMPORT_SECTION]), 0, start)
        patched = (
            data[:header_start]
            + bytes([IMPORT_SECTION])
            + leb128(len(new_section))
            + new_section
            + data[end:]
        )
        if sections(patched)[-1][2] != len(patched):
            raise ValueError("the patched module does not parse")
        return patched, count
    return data, 0


def _next_hit(body: bytes, at: int, wanted: Mapping[bytes, bytes]) -> tuple[int, bytes] | None:
    best: tuple[int, bytes] | None = None
    for old in wanted:
        needle = leb128(len(old)) + old + bytes([GLOBAL_IMPORT])
        pos = body.find(needle, at)
        if pos >= 0 and (best is None or pos < best[0]):
            best = (pos, old)
    return best


def patch_js(data: bytes, replacements: Mapping[str, str]) -> tuple[bytes, int]:
    """Replace the texts as JavaScript string literals; (script, count)."""
    count = 0
    for old, new in replacements.items():
        literal = json.dumps(old).encode()
        count += data.count(literal)
        data = data.replace(literal, json.dumps(new, ensure_ascii=True).encode())
    return data, count


class ClientTexts:
    """Serve Flet's client and page with their texts in the user's language."""

    def __init__(self, app: ASGIApp, texts: Callable[[], Mapping[str, str]]) -> None:
        self.app = app
        self.texts = texts
        self.cache: dict[tuple[str, tuple[tuple[str, str], ...]], bytes] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        client = path in ("/main.dart.wasm", "/main.dart.js")
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def rewrite(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                if not (client or _is_html(message)) or message.get("status") != 200:
                    start["pass"] = True
                    await send(message)
                return
            if start.get("pass"):
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                await self._send_patched(path, start, b"".join(chunks), send)

        await self.app(scope, receive, rewrite)

    async def _send_patched(self, path: str, start: Message, body: bytes, send: Send) -> None:
        texts = dict(self.texts())
        key = (path, tuple(sorted(texts.items())))
        patched = self.cache.get(key) if path != "/" else None
        if patched is None:
            patched = self._patch(path, body, texts)
            if path.startswith("/main.dart."):
                self.cache[key] = patched
        headers = [
            (k, v)
            for k, v in start.get("headers", [])
            if k.lower() not in (b"content-length", b"etag", b"last-modified", b"cache-control")
        ]
        headers += [
            (b"content-length", str(len(patched)).encode()),
            (b"cache-control", b"no-cache"),  # a new language must reach the next load
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": patched})

    @staticmethod
    def _patch(path: str, body: bytes, texts: Mapping[str, str]) -> bytes:
        if path == "/main.dart.wasm":
            return patch_wasm(body, texts)[0]
        if path == "/main.dart.js":
            return patch_js(body, texts)[0]
        label = texts.get(LOADING_LABEL)
        if label is None:
            return body
        return body.replace(LOADING_LABEL.encode(), f'aria-label="{label}"'.encode())


def _is_html(start: Message) -> bool:
    headers = start.get("headers", [])
    return any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers)
