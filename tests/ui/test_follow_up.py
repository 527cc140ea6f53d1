"""Follow-up (step 8): statuses over the year, the check-in list, a self-review and a mini-MUS."""

from __future__ import annotations

from collections.abc import Callable

from mus.demo import EXAMPLE_ID
from mus.i18n import Translator
from mus.model import CheckInTarget, ItemStatus
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI
from tests.ui.test_goals import ODD, read_back, select

da = Translator("da")
TODAY = NOW.date().strftime("%d.%m.%Y")


def test_follow_up_shows_latest_statuses_and_check_ins(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/follow_up")
        assert ui.text_of("follow-activity-status-activity-1") == "Gennemført"
        assert ui.text_of("follow-activity-status-activity-3") == "I gang"
        assert ui.text_of("follow-goal-status-goal-1") == "I gang"
        # goal-3 was never rated itself: its activities add up to it.
        assert ui.text_of("follow-goal-status-goal-3") == "Ikke startet"
        assert ui.text_of("check-in-title-check-in-1").startswith("Selvevaluering ")
        # Lines in plan order (goal, then its activities), learned/used labelled.
        lines = [
            str(c.key)
            for c in ui.controls()
            if str(getattr(c, "key", "")).startswith("check-in-line-check-in-1-")
        ]
        assert lines[:2] == [
            "check-in-line-check-in-1-goal-goal-1",
            "check-in-line-check-in-1-activity-activity-1",
        ]
        assert "Lært: At lade borgeren selv have hænderne på tastaturet." in ui.texts()
        assert not ui.find_all("check-in-none")

    play(scenario)


def test_self_review_sets_statuses_and_is_saved(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/follow_up")
        await ui.tap("check-in-start")
        assert ui.route == "/wheel/follow_up/check-in"
        assert [v.route for v in ui.views()][-2:] == ["/wheel/follow_up", ui.route]
        assert ui.find("check-in-date").value == TODAY  # type: ignore[attr-defined]
        # Learned/used are asked only once something has happened.
        assert not ui.find_all("check-in-learned-activity-activity-4")
        await select(ui, "check-in-status-activity-activity-4", ItemStatus.DONE.value)
        await ui.change("check-in-learned-activity-activity-4", "Læringsmakker virker")
        await ui.change("check-in-used-activity-activity-4", ODD)
        await select(ui, "check-in-status-goal-goal-3", ItemStatus.DROPPED.value)
        await ui.change("check-in-note-goal-goal-3", "Ikke nu – måske om to år.")
        await ui.change("check-in-overall-note", "Kvartalets selvevaluering 😀")
        # Straight to Save, no blur: what was typed is in the draft already.
        await ui.tap("check-in-save")
        assert ui.route == "/wheel/follow_up"
        assert ui.text_of("follow-activity-status-activity-4") == "Gennemført"
        assert ui.text_of("follow-goal-status-goal-3") == "Droppet"
        assert ui.text_of("check-in-title-check-in-2") == f"Selvevaluering {TODAY}"
        assert ui.text_of("check-in-note-check-in-2") == "Kvartalets selvevaluering 😀"
        # Newest first.
        titles = [
            k
            for k in (str(getattr(c, "key", "")) for c in ui.controls())
            if k.startswith("check-in-title-")
        ]
        assert titles == ["check-in-title-check-in-2", "check-in-title-check-in-1"]

    play(scenario, session=with_example)
    record = read_back(with_example, EXAMPLE_ID)
    latest = record.check_ins[-1]
    assert latest.id == "check-in-2"
    assert latest.on == NOW.date()
    assert latest.note == "Kvartalets selvevaluering 😀"
    by_target = {(i.target, i.target_id): i for i in latest.items}
    assert len(by_target) == len(record.goals) + len(record.activities)
    a4 = by_target[(CheckInTarget.ACTIVITY, "activity-4")]
    assert (a4.status, a4.learned, a4.used_how) == (ItemStatus.DONE, "Læringsmakker virker", ODD)
    g3 = by_target[(CheckInTarget.GOAL, "goal-3")]
    assert (g3.status, g3.note) == (ItemStatus.DROPPED, "Ikke nu – måske om to år.")
    # Untouched items keep their latest status.
    assert by_target[(CheckInTarget.ACTIVITY, "activity-3")].status is ItemStatus.UNDER_WAY


def test_mini_mus_is_saved_with_new_initiatives(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/follow_up")
        await ui.tap("check-in-start")
        assert not ui.find_all("check-in-new-initiatives")
        await ui.change("check-in-mini", True)
        assert ui.find("check-in-save").content == da("check_in.save_mini")  # type: ignore[attr-defined]
        await ui.change("check-in-new-initiatives", "Faste makkermøder hver anden torsdag")
        await ui.change("check-in-next-date", "24.05.2027")
        await ui.change("check-in-date", "20.11.2026")
        await ui.tap("check-in-save")
        assert ui.route == "/wheel/follow_up"
        assert ui.text_of("check-in-title-check-in-2") == "Mini-MUS 20.11.2026"

    play(scenario, session=with_example)
    record = read_back(with_example, EXAMPLE_ID)
    (mini,) = record.mini_mus
    assert mini.new_initiatives == "Faste makkermøder hver anden torsdag"
    assert mini.next_date is not None and mini.next_date.isoformat() == "2027-05-24"
    assert mini.check_in.on.isoformat() == "2026-11-20"
    assert len(record.check_ins) == 1


def test_a_future_date_is_refused(play: Callable[..., None], with_example: VaultSession) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/follow_up/check-in")
        await ui.change("check-in-date", "01.01.2099")
        await ui.tap("check-in-save")
        assert ui.route == "/wheel/follow_up/check-in"
        assert ui.find("check-in-date").error == da("field.check_in.on.future")  # type: ignore[attr-defined]
        await ui.change("check-in-date", "ikke en dato")
        await ui.tap("check-in-save")
        assert ui.find("check-in-date").error == da("field.date.invalid")  # type: ignore[attr-defined]

    play(scenario, session=with_example)
    assert len(read_back(with_example, EXAMPLE_ID).check_ins) == 1


def test_check_in_lives_under_follow_up_only(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals/check-in")
        assert ui.find_all("not-found")
        await ui.go("/wheel/follow_up/check-in")
        assert ui.find_all("check-in-save")

    play(scenario)
