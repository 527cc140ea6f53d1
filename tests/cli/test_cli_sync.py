"""``sync`` on the command line: targets, export, run [--now], retry, password, status.

The rules are the app's (``Outbox.retry_now``, ``retry``, ``set_password``); these
tests hold the command line to them and to its messages, which name commands,
never buttons.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mus.sync import EXIT_SYNC_PENDING
from storage import cli
from storage.cli_sync import WEBDAV_PASSWORD_ENV
from tests.cli.conftest import Cli, run_main
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE
from tests.sync.dav_server import PASSWORD, USER, DavServer


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


# ---------------------------------------------------------------- a real WebDAV server
# WsgiDAV on 127.0.0.1 (tests/sync/dav_server.py), faults armed per test; the
# clock is fixed (tests/cli/conftest.py), so a backoff never comes due by itself
# while a test runs, however slow the machine.


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[DavServer]:
    root = tmp_path / "dav"
    (root / "MUS").mkdir(parents=True)
    server = DavServer(root).start()
    yield server
    server.stop()


def webdav_target(cli: Cli, dav: DavServer, password: str, name: str = "Sky") -> str:
    """Adds a WebDAV target (every export goes there) and returns its short id."""
    added = cli(
        "sync", "add-webdav", name, dav.url, "--user", USER, "--folder", "MUS", "--role", "mine",
        env={WEBDAV_PASSWORD_ENV: password},
    )  # fmt: skip
    assert added.code == 0, added.err
    assert password not in added.out
    return added.out.split()[0]


def export(cli: Cli, tmp_path: Path, *, summary: bool = False) -> bytes:
    """``pdf export`` queues the PDF for the target; returns its bytes."""
    out = tmp_path / ("summary.pdf" if summary else "plan.pdf")
    flags = ["--summary"] if summary else []
    made = cli("pdf", "export", "--conversation", "latest", "--out", str(out), *flags)
    assert made.code == 0, made.err
    return out.read_bytes()


def on_server(dav: DavServer) -> list[bytes]:
    return sorted(p.read_bytes() for p in (dav.root / "MUS").iterdir())


def puts(dav: DavServer) -> int:
    return dav.faults.methods().count("PUT")


def test_now_sends_at_once_what_waits_after_a_busy_server(
    demo_cli: Cli, dav: DavServer, tmp_path: Path
) -> None:
    cli = demo_cli
    webdav_target(cli, dav, PASSWORD)
    plan, summary = export(cli, tmp_path), export(cli, tmp_path, summary=True)
    dav.faults.fail("PUT", 503)

    first = cli("sync", "run")
    assert first.code == EXIT_SYNC_PENDING, first.err
    assert "Serveren har travlt" in first.out and "kan prøves igen fra" in first.out
    # The busy server was asked once; the second file waits with it, untried.
    assert puts(dav) == 1
    assert first.out.count("Venter") == 1 and first.out.count("Fejlet") == 1
    assert "2 fil(er) venter stadig" in first.out
    assert "Kør `python main.py sync run --now` for at prøve 2 af dem igen nu." in first.err
    assert "tryk" not in (first.out + first.err).lower()

    again = cli("sync", "run")
    assert again.code == EXIT_SYNC_PENDING and puts(dav) == 1, "nothing due yet"

    now = cli("sync", "run", "--now")
    assert now.code == 0, now.err
    assert now.out.count("Sendt") == 2 and now.err == ""
    assert on_server(dav) == sorted([plan, summary])
    assert cli("sync", "status").out.count("Sendt") == 2


def test_now_retries_what_a_full_server_paused(
    demo_cli: Cli, dav: DavServer, tmp_path: Path
) -> None:
    cli = demo_cli
    webdav_target(cli, dav, PASSWORD)
    plan = export(cli, tmp_path)
    dav.faults.fail("PUT", 507)  # insufficient storage: paused until the user acts

    first = cli("sync", "run")
    assert first.code == EXIT_SYNC_PENDING
    assert "Serveren er fuld" in first.out
    assert "stoppet, til du kører `python main.py sync run --now`" in first.out
    assert cli("sync", "run").code == EXIT_SYNC_PENDING and puts(dav) == 1, "paused"
    status = cli("sync", "status")
    assert status.code == 0, "status only reads: 0 even while files wait"
    assert "sync run --now" in status.out + status.err

    now = cli("sync", "run", "--now")
    assert now.code == 0, now.err
    assert on_server(dav) == [plan]


def test_a_refused_login_stays_paused_until_a_new_password(
    demo_cli: Cli, dav: DavServer, tmp_path: Path
) -> None:
    cli = demo_cli
    target = webdav_target(cli, dav, "gammel-kode")
    plan = export(cli, tmp_path)

    first = cli("sync", "run")
    assert first.code == EXIT_SYNC_PENDING
    assert "Forkert brugernavn eller adgangskode" in first.out
    command = f"`python main.py sync password {target}`"
    assert command in first.out and command in first.err
    assert "sync run --now" not in first.err, "--now would not help"

    seen = len(dav.faults.seen)
    now = cli("sync", "run", "--now")
    assert now.code == EXIT_SYNC_PENDING
    assert len(dav.faults.seen) == seen, "the same password is not tried again"
    assert command in now.out, "the held file is listed with the command that frees it"
    assert f"1 fil(er) til modtageren {target} venter på en ny adgangskode" in now.err

    changed = cli("sync", "password", target, env={WEBDAV_PASSWORD_ENV: PASSWORD})
    assert changed.code == 0, changed.err
    assert PASSWORD not in changed.out + changed.err
    assert "sendes ved næste `python main.py sync run`" in changed.err
    assert cli("sync", "run").code == 0
    assert on_server(dav) == [plan]


def test_a_forbidden_folder_is_retried_by_its_id_once_access_is_fixed(
    demo_cli: Cli, dav: DavServer, tmp_path: Path
) -> None:
    cli = demo_cli
    webdav_target(cli, dav, PASSWORD)
    plan = export(cli, tmp_path)
    dav.faults.fail("PUT", 403)

    first = cli("sync", "run")
    assert first.code == EXIT_SYNC_PENDING
    item = first.out.split()[0]
    assert f"`python main.py sync retry {item}`" in first.out
    assert cli("sync", "run", "--now").code == EXIT_SYNC_PENDING and puts(dav) == 1

    retried = cli("sync", "retry", item[:5])  # any unique start of the id
    assert retried.code == 0, retried.err
    assert on_server(dav) == [plan]
    closed = cli("sync", "retry", item)
    assert closed.code == 1
    assert closed.error_line == f"Filen {item} er ikke i kø (Sendt); der er intet at prøve igen."


def test_wrong_references_and_settings_are_one_line_and_exit_1(
    demo_cli: Cli, dav: DavServer, tmp_path: Path
) -> None:
    cli = demo_cli
    # Unusable settings are refused before a password is asked (none is given here).
    bad = cli("sync", "add-webdav", "Sky", "ftp://sky", "--user", " ", "--folder", "MUS",
              "--role", "mine")  # fmt: skip
    assert bad.code == 1
    assert bad.error_line == "Adressen er ikke gyldig; Skriv dit brugernavn"
    assert cli("sync", "targets").out.strip() == "Ingen modtagere er sat op endnu."

    webdav_target(cli, dav, PASSWORD, name="Sky")
    webdav_target(cli, dav, PASSWORD, name="SKY")
    folder = tmp_path / "arkiv"
    folder.mkdir()
    assert cli("sync", "add-folder", "Kort", str(folder), "--role", "leader").code == 0
    for argv, line in [
        (("password", "nope"), "Der er ingen modtager med det id eller navn."),
        (("password", "sky"), "Flere modtagere passer."),
        (("password", "kort"), "En mappe på enheden har ingen adgangskode."),
        (("retry", "zzzz"), "Der er ingen fil i udbakken med det id."),
        (("remove", "nope", "--yes"), "Der er ingen modtager med det id eller navn."),
    ]:
        result = cli("sync", *argv, env={WEBDAV_PASSWORD_ENV: PASSWORD})
        assert result.code == 1, argv
        assert result.error_line.startswith(line), argv
    targets = cli("sync", "targets").out.splitlines()
    sky = next(line.split()[0] for line in targets if " Sky " in line)
    empty = cli("sync", "password", sky, stdin="\n")  # no variable: one line of stdin
    assert empty.code == 1 and empty.error_line == "Adgangskoden er tom. Intet er ændret."


def test_remove_says_what_it_cancels_and_asks_first(
    demo_cli: Cli, dav: DavServer, tmp_path: Path
) -> None:
    cli = demo_cli
    target = webdav_target(cli, dav, "forkert")
    export(cli, tmp_path)
    declined = cli("sync", "remove", target)
    assert declined.code == 1
    assert "1 fil(er), der endnu ikke er sendt dertil, bliver ikke sendt" in declined.err
    assert target in cli("sync", "targets").out, "nothing removed without SLET or --yes"

    removed = cli("sync", "remove", target, stdin="SLET\n")
    assert removed.code == 0, removed.err
    expected = f"Modtageren {target} er slettet; 1 fil(er) til den er annulleret."
    assert removed.out.strip() == expected
    assert cli("sync", "run").code == 0, "a cancelled file no longer waits"
    assert "Annulleret" in cli("sync", "status").out


def test_exit_codes_of_the_real_process(tmp_path: Path) -> None:
    """``python main.py sync …`` as a person runs it (production KDF): 7 while a file
    waits, 0 once it is delivered, status 0 throughout, never a traceback."""
    data, card = str(tmp_path / "data"), tmp_path / "card"
    env = {"MUSLING_PASSPHRASE": PASSPHRASE}

    def main(*argv: str) -> subprocess.CompletedProcess[str]:
        result = run_main(*argv, "--data-dir", data, env=env)
        assert "Traceback" not in result.stderr
        return result

    assert main("demo").returncode == 0
    card.mkdir()
    assert main("sync", "add-folder", "Kort", str(card), "--role", "leader").returncode == 0
    card.rmdir()  # the memory card is out
    out = str(tmp_path / "plan.pdf")
    assert main("pdf", "export", "--conversation", "latest", "--out", out).returncode == 0
    waiting = main("sync", "run")
    assert waiting.returncode == EXIT_SYNC_PENDING, waiting.stderr
    assert "Mappen findes ikke på enheden" in waiting.stdout, "a folder's own wording"
    assert "`python main.py sync run --now`" in waiting.stderr
    assert main("sync", "status").returncode == 0
    card.mkdir()  # back in
    sent = main("sync", "run", "--now")
    assert sent.returncode == 0, sent.stderr
    assert [p.read_bytes() for p in card.iterdir()] == [Path(out).read_bytes()]
