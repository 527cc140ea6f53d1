"""How long a 3-page plan PDF takes, against bare fpdf2 with the same text and font.

    .venv/bin/python bench/bench_pdf.py [--quick]

Musling: building the report (``plan_report``) and rendering it (``render``) for
the example conversation's plan (3 pages). Baselines, made in the same run:
a bare fpdf2 document with the same body text in the same DejaVu Sans, one
``multi_cell`` per paragraph, once with ``add_font`` per document (how fpdf2
is normally used) and once with Musling's per-process font cache.

Cold: the first document in a fresh process (fonts parsed), measured in a
child process. Warm: the median of N runs after a warm-up, the variants taken
in turn (run 1 of each, run 2 of each, …) so a busy machine slows them alike;
wall-clock time and this process's CPU time (which other processes on the
machine do not inflate). Peak memory: tracemalloc during one warm run.
Targets (issue 11): warm ≤ 1.5× the bare document with the same cached font,
and under 150 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from mus.demo import example_conversation
from mus.i18n import Translator
from mus.pdf import FONT_DIR, _install, render
from mus.report import plan_report, report_lines

CREATED = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
TARGET_RATIO = 1.5  # against the bare document with the same cached font
TARGET_MS = 150.0


def musling() -> bytes:
    report = plan_report(example_conversation(TODAY), Translator("da"))
    return render(report, created=CREATED)


LINES = report_lines(plan_report(example_conversation(TODAY), Translator("da")))


def _bare(cached: bool) -> bytes:
    pdf = FPDF(format="A4")
    if cached:
        _install(pdf, "", FONT_DIR / "DejaVuSans.ttf")
    else:
        pdf.add_font("dejavu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.set_creation_date(CREATED)
    pdf.add_page()
    pdf.set_font("dejavu", "", 10)
    for line in LINES:
        pdf.multi_cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def bare() -> bytes:
    return _bare(cached=False)


def bare_cached() -> bytes:
    return _bare(cached=True)


VARIANTS: dict[str, Callable[[], bytes]] = {
    "musling (report + render)": musling,
    "bare fpdf2, add_font each time": bare,
    "bare fpdf2, cached font": bare_cached,
}


def timed(fn: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def timed_both(fn: Callable[[], bytes]) -> tuple[float, float]:
    """Wall-clock and CPU milliseconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def peak_kib(fn: Callable[[], bytes]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1024


def cold_child(name: str) -> None:
    print(json.dumps(timed(VARIANTS[name])))


def cold(name: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, __file__, "--cold-child", name],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        times.append(float(out.stdout.strip()))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    parser.add_argument("--cold-child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.cold_child:
        cold_child(args.cold_child)
        return
    runs, cold_runs = (5, 1) if args.quick else (25, 3)

    from io import BytesIO

    from pypdf import PdfReader

    names = list(VARIANTS)
    colds = {name: cold(name, cold_runs) for name in names}
    data = {name: VARIANTS[name]() for name in names}
    for name in names:  # warm-up
        VARIANTS[name]()
    walls: dict[str, list[float]] = {name: [] for name in names}
    cpus: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(runs):
        for name in names:
            wall, cpu = timed_both(VARIANTS[name])
            walls[name].append(wall)
            cpus[name].append(cpu)
    warm = {name: statistics.median(walls[name]) for name in names}
    warm_cpu = {name: statistics.median(cpus[name]) for name in names}

    ours, add_font, cached = names
    print(f"PDF export, median of {runs} warm runs ({cold_runs} cold, each in a fresh process)")
    header = (
        f"{'variant':<32} {'cold ms':>8} {'warm ms':>8} {'cpu ms':>7} {'×cached':>8} "
        f"{'×cached cpu':>11} {'peak KiB':>9} {'pages':>5} {'KB':>6}"
    )
    print(header)
    print("-" * len(header))
    for name in names:
        pages = len(PdfReader(BytesIO(data[name])).pages)
        print(
            f"{name:<32} {colds[name]:>8.1f} {warm[name]:>8.1f} {warm_cpu[name]:>7.1f} "
            f"{warm[name] / warm[cached]:>8.2f} {warm_cpu[name] / warm_cpu[cached]:>11.2f} "
            f"{peak_kib(VARIANTS[name]):>9.0f} {pages:>5} {len(data[name]) / 1024:>6.1f}"
        )
    ratio = warm[ours] / warm[cached]
    ratio_cpu = warm_cpu[ours] / warm_cpu[cached]
    print()
    print(
        f"target warm ≤ {TARGET_RATIO}× the bare document with the same cached font: "
        f"{ratio:.2f}× wall, {ratio_cpu:.2f}× CPU "
        f"({'ok' if max(ratio, ratio_cpu) <= TARGET_RATIO else 'MISSED'}); "
        f"against add_font each time {warm[ours] / warm[add_font]:.2f}×"
    )
    print(
        f"target warm < {TARGET_MS:.0f} ms: {warm[ours]:.1f} ms wall, {warm_cpu[ours]:.1f} ms CPU "
        f"({'ok' if warm[ours] < TARGET_MS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
