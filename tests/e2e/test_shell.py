"""The app shell in a real headless Chromium at 390×844."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from mus.i18n import Translator
from mus.wheel import ELEMENTS
from tests.e2e.conftest import PHONE, AppServer, Traffic, fill, open_app, unlock

da, en = Translator("da"), Translator("en")
TIMEOUT = 15_000


def heading(page: Page, text: str) -> None:
    expect(page.locator("flt-semantics").get_by_text(text, exact=True).first).to_be_visible(
        timeout=TIMEOUT
    )


def test_home_screen_renders_in_danish(phone: Page) -> None:
    heading(phone, "Velkommen til Musling")
    expect(phone.get_by_role("button", name=re.compile("Åbn MUS-hjulet"))).to_be_visible()
    expect(phone.get_by_role("tab", name=re.compile("Indstillinger"))).to_be_visible()
    assert phone.evaluate("document.documentElement.lang").startswith("da")
    assert phone.title() == "Musling"


def test_walk_all_eight_steps_with_next(phone: Page, traffic: Traffic) -> None:
    phone.get_by_role("button", name=re.compile("Åbn MUS-hjulet")).click()
    heading(phone, "MUS-hjulet")
    phone.get_by_role("button", name=re.compile("^Strategi")).first.click()
    heading(phone, "Strategi")
    seen = []
    for element in ELEMENTS:
        phone.get_by_role("button", name="Næste", exact=True).click()
        title = da(element.title_key)
        expect(phone).to_have_url(re.compile(f"/wheel/{element.id}$"), timeout=TIMEOUT)
        heading(phone, title)
        seen.append(title)
    assert seen == [da(e.title_key) for e in ELEMENTS]
    # Offline by design: the whole walk stayed on this machine.
    assert traffic.foreign() == []
    assert not [u for u in traffic.requests if "rive" in u]


def test_english_in_settings_changes_titles_and_survives_reload(
    phone: Page, app_server: AppServer
) -> None:
    phone.get_by_role("tab", name=re.compile("Indstillinger")).click()
    heading(phone, "Sprog")
    phone.get_by_role("radio", name=re.compile("English")).click()
    heading(phone, "Language")
    open_app(phone, f"{app_server.url}/wheel")
    unlock(phone)
    heading(phone, "The MUS wheel")
    process = phone.get_by_role("button", name=re.compile(re.escape(en("wheel.process.title"))))
    expect(process).to_have_accessible_name(re.compile("Step 1 · "), timeout=TIMEOUT)
    # Put Danish back for the other tests sharing this server.
    phone.get_by_role("tab", name=re.compile("Settings")).click()
    phone.get_by_role("radio", name=re.compile("Dansk")).click()
    heading(phone, "Sprog")


def test_unknown_address_offers_the_way_home(phone: Page, app_server: AppServer) -> None:
    open_app(phone, f"{app_server.url}/nowhere")
    unlock(phone)
    heading(phone, "Siden findes ikke")
    phone.get_by_role("button", name=re.compile("Gå til forsiden")).click()
    heading(phone, "Velkommen til Musling")


def test_no_request_leaves_the_machine(
    phone: Page, app_server: AppServer, traffic: Traffic
) -> None:
    """Load, walk the main screens and reload: only loopback, and no Rive CDN script."""
    for route in ("/wheel", "/wheel/goals", "/settings", "/"):
        open_app(phone, app_server.url + route)
        unlock(phone)
    phone.wait_for_timeout(1500)
    assert traffic.requests, "the recorder saw nothing"
    assert traffic.foreign() == []
    scripts = phone.evaluate("[...document.scripts].map(s => s.src).filter(Boolean)")
    assert all(s.startswith(app_server.url) for s in scripts), scripts


def test_server_listens_on_loopback_only(app_server: AppServer) -> None:
    """Read the kernel's table of listening sockets: 127.0.0.1 only, never 0.0.0.0."""
    from pathlib import Path

    import pytest

    table = Path("/proc/net/tcp")
    if not table.exists():
        pytest.skip("needs Linux's /proc/net/tcp")
    port_hex = f"{app_server.port:04X}"
    listening = []
    for line in table.read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port = local.split(":")
        if port == port_hex and state == "0A":
            listening.append(address)
    assert listening == ["0100007F"]
    v6 = Path("/proc/net/tcp6")
    if v6.exists():
        assert not [
            ln for ln in v6.read_text().splitlines()[1:] if ln.split()[1].endswith(":" + port_hex)
        ]


def test_emoji_show_in_colour_from_the_bundled_font(
    browser: Browser, own_server: AppServer, traffic: Traffic
) -> None:
    """A typed emoji is drawn in colour by the app's own font, fetched from the app."""
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    context.on("request", traffic.record)
    page = context.new_page()
    try:
        open_app(page, own_server.url + "/wheel/strategy")
        unlock(page)
        label = re.compile("^Arbejdspladsens mål$")
        fill(page, label, "😀🎉😀🎉")
        page.wait_for_timeout(1500)  # pixels lag the accessibility tree
        shot = page.get_by_role("textbox", name=label).first.screenshot()
        assert any("/fonts/TwemojiMozilla.ttf" in url for url in traffic.requests)
        assert traffic.foreign() == []
        assert coloured_pixels(shot) > 50, "the emoji were drawn as boxes or in grey"
    finally:
        context.close()


def coloured_pixels(png: bytes) -> int:
    """Strongly coloured pixels: the unfocused field is grey on white, emoji are not."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = image.size
    pixels = [image.getpixel((x, y)) for x in range(width) for y in range(height)]
    return sum(1 for p in pixels if isinstance(p, tuple) and max(p) - min(p) > 80)
