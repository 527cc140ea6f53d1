"""Steps and goals in a real Chromium at 390×844: where "Næste" and back lead, and what shows.

Its own server (module-wide) over a copy of the example without a strategy and
without step marks, so the goal offers "Gå til Strategi" and the suggested
form is not done; the shared server's example stays untouched.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from mus import plans
from mus.demo import example_bundle
from storage.paths import DataPaths
from storage.session import VaultSession
from tests.e2e.conftest import PASSPHRASE, PHONE, AppServer, fill, free_port, open_app, unlock

TIMEOUT = 15_000
PLACE = (
    "Mødelokale 2 på tredje sal i den gamle bygning bag rådhuset, ved siden af kantinen, "
    "hvor der er en kaffemaskine"
)


def prepare(data_dir: Path) -> None:
    """The example conversation with no strategy (so no goal is anchored) and no marks."""
    paths = DataPaths.resolve(data_dir)
    paths.ensure()
    session = VaultSession(paths.vault)
    session.create(PASSPHRASE)
    bundle = example_bundle(date.today())
    record = bundle.record
    for item in record.strategy_items:
        record = plans.without_strategy_item(record, item.id)
    session.conversations().save(replace(record, step_marks=()))
    session.versions().add(bundle.version)
    session.schedules().save(bundle.schedule)
    session.lock()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    port = free_port()
    base = tmp_path_factory.mktemp("steps")
    app = AppServer(f"http://127.0.0.1:{port}", port, base / "data", log=base / "app.log")
    prepare(app.data_dir)
    app.start()
    try:
        yield app
    finally:
        app.stop()


@pytest.fixture
def tab(browser: Browser, server: AppServer) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="da-DK")
    page = context.new_page()
    open_app(page, server.url + "/wheel")
    unlock(page)
    yield page
    context.close()


def semantics_text(page: Page, text: str | re.Pattern[str]) -> Locator:
    return page.locator("flt-semantics").get_by_text(text).first


def goto(page: Page, server: AppServer, route: str, heading: str) -> None:
    open_app(page, server.url + route)  # same tab: the session stays unlocked
    unlock(page)
    expect(page.locator("flt-semantics").get_by_text(heading, exact=True).first).to_be_visible(
        timeout=TIMEOUT
    )


def test_next_opens_the_next_step_at_its_top(tab: Page, server: AppServer) -> None:
    goto(tab, server, "/wheel/form", "Koncept og samtaleskema")
    top = tab.locator("flt-semantics").get_by_text(re.compile("Trin 2 af 8")).first
    expect(top).to_be_in_viewport(timeout=TIMEOUT)
    # Far down the long form (the question bank) ...
    tab.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
    for _ in range(20):
        tab.mouse.wheel(0, 600)
        tab.wait_for_timeout(100)
    expect(top).not_to_be_in_viewport(timeout=TIMEOUT)
    # ... "Næste" opens step 3 at its top: its heading is on screen, not scrolled past.
    tab.get_by_role("button", name="Næste", exact=True).click()
    expect(tab).to_have_url(re.compile("/wheel/preparation$"), timeout=TIMEOUT)
    heading = tab.locator("flt-semantics").get_by_text(re.compile("Trin 3 af 8")).first
    expect(heading).to_be_in_viewport(timeout=TIMEOUT)
    box = heading.bounding_box()
    assert box is not None and box["y"] < PHONE["height"] / 3


def test_strategy_opened_from_a_goal_returns_to_the_goal(tab: Page, server: AppServer) -> None:
    goto(tab, server, "/wheel/goals/goal-1", "Fagligt mål")
    title = tab.get_by_label("Hvad er målet?").first
    expect(title).to_be_visible(timeout=TIMEOUT)
    link = tab.get_by_role("button", name=re.compile("Gå til Strategi"))
    link.scroll_into_view_if_needed()
    link.click()
    expect(tab).to_have_url(re.compile("/wheel/goals/goal-1/strategy$"), timeout=TIMEOUT)
    expect(semantics_text(tab, "Strategi")).to_be_visible(timeout=TIMEOUT)
    # The app bar's back arrow: to the goal, not to the wheel.
    tab.get_by_role("button", name="Tilbage", exact=True).click()
    expect(tab).to_have_url(re.compile("/wheel/goals/goal-1$"), timeout=TIMEOUT)
    expect(title).to_be_visible(timeout=TIMEOUT)
    # The screen's own button does the same.
    link.scroll_into_view_if_needed()
    link.click()
    expect(tab).to_have_url(re.compile("/strategy$"), timeout=TIMEOUT)
    tab.get_by_role("button", name="Tilbage til målet").click()
    expect(tab).to_have_url(re.compile("/wheel/goals/goal-1$"), timeout=TIMEOUT)
    expect(title).to_be_visible(timeout=TIMEOUT)


def test_a_long_place_wraps_after_leaving_and_enter_adds_no_line(
    tab: Page, server: AppServer
) -> None:
    goto(tab, server, "/wheel/process", "Hvem gør hvad – hvornår?")
    place = tab.get_by_label("Sted", exact=True).first
    one_line = place.bounding_box()
    assert one_line is not None
    fill(tab, "Sted", PLACE)  # types, then leaves the field with Tab
    expect(place).to_have_value(PLACE, timeout=TIMEOUT)
    # Left: the whole text shows over several lines, nothing cut off at the edge.
    tab.wait_for_timeout(500)
    wrapped = place.bounding_box()
    assert wrapped is not None and wrapped["height"] > one_line["height"] * 1.8
    place.focus()
    expect(place).to_be_focused(timeout=TIMEOUT)
    tab.keyboard.press("End")
    tab.keyboard.press("Enter")
    tab.wait_for_timeout(300)
    expect(place).to_have_value(PLACE, timeout=TIMEOUT)  # no line break was added


def test_the_suggested_form_is_done_only_when_switched_on(tab: Page, server: AppServer) -> None:
    form = tab.get_by_role("button", name=re.compile("^Koncept og samtaleskema"))
    expect(form).to_have_accessible_name(re.compile("Trin 2 · I gang"), timeout=TIMEOUT)
    goto(tab, server, "/wheel/form", "Koncept og samtaleskema")
    switch = tab.get_by_role("switch", name="Trinnet er færdigt")
    tab.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
    for _ in range(40):
        if switch.count():
            break
        tab.mouse.wheel(0, 600)
        tab.wait_for_timeout(100)
    switch.scroll_into_view_if_needed()
    expect(switch).not_to_be_checked(timeout=TIMEOUT)
    switch.click()
    expect(switch).to_be_checked(timeout=TIMEOUT)
    # On the wheel, step 2 now reads done.
    goto(tab, server, "/wheel", "MUS-hjulet")
    expect(form).to_have_accessible_name(re.compile("Trin 2 · Færdig"), timeout=TIMEOUT)


def test_a_course_wish_is_removed_by_its_named_button_and_undone(
    tab: Page, server: AppServer
) -> None:
    goto(tab, server, "/wheel/preparation", "Forberedelse")
    remove = tab.get_by_role("button", name="Slet kursusønsket")
    tab.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
    for _ in range(40):
        if remove.count():
            break
        tab.mouse.wheel(0, 600)
        tab.wait_for_timeout(100)
    title = tab.get_by_label("Kursus eller uddannelse")
    expect(title).to_have_count(1, timeout=TIMEOUT)
    remove.first.scroll_into_view_if_needed()
    remove.first.click()
    expect(title).to_have_count(0, timeout=TIMEOUT)
    undo = tab.get_by_role("button", name="Fortryd")
    expect(tab.get_by_role("group", name="Kursusønsket er slettet.")).to_be_visible(timeout=TIMEOUT)
    undo.click()
    expect(title).to_have_count(1, timeout=TIMEOUT)
