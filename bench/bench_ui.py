"""Keystroke to durable save, and opening the wheel with 10 years of history.

Both in a real Flet session (the in-process harness of tests/ui: real Session,
real Page, real vault with the production KDF) against a bare Flet page doing
the same thing in the same run: a bare TextField whose change handler does
nothing, and a bare two-route Router.

The app saves a note 0.4 s after the last keystroke (debounced) or at once
when the field loses focus; "save" below is that flush: from the change event
to the record being fsynced in the vault.

    .venv/bin/python bench/bench_ui.py [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import flet as ft

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mus.demo import example_conversation
from mus.model import Conversation
from mus.ports import MemoryPreferences
from storage.session import VaultSession
from tests.ui.harness import UI, run_app
from views.app import setup_page

PASS = "en lang og tydelig benchmarksætning"


def history_vault(folder: Path, years: int) -> VaultSession:
    """``years`` conversations shaped like the example, one per year, newest last."""
    session = VaultSession(folder)
    session.create(PASS)
    today = date(2026, 11, 24)
    for i in range(years):
        day = today - timedelta(days=365 * (years - 1 - i))
        rec = example_conversation(day)
        c: Conversation = replace(rec.conversation, id=f"y{i}", year=day.year, example=False)
        session.conversations().save(replace(rec, conversation=c))
    session.lock()
    return session


def bare_app(page: ft.Page) -> None:
    @ft.component
    def Home() -> ft.View:
        return ft.View(route="/", controls=[ft.TextField(key="note", on_change=lambda e: None)])

    @ft.component
    def Wheel() -> ft.View:
        return ft.View(route="/wheel", controls=[ft.Text("hjul", key="wheel")])

    @ft.component
    def App() -> object:
        return ft.Router(
            [
                ft.Route(
                    path="/", component=Home, children=[ft.Route(path="wheel", component=Wheel)]
                )
            ],
            manage_views=True,
        )

    page.render_views(App)


def measure(app_main: object, scenario: object) -> None:
    run_app(app_main, scenario)  # type: ignore[arg-type]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    n = 10 if a.quick else 40
    tmp = Path(tempfile.mkdtemp())
    vault = history_vault(tmp / "vault", 10)
    prefs = MemoryPreferences()
    now = datetime(2026, 11, 24, 9, tzinfo=UTC)
    results: dict[str, list[float]] = {
        "app_save": [],
        "bare_save": [],
        "app_wheel": [],
        "bare_wheel": [],
    }

    async def app_scenario(ui: UI) -> None:
        await ui.unlock(PASS)
        ui_state_ok = ui.find_all("home-title")
        assert ui_state_ok
        for _ in range(n):
            await ui.go("/")
            await ui.settle(2)
            t0 = time.perf_counter()
            await ui.client.change_route("/wheel")
            while not ui.find_all("wheel-conversation"):
                await asyncio.sleep(0)
            results["app_wheel"].append(time.perf_counter() - t0)
        await ui.go("/wheel/feedback")
        await ui.settle()
        for i in range(n):
            key = "feedback-strengths"
            control = ui.find(key)
            before = ui.find("saved-at")
            t0 = time.perf_counter()
            ui.session.apply_patch(control._i, {"value": f"Styrker {i} – æøå"})
            await ui.session.dispatch_event(control._i, "change", f"Styrker {i} – æøå")
            await ui.session.dispatch_event(ui.find(key)._i, "blur", None)
            results["app_save"].append(time.perf_counter() - t0)
            del before

    async def bare_scenario(ui: UI) -> None:
        for _ in range(n):
            await ui.go("/")
            await ui.settle(2)
            t0 = time.perf_counter()
            await ui.client.change_route("/wheel")
            while not ui.find_all("wheel"):
                await asyncio.sleep(0)
            results["bare_wheel"].append(time.perf_counter() - t0)
        await ui.go("/")
        await ui.settle()
        for i in range(n):
            control = ui.find("note")
            t0 = time.perf_counter()
            ui.session.apply_patch(control._i, {"value": f"Styrker {i}"})
            await ui.session.dispatch_event(control._i, "change", f"Styrker {i}")
            await ui.session.dispatch_event(control._i, "blur", None)
            results["bare_save"].append(time.perf_counter() - t0)

    measure(lambda page: setup_page(page, prefs, vault, lambda: now), app_scenario)
    measure(bare_app, bare_scenario)
    vault.unlock(PASS)
    saved = vault.conversations().get("y9")
    assert saved is not None and saved.feedback.strengths.startswith("Styrker"), "not saved"
    vault.lock()

    def ms(xs: list[float]) -> float:
        return statistics.median(xs) * 1000

    print(f"UI, median of {n} (ms); 10 years of history in a real vault")
    print(f"{'':34}{'bare Flet':>10}{'Musling':>10}{'ratio':>8}{'target':>10}")
    for label, app, bare, target in (
        ("keystroke → durable save (flush)", "app_save", "bare_save", "≤ 50 ms"),
        ("open the wheel (10 years)", "app_wheel", "bare_wheel", "≤ 300 ms"),
    ):
        m, b = ms(results[app]), ms(results[bare])
        print(f"{label:34}{b:10.1f}{m:10.1f}{m / b:8.1f}{target:>10}")
    print("(a note is flushed 0.4 s after the last keystroke, or at once on leaving the field)")


if __name__ == "__main__":
    main()
