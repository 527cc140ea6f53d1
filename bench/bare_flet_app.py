"""The baseline: a bare Flet page served exactly as Musling is (web, loopback, no CDN)."""

from __future__ import annotations

import os
import sys

import flet as ft

port = int(sys.argv[1])
os.environ.update(
    FLET_FORCE_WEB_SERVER="true", FLET_SERVER_IP="127.0.0.1", FLET_SERVER_PORT=str(port)
)


def main(page: ft.Page) -> None:
    page.add(ft.Text("Beskyt dine data"))


ft.run(main, view=ft.AppView.WEB_BROWSER, host="127.0.0.1", port=port, no_cdn=True)
