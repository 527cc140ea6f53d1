"""``sync`` on the command line: add a folder target, export, run, status."""

from __future__ import annotations

import io
from pathlib import Path

from storage import cli
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE


def call(data: Path, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.run(
        [*argv, "--data-dir", str(data)],
        stdin=io.StringIO(""),
        stdout=out,
        stderr=err,
        environ={"MUSLING_PASSPHRASE": PASSPHRASE},
        kdf=FAST_KDF,
        limits=LAX,
    )
    return code, out.getvalue(), err.getvalue()


def test_export_is_queued_and_delivered_to_a_folder(tmp_path: Path) -> None:
    data, archive = tmp_path / "data", tmp_path / "arkiv"
    archive.mkdir()
    assert call(data, "demo")[0] == 0
    code, out, err = call(data, "sync", "add-folder", "Mit arkiv", str(archive), "--role", "mine")
    assert code == 0, err
    assert "Mit arkiv" in call(data, "sync", "targets")[1]
    pdf = tmp_path / "plan.pdf"
    assert call(data, "pdf", "export", "--conversation", "latest", "--out", str(pdf))[0] == 0
    code, out, err = call(data, "sync", "run")
    assert code == 0, (out, err)
    delivered = list(archive.glob("*.pdf"))
    assert len(delivered) == 1
    assert delivered[0].read_bytes() == pdf.read_bytes()
    # Running again sends nothing twice.
    assert call(data, "sync", "run")[0] == 0
    assert len(list(archive.glob("*.pdf"))) == 1
    assert call(data, "sync", "status")[0] == 0


def test_run_exits_7_while_something_waits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert call(data, "demo")[0] == 0
    gone = tmp_path / "not-mounted"
    gone.mkdir()
    assert call(data, "sync", "add-folder", "Kort", str(gone), "--role", "leader")[0] == 0
    gone.rmdir()  # the memory card is out
    assert (
        call(data, "pdf", "export", "--conversation", "latest", "--out", str(tmp_path / "p.pdf"))[0]
        == 0
    )
    code, out, _ = call(data, "sync", "run")
    assert code == 7, out
