"""One development goal with its activities, saved as it is typed.

Reached from the goals step (``/wheel/goals/<goal_id>``). Every change is a
small function of the *current* record (looked up by id when it is applied),
so a debounced note landing after another field's change never undoes it.

A goal that is new (or still blank) shows no errors before the person has
typed into or left a field: an empty form is not a mistake. A goal opened
with something in it shows what is missing at once, as its card does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import flet as ft

from mus import plans
from mus.i18n import Translator
from mus.model import (
    Activity,
    ActivityKind,
    ConversationRecord,
    Goal,
    GoalKind,
    Responsible,
    enum_key,
)
from mus.plans import Problem, Severity
from mus.reminders import today_in_copenhagen
from mus.wheel import element
from views import routes
from views.context import use_app_state, use_editor
from views.screens.not_found import not_found_screen
from views.state import EditorState
from views.steps.s6_goals import problem_text
from views.widgets.buttons import icon_button
from views.widgets.fields import DateField, NoteField, choice_field
from views.widgets.scaffold import screen

GOALS = element("goals")
UNDO_SECONDS = 10


# ------------------------------------------------------------ record changes


def _goal_changed(
    goal_id: str, changes: dict[str, Any], r: ConversationRecord
) -> ConversationRecord:
    goal = r.goal(goal_id)
    return r if goal is None else plans.with_goal(r, replace(goal, **changes))


def _strategy_toggled(
    goal_id: str, item_id: str, on: bool, r: ConversationRecord
) -> ConversationRecord:
    goal = r.goal(goal_id)
    if goal is None:
        return r
    ids = tuple(i for i in goal.strategy_item_ids if i != item_id)
    if on:
        # Keep the strategy's own order, so the plan reads the same way everywhere.
        order = [s.id for s in r.strategy_items]
        ids = tuple(sorted((*ids, item_id), key=lambda i: order.index(i) if i in order else 0))
    return plans.with_goal(r, replace(goal, strategy_item_ids=ids))


def _activity_changed(
    activity_id: str, changes: dict[str, Any], r: ConversationRecord
) -> ConversationRecord:
    activity = r.activity(activity_id)
    return r if activity is None else plans.with_activity(r, replace(activity, **changes))


def _activity_added(activity: Activity, r: ConversationRecord) -> ConversationRecord:
    return plans.with_activity(r, activity)


def _activity_removed(activity_id: str, r: ConversationRecord) -> ConversationRecord:
    return plans.without_activity(r, activity_id)


def _activity_restored(activity: Activity, index: int, r: ConversationRecord) -> ConversationRecord:
    if r.goal(activity.goal_id) is None or r.activity(activity.id) is not None:
        return r
    items = list(r.activities)
    items.insert(min(index, len(items)), activity)
    return replace(r, activities=tuple(items))


def _goal_removed(goal_id: str, r: ConversationRecord) -> ConversationRecord:
    return plans.without_goal(r, goal_id)


def _goal_restored(
    goal: Goal, index: int, activities: tuple[Activity, ...], r: ConversationRecord
) -> ConversationRecord:
    """Undo: the goal back in its place, with its activities."""
    if r.goal(goal.id) is not None:
        return r
    goals = list(r.goals)
    goals.insert(min(index, len(goals)), goal)
    taken = {a.id for a in r.activities}
    back = tuple(a for a in activities if a.id not in taken)
    return replace(r, goals=tuple(goals), activities=(*r.activities, *back))


def _plus(item: str, items: frozenset[str]) -> frozenset[str]:
    return items | {item}


def _is_blank(record: ConversationRecord, goal: Goal) -> bool:
    """Nothing typed, ticked or added yet: a goal just made with "Tilføj"."""
    texts = (goal.title, goal.why, goal.success_signs)
    return (
        not any(x.strip() for x in texts)
        and not goal.strategy_item_ids
        and not record.activities_for(goal.id)
    )


# ------------------------------------------------------------ the screen


class _ActivityActions:
    """What an activity card may do: each change applied to the current record."""

    def __init__(
        self,
        editor: EditorState,
        t: Translator,
        goal_id: str,
        *,
        mark_new: Callable[[str], None],
        confirm_past: Callable[[str], None],
        touch: Callable[[str, str], None],
    ) -> None:
        self.editor = editor
        self.t = t
        self.goal_id = goal_id
        self.mark_new = mark_new
        self.confirm_past = confirm_past
        self.touch = touch

    def save(self, activity_id: str, field: str, value: Any) -> None:
        self.touch(activity_id, f"activity.{field}")
        self.editor.edit(partial(_activity_changed, activity_id, {field: value}))

    def left(self, activity_id: str, field: str) -> None:
        self.touch(activity_id, f"activity.{field}")

    def add(self) -> None:
        current = self.editor.record
        if current is None:
            return
        activity = Activity(
            id=plans.new_activity_id(current), goal_id=self.goal_id, kind=ActivityKind.COURSE
        )
        self.mark_new(activity.id)
        self.editor.edit(partial(_activity_added, activity))

    def delete(self, activity_id: str) -> None:
        current = self.editor.record
        gone = current.activity(activity_id) if current is not None else None
        if current is None or gone is None:
            return
        index = current.activities.index(gone)
        self.editor.edit(partial(_activity_removed, activity_id))
        undo = partial(self.editor.edit, partial(_activity_restored, gone, index))
        ft.context.page.show_dialog(_undo_bar(self.t("goals.activity.deleted"), self.t, undo))


def _activity_card(
    t: Translator,
    number: int,
    a: Activity,
    problems: tuple[Problem, ...],
    *,
    confirmed: bool,
    act: _ActivityActions,
) -> ft.Control:
    """One activity: what, who, when, its follow-up and the use of the new skills."""
    by_field = _by_field(problems, t)
    past = any(p.key == "field.activity.when.past" for p in problems)
    ask_past = past and not confirmed
    when_error = by_field.get("activity.when") if (ask_past or not past) else None
    rows: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(
                    t("goals.activity.number", number=number),
                    size=16,
                    weight=ft.FontWeight.BOLD,
                    expand=True,
                ),
                icon_button(
                    ft.Icons.DELETE_OUTLINE,
                    t("goals.activity.delete"),
                    key=f"activity-delete-{a.id}",
                    on_click=partial(act.delete, a.id),
                ),
            ]
        ),
        ft.Row(
            [
                choice_field(
                    f"activity-kind-{a.id}",
                    t("goals.activity.kind"),
                    value=a.kind,
                    options=list(ActivityKind),
                    on_select=partial(act.save, a.id, "kind"),
                    label_of=lambda k: t(enum_key(k)),
                )
            ]
        ),
        NoteField(
            f"activity-description-{a.id}",
            t("goals.activity.description"),
            a.description,
            partial(act.save, a.id, "description"),
            error=by_field.get("activity.description"),
            on_leave=partial(act.left, a.id, "description"),
        ),
        ft.Row(
            [
                choice_field(
                    f"activity-responsible-{a.id}",
                    t("goals.activity.responsible"),
                    value=a.responsible,
                    options=list(Responsible),
                    on_select=partial(act.save, a.id, "responsible"),
                    label_of=lambda r: t(enum_key(r)),
                )
            ]
        ),
    ]
    if a.responsible is Responsible.OTHER:
        rows.append(
            NoteField(
                f"activity-responsible-other-{a.id}",
                t("goals.activity.responsible_other"),
                a.responsible_other,
                partial(act.save, a.id, "responsible_other"),
                multiline=False,
                on_leave=partial(act.left, a.id, "responsible_other"),
                hint=t("goals.activity.responsible_other.hint"),
                error=by_field.get("activity.responsible_other"),
            )
        )
    rows.append(
        DateField(
            f"activity-when-{a.id}",
            t("goals.activity.when"),
            a.when,
            partial(act.save, a.id, "when"),
            error=when_error,
        )
    )
    if ask_past:
        rows.append(
            ft.TextButton(
                t("goals.activity.when.confirm"),
                icon=ft.Icons.CHECK,
                key=f"activity-when-confirm-{a.id}",
                on_click=partial(act.confirm_past, a.id),
            )
        )
    rows += [
        NoteField(
            f"activity-follow-up-how-{a.id}",
            t("goals.activity.follow_up_how"),
            a.follow_up_how,
            partial(act.save, a.id, "follow_up_how"),
        ),
        DateField(
            f"activity-follow-up-when-{a.id}",
            t("goals.activity.follow_up_when"),
            a.follow_up_when,
            partial(act.save, a.id, "follow_up_when"),
        ),
    ]
    if "activity.follow_up_when" in by_field:
        hint = next(p for p in problems if p.field == "activity.follow_up_when")
        rows.append(problem_text(t, hint, f"activity-hint-{a.id}"))
    rows.append(
        NoteField(
            f"activity-use-{a.id}",
            t("goals.activity.use_of_skills"),
            a.use_of_skills,
            partial(act.save, a.id, "use_of_skills"),
            hint=t("goals.activity.use_of_skills.hint"),
        )
    )
    return ft.Card(
        key=f"activity-card-{a.id}",
        content=ft.Container(
            padding=ft.Padding.all(12),
            content=ft.Column(rows, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        ),
    )


def _by_field(problems: tuple[Problem, ...], t: Translator) -> dict[str, str]:
    """The first problem per field, in words; errors before hints."""
    found: dict[str, str] = {}
    for p in sorted(problems, key=lambda p: p.severity is Severity.HINT):
        found.setdefault(p.field, t(p.key, **p.kwargs))
    return found


def _go_to_goals() -> None:
    ft.context.page.navigate(routes.step(GOALS))


def _go_to_strategy(goal_id: str) -> None:
    """Opened inside the goal, so back returns here, not to the wheel."""
    ft.context.page.navigate(routes.goal_strategy(goal_id))


@dataclass(frozen=True, slots=True)
class _GoalActions:
    """What the goal's own fields may do."""

    save: Callable[[str, Any], None]
    set_strategy: Callable[[str, bool], None]
    left: Callable[[str], None]

    def toggle_strategy(self, item_id: str, e: ft.Event[ft.Checkbox]) -> None:
        self.set_strategy(item_id, bool(e.control.value))


def _strategy_section(
    t: Translator,
    record: ConversationRecord,
    goal: Goal,
    problems: tuple[Problem, ...],
    act: _GoalActions,
) -> list[ft.Control]:
    """Checkboxes over the strategy entries the goal is anchored in."""
    section: list[ft.Control] = [
        ft.Text(t("goals.strategy.heading"), size=16, weight=ft.FontWeight.BOLD),
        ft.Text(t("goals.strategy.help"), size=13),
    ]
    for item in record.strategy_items:
        text = item.text.strip() or t("goals.strategy.untitled")
        on = item.id in goal.strategy_item_ids
        # A Checkbox's own label never wraps: a long entry would run off a phone.
        # Merged, the box and its text are one checkbox to a screen reader
        # (not a checkbox and a button that both say the text).
        section.append(
            ft.MergeSemantics(
                content=ft.Row(
                    [
                        ft.Checkbox(
                            key=f"goal-strategy-{item.id}",
                            value=on,
                            on_change=partial(act.toggle_strategy, item.id),
                        ),
                        ft.Container(
                            expand=True,
                            padding=ft.Padding.only(top=12, bottom=8),
                            on_click=partial(act.set_strategy, item.id, not on),
                            content=ft.Text(text, size=14),
                        ),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.START,
                    spacing=4,
                )
            )
        )
    if not record.strategy_items:
        section += [
            ft.Text(t("goals.strategy.none"), size=13),
            ft.TextButton(
                t("goals.strategy.open"),
                icon=ft.Icons.FLAG_OUTLINED,
                key="goal-strategy-open",
                on_click=partial(_go_to_strategy, goal.id),
            ),
        ]
    section += [
        problem_text(t, p, "goal-strategy-problem")
        for p in problems
        if p.field == "goal.strategy_items"
    ]
    return section


def _goal_fields(
    t: Translator,
    record: ConversationRecord,
    goal: Goal,
    act: _GoalActions,
    shown: Callable[[Problem], bool],
) -> list[ft.Control]:
    """The goal itself: kind, title, why, the signs it is reached, its anchoring."""
    problems = tuple(
        p for p in plans.validate_goal(goal, (s.id for s in record.strategy_items)) if shown(p)
    )
    by_field = _by_field(problems, t)
    return [
        ft.Row(
            [
                choice_field(
                    "goal-kind",
                    t("goals.field.kind"),
                    value=goal.kind,
                    options=list(GoalKind),
                    on_select=partial(act.save, "kind"),
                    label_of=lambda k: t(enum_key(k)),
                )
            ]
        ),
        NoteField(
            "goal-title",
            t("goals.field.title"),
            goal.title,
            partial(act.save, "title"),
            hint=t("goals.field.title.hint"),
            error=by_field.get("goal.title"),
            autofocus=not goal.title,
            multiline=False,
            on_leave=partial(act.left, "title"),
        ),
        NoteField(
            "goal-why",
            t("goals.field.why"),
            goal.why,
            partial(act.save, "why"),
            hint=t("goals.field.why.hint"),
        ),
        NoteField(
            "goal-success-signs",
            t("goals.field.success_signs"),
            goal.success_signs,
            partial(act.save, "success_signs"),
            hint=t("goals.field.success_signs.hint"),
            error=by_field.get("goal.success_signs"),
            min_lines=2,
            on_leave=partial(act.left, "success_signs"),
        ),
        *_strategy_section(t, record, goal, problems, act),
    ]


def _missing_screen(t: Translator, location: str, *, no_conversation: bool) -> ft.View:
    """A deleted goal (or no conversation open): say so and lead back."""
    body: list[ft.Control] = [
        ft.Text(
            t("wheel.no_conversation") if no_conversation else t("goals.editor.not_found"),
            key="goal-missing",
        ),
        ft.FilledButton(
            t("goals.editor.back"),
            icon=ft.Icons.ARROW_BACK,
            key="goal-missing-back",
            on_click=_go_to_goals,
        ),
    ]
    return screen(location, t("wheel.goals.title"), body, t=t)


def _undo_bar(text: str, t: Translator, undo: Callable[[], None]) -> ft.SnackBar:
    return ft.SnackBar(
        ft.Text(text),
        action=t("action.undo"),
        on_action=undo,
        duration=ft.Duration(seconds=UNDO_SECONDS),
    )


@ft.component
def GoalView() -> ft.View:
    params = ft.use_route_params()
    location_now = ft.use_route_location()
    state = use_app_state()
    editor = use_editor()
    t = state.t
    page = ft.context.page
    # Screen-local: the delete question, activities added on this visit (a past
    # date is questioned only for those), and past dates already confirmed.
    confirm_delete, set_confirm_delete = ft.use_state(False)
    new_ids, set_new_ids = ft.use_state(frozenset[str]())
    confirmed, set_confirmed = ft.use_state(frozenset[str]())
    # Fields the person has typed into or left ("<subject id>:<field>"), and
    # whether the goal was blank when this visit began (then errors wait for those).
    touched, set_touched = ft.use_state(frozenset[str]())

    goal_id = params.get("goal_id", "")
    record = editor.record
    goal = record.goal(goal_id) if record is not None else None
    quiet_goal, _ = ft.use_state(
        record is not None and goal is not None and _is_blank(record, goal)
    )

    def delete_goal() -> None:
        set_confirm_delete(False)
        current = editor.record
        gone = current.goal(goal_id) if current is not None else None
        if current is None or gone is None:
            return
        index = current.goals.index(gone)
        activities = current.activities_for(goal_id)
        _go_to_goals()
        editor.edit(partial(_goal_removed, goal_id))
        undo = partial(editor.edit, partial(_goal_restored, gone, index, activities))
        page.show_dialog(_undo_bar(t("goals.deleted"), t, undo))

    dialog = ft.AlertDialog(
        modal=True,
        title=ft.Text(t("goals.delete_confirm.title")),
        content=ft.Text(t("goals.delete_confirm.text")),
        actions=[
            ft.TextButton(
                t("action.cancel"),
                key="goal-delete-cancel",
                on_click=partial(set_confirm_delete, False),
            ),
            ft.FilledButton(t("action.delete"), key="goal-delete-confirm", on_click=delete_goal),
        ],
        on_dismiss=partial(set_confirm_delete, False),
    )
    ft.use_dialog(dialog if confirm_delete and goal is not None else None)

    location = routes.goal(goal_id)
    if params.get("element", GOALS.id) != GOALS.id:
        return not_found_screen(location_now or location, t)
    if record is None or goal is None:
        return _missing_screen(t, location, no_conversation=record is None)

    def touch(subject_id: str, field: str) -> None:
        set_touched(partial(_plus, f"{subject_id}:{field}"))

    def shown(p: Problem) -> bool:
        """Hints always; an error once its field was visited, or at once on a goal
        that had something in it when opened (for its activities from then)."""
        if p.severity is Severity.HINT or f"{p.subject_id}:{p.field}" in touched:
            return True
        return not quiet_goal and p.subject_id not in new_ids

    def save_goal(field: str, value: Any) -> None:
        touch(goal_id, f"goal.{field}")
        editor.edit(partial(_goal_changed, goal_id, {field: value}))

    def set_strategy(item_id: str, on: bool) -> None:
        editor.edit(partial(_strategy_toggled, goal_id, item_id, on))

    today = today_in_copenhagen(editor.clock())  # the reminders' day, not UTC's
    goal_ids = [g.id for g in record.goals]
    activities = record.activities_for(goal_id)
    actions = _ActivityActions(
        editor,
        t,
        goal_id,
        mark_new=lambda activity_id: set_new_ids(partial(_plus, activity_id)),
        confirm_past=lambda activity_id: set_confirmed(partial(_plus, activity_id)),
        touch=touch,
    )
    body: list[ft.Control] = [
        *_goal_fields(
            t,
            record,
            goal,
            _GoalActions(save_goal, set_strategy, lambda field: touch(goal_id, f"goal.{field}")),
            shown,
        ),
        ft.Text(t("goals.activities.heading"), size=16, weight=ft.FontWeight.BOLD),
        ft.Text(t("goals.activities.help"), size=13),
        *(
            _activity_card(
                t,
                n,
                a,
                tuple(
                    p
                    for p in plans.validate_activity(
                        a, goal_ids, today=today, is_new=a.id in new_ids
                    )
                    if shown(p)
                ),
                confirmed=a.id in confirmed,
                act=actions,
            )
            for n, a in enumerate(activities, start=1)
        ),
    ]
    if not activities and (not quiet_goal or touched):
        body.append(
            ft.Text(
                t("field.goal.activities.required"),
                key="goal-activities-problem",
                size=13,
                color=ft.Colors.ERROR,
            )
        )
    body += [
        ft.FilledTonalButton(
            t("goals.activity.add"), icon=ft.Icons.ADD, key="activity-add", on_click=actions.add
        ),
        ft.Divider(),
        ft.OutlinedButton(
            t("goals.delete"),
            icon=ft.Icons.DELETE_OUTLINE,
            key="goal-delete",
            style=ft.ButtonStyle(color=ft.Colors.ERROR),
            on_click=partial(set_confirm_delete, True),
        ),
    ]
    return screen(location, t(enum_key(goal.kind)), body, t=t)
