"""The good dialogue: meeting mode, one topic at a time, in large type.

Made for the table: the phone lies between two people, so the question is
big, the field for what was said is big, and "covered" is one tap.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import flet as ft

from mus import questions
from mus.model import TopicNote
from views.context import use_app_state, use_record
from views.widgets.fields import NoteField


@ft.component
def DialogueStep() -> ft.Control:
    state = use_app_state()
    t, lang = state.t, state.language
    editor, record = use_record()
    assert record is not None
    entries = questions.entries(record.form)
    index, set_index = ft.use_state(0)
    if not entries:
        return ft.Text(t("form.empty"))
    index = min(index, len(entries) - 1)
    entry = entries[index]
    topic = record.meeting_notes.topic(entry.id) or TopicNote(question_id=entry.id)
    covered = sum(1 for e in entries if (n := record.meeting_notes.topic(e.id)) and n.covered)
    shared = record.preparation.note(entry.id)

    def save(**changes: Any) -> None:
        editor.edit(
            lambda r: replace(
                r,
                meeting_notes=r.meeting_notes.with_topic(
                    replace(r.meeting_notes.topic(entry.id) or TopicNote(entry.id), **changes)
                ),
            )
        )

    def save_summary(text: str) -> None:
        editor.edit(lambda r: replace(r, meeting_notes=replace(r.meeting_notes, summary=text)))

    return ft.Column(
        [
            ft.Text(t("dialogue.progress", n=index + 1, total=len(entries), covered=covered),
                    size=14, key="dialogue-progress"),
            ft.ProgressBar(value=covered / len(entries)),
            ft.Text((entry.en if lang == "en" else entry.da), size=24,
                    weight=ft.FontWeight.BOLD, key="dialogue-question"),
            *(
                [ft.Text(t("dialogue.your_note", note=shared.text), size=15, italic=True,
                         color=ft.Colors.ON_SURFACE_VARIANT)]
                if shared and shared.text else []
            ),
            NoteField(f"said-{entry.id}", t("dialogue.said"), topic.said,
                      lambda text: save(said=text), text_size=20, min_lines=4),
            ft.Checkbox(key=f"covered-{entry.id}", label=t("dialogue.covered"),
                        value=topic.covered, label_style=ft.TextStyle(size=18),
                        on_change=lambda e: save(covered=bool(e.control.value))),
            ft.Row(
                [
                    ft.OutlinedButton(t("dialogue.previous"), icon=ft.Icons.CHEVRON_LEFT,
                                      key="topic-previous", disabled=index == 0,
                                      on_click=lambda: set_index(index - 1)),
                    ft.OutlinedButton(t("dialogue.next"), icon=ft.Icons.CHEVRON_RIGHT,
                                      key="topic-next", disabled=index == len(entries) - 1,
                                      on_click=lambda: set_index(index + 1)),
                ],
                alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
            ),
            ft.Divider(),
            NoteField("meeting-summary", t("dialogue.summary"), record.meeting_notes.summary,
                      save_summary, hint=t("dialogue.summary_hint"), min_lines=3),
        ],
        spacing=14,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )  # fmt: skip
