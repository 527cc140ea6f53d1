"""Every control has a name a screen reader can say, on every screen, in both languages.

Chromium's own accessibility tree (CDP ``Accessibility.getFullAXTree``) is read
on each route of the example conversation, in Danish and then in English (the
language switched in settings, in the same tab); a button, link, checkbox,
switch, radio, tab, text field or dropdown without a name fails the test, and
so does a control inside another control (the form's whole question list was
once one big button). Routes are changed inside the running app
(``history.pushState`` and a ``popstate``, as the browser's own navigation
does), and each screen is read once it is the only one shown (``screen()``
gives each its address as an identifier, never said aloud).

The tab is phone-wide and very tall: Flutter builds only what is in view, so
this way one reading holds a whole screen (a screen taller than the tab fails
the test rather than going unread).

``MUSLING_A11Y_REPORT=<file>`` writes the counts per screen and language.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from mus import questions
from mus.demo import example_bundle
from mus.i18n import Translator
from mus.model import enum_key
from tests.e2e.conftest import PHONE, AppServer, free_port, open_app, prepare_vault, unlock
from tests.e2e.shots import ROUTES

CONTROL_ROLES = {
    "button",
    "link",
    "checkbox",
    "switch",
    "radio",
    "tab",
    "textbox",
    "combobox",
    "searchbox",
    "slider",
    "spinbutton",
    "menuitem",
    "listbox",
}
TALL: ViewportSize = {"width": PHONE["width"], "height": 8000}
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """One app for the module, in Danish, with the example conversation."""
    base = tmp_path_factory.mktemp("a11y")
    port = free_port()
    server = AppServer(f"http://127.0.0.1:{port}", port, base / "data", log=base / "app.log")
    prepare_vault(server.data_dir)
    (server.data_dir / "preferences.json").write_text(
        json.dumps({"language": "da", "auto_lock_minutes": 30}), "utf-8"
    )
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def page(browser: Browser, app: AppServer) -> Iterator[Page]:
    """One tall phone-wide tab that has loaded the app (still locked)."""
    context = browser.new_context(viewport=TALL, device_scale_factor=1, locale="da-DK")
    try:
        tab = context.new_page()
        open_app(tab, app.url)
        yield tab
    finally:
        context.close()


# ------------------------------------------------------------ the tree


@dataclass(frozen=True, slots=True)
class Node:
    role: str
    name: str
    within: str
    """The name of the nearest named ancestor ("Aktivitet 1")."""
    inside: str
    """The same with its role ("group 'Aktivitet 1'"), to say where a node is."""
    in_control: bool
    """Whether a control holds this node."""


def read_tree(page: Page) -> list[Node]:
    """The accessibility tree's nodes that are not ignored, in document order."""
    cdp = page.context.new_cdp_session(page)
    try:
        tree: dict[str, Any] = cdp.send("Accessibility.getFullAXTree")
    finally:
        cdp.detach()
    nodes = {n["nodeId"]: n for n in tree["nodes"]}
    out: list[Node] = []
    for node in tree["nodes"]:
        if node.get("ignored"):
            continue
        ancestors = list(_ancestors(node, nodes))
        named = next((a for a in ancestors if _value(a, "name")), None)
        out.append(
            Node(
                role=_value(node, "role"),
                name=_value(node, "name"),
                within=_value(named, "name") if named is not None else "",
                inside=(
                    f"{_value(named, 'role')} {_value(named, 'name')[:60]!r}"
                    if named is not None
                    else "the page"
                ),
                in_control=any(
                    _value(a, "role") in CONTROL_ROLES and not a.get("ignored") for a in ancestors
                ),
            )
        )
    return out


def _ancestors(node: dict[str, Any], nodes: dict[str, dict[str, Any]]) -> Iterator[dict[str, Any]]:
    parent = nodes.get(node.get("parentId", ""))
    while parent is not None:
        yield parent
        parent = nodes.get(parent.get("parentId", ""))


def _value(node: dict[str, Any], field: str) -> str:
    return " ".join(str(node.get(field, {}).get("value", "")).split())


def problems(tree: list[Node]) -> list[str]:
    """Controls without a name, and controls inside a control."""
    out = []
    for n in tree:
        if n.role not in CONTROL_ROLES:
            continue
        if not n.name:
            out.append(f"{n.role} without a name in {n.inside}")
        if n.in_control:
            out.append(f"{n.role} {n.name[:40]!r} inside another control ({n.inside})")
    return out


CUT_OFF = """() => [...document.querySelectorAll('flt-semantics-scroll-overflow')]
    .map(marker => marker.parentElement)
    .some(list => [...list.querySelectorAll('flt-semantics')].some(
        e => e.getBoundingClientRect().bottom > list.getBoundingClientRect().bottom + 1))"""
"""Whether a scrolling list goes on below the tab (Flutter builds a little beyond
what is in view, so a list cut off always has a node that reaches past it)."""


def whole_screen(page: Page) -> tuple[list[str], int]:
    """The screen's problems and how many controls it has, the whole screen read.

    In the tall tab every screen of the example fits; one that no longer does
    is a problem of its own (the test would not see all of it), never skipped.
    """
    tree = read_tree(page)
    found = problems(tree)
    if page.evaluate(CUT_OFF):
        found.append(f"the screen is taller than the tab ({TALL['height']} px): make TALL taller")
    return found, sum(n.role in CONTROL_ROLES for n in tree)


def go(page: Page, route: str) -> None:
    """Change the address inside the app, as the browser's back and forward do, and
    wait until its screen is the only one in the tree (the router may stack the
    screens above it first, and the last one leaves during its animation)."""
    if page.evaluate("location.pathname") != route:
        page.evaluate(
            "r => { history.pushState(null, '', r);"
            " dispatchEvent(new PopStateEvent('popstate')); }",
            route,
        )
    shown(page, route)


def shown(page: Page, route: str) -> None:
    """Wait until the screen at ``route`` (``screen()``'s identifier) is the only one."""
    try:
        page.wait_for_function(
            """id => {
                const all = document.querySelectorAll(
                    '[flt-semantics-identifier^="screen:"]');
                return all.length === 1 && all[0].getAttribute('flt-semantics-identifier') === id;
            }""",
            arg=f"screen:{route}",
            timeout=WAIT_MS,
        )
    except PlaywrightTimeout:
        screens = page.evaluate(
            "() => [...document.querySelectorAll('[flt-semantics-identifier]')]"
            ".map(e => e.getAttribute('flt-semantics-identifier'))"
        )
        raise AssertionError(f"{route} never shown alone; shown: {screens}") from None


def until(check: Callable[[], bool], what: str) -> None:
    """Wait for something only the accessibility tree shows (Playwright cannot wait for it)."""
    end = time.monotonic() + WAIT_MS / 1000
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.1)


def locked(page: Page) -> bool:
    """Whether the tab shows the lock screen (waiting until it shows one or a screen)."""
    field = page.get_by_label(Translator("da")("vault.passphrase"), exact=True).or_(
        page.get_by_label(Translator("en")("vault.passphrase"), exact=True)
    )
    field.or_(page.locator('[flt-semantics-identifier^="screen:"]')).first.wait_for(timeout=WAIT_MS)
    return field.count() > 0


def choose_language(page: Page, language: str) -> Translator:
    """In settings, as a person would; every screen then speaks the language."""
    t = Translator(language)
    go(page, "/settings")
    page.get_by_role("radio", name=t(f"settings.language.{language}"), exact=True).click()
    page.get_by_role("button", name=t("settings.lock"), exact=True).wait_for(timeout=WAIT_MS)
    return t


def lock_screen(page: Page, t: Translator) -> tuple[list[str], int]:
    """Lock (unless the tab is still at the lock screen), read it, and unlock."""
    if not locked(page):
        page.get_by_role("button", name=t("settings.lock"), exact=True).click()
    page.get_by_label(t("vault.passphrase"), exact=True).wait_for(timeout=WAIT_MS)
    found = whole_screen(page)
    unlock(page)
    return found


def walk(page: Page, t: Translator) -> dict[str, tuple[list[str], int]]:
    found = {"(lock screen)": lock_screen(page, t)}
    for route in ["/", *ROUTES[1:]]:
        go(page, route)
        found[route] = whole_screen(page)
    return found


# ------------------------------------------------------------ the tests


def test_every_control_on_every_screen_has_a_name_in_both_languages(page: Page) -> None:
    t0 = time.monotonic()
    found: dict[str, dict[str, tuple[list[str], int]]] = {}
    if not locked(page):
        choose_language(page, "da")  # the other test ran first
    found["da"] = walk(page, Translator("da"))
    found["en"] = walk(page, choose_language(page, "en"))
    seconds = time.monotonic() - t0
    if os.environ.get("MUSLING_A11Y_REPORT"):
        report = {
            "seconds": round(seconds),
            **{
                lang: {
                    "problems": {route: len(p) for route, (p, _) in screens.items()},
                    "controls": {route: n for route, (_, n) in screens.items()},
                    "details": {route: p for route, (p, _) in screens.items()},
                }
                for lang, screens in found.items()
            },
        }
        Path(os.environ["MUSLING_A11Y_REPORT"]).write_text(json.dumps(report, indent=1), "utf-8")
    bad = {
        f"{lang} {route}": p for lang, screens in found.items() for route, (p, _) in screens.items()
    }
    assert {k: v for k, v in bad.items() if v} == {}, f"after {seconds:.0f} s"
    # Each screen was read whole, not an empty or half-built page: the same
    # controls in both languages.
    controls = {lang: {r: n for r, (_, n) in screens.items()} for lang, screens in found.items()}
    assert controls["da"] == controls["en"]
    assert all(n > 0 for n in controls["da"].values())


def test_names_say_what_a_person_sees(page: Page) -> None:
    """A note is named by its question, a question of the form is one node with its
    buttons, a menu says its label and its choice, and the privacy hint on a
    question is a button named by the hint that shows it when tapped."""
    if locked(page):
        unlock(page)
    t = choose_language(page, "da")
    record = example_bundle(date.today()).record

    def has(role: str, name: str | re.Pattern[str]) -> Callable[[], bool]:
        def check() -> bool:
            return any(
                n.role == role
                and (name.search(n.name) if isinstance(name, re.Pattern) else n.name == name)
                for n in read_tree(page)
            )

        return check

    # Settings: the menu says both; a new choice is said at once.
    auto_lock = t("settings.auto_lock")
    assert has("button", f"{auto_lock} {t('settings.auto_lock.minutes', n=30)}")()
    page.get_by_role("button", name=re.compile(f"^{re.escape(auto_lock)}")).click()
    page.get_by_role("button", name=t("settings.auto_lock.minutes", n=15), exact=True).click()
    until(has("button", f"{auto_lock} {t('settings.auto_lock.minutes', n=15)}"), "new choice said")

    # The goal: its kind, and each activity's kind and who, label and value.
    goal = record.goals[0]
    go(page, f"/wheel/goals/{goal.id}")
    tree = read_tree(page)
    menus = {n.name for n in tree if n.role == "button"}
    assert f"{t('goals.field.kind')} {t(enum_key(goal.kind))}" in menus
    for activity in record.activities_for(goal.id):
        assert f"{t('goals.activity.kind')} {t(enum_key(activity.kind))}" in menus
        assert f"{t('goals.activity.responsible')} {t(enum_key(activity.responsible))}" in menus

    # The form: one group per question, named by it, holding its own buttons.
    go(page, "/wheel/form")
    tree = read_tree(page)
    entries = questions.entries(record.form)
    starts = [f"{i}. {e.da}" for i, e in enumerate(entries, start=1)]
    groups = [n.name for n in tree if n.role == "group"]
    for start in starts:  # an own question's group also says "Eget spørgsmål"
        assert sum(g.startswith(start) for g in groups) == 1, start
    for button in ("form.move_up", "form.move_down", "form.remove"):
        where = sorted(n.within for n in tree if n.role == "button" and n.name == t(button))
        assert len(where) == len(starts)
        assert all(w.startswith(s) for w, s in zip(where, sorted(starts), strict=True))

    # A question that may be personal: its hint is a button, and a tap shows it.
    sensitive = next(
        q for q in questions.QUESTIONS if q.sensitive and q.id not in record.form.question_ids
    )
    theme = next(th for th in questions.themes() if th.id == sensitive.theme_id)
    page.get_by_role("button", name=re.compile(f"^{re.escape(theme.name('da'))}")).click()
    page.get_by_role("checkbox", name=sensitive.da, exact=True).click()
    hint = t("form.sensitive")
    row = page.get_by_role("group", name=f"{len(entries) + 1}. {sensitive.da}", exact=True)
    row.get_by_role("button", name=hint, exact=True).click()
    until(
        lambda: any(n.name == hint and n.role != "button" for n in read_tree(page)),
        "the hint shown after a tap",
    )

    # Preparation: each note is named by its question first; the hint is there too.
    go(page, "/wheel/preparation")
    tree = read_tree(page)
    fields = [n.name for n in tree if n.role == "textbox"]
    for question in [*(e.da for e in entries), sensitive.da]:
        assert f"{question} {t('prep.note_label')}" in fields
    assert any(n.role == "button" and n.name == hint for n in tree)
    expect(page.get_by_role("switch", name=t("prep.share"))).to_have_count(len(entries) + 1)
