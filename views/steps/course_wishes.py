"""Course wishes in the preparation step: add, fill in, remove (with undo).

Each wish is a card with the arguments a leader needs to say yes. A wish is
removed at once, like an activity: the snack bar's "Fortryd" puts it back in
its place, so one wrong tap costs nothing. The short fields are one paragraph
each (they wrap, and Enter adds no line); the gain may run over several lines.
A switch puts the wish in the development plan (``CourseWish.in_plan``): the
text under it says what then leaves the phone's private preparation.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

import flet as ft

from mus import plans
from mus.i18n import Translator
from mus.model import ConversationRecord, CourseWish
from views.context import use_record, use_t
from views.state import EditorState
from views.widgets.buttons import icon_button
from views.widgets.fields import NoteField

UNDO_SECONDS = 10


def _added(r: ConversationRecord) -> ConversationRecord:
    return plans.with_course_wish(r, CourseWish(id=plans.new_course_wish_id(r), title=""))


def _changed(wish_id: str, field: str, value: str, r: ConversationRecord) -> ConversationRecord:
    """One field of the wish as it is now (a debounced save never undoes another field)."""
    wish = next((w for w in r.preparation.course_wishes if w.id == wish_id), None)
    changes: dict[str, Any] = {field: value}  # one of the text fields, named by the card
    return r if wish is None else plans.with_course_wish(r, replace(wish, **changes))


def _in_plan(wish_id: str, value: bool, r: ConversationRecord) -> ConversationRecord:
    """The wish put in the plan, or taken out, as it is now."""
    wish = next((w for w in r.preparation.course_wishes if w.id == wish_id), None)
    return r if wish is None else plans.with_course_wish(r, replace(wish, in_plan=value))


def _remove(editor: EditorState, t: Translator, wish_id: str) -> None:
    current = editor.record
    if current is None:
        return
    wishes = current.preparation.course_wishes
    gone = next((w for w in wishes if w.id == wish_id), None)
    if gone is None:
        return
    index = wishes.index(gone)
    editor.edit(partial(plans.without_course_wish, wish_id=wish_id))
    undo = partial(editor.edit, partial(plans.restore_course_wish, wish=gone, index=index))
    ft.context.page.show_dialog(
        ft.SnackBar(
            ft.Text(t("prep.course.deleted")),
            action=t("action.undo"),
            on_action=undo,
            duration=ft.Duration(seconds=UNDO_SECONDS),
        )
    )


def _card(t: Translator, editor: EditorState, number: int, wish: CourseWish) -> ft.Control:
    def save(field: str, value: str) -> None:
        editor.edit(partial(_changed, wish.id, field, value))

    fields: list[tuple[str, str, str, bool]] = [
        ("title", "course-title", t("prep.course.title"), False),
        ("gain_for_workplace", "course-gain", t("prep.course.gain"), True),
        ("cost", "course-cost", t("prep.course.cost"), False),
        ("time_needed", "course-time", t("prep.course.time"), False),
        ("own_time", "course-own", t("prep.course.own_time"), False),
    ]
    rows: list[ft.Control] = [
        ft.Row(
            [
                ft.Text(
                    t("prep.course.number", number=number),
                    size=16,
                    weight=ft.FontWeight.BOLD,
                    expand=True,
                ),
                icon_button(
                    ft.Icons.DELETE_OUTLINE,
                    t("prep.course.delete"),
                    key=f"course-delete-{wish.id}",
                    on_click=partial(_remove, editor, t, wish.id),
                ),
            ]
        ),
        *(
            NoteField(
                f"{key}-{wish.id}",
                label,
                getattr(wish, field),
                partial(save, field),
                multiline=multiline,
            )
            for field, key, label, multiline in fields
        ),
        # One fixed label, one meaning: on = in the plan (as "Del med lederen").
        ft.Switch(
            key=f"course-in-plan-{wish.id}",
            label=t("prep.course.in_plan"),
            value=wish.in_plan,
            on_change=lambda e: editor.edit(partial(_in_plan, wish.id, bool(e.control.value))),
        ),
        ft.Text(t("prep.course.in_plan_help"), size=13),
    ]
    return ft.Card(
        key=f"course-card-{wish.id}",
        content=ft.Container(
            padding=ft.Padding.all(12),
            content=ft.Column(rows, spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        ),
    )


@ft.component
def CourseWishes() -> ft.Control:
    t = use_t()
    editor, record = use_record()
    assert record is not None
    wishes = record.preparation.course_wishes
    return ft.Column(
        [
            ft.Text(t("prep.courses_heading"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("prep.courses_help"), size=13),
            *(_card(t, editor, n, w) for n, w in enumerate(wishes, start=1)),
            ft.TextButton(
                t("prep.course.add"),
                icon=ft.Icons.ADD,
                key="add-course",
                on_click=partial(editor.edit, _added),
            ),
        ],
        spacing=12,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )
