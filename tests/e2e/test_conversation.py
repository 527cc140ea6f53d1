"""A whole conversation typed in through the real UI, kept across a restart.

Its own server and data folder: the test stops and starts the app.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, Page, expect

from storage.paths import DataPaths
from storage.session import VaultSession
from tests.e2e.conftest import (
    PASSPHRASE,
    PHONE,
    AppServer,
    fill,
    open_app,
    unlock,
)

TIMEOUT = 15_000
NOTE = "Jeg vil lære mere om digital vejledning – æøå “citat” 😀"
SAID = "Vi talte om skranken og om nye opgaver i 2027."
STRENGTHS = "Rolig i pressede situationer"
AREAS = "Sig til i tide"
GIVEN = "Mere sparring efter travle uger"
VALUABLE = "En konkret plan"
GOALS = [
    ("Tilføj et fagligt mål", "Vejlede i digital selvbetjening", "Borgerne klarer det selv",
     "Kursus i digital vejledning", "05.03.2027"),
    ("Tilføj et personligt mål", "Blive en tryg oplærer", "De nye kan tage skranken alene",
     "Sidemandsoplæring med en erfaren kollega", "15.04.2027"),
]  # fmt: skip


def tap_until(page: Page, button: Locator, appears: Locator) -> None:
    """Tap, and tap again if what it opens has not come: a tap on a node at the edge
    of the screen can land while Flutter is still scrolling it into view."""
    for attempt in range(3):
        button.scroll_into_view_if_needed()
        button.click()
        try:
            expect(appears).to_be_visible(timeout=5_000)
            return
        except AssertionError:
            if attempt == 2:
                raise
            page.mouse.wheel(0, 300)


def saved(page: Page) -> None:
    expect(
        page.locator("flt-semantics").get_by_text(re.compile(r"Gemt \d\d:\d\d")).first
    ).to_be_visible(timeout=TIMEOUT)


def goto(page: Page, server: AppServer, route: str, heading: str) -> None:
    open_app(page, server.url + route)  # same tab: the session stays unlocked
    expect(page.locator("flt-semantics").get_by_text(heading, exact=True).first).to_be_visible(
        timeout=TIMEOUT
    )


def test_full_conversation_survives_a_restart(browser: Browser, own_server: AppServer) -> None:
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    page = context.new_page()
    open_app(page, own_server.url + "/conversations/new")
    unlock(page)
    fill(page, "Dit navn", "Ida Testesen")
    fill(page, "Din leders navn", "Ole Leder")
    fill(page, "Arbejdssted", "Afdeling Ø")
    fill(page, "Samtalens dato", "01.12.2026")
    page.get_by_role("button", name=re.compile("Start samtalen")).click()
    expect(page).to_have_url(re.compile("/wheel$"), timeout=TIMEOUT)

    goto(page, own_server, "/wheel/preparation", "Forberedelse")
    fill(page, "Dine noter", NOTE)
    saved(page)
    goto(page, own_server, "/wheel/dialogue", "Den gode dialog")
    fill(page, "Det blev sagt", SAID)
    page.get_by_role("checkbox", name=re.compile("Emnet er gennemgået")).click()
    saved(page)
    goto(page, own_server, "/wheel/feedback", "Feedback")
    fill(page, re.compile("Mine styrker"), STRENGTHS)
    fill(page, re.compile("Hvor jeg kan blive bedre"), AREAS)
    fill(page, re.compile("Min feedback til min leder"), GIVEN)
    saved(page)
    for add, title, signs, activity, when in GOALS:
        goto(page, own_server, "/wheel/goals", "Udviklingsmål")
        tap_until(
            page,
            page.get_by_role("button", name=re.compile(add)),
            page.get_by_label("Hvad er målet?").first,
        )
        fill(page, "Hvad er målet?", title)
        fill(page, "Hvordan kan I begge se, at målet er nået?", signs)
        tap_until(
            page,
            page.get_by_role("button", name=re.compile("Tilføj en aktivitet")),
            page.get_by_label("Hvad skal der ske?").first,
        )
        fill(page, "Hvad skal der ske?", activity)
        fill(page, "Hvornår sker det?", when)
        page.wait_for_timeout(600)  # past the autosave's debounce, for good measure
    goto(page, own_server, "/wheel/goals", "Udviklingsmål")
    for _, title, *_rest in GOALS:
        expect(page.get_by_role("button", name=re.compile(title))).to_be_visible(timeout=TIMEOUT)
    goto(page, own_server, "/wheel/evaluation", "Evaluering")
    fill(page, re.compile("mest værdifuldt"), VALUABLE)
    saved(page)
    context.close()

    own_server.restart()
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    page = context.new_page()
    open_app(page, own_server.url + "/wheel/feedback")
    unlock(page)
    # Flutter mirrors a field's text into the page only while it has focus.
    strengths = page.get_by_label(re.compile("Mine styrker")).first
    strengths.click()
    expect(strengths).to_have_value(STRENGTHS, timeout=TIMEOUT)
    context.close()
    own_server.stop()

    # Exactly as typed, read straight from the encrypted vault.
    session = VaultSession(DataPaths.resolve(own_server.data_dir).vault)
    session.unlock(PASSPHRASE)
    mine = [c for c in session.conversations().list() if c.employee_name == "Ida Testesen"]
    assert len(mine) == 1
    record = session.conversations().get(mine[0].id)
    session.lock()
    assert record is not None
    c = record.conversation
    assert (c.leader_name, c.unit, c.meeting_date.isoformat() if c.meeting_date else "") == (
        "Ole Leder",
        "Afdeling Ø",
        "2026-12-01",
    )
    assert [n.text for n in record.preparation.notes] == [NOTE]
    assert record.preparation.notes[0].shared is False
    first = record.meeting_notes.topics[0]
    assert (first.said, first.covered) == (SAID, True)
    fb = record.feedback
    assert (fb.strengths, fb.areas_to_develop, fb.given_to_leader) == (STRENGTHS, AREAS, GIVEN)
    assert record.evaluation.most_valuable == VALUABLE
    assert [(g.title, g.success_signs) for g in record.goals] == [(g[1], g[2]) for g in GOALS]
    assert [
        (a.description, a.when.strftime("%d.%m.%Y") if a.when else "") for a in record.activities
    ] == [(g[3], g[4]) for g in GOALS]
