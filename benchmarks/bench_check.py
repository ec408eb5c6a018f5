#!/usr/bin/env python3
"""Checking speed: ``govcodes.check`` on a 1,000-row table, after the edition is loaded.

    python benchmarks/bench_check.py [--rows 1000] [--runs 21]

Builds a functional table of the 2024 edition (类, 款 and 项 rows with three
amount columns that add up, a 合计 row, names as the edition prints them,
every tenth one wrapped by a PDF line break), reads it with
``govcodes.read_table`` and times ``govcodes.check`` on the table read, the
edition already loaded.  Prints the median and the best run; the bound (from
the issue) is 100 ms for 1,000 rows.  A second figure times the same table
with a wrong name and a wrong subtotal every hundred rows (the cross-edition
name history is loaded once before timing).  Exit status 1 when the bound is
missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal

import govcodes

BOUND_MS = 100.0


def table_text(rows: int, year: int = 2024, *, faults: int = 0) -> str:
    """A functional table of ``rows`` code rows that adds up; ``faults``: a wrong name and subtotal every N rows."""
    ed = govcodes.edition(year)
    picked: list[govcodes.Code] = []
    for lei in ed.roots("functional"):
        picked.extend([lei, *lei.descendants()])
        if len(picked) >= rows:
            break
    picked = picked[:rows]
    chosen = {c.code for c in picked}
    amounts: dict[str, tuple[Decimal, Decimal]] = {}
    for n, code in enumerate(reversed(picked)):  # leaves first, parents as the sum of their printed children
        kids = [k for k in code.children if k.code in chosen]
        if kids:
            basic = sum((amounts[k.code][0] for k in kids), Decimal(0))
            project = sum((amounts[k.code][1] for k in kids), Decimal(0))
        else:
            basic, project = Decimal(n % 97) + Decimal("0.37"), Decimal(n % 13) * 10 + Decimal("0.05")
        amounts[code.code] = (basic, project)
    total_basic = sum((amounts[c.code][0] for c in picked if c.level == "类"), Decimal(0))
    total_project = sum((amounts[c.code][1] for c in picked if c.level == "类"), Decimal(0))
    lines = [f"{year}年一般公共预算支出表", "单位：万元", "科目编码\t科目名称\t合计\t基本支出\t项目支出",
             f"\t合计\t{total_basic + total_project:,}\t{total_basic:,}\t{total_project:,}"]
    for n, code in enumerate(picked):
        basic, project = amounts[code.code]
        name = code.name
        if n % 10 == 5 and len(name) > 4:
            name = name[:3] + " " + name[3:]  # a PDF line-wrap space: formatting only
        total = basic + project
        if faults and n % faults == faults - 1:
            name += "费"
            total += 1
        lines.append(f"{code.code}\t{name}\t{total:,}\t{basic:,}\t{project:,}")
    return "\n".join(lines) + "\n"


def timings(table: govcodes.Table, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        govcodes.check(table, year=2024)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()

    clean = govcodes.read_table(table_text(args.rows))
    faulty = govcodes.read_table(table_text(args.rows, faults=100))
    clean_report = govcodes.check(clean, year=2024)  # loads the edition
    assert not clean_report.findings, [str(f) for f in clean_report.findings[:5]]
    faulty_report = govcodes.check(faulty, year=2024)  # loads the name histories of the other editions
    assert faulty_report.errors, "the faulty table must have errors"

    ok = True
    print(f"python {sys.version.split()[0]}, {len(clean.rows)} rows, {args.runs} runs each")
    for label, table, report in (("clean table", clean, clean_report),
                                 ("1 fault in 100 rows", faulty, faulty_report)):
        samples = timings(table, args.runs)
        median = statistics.median(samples)
        passed = median <= BOUND_MS
        ok &= passed
        print(f"check, {label:<20} median {median:6.1f} ms, best {min(samples):6.1f} ms  "
              f"(bound {BOUND_MS:.0f} ms: {'ok' if passed else 'MISSED'})  {report.summary()}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
