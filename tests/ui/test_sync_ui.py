"""The sync screens against a real vault and a real WebDAV server (WsgiDAV on 127.0.0.1).

Most tests render the real screens in a small app of their own
(:func:`sync_app`), wired as ``views/app.py`` wires them; the last ones use
the real app.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import flet as ft

from mus.ports import MemoryPreferences, VaultPort
from mus.report import ReportKind
from mus.sync import ExportMeta, TargetRole
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.sync import conftest as sync_fixtures
from tests.sync.dav_server import PASSWORD, USER, DavServer
from tests.ui.conftest import NOW, Scenario
from tests.ui.harness import UI, run_app, walk
from views.context import AppStateContext, EditorContext, use_app_state
from views.screens.home import HomeView
from views.screens.lock import UnlockView
from views.screens.outbox import OutboxView
from views.screens.settings import SettingsView
from views.screens.sync_targets import SyncTargetsView
from views.state import AppState, EditorState
from views.sync_state import SyncContext, SyncState, folder_target, use_sync

dav = sync_fixtures.dav  # the sync tests' WsgiDAV server on 127.0.0.1 (a fixture)
pdf_bytes = sync_fixtures.pdf_bytes
META = ExportMeta("conv-1", ReportKind.PLAN, 1)
FILE = "MUS 2026 – Sofie Eksempel – Udviklingsplan v1.pdf"


# ---------------------------------------------------------------- a small app


@ft.component
def _Gate() -> Any:
    state = use_app_state()
    sync = use_sync()
    ft.use_effect(partial(sync.follow_lock, state.unlocked), dependencies=[state.unlocked])
    if not state.unlocked:
        return [UnlockView()]
    settings = ft.Route(
        path="settings",
        component=SettingsView,
        children=[
            ft.Route(path="sync", component=SyncTargetsView),
            ft.Route(path="outbox", component=OutboxView),
        ],
    )
    return ft.Router(
        [ft.Route(path="/", component=HomeView, children=[settings])], manage_views=True
    )


@ft.component
def _App(vault: VaultPort, held: list[SyncState]) -> Any:
    state = ft.use_memo(
        lambda: AppState(
            preferences=MemoryPreferences(),
            vault=vault,
            editor=EditorState(clock=lambda: NOW),
            clock=lambda: NOW,
        ),
        dependencies=[],
    )
    sync = ft.use_memo(lambda: SyncState(vault=vault, clock=lambda: NOW), dependencies=[])
    if not held:
        held.append(sync)
    return AppStateContext(
        state, lambda: SyncContext(sync, lambda: EditorContext(state.editor, _Gate))
    )


def sync_app(vault: VaultSession, scenario: Callable[[UI, SyncState], Any], route: str) -> None:
    """Play ``scenario`` in the small app; it gets the session's SyncState too."""
    held: list[SyncState] = []

    def app_main(page: ft.Page) -> None:
        page.render_views(_App, vault, held)

    async def play(ui: UI) -> None:
        await scenario(ui, held[0])

    run_app(app_main, play, route)


# ---------------------------------------------------------------- helpers


def keys_starting(ui: UI, prefix: str) -> list[str]:
    found = (getattr(c, "key", None) for c in ui.controls())
    return [
        str(getattr(k, "value", k)) for k in found if str(getattr(k, "value", k)).startswith(prefix)
    ]


def item_state(ui: UI) -> str:
    (key,) = keys_starting(ui, "item-state-")
    return ui.text_of(key)


def dialog_keys(ui: UI) -> list[str]:
    """Keys in open dialogs (the harness walks the top view only)."""
    open_ones = [d for d in ui.page._dialogs.controls if getattr(d, "open", False)]
    return [str(k) for c in walk(open_ones) if (k := getattr(c, "key", None)) is not None]


async def tap_in_dialog(ui: UI, key: str) -> None:
    open_ones = [d for d in ui.page._dialogs.controls if getattr(d, "open", False)]
    found = [c for c in walk(open_ones) if getattr(c, "key", None) == key]
    assert found, f"no dialog control {key!r}"
    await ui.session.dispatch_event(found[0]._i, "click", None)
    await ui.settle()


async def fill_webdav_form(ui: UI, dav: DavServer, password: str) -> None:
    await ui.tap("add-webdav")
    await ui.type("target-url-field", dav.url)
    await ui.type("target-user-field", USER)
    await ui.type("target-password-field", password)
    await ui.type("target-folder-field", "MUS")


# ---------------------------------------------------------------- tests


def test_add_webdav_wrong_then_right_password_then_send_an_export(
    vault: VaultSession, dav: DavServer
) -> None:
    data = pdf_bytes(1)

    async def scenario(ui: UI, sync: SyncState) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings/sync")
        assert ui.find_all("no-targets")
        await fill_webdav_form(ui, dav, "forkert")
        await ui.tap("test-new")
        await ui.wait_for(lambda: bool(ui.find_all("test-result-new")))
        assert ui.text_of("test-result-new") == "Forkert brugernavn eller adgangskode"

        await ui.type("target-password-field", PASSWORD)
        assert not ui.find_all("test-result-new"), "a changed form forgets the old result"
        await ui.tap("test-new")
        await ui.wait_for(lambda: bool(ui.find_all("test-result-new")))
        assert ui.text_of("test-result-new") == "Forbindelsen virker"

        await ui.tap("save-target")
        (target,) = sync.targets
        assert target.auto, "the first target of a role gets every export"
        assert ui.prop(f"auto-{target.id}", "value") is True
        assert ui.text_of(f"target-name-{target.id}") == "Nextcloud"

        # The stored password is the right one: the saved target's own test says so.
        await ui.tap(f"test-{target.id}")
        await ui.wait_for(lambda: bool(ui.find_all(f"test-result-{target.id}")))
        assert ui.text_of(f"test-result-{target.id}") == "Forbindelsen virker"

        # The first delivery meets a busy server: the item fails and waits to retry.
        dav.faults.fail("PUT", 503, times=1)
        assert await sync.queue_export(data, FILE, META) == 1
        await ui.go("/settings/outbox")
        await ui.wait_for(lambda: item_state(ui).startswith("Fejlet"))
        assert "Serveren har travlt" in item_state(ui)
        assert not ui.prop("send-now", "disabled")

        await ui.tap("send-now")
        await ui.wait_for(lambda: item_state(ui).startswith("Sendt"))
        assert "til Nextcloud" in item_state(ui)
        assert ui.text_of("outbox-summary") == "Alt er sendt"
        assert ui.prop("send-now", "disabled")

    sync_app(vault, scenario, "/")
    assert (dav.root / "MUS" / FILE).read_bytes() == data
    assert [p.name for p in (dav.root / "MUS").iterdir()] == [FILE], "no temp files left"


def test_https_is_required_and_errors_show_under_their_field(
    vault: VaultSession, dav: DavServer
) -> None:
    async def scenario(ui: UI, sync: SyncState) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings/sync")
        await ui.tap("add-webdav")
        await ui.type("target-url-field", "http://sky.example.dk/remote.php/dav/files/anna")
        assert ui.prop("target-url-field", "error") == "HTTPS er påkrævet"
        assert ui.prop("target-user-field", "error") is None, "untouched fields stay quiet"
        await ui.tap("save-target")
        assert ui.prop("target-user-field", "error") == "Skriv dit brugernavn"
        await ui.tap("test-new")
        assert not ui.find_all("test-result-new"), "invalid settings are not sent anywhere"
        assert dav.faults.seen == []
        await ui.type("target-url-field", "http://localhost:8080/dav")
        assert ui.prop("target-url-field", "error") is None, "plain HTTP to this device is fine"
        await ui.type("target-url-field", "https://sky.example.dk/dav")
        await ui.type("target-user-field", "anna")
        await ui.type("target-folder-field", "MUS/../privat")
        assert (
            ui.prop("target-folder-field", "error") == "Mappens navn må ikke indeholde . eller .."
        )
        assert sync.targets == ()

    sync_app(vault, scenario, "/")


def test_folder_target_receives_exports_and_delete_asks(
    vault: VaultSession, tmp_path: Path
) -> None:
    folder = tmp_path / "arkiv"
    folder.mkdir()
    data = pdf_bytes(2)

    async def scenario(ui: UI, sync: SyncState) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings/sync")
        await ui.tap("add-folder")
        await ui.type("target-path-field", "arkiv")
        assert ui.prop("target-path-field", "error") == "Mappen skal angives med hele stien"
        await ui.type("target-path-field", str(tmp_path / "mangler"))
        await ui.tap("test-new")
        await ui.wait_for(lambda: bool(ui.find_all("test-result-new")))
        assert ui.text_of("test-result-new") == "Mappen findes ikke på enheden"
        await ui.type("target-path-field", str(folder))
        await ui.change("target-role", "leader")
        await ui.tap("save-target")
        (target,) = sync.targets
        assert target.role == "leader" and target.auto

        await sync.queue_export(data, FILE, META)
        await ui.go("/settings/outbox")
        await ui.wait_for(lambda: item_state(ui).startswith("Sendt"))
        assert "til Mappe" in item_state(ui)

        await ui.go("/settings/sync")
        await ui.tap(f"delete-{target.id}")
        assert "confirm-delete-target" in dialog_keys(ui), "deleting asks first"
        await tap_in_dialog(ui, "cancel-delete-target")
        assert "confirm-delete-target" not in dialog_keys(ui)
        assert [t.id for t in sync.targets] == [target.id]
        await ui.tap(f"delete-{target.id}")
        await tap_in_dialog(ui, "confirm-delete-target")
        assert sync.targets == ()
        assert ui.find_all("no-targets")

    sync_app(vault, scenario, "/")
    assert (folder / FILE).read_bytes() == data


def test_paused_item_retry_and_cancel(vault: VaultSession, dav: DavServer) -> None:
    async def scenario(ui: UI, sync: SyncState) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings/sync")
        await fill_webdav_form(ui, dav, PASSWORD)
        await ui.tap("save-target")
        dav.faults.fail("PUT", 507, times=1)  # a full account: paused until the user acts
        await sync.queue_export(pdf_bytes(3), FILE, META)
        await sync.queue_export(pdf_bytes(4), "Referat.pdf", META)
        await ui.go("/settings/outbox")
        await ui.wait_for(lambda: not sync.sending and len(keys_starting(ui, "item-state-")) == 2)
        states = {k: ui.text_of(k) for k in keys_starting(ui, "item-state-")}
        assert sorted(s.split(":")[0] for s in states.values()) == ["Fejlet", "Fejlet"]
        assert any(d == "Stoppet – tryk på Prøv igen nu, når fejlen er rettet" for d in ui.texts())
        first_id = next(iter(states)).removeprefix("item-state-")
        assert ui.find(f"retry-{first_id}").content == "Prøv igen nu", "the text names the button"  # type: ignore[attr-defined]
        assert "Serveren er fuld" in " ".join(states.values())

        first, second = (k.removeprefix("item-state-") for k in states)
        await ui.tap(f"cancel-{second}")
        assert len(keys_starting(ui, "item-state-")) == 1, "a cancelled item leaves the list"
        await ui.tap(f"retry-{first}")
        await ui.wait_for(lambda: ui.text_of(f"item-state-{first}").startswith("Sendt"))

    sync_app(vault, scenario, "/")
    assert len(list((dav.root / "MUS").iterdir())) == 1


def test_a_new_password_resumes_what_a_refused_login_paused(
    vault: VaultSession, dav: DavServer
) -> None:
    async def scenario(ui: UI, sync: SyncState) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings/sync")
        await fill_webdav_form(ui, dav, "gammel-kode")
        await ui.tap("save-target")  # saving does not need a working connection
        (target,) = sync.targets
        await sync.queue_export(pdf_bytes(5), FILE, META)
        await ui.go("/settings/outbox")
        await ui.wait_for(lambda: not sync.sending and item_state(ui).startswith("Fejlet"))
        assert item_state(ui) == "Fejlet: Forkert brugernavn eller adgangskode"

        await ui.go("/settings/sync")
        await ui.tap(f"change-password-{target.id}")
        assert ui.prop(f"save-password-{target.id}", "disabled")
        await ui.type(f"new-password-{target.id}", PASSWORD)
        await ui.tap(f"save-password-{target.id}")
        assert not ui.find_all(f"new-password-{target.id}")
        await ui.go("/settings/outbox")
        await ui.wait_for(lambda: item_state(ui).startswith("Sendt"))

    sync_app(vault, scenario, "/")
    assert (dav.root / "MUS" / FILE).read_bytes() == pdf_bytes(5)


def test_the_outbox_asks_for_the_new_password_where_the_file_waits(
    vault: VaultSession, dav: DavServer
) -> None:
    """A refused login: not 'tap Retry' (the same password is refused again, and
    Nextcloud throttles), but the new password for that target, entered right there."""

    async def scenario(ui: UI, sync: SyncState) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings/sync")
        await fill_webdav_form(ui, dav, "gammel-kode")
        await ui.tap("save-target")
        await sync.queue_export(pdf_bytes(6), FILE, META)
        await sync.queue_export(pdf_bytes(7), "Referat.pdf", META)
        await ui.go("/settings/outbox")
        await ui.wait_for(
            lambda: (
                not sync.sending
                and all(
                    ui.text_of(k).startswith("Fejlet") for k in keys_starting(ui, "item-state-")
                )
                and len(keys_starting(ui, "item-state-")) == 2
            )
        )
        first, second = (k.removeprefix("item-state-") for k in keys_starting(ui, "item-state-"))
        assert (
            "Venter på en ny app-adgangskode til Nextcloud. Skriv den her, så sendes filen med "
            "det samme." in ui.texts()
        )
        assert not any(d.startswith("Stoppet") for d in ui.texts())
        assert not ui.find_all(f"retry-{first}"), "retrying with the refused password is no help"
        assert ui.find_all(f"cancel-{first}")
        assert ui.find(f"change-password-{first}").content == "Skriv ny app-adgangskode"  # type: ignore[attr-defined]
        # "Send nu" has nothing to send: both wait for the password.
        assert ui.prop("send-now", "disabled")
        assert ui.find(f"cancel-{first}").content == "Annullér afsendelsen"  # type: ignore[attr-defined]

        await ui.tap(f"change-password-{first}")
        await ui.type(f"new-password-{first}", PASSWORD)
        await ui.tap(f"save-password-{first}")
        # One password for the target sends both files.
        await ui.wait_for(
            lambda: all(ui.text_of(k).startswith("Sendt") for k in keys_starting(ui, "item-state-"))
        )
        assert not ui.find_all(f"change-password-{second}")

    sync_app(vault, scenario, "/")
    assert (dav.root / "MUS" / FILE).read_bytes() == pdf_bytes(6)


def test_no_access_to_the_folder_offers_retry_and_a_new_password(
    vault: VaultSession, dav: DavServer
) -> None:
    """403: the account may get access on the server (then Retry now), or another login."""

    async def scenario(ui: UI, sync: SyncState) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings/sync")
        await fill_webdav_form(ui, dav, PASSWORD)
        await ui.tap("save-target")
        dav.faults.fail("PUT", 403, times=1)
        await sync.queue_export(pdf_bytes(8), FILE, META)
        await ui.go("/settings/outbox")
        await ui.wait_for(lambda: not sync.sending and item_state(ui).startswith("Fejlet"))
        (key,) = keys_starting(ui, "item-state-")
        item = key.removeprefix("item-state-")
        assert item_state(ui) == "Fejlet: Du har ikke adgang til mappen"
        assert (
            "Giv kontoen adgang til mappen på serveren, og tryk på Prøv igen nu – eller skriv "
            "en ny app-adgangskode til Nextcloud." in ui.texts()
        )
        assert ui.find_all(f"change-password-{item}")
        await ui.tap(f"retry-{item}")  # access was given on the server meanwhile
        await ui.wait_for(lambda: item_state(ui).startswith("Sendt"))

    sync_app(vault, scenario, "/")


def test_plan_export_reaches_the_server_in_the_real_app(
    play: Callable[..., None], with_example: VaultSession, dav: DavServer
) -> None:
    saved: list[tuple[str, bytes]] = []

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings")
        await ui.tap("open-sync-targets")
        assert ui.route == "/settings/sync"
        await fill_webdav_form(ui, dav, PASSWORD)
        await ui.tap("save-target")
        await ui.go("/plan")
        await ui.tap("export-pdf")
        await ui.wait_for(lambda: any(c.name == "save_file" for c in ui.client.invocations))
        saved.extend(
            (str(c.args["file_name"]), bytes(c.args["src_bytes"]))
            for c in ui.client.invocations
            if c.name == "save_file"
        )
        await ui.go("/settings/outbox")
        await ui.wait_for(lambda: item_state(ui).startswith("Sendt"), timeout=10)

    run: Scenario = scenario
    play(run)
    ((name, data),) = saved
    assert (dav.root / "MUS" / name).read_bytes() == data


def test_an_export_goes_to_the_ticked_targets_only(
    play: Callable[..., None], with_example: VaultSession, tmp_path: Path
) -> None:
    """The first target of a role gets every export; another is ticked by hand
    for one export, and untouched for the next."""
    mine, extra = tmp_path / "mit-arkiv", tmp_path / "usb-pind"
    mine.mkdir()
    extra.mkdir()
    with_example.unlock(PASSPHRASE)
    outbox = with_example.outbox()
    first = outbox.add_target(folder_target("Mit arkiv", str(mine), TargetRole.MINE))
    second = outbox.add_target(folder_target("USB-pind", str(extra), TargetRole.MINE))
    assert (first.auto, second.auto) == (True, False)
    with_example.lock()

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/plan")
        assert ui.prop(f"send-to-{first.id}", "value") is True
        assert ui.prop(f"send-to-{second.id}", "value") is False
        await ui.change(f"send-to-{second.id}", True)
        await ui.tap("export-pdf")
        await ui.wait_for(lambda: len(list(extra.iterdir())) == 1, timeout=10)
        await ui.wait_for(lambda: len(list(mine.iterdir())) == 1, timeout=10)
        await ui.change(f"send-to-{second.id}", False)
        await ui.change("export-kind", "summary")
        await ui.tap("export-pdf")
        await ui.wait_for(lambda: len(list(mine.iterdir())) == 2, timeout=10)

    play(scenario)
    assert len(list(extra.iterdir())) == 1, "the second export was not ticked for the USB stick"
