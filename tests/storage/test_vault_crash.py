"""kill -9 at random moments while saving: every acknowledged save survives.

A child process saves in a loop (inserts, shortening updates, nested edits,
deletes, the odd truncate) and, after each ``write()`` returns, writes an ack
line to a pipe. The parent SIGKILLs it at a random moment, reopens the vault
and compares with a model: the state must equal the acknowledged saves, or
those plus the one in flight (it may have reached the disk before the ack).

Most rounds fork the already-initialised test process (a fresh interpreter
costs ~0.3 s; 240 of them would not fit the budget); a few run a real
``python`` subprocess with the production KDF.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB
from tinydb.table import Document

from storage.vault import Tuning, Vault, VaultStorage
from tests.storage.conftest import (
    PASSPHRASE,
    SMALL_JOURNAL,
    create_vault,
    open_vault,
)

ROOT = Path(__file__).resolve().parents[2]
Model = dict[str, Any]


def next_op(rng: random.Random, model: Model, next_id: int) -> dict[str, Any]:
    roll = rng.random()
    ids = sorted(model, key=int)
    if not ids or roll < 0.35:
        text = "æøå-" + "".join(rng.choice("abcdefghij ") for _ in range(rng.randint(0, 900)))
        return {"op": "insert", "id": next_id, "doc": {"text": text, "goals": [next_id]}}
    doc_id = rng.choice(ids)
    if roll < 0.65:
        current = model[doc_id]["text"]
        return {"op": "shorten", "id": int(doc_id), "text": current[: len(current) // 2]}
    if roll < 0.8:
        return {"op": "nested", "id": int(doc_id), "value": rng.randint(0, 99)}
    if roll < 0.995:
        return {"op": "remove", "id": int(doc_id)}
    return {"op": "truncate"}


def apply_model(model: Model, op: dict[str, Any]) -> Model:
    out = {key: {"text": doc["text"], "goals": list(doc["goals"])} for key, doc in model.items()}
    kind = op["op"]
    if kind == "insert":
        out[str(op["id"])] = {"text": op["doc"]["text"], "goals": list(op["doc"]["goals"])}
    elif kind == "shorten":
        out[str(op["id"])]["text"] = op["text"]
    elif kind == "nested":
        out[str(op["id"])]["goals"].append(op["value"])
    elif kind == "remove":
        del out[str(op["id"])]
    else:
        out = {}
    return out


def apply_db(db: TinyDB, op: dict[str, Any]) -> None:
    plans = db.table("plans")
    kind = op["op"]
    if kind == "insert":
        plans.insert(Document(op["doc"], doc_id=op["id"]))
    elif kind == "shorten":
        plans.update({"text": op["text"]}, doc_ids=[op["id"]])
    elif kind == "nested":
        value = op["value"]
        plans.update(lambda doc: doc["goals"].append(value), doc_ids=[op["id"]])
    elif kind == "remove":
        plans.remove(doc_ids=[op["id"]])
    else:
        plans.truncate()


def save_loop(vault: Vault, out_fd: int, seed: int) -> None:
    """The child's life: save forever, acknowledging each save after it returns."""
    db = TinyDB(vault, storage=VaultStorage)
    model: Model = {key: dict(doc) for key, doc in db.table("plans")._read_table().items()}
    next_id = max((int(k) for k in model), default=0) + 1
    rng = random.Random(seed)
    os.write(out_fd, b"R\n")
    while True:
        op = next_op(rng, model, next_id)
        os.write(out_fd, b"B " + json.dumps(op).encode() + b"\n")
        apply_db(db, op)
        os.write(out_fd, b"A\n")
        model = apply_model(model, op)
        if op["op"] == "insert":
            next_id += 1


def child_main() -> None:
    """Entry for the real-subprocess rounds: production KDF, stdout as the ack pipe."""
    folder, seed = Path(sys.argv[1]), int(sys.argv[2])
    vault = Vault.open(folder, PASSPHRASE, tuning=SMALL_JOURNAL)
    save_loop(vault, sys.stdout.fileno(), seed)


def read_until_ready(fd: int) -> bytes:
    buffer = b""
    while b"R\n" not in buffer:
        chunk = os.read(fd, 65536)
        if not chunk:
            raise AssertionError("child died before it was ready")
        buffer += chunk
    return buffer


def read_until_acks(fd: int, buffer: bytes, count: int) -> bytes:
    """Wait (for an event, not a time) until the child has acknowledged ``count`` saves."""
    while buffer.count(b"\nA\n") < count:
        chunk = os.read(fd, 65536)
        if not chunk:
            raise AssertionError("child died while saving")
        buffer += chunk
    return buffer


def drain(fd: int, buffer: bytes) -> bytes:
    while chunk := os.read(fd, 65536):
        buffer += chunk
    return buffer


def outcome(model: Model, log: bytes) -> tuple[Model, Model | None]:
    """(state after all acknowledged saves, state if the in-flight one landed too)."""
    pending: dict[str, Any] | None = None
    for line in log.split(b"\n"):
        if line.startswith(b"B "):
            pending = json.loads(line[2:])
        elif line == b"A" and pending is not None:
            model = apply_model(model, pending)
            pending = None
    return model, (apply_model(model, pending) if pending is not None else None)


def stored_plans(folder: Path, tuning: Tuning) -> Model:
    vault = open_vault(folder, tuning=tuning)
    try:
        tables = vault.read() or {}
        return {key: dict(doc) for key, doc in tables.get("plans", {}).items()}
    finally:
        vault.close()


def fork_child(folder: Path, seed: int, tuning: Tuning) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        try:
            os.close(read_fd)
            save_loop(open_vault(folder, tuning=tuning), write_fd, seed)
        finally:
            os._exit(1)
    os.close(write_fd)
    return pid, read_fd


@pytest.mark.parametrize(
    ("seed", "tuning"),
    [(1, SMALL_JOURNAL), (2, SMALL_JOURNAL), (3, Tuning()), (4, Tuning(512, 0.1))],
    ids=["small-journal-a", "small-journal-b", "default-tuning", "compact-every-save"],
)
def test_kill_9_while_saving(vault_folder: Path, seed: int, tuning: Tuning) -> None:
    create_vault(vault_folder, tuning=tuning)[0].close()
    rng = random.Random(seed)
    model: Model = {}
    rounds, landed_in_flight, saves = 60, 0, 0
    for round_no in range(rounds):
        pid, fd = fork_child(vault_folder, seed * 1000 + round_no, tuning)
        try:
            log = read_until_acks(fd, read_until_ready(fd), rng.randint(0, 4))
            time.sleep(rng.choice([0.0, rng.uniform(0, 0.004), rng.uniform(0, 0.03)]))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            log = drain(fd, log)
        finally:
            os.close(fd)
        acknowledged, with_pending = outcome(model, log)
        saves += log.count(b"\nA\n")
        actual = stored_plans(vault_folder, tuning)
        if actual == acknowledged:
            model = acknowledged
        else:
            assert actual == with_pending, f"round {round_no}: acknowledged save lost"
            model, landed_in_flight = actual, landed_in_flight + 1
    assert saves > rounds  # the kills did land while saving (each waits for 0-4 acks)


def test_kill_9_real_subprocess_real_kdf(vault_folder: Path) -> None:
    """Fresh interpreters, the production Argon2id, the production reader."""
    vault, _ = Vault.create(vault_folder, PASSPHRASE, tuning=SMALL_JOURNAL)
    vault.close()
    rng = random.Random(99)
    model: Model = {}
    code = "from tests.storage.test_vault_crash import child_main; child_main()"
    for round_no in range(4):
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(vault_folder), str(round_no)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        fd = child.stdout.fileno()
        log = read_until_ready(fd)
        time.sleep(rng.uniform(0.01, 0.08))
        child.send_signal(signal.SIGKILL)
        child.wait()
        log = drain(fd, log)
        child.stdout.close()
        acknowledged, with_pending = outcome(model, log)
        vault = Vault.open(vault_folder, PASSPHRASE, tuning=SMALL_JOURNAL)
        tables = vault.read() or {}
        vault.close()
        actual = {key: dict(doc) for key, doc in tables.get("plans", {}).items()}
        assert actual in (acknowledged, with_pending)
        model = actual
