"""Feedback both ways: what the employee was told, and told the leader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import flet as ft

from views.context import use_record, use_t
from views.widgets.fields import NoteField


@ft.component
def FeedbackStep() -> ft.Control:
    t = use_t()
    editor, record = use_record()
    assert record is not None
    fb = record.feedback

    def save(field: str) -> Callable[[str], None]:
        return lambda text: editor.edit(
            lambda r: replace(r, feedback=replace(r.feedback, **{field: text}))
        )

    return ft.Column(
        [
            NoteField("feedback-strengths", t("feedback.strengths"), fb.strengths,
                      save("strengths"), hint=t("feedback.strengths.hint"), min_lines=3),
            NoteField("feedback-areas", t("feedback.areas"), fb.areas_to_develop,
                      save("areas_to_develop"), hint=t("feedback.areas.hint"), min_lines=3),
            NoteField("feedback-given", t("feedback.given"), fb.given_to_leader,
                      save("given_to_leader"), hint=t("feedback.given.hint"), min_lines=3),
        ],
        spacing=16,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )  # fmt: skip
