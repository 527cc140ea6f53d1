"""The house's layering, checked by running Python: importing the domain and
storage must not pull in the UI framework (it is heavy at start-up, and a
command-line run or a storage test must not depend on it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def test_no_import_cycles() -> None:
    """Modules import one way: a cycle (even through a function-level import) ties two
    rooms together. Imports under ``if TYPE_CHECKING`` are annotations only."""
    import grimp

    graph = grimp.build_graph("mus", "storage", "views", exclude_type_checking_imports=True)
    cycles = _cycles(graph)
    assert cycles == [], f"import cycles: {cycles}"


def _cycles(graph: Any) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child))))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found
