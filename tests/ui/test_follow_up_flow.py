"""Follow-up that actually happens: a due reminder on the home screen, cleared by a
self-review, which then shows on the plan."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from mus import plans
from mus.demo import EXAMPLE_ID, example_bundle
from mus.model import Activity as PlanActivity
from mus.model import ActivityKind, CheckInTarget, Goal, GoalKind, ItemStatus
from mus.reminders import propose_schedule, reconcile
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI
from tests.ui.test_goals import select


@pytest.fixture
def due_in_three_days(vault: VaultSession) -> str:
    """The example, plus an agreed activity due in 3 days: its reminder is due now."""
    today = NOW.date()
    bundle = example_bundle(today)
    record = plans.with_goal(bundle.record, Goal("goal-x", GoalKind.PROFESSIONAL, "Ny opgave"))
    record = plans.with_activity(
        record,
        PlanActivity(
            "act-x", "goal-x", ActivityKind.COURSE, description="Tilmeld kurset i jura",
            when=today + timedelta(days=3),
        ),
    )  # fmt: skip
    vault.unlock(PASSPHRASE)
    vault.conversations().save(record)
    vault.versions().add(bundle.version)
    vault.schedules().save(reconcile(propose_schedule(record, agreed_on=today), record))
    vault.lock()
    return "act-x"


def test_self_review_clears_the_due_reminder(
    play: Callable[..., None], due_in_three_days: str
) -> None:
    key = f"reminder-{EXAMPLE_ID}/activity_deadline:{due_in_three_days}"

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        assert ui.find_all(key), "the deadline reminder is on the home screen"
        assert any("Tilmeld kurset i jura" in text for text in ui.texts())
        badge_before = ui.prop("nav-bar", "destinations")[2].icon.badge
        assert badge_before
        await ui.go("/wheel/follow_up/check-in")
        ident = f"{CheckInTarget.ACTIVITY}-{due_in_three_days}"
        await select(ui, f"check-in-status-{ident}", ItemStatus.UNDER_WAY.value)
        await ui.tap("check-in-save")
        await ui.go("/")
        assert not ui.find_all(key), "the self-review cleared it"
        await ui.go("/plan")
        day = NOW.date().strftime("%d.%m.%Y")
        assert any(text.startswith(f"Selvevaluering {day}") for text in ui.texts())

    play(scenario)


def test_a_reminder_is_the_users_own_snooze_move_done_cancel(
    play: Callable[..., None], due_in_three_days: str, vault: VaultSession
) -> None:
    """Tapping the reminder opens it; snoozing a week takes it off "due", a date
    set by hand is pinned, done and cancel work, and one .ics is handed over."""
    rid = f"activity_deadline:{due_in_three_days}"
    key = f"reminder-{EXAMPLE_ID}/{rid}"
    today = NOW.date()

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.tap(key)
        assert ui.route.startswith("/reminders/")
        assert "Tilmeld kurset i jura" in ui.text_of("reminder-title")
        assert ui.text_of("reminder-status") == "Venter"
        await ui.tap("reminder-snooze-week")
        assert ui.text_of("reminder-status").startswith("Udsat til")
        await ui.go("/")
        assert not ui.find_all(key), "snoozed: not due any more"
        await ui.go("/reminders")
        await ui.tap(key)  # still listed under "coming"
        await ui.type("reminder-date", (today + timedelta(days=20)).strftime("%d.%m.%Y"))
        assert ui.find_all("reminder-pinned")
        await ui.type("reminder-time", "07:30")
        assert "kl. 07:30" in ui.text_of("reminder-when")
        await ui.tap("reminder-ics")
        await ui.wait_for(lambda: any(c.name == "save_file" for c in ui.client.invocations))
        await ui.tap("reminder-done")
        assert ui.text_of("reminder-status").startswith("Gjort")
        await ui.tap("reminder-reopen")
        await ui.tap("reminder-cancel")
        assert ui.text_of("reminder-status") == "Aflyst af dig"
        assert not ui.find_all("reminder-cancel")
        await ui.tap("reminder-restore")
        assert ui.text_of("reminder-status") == "Venter"

    play(scenario)
    vault.unlock(PASSPHRASE)
    schedule = vault.schedules().all()[0]
    r = schedule.reminder(rid)
    assert r is not None
    assert (r.due, r.time, r.pinned, r.cancelled, r.done_on) == (
        today + timedelta(days=20),
        "07:30",
        True,
        False,
        None,
    )


def test_schedule_settings_move_the_reminders_not_set_by_hand(
    play: Callable[..., None], due_in_three_days: str, vault: VaultSession
) -> None:
    rid = f"activity_deadline:{due_in_three_days}"

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/reminders")
        await select(ui, "settings-days-before", "1")
        await ui.wait_for(lambda: ui.prop("settings-days-before", "value") == "1")

    play(scenario)
    vault.unlock(PASSPHRASE)
    schedule = vault.schedules().all()[0]
    r = schedule.reminder(rid)
    assert schedule.settings.days_before_deadline == 1
    assert r is not None and r.due == NOW.date() + timedelta(days=2)
