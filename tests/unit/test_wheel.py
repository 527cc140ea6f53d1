"""The wheel's order, phases and navigation rules."""

from __future__ import annotations

import pytest

from mus.i18n import Translator
from mus.wheel import (
    ELEMENTS,
    PHASES,
    STRATEGY,
    Phase,
    element,
    find,
    in_phase,
    next_of,
    previous_of,
)


def test_eight_elements_numbered_in_order() -> None:
    assert [e.number for e in ELEMENTS] == list(range(1, 9))
    assert len({e.id for e in ELEMENTS}) == 8


def test_danish_names_and_phases_follow_domain_md() -> None:
    da = Translator("da")
    assert [(da(e.title_key), e.phase) for e in ELEMENTS] == [
        ("Hvem gør hvad – hvornår?", Phase.BEFORE),
        ("Koncept og samtaleskema", Phase.BEFORE),
        ("Forberedelse", Phase.BEFORE),
        ("Den gode dialog", Phase.DURING),
        ("Feedback", Phase.DURING),
        ("Udviklingsmål", Phase.DURING),
        ("Evaluering", Phase.AFTER),
        ("Opfølgning", Phase.AFTER),
    ]
    assert da(STRATEGY.title_key) == "Strategi"
    assert STRATEGY.phase is Phase.CENTRE


def test_phases_cover_every_element_once() -> None:
    grouped = [e for phase in PHASES for e in in_phase(phase)]
    assert grouped == list(ELEMENTS)


def test_next_and_previous_walk_the_whole_wheel() -> None:
    walk = [STRATEGY]
    while (nxt := next_of(walk[-1])) is not None:
        walk.append(nxt)
    assert walk == [STRATEGY, *ELEMENTS]
    back = [ELEMENTS[-1]]
    while (prev := previous_of(back[-1])) is not None:
        back.append(prev)
    assert back == list(reversed(walk))


def test_lookup_by_id() -> None:
    assert element("goals").number == 6
    assert find("salary") is None
    with pytest.raises(KeyError):
        element("salary")
