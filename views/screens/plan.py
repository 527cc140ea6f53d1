"""The development plan on one page: agree on it at the table, export it as PDF.

Both people keep the same written plan. Agreeing freezes this version (its
fingerprint is printed on every PDF page); later edits make the next version.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import flet as ft

from mus import agreement, plans
from mus.dates import format_date
from mus.i18n import Translator
from mus.model import ConversationRecord, GoalKind, enum_key
from mus.reminders import copenhagen
from mus.report import ReportKind
from mus.sync import ExportMeta, SyncTarget
from views import routes
from views.context import use_app_state, use_editor
from views.steps.s8_follow_up import check_in_kind
from views.sync_state import use_sync
from views.widgets.passphrase import PassphraseField
from views.widgets.scaffold import screen
from views.widgets.typed import use_browser_text


@ft.component
def PlanView() -> ft.View:
    state = use_app_state()
    editor = use_editor()
    sync = use_sync()
    t = state.t
    record = editor.record
    kind, set_kind = ft.use_state("plan")
    include_private, set_include_private = ft.use_state(False)
    password, set_password = ft.use_state("")
    exporting, set_exporting = ft.use_state(False)
    by_default: frozenset[str] | None = None
    picked, set_picked = ft.use_state(by_default)
    if record is None:
        return screen(routes.PLAN, t("plan.title"), [ft.Text(t("wheel.no_conversation"))], t=t)

    versions = state.versions()
    latest = versions[-1] if versions else None
    draft = agreement.changed_since(record, latest)
    c = record.conversation

    recipients = picked if picked is not None else sync.default_recipients()

    def toggle_recipient(target_id: str, e: ft.Event[ft.Checkbox]) -> None:
        on = bool(e.control.value)
        set_picked(recipients | {target_id} if on else recipients - {target_id})

    async def export() -> None:
        set_exporting(True)
        try:
            # Also queued for the chosen sync targets (sent in the background).
            name, data = await sync.export(
                partial(state.build_pdf, kind, include_private=include_private, password=password),
                ExportMeta(
                    record.id, ReportKind(kind), None if draft or not latest else latest.version
                ),
                recipients if sync.targets else None,
            )
            await ft.FilePicker().save_file(file_name=name, src_bytes=data)
        finally:
            set_exporting(False)
        ft.context.page.show_dialog(ft.SnackBar(ft.Text(t("plan.exported", name=name))))

    status = (
        t("plan.status.draft_new")
        if latest is None
        else t("plan.status.changed", n=latest.version)
        if draft
        else t(
            "plan.status.agreed",
            n=latest.version,
            fingerprint=agreement.group_fingerprint(latest.fingerprint),
        )
    )
    body: list[ft.Control] = [
        ft.Text(t("home.current", year=c.year, name=c.employee_name), size=20,
                weight=ft.FontWeight.BOLD, key="plan-title"),
        ft.Text(t("plan.people", employee=c.employee_name, leader=c.leader_name,
                  unit=c.unit or "–", date=format_date(c.meeting_date) or "–")),
        ft.Container(
            bgcolor=ft.Colors.AMBER_100 if draft else ft.Colors.GREEN_100,
            border_radius=8,
            padding=10,
            content=ft.Text(status, key="plan-status", color=ft.Colors.BLACK),
        ),
    ]  # fmt: skip
    body += _plan_sections(record, t)

    body += [
        ft.Divider(),
        AgreeSection(record, latest),
        ft.Divider(),
        ft.Text(t("plan.export.heading"), size=17, weight=ft.FontWeight.BOLD),
        ft.RadioGroup(
            key="export-kind",
            value=kind,
            on_change=lambda e: set_kind(str(e.control.value)),
            content=ft.Column([
                ft.Radio(value="plan", label=t("plan.export.plan")),
                ft.Radio(value="summary", label=t("plan.export.summary")),
                *([ft.Radio(value="mini_mus", label=t("plan.export.mini_mus"))]
                  if record.mini_mus else []),
            ]),
        ),
        *([ft.Checkbox(key="include-private", label=t("plan.export.private"),
                       value=include_private,
                       on_change=lambda e: set_include_private(bool(e.control.value)))]
          if kind == "summary" else []),
        PassphraseField(field_key="export-password", kind="password",
                        label=t("plan.export.password"), value=password,
                        helper=t("plan.export.password_help"), helper_max_lines=3,
                        on_change=lambda e: set_password(str(e.control.value or ""))),
        *_recipient_choices(sync.targets, recipients, toggle_recipient, t),
        ft.Row([ft.ProgressRing(width=20, height=20), ft.Text(t("plan.export.working"))])
        if exporting
        else ft.FilledButton(t("plan.export.button"), icon=ft.Icons.PICTURE_AS_PDF,
                             key="export-pdf", on_click=export),
    ]  # fmt: skip
    if versions:
        body += [ft.Divider(), *_history(versions, t)]
    return screen(routes.PLAN, t("plan.title"), body, t=t)


@ft.component
def AgreeSection(record: ConversationRecord, latest: agreement.AgreedVersion | None) -> ft.Control:
    """Both type their names and agree; nothing is frozen by surprise.

    The button is disabled only with its reason right under it. A name unlike
    the plan's person, or a meeting far from today, opens a question first
    (nothing is frozen until "Bekræft alligevel"). With the plan unchanged
    since the last version, typing both names again corrects them: a new
    version, the old one marked as replaced.
    """
    state = use_app_state()
    t = state.t
    employee_typed, set_employee_typed = ft.use_state("")
    leader_typed, set_leader_typed = ft.use_state("")
    no_asks: tuple[agreement.Confirmation, ...] = ()
    asking, set_asking = ft.use_state(no_asks)
    c = record.conversation
    today = state.today()
    reason = agreement.blocked_reason(record, latest, employee_typed, leader_typed)
    correcting = latest is not None and not agreement.changed_since(record, latest)
    next_number = 1 if latest is None else latest.version + 1

    def freeze(confirmed: tuple[agreement.Confirmation, ...]) -> None:
        result = state.agree(employee_typed, leader_typed, confirmed)
        if result.version is None:
            # Something changed under the question (a name, the day): ask again.
            set_asking(result.unconfirmed)
            return
        set_asking(no_asks)
        set_employee_typed("")
        set_leader_typed("")
        ft.context.page.show_dialog(ft.SnackBar(ft.Text(t("agree.done", n=result.version.version))))

    def agree() -> None:
        asks = agreement.confirmations(record, employee_typed, leader_typed, today)
        if asks:
            set_asking(asks)
        else:
            freeze(())

    names_asked = any(a.check is not agreement.Check.MEETING_DATE for a in asking)
    dialog = ft.AlertDialog(
        modal=True,
        title=ft.Text(t("agree.confirm.title")),
        content=ft.Column(
            [
                *[ft.Text(_ask_text(a, t), key=f"agree-ask-{a.check}") for a in asking],
                ft.Text(t("agree.confirm.outro", n=next_number)),
            ],
            tight=True,
            spacing=10,
        ),
        actions=[
            ft.TextButton(
                t("agree.confirm.fix_name") if names_asked else t("agree.confirm.back"),
                key="agree-cancel",
                on_click=lambda: set_asking(no_asks),
            ),
            ft.FilledButton(
                t("agree.confirm.yes"), key="agree-confirm", on_click=lambda: freeze(asking)
            ),
        ],
        on_dismiss=lambda: set_asking(no_asks),
    )
    ft.use_dialog(dialog if asking else None)

    dates = (
        t("agree.dates", meeting=format_date(c.meeting_date), today=format_date(today))
        if c.meeting_date
        else t("agree.dates.no_meeting", today=format_date(today))
    )
    # What the browser typed stays the browser's: an older text is never sent back
    # into a name field while someone types (views/widgets/typed.py).
    employee_field = use_browser_text(
        {
            "value": employee_typed,
            "on_change": lambda e: set_employee_typed(str(e.control.value or "")),
        }
    )
    leader_field = use_browser_text(
        {"value": leader_typed, "on_change": lambda e: set_leader_typed(str(e.control.value or ""))}
    )
    controls: list[ft.Control] = [
        ft.Text(t("plan.agree.heading"), size=17, weight=ft.FontWeight.BOLD),
        ft.Text(t("plan.agree.help")),
        ft.Text(dates, key="agree-dates", size=13),
        # The name as the plan has it goes under the field: in the label it made
        # two cramped lines in an empty field.
        ft.TextField(key="agree-employee", label=t("plan.agree.employee"),
                     helper=t("plan.agree.name_in_plan", name=c.employee_name),
                     helper_max_lines=2, **employee_field),
        ft.TextField(key="agree-leader", label=t("plan.agree.leader"),
                     helper=t("plan.agree.name_in_plan", name=c.leader_name),
                     helper_max_lines=2, **leader_field),
    ]  # fmt: skip
    if correcting and reason is None and latest is not None:
        controls.append(
            ft.Text(t("agree.correcting", n=latest.version, next=next_number),
                    key="agree-correcting", size=13)
        )  # fmt: skip
    controls.append(
        ft.FilledButton(t("plan.agree.button"), icon=ft.Icons.HANDSHAKE, key="agree",
                        disabled=reason is not None, on_click=agree)
    )  # fmt: skip
    if reason is not None:
        # Always next to a disabled button: why, and what to do.
        controls.append(ft.Text(t(reason.key, **reason.kwargs), key="agree-reason", size=13))
    return ft.Column(controls, spacing=12, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)


def _ask_text(ask: agreement.Confirmation, t: Translator) -> str:
    if ask.check is agreement.Check.MEETING_DATE:
        key = "agree.confirm.meeting_after" if ask.days > 0 else "agree.confirm.meeting_before"
        return t(
            key,
            meeting=format_date(ask.meeting_date),
            today=format_date(ask.agreed_on),
            days=abs(ask.days),
        )
    return t(f"agree.confirm.{ask.check}", typed=ask.typed, expected=ask.expected)


def _history(versions: tuple[agreement.AgreedVersion, ...], t: Translator) -> list[ft.Control]:
    """Every agreed version, newest first; a replaced one says by which, and why."""
    out: list[ft.Control] = [ft.Text(t("plan.versions"), size=17, weight=ft.FontWeight.BOLD)]
    for entry in reversed(agreement.history(versions)):
        v, a = entry.version, entry.version.agreement
        if entry.replaced_by is None:
            title = t("agree.version.current", n=v.version)
        elif entry.names_only:
            title = t("agree.version.replaced_names", n=v.version, by=entry.replaced_by)
        else:
            title = t("agree.version.replaced_plan", n=v.version, by=entry.replaced_by)
        out.append(
            ft.ListTile(
                key=f"version-{v.version}",
                title=ft.Text(title, key=f"version-title-{v.version}"),
                subtitle=ft.Text(
                    t(
                        "agree.version.detail",
                        when=a.agreed_at.astimezone(copenhagen()).strftime("%d.%m.%Y %H:%M"),
                        meeting=format_date(v.content.summary.meeting_date) or "–",
                        employee=a.employee_typed,
                        leader=a.leader_typed,
                        fingerprint=agreement.group_fingerprint(a.fingerprint),
                    )
                ),
            )
        )
    return out


def _recipient_choices(
    targets: tuple[SyncTarget, ...],
    chosen: frozenset[str],
    toggle: Callable[[str, ft.Event[ft.Checkbox]], None],
    t: Translator,
) -> list[ft.Control]:
    """Which sync targets get this export: those that get every export, ticked
    to begin with; any other can be ticked by hand."""
    if not targets:
        return []
    return [
        ft.Text(t("plan.export.send_to"), size=15, weight=ft.FontWeight.BOLD),
        ft.Text(t("plan.export.send_to_help"), size=13),
        *[
            ft.Checkbox(
                key=f"send-to-{target.id}",
                label=t(
                    "plan.export.recipient", name=target.name, role=t(f"sync.role.{target.role}")
                ),
                value=target.id in chosen,
                on_change=partial(toggle, target.id),
            )
            for target in targets
        ],
    ]


def _course_wishes(record: ConversationRecord, t: Translator) -> list[ft.Control]:
    """The course wishes put in the plan, as the plan's PDF and the agreement hold them."""
    chosen = [w for w in record.preparation.course_wishes if w.in_plan]
    if not chosen:
        return []
    rows: list[ft.Control] = [ft.Text(t("pdf.section.courses"), size=17, weight=ft.FontWeight.BOLD)]
    for wish in chosen:
        details = [
            t(key, text=value.strip())
            for key, value in (
                ("pdf.private.course.cost", wish.cost),
                ("pdf.private.course.time", wish.time_needed),
                ("pdf.course.own_time", wish.own_time),
            )
            if value.strip()
        ]
        rows.append(ft.Text("\n".join([f"• {wish.title}", *details]), key=f"plan-course-{wish.id}"))
    return rows


def _plan_sections(record: ConversationRecord, t: Translator) -> list[ft.Control]:
    """The goals by kind with their activities, the year's check-ins, the follow-up dates."""
    plan = plans.build_plan(record)
    body: list[ft.Control] = []
    for goal_kind in GoalKind:
        goals = [g for g in plan.goals if g.kind is goal_kind]
        if not goals:
            continue
        body.append(ft.Text(t(f"pdf.goal_kind_plural.{goal_kind}"), size=17,
                            weight=ft.FontWeight.BOLD))  # fmt: skip
        for g in goals:
            acts = plan.activities_for(g.id)
            body.append(
                ft.Card(
                    content=ft.Container(
                        padding=12,
                        content=ft.Column(
                            [
                                ft.Text(g.title or t("plan.untitled"), size=16,
                                        weight=ft.FontWeight.BOLD),
                                ft.Text(t("plan.goal_status",
                                          status=t(enum_key(plans.goal_status(record, g.id)))),
                                        size=13, key=f"plan-goal-status-{g.id}"),
                                *([ft.Text(t("plan.success", text=g.success_signs))]
                                  if g.success_signs else []),
                                *[
                                    ft.Text(
                                        f"• {t(enum_key(a.kind))}: {a.description}"
                                        + (f" ({format_date(a.when)})" if a.when else "")
                                    )
                                    for a in acts
                                ],
                            ],
                            spacing=6,
                        ),
                    )
                )
            )  # fmt: skip
    if not plan.goals:
        body.append(ft.Text(t("plan.no_goals")))
    body.extend(_course_wishes(record, t))
    check_ins = sorted(record.all_check_ins(), key=lambda c: c.on, reverse=True)
    if check_ins:
        body.append(ft.Text(t("plan.check_ins"), size=17, weight=ft.FontWeight.BOLD))
        for ci in check_ins:
            kind, on = check_in_kind(t, record, ci), format_date(ci.on)
            line = (
                t("plan.check_in.one", kind=kind, date=on)
                if len(ci.items) == 1
                else t("plan.check_in", kind=kind, date=on, items=len(ci.items))
            )
            body.append(ft.Text(line, key=f"plan-check-in-{ci.id}"))
    if record.process_plan.follow_up_dates:
        dates = ", ".join(format_date(d) for d in record.process_plan.follow_up_dates)
        body.append(ft.Text(t("plan.follow_ups", dates=dates)))

    return body
