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
from mus.plans import Severity
from mus.report import ReportKind
from mus.sync import ExportMeta, SyncTarget
from views import routes
from views.context import use_app_state, use_editor
from views.sync_state import use_sync
from views.widgets.scaffold import screen


@ft.component
def PlanView() -> ft.View:
    state = use_app_state()
    editor = use_editor()
    sync = use_sync()
    t = state.t
    record = editor.record
    employee_typed, set_employee_typed = ft.use_state("")
    leader_typed, set_leader_typed = ft.use_state("")
    no_problems: tuple[tuple[str, bool], ...] = ()
    problem_keys, set_problem_keys = ft.use_state(no_problems)
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

    def agree() -> None:
        problems = state.agree(employee_typed, leader_typed)
        set_problem_keys(tuple((p.key, p.severity is Severity.ERROR) for p in problems))

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
        ft.Text(t("plan.agree.heading"), size=17, weight=ft.FontWeight.BOLD),
        ft.Text(t("plan.agree.help")),
        ft.TextField(key="agree-employee", label=t("plan.agree.employee", name=c.employee_name),
                     value=employee_typed,
                     on_change=lambda e: set_employee_typed(str(e.control.value or ""))),
        ft.TextField(key="agree-leader", label=t("plan.agree.leader", name=c.leader_name),
                     value=leader_typed,
                     on_change=lambda e: set_leader_typed(str(e.control.value or ""))),
        *[
            ft.Text(t(key), color=ft.Colors.ERROR if is_error else ft.Colors.ORANGE_800,
                    key="agree-problem")
            for key, is_error in problem_keys
        ],
        ft.FilledButton(t("plan.agree.button"), icon=ft.Icons.HANDSHAKE, key="agree",
                        disabled=not draft, on_click=agree),
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
        ft.TextField(key="export-password", label=t("plan.export.password"), password=True,
                     can_reveal_password=True, value=password,
                     helper=t("plan.export.password_help"),
                     helper_max_lines=3,
                     on_change=lambda e: set_password(str(e.control.value or ""))),
        *_recipient_choices(sync.targets, recipients, toggle_recipient, t),
        ft.Row([ft.ProgressRing(width=20, height=20), ft.Text(t("plan.export.working"))])
        if exporting
        else ft.FilledButton(t("plan.export.button"), icon=ft.Icons.PICTURE_AS_PDF,
                             key="export-pdf", on_click=export),
    ]  # fmt: skip
    if versions:
        body.append(ft.Divider())
        body.append(ft.Text(t("plan.versions"), size=17, weight=ft.FontWeight.BOLD))
        for v in reversed(versions):
            a = v.agreement
            body.append(
                ft.ListTile(
                    key=f"version-{v.version}",
                    title=ft.Text(t("plan.version", n=v.version)),
                    subtitle=ft.Text(
                        t(
                            "plan.version.detail",
                            when=a.agreed_at.astimezone().strftime("%d.%m.%Y %H:%M"),
                            employee=a.employee_typed,
                            leader=a.leader_typed,
                            fingerprint=agreement.group_fingerprint(a.fingerprint),
                        )
                    ),
                )
            )
    return screen(routes.PLAN, t("plan.title"), body, t=t)


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
    check_ins = sorted(record.all_check_ins(), key=lambda c: c.on, reverse=True)
    if check_ins:
        body.append(ft.Text(t("plan.check_ins"), size=17, weight=ft.FontWeight.BOLD))
        for ci in check_ins:
            body.append(
                ft.Text(
                    t("plan.check_in", date=format_date(ci.on), items=len(ci.items)),
                    key=f"plan-check-in-{ci.id}",
                )
            )
    if record.process_plan.follow_up_dates:
        dates = ", ".join(format_date(d) for d in record.process_plan.follow_up_dates)
        body.append(ft.Text(t("plan.follow_ups", dates=dates)))

    return body
