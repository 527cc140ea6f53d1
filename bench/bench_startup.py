"""Start-up of Musling against a bare Flet page started the same way, in one run.

Two figures, each a median over several starts:
  * process start → HTTP 200 on the page;
  * process start → the first screen's title in the browser's accessibility tree
    (headless Debian chromium at 390×844, a fresh profile each time).
The target is Musling ≤ 1.2× the bare page.

    .venv/bin/python bench/bench_startup.py [--runs N] [--quick]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TITLE = "Beskyt dine data"  # the first screen of a fresh start: create the vault


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(kind: str, port: int, data_dir: str) -> subprocess.Popen[bytes]:
    if kind == "musling":
        cmd = [sys.executable, "main.py", "--port", str(port), "--data-dir", data_dir]
    else:
        cmd = [sys.executable, "bench/bare_flet_app.py", str(port)]
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_http(url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer")


def first_screen(browser: Browser, url: str) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    try:
        page.goto(url)
        end = time.monotonic() + 60
        while time.monotonic() < end:
            if page.locator("flt-semantics").get_by_text(TITLE).count() > 0:
                return
            placeholder = page.locator("flt-semantics-placeholder")
            if placeholder.count() > 0:
                with contextlib.suppress(Exception):  # it may vanish meanwhile
                    placeholder.dispatch_event("click", timeout=500)
            page.wait_for_timeout(20)
        raise RuntimeError("no first screen")
    finally:
        page.close()


def one_start(kind: str, browser: Browser) -> tuple[float, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as data:
        t0 = time.monotonic()
        proc = start(kind, port, data)
        try:
            wait_http(url, t0 + 60)
            http = time.monotonic() - t0
            first_screen(browser, url)
            screen = time.monotonic() - t0
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return http, screen


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    runs = 2 if a.quick else a.runs
    results: dict[str, list[tuple[float, float]]] = {"bare": [], "musling": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        one_start("bare", browser)  # warm the OS file cache for both
        for _ in range(runs):  # interleaved, so drift hits both alike
            for kind, times in results.items():
                times.append(one_start(kind, browser))
        browser.close()
    print(f"start-up, median of {runs} (seconds)")
    print(f"{'':22}{'bare Flet':>10}{'Musling':>10}{'ratio':>8}")
    for i, label in enumerate(("process → HTTP 200", "process → home screen")):
        bare = statistics.median(r[i] for r in results["bare"])
        mus = statistics.median(r[i] for r in results["musling"])
        print(f"{label:22}{bare:10.2f}{mus:10.2f}{mus / bare:8.2f}")


if __name__ == "__main__":
    main()
