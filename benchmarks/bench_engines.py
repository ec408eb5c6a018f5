#!/usr/bin/env python3
"""govcodes' engines against their peers, side by side in one run (the engines issue's bounds).

    pip install ".[bench]" && python benchmarks/bench_engines.py [--rows 1000000] [--big-rows 20000000] [--runs 5]

Builds once (kept in benchmarks/_work/) CSV files of line items with real
2026 codes: 功能科目 (a functional 项), 经济科目 (a department economic 款),
金额, 基本支出, 项目支出 (元, two decimals); and, for the restatement, items
coded in the 2019 edition (every 2019 functional 项 and economic 款 that
has a single successor in 2026, and a few that do not).  Each comparison
runs whole commands (interpreter start, imports, reading, writing the
result), alternating run by run, and prints the median wall times, their
ratio and the bound; peak memory is the largest sum of the proportional
set sizes of the command's processes (as benchmarks/bench_rollup.py
measures it).  Every pair's results are compared, to the fen.

1. rollup by function, one measure: ``govcodes rollup FILE --engine duckdb``
   vs a hand-written DuckDB query (DECIMAL sums, prefix rollup to 款/类,
   COPY to CSV) ≤ 1.2; vs pandas (read_csv, groupby, to_csv) ≤ 0.5;
2. the same on ``--big-rows`` rows, the peer also joining govcodes'
   exported codes table for the names ≤ 1.2;
3. crossed function × economic 类 (one measure), and three measures by
   function, vs DuckDB ≤ 1.5 each;
4. restating the items 2019 → 2026: ``govcodes restate --engine duckdb``
   vs a DuckDB join on the exported crosswalk writing the same columns ≤ 2.0;
   memory flat: the peak memory for ten times the items (``--restate-rows``)
   over that for the items grows no more than the peer's own (restate holds
   no items; what grows is DuckDB's buffers, which govcodes caps when it
   writes: ``govcodes.engines.restating.WRITER_MEMORY``);
5. the pure-Python engine (``--engine python``) vs the minimal split-and-add
   loop in Python ≤ 1.2, memory flat (full file / a tenth ≤ 1.10).

Exits 1 when a bound is missed or two results differ.
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
from decimal import Decimal

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "_work")
sys.path.insert(0, HERE)

from bench_rollup import ENV, PANDAS_SCRIPT, run  # noqa: E402 - the same timing and memory sampling

PROLOGUE = "import sys\nimport duckdb\npath, out = sys.argv[1], sys.argv[2]\n"

DUCK_FUNCTION = PROLOGUE + '''duckdb.sql(f"""COPY (
  WITH leaf AS (SELECT 功能科目 AS code, sum(CAST(金额 AS DECIMAL(38, 2))) AS amount
                FROM read_csv('{path}', all_varchar = true) GROUP BY 1)
  SELECT code, amount FROM leaf
  UNION ALL SELECT substr(code, 1, 5), sum(amount) FROM leaf GROUP BY 1
  UNION ALL SELECT substr(code, 1, 3), sum(amount) FROM leaf GROUP BY 1
  ORDER BY 1) TO '{out}' (HEADER, DELIMITER ',')""")
'''

DUCK_FUNCTION_NAMES = PROLOGUE + '''codes = sys.argv[3]
duckdb.sql(f"""COPY (
  WITH leaf AS (SELECT 功能科目 AS code, sum(CAST(金额 AS DECIMAL(38, 2))) AS amount
                FROM read_csv('{path}', all_varchar = true) GROUP BY 1),
  tree AS (SELECT code, amount FROM leaf
           UNION ALL SELECT substr(code, 1, 5), sum(amount) FROM leaf GROUP BY 1
           UNION ALL SELECT substr(code, 1, 3), sum(amount) FROM leaf GROUP BY 1)
  SELECT t.code, k.name, t.amount, k.code IS NULL AS unknown FROM tree t LEFT JOIN '{codes}' k ON k.code = t.code
  ORDER BY 1) TO '{out}' (HEADER, DELIMITER ',')""")
'''

DUCK_CROSSED = PROLOGUE + '''duckdb.sql(f"""COPY (
  WITH leaf AS (SELECT 功能科目 AS code, substr(经济科目, 1, 3) AS econ, sum(CAST(金额 AS DECIMAL(38, 2))) AS amount
                FROM read_csv('{path}', all_varchar = true) GROUP BY 1, 2),
  tree AS (SELECT code, econ, amount FROM leaf
           UNION ALL SELECT substr(code, 1, 5), econ, sum(amount) FROM leaf GROUP BY 1, 2
           UNION ALL SELECT substr(code, 1, 3), econ, sum(amount) FROM leaf GROUP BY 1, 2)
  PIVOT tree ON econ USING sum(amount) GROUP BY code ORDER BY code) TO '{out}' (HEADER, DELIMITER ',')""")
'''

DUCK_MEASURES = PROLOGUE + '''duckdb.sql(f"""COPY (
  WITH leaf AS (SELECT 功能科目 AS code, sum(CAST(金额 AS DECIMAL(38, 2))) AS a,
                       sum(CAST(基本支出 AS DECIMAL(38, 2))) AS b, sum(CAST(项目支出 AS DECIMAL(38, 2))) AS c
                FROM read_csv('{path}', all_varchar = true) GROUP BY 1)
  SELECT code, a, b, c FROM leaf
  UNION ALL SELECT substr(code, 1, 5), sum(a), sum(b), sum(c) FROM leaf GROUP BY 1
  UNION ALL SELECT substr(code, 1, 3), sum(a), sum(b), sum(c) FROM leaf GROUP BY 1
  ORDER BY 1) TO '{out}' (HEADER, DELIMITER ',')""")
'''

# the same job as govcodes restate: every column of the items kept, the new code in place of the old, the old one
# after (restate keeps every column; a peer that dropped some would write less)
DUCK_RESTATE = PROLOGUE + '''walk = sys.argv[3]
duckdb.sql(f"""COPY (
  SELECT coalesce(w.new_code, i.功能科目) AS 功能科目, i.* EXCLUDE (功能科目), i.功能科目 AS 原编码
  FROM read_csv('{path}', all_varchar = true) i LEFT JOIN '{walk}' w ON w.old_code = i.功能科目
  ) TO '{out}' (HEADER, DELIMITER ',')""")
'''

MINIMAL_LOOP = '''import sys

path, out = sys.argv[1], sys.argv[2]
sums = {}
with open(path, "rb") as fh:
    fh.readline()
    for line in fh:
        cells = line.split(b",")
        code = cells[0]
        fen = int(cells[2].replace(b".", b""))
        if code in sums:
            sums[code] += fen
        else:
            sums[code] = fen
totals = {}
for code, fen in sums.items():
    for cut in (3, 5, 7):
        key = code[:cut].decode()
        totals[key] = totals.get(key, 0) + fen
with open(out, "w") as fh:
    fh.write("科目编码,合计\\n")
    for code in sorted(totals):
        fen = totals[code]
        fh.write(f"{code},{fen // 100}.{fen % 100:02d}\\n")
'''


def build(path: str, rows: int, year: int = 2026, seed: int = 2026) -> None:
    """Line items of ``year``'s codes (deterministic): function, economic 款, three amounts."""
    sys.path.insert(0, os.path.dirname(HERE))
    import govcodes

    ed = govcodes.edition(year)
    if year == 2026:
        functional = [c.code for c in ed.codes("functional", "项")]
    else:  # codes of the older edition that go to one code of 2026, and a few that need a decision
        walk = govcodes.crosswalk(year, 2026)
        functional = [c.code for c in ed.codes("functional", "项") if len(walk.get(c.code, [])) == 1]
    economic = [c.code for c in ed.codes("economic-department", "款")]
    rnd = random.Random(seed)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["功能科目", "经济科目", "金额", "基本支出", "项目支出"])
        choice, randrange = rnd.choice, rnd.randrange
        for _ in range(rows):
            a, b = randrange(1, 50_000_000), randrange(1, 50_000_000)
            writer.writerow([choice(functional), choice(economic), f"{(a + b) // 100}.{(a + b) % 100:02d}",
                             f"{a // 100}.{a % 100:02d}", f"{b // 100}.{b % 100:02d}"])
    os.replace(tmp, path)


def script(name: str, text: str) -> str:
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def totals(path: str, code_col: int = 0, amount_col: int | None = None, header: str = "合计") -> dict[str, Decimal]:
    """Code → amount from a result CSV (the 合计 row and blank codes left out)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(header) if amount_col is None else amount_col
    return {r[code_col]: Decimal(r[col]) for r in rows[1:] if r[code_col] and r[col] not in ("", "合计")}


def timed(cmd: list[str]) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one command, not sampled while it runs.

    Sampling /proc/PID/smaps_rollup every few milliseconds (as ``run`` does, to sum the PSS of a
    forked reader and its parent) takes the process's memory-map lock and slows DuckDB's threads,
    which allocate all the time, far more than a Python loop: the SQL engines and their peers are
    timed without it, and their memory is the kernel's peak RSS (one process each).
    """
    import time

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return wall, usage.ru_maxrss


def compare(commands: dict[str, list[str]], runs: int, sampled: bool = False
            ) -> tuple[dict[str, float], dict[str, int]]:
    """Median wall time and peak memory (KiB) of each command, alternating run by run (one warm-up run
    each); ``sampled``: the peak of the summed PSS of the command's processes (a forked reader)."""
    for cmd in commands.values():
        timed(cmd)
    walls: dict[str, list[float]] = {k: [] for k in commands}
    peaks: dict[str, list[int]] = {k: [] for k in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            if sampled:
                wall, _, _, peak = run(cmd)
            else:
                wall, peak = timed(cmd)
            walls[name].append(wall)
            peaks[name].append(peak)
    return {k: statistics.median(v) for k, v in walls.items()}, {k: max(v) for k, v in peaks.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=20_000_000, help="rows of the big file (0: skip it)")
    parser.add_argument("--restate-rows", type=int, default=10_000_000,
                        help="items restated to see whether memory grows (0: skip it)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)
    n, tenth = args.rows, args.rows // 10
    files = {"items": (f"engines_{n}.csv", n, 2026), "tenth": (f"engines_{tenth}.csv", tenth, 2026),
             "old": (f"engines_2019_{n}.csv", n, 2019)}
    if args.restate_rows:
        files["old big"] = (f"engines_2019_{args.restate_rows}.csv", args.restate_rows, 2019)
    if args.big_rows:
        files["big"] = (f"engines_{args.big_rows}.csv", args.big_rows, 2026)
    paths = {}
    for key, (name, rows, year) in files.items():
        paths[key] = os.path.join(WORK, name)
        if not os.path.exists(paths[key]):
            print(f"building {paths[key]} ({rows:,} rows) …", file=sys.stderr)
            build(paths[key], rows, year)
    py = sys.executable
    exe = shutil.which("govcodes", path=os.path.dirname(py))
    gov = [exe] if exe else [py, "-m", "govcodes"]
    out = {k: os.path.join(WORK, f"out_{k}.csv") for k in ("gov", "duck", "pandas", "big_gov", "big_duck", "x_gov",
                                                             "x_duck", "m_gov", "m_duck", "r_gov", "r_duck",
                                                             "r_big", "r_big_duck", "py", "loop", "py_tenth")}
    codes = os.path.join(WORK, "codes_2026.parquet")
    walk = os.path.join(WORK, "crosswalk_2019_2026.parquet")
    run(gov + ["export", "--year", "2026", "--table", "codes", "--format", "parquet", "-o", codes])
    run(gov + ["export", "--year", "2019", "--table", "crosswalk", "--to", "2026", "--format", "parquet", "-o", walk])
    rollup = gov + ["rollup", "--year", "2026", "--format", "csv", "--engine"]
    figures = []
    same = []

    # 1. by function, one measure
    t, m = compare({
        "govcodes": rollup + ["duckdb", paths["items"], "--measure", "金额", "-o", out["gov"]],
        "duckdb": [py, script("duck_function.py", DUCK_FUNCTION), paths["items"], out["duck"]],
        "pandas": [py, script("pandas_rollup.py", PANDAS_SCRIPT.replace('"功能科目", "金额"', '"功能科目", "金额"')),
                   paths["items"], out["pandas"]],
    }, args.runs)
    figures.append((f"rollup by function, {n:,} rows, CLI --engine duckdb / DuckDB query", t["govcodes"] / t["duckdb"],
                    1.2, f"{t['govcodes']:.2f} s vs {t['duckdb']:.2f} s"))
    figures.append(("the same / pandas", t["govcodes"] / t["pandas"], 0.5, f"{t['govcodes']:.2f} s vs {t['pandas']:.2f} s;"
                    f" memory {m['govcodes'] / 1024:.0f} MiB, DuckDB {m['duckdb'] / 1024:.0f} MiB, pandas "
                    f"{m['pandas'] / 1024:.0f} MiB"))
    ours = totals(out["gov"])
    same.append(("function", ours == totals(out["duck"], 0, 1)))

    # 2. the big file
    if args.big_rows:
        t, m = compare({
            "govcodes": rollup + ["duckdb", paths["big"], "--measure", "金额", "-o", out["big_gov"]],
            "duckdb": [py, script("duck_names.py", DUCK_FUNCTION_NAMES), paths["big"], out["big_duck"], codes],
        }, max(3, args.runs // 2 + 1) if args.big_rows > 5 * n else args.runs)
        figures.append((f"the same, {args.big_rows:,} rows / DuckDB (+ names)", t["govcodes"] / t["duckdb"], 1.2,
                        f"{t['govcodes']:.2f} s vs {t['duckdb']:.2f} s; memory {m['govcodes'] / 1024:.0f} MiB vs "
                        f"{m['duckdb'] / 1024:.0f} MiB"))
        same.append((f"function, {args.big_rows:,} rows", totals(out["big_gov"]) == totals(out["big_duck"], 0, 2)))

    # 3. crossed, and three measures
    t, _ = compare({
        "govcodes": rollup + ["duckdb", paths["items"], "--by", "functional,economic", "--measure", "金额",
                              "-o", out["x_gov"]],
        "duckdb": [py, script("duck_crossed.py", DUCK_CROSSED), paths["items"], out["x_duck"]],
    }, args.runs)
    figures.append(("crossed function × economic 类 / DuckDB", t["govcodes"] / t["duckdb"], 1.5,
                    f"{t['govcodes']:.2f} s vs {t['duckdb']:.2f} s"))
    t, _ = compare({
        "govcodes": rollup + ["duckdb", paths["items"], "--measure", "金额", "--measure", "基本支出",
                              "--measure", "项目支出", "-o", out["m_gov"]],
        "duckdb": [py, script("duck_measures.py", DUCK_MEASURES), paths["items"], out["m_duck"]],
    }, args.runs)
    figures.append(("three measures by function / DuckDB", t["govcodes"] / t["duckdb"], 1.5,
                    f"{t['govcodes']:.2f} s vs {t['duckdb']:.2f} s"))
    same.append(("three measures", totals(out["m_gov"], 0, None, "基本支出") == totals(out["m_duck"], 0, 2)))

    # 4. restating 2019 → 2026, and memory with ten times the items
    restate = gov + ["restate", "--from", "2019", "--to", "2026", "--code-column", "功能科目", "--measure", "金额",
                     "--format", "csv", "--engine", "duckdb"]
    duck_restate = script("duck_restate.py", DUCK_RESTATE)
    t, m = compare({
        "govcodes": restate + [paths["old"], "-o", out["r_gov"]],
        "duckdb": [py, duck_restate, paths["old"], out["r_duck"], walk],
    }, args.runs)
    figures.append((f"restate {n:,} items 2019 → 2026 / DuckDB join", t["govcodes"] / t["duckdb"], 2.0,
                    f"{t['govcodes']:.2f} s vs {t['duckdb']:.2f} s; memory {m['govcodes'] / 1024:.0f} MiB vs "
                    f"{m['duckdb'] / 1024:.0f} MiB"))
    same.append(("restated items", _lines(out["r_gov"]) == _lines(out["r_duck"])))
    if args.restate_rows:
        tb, mb = compare({
            "govcodes": restate + [paths["old big"], "-o", out["r_big"]],
            "duckdb": [py, duck_restate, paths["old big"], out["r_big_duck"], walk],
        }, 1)
        grows, peer_grows = mb["govcodes"] / m["govcodes"], mb["duckdb"] / m["duckdb"]
        figures.append((f"  its memory, {args.restate_rows:,} items / {n:,}, over the peer's", grows / peer_grows,
                        1.0, f"{mb['govcodes'] / 1024:.0f} MiB vs {m['govcodes'] / 1024:.0f} MiB ({grows:.2f}×); "
                        f"DuckDB {mb['duckdb'] / 1024:.0f} MiB vs {m['duckdb'] / 1024:.0f} MiB ({peer_grows:.2f}×); "
                        f"{tb['govcodes']:.2f} s vs {tb['duckdb']:.2f} s"))

    # 5. the pure-Python engine
    t, m = compare({
        "govcodes": rollup + ["python", paths["items"], "--measure", "金额", "-o", out["py"]],
        "loop": [py, script("minimal_loop.py", MINIMAL_LOOP), paths["items"], out["loop"]],
        "govcodes, a tenth": rollup + ["python", paths["tenth"], "--measure", "金额", "-o", out["py_tenth"]],
    }, args.runs, sampled=True)
    figures.append(("pure-Python engine / minimal split-and-add loop", t["govcodes"] / t["loop"], 1.2,
                    f"{t['govcodes']:.2f} s vs {t['loop']:.2f} s"))
    figures.append(("  its memory, all the rows / a tenth", m["govcodes"] / m["govcodes, a tenth"], 1.10,
                    f"{m['govcodes'] / 1024:.0f} MiB vs {m['govcodes, a tenth'] / 1024:.0f} MiB (loop "
                    f"{m['loop'] / 1024:.0f} MiB)"))
    same.append(("python engine", totals(out["py"]) == totals(out["loop"]) == ours))

    from _figures import print_figures

    print(f"{n:,} line items ({os.path.getsize(paths['items']) / 1e6:.0f} MB); medians of {args.runs} alternated "
          f"runs; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    ok = print_figures(figures, width=62)
    for label, equal in same:
        print(f"same results ({label}): {'equal to the fen' if equal else 'DIFFERENT'}")
        ok &= equal
    return 0 if ok else 1


def _lines(path: str) -> list[str]:
    """The restated items of a CSV, sorted (a join writes them in its own order)."""
    with open(path, encoding="utf-8-sig") as fh:
        next(fh)
        return sorted(fh)


if __name__ == "__main__":
    raise SystemExit(main())
