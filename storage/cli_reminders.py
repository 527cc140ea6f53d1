"""``reminders list`` and ``reminders ics``: the follow-up rhythm outside the app.

Schedules are first brought in line with their conversations
(``mus.reminders.reconcile``, as the app does whenever a record or schedule is
saved); then ``due``/``upcoming`` pick what to show and ``reminder_text`` words
it. No names or notes are printed: only the date, the kind and the catalog's
title (which may hold an activity's short description, as on the phone's
lock screen; ``--no-activity-text`` leaves that out too).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from mus.errors import EXIT_OK, DiskError
from mus.model import ConversationRecord
from mus.reminders import (
    DueReminder,
    Schedule,
    due,
    reconcile,
    relative_day,
    reminder_text,
    successors,
    today_in_copenhagen,
    upcoming,
)
from storage.cli_context import Context, check_output, write_output
from storage.session import VaultSession


def reconciled(session: VaultSession) -> tuple[tuple[Schedule, ...], dict[str, ConversationRecord]]:
    """Every schedule settled against its record and saved when it changed.

    A save that fails (read-only medium) does not stop the listing: the settled
    schedules are used from memory and the app settles them again on its next save.
    """
    repo = session.conversations()
    records = {c.id: r for c in repo.list() if (r := repo.get(c.id)) is not None}
    after = successors(records.values())
    store = session.schedules()
    out: list[Schedule] = []
    for schedule in store.all():
        record = records.get(schedule.conversation_id)
        if record is None:
            out.append(schedule)
            continue
        settled = reconcile(schedule, record, successor=after.get(record.id))
        if settled != schedule:
            with contextlib.suppress(DiskError):
                store.save(settled)
        out.append(settled)
    return tuple(out), records


def line(ctx: Context, item: DueReminder, language: str, with_activity: bool) -> str:
    text = reminder_text(item.reminder, language, include_activity_text=with_activity)
    kind = ctx.t(f"reminder.kind.{item.reminder.kind.value}")
    return ctx.t(
        "cli.reminders.line",
        date=item.on.isoformat(),
        when=relative_day(item, language),
        kind=kind,
        title=text.title,
    )


def list_(ctx: Context) -> int:
    """Due and overdue first (oldest first), then the next ``--days`` days."""
    language = ctx.t.language
    with_activity = not ctx.args.no_activity_text
    today = today_in_copenhagen(ctx.clock())
    with ctx.opened() as session:
        schedules, records = reconciled(session)
    now = due(schedules, records, today)
    soon = upcoming(schedules, records, today, days=ctx.args.days)
    for item in (*now, *soon):
        ctx.console.say(line(ctx, item, language, with_activity))
    if not now and not soon:
        ctx.console.note(ctx.t("cli.reminders.none", days=ctx.args.days))
    return EXIT_OK


def ics(ctx: Context) -> int:
    """One calendar file with every reminder (stable UIDs: importing again updates)."""
    out = Path(ctx.args.out)
    check_output(out)
    from mus.calendar import schedule_ics  # icalendar loads only for this command

    with ctx.opened() as session:
        schedules, _ = reconciled(session)
    data = schedule_ics(
        schedules,
        ctx.t.language,
        ctx.clock(),
        include_activity_text=not ctx.args.no_activity_text,
    )
    write_output(out, data)
    count = sum(len(s.reminders) for s in schedules)
    ctx.console.say(ctx.t("cli.reminders.ics_done", count=count))
    return EXIT_OK
