"""What a screen reader needs that Flet does not give by itself."""

from __future__ import annotations

import flet as ft


def own_node(
    control: ft.Control, *, name: str | None = None, value: str | None = None
) -> ft.Control:
    """``control`` as a node of its own in the accessibility tree, said as ``name``.

    Flutter merges a node that is not a boundary into the nearest one above
    it: a lone text field took its section's heading and help as its name
    ("Slet alt Sletter nøglerne …"), and a menu's nameless button made the
    whole step around it one big button. A container node keeps each apart.
    With a ``name`` (said first, before a field's own label) or a ``value``
    (said after it), everything inside becomes that one node: without the
    merge, a text field stayed a nameless-looking child of a named group.
    """
    node = ft.Semantics(container=True, label=name, value=value, content=control)
    if name is None and value is None:
        node.expand = control.expand
        return node
    return ft.MergeSemantics(content=node, expand=control.expand)


def tile_and_button(tile: ft.Control, button: ft.Control) -> ft.Control:
    """A list tile that opens something, with a button of its own beside it.

    As the tile's ``trailing``, the button became a node inside the tile's
    button ("MUS 2026 – Sofie …" holding "Slet samtalen"): a screen reader
    heard one long button. Beside the tile, each is a node of its own.
    """
    return ft.Row(
        [ft.Container(own_node(tile), expand=True), own_node(button)],
        spacing=0,
        vertical_alignment=ft.CrossAxisAlignment.CENTER,
    )
