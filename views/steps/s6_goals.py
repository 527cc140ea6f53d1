"""Development goals: the plan's goals by kind, each a card that opens its editor.

The plan should focus on 2–3 needs; more earns the plan's own hint. Each card
shows the goal's latest status, how many activities lead to it and what is
still missing, in the words of the validation catalog.
"""

from __future__ import annotations

from functools import partial

import flet as ft

from mus import plans
from mus.i18n import Translator
from mus.model import ConversationRecord, Goal, GoalKind, enum_key
from mus.plans import Problem, Severity
from views import routes
from views.context import use_record, use_t


def goal_problems(record: ConversationRecord, goal: Goal) -> tuple[Problem, ...]:
    """What the plan says about one goal: its own fields and whether it has activities."""
    problems = plans.validate_goal(goal, (s.id for s in record.strategy_items))
    if not record.activities_for(goal.id):
        problems = (
            *problems,
            Problem("goal.activities", "field.goal.activities.required", goal.id),
        )
    return problems


def activity_count_text(t: Translator, count: int) -> str:
    if count == 0:
        return t("goals.activities.none")
    return t("goals.activities.one") if count == 1 else t("goals.activities.many", count=count)


def problem_text(t: Translator, problem: Problem, key: str) -> ft.Text:
    """An error in the error colour, a hint muted: both wrap on a phone."""
    hint = problem.severity is Severity.HINT
    return ft.Text(
        t(problem.key, **problem.kwargs),
        key=key,
        size=13,
        color=ft.Colors.ON_SURFACE_VARIANT if hint else ft.Colors.ERROR,
        italic=hint,
    )


def _new_goal(goal: Goal, r: ConversationRecord) -> ConversationRecord:
    return plans.with_goal(r, goal)


def _open_goal(goal_id: str) -> None:
    ft.context.page.navigate(routes.goal(goal_id))


def _goal_card(record: ConversationRecord, goal: Goal, t: Translator) -> ft.Control:
    status = plans.goal_status(record, goal.id)
    activities = record.activities_for(goal.id)
    broken = sum(
        1
        for a in activities
        if plans.errors(plans.validate_activity(a, (g.id for g in record.goals)))
    )
    lines: list[ft.Control] = [
        ft.Text(
            goal.title.strip() or t("goals.untitled"),
            key=f"goal-title-{goal.id}",
            size=16,
            weight=ft.FontWeight.BOLD,
            italic=not goal.title.strip(),
            max_lines=3,
            overflow=ft.TextOverflow.ELLIPSIS,
        ),
        ft.Text(
            f"{t('goals.status', status=t(enum_key(status)))} · "
            f"{activity_count_text(t, len(activities))}",
            key=f"goal-summary-{goal.id}",
            size=13,
        ),
    ]
    for i, problem in enumerate(goal_problems(record, goal)):
        lines.append(problem_text(t, problem, f"goal-problem-{goal.id}-{i}"))
    if broken:
        many = broken > 1
        lines.append(
            ft.Text(
                t("goals.activity_problems.many", count=broken)
                if many
                else t("goals.activity_problems.one"),
                key=f"goal-activity-problems-{goal.id}",
                size=13,
                color=ft.Colors.ERROR,
            )
        )
    return ft.Card(
        key=f"goal-card-{goal.id}",
        content=ft.Container(
            key=f"goal-open-{goal.id}",
            padding=ft.Padding.all(12),
            ink=True,
            on_click=partial(_open_goal, goal.id),
            content=ft.Row(
                [
                    ft.Column(lines, spacing=4, expand=True),
                    ft.Icon(ft.Icons.CHEVRON_RIGHT, color=ft.Colors.ON_SURFACE_VARIANT),
                ],
                vertical_alignment=ft.CrossAxisAlignment.CENTER,
            ),
        ),
    )


@ft.component
def GoalsStep() -> ft.Control:
    t = use_t()
    editor, record = use_record()
    assert record is not None

    def add(kind: GoalKind) -> None:
        current = editor.record
        if current is None:
            return
        goal = Goal(id=plans.new_goal_id(current), kind=kind, title="")
        editor.edit(partial(_new_goal, goal))
        ft.context.page.navigate(routes.goal(goal.id))

    body: list[ft.Control] = [ft.Text(t("goals.help"), size=13, key="goals-help")]
    body += [
        problem_text(t, p, "goals-too-many")
        for p in plans.validate_goals(record)
        if p.key == "hint.goals.too_many"
    ]
    for kind in GoalKind:
        goals = [g for g in record.goals if g.kind is kind]
        body.append(
            ft.Text(
                t(f"goals.kind.{kind}.heading"),
                size=16,
                weight=ft.FontWeight.BOLD,
                key=f"goals-heading-{kind}",
            )
        )
        body += [_goal_card(record, g, t) for g in goals]
        if not goals:
            body.append(ft.Text(t("goals.none"), size=13, color=ft.Colors.ON_SURFACE_VARIANT))
        body.append(
            ft.TextButton(
                t(f"goals.kind.{kind}.add"),
                icon=ft.Icons.ADD,
                key=f"goals-add-{kind}",
                on_click=partial(add, kind),
            )
        )
    return ft.Column(body, spacing=10)
