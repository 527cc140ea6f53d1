"""Musling's composition root: starts the app, or runs a command.

``python main.py`` serves the app at http://127.0.0.1:8550 (loopback only);
``--port N`` or ``MUSLING_PORT`` picks another port, ``--data-dir DIR`` another
data folder. On a phone (a ``flet build``), Flet's embedded runtime starts it.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import socket
import sys
import threading
from collections.abc import Callable, Mapping
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from mus.errors import EXIT_DISK, EXIT_USAGE
from mus.i18n import Translator
from storage.paths import DataPaths
from storage.preferences import JsonPreferences

HOST = "127.0.0.1"
DEFAULT_PORT = 8550
ASSETS = Path(__file__).resolve().parent / "assets"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description=__doc__.splitlines()[0],
        epilog="Commands: vault, data, demo, pdf, reminders, sync "
        "(python main.py COMMAND --help; docs/cli.md).",
    )
    parser.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default 8550)")
    parser.add_argument("--data-dir", default=None, help="folder for the vault and preferences")
    return parser.parse_args(argv)


def port_in_use(port: int) -> bool:
    """Bind the way the web server will, so a taken port is found before Flet starts."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError as e:
            return e.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def test_seconds(name: str) -> timedelta | None:
    """A test-only limit in whole seconds from the environment (README, "For tests")."""
    raw = os.environ.get(name, "")
    return timedelta(seconds=int(raw)) if raw.isdigit() and int(raw) > 0 else None


def watch_period(idle: timedelta) -> float:
    """How often the watcher looks: a lock comes at most a few seconds late."""
    return max(0.5, min(5.0, idle.total_seconds() / 10))


def client_texts(preferences: JsonPreferences) -> dict[str, str]:
    """Flet's own client texts in the user's language (``views.client_texts``)."""
    from views.client_texts import APP_ERROR, LOADING_LABEL, WORKING

    t = Translator(preferences.load().language)
    return {
        WORKING: t("client.working"),
        APP_ERROR: t("client.app_error", message="{message}"),
        LOADING_LABEL: t("client.loading"),
    }


def serve(paths: DataPaths, port: int) -> int:
    import flet as ft

    from storage.session import VaultSession

    # The screens load on a thread of their own while the web server starts, so the
    # first page does not wait for both one after the other.
    screens = threading.Thread(target=importlib.import_module, args=("views.app",), daemon=True)
    screens.start()

    def setup_page(page: ft.Page, *args: Any, **kwargs: Any) -> None:
        screens.join()
        from views.app import setup_page as setup

        setup(page, *args, **kwargs)

    from mus.autolock import Presence
    from views.autolock import Watcher, limits_for
    from views.state import utc_now

    preferences = JsonPreferences(paths.preferences)
    vault = VaultSession(paths.vault)
    t = Translator(preferences.load().language)
    # One record of use for the process: every tab shares the one vault.
    presence = Presence(utc_now())
    limits = partial(
        limits_for,
        preferences,
        idle=test_seconds("MUSLING_AUTO_LOCK_SECONDS"),
        alone=test_seconds("MUSLING_ALONE_LOCK_SECONDS"),
    )
    watcher = Watcher(presence, vault, limits, utc_now, period_s=watch_period(limits().idle))

    def start_session(page: ft.Page) -> None:
        setup_page(page, preferences, vault, utc_now, presence=presence, limits=limits)

    embedded = os.environ.get("FLET_PLATFORM") is not None
    if embedded:  # a phone build: Flet's own runtime, no web server
        watcher.start()
        ft.run(start_session, assets_dir=str(ASSETS))
        return 0
    if not 1024 <= port <= 65535:
        print(t("cli.bad_port", port=port), file=sys.stderr)
        return 1
    if port_in_use(port):
        print(t("cli.port_taken", port=port), file=sys.stderr)
        return 1
    print(t("cli.serving", url=f"http://{HOST}:{port}"), flush=True)
    watcher.start()
    serve_web(start_session, port, partial(client_texts, preferences))
    return 0


def serve_web(main: Any, port: int, texts: Callable[[], Mapping[str, str]]) -> None:
    """Flet's own web app behind a guard of ours, on uvicorn as ``ft.run`` would run it.

    ``ft.run(view=WEB_BROWSER)`` gives no way to wrap its server, so Flet builds
    the same app (assets, no CDN, routes, WebSocket) with ``export_asgi_app`` and
    this serves it on loopback only, with nothing inherited deciding the address.
    The guard refuses foreign Hosts and Origins (views/web_guard.py).
    """
    import flet as ft
    import uvicorn

    from views.client_texts import ClientTexts
    from views.web_guard import LoopbackOnly, csp_of, header_policy

    app = ft.run(main, assets_dir=str(ASSETS), no_cdn=True, export_asgi_app=True)
    csp = header_policy(csp_of((ASSETS / "index.html").read_text("utf-8")))
    uvicorn.run(
        LoopbackOnly(ClientTexts(app, texts), port=port, csp=csp),
        host=HOST,
        port=port,
        ws="websockets-sansio",  # what Flet's own server uses
        log_level="warning",  # no access log: addresses name what the user opens
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=3,  # an open tab must not keep a stopped app running
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from storage.cli_commands import COMMANDS

    if argv and argv[0] in COMMANDS:
        from storage import cli

        return cli.main(argv)
    args = parse_args(argv)
    paths = DataPaths.resolve(args.data_dir)
    problem = paths.prepare()  # one plain line, not a traceback, when it cannot be used
    if problem is not None:
        t = Translator(JsonPreferences(paths.preferences).load().language)
        print(t(f"cli.data_dir.{problem}"), file=sys.stderr)
        return EXIT_DISK if problem == "read_only" else EXIT_USAGE
    port = args.port if args.port is not None else int(os.environ.get("MUSLING_PORT", DEFAULT_PORT))
    return serve(paths, port)


if __name__ == "__main__":
    sys.exit(main())
