"""The MUS wheel: strategy at the centre, eight elements in three phases.

The order is our reading of Kompetencesekretariatet's wheel (see
``shared/domain.md``); it lives here and nowhere else, so it can change in one
place. Every user-facing text is a catalog key derived from the element's id.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Phase(enum.StrEnum):
    """When in the yearly process an element belongs."""

    CENTRE = "centre"
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class StepState(enum.StrEnum):
    """How far the user has come with one element of the current conversation."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Element:
    """One element of the wheel (or its centre), keyed by a stable id."""

    id: str
    number: int
    phase: Phase
    icon: str

    @property
    def title_key(self) -> str:
        return f"wheel.{self.id}.title"

    @property
    def purpose_key(self) -> str:
        return f"wheel.{self.id}.purpose"


STRATEGY = Element("strategy", 0, Phase.CENTRE, "flag")

#: The eight elements in the order the app walks them.
ELEMENTS: tuple[Element, ...] = (
    Element("process", 1, Phase.BEFORE, "event_note"),
    Element("form", 2, Phase.BEFORE, "list_alt"),
    Element("preparation", 3, Phase.BEFORE, "edit_note"),
    Element("dialogue", 4, Phase.DURING, "forum"),
    Element("feedback", 5, Phase.DURING, "swap_horiz"),
    Element("goals", 6, Phase.DURING, "track_changes"),
    Element("evaluation", 7, Phase.AFTER, "rate_review"),
    Element("follow_up", 8, Phase.AFTER, "event_repeat"),
)

PHASES: tuple[Phase, ...] = (Phase.BEFORE, Phase.DURING, Phase.AFTER)

_BY_ID: dict[str, Element] = {e.id: e for e in (STRATEGY, *ELEMENTS)}


def element(element_id: str) -> Element:
    """The element with this id; ``KeyError`` for an unknown one."""
    return _BY_ID[element_id]


def find(element_id: str) -> Element | None:
    """The element with this id, or ``None`` (for routes typed by hand)."""
    return _BY_ID.get(element_id)


def in_phase(phase: Phase) -> tuple[Element, ...]:
    """The elements of one phase, in wheel order."""
    return tuple(e for e in ELEMENTS if e.phase is phase)


def next_of(current: Element) -> Element | None:
    """The element after ``current``; the strategy centre leads to step 1."""
    if current is STRATEGY:
        return ELEMENTS[0]
    i = ELEMENTS.index(current)
    return ELEMENTS[i + 1] if i + 1 < len(ELEMENTS) else None


def previous_of(current: Element) -> Element | None:
    """The element before ``current``; step 1 goes back to the strategy centre."""
    if current is STRATEGY:
        return None
    i = ELEMENTS.index(current)
    return ELEMENTS[i - 1] if i > 0 else STRATEGY
