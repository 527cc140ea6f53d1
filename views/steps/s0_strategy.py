"""The centre of the wheel: the workplace's goals and the unit's tasks this year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import flet as ft

from mus import plans
from mus.model import StrategyItem, StrategyKind, enum_key
from views.context import use_record, use_t
from views.widgets.buttons import icon_button
from views.widgets.fields import NoteField


@ft.component
def StrategyStep() -> ft.Control:
    t = use_t()
    editor, record = use_record()
    assert record is not None

    def add(kind: StrategyKind) -> None:
        editor.edit(
            lambda r: plans.with_strategy_item(
                r, StrategyItem(id=plans.new_strategy_item_id(r), kind=kind, text="")
            )
        )

    def remove(item_id: str) -> None:
        removed = next((i for i in record.strategy_items if i.id == item_id), None)
        editor.edit(lambda r: plans.without_strategy_item(r, item_id))
        if removed is not None:
            ft.context.page.show_dialog(
                ft.SnackBar(
                    ft.Text(t("strategy.deleted")),
                    action=t("action.undo"),
                    on_action=lambda: editor.edit(lambda r: plans.with_strategy_item(r, removed)),
                )
            )

    def save_text(item: StrategyItem) -> Callable[[str], None]:
        return lambda text: editor.edit(
            lambda r: plans.with_strategy_item(r, replace(item, text=text))
        )

    sections: list[ft.Control] = []
    for kind in StrategyKind:
        items = [i for i in record.strategy_items if i.kind is kind]
        sections.append(ft.Text(t(f"strategy.{kind}.heading"), size=16, weight=ft.FontWeight.BOLD))
        sections.append(ft.Text(t(f"strategy.{kind}.help"), size=13))
        for item in items:
            sections.append(
                ft.Row(
                    [
                        ft.Container(
                            expand=True,
                            content=NoteField(
                                f"strategy-{item.id}",
                                t(enum_key(kind)),
                                item.text,
                                save_text(item),
                            ),
                        ),
                        icon_button(
                            ft.Icons.DELETE_OUTLINE,
                            t("strategy.delete"),
                            key=f"strategy-delete-{item.id}",
                            on_click=lambda _, iid=item.id: remove(iid),
                        ),
                    ],
                    vertical_alignment=ft.CrossAxisAlignment.START,
                )
            )
        sections.append(
            ft.TextButton(
                t(f"strategy.{kind}.add"),
                icon=ft.Icons.ADD,
                key=f"strategy-add-{kind}",
                on_click=lambda _, k=kind: add(k),
            )
        )
    return ft.Column(sections, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
