"""Session state the screens read; its methods name the change.

Components never mutate fields directly: they call a method here, and the
observable re-renders whoever read the state. Two observables, so typing a
note re-renders the screen being edited and not the whole app.
"""

from __future__ import annotations

import asyncio
import math
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import TypeVar

import flet as ft

from mus import agreement, plans, reminders
from mus.agreement import AgreedVersion
from mus.autolock import Presence
from mus.demo import EXAMPLE_ID, example_bundle
from mus.errors import VaultError, VaultLocked
from mus.i18n import Translator
from mus.merge import MergeReport
from mus.model import Conversation, ConversationRecord, new_record
from mus.ports import ConversationRepository, PreferencesStore, VaultPort
from mus.questions import default_form
from mus.recovery import LossReport
from mus.reminders import (
    DueReminder,
    ReminderCounts,
    ReminderYear,
    Schedule,
    ScheduleSettings,
)
from mus.wheel import ELEMENTS, STRATEGY, StepState

Clock = Callable[[], datetime]
T = TypeVar("T")
COUNTDOWN_TICK_S = 1.0
_BACKGROUND: set[asyncio.Task[None]] = set()  # asyncio keeps tasks weakly


def utc_now() -> datetime:
    return datetime.now(UTC)


@ft.observable
@dataclass
class EditorState:
    """The conversation being worked on, saved as it changes."""

    repository: ConversationRepository | None = None
    clock: Clock = utc_now
    after_save: Callable[[ConversationRecord], None] | None = None
    record: ConversationRecord | None = None
    saved_at: datetime | None = None
    error_code: str = ""
    revision: int = 0  # counts bumps: a fixed or coarse clock must not swallow one

    def open(self, repository: ConversationRepository, record: ConversationRecord | None) -> None:
        self.repository = repository
        self.record = record
        self.saved_at = None
        self.error_code = ""

    def bump(self) -> None:
        """Re-render readers after a change beside the record (a new agreed version)."""
        self.saved_at = self.clock()
        self.revision += 1

    def close(self) -> None:
        """Forget the decrypted record (on lock)."""
        self.repository = None
        self.record = None
        self.saved_at = None

    def edit(self, change: Callable[[ConversationRecord], ConversationRecord]) -> None:
        """Apply one change and save it durably; a failed save keeps the edit on screen."""
        if self.record is None or self.repository is None:
            return
        updated = change(self.record)
        if updated == self.record:
            return
        now = self.clock()
        updated = updated.touched(now)
        self.record = updated
        try:
            self.repository.save(updated)
        except VaultError as e:
            self.error_code = e.code
            return
        self.error_code = ""
        self.saved_at = now
        if self.after_save is not None:
            self.after_save(updated)

    def state_of(self, element_id: str) -> StepState:
        if self.record is None:
            return StepState.NOT_STARTED
        return plans.step_state(self.record, element_id)

    def states(self) -> dict[str, StepState]:
        return {e.id: self.state_of(e.id) for e in (STRATEGY, *ELEMENTS)}

    def done_count(self) -> int:
        return sum(1 for e in ELEMENTS if self.state_of(e.id) is StepState.DONE)


@ft.observable
@dataclass
class AppState:
    """Language, the vault's lock and the list of conversations."""

    preferences: PreferencesStore
    vault: VaultPort
    editor: EditorState
    clock: Clock = utc_now
    language: str = "da"
    unlocked: bool = False
    busy: bool = False
    error_code: str = ""
    recovery_code: str = ""
    set_aside: str = ""
    """The folder a damaged vault's files were moved into (said with the new code)."""
    recovery: LossReport | None = None
    """Unlocking found the newest state damaged: what recovering would lose."""
    unlock_wait_s: int = 0
    """Whole seconds before the vault lets the next unlock try through (a countdown)."""
    conversations: tuple[Conversation, ...] = field(default_factory=tuple)
    due_reminders: tuple[DueReminder, ...] = field(default_factory=tuple)
    reminder_counts: ReminderCounts = field(default_factory=ReminderCounts)
    upcoming_reminders: tuple[DueReminder, ...] = field(default_factory=tuple)
    reminders_read: int = 0
    """Counts reads of the schedules: screens that read the year when shown render again."""
    width: float = 0.0
    """The page's width (0 until the client has said); wide screens get margins."""

    before_lock: Callable[[], None] | None = None
    """Stops what works on the open vault (sync delivery) before its keys go."""
    presence: Presence = field(default_factory=lambda: Presence(utc_now()))
    """The process's one record of use and connections (every tab shares the vault)."""

    def __post_init__(self) -> None:
        self.editor.after_save = self._after_save

    @property
    def t(self) -> Translator:
        return Translator(self.language)

    def choose_auto_lock(self, minutes: int) -> None:
        self.preferences.save(self.preferences.load().with_auto_lock(minutes))

    def choose_language(self, language: str) -> None:
        """Switch language and remember it for the next start."""
        prefs = self.preferences.load().with_language(language)
        self.preferences.save(prefs)
        self.language = prefs.language

    # ---------------------------------------------------------------- vault

    async def create_vault(self, passphrase: str, *, set_aside: bool = False) -> None:
        """Key derivation takes a moment: run it off the UI thread, show progress.
        ``set_aside``: over a damaged vault, whose files are moved aside first."""
        now = self.clock() if set_aside else None
        ok, code = await self._run_slow(lambda: self.vault.create(passphrase, set_aside=now))
        if ok and code:
            self.set_aside = self.vault.set_aside_folder() or ""
            self.recovery_code = code
            self._after_unlock()

    async def unlock(self, passphrase: str) -> None:
        ok, _ = await self._run_slow(lambda: self.vault.unlock(passphrase))
        self.recovery = None if ok else self.vault.recovery_report()
        if ok:
            self._after_unlock()
        else:
            self.follow_unlock_wait()

    async def unlock_with_recovery_code(self, code: str) -> None:
        ok, _ = await self._run_slow(lambda: self.vault.unlock_with_recovery_code(code))
        self.recovery = None if ok else self.vault.recovery_report()
        if ok:
            self._after_unlock()
        else:
            self.follow_unlock_wait()

    def follow_unlock_wait(self) -> None:
        """After several wrong tries (in any tab: the count is the process's) the
        vault makes the next one wait: count it down here, whole seconds."""
        left = self.vault.unlock_wait()
        if left <= 0 or self.unlock_wait_s > 0:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no page's loop (a plain test): nothing to count with
            return
        self.unlock_wait_s = math.ceil(left)
        task = loop.create_task(self._count_down())
        _BACKGROUND.add(task)
        task.add_done_callback(_BACKGROUND.discard)

    async def _count_down(self) -> None:
        """Asks the vault each tick: another tab's failure can lengthen the wait."""
        while (left := self.vault.unlock_wait()) > 0:
            self.unlock_wait_s = math.ceil(left)
            await asyncio.sleep(min(COUNTDOWN_TICK_S, left))
        self.unlock_wait_s = 0

    async def restore_backup(
        self, backup: bytes, passphrase: str, *, set_aside: bool = False
    ) -> None:
        """A new phone: the backup becomes this phone's vault, opened; its new
        recovery code is shown once, as at creation. ``set_aside``: over a
        damaged vault, whose files are moved aside (after the backup was read)."""
        now = self.clock() if set_aside else None
        ok, code = await self._run_slow(
            lambda: self.vault.restore_backup(backup, passphrase, set_aside=now)
        )
        if ok and code:
            self.set_aside = self.vault.set_aside_folder() or ""
            self.recovery_code = code
            self._after_unlock()

    async def import_data(self, raw: bytes) -> MergeReport | None:
        """Merge an "all my data" file; None (and ``error_code``) when it is refused whole."""
        ok, report = await self._run_slow(lambda: self.vault.import_data(raw))
        if not ok:
            return None
        self.refresh()
        self.refresh_reminders()
        return report

    def recovery_sheet(self) -> tuple[str, bytes]:
        """The code shown now as a one-page PDF to print (fpdf2 loads on first use)."""
        from mus.recovery_sheet import recovery_sheet

        data = recovery_sheet(self.recovery_code, self.t, self.clock())
        return self.t("vault.recovery.file", date=self.today().isoformat()) + ".pdf", data

    def acknowledge_recovery_code(self) -> None:
        """The user has written the code down: it is never shown again."""
        self.recovery_code = ""
        self.set_aside = ""

    async def change_passphrase(self, old: str, new: str) -> bool:
        """A vault from before format 2 gets a new recovery code too: the gate
        shows it once, as at creation."""
        ok, code = await self._run_slow(lambda: self.vault.change_passphrase(old, new))
        if ok and code:
            self.recovery_code = code
        return ok

    async def recover(self) -> None:
        """The user read what would be lost (``recovery``) and chose to recover."""
        ok, _ = await self._run_slow(self.vault.recover)
        if ok:
            self.recovery = None
            self._after_unlock()

    def cancel_recovery(self) -> None:
        self.vault.cancel_recovery()
        self.recovery = None

    async def make_recovery_code(self) -> None:
        """A new code replaces the old one; the gate shows it once, like at creation."""
        ok, code = await self._run_slow(self.vault.new_recovery_code)
        if ok and code:
            self.recovery_code = code

    def data_export(self) -> tuple[str, bytes]:
        """GDPR portability: all my data as JSON (not encrypted: the screen says so)."""
        data = self.vault.export_data(self.preferences.load(), self.clock())
        return f"musling-data-{self.today().isoformat()}.json", data

    async def backup(self, passphrase: str, other: str = "") -> tuple[str, bytes] | None:
        """An encrypted backup for a new phone, under the vault's own passphrase
        or ``other``; the vault's is asked for either way."""
        ok, data = await self._run_slow(lambda: self.vault.export_backup(passphrase, other or None))
        if not ok or data is None:
            return None
        return f"musling-{self.today().isoformat()}.musbackup", data

    def erase_everything(self) -> None:
        """Keys first, then the files; the app starts over at "create a vault"."""
        if self.before_lock is not None:
            self.before_lock()
        self.editor.close()
        self.vault.erase()
        self.conversations = ()
        self.due_reminders = ()
        self.upcoming_reminders = ()
        self.unlocked = False

    def lock(self) -> None:
        """Lock the vault for every tab; each forgets (``forget``) through the
        vault's lock listeners, this one at once."""
        if self.before_lock is not None:
            self.before_lock()
        self.vault.lock()
        self.forget()

    def forget(self) -> None:
        """The vault locked (here, in another tab, or by the auto-lock): drop
        every decrypted record this session holds and show the lock screen."""
        if not self.unlocked and self.editor.record is None:
            return
        if self.before_lock is not None:
            self.before_lock()
        self.editor.close()
        self.conversations = ()
        self.due_reminders = ()
        self.upcoming_reminders = ()
        self.reminder_counts = ReminderCounts()
        self.recovery_code = ""
        self.set_aside = ""
        self.unlocked = False

    async def _run_slow(self, job: Callable[[], T]) -> tuple[bool, T | None]:
        self.busy = True
        self.error_code = ""
        try:
            return True, await asyncio.to_thread(job)
        except VaultError as e:
            self.error_code = e.code
            return False, None
        finally:
            self.busy = False

    def _after_unlock(self) -> None:
        self.presence.user_input(self.clock())
        self.unlocked = True
        self.refresh()
        self.refresh_reminders()
        current = self.conversations[0].id if self.conversations else None
        repo = self.vault.conversations()
        self.editor.open(repo, repo.get(current) if current else None)

    # -------------------------------------------------------- conversations

    def refresh(self) -> None:
        self.conversations = self.vault.conversations().list() if self.unlocked else ()

    def open_conversation(self, conversation_id: str) -> None:
        repo = self.vault.conversations()
        self.editor.open(repo, repo.get(conversation_id))

    def start_conversation(
        self,
        *,
        employee_name: str,
        leader_name: str,
        unit: str,
        meeting_date: date | None,
        meeting_time: str = "",
        meeting_place: str = "",
        carry_forward_from: str | None = None,
    ) -> str:
        """A new conversation, optionally continuing last year's plan."""
        repo = self.vault.conversations()
        now = self.clock()
        new_id = secrets.token_hex(8)
        last = repo.get(carry_forward_from) if carry_forward_from else None
        year = (meeting_date or now.date()).year
        if last is not None:
            record = plans.carry_forward(last, new_id=new_id, now=now, year=year)
        else:
            record = replace(
                new_record(
                    new_id, year=year, employee_name=employee_name, leader_name=leader_name,
                    unit=unit, now=now,
                ),
                form=default_form(first_conversation=not self.conversations),
            )  # fmt: skip
        conversation = replace(
            record.conversation,
            employee_name=employee_name,
            leader_name=leader_name,
            unit=unit,
            meeting_date=meeting_date,
            meeting_time=meeting_time,
            meeting_place=meeting_place,
        )
        record = replace(record, conversation=conversation)
        repo.save(record)
        self.refresh()
        self.editor.open(repo, record)
        return new_id

    def open_example(self) -> None:
        """The fictional example conversation, written into the vault on first use."""
        repo = self.vault.conversations()
        record = repo.get(EXAMPLE_ID)
        if record is None:
            bundle = example_bundle(self.today())
            record = bundle.record
            repo.save(record)
            if self.vault.versions().latest(EXAMPLE_ID) is None:
                self.vault.versions().add(bundle.version)
            self.vault.schedules().save(bundle.schedule)
            self.refresh()
            self.refresh_reminders()
        self.editor.open(repo, record)

    def delete_conversation(self, conversation_id: str) -> ConversationRecord | None:
        """Delete, returning the record so the screen can offer to undo."""
        repo = self.vault.conversations()
        record = repo.get(conversation_id)
        repo.delete(conversation_id)
        if self.editor.record is not None and self.editor.record.id == conversation_id:
            self.editor.open(repo, None)
        self.refresh()
        return record

    def restore_conversation(self, record: ConversationRecord) -> None:
        self.vault.conversations().save(record)
        self.refresh()

    # ------------------------------------------------------------ reminders

    def today(self) -> date:
        return reminders.today_in_copenhagen(self.clock())

    def _reminder_sources(self) -> tuple[tuple[Schedule, ...], dict[str, ConversationRecord]]:
        """Every schedule and the records it is settled against: its own conversation,
        and any conversation carried forward from it (that one ends its year)."""
        schedules = self.vault.schedules().all()
        repo = self.vault.conversations()
        ids = {s.conversation_id for s in schedules}
        wanted = ids | {c.id for c in repo.list() if c.previous_id in ids}
        return schedules, {i: r for i in wanted if (r := repo.get(i)) is not None}

    def _successor(self, conversation_id: str) -> ConversationRecord | None:
        repo = self.vault.conversations()
        later = [c for c in repo.list() if c.previous_id == conversation_id]
        first = min(later, key=lambda c: c.created_at, default=None)
        return None if first is None else repo.get(first.id)

    def refresh_reminders(self) -> None:
        """What is due or coming, over every conversation's schedule."""
        if not self.unlocked:
            return
        schedules, records = self._reminder_sources()
        today = self.today()
        self.due_reminders = reminders.due(schedules, records, today)
        self.reminder_counts = reminders.counts(schedules, records, today)
        self.reminders_read += 1

    def reminder_year(self) -> ReminderYear:
        """Every conversation's year of reminders, for the reminders screen; read when
        shown and never kept, so nothing of it outlives a lock."""
        if not self.unlocked:
            return ReminderYear()
        schedules, records = self._reminder_sources()
        return reminders.year(schedules, records, self.today())

    def settled_schedule(self, conversation_id: str) -> Schedule | None:
        """A schedule as its record says it stands now (a check-in made it done …)."""
        schedule = self.vault.schedules().get(conversation_id)
        record = self.vault.conversations().get(conversation_id)
        if schedule is None or record is None:
            return schedule
        return reminders.settle(schedule, record, successor=self._successor(conversation_id))

    def restore_reminder(self, conversation_id: str, reminder_id: str) -> bool:
        """Undo a cancelled or done reminder (done: the check-in that counted no longer
        does). False when the conversation, schedule or reminder is gone."""
        record = self.vault.conversations().get(conversation_id)
        if record is None:
            return False
        successor = self._successor(conversation_id)
        return self.change_schedule(
            conversation_id,
            lambda s: reminders.restore(s, record, reminder_id, successor=successor),
        )

    def calendar_file(self) -> bytes:
        """Every reminder as an .ics file the phone's own calendar imports (and updates)."""
        from mus import calendar  # icalendar costs ~60 ms to import: only when exporting

        return calendar.schedule_ics(self.vault.schedules().all(), self.language, self.clock())

    def schedule(self, conversation_id: str) -> Schedule | None:
        return self.vault.schedules().get(conversation_id)

    def change_schedule(self, conversation_id: str, change: Callable[[Schedule], Schedule]) -> bool:
        """The user's edit of a schedule (a date, a snooze, done, cancelled, its
        numbers); saved at once, and what is due recomputed. False when there is
        no such schedule or reminder any more."""
        schedules = self.vault.schedules()
        schedule = schedules.get(conversation_id)
        if schedule is None:
            return False
        try:
            changed = change(schedule)
        except KeyError:
            return False
        if changed != schedule:
            schedules.save(changed)
            self.refresh_reminders()
        return True

    def change_schedule_settings(self, conversation_id: str, settings: ScheduleSettings) -> bool:
        """New numbers (days before a deadline, time of day): the reminders not set
        by hand move to them."""
        record = self.vault.conversations().get(conversation_id)
        if record is None:
            return False
        return self.change_schedule(
            conversation_id, lambda s: reminders.with_settings(s, record, settings)
        )

    def reminder_calendar_file(self, conversation_id: str, reminder_id: str) -> bytes | None:
        """One reminder as an .ics file (same UID as in the full file: no duplicate)."""
        from mus import calendar

        schedule = self.vault.schedules().get(conversation_id)
        if schedule is None or schedule.reminder(reminder_id) is None:
            return None
        return calendar.single_ics(schedule, reminder_id, self.language, self.clock())

    def _after_save(self, record: ConversationRecord) -> None:
        """Keep the follow-up schedule in line with the plan as it is edited."""
        if not self.unlocked:
            return
        schedules = self.vault.schedules()
        schedule = schedules.get(record.id)
        if schedule is None:
            return
        updated = reminders.reconcile(schedule, record)
        if updated != schedule:
            schedules.save(updated)
            self.refresh_reminders()

    # ------------------------------------------------------ agreement, PDF

    def versions(self) -> tuple[AgreedVersion, ...]:
        record = self.editor.record
        if record is None or not self.unlocked:
            return ()
        return self.vault.versions().for_conversation(record.id)

    def agree(
        self,
        employee_typed: str,
        leader_typed: str,
        confirmed: tuple[agreement.Confirmation, ...] = (),
    ) -> agreement.AgreeResult:
        """Both confirm at the table: freeze this version and propose the follow-up schedule.

        Nothing is frozen while the result lists problems or ``unconfirmed`` items
        (a name unlike the plan's, a meeting far from today): the screen asks.
        """
        record = self.editor.record
        if record is None:
            return agreement.AgreeResult(None)
        versions = self.vault.versions()
        now = self.clock()
        result = agreement.agree(
            record,
            employee_typed,
            leader_typed,
            now,
            previous=versions.latest(record.id),
            confirmed=confirmed,
        )
        if result.version is None:
            return result
        versions.add(result.version)
        schedules = self.vault.schedules()
        schedule = schedules.get(record.id)
        if schedule is None:
            schedule = reminders.propose_schedule(record, agreed_on=self.today())
        schedules.save(reminders.reconcile(schedule, record))
        self.refresh_reminders()
        self.editor.bump()
        return result

    def build_pdf(
        self, kind: str, *, include_private: bool = False, password: str = ""
    ) -> tuple[str, bytes]:
        """The plan or summary as PDF bytes: the agreed version if nothing changed since,
        else a draft of the record. Slow-ish (0.1 s): call it off the UI thread."""
        from mus import pdf, report  # fpdf2 costs ~0.25 s to import: not at start-up

        record = self.editor.record
        if record is None:
            raise VaultLocked()
        latest = self.vault.versions().latest(record.id)
        source: ConversationRecord | AgreedVersion = record
        if latest is not None and not agreement.changed_since(record, latest):
            source = latest
        t = self.t
        if kind == "mini_mus" and record.mini_mus:
            latest_mini = max(record.mini_mus, key=lambda m: m.check_in.on)
            doc = report.mini_mus_report(record, latest_mini, t)
        elif kind == "summary":
            doc = report.summary_report(
                source, t, include_private_notes=include_private, preparation=record.preparation
            )
        else:
            doc = report.plan_report(source, t)
        data = pdf.render(doc, created=self.clock(), password=password or None)
        c = record.conversation
        status = (
            t("plan.file.version", n=source.version)
            if isinstance(source, AgreedVersion)
            else t("plan.file.draft")
        )
        name = t(f"plan.file.{kind}", year=c.year, name=c.employee_name, status=status)
        return safe_file_name(name) + ".pdf", data


def safe_file_name(name: str) -> str:
    """No path separators or control characters; the rest as the user wrote it."""
    cleaned = "".join(" " if (ch in '/\\:*?"<>|' or ord(ch) < 32) else ch for ch in name)
    return " ".join(cleaned.split())[:120] or "musling"
