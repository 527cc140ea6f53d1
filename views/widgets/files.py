"""Files the user hands to the app: one file, its bytes in memory.

The web edition gets no path, only bytes (``with_data``); a phone build gets
the same, so the screens never touch the file system for a picked file.
"""

from __future__ import annotations

import flet as ft


async def pick_one(title: str) -> tuple[str, bytes] | None:
    """The chosen file's name and bytes; None when the picker was closed."""
    files = await ft.FilePicker().pick_files(
        dialog_title=title, allow_multiple=False, with_data=True
    )
    if not files:
        return None
    return files[0].name, files[0].bytes or b""
