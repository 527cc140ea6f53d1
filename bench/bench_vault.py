"""Durable save cost of the encrypted vault against plain TinyDB JSONStorage.

Run: ``.venv/bin/python bench/bench_vault.py`` (``--quick`` for a short run).
Every figure is measured in this run on this machine, baseline included; read
ratios, not absolutes (a phone's fsync costs 2-20 ms against ~0.5 ms here).

Per edit = ``table.update({...}, doc_ids=[id])`` through TinyDB, fsync included,
one edited note in a ~2 KB plan document; the vault is opened as the app opens
it (``storage.table.IndexedDB``). "by key" is the repositories' way: find the
document by its own id, replace it whole. The vault's mean includes the
occasional compaction (a new snapshot) spread over the edits that caused it.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tinydb import TinyDB
from tinydb.storages import JSONStorage, MemoryStorage

from storage.crypto import default_kdf, derive_passphrase_key, new_salt
from storage.table import IndexedDB, find_id, replace_with
from storage.vault import Vault, VaultStorage

PASSPHRASE = "korrekt hest batteri hæfteklamme"
WORDS = [
    "mål",
    "udvikling",
    "kompetence",
    "trivsel",
    "opgave",
    "ansvar",
    "samarbejde",
    "feedback",
    "læring",
]


def plan(index: int, rng: random.Random) -> dict[str, Any]:
    """A development plan of about 2 KB, shaped like the app's."""

    def text(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words))

    return {
        "kind": "plan",
        "employee": f"Medarbejder {index}",
        "year": 2020 + index % 7,
        "status": "agreed",
        "goals": [
            {
                "title": text(5),
                "why": text(14),
                "activities": [{"what": text(8), "when": "2026-05-01", "done": False}],
            }
            for _ in range(3)
        ],
        "notes": {"s1": text(40), "s2": text(30)},
    }


def tables_of(count: int) -> dict[str, dict[str, Any]]:
    rng = random.Random(count)
    return {"plans": {str(i): plan(i, rng) for i in range(1, count + 1)}}


def time_edits(db: TinyDB, count: int, edits: int) -> list[float]:
    table = db.table("plans")
    rng = random.Random(7)
    times: list[float] = []
    for edit in range(edits):
        doc_id = rng.randint(1, count)
        note = f"redigeret note {edit} " + " ".join(rng.choice(WORDS) for _ in range(30))
        start = time.perf_counter()
        table.update({"notes": {"s1": note, "s2": "æøå"}}, doc_ids=[doc_id])
        times.append(time.perf_counter() - start)
    return times


def time_saves_by_key(db: TinyDB, count: int, edits: int) -> list[float]:
    """The repositories' way: find the document by its own id, replace it whole."""
    table = db.table("plans")
    rng = random.Random(7)
    times: list[float] = []
    for edit in range(edits):
        index = rng.randint(1, count)
        doc = plan(index, rng)
        doc["notes"]["s1"] = f"redigeret note {edit}"
        start = time.perf_counter()
        doc_id = find_id(table, ("employee",), f"Medarbejder {index}")
        assert doc_id is not None
        table.update(replace_with(doc), doc_ids=[doc_id])
        times.append(time.perf_counter() - start)
    return times


def vault_edits(folder: Path, count: int, edits: int, *, by_key: bool = False) -> list[float]:
    vault, _ = Vault.create(folder, PASSPHRASE, tables=tables_of(count))
    db = IndexedDB(vault, storage=VaultStorage)  # as the app opens it
    try:
        if by_key:
            db.table("plans").get(doc_id=1)  # the index is built once, at first use
            time_saves_by_key(db, count, 1)
            return time_saves_by_key(db, count, edits)
        return time_edits(db, count, edits)
    finally:
        db.close()


def json_edits(folder: Path, count: int, edits: int) -> list[float]:
    path = folder / "plain.json"
    path.write_text(json.dumps(tables_of(count)))
    db = TinyDB(path, storage=JSONStorage)
    try:
        return time_edits(db, count, edits)
    finally:
        db.close()


def memory_edits(count: int, edits: int) -> list[float]:
    db = TinyDB(storage=MemoryStorage)
    db.storage.write(tables_of(count))
    return time_edits(db, count, edits)


def ms(value: float) -> str:
    return f"{value * 1000:8.2f}"


def unlock_figures(folder: Path, count: int, repeats: int = 3) -> tuple[float, float]:
    """Median unlock (KDF + decrypt + replay) and median bare KDF, same run."""
    vault, _ = Vault.create(folder, PASSPHRASE, tables=tables_of(count))
    vault.close()
    unlocks, kdfs = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        Vault.open(folder, PASSPHRASE).close()
        unlocks.append(time.perf_counter() - start)
        salt = new_salt()
        start = time.perf_counter()
        derive_passphrase_key(PASSPHRASE, salt, default_kdf())
        kdfs.append(time.perf_counter() - start)
    return statistics.median(unlocks), statistics.median(kdfs)


def memory_child(folder: Path, count: int) -> None:
    """Run in a fresh process: open a vault of ``count`` plans, edit, report peak RSS."""
    vault = Vault.open(folder, PASSPHRASE)
    db = IndexedDB(vault, storage=VaultStorage)
    time_edits(db, count, 50)
    db.close()
    print(peak_rss_kib())


def peak_rss_kib() -> int:
    """VmHWM (reset by exec, unlike ru_maxrss, which a child inherits from its parent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_memory_mib(folder: Path, count: int) -> tuple[float, float]:
    vault, _ = Vault.create(folder, PASSPHRASE, tables=tables_of(count))
    vault.close()
    script = str(Path(__file__).resolve())
    child = [sys.executable, script, "--memory-child", str(folder), str(count)]
    rss = int(subprocess.run(child, check=True, capture_output=True, text=True).stdout)
    empty = [sys.executable, "-c", _EMPTY_CHILD, str(Path(__file__).resolve().parent.parent)]
    base = int(subprocess.run(empty, check=True, capture_output=True, text=True).stdout)
    return rss / 1024, base / 1024


_EMPTY_CHILD = (
    "import sys; sys.path.insert(0, sys.argv[1]); import tinydb, storage.vault;"
    "from bench.bench_vault import peak_rss_kib; print(peak_rss_kib())"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer sizes and edits")
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(Path(args.memory_child[0]), int(args.memory_child[1]))
        return
    sizes = [100, 1000] if args.quick else [100, 1000, 10000]
    edits = 60 if args.quick else 400
    print(f"durable save of one edited note (ms per edit; {edits} edits; median / mean)")
    print(
        f"{'plans':>6} | {'vault med':>9} {'vault mean':>10} | {'JSON med':>9} "
        f"{'JSON mean':>9} | {'JSON/vault':>10} | {'stock TinyDB, memory':>20}"
        f" | {'vault by key':>12}"
    )
    by_key: dict[int, float] = {}
    medians: dict[int, float] = {}
    own: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for count in sizes:
            baseline_edits = edits if count < 10000 else max(20, edits // 10)
            vault_times = vault_edits(root / f"v{count}", count, edits)
            key_times = vault_edits(root / f"k{count}", count, edits, by_key=True)
            by_key[count] = statistics.median(key_times)
            (root / f"j{count}").mkdir()
            json_times = json_edits(root / f"j{count}", count, baseline_edits)
            tiny_times = memory_edits(count, edits)
            v_med, j_med = statistics.median(vault_times), statistics.median(json_times)
            t_med = statistics.median(tiny_times)
            own[count] = t_med
            medians[count] = v_med
            print(
                f"{count:>6} | {ms(v_med):>9} {ms(statistics.fmean(vault_times)):>10} | "
                f"{ms(j_med):>9} {ms(statistics.fmean(json_times)):>9} | "
                f"{j_med / v_med:>9.1f}x | {ms(t_med):>20} | {ms(by_key[count]):>12}"
            )
        largest = sizes[-1]
        print(
            f"at {largest} / at 100: vault {medians[largest] / medians[100]:.2f}x; "
            f"by key (the repositories' way) {by_key[largest] / by_key[100]:.2f}x; "
            f"stock TinyDB in memory (no disk at all) {own[largest] / own[100]:.2f}x"
        )
        for count in (1000,) if args.quick else (1000, 10000):
            unlock, kdf = unlock_figures(root / f"unlock{count}", count)
            print(
                f"unlock at {count} plans: {unlock * 1000:.0f} ms; bare KDF "
                f"({default_kdf().name}): {kdf * 1000:.0f} ms; "
                f"overhead {(unlock - kdf) * 1000:.0f} ms"
            )
        if not args.quick:
            peak, base = peak_memory_mib(root / "mem", 10000)
            print(
                f"peak RSS at 10000 plans (open + 50 edits): {peak:.0f} MiB (imports: {base:.0f})"
            )


if __name__ == "__main__":
    main()
