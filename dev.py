#!/usr/bin/env python3
"""Musling's two commands, for a fresh machine with nothing but Python 3.11+.

    python3 dev.py run [--port N] [--data-dir DIR]   start the app at http://127.0.0.1:8550
    python3 dev.py test [pytest args]                lint, types, layering, the whole suite
    python3 dev.py test --fast [pytest args]         the same without browser, crash loops
                                                     and real app processes (under a minute)
    python3 dev.py bench [--quick]                   the benchmarks under bench/
    python3 dev.py shots [OUT_DIR]                   phone-size screenshots of every screen

Both create ``.venv`` and install the pinned dependencies from pyproject.toml
on first use (and again only when the pins change). ``test`` also installs
Debian's chromium with apt-get when /usr/bin/chromium is missing; it never
downloads a browser of its own.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
CHROMIUM = Path("/usr/bin/chromium")
DEBIAN_TEST_PACKAGES = ["chromium", "poppler-utils", "qpdf"]


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def fail(msg: str) -> NoReturn:
    print(f"[dev] FAILED: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def requirements(with_dev: bool) -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    reqs = list(project["dependencies"])
    if with_dev:
        reqs += project["optional-dependencies"]["dev"]
    return reqs


def ensure_venv(with_dev: bool) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        fail(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]})")
    if not PY.exists():
        say(f"creating {VENV.name} ...")
        venv.EnvBuilder(with_pip=True).create(VENV)
    reqs = requirements(with_dev)
    stamp = VENV / f".deps-{hashlib.sha256(chr(10).join(reqs).encode()).hexdigest()[:16]}"
    if stamp.exists():
        return
    say("installing pinned dependencies (first run only) ...")
    cmd = [str(PY), "-m", "pip", "install", "--disable-pip-version-check", "-q", *reqs]
    if subprocess.run(cmd, check=False).returncode != 0:
        fail("pip install failed (see above)")
    for old in VENV.glob(".deps-*"):
        old.unlink()
    stamp.touch()


def ensure_chromium() -> None:
    """Debian's chromium (and PDF tools) for the browser and PDF tests."""
    missing = not CHROMIUM.exists() or not shutil.which("pdftoppm") or not shutil.which("qpdf")
    if not missing:
        return
    apt = shutil.which("apt-get")
    if apt is None:
        fail("chromium is missing and apt-get is not available: install Debian's chromium")
    sudo: list[str] = [] if os.geteuid() == 0 else ["sudo", "-n"]
    say(f"installing {' '.join(DEBIAN_TEST_PACKAGES)} with apt-get ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in ([apt, "-qq", "update"], [apt, "-y", "-qq", "install", *DEBIAN_TEST_PACKAGES]):
        if subprocess.run([*sudo, *cmd], env=env, check=False).returncode != 0:
            fail(f"{' '.join(cmd)} failed")
    if not CHROMIUM.exists():
        fail(f"{CHROMIUM} is still missing after apt-get install chromium")


def run_step(name: str, cmd: list[str]) -> None:
    say(f"{name}: {' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}")
    if subprocess.run(cmd, cwd=ROOT, check=False).returncode != 0:
        fail(name)


def cmd_run(args: list[str]) -> None:
    ensure_venv(with_dev=False)
    os.chdir(ROOT)
    os.execv(str(PY), [str(PY), "main.py", *args])  # noqa: S606 - our own venv python


FAST = ["-m", "not e2e and not slow", "-n", "2"]
"""The fast lane: no browser, no crash loop, no real app process (tests/conftest.py)."""


def cmd_test(args: list[str]) -> None:
    fast = "--fast" in args
    args = [a for a in args if a != "--fast"]
    ensure_venv(with_dev=True)
    if not fast:
        ensure_chromium()
    run_step("ruff (lint)", [str(BIN / "ruff"), "check", "."])
    run_step("ruff (format)", [str(BIN / "ruff"), "format", "--check", "."])
    run_step("mypy (strict)", [str(BIN / "mypy"), "."])
    run_step("import-linter (layering)", [str(BIN / "lint-imports")])
    if fast:
        run_step("pytest (fast lane)", [str(PY), "-m", "pytest", *FAST, *args])
    elif args:  # the caller chose what to run
        run_step("pytest", [str(PY), "-m", "pytest", *args])
    else:
        # Two runs: what needs no browser on two workers, then the browser tests
        # one at a time (each starts real app servers and Chromium).
        run_step("pytest (no browser)", [str(PY), "-m", "pytest", "-m", "not e2e", "-n", "2"])
        run_step("pytest (browser)", [str(PY), "-m", "pytest", "-m", "e2e"])
    say("all checks passed")


def cmd_bench(args: list[str]) -> None:
    ensure_venv(with_dev=True)
    ensure_chromium()
    for bench in sorted((ROOT / "bench").glob("bench_*.py")):
        run_step(bench.stem, [str(PY), str(bench), *args])


def cmd_shots(args: list[str]) -> None:
    ensure_venv(with_dev=True)
    ensure_chromium()
    run_step("shots", [str(PY), "-m", "tests.e2e.shots", *args])


def main() -> None:
    commands = {"run": cmd_run, "test": cmd_test, "bench": cmd_bench, "shots": cmd_shots}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        sys.exit(1)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
