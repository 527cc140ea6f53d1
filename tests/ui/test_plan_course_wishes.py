"""A course wish put in the plan: on the plan screen and in the exported plan PDF."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader

from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.harness import UI
from tests.ui.test_plan import saved_files

TITLE = "Kursus i digital borgerbetjening"


def test_a_wish_switched_into_the_plan_is_on_the_plan_screen_and_in_its_pdf(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/plan")
        assert not ui.find_all("plan-course-course-1"), "private until chosen"
        await ui.go("/wheel/preparation")
        await ui.change("course-in-plan-course-1", True)
        await ui.go("/plan")
        shown = ui.text_of("plan-course-course-1")
        assert shown.startswith(f"• {TITLE}\nPris: Ca. 6.000 kr.")
        assert "Tid: 3 dage" in shown and "Egen tid: " in shown
        assert "Kursusønsker" in ui.texts()
        await ui.tap("export-pdf")
        await ui.wait_for(lambda: bool(saved_files(ui)))
        _, data = saved_files(ui)[0]
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "Kursusønsker" in text and TITLE in text.replace("\n", " ")

    play(scenario, session=with_example)
