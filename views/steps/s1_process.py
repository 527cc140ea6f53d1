"""Who does what – when: the meeting and the dates that feed the reminders."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

import flet as ft

from mus.model import Party, enum_key
from views.context import use_record, use_t
from views.widgets.fields import DateField, NoteField, TimeField, choice_field


@ft.component
def ProcessStep() -> ft.Control:
    t = use_t()
    editor, record = use_record()
    assert record is not None
    c, pp = record.conversation, record.process_plan

    def conv(**changes: Any) -> None:
        editor.edit(lambda r: replace(r, conversation=replace(r.conversation, **changes)))

    def plan(**changes: Any) -> None:
        editor.edit(lambda r: replace(r, process_plan=replace(r.process_plan, **changes)))

    def set_follow_up(index: int, day: date | None) -> None:
        dates = list(record.process_plan.follow_up_dates)
        if day is None:
            if index < len(dates):
                dates.pop(index)
        elif index < len(dates):
            dates[index] = day
        else:
            dates.append(day)
        plan(follow_up_dates=tuple(sorted(dates)))

    # The pickers offer the days the rules allow: shared before, agreed and followed up after.
    meeting = c.meeting_date
    follow_ups = [
        DateField(f"follow-up-{i}", t("process.follow_up_n", n=i + 1), d,
                  partial(set_follow_up, i), earliest=meeting)
        for i, d in enumerate(pp.follow_up_dates)
    ]  # fmt: skip
    n = len(pp.follow_up_dates)
    follow_ups.append(
        DateField(f"follow-up-{n}", t("process.follow_up_add"), None,
                  lambda v: set_follow_up(n, v), earliest=meeting)
    )  # fmt: skip
    return ft.Column(
        [
            ft.Text(t("process.meeting"), size=16, weight=ft.FontWeight.BOLD),
            DateField("meeting-date", t("new.date"), c.meeting_date,
                      lambda v: conv(meeting_date=v)),
            TimeField("meeting-time", t("new.time"), c.meeting_time,
                      lambda v: conv(meeting_time=v)),
            NoteField("meeting-place", t("new.place"), c.meeting_place,
                      lambda v: conv(meeting_place=v), multiline=False),
            ft.Text(t("process.tasks"), size=16, weight=ft.FontWeight.BOLD),
            ft.Row([
                choice_field("summary-writer", label=t("process.summary_writer"),
                             value=pp.summary_writer, options=list(Party),
                             on_select=lambda p: plan(summary_writer=p),
                             label_of=lambda p: t(enum_key(p))),
            ]),
            DateField("prep-shared-by", t("process.prep_shared_by"), pp.prep_shared_by,
                      lambda v: plan(prep_shared_by=v), latest=meeting),
            DateField("plan-agreed-by", t("process.plan_agreed_by"), pp.plan_agreed_by,
                      lambda v: plan(plan_agreed_by=v), earliest=meeting),
            ft.Text(t("process.follow_ups"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("process.follow_ups.help"), size=13),
            *follow_ups,
        ],
        spacing=12,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )  # fmt: skip
