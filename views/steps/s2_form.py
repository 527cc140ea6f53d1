"""Concept and conversation form: the user's own MUS form from the question bank."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import flet as ft

from mus import plans, questions
from mus.model import Concept, ConversationForm, enum_key
from views.context import use_app_state, use_record
from views.widgets.a11y import own_node
from views.widgets.buttons import icon_button, info_button
from views.widgets.fields import WRAP_LINES, choice_field


@ft.component
def FormStep() -> ft.Control:
    state = use_app_state()
    t, lang = state.t, state.language
    editor, record = use_record()
    assert record is not None
    form = record.form
    own_text, set_own_text = ft.use_state("")
    chosen = set(form.question_ids)

    def set_form(change: Callable[[ConversationForm], ConversationForm]) -> None:
        editor.edit(lambda r: replace(r, form=change(r.form)))

    def toggle(question_id: str, on: bool) -> None:
        if on:
            set_form(lambda f: questions.add_question(f, question_id))
        else:
            editor.edit(lambda r: plans.drop_question(r, question_id))

    def add_own() -> None:
        text = own_text.strip()
        if text:
            set_form(lambda f: questions.add_own_question(f, text))
            set_own_text("")

    def badges(question_id: str, own: bool, sensitive: bool) -> list[ft.Control]:
        out: list[ft.Control] = []
        if own:
            out.append(ft.Text(t("form.own"), size=12, italic=True))
        if sensitive:
            out.append(
                info_button(
                    ft.Icons.PRIVACY_TIP_OUTLINED,
                    t("form.sensitive"),
                    key=f"form-sensitive-{question_id}",
                )
            )
        return out

    rows: list[ft.Control] = []
    entries = questions.entries(form)
    for i, entry in enumerate(entries):
        text = entry.en if lang == "en" else entry.da
        rows.append(
            ft.Container(
                key=f"form-row-{entry.id}",
                padding=ft.Padding.only(left=8),
                border=ft.Border.only(left=ft.BorderSide(3, ft.Colors.PRIMARY)),
                # One node per question (named by it), its buttons inside.
                content=own_node(ft.Column(
                    [
                        ft.Text(f"{i + 1}. {text}", size=15),
                        ft.Row(
                            [
                                *badges(entry.id, entry.own, entry.sensitive),
                                icon_button(ft.Icons.ARROW_UPWARD, t("form.move_up"),
                                            key=f"form-up-{entry.id}", disabled=i == 0,
                                            on_click=lambda _, q=entry.id: set_form(
                                                lambda f: questions.move_up(f, q))),
                                icon_button(ft.Icons.ARROW_DOWNWARD, t("form.move_down"),
                                            key=f"form-down-{entry.id}",
                                            disabled=i == len(entries) - 1,
                                            on_click=lambda _, q=entry.id: set_form(
                                                lambda f: questions.move_down(f, q))),
                                icon_button(ft.Icons.REMOVE_CIRCLE_OUTLINE, t("form.remove"),
                                            key=f"form-remove-{entry.id}",
                                            on_click=lambda _, q=entry.id: toggle(q, False)),
                            ],
                            alignment=ft.MainAxisAlignment.END,
                            spacing=0,
                        ),
                    ],
                    spacing=0,
                )),
            )
        )  # fmt: skip
    bank: list[ft.Control] = []
    for theme in questions.themes():
        qs = questions.questions_by_theme(theme.id)
        picked = sum(1 for q in qs if q.id in chosen)
        bank.append(
            ft.ExpansionTile(
                key=f"theme-{theme.id}",
                title=ft.Text(theme.name(lang)),
                subtitle=ft.Text(t("form.picked", picked=picked, total=len(qs))),
                controls=[
                    ft.Checkbox(
                        key=f"pick-{q.id}",
                        label=q.text(lang),
                        value=q.id in chosen,
                        on_change=lambda e, qid=q.id: toggle(qid, bool(e.control.value)),
                    )
                    for q in qs
                ],
            )
        )
    return ft.Column(
        [
            ft.Text(t("form.concept"), size=16, weight=ft.FontWeight.BOLD),
            ft.Row([
                choice_field("concept", label=t("form.concept"), value=form.concept,
                             options=list(Concept),
                             on_select=lambda c: set_form(lambda f: replace(f, concept=c)),
                             label_of=lambda c: t(enum_key(c))),
            ]),
            ft.Text(t("form.chosen", count=len(entries)), size=16, weight=ft.FontWeight.BOLD,
                    key="form-count"),
            *(rows or [ft.Text(t("form.empty"))]),
            ft.Text(t("form.own_heading"), size=16, weight=ft.FontWeight.BOLD),
            ft.Row(
                [
                    # One paragraph that wraps while it is written; Enter adds it.
                    ft.TextField(key="own-question", label=t("form.own_label"), value=own_text,
                                 expand=True, min_lines=1, max_lines=WRAP_LINES,
                                 on_change=lambda e: set_own_text(e.control.value or ""),
                                 on_submit=add_own),
                    icon_button(ft.Icons.ADD, t("form.add_own"), key="add-own",
                                on_click=add_own),
                ]
            ),
            ft.Text(t("form.bank"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("form.bank.help"), size=13),
            *bank,
        ],
        spacing=10,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )  # fmt: skip
