"""How long a 3-page plan PDF takes, against bare fpdf2 with the same text and font.

    .venv/bin/python bench/bench_pdf.py [--quick]

Musling: building the report (``plan_report``) and rendering it (``render``) for
the example conversation's plan (3 pages). Baselines, made in the same run:
a bare fpdf2 document with the same body text in the same DejaVu Sans, one
``multi_cell`` per paragraph, once with ``add_font`` per document (how fpdf2
is normally used) and once with Musling's per-process font cache.

Cold: the first document in a fresh process (fonts parsed), measured in a
child process. Warm: the median of N runs after a warm-up. Peak memory:
tracemalloc during one warm run. Targets: warm ≤ 2× the bare document and
under 150 ms.
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
TARGET_RATIO = 2.0
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

    rows = []
    for name, fn in VARIANTS.items():
        cold_ms = cold(name, cold_runs)
        for _ in range(2):
            data = fn()
        warm = statistics.median(timed(fn) for _ in range(runs))
        from io import BytesIO

        from pypdf import PdfReader

        pages = len(PdfReader(BytesIO(data)).pages)
        rows.append((name, cold_ms, warm, peak_kib(fn), pages, len(data) / 1024))

    base_warm = rows[1][2]
    base_cold = rows[1][1]
    print(f"PDF export, median of {runs} warm runs ({cold_runs} cold, each in a fresh process)")
    header = (
        f"{'variant':<32} {'cold ms':>8} {'warm ms':>8} {'×bare warm':>10} "
        f"{'×bare cold':>10} {'peak KiB':>9} {'pages':>5} {'KB':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, cold_ms, warm, peak, pages, size in rows:
        print(
            f"{name:<32} {cold_ms:>8.1f} {warm:>8.1f} {warm / base_warm:>10.2f} "
            f"{cold_ms / base_cold:>10.2f} {peak:>9.0f} {pages:>5} {size:>6.1f}"
        )
    ours = rows[0][2]
    ratio = ours / base_warm
    ratio_cached = ours / rows[2][2]
    print()
    print(
        f"target warm ≤ {TARGET_RATIO:.0f}× bare: {ratio:.2f}× "
        f"({'ok' if ratio <= TARGET_RATIO else 'MISSED'}); "
        f"against the cached-font bare document {ratio_cached:.2f}×"
    )
    print(
        f"target warm < {TARGET_MS:.0f} ms: {ours:.1f} ms "
        f"({'ok' if ours < TARGET_MS else 'MISSED'})"
    )


if __name__ == "__main__":
    main()
