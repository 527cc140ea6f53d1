"""The agreed version of a plan: a frozen snapshot, who agreed when, and its fingerprint.

After the meeting both people keep the same written plan and summary. Each
confirms by typing their name; :func:`agree` freezes what they agreed to as an
:class:`AgreedVersion`. Later edits make a new version (the caller keeps the
old ones); the version's content never changes.

The **fingerprint** is the first 16 hex digits of SHA-256 over
:func:`canonical_plan`: canonical JSON (sorted keys, no whitespace, UTF-8) of
the agreed content, every text cleaned the way the PDF shows it
(:func:`clean_text`: NFC, control and format characters removed, ends
stripped). No export time, no agreement time and no version number go in, so
re-exporting a version prints the same fingerprint, and two copies whose
fingerprints match show the same agreed content. The content is the
development plan, the unit, the strategy entries the goals link to, the next
check-in dates and the shared summary (topics, what was said, shared
preparation notes, feedback, evaluation). Private preparation notes are never
part of it.

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
from mus.plans import Problem, Severity, build_plan
from mus.questions import entries

#: Bumped if the canonical form ever changes, so old fingerprints stay explainable.
CANONICAL_FORMAT = "musling-agreed/1"
FINGERPRINT_DIGITS = 16

#: Every catalog key a problem from :func:`agreement_problems` can carry.
AGREEMENT_PROBLEM_KEYS: frozenset[str] = frozenset(
    {
        "pdf.agreement.employee_typed.required",
        "pdf.agreement.leader_typed.required",
        "pdf.agreement.employee_typed.mismatch",
        "pdf.agreement.leader_typed.mismatch",
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
class AgreedContent:
    """What both agree to and keep: the plan and the shared summary."""

    plan: DevelopmentPlan
    unit: str = ""
    strategy_items: tuple[StrategyEntry, ...] = ()
    follow_up_dates: tuple[date, ...] = ()
    summary: SummaryContent = dataclasses.field(default_factory=SummaryContent)


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
    """The new version, or ``None`` when an error blocks it; hints never block."""

    version: AgreedVersion | None
    problems: tuple[Problem, ...] = ()


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
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
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


def agreement_problems(
    record: ConversationRecord, employee_typed: str, leader_typed: str
) -> tuple[Problem, ...]:
    """Errors (a name not typed) block agreeing; a name unlike the record's is a hint."""
    c = record.conversation
    problems: list[Problem] = []
    for who, typed, name in (
        ("employee_typed", employee_typed, c.employee_name),
        ("leader_typed", leader_typed, c.leader_name),
    ):
        field = f"agreement.{who}"
        if not clean_text(typed):
            problems.append(Problem(field, f"pdf.{field}.required"))
        elif not same_name(typed, name):
            problems.append(Problem(field, f"pdf.{field}.mismatch", severity=Severity.HINT))
    return tuple(problems)


def agree(
    record: ConversationRecord,
    employee_typed: str,
    leader_typed: str,
    now: datetime,
    *,
    previous: AgreedVersion | None = None,
) -> AgreeResult:
    """Freeze the record's plan and summary as the next agreed version.

    Both names must be typed; what was typed is kept (cleaned), and a name that
    does not match the record's (ignoring case and spacing) gives a hint only,
    since people type nicknames and middle names. ``previous`` is the latest
    agreed version, if any: the new one gets the next number.
    """
    problems = agreement_problems(record, employee_typed, leader_typed)
    if any(p.severity is Severity.ERROR for p in problems):
        return AgreeResult(None, problems)
    content = snapshot(record)
    number = 1 if previous is None else previous.version + 1
    agreement = Agreement(
        fingerprint=fingerprint(content),
        employee_typed=clean_text(employee_typed),
        leader_typed=clean_text(leader_typed),
        agreed_at=now,
        version=number,
    )
    return AgreeResult(AgreedVersion(number, content, agreement), problems)


def changed_since(record: ConversationRecord, version: AgreedVersion | None) -> bool:
    """Whether the record's content differs from the agreed version (so a PDF is a draft)."""
    return version is None or fingerprint(snapshot(record)) != version.fingerprint
