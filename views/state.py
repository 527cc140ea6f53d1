"""Session state the screens read; its methods name the change.

Components never mutate fields directly: they call a method here, and the
observable re-renders whoever read the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import flet as ft

from mus.i18n import Translator
from mus.ports import PreferencesStore
from mus.wheel import ELEMENTS, StepState


@ft.observable
@dataclass
class AppState:
    """What one open app session shows: language and the wheel's progress."""

    preferences: PreferencesStore
    language: str = "da"
    step_states: dict[str, StepState] = field(default_factory=dict)

    @property
    def t(self) -> Translator:
        return Translator(self.language)

    def choose_language(self, language: str) -> None:
        """Switch language and remember it for the next start."""
        prefs = self.preferences.load().with_language(language)
        self.preferences.save(prefs)
        self.language = prefs.language

    def state_of(self, element_id: str) -> StepState:
        return self.step_states.get(element_id, StepState.NOT_STARTED)

    def mark_step(self, element_id: str, done: bool) -> None:
        """The user ticks a step as done, or takes the tick back."""
        self.step_states = {
            **self.step_states,
            element_id: StepState.DONE if done else StepState.IN_PROGRESS,
        }

    def visit_step(self, element_id: str) -> None:
        """Opening a step for the first time starts it."""
        if self.state_of(element_id) is StepState.NOT_STARTED:
            self.step_states = {**self.step_states, element_id: StepState.IN_PROGRESS}

    def done_count(self) -> int:
        return sum(1 for e in ELEMENTS if self.state_of(e.id) is StepState.DONE)
