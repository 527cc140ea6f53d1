"""The markers really select: the fast lane starts no browser and no crash loop."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def collected(marker: str) -> list[str]:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            marker,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    return [line for line in done.stdout.splitlines() if "::" in line]


def test_the_fast_lane_has_no_browser_crash_loop_or_app_process() -> None:
    fast = collected("not e2e and not slow")
    assert len(fast) > 1000
    assert not [t for t in fast if t.startswith("tests/e2e/")]
    assert not [t for t in fast if "test_vault_crash.py" in t or "real_process" in t]


def test_the_e2e_marker_selects_exactly_the_browser_tests() -> None:
    e2e = collected("e2e")
    assert e2e and all(t.startswith("tests/e2e/") for t in e2e)
