"""The outbox's rules and records: pure policy, targets, persistence, worker and CLI."""

from __future__ import annotations

import io
import json
import random
from datetime import timedelta
from pathlib import Path

import pytest
from tinydb import TinyDB

from mus.errors import EXIT_OK, EXIT_USAGE
from mus.sync import (
    EXIT_SYNC_PENDING,
    BackoffPolicy,
    DeliveryState,
    SyncTarget,
    TargetKind,
    TargetRole,
    numbered_name,
    plan_exports,
    safe_file_name,
    validate_target,
)
from storage.sync import BLOBS, OUTBOX, SECRETS, TARGETS, Outbox, StandardDeliverers
from storage.sync_cli import cli_add_folder, cli_add_webdav, cli_run, cli_status, cli_targets
from storage.vault import VaultStorage
from tests.storage.conftest import open_vault
from tests.sync.conftest import META, NOW, pdf_bytes, webdav_target
from tests.sync.dav_server import PASSWORD, USER, DavServer

# ---------------------------------------------------------------- pure rules


def test_backoff_is_full_jitter_under_an_exponential_ceiling() -> None:
    policy = BackoffPolicy(base_seconds=30, cap_seconds=3600, max_attempts=8)
    rng = random.Random(1)
    for attempts in range(1, 8):
        ceiling = min(3600, 30 * 2 ** (attempts - 1))
        delays = [policy.delay(attempts, rng) for _ in range(200)]
        assert all(1.0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8 and min(delays) < max(ceiling * 0.2, 1.0) + 1
    assert policy.delay(1, rng, retry_after=900) >= 900
    assert policy.delay(1, rng, retry_after=10**9) == policy.max_retry_after
    assert policy.next_attempt(8, NOW, rng) is None  # the limit: wait for the user


def test_safe_file_names() -> None:
    assert safe_file_name("MUS-plan 2026 – Anna Hansen") == "MUS-plan 2026 – Anna Hansen.pdf"
    assert safe_file_name("../../etc/passwd") == "etc-passwd.pdf"
    assert safe_file_name('a/b\\c:d*e?f"g<h>i|j.pdf') == "a-b-c-d-e-f-g-h-i-j.pdf"
    assert safe_file_name("x\x00y\u202ez\n.PDF") == "x y z.pdf"
    assert safe_file_name("...") == "musling.pdf"
    assert safe_file_name("CON.pdf") == "_CON.pdf"
    assert safe_file_name("Søren.part") == "Søren.part.pdf"  # never ends in .part
    assert safe_file_name("e\u0301") == "\u00e9.pdf"  # NFC
    long = safe_file_name("æ" * 300)
    assert len(long.encode()) <= 180 and long.endswith(".pdf")
    assert numbered_name("plan.pdf", 1) == "plan.pdf"
    assert numbered_name("plan.pdf", 3) == "plan (3).pdf"


@pytest.mark.parametrize(
    ("url", "codes"),
    [
        ("https://cloud.example.dk/remote.php/dav/files/anna", ()),
        ("http://cloud.example.dk/dav", ("https_required",)),
        ("http://127.0.0.1:8080/", ()),
        ("http://localhost/", ()),
        ("http://[::1]:8080/", ()),
        ("http://127.0.0.1.evil.dk/", ("https_required",)),
        ("ftp://cloud.example.dk/", ("url_invalid",)),
        ("https://", ("url_invalid",)),
    ],
)
def test_https_is_required_except_on_this_device(url: str, codes: tuple[str, ...]) -> None:
    target = SyncTarget("t", "Sky", TargetRole.MINE, TargetKind.WEBDAV, url=url, user="anna")
    assert validate_target(target) == codes


def test_folder_targets_need_an_absolute_path() -> None:
    def folder(path: str) -> SyncTarget:
        return SyncTarget("t", "Kort", TargetRole.MINE, TargetKind.FOLDER, path=path)

    assert validate_target(folder("/sdcard/MUS")) == ()
    assert validate_target(folder("MUS")) == ("path_relative",)
    assert validate_target(folder("")) == ("path_missing",)


def test_exports_go_to_auto_targets_or_to_the_chosen_ones() -> None:
    mine = SyncTarget("m", "Mit", TargetRole.MINE, TargetKind.FOLDER, path="/x", auto=True)
    leader = SyncTarget("l", "Leder", TargetRole.LEADER, TargetKind.FOLDER, path="/y")
    items = plan_exports([mine, leader], b"%PDF", "plan", META, NOW)
    assert [(i.target_id, i.file_name, i.size) for i in items] == [("m", "plan.pdf", 4)]
    assert [
        i.target_id for i in plan_exports([mine, leader], b"%PDF", "p", META, NOW, only={"l"})
    ] == ["l"]


# ---------------------------------------------------------------- targets and records


def test_first_target_of_each_role_is_auto_and_secrets_stay_apart(
    outbox: Outbox, db: TinyDB, dav: DavServer
) -> None:
    first = outbox.add_target(webdav_target(dav), PASSWORD, now=NOW)
    second = outbox.add_target(webdav_target(dav, name="Backup"), PASSWORD, now=NOW)
    leader = outbox.add_target(
        SyncTarget("", "Leder", TargetRole.LEADER, TargetKind.FOLDER, path="/tmp"), now=NOW
    )
    assert (first.auto, second.auto, leader.auto) == (True, False, True)
    assert PASSWORD not in json.dumps(db.table(TARGETS).all())
    assert [d["target_id"] for d in db.table(SECRETS).all()] == [first.id, second.id]
    with pytest.raises(ValueError, match="https_required"):
        outbox.add_target(
            SyncTarget("", "x", TargetRole.MINE, TargetKind.WEBDAV, url="http://a.dk", user="u")
        )


def test_outbox_survives_a_restart(tmp_path: Path, outbox: Outbox, db: TinyDB) -> None:
    outbox.add_target(
        SyncTarget("", "Kort", TargetRole.MINE, TargetKind.FOLDER, path=str(tmp_path)), now=NOW
    )
    (item,) = outbox.enqueue(pdf_bytes(), "plan.pdf", META, now=NOW)
    db.close()

    vault = open_vault(tmp_path / "musling.vault")
    again = Outbox(TinyDB(vault, storage=VaultStorage))
    try:
        assert again.items() == (item,)
        assert again.blob(item.sha256) == pdf_bytes()
    finally:
        vault.close()


def test_one_blob_per_pdf_and_pruned_when_no_longer_needed(
    outbox: Outbox, db: TinyDB, tmp_path: Path
) -> None:
    for name in ("Mit", "Leder"):
        role = TargetRole.MINE if name == "Mit" else TargetRole.LEADER
        (tmp_path / name).mkdir()
        outbox.add_target(
            SyncTarget("", name, role, TargetKind.FOLDER, path=str(tmp_path / name)), now=NOW
        )
    a, b = outbox.enqueue(pdf_bytes(), "plan.pdf", META, now=NOW)
    assert len(db.table(BLOBS)) == 1
    outbox.cancel(a.id, now=NOW)
    assert len(db.table(BLOBS)) == 1  # b still needs it
    outbox.run_due(NOW)
    assert outbox.item(b.id).state is DeliveryState.SENT
    assert len(db.table(BLOBS)) == 0
    assert outbox.item(a.id).state is DeliveryState.CANCELLED
    assert not (tmp_path / "Mit" / "plan.pdf").exists()


def test_removing_a_target_cancels_its_items(outbox: Outbox, tmp_path: Path, db: TinyDB) -> None:
    target = outbox.add_target(
        SyncTarget("", "Kort", TargetRole.MINE, TargetKind.FOLDER, path=str(tmp_path)), now=NOW
    )
    (item,) = outbox.enqueue(pdf_bytes(), "plan.pdf", META, now=NOW)
    outbox.remove_target(target.id, now=NOW)
    assert outbox.item(item.id).state is DeliveryState.CANCELLED
    assert outbox.targets() == () and len(db.table(BLOBS)) == 0 and len(db.table(OUTBOX)) == 1


def test_tampered_pdf_in_the_outbox_is_not_sent(outbox: Outbox, db: TinyDB, tmp_path: Path) -> None:
    outbox.add_target(
        SyncTarget("", "Kort", TargetRole.MINE, TargetKind.FOLDER, path=str(tmp_path)), now=NOW
    )
    outbox.enqueue(pdf_bytes(), "plan.pdf", META, now=NOW)
    db.table(BLOBS).update({"data": "AAAA"})
    (r,) = outbox.run_due(NOW)
    assert (r.item.last_error_code, r.item.paused) == ("damaged", True)
    assert not (tmp_path / "plan.pdf").exists()


# ---------------------------------------------------------------- CLI


def test_cli_add_list_run_and_status(outbox: Outbox, dav: DavServer, tmp_path: Path) -> None:
    out = io.StringIO()
    assert (
        cli_add_webdav(
            outbox,
            out,
            name="Sky",
            url=dav.url,
            user=USER,
            folder="MUS",
            role="mine",
            password=PASSWORD,
        )
        == EXIT_OK
    )
    assert cli_add_folder(outbox, out, name="Kort", path="relative", role="leader") == EXIT_USAGE
    assert "Mappen skal angives med hele stien" in out.getvalue()
    assert cli_add_folder(outbox, out, name="Kort", path=str(tmp_path), role="boss") == EXIT_USAGE
    out = io.StringIO()
    assert cli_targets(outbox, out) == EXIT_OK
    assert "Mit arkiv" in out.getvalue() and "Sky" in out.getvalue()
    assert PASSWORD not in out.getvalue()

    outbox.enqueue(pdf_bytes(), "plan.pdf", META, now=NOW)
    dav.faults.fail("PUT", 503)
    out = io.StringIO()
    factory = StandardDeliverers()
    try:
        assert cli_run(outbox, out, now=NOW, deliverers=factory) == EXIT_SYNC_PENDING
        assert "Serveren har travlt" in out.getvalue()
        out = io.StringIO()
        assert cli_run(outbox, out, now=NOW + timedelta(days=1), deliverers=factory) == EXIT_OK
        assert len(out.getvalue().splitlines()) == 1 and "Sendt" in out.getvalue()
    finally:
        factory.close()
    out = io.StringIO()
    assert cli_status(outbox, out) == EXIT_OK
    assert "plan.pdf" in out.getvalue()
