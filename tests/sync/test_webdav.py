"""Delivery to a real WsgiDAV server through the outbox in a real vault."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from mus.sync import DeliveryState, SyncTarget, TargetKind, TargetRole, temp_name
from storage.sync import Outbox, RunResult, StandardDeliverers
from storage.webdav import check_connection
from tests.sync.conftest import META, NOW, pdf_bytes, webdav_target
from tests.sync.dav_server import PASSWORD, USER, DavServer, free_port, make_self_signed

ROOT = Path(__file__).resolve().parents[2]
NAME = "MUS-plan 2026 – Anna Hansen.pdf"


def files(dav: DavServer, folder: str = "MUS") -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((dav.root / folder).iterdir())}


def test_upload_is_put_then_move_and_leaves_nothing_else(
    outbox: Outbox, target: SyncTarget, dav: DavServer, deliverers: StandardDeliverers
) -> None:
    pdf = pdf_bytes()
    (item,) = outbox.enqueue(pdf, NAME, META, now=NOW)
    assert item.state is DeliveryState.WAITING and item.target_id == target.id

    (result,) = outbox.run_due(NOW, deliverers)

    assert result.item.state is DeliveryState.SENT
    assert result.item.delivered_name == NAME and result.item.sent_at == NOW
    assert files(dav) == {NAME: pdf}
    assert dav.faults.methods() == ["PUT", "MOVE"]
    assert outbox.blob(item.sha256) is None  # the vault no longer carries the PDF


def test_resending_the_same_pdf_is_a_no_op(
    outbox: Outbox, target: SyncTarget, dav: DavServer, deliverers: StandardDeliverers
) -> None:
    pdf = pdf_bytes()
    (first,) = outbox.enqueue(pdf, NAME, META, now=NOW)
    outbox.run_due(NOW, deliverers)
    dav.faults.clear()

    (again,) = outbox.enqueue(pdf, NAME, META, now=NOW)
    assert again.id == first.id and again.state is DeliveryState.SENT
    assert outbox.run_due(NOW, deliverers) == ()
    assert dav.faults.methods() == []
    assert files(dav) == {NAME: pdf}


def test_same_content_found_at_the_name_counts_as_delivered(
    outbox: Outbox, target: SyncTarget, dav: DavServer, deliverers: StandardDeliverers
) -> None:
    """E.g. sent from another phone, or an outbox restored from an older backup."""
    pdf = pdf_bytes()
    (dav.root / "MUS" / NAME).write_bytes(pdf)
    outbox.enqueue(pdf, NAME, META, now=NOW)

    (result,) = outbox.run_due(NOW, deliverers)

    assert result.item.state is DeliveryState.SENT and result.item.delivered_name == NAME
    assert files(dav) == {NAME: pdf}  # temporary file removed again
    assert dav.faults.methods() == ["PUT", "MOVE", "GET", "DELETE"]


def test_a_different_file_of_the_same_name_is_kept_beside_ours(
    outbox: Outbox, target: SyncTarget, dav: DavServer, deliverers: StandardDeliverers
) -> None:
    theirs, ours, third = pdf_bytes(1), pdf_bytes(2), pdf_bytes(3, size=20_000)
    (dav.root / "MUS" / NAME).write_bytes(theirs)
    outbox.enqueue(ours, NAME, META, now=NOW)
    outbox.enqueue(third, NAME, META, now=NOW + timedelta(seconds=1))

    results = outbox.run_due(NOW, deliverers)

    assert [r.item.delivered_name for r in results] == [
        "MUS-plan 2026 – Anna Hansen (2).pdf",
        "MUS-plan 2026 – Anna Hansen (3).pdf",
    ]
    assert files(dav) == {
        NAME: theirs,
        "MUS-plan 2026 – Anna Hansen (2).pdf": ours,
        "MUS-plan 2026 – Anna Hansen (3).pdf": third,
    }


def test_wrong_password_pauses_the_target_after_one_request(
    outbox: Outbox, dav: DavServer, deliverers: StandardDeliverers
) -> None:
    target = outbox.add_target(webdav_target(dav), "wrong", now=NOW)
    for n in range(3):
        outbox.enqueue(pdf_bytes(n), f"plan {n}.pdf", META, now=NOW + timedelta(seconds=n))

    results = outbox.run_due(NOW, deliverers)

    assert dav.faults.methods() == ["PUT"]  # no hammering (Nextcloud throttles bad logins)
    assert {r.item.last_error_code for r in results} == {"wrong_password"}
    assert all(r.item.paused for r in results)
    assert [r.item.attempts for r in results] == [1, 0, 0]
    assert outbox.run_due(NOW + timedelta(days=3), deliverers) == ()  # paused: never by itself

    assert outbox.set_password(target.id, PASSWORD, now=NOW) == 3
    results = outbox.run_due(NOW, deliverers)
    assert [r.item.state for r in results] == [DeliveryState.SENT] * 3
    assert sorted(files(dav)) == ["plan 0.pdf", "plan 1.pdf", "plan 2.pdf"]


def test_missing_folder_pauses_with_its_code(
    outbox: Outbox, dav: DavServer, deliverers: StandardDeliverers
) -> None:
    outbox.add_target(webdav_target(dav, folder="MUS/2026"), PASSWORD, now=NOW)
    outbox.enqueue(pdf_bytes(), NAME, META, now=NOW)

    (result,) = outbox.run_due(NOW, deliverers)

    assert result.item.paused and result.item.last_error_code == "folder_missing"
    (dav.root / "MUS" / "2026").mkdir()
    outbox.retry(result.item.id, now=NOW)
    (result,) = outbox.run_due(NOW, deliverers)
    assert result.item.state is DeliveryState.SENT
    assert (dav.root / "MUS" / "2026" / NAME).is_file()


def test_server_errors_back_off_with_jitter_honour_retry_after_and_stop_at_the_limit(
    outbox: Outbox, target: SyncTarget, dav: DavServer, deliverers: StandardDeliverers
) -> None:
    (item,) = outbox.enqueue(pdf_bytes(), NAME, META, now=NOW)
    dav.faults.fail("PUT", 500, times=10)

    (r1,) = outbox.run_due(NOW, deliverers)
    assert r1.item.state is DeliveryState.FAILED and r1.item.last_error_code == "server_error"
    assert r1.item.next_attempt_at is not None
    assert NOW < r1.item.next_attempt_at <= NOW + timedelta(seconds=30)
    assert outbox.run_due(NOW, deliverers) == ()  # not due yet

    dav.faults.rules.clear()
    dav.faults.fail("PUT", 503, times=1, Retry_After="600")
    later = r1.item.next_attempt_at
    (r2,) = outbox.run_due(later, deliverers)
    assert r2.item.last_error_code == "server_busy"
    assert r2.item.next_attempt_at is not None
    assert r2.item.next_attempt_at >= later + timedelta(seconds=600)

    dav.faults.fail("PUT", 500, times=10)
    when = r2.item.next_attempt_at
    for _ in range(2):  # attempts 3 and 4 of max_attempts=4
        (r,) = outbox.run_due(when, deliverers)
        when = r.item.next_attempt_at or when
    assert r.item.paused and r.item.attempts == 4
    assert outbox.run_due(when + timedelta(days=30), deliverers) == ()

    dav.faults.rules.clear()
    outbox.retry(item.id, now=when)
    (done,) = outbox.run_due(when, deliverers)
    assert done.item.state is DeliveryState.SENT
    assert files(dav) == {NAME: pdf_bytes()}


def test_server_down_then_up(tmp_path: Path, outbox: Outbox) -> None:
    root = tmp_path / "later"
    (root / "MUS").mkdir(parents=True)
    dav = DavServer(root)  # not started: nothing listens on its port yet
    outbox.add_target(webdav_target(dav), PASSWORD, now=NOW)
    outbox.enqueue(pdf_bytes(1), "a.pdf", META, now=NOW)
    outbox.enqueue(pdf_bytes(2), "b.pdf", META, now=NOW + timedelta(seconds=1))
    factory = StandardDeliverers(timeout=httpx.Timeout(1.0))
    try:
        first, second = outbox.run_due(NOW, factory)
        assert first.item.last_error_code == second.item.last_error_code == "no_connection"
        assert second.item.attempts == 0  # held with the target, never tried
        assert second.item.next_attempt_at == first.item.next_attempt_at
        dav.start()
        try:
            results = outbox.run_due(NOW + timedelta(hours=1), factory)
            assert [r.item.state for r in results] == [DeliveryState.SENT] * 2
            assert sorted(files(dav)) == ["a.pdf", "b.pdf"]
        finally:
            dav.stop()
    finally:
        factory.close()


def test_slow_server_times_out_then_delivers(
    outbox: Outbox, target: SyncTarget, dav: DavServer
) -> None:
    outbox.enqueue(pdf_bytes(), NAME, META, now=NOW)
    dav.faults.slow("PUT", 1.0)
    factory = StandardDeliverers(timeout=httpx.Timeout(0.3))
    try:
        started = time.monotonic()
        (r1,) = outbox.run_due(NOW, factory)
        assert time.monotonic() - started < 0.9
        assert r1.item.last_error_code == "timeout" and not r1.item.paused
        time.sleep(0.8)  # the server finishes the late PUT (into the temporary name only)
        assert NAME not in files(dav)
        (r2,) = outbox.run_due(NOW + timedelta(hours=1), factory)
        assert r2.item.state is DeliveryState.SENT
        assert files(dav) == {NAME: pdf_bytes()}
    finally:
        factory.close()


def test_server_killed_mid_upload_leaves_no_half_file_and_delivers_on_retry(
    tmp_path: Path, outbox: Outbox, deliverers: StandardDeliverers
) -> None:
    root, port, marker = tmp_path / "dav", free_port(), tmp_path / "cut"
    (root / "MUS").mkdir(parents=True)
    target = outbox.add_target(webdav_target(DavServer(root, port)), PASSWORD, now=NOW)
    pdf = pdf_bytes()
    (item,) = outbox.enqueue(pdf, NAME, META, now=NOW)
    server = _server_process(root, port, "--cut-after", "12000", "--marker", str(marker))
    box: list[tuple[RunResult, ...]] = []
    runner = threading.Thread(target=lambda: box.append(outbox.run_due(NOW, deliverers)))
    runner.start()
    try:
        _wait_for(marker.exists)
    finally:
        server.kill()
        server.wait()
    runner.join(10)
    ((r1,),) = box
    assert r1.item.last_error_code == "connection_lost"
    assert not (root / "MUS" / NAME).exists()
    half = root / "MUS" / temp_name(item.id)
    assert half.exists() and half.stat().st_size < len(pdf)

    server = _server_process(root, port)
    try:
        (r2,) = outbox.run_due(NOW + timedelta(hours=1), deliverers)
    finally:
        server.kill()
        server.wait()
    assert r2.item.state is DeliveryState.SENT and r2.item.target_id == target.id
    assert {p.name: p.read_bytes() for p in (root / "MUS").iterdir()} == {NAME: pdf}


@pytest.mark.parametrize("moment", ["during_put", "after_move"])
def test_app_killed_mid_upload_delivers_exactly_once_after_restart(
    tmp_path: Path, dav: DavServer, moment: str
) -> None:
    """A real client process, SIGKILLed while the server holds its PUT (not yet
    applied) or its MOVE (applied, response never sent); a fresh process on the
    same vault then finishes the job with exactly one file at the target."""
    vault = tmp_path / "musling.vault"
    pdf_file = tmp_path / "export.pdf"
    pdf_file.write_bytes(pdf_bytes())
    dav.faults.stall(
        "PUT" if moment == "during_put" else "MOVE", after_apply=moment == "after_move"
    )
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.sync.client_proc", str(vault), dav.url, str(pdf_file), NAME],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert dav.faults.reached.wait(15), child.stderr.read() if child.stderr else ""
    finally:
        child.kill()
        child.wait()
        dav.faults.release.set()
    time.sleep(0.1)
    expected = {NAME: pdf_bytes()} if moment == "after_move" else {}
    assert {k: v for k, v in files(dav).items() if not k.startswith(".")} == expected

    from tests.sync.client_proc import open_outbox

    outbox, db = open_outbox(vault)
    try:
        (stuck,) = outbox.items()
        assert stuck.state is DeliveryState.SENDING and stuck.attempts == 1
        dav.faults.clear()
        factory = StandardDeliverers(timeout=httpx.Timeout(5.0))
        (result,) = outbox.run_due(NOW + timedelta(minutes=1), factory)
        factory.close()
        assert result.item.state is DeliveryState.SENT and result.item.delivered_name == NAME
        first = dav.faults.methods()[0]
        assert first == "GET"  # a crashed "sending" item is checked at the target first
        if moment == "after_move":
            assert dav.faults.methods() == ["GET"]
    finally:
        db.close()
    assert files(dav) == {NAME: pdf_bytes()}


def test_check_connection_names_each_problem(tmp_path: Path, dav: DavServer) -> None:
    good = webdav_target(dav)
    assert check_connection(good, PASSWORD) is None
    assert check_connection(good, "nope") == "wrong_password"
    assert check_connection(webdav_target(dav, folder="Nope"), PASSWORD) == "folder_missing"
    closed = SyncTarget(
        "",
        "x",
        TargetRole.MINE,
        TargetKind.WEBDAV,
        url=f"http://127.0.0.1:{free_port()}",
        user=USER,
    )
    assert check_connection(closed, PASSWORD) == "no_connection"
    remote = SyncTarget(
        "", "x", TargetRole.MINE, TargetKind.WEBDAV, url="http://cloud.example.dk/dav", user=USER
    )
    assert check_connection(remote, PASSWORD) == "https_required"

    tls_root = tmp_path / "tls"
    (tls_root / "MUS").mkdir(parents=True)
    tls = DavServer(tls_root, tls=make_self_signed(tmp_path)).start()
    try:
        assert check_connection(webdav_target(tls), PASSWORD) == "certificate"
    finally:
        tls.stop()


def test_outbox_test_connection_uses_the_stored_password(
    outbox: Outbox, target: SyncTarget
) -> None:
    assert outbox.test_connection(target) is None
    assert outbox.test_connection(target, "other") == "wrong_password"


def test_nothing_is_logged_with_names_or_addresses(
    outbox: Outbox,
    dav: DavServer,
    deliverers: StandardDeliverers,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("DEBUG")
    outbox.add_target(webdav_target(dav), "wrong", now=NOW)
    outbox.enqueue(pdf_bytes(), NAME, META, now=NOW)
    outbox.run_due(NOW, deliverers)
    text = caplog.text
    for secret in ("Anna", "127.0.0.1", USER, "MUS/", "wrong"):
        assert secret not in text.replace("wrong_password", ""), secret


def test_failure_codes_are_in_the_catalogs() -> None:
    from mus.i18n import catalog

    codes = """wrong_password forbidden server_full folder_missing too_large moved server_busy
        server_error refused no_connection timeout certificate tls connection_lost
        too_many_conflicts disk_full read_only disk_error damaged target_missing unexpected
        not_webdav https_required url_invalid user_missing name_missing path_missing
        path_relative folder_invalid role_invalid""".split()  # noqa: SIM905
    for lang in ("da", "en"):
        assert sorted(c for c in codes if f"sync.error.{c}" not in catalog(lang)) == []


def _server_process(root: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.sync.dav_server",
            "--root",
            str(root),
            "--port",
            str(port),
            *extra,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    return proc


def _wait_for(condition: object, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out")
