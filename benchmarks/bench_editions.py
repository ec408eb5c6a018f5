#!/usr/bin/env python3
"""Loading every edition and diffing across all of them, each against its bound.

    python benchmarks/bench_editions.py [--runs 7]

1. loading all ten editions (2017-2026) in a fresh process: <= 300 ms
2. ``govcodes.diff(2017, 2026)``, the first call (records read and composed,
   editions already loaded): <= 200 ms; the fully cold figure (editions
   loaded by the call) is printed beside it.

Each figure is the median of fresh processes; exit status 1 when a bound is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

PROBE = r"""
import json, time
t0 = time.perf_counter()
import govcodes
years = govcodes.editions()
for y in years:
    govcodes.edition(y)
t1 = time.perf_counter()
d = govcodes.diff(years[0], years[-1])
t2 = time.perf_counter()
print(json.dumps({"load": t1 - t0, "diff": t2 - t1, "changes": len(d), "years": len(years)}))
"""

COLD_DIFF = r"""
import json, time
t0 = time.perf_counter()
import govcodes
d = govcodes.diff(2017, 2026)
print(json.dumps({"cold": time.perf_counter() - t0}))
"""


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    samples = [run(PROBE) for _ in range(args.runs)]
    cold = statistics.median(run(COLD_DIFF)["cold"] for _ in range(args.runs))
    load = statistics.median(s["load"] for s in samples) * 1000
    diff = statistics.median(s["diff"] for s in samples) * 1000
    ok = load <= 300 and diff <= 200
    print(f"{samples[0]['years']} editions, diff {samples[0]['changes']} changes; medians of {args.runs} fresh processes")
    print(f"load all editions        {load:6.1f} ms  (bound 300 ms: {'ok' if load <= 300 else 'MISSED'})")
    print(f"diff(2017, 2026)         {diff:6.1f} ms  (bound 200 ms: {'ok' if diff <= 200 else 'MISSED'})"
          f"  fully cold, loading included: {cold * 1000:.1f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
