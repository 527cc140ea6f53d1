"""What is due, for a vault of 10 years x 30 employees, against a plain loop in the same run.

The records are the example conversation's shape with varied dates, chained
year to year with ``previous_id`` (as ``carry_forward`` does); each has its
proposed schedule, reconciled with the plan that replaced it, as the app keeps
them. Timed, each a median over several runs:

  * ``due()`` over the reconciled vault (the home screen's call);
  * ``counts()`` for the nav badge;
  * ``year()``, the reminders screen's whole year (each current plan settled in
    full, old plans only where something was left open);
  * ``due()`` over schedules never reconciled (worst case: every old plan's
    reminders still stored open, so each record's follow-ups are read);
  * ``reconcile()`` of every schedule (for scale; done on save, one at a time).

Baseline: a plain loop over the same schedules comparing dates (no records, so
it ignores check-ins, drops and replaced plans). Target: ``due()`` under 20 ms.

    .venv/bin/python bench/bench_reminders.py [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mus.demo import MEETING_DAYS_AGO, example_conversation
from mus.model import ConversationRecord
from mus.reminders import (
    PlannedReminder,
    Schedule,
    counts,
    due,
    propose_schedule,
    reconcile,
    successors,
    year,
)

YEARS = 10
EMPLOYEES = 30
TODAY = date(2026, 9, 1)
TARGET_MS = 20.0


def vault() -> list[ConversationRecord]:
    """One record per employee and year; meetings spread over spring."""
    records: list[ConversationRecord] = []
    for e in range(EMPLOYEES):
        previous = ""
        for y in range(TODAY.year - YEARS + 1, TODAY.year + 1):
            meeting = date(y, 3, 1) + timedelta(days=3 * e)
            base = example_conversation(meeting + timedelta(days=MEETING_DAYS_AGO))
            cid = f"e{e:02d}-{y}"
            created = datetime.combine(meeting - timedelta(days=21), datetime.min.time(), UTC)
            conversation = replace(
                base.conversation,
                id=cid,
                year=y,
                employee_name=f"Medarbejder {e}",
                previous_id=previous,
                created_at=created,
                example=False,
            )
            records.append(replace(base, conversation=conversation))
            previous = cid
    return records


def schedules(records: list[ConversationRecord], *, reconciled: bool) -> list[Schedule]:
    after = successors(records)
    out = []
    for r in records:
        s = propose_schedule(r)
        out.append(reconcile(s, r, successor=after.get(r.id)) if reconciled else s)
    return out


def plain_loop(all_schedules: list[Schedule], today: date) -> list[PlannedReminder]:
    found = []
    for s in all_schedules:
        for r in s.reminders:
            if r.done_on is None and not r.cancelled and r.due <= today:
                found.append(r)
    return found


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer runs")
    args = ap.parse_args()
    runs = 5 if args.quick else 40

    records = vault()
    kept = schedules(records, reconciled=True)
    raw = schedules(records, reconciled=False)
    after = successors(records)
    by_id = {r.id: r for r in records}
    n_reminders = sum(len(s.reminders) for s in kept)

    base_kept = median_ms(lambda: plain_loop(kept, TODAY), runs)
    base_raw = median_ms(lambda: plain_loop(raw, TODAY), runs)

    def reconcile_all() -> object:
        return [
            reconcile(s, by_id[s.conversation_id], successor=after.get(s.conversation_id))
            for s in kept
        ]

    rows = [
        ("due(), reconciled vault", median_ms(lambda: due(kept, records, TODAY), runs), base_kept),
        (
            "counts(), reconciled vault",
            median_ms(lambda: counts(kept, records, TODAY), runs),
            base_kept,
        ),
        (
            "year(), reconciled vault",
            median_ms(lambda: year(kept, records, TODAY), runs),
            base_kept,
        ),
        ("due(), never reconciled", median_ms(lambda: due(raw, records, TODAY), runs), base_raw),
        ("reconcile() every schedule", median_ms(reconcile_all, max(3, runs // 4)), base_kept),
    ]

    shown = len(due(kept, records, TODAY))
    print(
        f"{len(records)} plans ({YEARS} years x {EMPLOYEES} employees), {n_reminders} reminders;"
        f" due on {TODAY}: {shown} (plain loop: {len(plain_loop(kept, TODAY))})"
    )
    print(f"median of {runs} runs\n")
    header = f"{'case':<30} {'ms':>8} {'plain loop ms':>14} {'ratio':>7}  target"
    print(header)
    print("-" * len(header))
    for name, ms, base in rows:
        target = f"< {TARGET_MS:.0f} ms: {'ok' if ms < TARGET_MS else 'MISSED'}"
        if name.startswith("reconcile"):
            target = "(for scale)"
        print(f"{name:<30} {ms:>8.2f} {base:>14.2f} {ms / base:>6.1f}x  {target}")


if __name__ == "__main__":
    main()
