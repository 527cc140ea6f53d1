"""One word for one thing: the same role, status or term reads the same wherever it is used.

Issue 11 found "Medarbejderen" in the goal editor's "who starts it?" and
"Medarbejder" in "who writes the summary?", and "Under way" beside "In
progress". The choices come from two enums (``Party``, ``Responsible``) with
catalog keys of their own; these tests hold their words together, on the
screens' menus (tests/ui/test_words_ui.py) and in the PDFs alike.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mus.demo import example_conversation
from mus.i18n import LANGUAGES, Translator
from mus.model import ItemStatus, Party, Responsible, enum_key
from mus.report import Fields, Table, plan_report, summary_report
from mus.wheel import StepState

ROLES = ("employee", "leader", "both")


@pytest.mark.parametrize("language", LANGUAGES)
def test_owner_choices_are_one_set_of_words(language: str) -> None:
    t = Translator(language)
    for role in ROLES:
        assert t(enum_key(Party(role))) == t(enum_key(Responsible(role))), role
    # And the words differ from one another (a menu of three "Begge" says nothing).
    assert len({t(enum_key(Responsible(r))) for r in Responsible}) == len(Responsible)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pdfs_use_the_same_owner_words(language: str) -> None:
    t = Translator(language)
    record = example_conversation(date(2026, 11, 29))
    writer = record.process_plan.summary_writer
    assert writer is not None
    fields = [
        f
        for s in summary_report(record, t).sections
        for b in s.blocks
        if isinstance(b, Fields)
        for f in b.rows
        if f.label == t("pdf.field.summary_writer")
    ]
    assert [f.value for f in fields] == [t(enum_key(writer))]
    # An owner without a name keeps the role word: the menu's word.
    nameless = replace(record, conversation=replace(record.conversation, employee_name=" "))
    owners = {
        row[1]
        for s in plan_report(nameless, t).sections
        for b in s.blocks
        if isinstance(b, Table) and len(b.headings) > 1
        for row in b.rows
        if b.headings[1] == t("pdf.activity.responsible")
    }
    assert t(enum_key(Responsible.EMPLOYEE)) in owners


@pytest.mark.parametrize("language", LANGUAGES)
def test_in_progress_is_one_word_for_steps_and_activities(language: str) -> None:
    t = Translator(language)
    assert t(enum_key(ItemStatus.UNDER_WAY)) == t(f"state.{StepState.IN_PROGRESS.value}")
    assert t(enum_key(ItemStatus.NOT_STARTED)) == t(f"state.{StepState.NOT_STARTED.value}")
