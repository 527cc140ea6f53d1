"""Follow-up in a real browser: a due reminder on the home screen, cleared by a self-review.

The vault holds an agreed plan with an activity due in 3 days, so its deadline
reminder is due today (the server runs on the real clock). Through the real UI
the test sees the reminder on the home screen, does the self-review (the
activity's status set to "I gang" through the real dropdown, then Save), sees
the reminder gone from the home screen and the self-review dated today on the
plan, and finally reads the saved check-in back from the vault on disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from mus import plans
from mus.demo import example_bundle
from mus.model import Activity, ActivityKind, CheckInTarget, Goal, GoalKind, ItemStatus
from mus.reminders import propose_schedule, reconcile, today_in_copenhagen
from storage.paths import DataPaths
from storage.session import VaultSession
from tests.e2e.conftest import PASSPHRASE, PHONE, AppServer, free_port, open_app, unlock

TIMEOUT = 15_000
ACTIVITY = "Tilmeld kurset i jura"
# A reminder's node: the activity, then its kind, day and state (the tile's lines merged).
REMINDER = re.compile(rf"^{ACTIVITY}\s+Frist for aktivitet\s")


@dataclass(frozen=True)
class DueApp:
    server: AppServer
    record_id: str
    today: date


def copenhagen_today() -> date:
    return today_in_copenhagen(datetime.now(UTC))


@pytest.fixture
def due_in_three_days(tmp_path: Path) -> Iterator[DueApp]:
    """The app on the example plus an agreed activity due in 3 days: its reminder is due now."""
    today = copenhagen_today()
    paths = DataPaths.resolve(tmp_path / "data")
    paths.ensure()
    vault = VaultSession(paths.vault)
    vault.create(PASSPHRASE)
    bundle = example_bundle(today)
    record = plans.with_goal(bundle.record, Goal("goal-x", GoalKind.PROFESSIONAL, "Ny opgave"))
    record = plans.with_activity(
        record,
        Activity(
            "act-x", "goal-x", ActivityKind.COURSE, description=ACTIVITY,
            when=today + timedelta(days=3),
        ),
    )  # fmt: skip
    vault.conversations().save(record)
    vault.versions().add(bundle.version)
    vault.schedules().save(reconcile(propose_schedule(record, agreed_on=today), record))
    vault.lock()

    port = free_port()
    server = AppServer(
        f"http://127.0.0.1:{port}", port, tmp_path / "data", log=tmp_path / "app.log"
    )
    server.start()
    try:
        yield DueApp(server, record.id, today)
    finally:
        server.stop()


def open_and_unlock(page: Page, url: str) -> None:
    """Open the app on its lock screen and unlock it.

    ``unlock`` waits for the lock screen's own autofocus to settle, and reloads
    when the typed text does not reach the server.
    """
    open_app(page, url)
    unlock(page)


def box_of(locator: Locator) -> tuple[float, float, float, float] | None:
    """Where the node is now, or None: Flutter drops nodes that scroll off screen."""
    try:
        box = locator.first.bounding_box(timeout=1_000)
    except PlaywrightError:
        return None
    return None if box is None else (box["x"], box["y"], box["width"], box["height"])


def scroll_until(page: Page, done: Locator, above: Locator | None = None) -> None:
    """Wheel the screen down until ``done`` is on screen and wholly above ``above``
    (or the bottom of the screen).

    Flutter builds accessibility nodes only for what is on screen, so the page
    is scrolled like a person would, with the mouse over the content.
    """
    page.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
    for _ in range(30):
        box = box_of(done) if done.count() else None
        limit = box_of(above) if above is not None else (0, PHONE["height"], 0, 0)
        if box is not None and limit is not None:
            _, y, _, h = box
            if h > 10 and y >= 0 and y + h < limit[1] - 4:
                page.wait_for_timeout(300)  # let the last wheel settle
                return
        page.mouse.wheel(0, 250)
        page.wait_for_timeout(150)
    raise AssertionError(f"never scrolled {done} into view")


def choose_status(page: Page, card: Locator, status: str) -> None:
    """Open a card's Status menu with a real tap and pick ``status`` from it.

    The menu is a button of its own in the card, named by its label and its
    choice ("Status Ikke startet"), as a screen reader says it.
    """
    menu = card.get_by_role("button", name=re.compile(r"^Status\s"))
    option = page.get_by_role("button", name=status, exact=True)
    for attempt in range(3):
        menu.click()
        try:
            expect(option).to_be_visible(timeout=5_000)
            break
        except AssertionError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    option.click()
    expect(card.get_by_role("button", name=f"Status {status}", exact=True)).to_be_visible(
        timeout=TIMEOUT
    )


def test_self_review_clears_the_due_reminder_and_shows_on_the_plan(
    browser: Browser, due_in_three_days: DueApp
) -> None:
    app = due_in_three_days
    context = browser.new_context(viewport=PHONE, locale="da-DK")
    page = context.new_page()
    semantics = page.locator("flt-semantics")
    reminder = page.get_by_role("button", name=REMINDER)

    open_and_unlock(page, app.server.url + "/")
    expect(reminder).to_be_visible(timeout=TIMEOUT)
    expect(reminder).to_contain_text("I dag")

    # Same tab: the Flet session stays unlocked.
    open_app(page, app.server.url + "/wheel/follow_up/check-in")
    expect(semantics.get_by_text("Selvevaluering", exact=True).first).to_be_visible(timeout=TIMEOUT)
    card = page.get_by_role("group", name=re.compile(rf"Aktivitet · Kursus\s+{ACTIVITY}"))
    save = page.get_by_role("button", name="Gem selvevalueringen", exact=True)
    scroll_until(page, card.get_by_label("Kort note", exact=True), save)
    choose_status(page, card, "I gang")
    # "Under way" asks what was learned: the server has the new status.
    expect(card.get_by_label("Hvad har du lært?", exact=True)).to_be_visible(timeout=TIMEOUT)
    save.click()
    expect(page).to_have_url(re.compile(r"/wheel/follow_up$"), timeout=TIMEOUT)
    expect(semantics.get_by_text("Selvevalueringen er gemt.").first).to_be_visible(timeout=TIMEOUT)

    open_app(page, app.server.url + "/")
    # The example's overdue follow-up is still due: the reminder list is there.
    other = page.get_by_role("button", name=re.compile(r"^Sidemandsoplæring.*\s+Opfølgning på"))
    expect(other).to_be_visible(timeout=TIMEOUT)
    expect(reminder).to_have_count(0, timeout=TIMEOUT)

    open_app(page, app.server.url + "/plan")
    expect(semantics.get_by_text("Udviklingsplan", exact=True).first).to_be_visible(timeout=TIMEOUT)
    day = app.today.strftime("%d.%m.%Y")
    check_in = semantics.get_by_text(re.compile(rf"^Selvevaluering {day}"))
    scroll_until(page, check_in)
    expect(check_in).to_be_visible(timeout=TIMEOUT)

    # The year in view: each entry named by kind, day and state; the deadline the
    # self-review did is among the done ones, and "not done after all" brings it back.
    open_app(page, app.server.url + "/reminders")
    expect(semantics.get_by_text("Kommende", exact=True)).to_be_visible(timeout=TIMEOUT)
    mini = page.get_by_role("button", name=re.compile(r"^Halvårlig mini-MUS med din leder\s+\d"))
    scroll_until(page, mini)
    expect(mini).to_contain_text(re.compile(r"·\sOm\s\d+\sdage"))  # dates keep together
    done = page.get_by_role("button", name=re.compile(rf"^{ACTIVITY}\s+Frist for .*\s+Gjort\s"))
    scroll_until(page, done)
    reopen = page.get_by_role(
        "button", name=f"Ikke gjort alligevel: „Frist for aktivitet – {ACTIVITY}“", exact=True
    )
    reopen.click()
    expect(semantics.get_by_text(f"Genoptaget: Frist for aktivitet – {ACTIVITY}")).to_be_visible(
        timeout=TIMEOUT
    )
    page.mouse.wheel(0, -20_000)
    expect(reminder.filter(has_text=re.compile(r"I\sdag"))).to_be_visible(timeout=TIMEOUT)
    context.close()

    app.server.stop()
    vault = VaultSession(DataPaths.resolve(app.server.data_dir).vault)
    vault.unlock(PASSPHRASE)
    record = vault.conversations().get(app.record_id)
    schedule = vault.schedules().get(app.record_id)
    vault.lock()
    assert record is not None
    todays = [c for c in record.check_ins if c.on == app.today]
    assert len(todays) == 1, record.check_ins
    statuses = {
        i.target_id: i.status for i in todays[0].items if i.target is CheckInTarget.ACTIVITY
    }
    assert statuses["act-x"] is ItemStatus.UNDER_WAY
    reopened = schedule.reminder("activity_deadline:act-x") if schedule is not None else None
    assert reopened is not None and reopened.is_open and reopened.reopened_after == app.today
