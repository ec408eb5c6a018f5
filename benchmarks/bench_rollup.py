#!/usr/bin/env python3
"""Rollup performance of govcodes against pandas, side by side in one run.

    pip install ".[bench]" && python benchmarks/bench_rollup.py [--rows 1000000] [--runs 7]

Builds (once, kept in benchmarks/_work/) a synthetic CSV of line items with
real 2026 codes: 功能科目 (a functional 项 of the 2026 edition), 经济科目 (a
department economic 款), 金额 (元, two decimals, exact text).  Then times,
alternating run by run so that a noisy machine slows both sides alike:

1. ``govcodes rollup FILE --engine python --year 2026 --measure 金额 --format csv -o OUT``
   (the pure-Python engine; ``auto`` would take DuckDB for a file this big, see bench_engines.py):
   类/款/项 totals by function, one measure, exact (Decimal / integer fen);
2. the same result with pandas: ``read_csv`` (only the two columns used,
   codes as text), ``groupby`` on the 项 code, prefix rollup to 款 and 类,
   ``to_csv`` (pandas sums floats, as a pandas user would).

Both are whole commands: interpreter start, imports, reading, output.  Peak
memory is the largest sum, over the command's processes, of their
proportional set size (PSS), sampled while it runs (govcodes reads a big
file in two processes that share their pages; the summed RSS, which counts
shared pages twice, is printed beside it).  govcodes is
also run on a file a tenth the size: its peak memory must not grow with the
number of rows.  The two results are compared code by code, to the fen.

Prints each figure with its bound (from the rollup issue) and exits 1 when
one is missed:

- time, govcodes / pandas (medians): <= 1.0
- peak memory, govcodes / pandas: <= 0.33
- peak memory of govcodes, full file / a tenth of it: <= 1.10
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "_work")

PANDAS_SCRIPT = '''\
import sys

import pandas as pd

path, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(path, usecols=["功能科目", "金额"], dtype={"功能科目": str})
xiang = df.groupby("功能科目")["金额"].sum()
kuan = xiang.groupby(xiang.index.str[:5]).sum()
lei = xiang.groupby(xiang.index.str[:3]).sum()
totals = pd.concat([lei, kuan, xiang]).sort_index().round(2)
totals.to_csv(out, header=["合计"], index_label="科目编码")
'''


def build(path: str, rows: int, seed: int = 2026) -> None:
    """A CSV of ``rows`` line items with real 2026 codes (deterministic)."""
    sys.path.insert(0, os.path.dirname(HERE))
    import govcodes

    ed = govcodes.edition(2026)
    functional = [c.code for c in ed.codes("functional", "项")]
    economic = [c.code for c in ed.codes("economic-department", "款")]
    rnd = random.Random(seed)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["功能科目", "经济科目", "金额"])
        choice, randrange = rnd.choice, rnd.randrange
        for _ in range(rows):
            fen = randrange(1, 100_000_000)
            writer.writerow([choice(functional), choice(economic), f"{fen // 100}.{fen % 100:02d}"])
    os.replace(tmp, path)


#: Both sides run from compiled bytecode, as after ``pip install`` (pandas is installed so;
#: a source checkout with PYTHONDONTWRITEBYTECODE set would recompile govcodes every run).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            pass
    return out


def _memory(pids: list[int]) -> tuple[int, int]:
    """Summed resident and proportional set sizes (KiB) of these processes."""
    rss = pss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def run(cmd: list[str]) -> tuple[float, float, int, int]:
    """Wall time (s), CPU time (s), and the peaks (KiB) of the summed RSS and PSS of the process tree.

    govcodes may read a big file in two processes (a forked reader); their
    memory is summed while they run, sampled every few milliseconds.  RSS
    counts the pages the two processes share twice, PSS shares them out:
    the PSS sum is the memory the command really holds, the RSS sum an upper
    bound; both are printed, the bound applies to PSS.
    """
    import threading

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=ENV)
    peaks = [0, 0]
    finished = threading.Event()

    def sample() -> None:
        while not finished.is_set():
            rss, pss = _memory(_tree(proc.pid))
            peaks[0], peaks[1] = max(peaks[0], rss), max(peaks[1], pss)
            finished.wait(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    finished.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    # the main process's own RSS peak can fall between two samples: the kernel keeps it (RSS figure only)
    return wall, usage.ru_utime + usage.ru_stime, max(peaks[0], usage.ru_maxrss), peaks[1]


def read_totals(path: str) -> dict[str, Decimal]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return {row["科目编码"]: Decimal(row["合计"]) for row in reader if row["科目编码"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    big = os.path.join(WORK, f"items_{args.rows}.csv")
    small = os.path.join(WORK, f"items_{args.rows // 10}.csv")
    for path, n in ((big, args.rows), (small, args.rows // 10)):
        if not os.path.exists(path):
            print(f"building {path} ({n:,} rows) …", file=sys.stderr)
            build(path, n)
    script = os.path.join(WORK, "pandas_rollup.py")
    with open(script, "w", encoding="utf-8") as fh:
        fh.write(PANDAS_SCRIPT)
    py = sys.executable
    exe = shutil.which("govcodes", path=os.path.dirname(py))
    gov = [exe] if exe else [py, "-m", "govcodes"]
    out_gov, out_pd, out_small = (os.path.join(WORK, n) for n in ("govcodes.csv", "pandas.csv", "small.csv"))
    commands = {
        "govcodes": gov + ["rollup", big, "--engine", "python", "--year", "2026", "--measure", "金额", "--format", "csv",
                           "-o", out_gov],
        "pandas": [py, script, big, out_pd],
        "govcodes, a tenth": gov + ["rollup", small, "--engine", "python", "--year", "2026", "--measure", "金额", "--format", "csv",
                                    "-o", out_small],
    }
    for cmd in commands.values():  # warm the file cache
        run(cmd)
    walls: dict[str, list[float]] = {k: [] for k in commands}
    cpus: dict[str, list[float]] = {k: [] for k in commands}
    peaks: dict[str, list[int]] = {k: [] for k in commands}
    rss_peaks: dict[str, list[int]] = {k: [] for k in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            wall, cpu, rss, pss = run(cmd)
            walls[name].append(wall)
            cpus[name].append(cpu)
            peaks[name].append(pss)
            rss_peaks[name].append(rss)
    t = {k: statistics.median(v) for k, v in walls.items()}
    c = {k: statistics.median(v) for k, v in cpus.items()}
    m = {k: max(v) for k, v in peaks.items()}
    r = {k: max(v) for k, v in rss_peaks.items()}

    ours, theirs = read_totals(out_gov), read_totals(out_pd)
    differ = sorted(c for c in set(ours) | set(theirs) if ours.get(c) != theirs.get(c))

    figures = [
        ("time, govcodes / pandas", t["govcodes"] / t["pandas"], 1.0,
         f"{t['govcodes']:.2f} s vs {t['pandas']:.2f} s (medians of {args.runs})"),
        ("peak memory (PSS), govcodes / pandas", m["govcodes"] / m["pandas"], 0.33,
         f"{m['govcodes'] / 1024:.1f} MiB vs {m['pandas'] / 1024:.1f} MiB"),
        (f"peak memory of govcodes, {args.rows:,} rows / {args.rows // 10:,}", m["govcodes"] / m["govcodes, a tenth"],
         1.10, f"{m['govcodes'] / 1024:.1f} MiB vs {m['govcodes, a tenth'] / 1024:.1f} MiB"),
    ]
    from _figures import print_figures

    print(f"{args.rows:,} line items, {os.path.getsize(big) / 1e6:.1f} MB; Python {sys.version.split()[0]}")
    ok = print_figures(figures, width=55)
    print(f"(for reference, RSS summed over the processes, which counts shared pages twice: "
          f"govcodes {r['govcodes'] / 1024:.1f} MiB, pandas {r['pandas'] / 1024:.1f} MiB, "
          f"ratio {r['govcodes'] / r['pandas']:.2f}{' (over the bound)' if r['govcodes'] / r['pandas'] > 0.33 else ''}; "
          f"a tenth of the rows: {r['govcodes, a tenth'] / 1024:.1f} MiB)")
    print(f"(for reference: CPU time, govcodes / pandas {c['govcodes'] / c['pandas']:.2f}: "
          f"{c['govcodes']:.2f} s vs {c['pandas']:.2f} s; fastest runs {min(walls['govcodes']):.2f} s vs "
          f"{min(walls['pandas']):.2f} s)")
    print(f"same totals: {len(ours)} codes, "
          + ("all equal to the fen" if not differ else f"{len(differ)} differ, e.g. {differ[:5]}"))
    ok &= not differ
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
