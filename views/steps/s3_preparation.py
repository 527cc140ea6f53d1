"""Preparation: quick notes to the chosen questions, last year's plan, wishes.

Notes save as they are typed; each is private (``PrepNote.shared`` is False)
until the user turns on its one switch, "Del med lederen".
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

import flet as ft

from mus import questions
from mus.model import (
    ConversationRecord,
    ItemStatus,
    LastPlanFollowUp,
    PrepNote,
    enum_key,
)
from views.context import use_app_state, use_record
from views.steps.course_wishes import CourseWishes
from views.widgets.buttons import info_button
from views.widgets.fields import NoteField, choice_field


@ft.component
def PreparationStep() -> ft.Control:
    state = use_app_state()
    t, lang = state.t, state.language
    editor, record = use_record()
    assert record is not None
    prep = record.preparation

    def save_note(question_id: str, *, text: str | None = None, shared: bool | None = None) -> None:
        def change(r: ConversationRecord) -> ConversationRecord:
            rec = r
            old = rec.preparation.note(question_id)
            note = PrepNote(
                question_id=question_id,
                text=text if text is not None else (old.text if old else ""),
                updated_at=editor.clock(),
                shared=shared if shared is not None else (old.shared if old else False),
            )
            return replace(rec, preparation=rec.preparation.with_note(note))

        editor.edit(change)

    def save_text(question_id: str, text: str) -> None:
        save_note(question_id, text=text)

    def save_last(item: LastPlanFollowUp, **changes: Any) -> None:
        def change(r: ConversationRecord) -> ConversationRecord:
            items = tuple(
                replace(i, **changes) if i.goal_id == item.goal_id else i
                for i in r.preparation.last_plan
            )
            return replace(r, preparation=replace(r.preparation, last_plan=items))

        editor.edit(change)

    def save_last_status(item: LastPlanFollowUp, status: ItemStatus) -> None:
        save_last(item, status=status)

    def save_last_note(item: LastPlanFollowUp, note: str) -> None:
        save_last(item, note=note)

    notes: list[ft.Control] = []
    for entry in questions.entries(record.form):
        note = prep.note(entry.id)
        shared = bool(note and note.shared)
        question = entry.en if lang == "en" else entry.da
        notes.append(
            ft.Column(
                [
                    ft.Text(question, size=15, weight=ft.FontWeight.W_500),
                    NoteField(
                        f"prep-{entry.id}",
                        t("prep.note_label"),
                        note.text if note else "",
                        partial(save_text, entry.id),
                        hint=t("prep.note_hint"),
                        name=question,
                    ),
                    ft.Row(
                        [
                            # One fixed label, one meaning: on = shared. Screen readers
                            # read the state (a switch, checked or not), never a new label.
                            ft.Switch(
                                key=f"prep-share-{entry.id}",
                                label=t("prep.share"),
                                value=shared,
                                on_change=lambda e, q=entry.id: save_note(
                                    q, shared=bool(e.control.value)
                                ),
                            ),
                            *(
                                [info_button(ft.Icons.PRIVACY_TIP_OUTLINED, t("form.sensitive"),
                                             key=f"prep-sensitive-{entry.id}")]
                                if entry.sensitive else []
                            ),
                        ]
                    ),
                ],
                spacing=2,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            )
        )  # fmt: skip
    last: list[ft.Control] = []
    for item in prep.last_plan:
        last.append(
            ft.Column(
                [
                    ft.Text(f"{t(enum_key(item.goal_kind))}: {item.goal_title}",
                            weight=ft.FontWeight.BOLD),
                    ft.Row([choice_field(
                        f"last-status-{item.goal_id}", label=t("prep.last_status"),
                        value=item.status, options=list(ItemStatus),
                        on_select=partial(save_last_status, item),
                        label_of=lambda s: t(enum_key(s)))]),
                    NoteField(f"last-note-{item.goal_id}", t("prep.last_note"), item.note,
                              partial(save_last_note, item)),
                ],
                spacing=6,
                horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
            )
        )  # fmt: skip

    def save_wishes(text: str) -> None:
        editor.edit(lambda r: replace(r, preparation=replace(r.preparation, wishes=text)))

    return ft.Column(
        [
            ft.Text(t("prep.notes_heading"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("prep.notes_help"), size=13),
            *(notes or [ft.Text(t("form.empty"))]),
            *(
                [ft.Text(t("prep.last_heading"), size=16, weight=ft.FontWeight.BOLD), *last]
                if last else []
            ),
            ft.Text(t("prep.wishes_heading"), size=16, weight=ft.FontWeight.BOLD),
            NoteField("prep-wishes", t("prep.wishes"), prep.wishes, save_wishes,
                      hint=t("prep.wishes_hint"), min_lines=2),
            CourseWishes(),
        ],
        spacing=12,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )  # fmt: skip
