"""Markers that really select: ``e2e`` (a real Chromium) and ``slow`` (crash loops,
exhaustive damage, real app processes, long fuzzing).

``python3 dev.py test --fast`` runs ``-m "not e2e and not slow"``: everything that
needs no browser and no crash loop. The lists below say which are slow, by module
or by test name, so a new slow test is marked in one place; the whole suite
(``python3 dev.py test``, CI) runs all of them.
"""

from __future__ import annotations

import pytest

SLOW_MODULES = {
    "tests/storage/test_vault_crash.py",  # kill -9 loops
    "tests/storage/test_vault_tamper.py",  # every byte flipped, every cut
    "tests/storage/test_vault_integrity.py",  # every damage class, every command
    "tests/test_web_guard.py",  # a real `python main.py` over raw sockets
    "tests/test_client_texts.py",  # the real app serving its client
    "tests/test_main.py",  # real app processes
    "tests/cli/test_exit_codes.py",  # real CLI processes, a full tmpfs
    "tests/cli/test_data_folder.py",  # read-only mounts, real processes
    "tests/cli/test_import_limits.py",  # fuzzing through the CLI
    "tests/cli/test_vault_recover.py",  # real processes
    "tests/sync/test_webdav.py",  # a real server, killed clients
    "tests/pdf/test_pdf_fuzz.py",  # hypothesis over whole PDFs
    "tests/cli/test_vault_damage_fuzz.py",  # every damage class through every command
}
SLOW_TESTS = {
    "test_an_autosave_journals_one_document_whatever_the_table_size",  # 1,000 records
    "test_kill_9_real_subprocess_real_kdf",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        if path.startswith("tests/e2e/"):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)
        elif path in SLOW_MODULES or _slow_name(getattr(item, "originalname", item.name)):
            item.add_marker(pytest.mark.slow)


def _slow_name(name: str) -> bool:
    """Listed by name, or a test that starts real processes (``*real_process*``)."""
    return name in SLOW_TESTS or "real_process" in name
