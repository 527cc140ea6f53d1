"""Outbox delivery to a local WsgiDAV server against a bare loop of PUTs.

Run: ``.venv/bin/python bench/bench_sync.py`` (``--quick`` for a short run).
Every row is measured in this run, on this machine, against the same server
(a WsgiDAV subprocess on 127.0.0.1, so client and server do not share a GIL)
with the same pooled httpx client. Rounds alternate between the variants and
the median round is reported; read ratios, not absolutes. Two ratio columns:
"× bare PUT" (the floor, an unsafe protocol) and "× bare PUT+MOVE" (the same
two requests the outbox sends, so the rest is the outbox's own bookkeeping).
The outbox rows use the app's database class (``storage.table.IndexedDB``, as
``storage.session`` does) and differ only in storage.

Rows:
* bare PUT         — one PUT per PDF to its final name: the floor, not a safe protocol;
* bare PUT+MOVE    — the safe protocol's requests with no outbox around them;
* outbox (memory)  — ``Outbox.run_due`` over TinyDB's MemoryStorage: protocol + bookkeeping;
* outbox (vault)   — ``Outbox.run_due`` over the encrypted vault: + 1 durable (fsynced)
  save per PDF, its "sending" state, which carries the previous PDF's result.
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx
from tinydb.storages import MemoryStorage

from mus.report import ReportKind
from mus.sync import ExportMeta, SyncTarget, TargetKind, TargetRole
from storage.crypto import KDF_SCRYPT, KdfLimits, KdfParams
from storage.sync import Outbox, StandardDeliverers
from storage.table import IndexedDB
from storage.vault import Vault, VaultStorage

ROOT = Path(__file__).resolve().parent.parent
USER, PASSWORD = "anna", "app-password-1"  # the test server's account
FAST_KDF = KdfParams(KDF_SCRYPT, 10, 8, 1)  # key derivation is not what is measured
LAX = KdfLimits(argon2_min_memory_kib=8, argon2_min_iterations=1, scrypt_min_work_log2=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def pdfs(count: int, size: int) -> list[bytes]:
    rng = random.Random(42)
    return [b"%PDF-1.7\n" + rng.randbytes(size - 9) for _ in range(count)]


class Bench:
    def __init__(self, count: int, size: int, work: Path) -> None:
        self.work = work
        self.root = work / "dav"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.pdfs = pdfs(count, size)
        self.requests = 0
        self.client = httpx.Client(
            timeout=30.0, event_hooks={"request": [lambda _r: self._count()]}
        )
        self.auth = httpx.BasicAuth(USER, PASSWORD)
        server = ["-m", "tests.sync.dav_server", "--root", str(self.root)]
        self.server = subprocess.Popen(
            [sys.executable, *server, "--port", str(self.port)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )

    def _count(self) -> None:
        self.requests += 1

    def start(self) -> None:
        self.root.mkdir(parents=True)
        assert self.server.stdout is not None
        assert self.server.stdout.readline().strip() == b"ready"

    def close(self) -> None:
        self.client.close()
        self.server.kill()
        self.server.wait()

    def fresh_folder(self, name: str) -> str:
        folder = self.root / name
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir()
        return name

    def bare_put(self, round_no: int) -> tuple[float, int]:
        folder = self.fresh_folder(f"put{round_no}")
        before = self.requests
        started = time.perf_counter()
        for i, pdf in enumerate(self.pdfs):
            r = self.client.put(f"{self.url}/{folder}/plan-{i}.pdf", content=pdf, auth=self.auth)
            assert r.status_code in (201, 204)
        return time.perf_counter() - started, self.requests - before

    def bare_put_move(self, round_no: int) -> tuple[float, int]:
        folder = self.fresh_folder(f"pm{round_no}")
        before = self.requests
        started = time.perf_counter()
        for i, pdf in enumerate(self.pdfs):
            temp = f"{self.url}/{folder}/.t{i}.upload"
            assert self.client.put(temp, content=pdf, auth=self.auth).status_code == 201
            r = self.client.request(
                "MOVE",
                temp,
                auth=self.auth,
                headers={"Destination": f"{self.url}/{folder}/plan-{i}.pdf", "Overwrite": "F"},
            )
            assert r.status_code == 201
        return time.perf_counter() - started, self.requests - before

    def outbox(self, round_no: int, *, vault: bool) -> tuple[float, int, float]:
        folder = self.fresh_folder(f"{'v' if vault else 'm'}{round_no}")
        if vault:
            v, _ = Vault.create(
                self.work / f"vault{round_no}", "bench pass", kdf=FAST_KDF, limits=LAX
            )
            db = IndexedDB(v, storage=VaultStorage)
        else:
            db = IndexedDB(storage=MemoryStorage)
        box = Outbox(db)
        box.add_target(
            SyncTarget(
                "",
                "Sky",
                TargetRole.MINE,
                TargetKind.WEBDAV,
                url=self.url,
                user=USER,
                folder=folder,
            ),
            PASSWORD,
        )
        started = time.perf_counter()
        for i, pdf in enumerate(self.pdfs):
            box.enqueue(pdf, f"plan-{i}.pdf", ExportMeta(f"c{i}", ReportKind.PLAN, 1))
        enqueue = time.perf_counter() - started
        before = self.requests
        started = time.perf_counter()
        results = box.run_due(deliverers=StandardDeliverers(self.client))
        elapsed = time.perf_counter() - started
        assert len(results) == len(self.pdfs) and all(r.item.sent_at for r in results)
        db.close()
        return elapsed, self.requests - before, enqueue


def median_row(samples: list[tuple[float, ...]]) -> tuple[float, ...]:
    return tuple(statistics.median(col) for col in zip(*samples, strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 PDFs, 3 rounds")
    parser.add_argument("--count", type=int, default=None)
    parser.add_argument("--size", type=int, default=35_000)
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    count = args.count or (30 if args.quick else 100)
    rounds = args.rounds or (3 if args.quick else 5)

    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(count, args.size, Path(tmp))
        try:
            bench.start()
            bench.bare_put(-1)  # warm up server and connection
            runs: dict[str, list[tuple[float, ...]]] = {}
            variants: dict[str, Callable[[int], tuple[float, ...]]] = {
                "bare PUT": bench.bare_put,
                "bare PUT+MOVE": bench.bare_put_move,
                "outbox (memory)": lambda n: bench.outbox(n, vault=False),
                "outbox (vault)": lambda n: bench.outbox(n, vault=True),
            }
            for n in range(rounds):
                for name, run in variants.items():
                    runs.setdefault(name, []).append(run(n))
        finally:
            bench.close()

    base = median_row(runs["bare PUT"])[0]
    same_protocol = median_row(runs["bare PUT+MOVE"])[0]
    print(f"{count} PDFs of {args.size // 1000} KB, {rounds} rounds, median round")
    print("| variant | total s | ms per PDF | requests per PDF | × bare PUT | × bare PUT+MOVE |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, samples in runs.items():
        row = median_row(samples)
        total, requests = row[0], row[1]
        print(
            f"| {name} | {total:.3f} | {1000 * total / count:.2f} | "
            f"{requests / count:.1f} | {total / base:.2f} | {total / same_protocol:.2f} |"
        )
    for name in ("outbox (memory)", "outbox (vault)"):
        enqueue = median_row(runs[name])[2]
        print(f"enqueue into {name.split()[1][1:-1]}: {1000 * enqueue / count:.2f} ms per PDF")


if __name__ == "__main__":
    main()
