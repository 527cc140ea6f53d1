"""Starting the app from the command line: bad ports get a clear message."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_main(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_port_taken_names_the_port_and_the_way_out(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_main("--port", str(port), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1
    assert str(port) in line
    assert "--port" in line and "MUSLING_PORT" in line


@pytest.mark.parametrize("port", ["80", "70000", "-1"])
def test_bad_port_is_refused(tmp_path: Path, port: str) -> None:
    result = run_main("--port", port, "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert port in result.stderr


def test_musling_port_from_environment(tmp_path: Path) -> None:
    import os

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "MUSLING_PORT": str(port)}
        result = run_main("--data-dir", str(tmp_path), env=env)
    assert result.returncode == 1
    assert str(port) in result.stderr


def test_port_must_be_a_number(tmp_path: Path) -> None:
    result = run_main("--port", "abc", "--data-dir", str(tmp_path))
    assert result.returncode == 2  # argparse's own usage error
    assert "Traceback" not in result.stderr
