"""An exception no rule expected is a bug, said as one: its own exit code (70, not the
usage error 1), one line naming the exception's type and the line of Musling's code,
never the exception's message (it may hold a file name or a record's content)."""

from __future__ import annotations

import io
import re

from storage.cli import EXIT_BUG, run
from tests.cli.conftest import FAST_KDF, LAX, PASSPHRASE, Cli


def test_an_unexpected_error_is_a_bug_with_its_own_exit_code(demo_cli: Cli) -> None:
    """A real failure, not a mock: ``vault check`` printing to a closed stdout
    (``print`` raises ValueError, which no rule of the CLI expects)."""
    closed, err = io.StringIO(), io.StringIO()
    closed.close()
    code = run(
        ["vault", "check", "--data-dir", str(demo_cli.data_dir)],
        stdin=io.StringIO(),
        stdout=closed,
        stderr=err,
        environ=demo_cli.env,
        kdf=FAST_KDF,
        limits=LAX,
    )
    assert code == EXIT_BUG == 70
    lines = err.getvalue().strip().splitlines()
    assert len(lines) == 1, err.getvalue()
    assert re.fullmatch(
        r"Uventet fejl \(ValueError ved storage/[a-z_]+\.py:\d+\): en fejl i Musling, ikke i "
        r"det, du gjorde\. Det, du sidst gemte, er i behold\. Meld den gerne med denne linje\.",
        lines[0],
    )
    assert "closed file" not in lines[0]  # the exception's own message stays out
    assert str(demo_cli.data_dir) not in lines[0]
    assert PASSPHRASE not in lines[0]
