#!/usr/bin/env python3
"""The spark engine in local mode: time per core count, and the same rollup as the other engines.

    pip install ".[bench,spark]" && python benchmarks/bench_spark.py [--rows 1000000] [--runs 3]

Writes (once, in benchmarks/_work/) the line items of bench_engines.py as a
Parquet file, then for each number of cores (``local[1]``, ``local[2]`` … up
to the machine's) starts a Spark session and times
``govcodes.rollup(spark.read.parquet(FILE), year=2026, measures="金额",
engine="spark")`` (median of ``--runs`` runs after one warm-up; the
session's start is not counted), and prints the rows per second and the
speed-up over one core.  The result must equal the duckdb and python
engines' on the same file, to the fen.  There is no bound to meet: the
figures go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, "_work")
sys.path.insert(0, HERE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    import duckdb

    import govcodes
    from bench_engines import build

    os.makedirs(WORK, exist_ok=True)
    csv_path = os.path.join(WORK, f"engines_{args.rows}.csv")
    if not os.path.exists(csv_path):
        build(csv_path, args.rows)
    path = os.path.join(WORK, f"engines_{args.rows}.parquet")
    if not os.path.exists(path):
        duckdb.sql(f"COPY (SELECT * FROM read_csv('{csv_path}', all_varchar = true)) TO '{path}' (FORMAT parquet)")
    reference = govcodes.rollup(govcodes.read_items(path), year=2026, measures="金额", engine="duckdb")
    from pyspark.sql import SparkSession

    cores = os.cpu_count() or 1
    seconds = {}
    for n in range(1, cores + 1):
        spark = (SparkSession.builder.master(f"local[{n}]").appName(f"govcodes-bench-{n}")
                 .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", str(2 * n))
                 .config("spark.sql.files.maxPartitionBytes", str(8 << 20)).getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        frame = spark.read.parquet(path)
        times = []
        for k in range(args.runs + 1):
            start = time.perf_counter()
            result = govcodes.rollup(frame, year=2026, measures="金额", engine="spark")
            if k:
                times.append(time.perf_counter() - start)
            assert result == reference, "the spark engine's rollup differs from the duckdb engine's"
        seconds[n] = statistics.median(times)
        spark.stop()
    print(f"{args.rows:,} line items (Parquet, {os.path.getsize(path) / 1e6:.0f} MB); medians of {args.runs} runs; "
          f"Spark local mode; {cores} CPUs")
    for n, s in seconds.items():
        print(f"local[{n}]: {s:.2f} s, {args.rows / s / 1e6:.2f} M rows/s, speed-up over one core "
              f"{seconds[1] / s:.2f}")
    print("same rollup as the duckdb engine: equal to the fen")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
