#!/usr/bin/env python3
"""Checking a PDF: ``govcodes check FILE.pdf --year 2026``, end to end, beside the route it replaces.

    python benchmarks/bench_pdf.py [--runs 5] [PDF ...]

By default the four real budgets of ../shared/pdfs (20 to 40 pages).  For
each, in alternated runs:

* **govcodes**: ``govcodes check FILE.pdf --year 2026`` as a user runs it (a
  new process: start-up, the edition, reading the PDF with the ``pdf``
  extra, rebuilding its tables, checking them);
* **peer**: the route a user had before: pdfplumber's layout text of every
  page (``page.extract_text(layout=True)``, as the issue measured it), then
  ``govcodes check`` on that text (needs ``pip install pdfplumber``; left
  out when it is missing).

Prints the medians, the ratio and the bound of the issue (a 30-page PDF in
a few seconds at most: 3 s per document here).  Exit status 1 when the bound
is missed.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _figures import print_figures

BOUND_S = 3.0
PDFS = Path(__file__).resolve().parents[2] / "shared" / "pdfs"

PEER = """
import sys, pdfplumber, subprocess
with pdfplumber.open(sys.argv[1]) as pdf:
    text = "\\n".join(page.extract_text(layout=True) or "" for page in pdf.pages)
open(sys.argv[2], "w", encoding="utf-8").write(text)
sys.exit(subprocess.run([sys.executable, "-m", "govcodes", "check", sys.argv[2], "--year", "2026"],
                        stdout=subprocess.DEVNULL).returncode > 1)
"""


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode > 1:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pdfs", nargs="*", type=Path, help="PDFs to check (default: ../shared/pdfs/*.pdf)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    files = args.pdfs or sorted(PDFS.glob("*.pdf"))
    if not files:
        print(f"no PDF to time: none given and none at {PDFS}")
        return 1
    peer = importlib.util.find_spec("pdfplumber") is not None
    if not peer:
        print("pdfplumber is not installed: the peer is left out (pip install pdfplumber)")
    figures = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in files:
            pages = _pages(path)
            ours: list[float] = []
            theirs: list[float] = []
            for _ in range(args.runs):  # alternated: the machine's load falls on both alike
                ours.append(timed([sys.executable, "-m", "govcodes", "check", str(path), "--year", "2026"]))
                if peer:
                    theirs.append(timed([sys.executable, "-c", PEER, str(path), str(Path(tmp) / "layout.txt")]))
            mine = statistics.median(ours)
            detail = f"{pages} pages; best {min(ours):.2f} s"
            if theirs:
                other = statistics.median(theirs)
                detail += f"; peer (pdfplumber layout text, then check) {other:.2f} s, ratio {mine / other:.2f}"
            figures.append((f"{path.name[:28]} (s)", mine, BOUND_S, detail))
    return 0 if print_figures(figures, width=34) else 1


def _pages(path: Path) -> int:
    try:
        import pypdfium2

        document = pypdfium2.PdfDocument(str(path))
        try:
            return len(document)
        finally:
            document.close()
    except ImportError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
