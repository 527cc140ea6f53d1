"""Flet's web client speaks the user's language: its texts rewritten as served.

On Flet's real compiled client files (the pinned flet-web wheel), then through
the real app: English when the user chose English, Danish otherwise.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path

import flet_web  # type: ignore[import-untyped]
import pytest

from mus.i18n import Translator
from tests.e2e.conftest import AppServer, free_port
from views.client_texts import APP_ERROR, WORKING, patch_js, patch_wasm, sections

WEB = Path(flet_web.__file__).resolve().parent / "web"
DA = {WORKING: Translator("da")("client.working"), APP_ERROR: "Musling fejlede: {message}"}


def test_the_wasm_client_gets_each_text_once_and_still_parses() -> None:
    original = (WEB / "main.dart.wasm").read_bytes()
    assert original.count(WORKING.encode()) == 1, "Flet moved its boot text: see client_texts"
    patched, count = patch_wasm(original, DA)
    assert count == 2
    assert WORKING.encode() not in patched
    assert DA[WORKING].encode() in patched and DA[APP_ERROR].encode() in patched
    # Every section is where its header says; only the import section changed size.
    before = [(i, end - start) for i, start, end in sections(original)]
    after = [(i, end - start) for i, start, end in sections(patched)]
    assert [i for i, _ in before] == [i for i, _ in after]
    changed = [b for b, a in zip(before, after, strict=True) if b != a]
    assert [i for i, _ in changed] == [2]


def test_the_javascript_client_gets_the_texts_as_string_literals() -> None:
    original = (WEB / "main.dart.js").read_bytes()
    patched, count = patch_js(original, DA)
    assert count >= 2
    assert b'"Working..."' not in patched
    assert json.dumps(DA[WORKING]).encode() in patched


def test_nothing_to_patch_leaves_the_module_as_it_was() -> None:
    original = (WEB / "main.dart.wasm").read_bytes()
    assert patch_wasm(original, {"no such text in Flet": "x"}) == (original, 0)


@pytest.fixture(params=["da", "en"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[AppServer, str]]:
    port = free_port()
    app = AppServer(f"http://127.0.0.1:{port}", port, tmp_path / "data", log=tmp_path / "log")
    app.data_dir.mkdir(parents=True)
    (app.data_dir / "preferences.json").write_text(json.dumps({"language": request.param}))
    app.start()
    try:
        yield app, request.param
    finally:
        app.stop()


def get(port: int, path: str) -> tuple[int, bytes, dict[str, str]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def test_the_app_serves_its_client_in_the_chosen_language(server: tuple[AppServer, str]) -> None:
    app, language = server
    t = Translator(language)
    status, wasm, headers = get(app.port, "/main.dart.wasm")
    assert status == 200 and int(headers["content-length"]) == len(wasm)
    assert t("client.working").encode() in wasm and WORKING.encode() not in wasm
    status, page, _ = get(app.port, "/wheel")  # a deep link gets the same page
    assert status == 200
    assert f'aria-label="{t("client.loading")}"'.encode() in page
