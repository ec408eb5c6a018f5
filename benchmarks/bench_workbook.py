#!/usr/bin/env python3
"""Rolling up a 300,000-row XLSX, beside python-calamine reading it alone (and openpyxl, on request).

    pip install ".[xlsx]" && python benchmarks/bench_workbook.py [--rows 300000] [--runs 5] [--openpyxl]

The workbook issue (12) measured a 300,000-row XLSX: 24 s to read with
openpyxl in read-only mode, 1.25 s with python-calamine.  This builds such a
workbook once (benchmarks/_work/, written by openpyxl: 功能科目, 经济科目, 单位,
金额 as numbers) and times, alternating run by run so that a noisy machine
slows all sides alike, whole commands (interpreter start included):

1. ``govcodes rollup FILE --year 2026 --format csv -o OUT``: read, place, sum
   exactly, write;
2. python-calamine alone: the sheet read into Python rows, nothing else (the
   peer the issue names; govcodes reads through it);
3. with ``--openpyxl``: openpyxl read-only, every row's values (slow).

It prints the medians and govcodes' time as a multiple of the bare read.
There is no bound to meet: the figures are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "_work")


def build(rows: int) -> str:
    path = os.path.join(WORK, f"items-{rows}.xlsx")
    if os.path.exists(path):
        return path
    import openpyxl

    import govcodes

    ed = govcodes.edition(2026)
    xiang = [c.code for c in ed if c.classification == "functional" and c.level == "项"]
    econ = [c.code for c in ed if c.classification == "economic-department" and c.level == "款"]
    rng = random.Random(12)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("明细")
    sheet.append(["功能科目", "经济科目", "单位", "金额"])
    for _ in range(rows):
        sheet.append([rng.choice(xiang), rng.choice(econ), "某单位", rng.randint(1, 10 ** 8) / 100])
    os.makedirs(WORK, exist_ok=True)
    book.save(path + ".part")
    os.replace(path + ".part", path)
    return path


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl read-only (slow)")
    args = parser.parse_args(argv)
    path = build(args.rows)
    out = os.path.join(WORK, "rollup.csv")
    commands = {
        "govcodes rollup": [sys.executable, "-m", "govcodes", "rollup", path, "--year", "2026", "--format", "csv",
                            "-o", out],
        "python-calamine read": [sys.executable, "-c", "import sys, python_calamine as c; "
                                 "c.CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()", path],
    }
    if args.openpyxl:
        commands["openpyxl read-only"] = [sys.executable, "-c", "import sys, openpyxl; "
                                          "[r for r in openpyxl.load_workbook(sys.argv[1], read_only=True)"
                                          ".worksheets[0].iter_rows(values_only=True)]", path]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            times[name].append(wall(cmd))
    medians = {name: statistics.median(t) for name, t in times.items()}
    print(f"python {sys.version.split()[0]}, {args.rows:,} rows ({os.path.getsize(path) / 1e6:.1f} MB), "
          f"{args.runs} runs each, medians")
    for name, value in medians.items():
        print(f"{name:<24} {value:7.2f} s")
    base = medians["python-calamine read"]
    print(f"{'govcodes / calamine read':<24} {medians['govcodes rollup'] / base:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
