"""Evaluation of the conversation itself, so the next one is better."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import flet as ft

from views.context import use_record, use_t
from views.widgets.fields import NoteField


@ft.component
def EvaluationStep() -> ft.Control:
    t = use_t()
    editor, record = use_record()
    assert record is not None
    ev = record.evaluation

    def save(field: str) -> Callable[[str], None]:
        return lambda text: editor.edit(
            lambda r: replace(r, evaluation=replace(r.evaluation, **{field: text}))
        )

    return ft.Column(
        [
            NoteField("evaluation-valuable", t("evaluation.most_valuable"), ev.most_valuable,
                      save("most_valuable"), min_lines=2),
            NoteField("evaluation-constructive", t("evaluation.constructive"),
                      ev.what_made_it_constructive, save("what_made_it_constructive"), min_lines=2),
            NoteField("evaluation-better", t("evaluation.better"), ev.better_next_time,
                      save("better_next_time"), min_lines=2),
        ],
        spacing=16,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )  # fmt: skip
