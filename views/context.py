"""What the screens get from above: the session state, handed down by context."""

from __future__ import annotations

from typing import Any

import flet as ft

from mus.i18n import Translator
from mus.model import ConversationRecord
from views.state import AppState, EditorState

AppStateContext: Any = ft.create_context(None)
EditorContext: Any = ft.create_context(None)


def use_app_state() -> AppState:
    """The session's state; subscribes the calling component to its changes."""
    state: AppState | None = ft.use_context(AppStateContext)
    if state is None:
        raise RuntimeError("use_app_state() outside the App provider")
    return state


def use_editor() -> EditorState:
    """The conversation being edited; subscribes the caller to its changes."""
    editor: EditorState | None = ft.use_context(EditorContext)
    if editor is None:
        raise RuntimeError("use_editor() outside the App provider")
    return editor


def use_record() -> tuple[EditorState, ConversationRecord | None]:
    editor = use_editor()
    return editor, editor.record


def use_t() -> Translator:
    """The translator for the session's current language."""
    return use_app_state().t
