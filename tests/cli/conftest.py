"""Running the command line two ways: in-process (fast) and as a real subprocess.

In-process runs go through ``storage.cli.run`` with a cheap KDF (scrypt
N=2**10) and the lax limits it needs, a fixed clock and their own streams: the
same code path as ``main.py`` apart from the key cost. Subprocess runs start
``python main.py …`` with the production KDF (Argon2id, ~0.15 s), because exit
codes and "one line, no traceback" are promises about the real process.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.cli import run
from storage.crypto import KDF_SCRYPT, KdfLimits, KdfParams
from storage.session import VaultSession

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "rødgrød med fløde 🍓"
NEW_PASSPHRASE = "tre små kinesere på Højbro Plads"
FAST_KDF = KdfParams(KDF_SCRYPT, 10, 8, 1)
LAX = KdfLimits(argon2_min_memory_kib=8, argon2_min_iterations=1, scrypt_min_work_log2=10)
NOW = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
"""The reminder tests' day: the example then has exactly one overdue item."""


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def error_line(self) -> str:
        """The one line a failure prints (and the assertion that it is one line)."""
        lines = self.err.strip().splitlines()
        assert len(lines) == 1, self.err
        return lines[0]


class Cli:
    """``storage.cli.run`` against one data folder, with the passphrase in the environment."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.env: dict[str, str] = {"MUSLING_PASSPHRASE": PASSPHRASE}

    @property
    def vault(self) -> Path:
        return self.data_dir / "vault"

    def __call__(
        self,
        *argv: str,
        stdin: str = "",
        env: Mapping[str, str] | None = None,
        now: datetime = NOW,
    ) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = run(
            [*argv, "--data-dir", str(self.data_dir)],
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=err,
            environ={**self.env, **(env or {})},
            kdf=FAST_KDF,
            limits=LAX,
            clock=lambda: now,
        )
        assert "Traceback" not in err.getvalue()
        return Result(code, out.getvalue(), err.getvalue())

    def session(self) -> VaultSession:
        """The vault as the app would hold it (same KDF and limits as the runs)."""
        return VaultSession(self.vault, kdf=FAST_KDF, limits=LAX)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(tmp_path / "data")


@pytest.fixture
def demo_cli(cli: Cli) -> Cli:
    """A data folder holding the example: conversation, agreed version, schedule."""
    assert cli("demo").code == 0
    return cli


def run_main(
    *argv: str, env: Mapping[str, str] | None = None, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    """``python main.py …`` as a person runs it (production KDF)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MUSLING_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "main.py", *argv],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=full_env,
        check=False,
    )
