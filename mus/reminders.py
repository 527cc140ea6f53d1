"""The follow-up rhythm: what is due, given the plans, their schedules, follow-ups and today.

Nothing happening after MUS is the commonest complaint, so when a plan is agreed
the app proposes a schedule the employee owns and may edit. Pure: no clock, no
I/O; ``today`` is always passed in (use :func:`today_in_copenhagen`).

The rules (``ScheduleSettings`` holds the numbers)
--------------------------------------------------
* **Self-review** every quarter: +3 and +9 months from the meeting date. At
  +6 months the **mini-MUS** replaces the self-review (one follow-up, with the
  leader, not two in the same week); a mini-MUS's check-in also counts as a
  self-review. If ``mini_mus_after_months`` is not a multiple of the quarter,
  both exist. Month arithmetic clamps to the month's last day
  (30 Nov + 3 months = 28/29 Feb; 29 Feb 2028 + 3 months = 29 May 2028).
  When the process plan lists agreed follow-up dates
  (``ProcessPlan.follow_up_dates``), the agreed date nearest a quarter's
  computed date (within half a quarter) is used instead: what was agreed wins.
* **Activity deadline**: ``days_before_deadline`` calendar days before
  ``Activity.when`` ("find the course, sign up, apply for funding").
* **Activity follow-up**: ``days_before_follow_up`` days before
  ``Activity.follow_up_when`` (0: on the day).
* **Prepare for next MUS**: ``weeks_before_next_mus`` weeks before the expected
  date a year on (meeting + 12 months, clamped: 29 Feb 2028 → 28 Feb 2029).
* **Weekends**: lead times count calendar days, but a computed reminder that
  lands on a Saturday or Sunday moves to the Friday before. Dates the user
  agreed or set by hand are never moved.
* No reminder is proposed before the plan was agreed: a computed date before
  ``agreed_on`` becomes ``agreed_on`` (unless the source itself lies before it).

What clears or stops a reminder
-------------------------------
A reminder is *open* until it is done (``done_on``), cancelled by the user
(``cancelled``, sticky) or stopped by the record (``stopped``, recomputed by
:func:`reconcile`, so un-dropping a goal brings its reminders back).

* A check-in (own or mini-MUS) dated on or after a self-review's date, or up to
  ``check_in_grace_days`` before it, marks it done ("doing the self-review
  clears it"); a check-in after a missed quarter clears that one too.
* A mini-MUS record clears the mini-MUS reminder the same way.
* A check-in that finds an activity under way or done clears its deadline
  reminder (the course is booked); one that says what was learned or how it is
  used (``note``, ``learned`` or ``used_how``) clears its follow-up reminder.
* An activity deleted or without its date → stopped (``SOURCE_REMOVED``); an
  activity or its goal dropped at the latest check-in → stopped (``DROPPED``).
* A newer conversation carried forward from this one (``previous_id``) →
  the recurring reminders stop (``REPLACED``), "prepare for next MUS" is done on
  the day it was created, and activity reminders dated on or before the new
  meeting stop as well (the new MUS opens with follow-up on the old plan); activity
  reminders after it keep running (a course agreed for next spring).

Revisions (the calendar's SEQUENCE)
-----------------------------------
Each reminder carries a ``revision``; every function here that changes what a
calendar would show (date, time, text, cancelled) bumps it by one, and nothing
else does. So exporting twice gives the same UIDs, the changed reminders a
higher SEQUENCE and the unchanged ones the same, and a calendar updates
instead of duplicating. A reminder set by hand is ``pinned``: :func:`reconcile`
keeps its date and time, and shifts it by as many days as its source moves.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from mus.i18n import Translator
from mus.model import (
    Activity,
    CheckIn,
    CheckInItem,
    CheckInTarget,
    ConversationRecord,
    ItemStatus,
)

#: The app's time zone: reminders are at a local time of day, whatever the UTC offset.
TZ_NAME = "Europe/Copenhagen"
#: Babel locales for the app's languages: Danish dates the standard way ("24. november 2026").
LOCALES: Mapping[str, str] = {"da": "da_DK", "en": "en_DK"}
#: Longest activity text shown in a reminder's title.
MAX_ACTIVITY_CHARS = 60


class ReminderKind(enum.StrEnum):
    SELF_REVIEW = "self_review"
    MINI_MUS = "mini_mus"
    ACTIVITY_DEADLINE = "activity_deadline"
    ACTIVITY_FOLLOW_UP = "activity_follow_up"
    PREPARE_NEXT_MUS = "prepare_next_mus"


#: Kinds that belong to the plan's year as a whole: a new plan stops them (and
#: counts as having prepared for it).
RECURRING: frozenset[ReminderKind] = frozenset(
    {ReminderKind.SELF_REVIEW, ReminderKind.MINI_MUS, ReminderKind.PREPARE_NEXT_MUS}
)
ACTIVITY_KINDS: frozenset[ReminderKind] = frozenset(
    {ReminderKind.ACTIVITY_DEADLINE, ReminderKind.ACTIVITY_FOLLOW_UP}
)
#: Order in lists when two reminders fall on the same day.
_KIND_ORDER = {k: i for i, k in enumerate(ReminderKind)}


class StopReason(enum.StrEnum):
    """Why the record stopped a reminder (recomputed by :func:`reconcile`)."""

    SOURCE_REMOVED = "source_removed"  # the activity was deleted or its date cleared
    DROPPED = "dropped"  # the activity or its goal was dropped at the latest check-in
    REPLACED = "replaced"  # a newer plan was carried forward from this one


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    """The numbers behind a proposed schedule; the user may change them."""

    quarter_months: int = 3
    """Months between self-reviews."""
    mini_mus_after_months: int = 6
    """Months from the meeting to the mini-MUS (replaces the self-review that month)."""
    days_before_deadline: int = 7
    """Calendar days between a deadline reminder and the activity's date."""
    days_before_follow_up: int = 0
    """Calendar days between a follow-up reminder and the activity's follow-up date."""
    weeks_before_next_mus: int = 3
    """Weeks between "prepare for next MUS" and the expected date a year on."""
    time_of_day: str = "09:00"
    """Local time (Europe/Copenhagen) of every reminder, "HH:MM"."""
    alarm_minutes_before: int = 0
    """The calendar alarm's lead before the reminder's time."""
    check_in_grace_days: int = 14
    """A check-in this many days early still counts for a self-review or mini-MUS."""

    def __post_init__(self) -> None:
        _check_time(self.time_of_day)
        numbers = (
            self.days_before_deadline,
            self.days_before_follow_up,
            self.weeks_before_next_mus,
            self.alarm_minutes_before,
            self.check_in_grace_days,
        )
        if self.quarter_months < 1 or self.mini_mus_after_months < 1 or min(numbers) < 0:
            raise ValueError("schedule settings must be positive")


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    """One reminder of a schedule. ``id`` is its rule id, stable across edits:
    ``self_review:3``, ``mini_mus:6``, ``prepare_next_mus``,
    ``activity_deadline:<activity id>``, ``activity_follow_up:<activity id>``.
    """

    id: str
    kind: ReminderKind
    due: date
    time: str = "09:00"  # local "HH:MM"
    target_id: str = ""  # the activity, for activity kinds
    title_key: str = ""
    params: tuple[tuple[str, str], ...] = ()  # e.g. (("activity", "Kursus i …"),)
    anchor: date | None = None  # the date the rule counts from (deadline, expected MUS …)
    revision: int = 0
    done_on: date | None = None
    snoozed_until: date | None = None
    cancelled: bool = False  # by the user; only the user undoes it
    stopped: StopReason | None = None  # by the record; recomputed by reconcile
    pinned: bool = False  # date/time set by hand; reconcile keeps them
    reopened_after: date | None = None
    """Reopened by the user ("not done after all"): what the record holds up to this
    day (check-ins, a mini-MUS, a new plan) no longer counts as doing it."""

    @property
    def on(self) -> date:
        """The day it shows: the planned date, or later when snoozed."""
        s = self.snoozed_until
        return s if s is not None and s > self.due else self.due

    @property
    def is_open(self) -> bool:
        return self.done_on is None and not self.cancelled and self.stopped is None

    @property
    def kwargs(self) -> dict[str, str]:
        return dict(self.params)


@dataclass(frozen=True, slots=True)
class Schedule:
    """The editable follow-up schedule of one conversation's plan."""

    conversation_id: str
    agreed_on: date
    settings: ScheduleSettings = field(default_factory=ScheduleSettings)
    reminders: tuple[PlannedReminder, ...] = ()

    def reminder(self, reminder_id: str) -> PlannedReminder | None:
        return next((r for r in self.reminders if r.id == reminder_id), None)


@dataclass(frozen=True, slots=True)
class DueReminder:
    """An open reminder on or after its day, for the home screen and the list."""

    conversation_id: str
    reminder: PlannedReminder
    on: date
    days_overdue: int  # 0 when due today; negative for upcoming ones

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True, slots=True)
class ReminderCounts:
    """For the nav badge and the home screen."""

    overdue: int = 0
    due_today: int = 0
    upcoming: int = 0

    @property
    def badge(self) -> int:
        """What needs doing now: due today plus overdue."""
        return self.overdue + self.due_today


@dataclass(frozen=True, slots=True)
class ReminderText:
    title: str
    body: str
    when: str  # the day, formatted for the language ("24. november 2026")


# ---------------------------------------------------------------- dates


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    last = (next_first - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def weekday_or_friday_before(day: date) -> date:
    """Saturday and Sunday move to the Friday before; other days stay."""
    return day - timedelta(days=max(0, day.weekday() - 4))


@cache
def copenhagen() -> ZoneInfo:
    """Europe/Copenhagen, loaded on first use (keeps the app's start-up light)."""
    return ZoneInfo(TZ_NAME)


def today_in_copenhagen(now: datetime) -> date:
    """Today's date in Denmark for an aware ``now`` (a phone may sit in another zone)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(copenhagen()).date()


def starts_at(reminder: PlannedReminder) -> datetime:
    """The reminder's moment: its day at its local time in Europe/Copenhagen."""
    hours, minutes = _check_time(reminder.time)
    return datetime.combine(reminder.on, time(hours, minutes), tzinfo=copenhagen())


def format_day(day: date, language: str) -> str:
    """A date the standard way for the language, via Babel: "24. november 2026"."""
    from babel.dates import format_date  # only when texts are shown: a slow import

    return format_date(day, format="long", locale=LOCALES.get(language, LOCALES["da"]))


def _check_time(text: str) -> tuple[int, int]:
    hours, sep, minutes = text.partition(":")
    ok = sep and len(hours) == 2 and len(minutes) == 2 and hours.isdigit() and minutes.isdigit()
    if not ok or int(hours) > 23 or int(minutes) > 59:
        raise ValueError(f"time of day must be HH:MM, not {text!r}")
    return int(hours), int(minutes)


# ---------------------------------------------------------------- proposing


def meeting_day(record: ConversationRecord, agreed_on: date | None = None) -> date | None:
    """The date the year counts from: the meeting, else the day the plan was agreed."""
    return record.conversation.meeting_date or agreed_on or record.process_plan.plan_agreed_by


def _agreed(record: ConversationRecord) -> date | None:
    return record.process_plan.plan_agreed_by or record.conversation.meeting_date


def _title_key(kind: ReminderKind) -> str:
    return f"reminder.{kind.value}.title"


def _make(
    kind: ReminderKind,
    rule: str,
    due: date,
    anchor: date,
    settings: ScheduleSettings,
    *,
    activity: Activity | None = None,
) -> PlannedReminder:
    return PlannedReminder(
        id=f"{kind.value}:{rule}" if rule else kind.value,
        kind=kind,
        due=due,
        time=settings.time_of_day,
        target_id=activity.id if activity else "",
        title_key=_title_key(kind),
        params=(("activity", activity.description.strip()),) if activity else (),
        anchor=anchor,
    )


def _rules(
    record: ConversationRecord, settings: ScheduleSettings, agreed_on: date
) -> Iterator[PlannedReminder]:
    """The reminders the rules give for the record as it is now (all open, revision 0)."""

    def computed(day: date, anchor: date) -> date:
        day = weekday_or_friday_before(day)
        return agreed_on if day < agreed_on <= anchor else day

    start = meeting_day(record, agreed_on)
    if start is not None:
        agreed_dates = sorted(d for d in record.process_plan.follow_up_dates if d > start)
        window = timedelta(days=settings.quarter_months * 30 // 2)
        used: set[date] = set()
        months = sorted(
            {m for m in range(settings.quarter_months, 12, settings.quarter_months)}
            | {settings.mini_mus_after_months}
        )
        for month in months:
            kind = (
                ReminderKind.MINI_MUS
                if month == settings.mini_mus_after_months
                else ReminderKind.SELF_REVIEW
            )
            target = add_months(start, month)
            near = [d for d in agreed_dates if abs(d - target) <= window and d not in used]
            if near:
                chosen = min(near, key=lambda d: (abs(d - target), d))
                used.add(chosen)
                yield _make(kind, str(month), chosen, chosen, settings)
            else:
                yield _make(kind, str(month), computed(target, target), target, settings)
        expected = add_months(start, 12)
        lead = timedelta(weeks=settings.weeks_before_next_mus)
        prepare = computed(expected - lead, expected)
        yield _make(ReminderKind.PREPARE_NEXT_MUS, "", prepare, expected, settings)
    for a in record.activities:
        if a.when is not None:
            day = a.when - timedelta(days=settings.days_before_deadline)
            yield _make(
                ReminderKind.ACTIVITY_DEADLINE,
                a.id,
                computed(day, a.when),
                a.when,
                settings,
                activity=a,
            )
        if a.follow_up_when is not None:
            day = a.follow_up_when - timedelta(days=settings.days_before_follow_up)
            due = computed(day, a.follow_up_when)
            yield _make(
                ReminderKind.ACTIVITY_FOLLOW_UP, a.id, due, a.follow_up_when, settings, activity=a
            )


def propose_schedule(
    record: ConversationRecord,
    settings: ScheduleSettings | None = None,
    agreed_on: date | None = None,
) -> Schedule:
    """The schedule proposed when a plan is agreed (``agreed_on``: default the
    process plan's date, else the meeting's), already settled against the record's
    check-ins. ``ValueError`` when there is no date to count from."""
    settings = settings or ScheduleSettings()
    agreed_on = agreed_on or _agreed(record)
    if agreed_on is None:
        raise ValueError("a schedule needs the meeting date or the day the plan was agreed")
    schedule = Schedule(record.id, agreed_on, settings)
    return reconcile(schedule, record)


# ---------------------------------------------------------------- facts and settling


@dataclass(slots=True)
class _Facts:
    """What the record says about its reminders, computed once per record."""

    activities: dict[str, Activity]
    activity_status: dict[str, ItemStatus]
    goal_status: dict[str, ItemStatus]
    check_ins: tuple[CheckIn, ...]  # oldest first, own and mini-MUS
    mini_mus_days: tuple[date, ...]  # oldest first
    successor_started: date | None
    successor_meeting: date | None

    @classmethod
    def of(cls, record: ConversationRecord, successor: ConversationRecord | None) -> _Facts:
        activity_status: dict[str, ItemStatus] = {}
        goal_status: dict[str, ItemStatus] = {}
        check_ins = record.all_check_ins()
        for check_in in check_ins:
            for item in check_in.items:
                into = activity_status if item.target is CheckInTarget.ACTIVITY else goal_status
                into[item.target_id] = item.status
        started = meeting = None
        if successor is not None:
            created = successor.conversation.created_at
            started = created.date() if created.tzinfo is None else today_in_copenhagen(created)
            meeting = successor.conversation.meeting_date
        return cls(
            activities={a.id: a for a in record.activities},
            activity_status=activity_status,
            goal_status=goal_status,
            check_ins=check_ins,
            mini_mus_days=tuple(sorted(m.check_in.on for m in record.mini_mus)),
            successor_started=started,
            successor_meeting=meeting,
        )


def _stop_reason(r: PlannedReminder, facts: _Facts) -> StopReason | None:
    if r.kind in ACTIVITY_KINDS:
        activity = facts.activities.get(r.target_id)
        if activity is None:
            return StopReason.SOURCE_REMOVED
        dropped = ItemStatus.DROPPED
        if (
            facts.activity_status.get(activity.id) is dropped
            or facts.goal_status.get(activity.goal_id) is dropped
        ):
            return StopReason.DROPPED
        if facts.successor_meeting is not None and r.due <= facts.successor_meeting:
            return StopReason.REPLACED
        return None
    if r.kind is not ReminderKind.PREPARE_NEXT_MUS and facts.successor_started is not None:
        return StopReason.REPLACED
    return None


def _item_for(check_in: CheckIn, r: PlannedReminder) -> CheckInItem | None:
    return next(
        (
            i
            for i in check_in.items
            if i.target is CheckInTarget.ACTIVITY and i.target_id == r.target_id
        ),
        None,
    )


def _counts(r: PlannedReminder, day: date) -> bool:
    """Whether something the record holds from ``day`` may count for ``r`` (not when
    the user reopened ``r`` after it)."""
    return r.reopened_after is None or day > r.reopened_after


def _clears(r: PlannedReminder, check_in: CheckIn, grace: int, *, mini_mus: bool) -> bool:
    """Whether this check-in (held at a mini-MUS or not) does what ``r`` asks for."""
    if not _counts(r, check_in.on):
        return False
    early_enough = check_in.on >= r.due - timedelta(days=grace)
    if r.kind is ReminderKind.SELF_REVIEW:
        return early_enough
    if r.kind is ReminderKind.MINI_MUS:
        return mini_mus and early_enough
    if r.kind is ReminderKind.ACTIVITY_DEADLINE:
        item = _item_for(check_in, r)
        return item is not None and item.status in {ItemStatus.UNDER_WAY, ItemStatus.DONE}
    if r.kind is ReminderKind.ACTIVITY_FOLLOW_UP:
        item = _item_for(check_in, r)
        said = item is not None and any(t.strip() for t in (item.note, item.learned, item.used_how))
        return early_enough and said
    return False


def _verdict(
    r: PlannedReminder, facts: _Facts, settings: ScheduleSettings
) -> tuple[date | None, StopReason | None]:
    """For a reminder not done or cancelled: the day the record says it was done,
    else why the record stops it (``(None, None)``: still open)."""
    grace = settings.check_in_grace_days
    done_on: date | None = None
    if r.kind is ReminderKind.PREPARE_NEXT_MUS:
        started = facts.successor_started
        done_on = started if started is not None and _counts(r, started) else None
    elif r.kind is ReminderKind.MINI_MUS:
        early = r.due - timedelta(days=grace)
        done_on = next((d for d in facts.mini_mus_days if d >= early and _counts(r, d)), None)
    else:
        done_on = next(
            (c.on for c in facts.check_ins if _clears(r, c, grace, mini_mus=False)), None
        )
    if done_on is not None:
        return done_on, None
    return None, _stop_reason(r, facts)


def _settle(r: PlannedReminder, facts: _Facts, settings: ScheduleSettings) -> PlannedReminder:
    """``r`` with what the record's follow-ups say: done, stopped, or open."""
    if r.done_on is not None or r.cancelled:
        return r
    done_on, stopped = _verdict(r, facts, settings)
    if done_on is not None:
        return replace(r, done_on=done_on, stopped=None)
    return r if stopped is r.stopped else replace(r, stopped=stopped)


def calendar_status(r: PlannedReminder) -> str:
    """CANCELLED for a reminder nobody needs any more (cancelled, stopped, or done
    before its day), else CONFIRMED; a done reminder on or after its day stays as history."""
    early = r.done_on is not None and r.done_on < r.on
    return "CANCELLED" if r.cancelled or r.stopped is not None or early else "CONFIRMED"


def _fingerprint(r: PlannedReminder) -> tuple[object, ...]:
    """What a calendar shows of a reminder; a change here bumps the revision."""
    return (r.on, r.time, r.title_key, r.params, r.anchor, calendar_status(r))


def _in_order(reminders: Iterable[PlannedReminder]) -> tuple[PlannedReminder, ...]:
    """A schedule's canonical order: by day, kind, id (so equal schedules compare equal)."""
    return tuple(sorted(reminders, key=lambda r: (r.due, _KIND_ORDER[r.kind], r.id)))


def _revise(old: PlannedReminder, new: PlannedReminder) -> PlannedReminder:
    if _fingerprint(old) == _fingerprint(new):
        return replace(new, revision=old.revision)
    return replace(new, revision=old.revision + 1)


def _follow(old: PlannedReminder, rule: PlannedReminder) -> PlannedReminder:
    """``old`` moved to where the rule now puts it (a pinned one shifts with its source)."""
    moved = replace(old, kind=rule.kind, title_key=rule.title_key, params=rule.params)
    if not old.pinned:
        return replace(moved, due=rule.due, time=rule.time, anchor=rule.anchor)
    if old.anchor is None or rule.anchor is None or old.anchor == rule.anchor:
        return replace(moved, anchor=rule.anchor)
    return replace(moved, due=old.due + (rule.anchor - old.anchor), anchor=rule.anchor)


def reconcile(
    schedule: Schedule,
    record: ConversationRecord,
    *,
    successor: ConversationRecord | None = None,
) -> Schedule:
    """The schedule brought in line with the record (and the plan that replaced it).

    Deadlines moved → their reminders move (revision +1); activities added → new
    reminders; activities deleted or dropped, goals dropped, the plan replaced →
    stopped; check-ins and mini-MUS records → done. Idempotent. Call it whenever
    the record or the schedule is saved.
    """
    if record.id != schedule.conversation_id:
        raise ValueError("the schedule belongs to another conversation")
    facts = _Facts.of(record, successor)
    settings = schedule.settings
    wanted = {r.id: r for r in _rules(record, settings, schedule.agreed_on)}
    out: list[PlannedReminder] = []
    for old in schedule.reminders:
        rule = wanted.pop(old.id, None)
        new = _follow(old, rule) if rule is not None else old
        new = _settle(new, facts, settings)
        if rule is None and new.is_open:
            new = replace(new, stopped=StopReason.SOURCE_REMOVED)
        out.append(_revise(old, new))
    out.extend(_settle(r, facts, settings) for r in wanted.values())
    return replace(schedule, reminders=_in_order(out))


def complete_by_check_in(
    schedule: Schedule, check_in: CheckIn, *, mini_mus: bool = False
) -> Schedule:
    """Mark done what this check-in does: the self-reviews due by then (or within the
    grace days after it), the deadlines of activities found under way or done, the
    follow-ups of activities it says something about; a mini-MUS's check-in also
    clears the mini-MUS. :func:`reconcile` applies every check-in of a record."""
    grace = schedule.settings.check_in_grace_days

    def apply(r: PlannedReminder) -> PlannedReminder:
        if not r.is_open or not _clears(r, check_in, grace, mini_mus=mini_mus):
            return r
        return _revise(r, replace(r, done_on=check_in.on))

    return replace(schedule, reminders=tuple(apply(r) for r in schedule.reminders))


# ---------------------------------------------------------------- editing by the user


def _edit(schedule: Schedule, reminder_id: str, **changes: object) -> Schedule:
    old = schedule.reminder(reminder_id)
    if old is None:
        raise KeyError(reminder_id)
    new = _revise(old, replace(old, **changes))  # type: ignore[arg-type]
    return replace(
        schedule, reminders=_in_order(new if r.id == reminder_id else r for r in schedule.reminders)
    )


def edit_schedule(
    schedule: Schedule,
    reminder_id: str,
    *,
    due: date | None = None,
    time_of_day: str | None = None,
    cancelled: bool | None = None,
) -> Schedule:
    """The user's edit of one reminder. A new date or time pins it (reconcile keeps
    it, shifting it only when its source moves) and clears any snooze; the revision
    goes up when the calendar would show something new. ``KeyError`` for an unknown id."""
    changes: dict[str, object] = {}
    if due is not None:
        changes |= {"due": due, "pinned": True, "snoozed_until": None}
    if time_of_day is not None:
        _check_time(time_of_day)
        changes |= {"time": time_of_day, "pinned": True}
    if cancelled is not None:
        changes["cancelled"] = cancelled
    return _edit(schedule, reminder_id, **changes)


def mark_done(schedule: Schedule, reminder_id: str, on: date | None) -> Schedule:
    """Done on a day (``None`` reopens it)."""
    return _edit(schedule, reminder_id, done_on=on)


def snooze(schedule: Schedule, reminder_id: str, until: date | None) -> Schedule:
    """Show it again on ``until`` (``None`` ends the snooze)."""
    return _edit(schedule, reminder_id, snoozed_until=until)


def with_settings(
    schedule: Schedule, record: ConversationRecord, settings: ScheduleSettings
) -> Schedule:
    """New numbers for the schedule: the reminders not set by hand move to them."""
    return reconcile(replace(schedule, settings=settings), record)


def restore(
    schedule: Schedule,
    record: ConversationRecord,
    reminder_id: str,
    *,
    successor: ConversationRecord | None = None,
) -> Schedule:
    """Undo a closing: a cancelled reminder comes back, a done one is open again.

    "Not done after all" has to stick: when the record (a check-in, a mini-MUS,
    the next plan) is what made it done, that no longer counts, while what the
    record gets from a later day does. A reminder the record stopped (a dropped
    goal) is left as it is: undoing the drop brings it back. ``KeyError`` for
    an unknown id, ``ValueError`` for another conversation's record.
    """
    if record.id != schedule.conversation_id:
        raise ValueError("the schedule belongs to another conversation")
    old = schedule.reminder(reminder_id)
    if old is None:
        raise KeyError(reminder_id)
    if old.cancelled:
        return _edit(schedule, reminder_id, cancelled=False)
    if old.done_on is None:
        return schedule
    facts = _Facts.of(record, successor)
    opened = replace(old, done_on=None)
    # Each day found is later than the last, and the record holds finitely many.
    while (day := _verdict(opened, facts, schedule.settings)[0]) is not None:
        opened = replace(opened, reopened_after=day)
    return _edit(schedule, reminder_id, done_on=None, reopened_after=opened.reopened_after)


def settle(
    schedule: Schedule, record: ConversationRecord, *, successor: ConversationRecord | None = None
) -> Schedule:
    """The schedule as its record says it stands now (done, stopped or open), without
    :func:`reconcile`'s new rules and moves: what a screen shows between saves."""
    if record.id != schedule.conversation_id:
        raise ValueError("the schedule belongs to another conversation")
    facts = _Facts.of(record, successor)
    settled = tuple(_settle(r, facts, schedule.settings) for r in schedule.reminders)
    return replace(schedule, reminders=settled)


# ---------------------------------------------------------------- what is due


def successors(records: Iterable[ConversationRecord]) -> dict[str, ConversationRecord]:
    """For each conversation id, the first-created conversation carried forward from it."""
    found: dict[str, ConversationRecord] = {}
    for r in records:
        prev = r.conversation.previous_id
        if prev and (
            prev not in found or r.conversation.created_at < found[prev].conversation.created_at
        ):
            found[prev] = r
    return found


def _index(
    records: Iterable[ConversationRecord] | Mapping[str, ConversationRecord],
) -> tuple[Mapping[str, ConversationRecord], dict[str, ConversationRecord]]:
    by_id = records if isinstance(records, Mapping) else {r.id: r for r in records}
    return by_id, successors(by_id.values())


def _open_between(
    schedules: Iterable[Schedule],
    records: Iterable[ConversationRecord] | Mapping[str, ConversationRecord],
    first: date | None,
    last: date,
) -> Iterator[tuple[Schedule, PlannedReminder]]:
    """Open reminders with ``first <= on <= last``, settled against their record.

    Quick for a large vault: a schedule is looked at closely (its record's
    facts computed) only when a stored-open reminder falls in the window.
    Reminders of a conversation that no longer exists are left out.
    """
    by_id, after = _index(records)
    for schedule in schedules:
        hits = [
            r
            for r in schedule.reminders
            if r.done_on is None
            and not r.cancelled
            and r.stopped is None
            and r.on <= last
            and (first is None or r.on >= first)
        ]
        if not hits:
            continue
        record = by_id.get(schedule.conversation_id)
        if record is None:
            continue
        facts = _Facts.of(record, after.get(record.id))
        for r in hits:
            if _verdict(r, facts, schedule.settings) == (None, None):
                yield schedule, r


def _order(item: DueReminder) -> tuple[date, int, str, str]:
    r = item.reminder
    return (item.on, _KIND_ORDER[r.kind], item.conversation_id, r.id)


def due(
    schedules: Iterable[Schedule],
    records: Iterable[ConversationRecord] | Mapping[str, ConversationRecord],
    today: date,
) -> tuple[DueReminder, ...]:
    """Open reminders due today or overdue, oldest first.

    Follow-ups, drops and replaced plans count even before the schedule was
    reconciled (they are read from ``records``); moved dates, new activities and
    reminders that come back need :func:`reconcile`.
    """
    found = (
        DueReminder(s.conversation_id, r, r.on, (today - r.on).days)
        for s, r in _open_between(schedules, records, None, today)
    )
    return tuple(sorted(found, key=_order))


def upcoming(
    schedules: Iterable[Schedule],
    records: Iterable[ConversationRecord] | Mapping[str, ConversationRecord],
    today: date,
    days: int = 30,
) -> tuple[DueReminder, ...]:
    """Open reminders after today and at most ``days`` ahead, soonest first."""
    first, last = today + timedelta(days=1), today + timedelta(days=days)
    found = (
        DueReminder(s.conversation_id, r, r.on, (today - r.on).days)
        for s, r in _open_between(schedules, records, first, last)
    )
    return tuple(sorted(found, key=_order))


def counts(
    schedules: Iterable[Schedule],
    records: Iterable[ConversationRecord] | Mapping[str, ConversationRecord],
    today: date,
    upcoming_days: int = 14,
) -> ReminderCounts:
    """Overdue, due today and coming within ``upcoming_days``: the nav badge's numbers."""
    overdue = due_today = coming = 0
    last = today + timedelta(days=upcoming_days)
    for _, r in _open_between(schedules, records, None, last):
        if r.on < today:
            overdue += 1
        elif r.on == today:
            due_today += 1
        else:
            coming += 1
    return ReminderCounts(overdue, due_today, coming)


# ---------------------------------------------------------------- the year in view


class EntryState(enum.StrEnum):
    """Where one reminder of the year stands, as the list shows it."""

    OVERDUE = "overdue"
    DUE_TODAY = "due_today"
    UPCOMING = "upcoming"
    DONE = "done"
    CANCELLED = "cancelled"  # by the user
    STOPPED = "stopped"  # by the record (a dropped goal or activity)


CLOSED_STATES: frozenset[EntryState] = frozenset(
    {EntryState.DONE, EntryState.CANCELLED, EntryState.STOPPED}
)
#: What the user can undo from the list; a stop is undone where it came from.
RESTORABLE_STATES: frozenset[EntryState] = frozenset({EntryState.DONE, EntryState.CANCELLED})
#: Stops the year leaves out: the activity is gone, or the year is over.
_HIDDEN_STOPS: frozenset[StopReason] = frozenset({StopReason.SOURCE_REMOVED, StopReason.REPLACED})


def entry_state(r: PlannedReminder, today: date) -> EntryState:
    """A reminder's state on ``today``; cancelled wins over done (both undo the same way)."""
    if r.cancelled:
        return EntryState.CANCELLED
    if r.done_on is not None:
        return EntryState.DONE
    if r.stopped is not None:
        return EntryState.STOPPED
    if r.on < today:
        return EntryState.OVERDUE
    return EntryState.DUE_TODAY if r.on == today else EntryState.UPCOMING


@dataclass(frozen=True, slots=True)
class YearEntry:
    """One reminder of the year, settled against its record, as of ``today``."""

    conversation_id: str
    reminder: PlannedReminder
    today: date

    @property
    def state(self) -> EntryState:
        return entry_state(self.reminder, self.today)

    @property
    def on(self) -> date:
        return self.reminder.on

    @property
    def closed(self) -> bool:
        return self.state in CLOSED_STATES

    @property
    def restorable(self) -> bool:
        return self.state in RESTORABLE_STATES

    @property
    def as_due(self) -> DueReminder:
        return DueReminder(
            self.conversation_id, self.reminder, self.on, (self.today - self.on).days
        )

    @classmethod
    def of_due(cls, item: DueReminder) -> YearEntry:
        """The entry of a due reminder, as of the day it was found due."""
        today = item.on + timedelta(days=item.days_overdue)
        return cls(item.conversation_id, item.reminder, today)


@dataclass(frozen=True, slots=True)
class MonthGroup:
    """The coming reminders of one month (``month``: its first day)."""

    month: date
    entries: tuple[YearEntry, ...]


@dataclass(frozen=True, slots=True)
class ReminderYear:
    """Every conversation's year of follow-up, in the order the list shows it."""

    now: tuple[YearEntry, ...] = ()
    """Open and due today or overdue, oldest first: what to do now."""
    coming: tuple[MonthGroup, ...] = ()
    """Open and after today, by month, soonest first."""
    closed: tuple[YearEntry, ...] = ()
    """Done, cancelled, or stopped by a drop, in the year's order: greyed, restorable."""

    @property
    def entries(self) -> tuple[YearEntry, ...]:
        return (*self.now, *(e for g in self.coming for e in g.entries), *self.closed)

    @property
    def conversation_ids(self) -> frozenset[str]:
        return frozenset(e.conversation_id for e in self.entries)

    def entry(self, conversation_id: str, reminder_id: str) -> YearEntry | None:
        return next(
            (
                e
                for e in self.entries
                if e.conversation_id == conversation_id and e.reminder.id == reminder_id
            ),
            None,
        )


def _entry_order(e: YearEntry) -> tuple[date, int, str, str]:
    r = e.reminder
    return (e.on, _KIND_ORDER[r.kind], e.conversation_id, r.id)


def year(
    schedules: Iterable[Schedule],
    records: Iterable[ConversationRecord] | Mapping[str, ConversationRecord],
    today: date,
) -> ReminderYear:
    """The whole year of every schedule: each self-review, the mini-MUS, each
    activity's deadline and follow-up and "prepare next MUS", settled against the
    records (as :func:`due` does).

    A conversation carried forward into a newer one has had its year: only its
    reminders still open are shown (a course agreed for next spring). Stops that
    mean the thing is gone (a deleted activity) are left out; a dropped goal's
    stay, greyed, so the user sees why. Conversations that no longer exist are
    left out.
    """
    by_id, after = _index(records)
    found: list[YearEntry] = []
    for schedule in schedules:
        record = by_id.get(schedule.conversation_id)
        if record is None:
            continue
        successor = after.get(record.id)
        if successor is not None and not any(r.is_open for r in schedule.reminders):
            continue  # its year is over and nothing of it was left open: no facts needed
        for r in settle(schedule, record, successor=successor).reminders:
            e = YearEntry(schedule.conversation_id, r, today)
            gone = e.state is EntryState.STOPPED and r.stopped in _HIDDEN_STOPS
            if gone or (e.closed and successor is not None):
                continue
            found.append(e)
    found.sort(key=_entry_order)
    months: dict[date, list[YearEntry]] = {}
    for e in found:
        if e.state is EntryState.UPCOMING:
            months.setdefault(e.on.replace(day=1), []).append(e)
    return ReminderYear(
        now=tuple(e for e in found if e.state in {EntryState.OVERDUE, EntryState.DUE_TODAY}),
        coming=tuple(MonthGroup(m, tuple(es)) for m, es in months.items()),
        closed=tuple(e for e in found if e.closed),
    )


# ---------------------------------------------------------------- texts


def _activity_text(
    r: PlannedReminder, translator: Translator, include: bool, limit: int = MAX_ACTIVITY_CHARS
) -> str:
    text = " ".join(r.kwargs.get("activity", "").split())
    if not include or not text:
        return translator("reminder.activity.generic")
    if limit and len(text) > limit:
        cut = text[: limit - 1]
        words = cut.rsplit(" ", 1)[0] if " " in cut else cut
        text = words.rstrip(" ,;:.–-") + "…"
    return text


def reminder_text(
    reminder: PlannedReminder,
    language: str = "da",
    *,
    include_activity_text: bool = True,
    activity_chars: int = MAX_ACTIVITY_CHARS,
) -> ReminderText:
    """Title and body in the language; no names or notes, only the activity's short
    description (left out with ``include_activity_text=False``; cut to
    ``activity_chars``, 0: whole, as the reminder's own screen shows it)."""
    t = Translator(language)
    anchor = reminder.anchor or reminder.due
    params = {
        "activity": _activity_text(reminder, t, include_activity_text, activity_chars),
        "date": format_day(anchor, language),
    }
    kind = reminder.kind.value
    return ReminderText(
        title=t(reminder.title_key or _title_key(reminder.kind), **params),
        body=t(f"reminder.{kind}.body", **params),
        when=format_day(reminder.on, language),
    )


def relative_day(item: DueReminder, language: str = "da") -> str:
    """ "I dag", "3 dage over tiden", "Om 5 dage" …"""
    t = Translator(language)
    n = item.days_overdue
    if n == 0:
        return t("reminder.due_today")
    if n > 0:
        return t("reminder.overdue.one") if n == 1 else t("reminder.overdue.other", days=n)
    return t("reminder.in_days.one") if n == -1 else t("reminder.in_days.other", days=-n)


def kind_key(kind: ReminderKind) -> str:
    """The catalog key naming what a reminder is ("Kvartalsvis selvevaluering", "Mini-MUS …")."""
    return f"reminder.kind.{kind.value}"


def entry_title(reminder: PlannedReminder, language: str = "da") -> str:
    """What the year's list calls an entry: the activity (its short description) for
    an activity's deadline or follow-up, whose kind is said beside it; else the kind."""
    t = Translator(language)
    if reminder.kind in ACTIVITY_KINDS:
        return _activity_text(reminder, t, include=True)
    return t(kind_key(reminder.kind))


def entry_name(reminder: PlannedReminder, language: str = "da") -> str:
    """The entry in one phrase, kind first: "Frist for aktivitet – Kursus i …"."""
    t = Translator(language)
    if reminder.kind in ACTIVITY_KINDS:
        return f"{t(kind_key(reminder.kind))} – {entry_title(reminder, language)}"
    return t(kind_key(reminder.kind))


def state_text(entry: YearEntry, language: str = "da") -> str:
    """Where an entry stands, in words: "Om 5 dage", "Gjort 30. oktober 2026", "Aflyst af dig" …"""
    t = Translator(language)
    r = entry.reminder
    state = entry.state
    if state is EntryState.CANCELLED:
        return t("reminder.state.cancelled")
    if state is EntryState.DONE and r.done_on is not None:
        return t("reminder.state.done", day=format_day(r.done_on, language))
    if state is EntryState.STOPPED and r.stopped is not None:
        return t(f"reminder.stopped.{r.stopped.value}")
    return relative_day(entry.as_due, language)


def format_month(day: date, language: str) -> str:
    """A month as a heading: "Januar 2027", "January 2027"."""
    from babel.dates import format_skeleton

    text = format_skeleton("yMMMM", day, locale=LOCALES.get(language, LOCALES["da"]))
    return text[:1].upper() + text[1:]


#: Every catalog key this module and mus.calendar use.
REMINDER_KEYS: frozenset[str] = frozenset(
    {
        *(f"reminder.{k.value}.{part}" for k in ReminderKind for part in ("title", "body")),
        *(f"reminder.kind.{k.value}" for k in ReminderKind),
        *(f"reminder.stopped.{s.value}" for s in StopReason),
        "reminder.state.done",
        "reminder.state.cancelled",
        "reminder.activity.generic",
        "reminder.due_today",
        "reminder.overdue.one",
        "reminder.overdue.other",
        "reminder.in_days.one",
        "reminder.in_days.other",
        "reminder.calendar.name",
        "reminder.calendar.description",
    }
)
