#!/usr/bin/env python3
"""Write docs/data-review/assumed.md: what the existence of each code in each year rests on.

    python tools/report_assumed.py          # rewrite docs/data-review/assumed.md
    python tools/report_assumed.py --check  # exit 1 when the page is stale

The earlier editions are derived from the newest one by undoing change records, so a code
that no record touches is taken to exist, unchanged, back to 2017. This page shows where
that assumption is all there is:

- the **evidence years** of a code are the years in which documents print it (attestations,
  seeds), a notice states it (an amendment of that year, data/evidence/official.tsv), or a
  change record or amendment places it (the old side of a record of Y→Y+1 places it in Y,
  the new side in Y+1), and the newest edition's year (maintained from evidence);
- a code **rests on the assumption** in a year in which the edition has it, earlier than the
  first of its evidence years: nothing but "it existed unchanged back to 2017" puts it there.

It also lists, for every change record, the window of years the documents allow (from the
last year they print the old side to the first year they print the new side), beside the
year the record is placed in, so that a reviewer sees which placements are choices inside a
window. A test fails when the page is stale.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import govcodes  # noqa: E402
from govcodes import evidence  # noqa: E402
from govcodes.changes import edition_records  # noqa: E402
from govcodes.codes import CLASSIFICATION_NAMES, lineage_of  # noqa: E402

PAGE = os.path.join(ROOT, "docs", "data-review", "assumed.md")


def printed_years() -> dict[str, set[int]]:
    """code -> the years whose documents print it (any name)."""
    out: dict[str, set[int]] = defaultdict(set)
    for year in govcodes.editions():
        for cls in evidence.STEMS:
            for table in (evidence.attestations(cls, year), evidence.seed_attestations(cls, year)):
                for code in table:
                    out[code].add(year)
    return out


def evidence_years() -> dict[str, dict[int, set[str]]]:
    """code -> year -> the kinds of evidence placing the code in that year (documents, notice, record, edition)."""
    years = govcodes.editions()
    out: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for code, ys in printed_years().items():
        for y in ys:
            out[code][y].add("documents")
    for year in years:
        ed = govcodes.edition(year)
        for a in ed.amendments:
            for code in {a.old_code, a.new_code} - {None}:
                out[code][year].add("notice" if a.source == "official" else "amendment")
        for code in evidence.official(year):
            out[code][year].add("notice")
    for a, b in zip(years, years[1:]):
        for r in edition_records(a, b):
            if r.old_code:
                out[r.old_code][a].add("record")
            if r.new_code:
                out[r.new_code][b].add("record")
    for code in govcodes.edition(years[-1])._by_code:
        out[code][years[-1]].add("edition")
    return out


def assumed() -> dict[str, tuple[int, ...]]:
    """code -> the years of the shipped editions in which its existence rests only on the assumption."""
    ev = evidence_years()
    out: dict[str, tuple[int, ...]] = {}
    for year in govcodes.editions():
        for code in govcodes.edition(year)._by_code:
            first = min(ev[code]) if code in ev and ev[code] else None
            if first is None or year < first:
                out[code] = out.get(code, ()) + (year,)
    return out


def _span(years: tuple[int, ...]) -> str:
    runs: list[list[int]] = []
    for y in years:
        if runs and runs[-1][-1] == y - 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def windows() -> list[tuple[str, str, str, str, str]]:
    """For each change record: (step, record, placed, documents' window, stated window?)."""
    printed = printed_years()
    names: dict[tuple[str, int], str] = {}
    for year in govcodes.editions():
        for cls in evidence.STEMS:
            for table in (evidence.attestations(cls, year), evidence.seed_attestations(cls, year)):
                for code, a in table.items():
                    names[(code, year)] = a.consensus_name
    years = govcodes.editions()
    out = []
    for a, b in zip(years, years[1:]):
        for r in edition_records(a, b):
            old_years = sorted(y for y in printed.get(r.old_code or "", ())
                               if names.get((r.old_code or "", y)) == r.old_name)
            new_years = sorted(y for y in printed.get(r.new_code or "", ())
                               if names.get((r.new_code or "", y)) == r.new_name)
            if r.kind == "added":  # the new code printed at all says it exists
                new_years = sorted(printed.get(r.new_code or "", ()))
            if r.kind == "removed":
                old_years = sorted(printed.get(r.old_code or "", ()))
            if r.old_code == r.new_code and r.old_name == r.new_name:
                old_years = new_years = []  # the same name on both sides: the documents bound nothing
            low = max(old_years) + 1 if old_years else years[0] + 1
            high = min(new_years) if new_years else years[-1]
            window = f"{low if old_years else '…'}–{high if new_years else '…'}"
            if not old_years and not new_years:
                window = "—"
            elif not low <= b <= high:
                window += " OUTSIDE"
            stated = "window" in r.evidence or "placed" in r.evidence
            old = f"{r.old_code} {r.old_name}" if r.old_code else ""
            new = f"{r.new_code} {r.new_name}" if r.new_code else ""
            what = f"{r.kind} {old}{' → ' if old and new else ''}{new}"
            out.append((f"{a}→{b}", what, str(b), window, "yes" if stated else ""))
    return out


def render() -> str:
    years = govcodes.editions()
    found = assumed()
    ev = evidence_years()
    lines = [
        "# Existence resting only on the assumption",
        "",
        "Generated by `tools/report_assumed.py` from the shipped data; a test fails when it is stale.",
        "",
        "The editions before the newest are derived by undoing change records, so a code no record",
        "touches is taken to exist, unchanged, back to 2017. A code **rests on the assumption** in a",
        "year when the edition has it there and nothing places it in that year or before: no document",
        "of the year or earlier prints it, no notice states it, no change record or amendment places",
        "it (its evidence years are listed below). These are the places to look first for a missing",
        "`added` record.",
        "",
        "## How many, per year and part",
        "",
        "| edition | part | entries | resting on the assumption |",
        "|---|---|---:|---:|",
    ]
    for year in years:
        ed = govcodes.edition(year)
        for cls in ed.classifications:
            codes = [c.code for c in ed.codes(cls)]
            n = sum(1 for c in codes if year in found.get(c, ()))
            lines.append(f"| {year} | {cls} ({CLASSIFICATION_NAMES[cls]}) | {len(codes)} | {n} |")
    lines += ["", "## Change records and the window the documents allow", "",
              "`placed` is the first edition with the change; the documents' window runs from the year",
              "after the last that prints the old side to the first that prints the new side (by name;",
              "`…` where no document bounds that end, `—` where none bounds either; OUTSIDE would mark a",
              "placement the documents contradict, and a test keeps there being none). `stated` says",
              "whether the record's evidence itself speaks of a window or a placement.", "",
              "| step | record | placed | documents' window | stated |", "|---|---|---:|---|---|"]
    for row in windows():
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |")
    lines += ["", "## The codes, by 类", "",
              "Each code with the years it rests on the assumption, and its first evidence year.", ""]
    by_root: dict[str, list[str]] = defaultdict(list)
    for code in sorted(found):
        by_root[code[:3]].append(code)
    for root in sorted(by_root):
        name = next((govcodes.edition(y)[root].name for y in reversed(years) if root in govcodes.edition(y)), "")
        lines += [f"### {root} {name}", ""]
        for code in by_root[root]:
            entry = govcodes.edition(found[code][0])[code]  # its name in the first year it rests on the assumption
            first = min(ev[code]) if code in ev and ev[code] else None
            kinds = ", ".join(sorted(ev[code][first])) if first is not None else "none"
            lines.append(f"- {code} {entry.name} ({lineage_of(code)}): {_span(found[code])}; "
                         f"first evidence {first} ({kinds})")
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    from _pages import write_or_check

    return write_or_check(PAGE, render())


if __name__ == "__main__":
    raise SystemExit(main())
