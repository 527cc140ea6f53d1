"""What a PDF shows, as plain data: the plan, the summary (referat) and a mini-MUS.

Pure: no fpdf here (``mus.pdf`` turns a :class:`Report` into bytes). Every
label comes from the catalogs (``pdf.*`` keys, plus the enum keys the screens
use), every text is cleaned with :func:`mus.agreement.clean_text`, and dates
are formatted here with the catalog's month names, so the renderer only lays
out strings.

A report built from a :class:`~mus.model.ConversationRecord` is a **draft**
(marked ``UDKAST`` on every page); one built from an
:class:`~mus.agreement.AgreedVersion` shows who agreed when. Both print the
content's fingerprint in the footer of every page.

For checking a PDF against a stored version, :func:`report_lines` lists every
text of a report in reading order, :func:`missing_text` says which of them a
PDF's extracted page texts lack, and :func:`extract_fingerprint` finds the
printed fingerprint.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from mus.agreement import (
    AgreedContent,
    AgreedTopic,
    AgreedVersion,
    Agreement,
    PlannedCourse,
    clean_text,
    fingerprint,
    group_fingerprint,
    snapshot,
)
from mus.i18n import LANGUAGES, Translator, catalog
from mus.model import (
    Activity,
    CheckInTarget,
    ConversationRecord,
    DevelopmentPlan,
    GoalKind,
    MiniMus,
    Preparation,
    Responsible,
    enum_key,
)

CREATOR = "Musling"

#: How the reports lay their content out. 1: activity owners by role word, every
#: topic of the summary under its own heading; 2 (issue 11): owners by the plan's
#: names, topics without notes listed in one line, course wishes put in the plan.
#: A PDF exported by an older Musling still verifies against the edition it was
#: made with (``pdf verify`` tries each), so an older edition is never removed.
EDITION = 2
EDITIONS = (2, 1)

# ---------------------------------------------------------------- the data


class ReportKind(enum.StrEnum):
    PLAN = "plan"
    SUMMARY = "summary"
    MINI_MUS = "mini_mus"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Running text; ``muted`` for "nothing written yet" and other quiet notes."""

    text: str
    muted: bool = False


@dataclass(frozen=True, slots=True)
class Field:
    label: str
    value: str
    muted: bool = False  # the value is a placeholder ("Ikke udfyldt")


@dataclass(frozen=True, slots=True)
class Fields:
    """Label–value pairs: labels in a narrow left column, or above (``stacked``)
    when they are long, like question texts."""

    rows: tuple[Field, ...]
    stacked: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose heading row repeats on every page it runs over.

    ``widths`` are relative column widths, one per heading.
    """

    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[str, ...]


Block = Paragraph | Fields | Table | Bullets


@dataclass(frozen=True, slots=True)
class Section:
    """A heading (an outline entry at ``level``: 0, 1 or 2) and what follows it."""

    title: str
    blocks: tuple[Block, ...] = ()
    level: int = 0


@dataclass(frozen=True, slots=True)
class Metadata:
    """The PDF's document information; ``language`` is a BCP 47 tag."""

    title: str
    author: str
    subject: str
    keywords: str
    language: str
    creator: str = CREATOR


@dataclass(frozen=True, slots=True)
class Report:
    """A whole document; ``page_label`` holds ``{page}`` and ``{pages}`` for the renderer."""

    kind: ReportKind
    title: str
    subtitle: str
    header: str  # on every page: the title and the people
    sections: tuple[Section, ...]
    fingerprint: str  # 16 hex digits
    footer: str  # on every page: the printed fingerprint (and version or draft)
    page_label: str
    draft: bool
    draft_mark: str
    metadata: Metadata
    version: int | None = None


# ---------------------------------------------------------------- dates


def format_date(day: date, t: Translator, *, short: bool = False) -> str:
    """``24. november 2026`` (long) or ``24.11.2026`` (short, for tables)."""
    if short:
        return t("pdf.date.short", day=day.day, month=day.month, year=day.year)
    return t("pdf.date.long", day=day.day, month=t(f"pdf.month.{day.month}"), year=day.year)


def format_datetime(moment: datetime, t: Translator) -> str:
    """``24. november 2026 kl. 14:05``, in the time's own zone (as stored)."""
    return t("pdf.datetime", date=format_date(moment.date(), t), time=f"{moment:%H:%M}")


def _date_or(day: date | None, t: Translator, *, short: bool = False) -> str:
    return format_date(day, t, short=short) if day is not None else t("pdf.none")


# ---------------------------------------------------------------- helpers


def _field(t: Translator, label_key: str, value: str) -> Field:
    text = clean_text(value)
    return Field(t(label_key), text or t("pdf.empty"), muted=not text)


def _para(t: Translator, text: str, empty_key: str = "pdf.empty") -> Paragraph:
    cleaned = clean_text(text)
    return Paragraph(cleaned) if cleaned else Paragraph(t(empty_key), muted=True)


#: The role words edition 1 printed, kept as they were: the screens' own may change.
_EDITION_1_ROLES = {
    Responsible.EMPLOYEE: "pdf.edition1.responsible.employee",
    Responsible.LEADER: "pdf.edition1.responsible.leader",
    Responsible.BOTH: "pdf.edition1.responsible.both",
    Responsible.OTHER: "pdf.edition1.responsible.other",
}


def _responsible(a: Activity, t: Translator, plan: DevelopmentPlan, edition: int) -> str:
    """Who starts the activity, by the plan's names where it has them
    ("Sofie Eksempel (medarbejder)"); the role word only when a name is missing
    (and always in edition 1)."""
    employee, leader = clean_text(plan.employee_name), clean_text(plan.leader_name)
    who = a.responsible
    if who is Responsible.OTHER and clean_text(a.responsible_other):
        return clean_text(a.responsible_other)
    if edition < 2:
        return t(_EDITION_1_ROLES[who])
    if who is Responsible.EMPLOYEE and employee:
        return t("pdf.responsible.employee", name=employee)
    if who is Responsible.LEADER and leader:
        return t("pdf.responsible.leader", name=leader)
    if who is Responsible.BOTH and employee and leader:
        return t("pdf.responsible.both", employee=employee, leader=leader)
    return t(enum_key(who))


def _activity(a: Activity, t: Translator) -> str:
    description = clean_text(a.description)
    kind = t(enum_key(a.kind))
    return (
        t("pdf.activity.kind_and_description", kind=kind, description=description)
        if description
        else kind
    )


def _lines(*parts: str) -> str:
    return "\n".join(p for p in (clean_text(x) for x in parts) if p)


def _kind_order(kind: GoalKind) -> int:
    return list(GoalKind).index(kind)


def _people(t: Translator, employee: str, leader: str) -> str:
    return t("pdf.people", employee=clean_text(employee), leader=clean_text(leader))


def _footer(t: Translator, print_: str, version: int | None, draft: bool) -> str:
    grouped = group_fingerprint(print_)
    if draft:
        return t("pdf.footer.draft", fingerprint=grouped)
    if version is None:
        return t("pdf.footer.plain", fingerprint=grouped)
    return t("pdf.footer.version", fingerprint=grouped, version=version)


def _keywords(kind: ReportKind, print_: str, version: int | None, draft: bool) -> str:
    words = [CREATOR, f"kind:{kind.value}", f"fingerprint:{print_}"]
    words.append("status:draft" if draft else "status:agreed")
    if version is not None:
        words.append(f"version:{version}")
    return " ".join(words)


def _source(
    source: ConversationRecord | AgreedVersion,
) -> tuple[AgreedContent, Agreement | None]:
    if isinstance(source, AgreedVersion):
        return source.content, source.agreement
    return snapshot(source), None


def _agreement_section(
    t: Translator, content: AgreedContent, agreement: Agreement | None
) -> Section:
    if agreement is None:
        return Section(t("pdf.section.agreement"), (Paragraph(t("pdf.agreement.draft_text")),))
    return Section(
        t("pdf.section.agreement"),
        (
            Paragraph(t("pdf.agreement.text")),
            Fields(
                (
                    Field(t("pdf.agreement.employee_typed"), agreement.employee_typed),
                    Field(t("pdf.agreement.leader_typed"), agreement.leader_typed),
                    Field(t("pdf.agreement.agreed_at"), format_datetime(agreement.agreed_at, t)),
                    Field(t("pdf.agreement.version"), str(agreement.version)),
                    Field(t("pdf.fingerprint.label"), group_fingerprint(agreement.fingerprint)),
                )
            ),
        ),
    )


def _agreed_frame(
    kind: ReportKind,
    t: Translator,
    title_key: str,
    *,
    content: AgreedContent,
    agreement: Agreement | None,
    sections: list[Section],
) -> Report:
    """Plan and summary share one frame: same people, fingerprint, version or draft mark."""
    plan = content.plan
    return _frame(
        kind,
        t,
        title=t(title_key, year=plan.year),
        subtitle=clean_text(content.unit),
        employee=plan.employee_name,
        leader=plan.leader_name,
        sections=sections,
        print_=fingerprint(content),
        version=agreement.version if agreement else None,
        draft=agreement is None,
    )


def _frame(
    kind: ReportKind,
    t: Translator,
    *,
    title: str,
    subtitle: str,
    employee: str,
    leader: str,
    sections: Iterable[Section],
    print_: str,
    version: int | None,
    draft: bool,
) -> Report:
    people = _people(t, employee, leader)
    return Report(
        kind=kind,
        title=title,
        subtitle=subtitle,
        header=t("pdf.header", title=title, people=people),
        sections=tuple(sections),
        fingerprint=print_,
        footer=_footer(t, print_, version, draft),
        page_label=t("pdf.page"),
        draft=draft,
        draft_mark=t("pdf.draft.mark"),
        metadata=Metadata(
            title=f"{title} – {clean_text(employee)}",
            author=t("pdf.meta.author", employee=clean_text(employee), leader=clean_text(leader)),
            subject=t(f"pdf.meta.subject.{kind.value}", unit=subtitle),
            keywords=_keywords(kind, print_, version, draft),
            language=t.language,
        ),
        version=version,
    )


# ---------------------------------------------------------------- the plan


def plan_report(
    source: ConversationRecord | AgreedVersion, t: Translator, *, edition: int = EDITION
) -> Report:
    """The development plan (udviklingsplan): a draft from a record, or an agreed version.

    ``edition`` lays it out as an older Musling did (:data:`EDITIONS`), to verify
    a PDF it exported.
    """
    content, agreement = _source(source)
    plan = content.plan
    strategy_no = {s.id: f"S{i}" for i, s in enumerate(content.strategy_items, 1)}

    about = Fields(
        (
            _field(t, "pdf.field.employee", plan.employee_name),
            _field(t, "pdf.field.leader", plan.leader_name),
            _field(t, "pdf.field.unit", content.unit),
            Field(t("pdf.field.year"), str(plan.year)),
            Field(t("pdf.field.meeting_date"), _date_or(content.summary.meeting_date, t)),
            Field(
                t("pdf.field.agreed_on"),
                format_date(agreement.agreed_at.date(), t)
                if agreement
                else t("pdf.agreement.not_yet"),
            ),
        )
    )
    sections: list[Section] = [Section(t("pdf.section.about"), (about,))]

    if content.strategy_items:
        sections.append(
            Section(
                t("pdf.section.strategy"),
                (
                    Paragraph(t("pdf.strategy.intro")),
                    Fields(
                        tuple(
                            Field(
                                f"{strategy_no[s.id]} · {t(f'strategy_kind.{s.kind}')}",
                                clean_text(s.text) or t("pdf.empty"),
                                muted=not clean_text(s.text),
                            )
                            for s in content.strategy_items
                        )
                    ),
                ),
            )
        )

    goals = sorted(plan.goals, key=lambda g: _kind_order(g.kind))
    sections.append(
        Section(
            t("pdf.section.goals"),
            () if goals else (Paragraph(t("pdf.goals.none"), muted=True),),
        )
    )
    headings = tuple(
        t(k)
        for k in (
            "pdf.activity.what",
            "pdf.activity.responsible",
            "pdf.activity.when",
            "pdf.activity.follow_up",
            "pdf.activity.use_of_skills",
        )
    )
    kind_seen: set[GoalKind] = set()
    for number, goal in enumerate(goals, 1):
        if goal.kind not in kind_seen:
            kind_seen.add(goal.kind)
            sections.append(Section(t(f"pdf.goal_kind_plural.{goal.kind.value}"), level=1))
        refs = ", ".join(strategy_no[s] for s in goal.strategy_item_ids if s in strategy_no)
        blocks: list[Block] = [
            Fields(
                (
                    _field(t, "pdf.goal.why", goal.why),
                    _field(t, "pdf.goal.success_signs", goal.success_signs),
                    _field(t, "pdf.goal.strategy", refs),
                )
            )
        ]
        activities = plan.activities_for(goal.id)
        if activities:
            rows = tuple(
                (
                    _activity(a, t),
                    _responsible(a, t, plan, edition),
                    _date_or(a.when, t, short=True),
                    _lines(
                        format_date(a.follow_up_when, t, short=True) if a.follow_up_when else "",
                        a.follow_up_how,
                    )
                    or t("pdf.none"),
                    clean_text(a.use_of_skills) or t("pdf.none"),
                )
                for a in activities
            )
            blocks.append(Table(headings, rows, (29, 16, 12, 22, 21)))
        else:
            blocks.append(Paragraph(t("pdf.activities.none"), muted=True))
        title = clean_text(goal.title) or t("pdf.goal.untitled")
        sections.append(
            Section(t("pdf.goal.heading", number=number, title=title), tuple(blocks), level=2)
        )

    if content.course_wishes:
        sections.append(_courses_section(t, content.course_wishes))

    if plan.last_plan:
        sections.append(
            Section(
                t("pdf.section.last_plan"),
                (
                    Table(
                        (
                            t("pdf.last_plan.goal"),
                            t("pdf.last_plan.kind"),
                            t("pdf.last_plan.status"),
                            t("pdf.last_plan.note"),
                        ),
                        tuple(
                            (
                                clean_text(f.goal_title) or t("pdf.goal.untitled"),
                                t(enum_key(f.goal_kind)),
                                t(enum_key(f.status)),
                                clean_text(f.note) or t("pdf.none"),
                            )
                            for f in plan.last_plan
                        ),
                        (38, 18, 14, 30),
                    ),
                ),
            )
        )

    dates = content.follow_up_dates
    sections.append(
        Section(
            t("pdf.section.follow_up"),
            (Bullets(tuple(format_date(d, t) for d in dates)),)
            if dates
            else (Paragraph(t("pdf.follow_up.none"), muted=True),),
        )
    )
    sections.append(_agreement_section(t, content, agreement))

    return _agreed_frame(
        ReportKind.PLAN,
        t,
        "pdf.plan.title",
        content=content,
        agreement=agreement,
        sections=sections,
    )


def _courses_section(t: Translator, courses: tuple[PlannedCourse, ...]) -> Section:
    """The course wishes put in the plan: what, price, and time (own time on its own line)."""
    rows = tuple(
        (
            clean_text(c.title) or t("pdf.empty"),
            clean_text(c.cost) or t("pdf.none"),
            _lines(
                c.time_needed,
                t("pdf.course.own_time", text=clean_text(c.own_time))
                if clean_text(c.own_time)
                else "",
            )
            or t("pdf.none"),
        )
        for c in courses
    )
    headings = (t("pdf.course.title"), t("pdf.course.cost"), t("pdf.course.time"))
    return Section(t("pdf.section.courses"), (Table(headings, rows, (40, 30, 30)),))


# ---------------------------------------------------------------- the summary


def summary_report(
    source: ConversationRecord | AgreedVersion,
    t: Translator,
    *,
    include_private_notes: bool = False,
    preparation: Preparation | None = None,
    edition: int = EDITION,
) -> Report:
    """The meeting summary (referat): topics in form order, feedback, actions, evaluation.

    Private preparation notes are left out unless ``include_private_notes``;
    they come from ``preparation`` (by default the record's own; an agreed
    version holds none, so pass the record's). Shared notes are always shown,
    under their own heading. ``edition`` as for :func:`plan_report`.
    """
    content, agreement = _source(source)
    if preparation is None and isinstance(source, ConversationRecord):
        preparation = source.preparation
    if include_private_notes and preparation is None:
        raise ValueError("include_private_notes needs the record's preparation")
    lang = t.language
    plan, s = content.plan, content.summary

    about = Fields(
        (
            _field(t, "pdf.field.employee", plan.employee_name),
            _field(t, "pdf.field.leader", plan.leader_name),
            _field(t, "pdf.field.unit", content.unit),
            Field(t("pdf.field.meeting_date"), _date_or(s.meeting_date, t)),
            _field(t, "pdf.field.meeting_time", s.meeting_time),
            _field(t, "pdf.field.meeting_place", s.meeting_place),
            Field(
                t("pdf.field.summary_writer"),
                t(enum_key(s.summary_writer)) if s.summary_writer else t("pdf.none"),
            ),
        )
    )
    sections: list[Section] = [Section(t("pdf.section.meeting"), (about,))]

    if edition < 2:
        sections.extend(_topic_sections_1(t, s.topics))
    else:
        sections.extend(_topic_sections(t, s.topics))

    if s.shared_notes:
        sections.append(
            Section(
                t("pdf.section.shared_prep"),
                (
                    Fields(
                        tuple(
                            Field(
                                clean_text(n.text(lang)) or n.question_id,
                                clean_text(n.note) or t("pdf.empty"),
                            )
                            for n in s.shared_notes
                        ),
                        stacked=True,
                    ),
                ),
            )
        )

    sections.append(Section(t("pdf.section.decisions"), (_para(t, s.summary),)))
    f = s.feedback
    sections.append(
        Section(
            t("pdf.section.feedback"),
            (
                Fields(
                    (
                        _field(t, "pdf.feedback.strengths", f.strengths),
                        _field(t, "pdf.feedback.areas_to_develop", f.areas_to_develop),
                        _field(t, "pdf.feedback.given_to_leader", f.given_to_leader),
                    )
                ),
            ),
        )
    )

    goal_titles = {g.id: clean_text(g.title) or t("pdf.goal.untitled") for g in plan.goals}
    actions = tuple(
        (
            goal_titles.get(a.goal_id, t("pdf.none")),
            _activity(a, t),
            _responsible(a, t, plan, edition),
            _date_or(a.when, t, short=True),
        )
        for a in plan.activities
    )
    sections.append(
        Section(
            t("pdf.section.actions"),
            (
                Table(
                    (
                        t("pdf.actions.goal"),
                        t("pdf.activity.what"),
                        t("pdf.activity.responsible"),
                        t("pdf.activity.when"),
                    ),
                    actions,
                    (30, 40, 17, 13),
                ),
            )
            if actions
            else (Paragraph(t("pdf.actions.none"), muted=True),),
        )
    )
    e = s.evaluation
    sections.append(
        Section(
            t("pdf.section.evaluation"),
            (
                Fields(
                    (
                        _field(t, "pdf.evaluation.most_valuable", e.most_valuable),
                        _field(
                            t,
                            "pdf.evaluation.what_made_it_constructive",
                            e.what_made_it_constructive,
                        ),
                        _field(t, "pdf.evaluation.better_next_time", e.better_next_time),
                    )
                ),
            ),
        )
    )
    if include_private_notes and preparation is not None:
        sections.append(_private_section(t, preparation, content))
    sections.append(_agreement_section(t, content, agreement))

    return _agreed_frame(
        ReportKind.SUMMARY,
        t,
        "pdf.summary.title",
        content=content,
        agreement=agreement,
        sections=sections,
    )


def _topic_sections(t: Translator, topics: tuple[AgreedTopic, ...]) -> list[Section]:
    """The topics with something noted, each under its heading; the rest in two lines.

    A topic covered without notes and one not reached say nothing a reader
    needs a heading for: they are listed by title, one line each kind
    ("Gennemgået uden noter: …", "Ikke nået: …"), never as pages of "nothing
    noted". A topic with notes is shown even if it was not ticked as covered:
    what was said counts.
    """
    if not topics:
        return [Section(t("pdf.section.topics"), (Paragraph(t("pdf.topics.none"), muted=True),))]

    def title(topic: AgreedTopic) -> str:
        return clean_text(topic.text(t.language)) or topic.question_id

    noted = [topic for topic in topics if clean_text(topic.said)]
    unnoted = [title(x) for x in topics if not clean_text(x.said) and x.covered]
    not_reached = [title(x) for x in topics if not clean_text(x.said) and not x.covered]
    rest = Fields(
        tuple(
            Field(t(key), " · ".join(titles))
            for key, titles in (
                ("pdf.topics.unnoted", unnoted),
                ("pdf.topics.not_reached", not_reached),
            )
            if titles
        )
    )
    if not noted:
        blocks: tuple[Block, ...] = (Paragraph(t("pdf.topics.nothing_noted"), muted=True), rest)
        return [Section(t("pdf.section.topics"), blocks)]
    sections = [Section(t("pdf.section.topics"))]
    for number, topic in enumerate(noted, 1):
        heading = t("pdf.topic.heading", number=number, title=title(topic))
        sections.append(Section(heading, (Paragraph(clean_text(topic.said)),), level=1))
    if rest.rows:
        sections.append(Section(t("pdf.topics.other"), (rest,), level=1))
    return sections


def _topic_sections_1(t: Translator, topics: tuple[AgreedTopic, ...]) -> list[Section]:
    """Edition 1: every topic under its heading, numbered in form order."""
    sections = [
        Section(
            t("pdf.section.topics"),
            () if topics else (Paragraph(t("pdf.topics.none"), muted=True),),
        )
    ]
    for number, topic in enumerate(topics, 1):
        blocks: list[Block] = [_para(t, topic.said, "pdf.topic.nothing_said")]
        if not topic.covered:
            blocks.append(Paragraph(t("pdf.topic.not_covered"), muted=True))
        title = clean_text(topic.text(t.language)) or topic.question_id
        sections.append(
            Section(t("pdf.topic.heading", number=number, title=title), tuple(blocks), level=1)
        )
    return sections


def _private_section(t: Translator, prep: Preparation, content: AgreedContent) -> Section:
    lang = t.language
    texts = {topic.question_id: topic.text(lang) for topic in content.summary.topics}
    notes = tuple(
        Field(clean_text(texts.get(n.question_id, n.question_id)), clean_text(n.text))
        for n in prep.notes
        if not n.shared and clean_text(n.text)
    )
    rows: list[Field] = []
    if clean_text(prep.wishes):
        rows.append(Field(t("pdf.private.wishes"), clean_text(prep.wishes)))
    for wish in prep.course_wishes:
        rows.append(
            Field(
                t("pdf.private.course_wish"),
                _lines(
                    wish.title,
                    t("pdf.private.course.gain", text=clean_text(wish.gain_for_workplace))
                    if clean_text(wish.gain_for_workplace)
                    else "",
                    t("pdf.private.course.cost", text=clean_text(wish.cost))
                    if clean_text(wish.cost)
                    else "",
                    t("pdf.private.course.time", text=clean_text(wish.time_needed))
                    if clean_text(wish.time_needed)
                    else "",
                    t("pdf.private.course.own_time", text=clean_text(wish.own_time))
                    if clean_text(wish.own_time)
                    else "",
                ),
            )
        )
    blocks: list[Block] = [Paragraph(t("pdf.private.intro"), muted=True)]
    if notes:
        blocks.append(Fields(notes, stacked=True))
    if rows:
        blocks.append(Fields(tuple(rows)))
    if not notes and not rows:
        blocks.append(Paragraph(t("pdf.private.none"), muted=True))
    return Section(t("pdf.section.private_prep"), tuple(blocks))


# ---------------------------------------------------------------- mini-MUS


def mini_mus_report(record: ConversationRecord, mini_mus: MiniMus, t: Translator) -> Report:
    """The half-yearly follow-up on one page: date, status per item, agreed, new initiatives."""
    c = record.conversation
    check_in = mini_mus.check_in

    def target(kind: CheckInTarget, target_id: str) -> str:
        if kind is CheckInTarget.GOAL:
            goal = record.goal(target_id)
            name = clean_text(goal.title) if goal else ""
        else:
            activity = record.activity(target_id)
            name = clean_text(activity.description) if activity else ""
        return _lines(t(enum_key(kind)), name or t("pdf.mini.deleted"))

    rows = tuple(
        (
            target(item.target, item.target_id),
            t(enum_key(item.status)),
            clean_text(item.note) or t("pdf.none"),
            _lines(
                t("pdf.mini.learned", text=clean_text(item.learned))
                if clean_text(item.learned)
                else "",
                t("pdf.mini.used_how", text=clean_text(item.used_how))
                if clean_text(item.used_how)
                else "",
            )
            or t("pdf.none"),
        )
        for item in check_in.items
    )
    sections = [
        Section(
            t("pdf.section.mini_about"),
            (
                Fields(
                    (
                        _field(t, "pdf.field.employee", c.employee_name),
                        _field(t, "pdf.field.leader", c.leader_name),
                        Field(t("pdf.mini.date"), format_date(check_in.on, t)),
                        Field(t("pdf.mini.next_date"), _date_or(mini_mus.next_date, t)),
                    )
                ),
            ),
        ),
        Section(
            t("pdf.section.mini_status"),
            (
                Table(
                    (
                        t("pdf.mini.item"),
                        t("pdf.last_plan.status"),
                        t("pdf.last_plan.note"),
                        t("pdf.mini.learned_used"),
                    ),
                    rows,
                    (34, 14, 26, 26),
                ),
            )
            if rows
            else (Paragraph(t("pdf.mini.no_items"), muted=True),),
        ),
        # One section for both, so a mini-MUS of a usual plan stays on one page.
        Section(
            t("pdf.section.mini_outcome"),
            (
                Fields(
                    (
                        Field(t("pdf.section.mini_agreed"), _text_or(check_in.note, t)),
                        Field(
                            t("pdf.section.mini_initiatives"),
                            _text_or(mini_mus.new_initiatives, t),
                        ),
                    ),
                    stacked=True,
                ),
            ),
        ),
    ]
    print_ = fingerprint(mini_mus)
    return _frame(
        ReportKind.MINI_MUS,
        t,
        title=t("pdf.mini.title", date=format_date(check_in.on, t)),
        subtitle=clean_text(c.unit),
        employee=c.employee_name,
        leader=c.leader_name,
        sections=sections,
        print_=print_,
        version=None,
        draft=False,
    )


# ---------------------------------------------------------------- verification


def block_lines(block: Block) -> Iterator[str]:
    """A block's texts in the order the renderer draws them."""
    if isinstance(block, Paragraph):
        yield block.text
    elif isinstance(block, Fields):
        for row in block.rows:
            yield row.label
            yield row.value
    elif isinstance(block, Table):
        yield from block.headings
        for cells in block.rows:
            yield from cells
    else:
        yield from block.items


def report_lines(report: Report) -> tuple[str, ...]:
    """Every text of the report's body in reading order (header and footer excluded)."""
    lines = [report.title]
    if report.subtitle:
        lines.append(report.subtitle)
    for section in report.sections:
        lines.append(section.title)
        for block in section.blocks:
            lines.extend(block_lines(block))
    return tuple(line for line in lines if line)


def expected_text_lines(
    version: AgreedVersion | ConversationRecord,
    language: str = "da",
    kind: ReportKind = ReportKind.PLAN,
) -> tuple[str, ...]:
    """What the PDF of a version (plan or summary, private notes left out) should contain."""
    t = Translator(language)
    report = plan_report(version, t) if kind is ReportKind.PLAN else summary_report(version, t)
    return report_lines(report)


def comparable(text: str) -> str:
    """Text reduced to what survives any PDF text extraction: Latin letters and digits.

    Line wrapping, page furniture, spacing, punctuation, and glyphs the font
    lacks (emoji, replaced in the PDF) differ between what was written and what
    a PDF reader extracts; letters and digits in Latin script do not.
    """
    norm = unicodedata.normalize("NFC", text)
    return "".join(c for c in norm if c.isalnum() and ord(c) < 0x250)


def page_furniture(report: Report, page: int, pages: int) -> tuple[str, ...]:
    """The texts repeated on a page around the body: header, footer, page number, draft mark."""
    furniture = (
        report.header,
        report.footer,
        report.page_label.format(page=page, pages=pages),
    )
    return (*furniture, report.draft_mark) if report.draft else furniture


def missing_text(report: Report, page_texts: Sequence[str]) -> tuple[str, ...]:
    """The report's lines that the extracted page texts lack, in order (empty: all there).

    Each page's header, footer and page number are taken out first, so a
    paragraph running over a page break still matches; then every line must
    appear after the one before it.
    """
    pages = len(page_texts)
    body_parts: list[str] = []
    for number, text in enumerate(page_texts, 1):
        flat = comparable(text)
        for item in page_furniture(report, number, pages):
            piece = comparable(item)
            if piece:
                flat = flat.replace(piece, "")
        body_parts.append(flat)
    body = "".join(body_parts)
    missing: list[str] = []
    at = 0
    for line in report_lines(report):
        piece = comparable(line)
        if not piece:
            continue
        found = body.find(piece, at)
        if found < 0:
            missing.append(line)
        else:
            at = found + len(piece)
    return tuple(missing)


def _fingerprint_pattern() -> re.Pattern[str]:
    labels = sorted({catalog(lang)["pdf.fingerprint.label"] for lang in LANGUAGES})
    alternatives = "|".join(re.escape(label) for label in labels)
    return re.compile(
        rf"(?:{alternatives})\s*:?\s*((?:[0-9a-fA-F]{{4}}\s*){{3}}[0-9a-fA-F]{{4}})(?![0-9a-fA-F])"
    )


def extract_fingerprints(text: str) -> tuple[str, ...]:
    """Every printed fingerprint in extracted text, as 16 lower-case hex digits."""
    return tuple(
        re.sub(r"\s+", "", m.group(1)).lower() for m in _fingerprint_pattern().finditer(text)
    )


def extract_fingerprint(text: str) -> str | None:
    """The printed fingerprint, or ``None`` if there is none or the pages disagree."""
    found = set(extract_fingerprints(text))
    return found.pop() if len(found) == 1 else None


def _text_or(text: str, t: Translator) -> str:
    """The cleaned text, or the "not filled in" word: a blank is said, not left out."""
    return clean_text(text) or t("pdf.empty")
