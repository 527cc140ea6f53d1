"""The agreed version of a plan: a frozen snapshot, who agreed when, and its fingerprint.

After the meeting both people keep the same written plan and summary. Each
confirms by typing their name; :func:`agree` freezes what they agreed to as an
:class:`AgreedVersion`. Later edits make a new version (the caller keeps the
old ones); the version's content never changes.

Nothing is frozen by surprise. A typed name unlike the plan's person, or a
meeting more than :data:`DATE_GAP_DAYS` days from the day of agreeing, is a
:class:`Confirmation` that both must give explicitly (``confirmed=``) before
:func:`agree` freezes anything. :func:`blocked_reason` says why agreeing is not
possible right now (a name missing, or this exact version already agreed), so
a disabled button always has its reason. Names typed wrong can be corrected
after agreeing: the same content with other names becomes the next version,
and :func:`history` marks the old one as replaced (it stays stored).

The **fingerprint** is the first 16 hex digits of SHA-256 over
:func:`canonical_plan`: canonical JSON (sorted keys, no whitespace, UTF-8) of
the agreed content, every text cleaned the way the PDF shows it
(:func:`clean_text`: NFC, control and format characters removed, ends
stripped). No export time, no agreement time and no version number go in, so
re-exporting a version prints the same fingerprint, and two copies whose
fingerprints match show the same agreed content. The content is the
development plan, the unit, the strategy entries the goals link to, the next
check-in dates, the shared summary (topics, what was said, shared
preparation notes, feedback, evaluation) and the course wishes the employee
put in the plan (title, price, time). Private preparation notes are never
part of it.

A field added to the content later is left out of the canonical form while
it holds its default (:data:`ADDED_LATER`), so a version agreed before the
field existed keeps the fingerprint it was agreed with.

Everything here is pure and codec-friendly: frozen dataclasses of ``str``,
``int``, ``date``, ``datetime``, ``StrEnum``, tuples and nested dataclasses.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import re
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from mus.model import (
    ConversationRecord,
    DevelopmentPlan,
    Evaluation,
    Feedback,
    MiniMus,
    Party,
)
from mus.plans import Problem, build_plan
from mus.questions import entries
from mus.reminders import today_in_copenhagen

#: Bumped if the canonical form ever changes, so old fingerprints stay explainable.
CANONICAL_FORMAT = "musling-agreed/1"
FINGERPRINT_DIGITS = 16

#: Field metadata of content added after ``musling-agreed/1`` was first used:
#: such a field is hashed only when it differs from its default.
ADDED_LATER = "added_later"

#: Days the meeting and the day of agreeing may lie apart before both are asked.
DATE_GAP_DAYS = 7

#: Every catalog key a problem from :func:`agreement_problems`, :func:`agree`
#: or :func:`blocked_reason` can carry.
AGREEMENT_PROBLEM_KEYS: frozenset[str] = frozenset(
    {
        "pdf.agreement.employee_typed.required",
        "pdf.agreement.leader_typed.required",
        "agree.blocked.names",
        "agree.blocked.agreed",
        "agree.blocked.same_names",
    }
)


# ---------------------------------------------------------------- text


_DROP_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_KEEP = frozenset({"\n", "\t"})
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_LINE_ENDS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def clean_text(text: str) -> str:
    """Text as a PDF may show it: NFC, ``\\n`` line breaks, no control characters.

    Removed: control characters (C0, C1, DEL), format characters (zero-width
    joiners, bidi overrides, soft hyphens, BOM), surrogates, private-use and
    unassigned code points, variation selectors. Runs of spaces and tabs become
    one space, lines lose trailing spaces, and the ends are stripped. Right-to-
    left letters are kept as they are.
    """
    text = _LINE_ENDS.sub("\n", unicodedata.normalize("NFC", text))
    kept = "".join(
        c
        for c in text
        if c in _KEEP
        or (
            unicodedata.category(c) not in _DROP_CATEGORIES
            and not ("\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef")
        )
    )
    lines = (_SPACES.sub(" ", line).strip() for line in kept.split("\n"))
    return "\n".join(lines).strip()


def same_name(typed: str, name: str) -> bool:
    """Whether a typed name is the recorded one, ignoring case and spacing."""

    def key(s: str) -> str:
        return " ".join(clean_text(s).casefold().split())

    return key(typed) == key(name)


# ---------------------------------------------------------------- the snapshot


@dataclass(frozen=True, slots=True)
class AgreedTopic:
    """One chosen question of the form, with its wording frozen in both languages."""

    question_id: str
    text_da: str
    text_en: str
    said: str = ""
    covered: bool = False

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_da


@dataclass(frozen=True, slots=True)
class SharedNote:
    """A preparation note the employee chose to share with the leader."""

    question_id: str
    text_da: str
    text_en: str
    note: str

    def text(self, language: str) -> str:
        return self.text_en if language == "en" else self.text_da


@dataclass(frozen=True, slots=True)
class SummaryContent:
    """The shared meeting summary (referat): when, the topics, feedback, evaluation."""

    meeting_date: date | None = None
    meeting_time: str = ""
    meeting_place: str = ""
    summary_writer: Party | None = None
    topics: tuple[AgreedTopic, ...] = ()
    shared_notes: tuple[SharedNote, ...] = ()
    summary: str = ""
    feedback: Feedback = dataclasses.field(default_factory=Feedback)
    evaluation: Evaluation = dataclasses.field(default_factory=Evaluation)


@dataclass(frozen=True, slots=True)
class StrategyEntry:
    """A strategy entry a goal links to, frozen with its kind and text."""

    id: str
    kind: str  # StrategyKind value; kept as text so an old version never fails to load
    text: str


@dataclass(frozen=True, slots=True)
class PlannedCourse:
    """A course wish put in the plan: what it is, its price and the time it takes."""

    id: str
    title: str
    cost: str = ""
    time_needed: str = ""
    own_time: str = ""


@dataclass(frozen=True, slots=True)
class AgreedContent:
    """What both agree to and keep: the plan and the shared summary."""

    plan: DevelopmentPlan
    unit: str = ""
    strategy_items: tuple[StrategyEntry, ...] = ()
    follow_up_dates: tuple[date, ...] = ()
    summary: SummaryContent = dataclasses.field(default_factory=SummaryContent)
    course_wishes: tuple[PlannedCourse, ...] = dataclasses.field(
        default=(), metadata={ADDED_LATER: True}
    )


@dataclass(frozen=True, slots=True)
class Agreement:
    """Who agreed when: both names as typed (cleaned), and the content's fingerprint."""

    fingerprint: str
    employee_typed: str
    leader_typed: str
    agreed_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class AgreedVersion:
    """A frozen, agreed snapshot; later edits make a new version, never change this one."""

    version: int
    content: AgreedContent
    agreement: Agreement

    @property
    def fingerprint(self) -> str:
        return self.agreement.fingerprint

    @property
    def plan(self) -> DevelopmentPlan:
        return self.content.plan


@dataclass(frozen=True, slots=True)
class AgreeResult:
    """The new version; or ``None`` with the errors that block it, or with what
    still needs an explicit confirmation (``unconfirmed``)."""

    version: AgreedVersion | None
    problems: tuple[Problem, ...] = ()
    unconfirmed: tuple[Confirmation, ...] = ()


def snapshot(record: ConversationRecord) -> AgreedContent:
    """The content that would be agreed now (also what a draft PDF shows)."""
    plan = build_plan(record)
    linked = {sid for g in plan.goals for sid in g.strategy_item_ids}
    c = record.conversation
    form_entries = entries(record.form)
    by_id = {e.id: e for e in form_entries}
    topics = tuple(
        AgreedTopic(
            e.id,
            e.da,
            e.en,
            said=(note.said if (note := record.meeting_notes.topic(e.id)) else ""),
            covered=bool(note and note.covered),
        )
        for e in form_entries
    )
    shared = tuple(
        SharedNote(
            n.question_id,
            by_id[n.question_id].da if n.question_id in by_id else "",
            by_id[n.question_id].en if n.question_id in by_id else "",
            n.text,
        )
        for n in record.preparation.shared_notes()
        if n.text.strip()
    )
    return AgreedContent(
        plan=plan,
        unit=c.unit,
        strategy_items=tuple(
            StrategyEntry(s.id, s.kind.value, s.text)
            for s in record.strategy_items
            if s.id in linked
        ),
        follow_up_dates=tuple(sorted(record.process_plan.follow_up_dates)),
        summary=SummaryContent(
            meeting_date=c.meeting_date,
            meeting_time=c.meeting_time,
            meeting_place=c.meeting_place,
            summary_writer=record.process_plan.summary_writer,
            topics=topics,
            shared_notes=shared,
            summary=record.meeting_notes.summary,
            feedback=record.feedback,
            evaluation=record.evaluation,
        ),
        course_wishes=tuple(
            PlannedCourse(w.id, w.title, w.cost, w.time_needed, w.own_time)
            for w in record.preparation.course_wishes
            if w.in_plan
        ),
    )


# ---------------------------------------------------------------- fingerprint


def _plain(value: object) -> object:
    """A JSON-ready value: dataclasses as dicts, tuples as lists, dates as ISO text."""
    if isinstance(value, str):  # StrEnum included: its value is the text
        return clean_text(value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _plain(value.value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not (f.metadata.get(ADDED_LATER) and getattr(value, f.name) == f.default)
        }
    raise TypeError(f"not canonical: {type(value).__name__}")


def canonical_plan(content: AgreedContent | MiniMus | DevelopmentPlan) -> bytes:
    """Canonical JSON of the agreed content: sorted keys, NFC text, no export time."""
    body = {"format": CANONICAL_FORMAT, "kind": type(content).__name__, "content": _plain(content)}
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def fingerprint(content: AgreedContent | MiniMus | DevelopmentPlan) -> str:
    """The first 16 hex digits (lower case) of SHA-256 over :func:`canonical_plan`."""
    return hashlib.sha256(canonical_plan(content)).hexdigest()[:FINGERPRINT_DIGITS]


def group_fingerprint(value: str) -> str:
    """``3f2a9c1b0d4e7a88`` as ``3f2a 9c1b 0d4e 7a88``: easier to compare by eye."""
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4))


# ---------------------------------------------------------------- agreeing


class Check(enum.StrEnum):
    """What both are asked to confirm before an unusual agreement is frozen."""

    EMPLOYEE_NAME = "employee_name"
    LEADER_NAME = "leader_name"
    MEETING_DATE = "meeting_date"


@dataclass(frozen=True, slots=True)
class Confirmation:
    """One thing to confirm, with what the question shows: typed vs the plan's name,
    or the meeting's date vs the day of agreeing. Confirming one value never
    confirms another (they are compared whole)."""

    check: Check
    typed: str = ""
    expected: str = ""
    meeting_date: date | None = None
    agreed_on: date | None = None

    @property
    def days(self) -> int:
        """Days from the meeting to the day of agreeing (negative: before the meeting)."""
        if self.meeting_date is None or self.agreed_on is None:
            return 0
        return (self.agreed_on - self.meeting_date).days


def agreement_problems(
    record: ConversationRecord, employee_typed: str, leader_typed: str
) -> tuple[Problem, ...]:
    """Errors that block agreeing: a name not typed. (A name unlike the record's
    is a :class:`Confirmation`, asked before freezing; see :func:`confirmations`.)"""
    problems: list[Problem] = []
    for who, typed in (("employee_typed", employee_typed), ("leader_typed", leader_typed)):
        field = f"agreement.{who}"
        if not clean_text(typed):
            problems.append(Problem(field, f"pdf.{field}.required"))
    return tuple(problems)


def confirmations(
    record: ConversationRecord, employee_typed: str, leader_typed: str, agreed_on: date
) -> tuple[Confirmation, ...]:
    """What must be confirmed explicitly before :func:`agree` freezes anything.

    A typed name that is not the plan's person's (ignoring case and spacing):
    people type nicknames, initials or a typo, and a version frozen with a
    wrong name is one nobody meant. A meeting more than :data:`DATE_GAP_DAYS`
    days before or after the day of agreeing: often the meeting date was never
    updated. A name not typed at all is an error, not a question.
    """
    c = record.conversation
    asks: list[Confirmation] = []
    for check, typed, name in (
        (Check.EMPLOYEE_NAME, employee_typed, c.employee_name),
        (Check.LEADER_NAME, leader_typed, c.leader_name),
    ):
        if clean_text(typed) and not same_name(typed, name):
            asks.append(Confirmation(check, typed=clean_text(typed), expected=clean_text(name)))
    if c.meeting_date is not None and abs((agreed_on - c.meeting_date).days) > DATE_GAP_DAYS:
        asks.append(
            Confirmation(Check.MEETING_DATE, meeting_date=c.meeting_date, agreed_on=agreed_on)
        )
    return tuple(asks)


def blocked_reason(
    record: ConversationRecord,
    previous: AgreedVersion | None,
    employee_typed: str,
    leader_typed: str,
) -> Problem | None:
    """Why agreeing is not possible now, or ``None`` when it is.

    With the content unchanged since ``previous`` (the latest agreed version),
    the only new version possible is one with corrected names: both names
    typed, and not exactly the ones already agreed.
    """
    employee, leader = clean_text(employee_typed), clean_text(leader_typed)
    if previous is not None and not changed_since(record, previous):
        params: tuple[tuple[str, int | str], ...] = (
            ("n", previous.version),
            ("next", previous.version + 1),
        )
        if not employee and not leader:
            return Problem("agreement", "agree.blocked.agreed", params=params)
        a = previous.agreement
        if (employee, leader) == (a.employee_typed, a.leader_typed):
            return Problem("agreement", "agree.blocked.same_names", params=params)
    if not employee and not leader:
        return Problem("agreement", "agree.blocked.names")
    errors = agreement_problems(record, employee_typed, leader_typed)
    return errors[0] if errors else None


def agree(
    record: ConversationRecord,
    employee_typed: str,
    leader_typed: str,
    now: datetime,
    *,
    previous: AgreedVersion | None = None,
    confirmed: Collection[Confirmation] = (),
) -> AgreeResult:
    """Freeze the record's plan and summary as the next agreed version.

    Both names must be typed, and what was typed is kept (cleaned). Every
    :func:`confirmations` item for these names and this day (Copenhagen) must
    be in ``confirmed``; otherwise nothing is frozen and the result lists the
    ones missing. ``previous`` is the latest agreed version, if any: the new one
    gets the next number. The same content with exactly the same names is not a
    new version (:func:`blocked_reason`).
    """
    errors = agreement_problems(record, employee_typed, leader_typed)
    if errors:
        return AgreeResult(None, errors)
    blocked = blocked_reason(record, previous, employee_typed, leader_typed)
    if blocked is not None:
        return AgreeResult(None, (blocked,))
    asks = confirmations(record, employee_typed, leader_typed, today_in_copenhagen(now))
    missing = tuple(c for c in asks if c not in confirmed)
    if missing:
        return AgreeResult(None, unconfirmed=missing)
    content = snapshot(record)
    number = 1 if previous is None else previous.version + 1
    agreement = Agreement(
        fingerprint=fingerprint(content),
        employee_typed=clean_text(employee_typed),
        leader_typed=clean_text(leader_typed),
        agreed_at=now,
        version=number,
    )
    return AgreeResult(AgreedVersion(number, content, agreement))


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """An agreed version as the history shows it: still valid, or replaced and why."""

    version: AgreedVersion
    replaced_by: int | None = None
    names_only: bool = False  # replaced by the same content with corrected names


def history(versions: Sequence[AgreedVersion]) -> tuple[HistoryEntry, ...]:
    """Every version, oldest first; each but the newest is replaced by the next one.

    Derived, never stored: a version's record never changes once agreed, and
    vaults agreed before this existed get the same marks.
    """
    ordered = sorted(versions, key=lambda v: v.version)
    out: list[HistoryEntry] = []
    for i, v in enumerate(ordered):
        nxt = ordered[i + 1] if i + 1 < len(ordered) else None
        out.append(
            HistoryEntry(
                v,
                replaced_by=nxt.version if nxt else None,
                names_only=nxt is not None and nxt.fingerprint == v.fingerprint,
            )
        )
    return tuple(out)


def changed_since(record: ConversationRecord, version: AgreedVersion | None) -> bool:
    """Whether the record's content differs from the agreed version (so a PDF is a draft)."""
    return version is None or fingerprint(snapshot(record)) != version.fingerprint
