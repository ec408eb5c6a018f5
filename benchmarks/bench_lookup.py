#!/usr/bin/env python3
"""Lookup performance of govcodes against pycountry, side by side in one run.

    pip install ".[bench]" && python benchmarks/bench_lookup.py [--runs 21]

Prints four figures with their bounds (from the foundation issue):

1. cold lookup  ``import govcodes; govcodes.edition(2026)['2080101']`` against
   ``import pycountry; pycountry.countries.get(alpha_2='CN')``: ratio <= 1.0
2. ``import govcodes`` against a bare interpreter start: ratio <= 1.5
3. a repeated ``edition.get(code)``: <= 1 µs (pycountry's ``get`` shown for reference)
4. ``govcodes show 2080101`` end to end against pycountry's cold lookup: ratio <= 2.0

Process timings alternate the commands run by run and take the median, so a
noisy machine slows both sides alike.  Exit status 1 when a bound is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
import timeit


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def medians(commands: dict[str, list[str]], runs: int) -> dict[str, float]:
    for cmd in commands.values():  # warm the file cache once
        wall(cmd)
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            samples[name].append(wall(cmd))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    py = sys.executable
    script = shutil.which("govcodes", path=os.path.dirname(sys.executable))
    show = [script, "show", "2080101"] if script else [py, "-m", "govcodes", "show", "2080101"]
    commands = {
        "bare": [py, "-c", "pass"],
        "import govcodes": [py, "-c", "import govcodes"],
        "govcodes cold lookup": [py, "-c", "import govcodes; govcodes.edition(2026)['2080101']"],
        "pycountry cold lookup": [py, "-c", "import pycountry; pycountry.countries.get(alpha_2='CN')"],
        "govcodes show": show,
    }
    t = medians(commands, args.runs)

    import govcodes
    import pycountry

    ed = govcodes.edition(2026)
    n = 1_000_000
    get_us = min(timeit.repeat(lambda: ed.get("2080101"), number=n, repeat=5)) / n * 1e6
    pycountry.countries.get(alpha_2="CN")
    pc_us = min(timeit.repeat(lambda: pycountry.countries.get(alpha_2="CN"), number=n // 10, repeat=5)) / (n // 10) * 1e6

    figures = [
        ("cold lookup / pycountry cold lookup", t["govcodes cold lookup"] / t["pycountry cold lookup"], 1.0,
         f"{t['govcodes cold lookup'] * 1000:.0f} ms vs {t['pycountry cold lookup'] * 1000:.0f} ms"),
        ("import govcodes / bare interpreter", t["import govcodes"] / t["bare"], 1.5,
         f"{t['import govcodes'] * 1000:.0f} ms vs {t['bare'] * 1000:.0f} ms"),
        ("repeated edition.get (µs)", get_us, 1.0, f"pycountry get: {pc_us:.2f} µs"),
        ("govcodes show / pycountry cold lookup", t["govcodes show"] / t["pycountry cold lookup"], 2.0,
         f"{t['govcodes show'] * 1000:.0f} ms vs {t['pycountry cold lookup'] * 1000:.0f} ms"),
    ]
    from _figures import print_figures

    print(f"python {sys.version.split()[0]}, {args.runs} runs each, medians")
    return 0 if print_figures(figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
