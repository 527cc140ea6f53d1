"""The reminders screen shows the whole year: each entry says what it is, when and
where it stands; done and cancelled ones stay, greyed, and can be restored."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import flet as ft

from mus.demo import EXAMPLE_ID, example_bundle
from mus.i18n import Translator
from mus.reminders import ACTIVITY_KINDS, ReminderKind, kind_key
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI
from views.screens.reminders import GREYED

da = Translator("da")


def key(reminder_id: str, conversation_id: str = EXAMPLE_ID) -> str:
    return f"reminder-{conversation_id}/{reminder_id}"


def tile(ui: UI, reminder_id: str) -> ft.ListTile:
    found = ui.find(key(reminder_id))
    assert isinstance(found, ft.ListTile)
    return found


def lines(ui: UI, reminder_id: str) -> tuple[str, str]:
    """The tile's title, and its subtitle (an activity's kind, then day · state)."""
    t = tile(ui, reminder_id)
    assert isinstance(t.title, ft.Text) and isinstance(t.subtitle, ft.Text)
    return str(t.title.value), str(t.subtitle.value)


def plain(text: str) -> str:
    """Text with its no-break spaces (dates kept on one line) as plain spaces."""
    return text.replace("\u00a0", " ")


def greyed(ui: UI, reminder_id: str) -> bool:
    t = tile(ui, reminder_id)
    assert isinstance(t.title, ft.Text) and isinstance(t.subtitle, ft.Text)
    return t.title.color == GREYED and t.subtitle.color == GREYED


def order(ui: UI) -> list[str]:
    """Headings and tiles as they come down the screen."""
    wanted = ("reminders-", "month-", "reminder-")
    return [
        str(k)
        for c in ui.controls()
        if (k := getattr(c, "key", None)) is not None and str(k).startswith(wanted)
    ]


def test_the_example_year_lists_every_kind_with_its_day_and_state(
    play: Callable[..., None], example_year: VaultSession
) -> None:
    bundle = example_bundle(NOW.date())

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/reminders")
        seen = order(ui)
        # Every reminder of the year is listed once.
        tiles = [k for k in seen if k.startswith("reminder-")]
        assert sorted(tiles) == sorted(key(r.id) for r in bundle.schedule.reminders)
        # Now, then the coming months in order, then what is done.
        headings = [k for k in seen if not k.startswith("reminder-")]
        assert headings[:2] == ["reminders-intro", "reminders-now"]
        assert headings[2] == "reminders-coming" and headings[-1] == "reminders-closed"
        months = headings[3:-1]
        assert months == sorted(months) and all(m.startswith("month-") for m in months)
        assert seen.index(key("activity_follow_up:activity-2")) < seen.index("reminders-coming")
        assert seen.index(key("self_review:3")) > seen.index("reminders-closed")
        # Each entry says what it is (an activity: which, and the kind beside it),
        # its day and its state.
        for r in bundle.schedule.reminders:
            title, subtitle = lines(ui, r.id)
            kind = da(kind_key(r.kind))
            said = subtitle.splitlines()[0] if r.kind in ACTIVITY_KINDS else title
            assert said == kind, r.id
        title, subtitle = lines(ui, "mini_mus:6")
        assert title == "Halvårlig mini-MUS med din leder"
        assert "elvevaluering" not in title + subtitle
        assert plain(subtitle) == "23. januar 2027 · Om 60 dage"
        assert lines(ui, "self_review:9")[0] == "Kvartalsvis selvevaluering"
        title, subtitle = lines(ui, "activity_follow_up:activity-2")
        assert title.startswith("Sidemandsoplæring hos en erfaren kollega")
        assert plain(subtitle).startswith("Opfølgning på aktivitet\n26. august 2026 · ")
        assert plain(subtitle).endswith(" dage over tiden")
        # Done: greyed, with its day done and a button to open it again.
        assert plain(lines(ui, "self_review:3")[1]) == "25. oktober 2026\nGjort 25. oktober 2026"
        assert greyed(ui, "self_review:3") and not greyed(ui, "mini_mus:6")
        assert ui.find_all(f"restore-{EXAMPLE_ID}/self_review:3")
        assert not ui.find_all(f"restore-{EXAMPLE_ID}/mini_mus:6")
        button = ui.find(f"restore-{EXAMPLE_ID}/self_review:3")
        assert button.tooltip == (  # type: ignore[attr-defined]
            "Ikke gjort alligevel: „Kvartalsvis selvevaluering“"
        )
        # A screen reader hears the same words (a tooltip alone gives it no name).
        assert button.icon.semantics_label == button.tooltip  # type: ignore[attr-defined]
        assert {ReminderKind(k.split("/")[1].split(":")[0]) for k in tiles} == set(ReminderKind)

    play(scenario, session=example_year)


def test_a_done_reminder_is_opened_again_from_the_list_and_stays_open(
    play: Callable[..., None], example_year: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/reminders")
        await ui.tap(f"restore-{EXAMPLE_ID}/self_review:3")
        # The check-in that did it no longer counts: overdue, up in "now", not greyed.
        seen = order(ui)
        assert seen.index(key("self_review:3")) < seen.index("reminders-coming")
        assert not greyed(ui, "self_review:3")
        assert "dage over tiden" in plain(lines(ui, "self_review:3")[1])
        assert not ui.find_all(f"restore-{EXAMPLE_ID}/self_review:3")
        assert "Genoptaget: Kvartalsvis selvevaluering" in snack_texts(ui)
        # The home screen has it among what is due.
        await ui.go("/")
        assert ui.find_all(key("self_review:3"))

    play(scenario, session=example_year)
    example_year.unlock(PASSPHRASE)
    schedule = example_year.schedules().get(EXAMPLE_ID)
    assert schedule is not None
    r = schedule.reminder("self_review:3")
    assert r is not None and r.done_on is None and r.reopened_after is not None


def snack_texts(ui: UI) -> list[str]:
    """The texts of the open snack bars (see tests/ui/test_goals.py's dialog_controls)."""
    return [
        str(c.content.value)
        for c in ui.page._dialogs.controls
        if isinstance(c, ft.SnackBar) and isinstance(c.content, ft.Text) and c.open
    ]


def test_a_cancelled_reminder_stays_greyed_and_is_restored(
    play: Callable[..., None], example_year: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/reminders")
        await ui.tap(key("mini_mus:6"))
        assert ui.text_of("reminder-kind") == "Halvårlig mini-MUS med din leder"
        await ui.tap("reminder-cancel")
        assert ui.text_of("reminder-status") == "Aflyst af dig"
        assert ui.find_all("reminder-restore") and not ui.find_all("reminder-do")
        await ui.back()
        assert ui.route == "/reminders"
        seen = order(ui)
        assert seen.index(key("mini_mus:6")) > seen.index("reminders-closed")
        assert greyed(ui, "mini_mus:6")
        title = tile(ui, "mini_mus:6").title
        assert isinstance(title, ft.Text) and title.style is not None
        assert title.style.decoration == ft.TextDecoration.LINE_THROUGH
        assert plain(lines(ui, "mini_mus:6")[1]).endswith("2027\nAflyst af dig")
        button = ui.find(f"restore-{EXAMPLE_ID}/mini_mus:6")
        assert button.tooltip == "Genoptag „Halvårlig mini-MUS med din leder“"  # type: ignore[attr-defined]
        await ui.tap(f"restore-{EXAMPLE_ID}/mini_mus:6")
        seen = order(ui)
        assert seen.index("reminders-coming") < seen.index(key("mini_mus:6"))
        assert "reminders-closed" not in seen or seen.index(key("mini_mus:6")) < seen.index(
            "reminders-closed"
        )
        assert not greyed(ui, "mini_mus:6")

    play(scenario, session=example_year)
    example_year.unlock(PASSPHRASE)
    schedule = example_year.schedules().get(EXAMPLE_ID)
    assert schedule is not None
    r = schedule.reminder("mini_mus:6")
    assert r is not None and r.is_open and r.revision == 2


def test_a_reminder_done_by_a_check_in_shows_done_and_reopens_for_good(
    play: Callable[..., None], example_year: VaultSession
) -> None:
    """The reminder's own screen reads the state from the record, and "not done
    after all" is not undone by the check-in that did it."""

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/reminders")
        await ui.tap(key("activity_deadline:activity-1"))
        assert ui.text_of("reminder-status") == "Gjort 25. oktober 2026"
        await ui.tap("reminder-reopen")
        assert ui.text_of("reminder-status") == "Venter"
        assert ui.find_all("reminder-done")

    play(scenario, session=example_year)
    example_year.unlock(PASSPHRASE)
    schedule = example_year.schedules().get(EXAMPLE_ID)
    assert schedule is not None
    r = schedule.reminder("activity_deadline:activity-1")
    assert r is not None and r.done_on is None


def test_with_two_conversations_each_entry_says_whose_it_is(
    play: Callable[..., None], example_year: VaultSession
) -> None:
    example_year.unlock(PASSPHRASE)
    record = example_year.conversations().get(EXAMPLE_ID)
    schedule = example_year.schedules().get(EXAMPLE_ID)
    assert record is not None and schedule is not None
    other = replace(
        record,
        conversation=replace(
            record.conversation,
            id="other",
            employee_name="Anden Eksempel",
            created_at=datetime(2026, 7, 1, tzinfo=UTC),
        ),
    )
    example_year.conversations().save(other)
    example_year.schedules().save(replace(schedule, conversation_id="other"))
    example_year.lock()

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/reminders")
        mine = lines(ui, "mini_mus:6")[1].splitlines()
        theirs = ui.find(key("mini_mus:6", "other")).subtitle.value.splitlines()  # type: ignore[attr-defined]
        assert mine[0] == "MUS 2026, Sofie Eksempel"
        assert theirs[0] == "MUS 2026, Anden Eksempel"

    play(scenario, session=example_year)


def test_a_mini_mus_reminder_says_mini_mus_all_the_way(
    play: Callable[..., None], example_year: VaultSession
) -> None:
    """Its screen, its button and the status form it opens (as a mini-MUS); an
    activity's screen shows the activity's whole text (the list shortens it)."""

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/reminders")
        await ui.tap(key("mini_mus:6"))
        assert ui.text_of("reminder-kind") == "Halvårlig mini-MUS med din leder"
        assert ui.text_of("reminder-title") == "Mini-MUS med din leder"
        assert ui.find("reminder-do").content == "Skriv status fra mini-MUS'en"  # type: ignore[attr-defined]
        assert not any("elvevaluering" in text for text in ui.texts())
        reminder_route = ui.route
        await ui.tap("reminder-do")
        # Opened inside the reminder: the check-in sits on top of it, and back returns there.
        assert ui.route == f"{reminder_route}/check-in"
        # The status is the mini-MUS's: the form opens as one, titled so.
        assert ui.prop("check-in-mini", "value") is True
        assert ui.find_all("check-in-new-initiatives")
        assert "Mini-MUS" in ui.texts() and "Selvevaluering" not in ui.texts()
        await ui.back()
        assert ui.route == reminder_route
        await ui.go("/reminders")
        listed = lines(ui, "activity_deadline:activity-5")[0]
        assert listed.endswith("…")
        await ui.tap(key("activity_deadline:activity-5"))
        whole = ui.text_of("reminder-title")
        assert "…" not in whole and whole.startswith("Snart frist: " + listed[:-1])

    play(scenario, session=example_year)
