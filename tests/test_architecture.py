"""The house's layering, checked by running Python: importing the domain and
storage must not pull in the UI framework (it is heavy at start-up, and a
command-line run or a storage test must not depend on it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def loaded_after(imports: str) -> set[str]:
    code = f"import sys, json; {imports}; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout))


def test_mus_and_storage_leave_flet_unloaded() -> None:
    mods = loaded_after(
        "import mus, mus.wheel, mus.i18n, mus.ports, mus.settings, storage, storage.paths,"
        " storage.preferences"
    )
    assert not {m for m in mods if m == "flet" or m.startswith("flet.")}


def test_mus_is_free_of_infrastructure() -> None:
    mods = loaded_after("import mus, mus.wheel, mus.i18n, mus.ports, mus.settings")
    banned = ("flet", "tinydb", "cryptography", "storage", "views", "fpdf")
    assert not {m for m in mods if m.split(".")[0] in banned}
