"""Date fields: the calendar icon opens a date picker, and a picked day is saved as a typed one.

The picker's answer is played the way Flet's client sends it (local midnight,
in UTC: ``UI.pick_date``); the real picker is tapped in Chromium in
tests/e2e/test_date_picker_e2e.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from mus.dates import PICKER_YEARS
from mus.demo import EXAMPLE_ID
from mus.i18n import Translator
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI
from tests.ui.test_goals import read_back

da = Translator("da")
TODAY = NOW.date()  # 24.11.2026 in Copenhagen too (09:00 UTC)


def test_new_conversation_meeting_date_from_the_calendar(
    play: Callable[..., None], vault: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/conversations/new")
        await ui.tap("meeting-date-calendar")
        picker = ui.date_picker()
        assert picker.value == TODAY, "an empty field opens on today"
        assert picker.current_date == TODAY
        assert picker.first_date == date(TODAY.year - PICKER_YEARS, 1, 1)
        assert picker.last_date == date(TODAY.year + PICKER_YEARS, 12, 31)
        assert picker.help_text == da("new.date"), "the picker says which date it is"
        await ui.pick_date(date(2026, 12, 3))
        assert ui.prop("meeting-date", "value") == "03.12.2026"
        assert not ui.dialogs()
        # Opened again, the picker starts on the field's day.
        await ui.tap("meeting-date-calendar")
        assert ui.date_picker().value == date(2026, 12, 3)
        await ui.dismiss_date_picker()
        assert ui.prop("meeting-date", "value") == "03.12.2026", "cancel changes nothing"
        await ui.type("employee-name", "Ida Testesen")
        await ui.type("leader-name", "Ole Leder")
        await ui.tap("start")
        assert ui.route == "/wheel"

    play(scenario)
    vault.unlock(PASSPHRASE)
    (conversation,) = vault.conversations().list()
    vault.lock()
    assert conversation.meeting_date == date(2026, 12, 3)


def test_a_typed_date_is_where_the_calendar_opens(
    play: Callable[..., None], vault: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/conversations/new")
        await ui.type("meeting-date", "7.1.27")
        await ui.tap("meeting-date-calendar")
        assert ui.date_picker().value == date(2027, 1, 7)
        await ui.dismiss_date_picker()
        await ui.type("meeting-date", "ikke en dato")
        await ui.tap("meeting-date-calendar")
        assert ui.date_picker().value == TODAY, "a field that holds no date opens on today"
        await ui.pick_date(date(2027, 1, 8))
        assert ui.prop("meeting-date", "value") == "08.01.2027"
        assert ui.prop("meeting-date", "error") is None, "the picked day is a date"

    play(scenario)


def test_check_in_dates_from_the_calendar(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/follow_up/check-in")
        await ui.tap("check-in-date-calendar")
        picker = ui.date_picker()
        assert picker.last_date == TODAY, "a check-in is never in the future"
        assert picker.value == TODAY
        await ui.pick_date(date(2026, 11, 20))
        assert ui.prop("check-in-date", "value") == "20.11.2026"
        await ui.change("check-in-mini", True)
        await ui.tap("check-in-next-date-calendar")
        picker = ui.date_picker()
        assert picker.first_date == date(2026, 11, 20), "the next one comes after this one"
        assert picker.help_text == da("check_in.next_date")
        await ui.pick_date(date(2027, 5, 24))
        assert ui.prop("check-in-next-date", "value") == "24.05.2027"
        await ui.tap("check-in-save")
        assert ui.route == "/wheel/follow_up"
        assert ui.text_of("check-in-title-check-in-2") == "Mini-MUS 20.11.2026"

    play(scenario, session=with_example)
    (mini,) = read_back(with_example, EXAMPLE_ID).mini_mus
    assert mini.check_in.on == date(2026, 11, 20)
    assert mini.next_date == date(2027, 5, 24)


def test_the_calendar_button_is_named_after_its_field(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    """A screen reader hears which date each calendar opens (two on this screen)."""

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/follow_up/check-in")
        await ui.change("check-in-mini", True)
        names = {
            ui.prop(k, "tooltip") for k in ("check-in-date-calendar", "check-in-next-date-calendar")
        }
        assert names == {
            da("field.date.pick", label=da("check_in.date")),
            da("field.date.pick", label=da("check_in.next_date")),
        }

    play(scenario, session=with_example)


def test_a_picked_day_is_saved_at_once_on_the_process_step(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    """No field to leave: the pick itself saves, as a typed date saves on leaving."""
    record = read_back(with_example, EXAMPLE_ID)
    meeting = record.conversation.meeting_date
    assert meeting is not None

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/process")
        await ui.tap("meeting-date-calendar")
        assert ui.date_picker().value == meeting, "opens on the saved date"
        await ui.pick_date(date(2026, 12, 2))
        assert ui.prop("meeting-date", "value") == "02.12.2026"
        # The other fields' pickers follow the rules of the process plan.
        await ui.tap("prep-shared-by-calendar")
        assert ui.date_picker().last_date == date(2026, 12, 2), "shared before the meeting"
        await ui.dismiss_date_picker()
        await ui.tap("plan-agreed-by-calendar")
        assert ui.date_picker().first_date == date(2026, 12, 2), "agreed after it"
        await ui.dismiss_date_picker()
        n = len(record.process_plan.follow_up_dates)
        await ui.tap(f"follow-up-{n}-calendar")
        assert ui.date_picker().first_date == date(2026, 12, 2), "followed up after it"
        await ui.pick_date(date(2027, 3, 1))
        assert ui.prop(f"follow-up-{n}", "value") == "01.03.2027"

    play(scenario, session=with_example)
    saved = read_back(with_example, EXAMPLE_ID)
    assert saved.conversation.meeting_date == date(2026, 12, 2)
    assert date(2027, 3, 1) in saved.process_plan.follow_up_dates


def test_a_dismissed_picker_saves_nothing(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    before = read_back(with_example, EXAMPLE_ID)

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/process")
        await ui.tap("meeting-date-calendar")
        await ui.dismiss_date_picker()
        assert not ui.dialogs()

    play(scenario, session=with_example)
    assert read_back(with_example, EXAMPLE_ID) == before


def test_a_reminder_is_moved_ahead_with_the_calendar(
    play: Callable[..., None], example_year: VaultSession
) -> None:

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/reminders/example/mini_mus%3A6")
        await ui.tap("reminder-date-calendar")
        assert ui.date_picker().first_date == TODAY, "not into the past"
        await ui.pick_date(date(2027, 2, 1))
        assert ui.prop("reminder-date", "value") == "01.02.2027"
        assert ui.find_all("reminder-pinned"), "a date set by hand stays"

    play(scenario)
    example_year.unlock(PASSPHRASE)
    schedule = example_year.schedules().get(EXAMPLE_ID)
    example_year.lock()
    assert schedule is not None
    (moved,) = [r for r in schedule.reminders if r.id == "mini_mus:6"]
    assert moved.due == date(2027, 2, 1)
