#!/usr/bin/env python3
"""Derive the editions before the newest from it, the change records and the amendments.

    python tools/derive_editions.py            # rewrite data/editions/<year>/ for every earlier year
    python tools/derive_editions.py --check    # exit 1 when a shipped edition differs from its derivation

The newest edition (data/editions/<latest>/) is maintained directly. Every shipped
edition holds the edition AS AMENDED to date. Going back one year:

1. the amendments of the later edition (``data/editions/<Y+1>/amendments.tsv``) are
   undone, which gives the later edition as first published;
2. the records of ``data/changes/Y-(Y+1).tsv`` are undone (codes added in Y+1 taken out,
   removed ones put back, renames and reuses give back the old name, moves, splits and
   merges restore the old codes), which gives edition Y as amended at the end of its year.

Before 2018 the department economic set is the single 支出经济分类 (``economic.tsv``)
and there is no government set and no 对照表. The undoing itself is
:func:`govcodes.amendments.undo`, the same the library uses for ``edition(year, as_of=...)``.

Provenance is decided per year (tools/_provenance.py): ``official`` when a notice of that
year states the entry (an amendment of that year that the notice's text makes, or a
statement in data/evidence/official.tsv), ``attested`` when that year's documents print
the name (data/evidence/attestations, data/evidence/seeds), else ``compiled`` with a note
on where the name comes from. A test runs ``--check``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tools"))

from _provenance import decide  # noqa: E402

from govcodes._data import read_tsv  # noqa: E402
from govcodes.amendments import Entry, amendments, undo  # noqa: E402
from govcodes.changes import edition_records  # noqa: E402
from govcodes.codes import ECONOMIC, ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT, REFORM_YEAR, classifications_in, lineage_of  # noqa: E402

FIRST_YEAR = 2017
CLASS_FILES = {
    "revenue": "revenue.tsv",
    "functional": "functional.tsv",
    "economic-department": "economic-department.tsv",
    "economic-government": "economic-government.tsv",
    "economic": "economic.tsv",
}
TITLES = {
    "revenue": "收入分类科目",
    "functional": "支出功能分类科目",
    "economic-department": "部门预算支出经济分类科目",
    "economic-government": "政府预算支出经济分类科目",
    "economic": "支出经济分类科目",
}
#: Files of an edition's folder that are inputs, never written by the derivation.
INPUTS = ("amendments.tsv",)
HEADER = """# govcodes edition {year}: {title} ({classification}), as amended to date
# Derived from the {latest} edition, the change records in data/changes/ and the amendments
# (data/editions/<year>/amendments.tsv) by tools/derive_editions.py: correct those, not this file.
# source: official = stated by a notice of {year} (evidence: 文号 and date); attested = printed with this
#   name in real {year} documents, evidence 'FILE N/M' (data/evidence/FILE.tsv, or attestations/FILE.tsv);
#   compiled = not yet verified (evidence: a note).
code\tname\tsource\tevidence
"""


def latest_year() -> int:
    years = sorted(int(n) for n in os.listdir(os.path.join(ROOT, "data", "editions")) if n.isdigit())
    return years[-1]


def load_edition(year: int) -> dict[str, Entry]:
    """code -> (name, classification, source, evidence) as shipped."""
    out: dict[str, Entry] = {}
    for cls in classifications_in(year):
        for _, row in read_tsv("editions", str(year), CLASS_FILES[cls]):
            out[row["code"]] = (row["name"], cls, row["source"], row["evidence"])
    return out


def earlier_edition(later: dict[str, Entry], year: int, problems: list[str]) -> dict[str, Entry]:
    """Edition ``year`` as amended, from edition ``year + 1`` as amended."""
    first_published = undo(later, amendments(year + 1), year + 1, problems, where=f"{year + 1} amendments")
    entries = undo(first_published, edition_records(year, year + 1), year, problems)
    if year < REFORM_YEAR:  # one economic classification: the department set continues it
        entries = {code: (e[0], ECONOMIC if e[1] == ECONOMIC_DEPARTMENT else e[1], e[2], e[3])
                   for code, e in entries.items() if e[1] != ECONOMIC_GOVERNMENT}
    for code, e in entries.items():
        if lineage_of(code) is None or e[1] not in classifications_in(year):
            problems.append(f"{year}: {code} is not a code of a classification the edition has")
    return entries


def write_edition(year: int, entries: dict[str, Entry], latest_year_: int, correspondence: list[tuple],
                  root: str | None = None) -> None:
    folder = os.path.join(root or os.path.join(ROOT, "data", "editions"), str(year))
    shipped_meta = os.path.join(ROOT, "data", "editions", str(year), "edition.json")
    os.makedirs(folder, exist_ok=True)
    for cls, filename in CLASS_FILES.items():
        rows = sorted((c, e) for c, e in entries.items() if e[1] == cls)
        path = os.path.join(folder, filename)
        if not rows:
            if os.path.exists(path):
                os.remove(path)
            continue
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(HEADER.format(year=year, title=TITLES[cls], classification=cls, latest=latest_year_))
            for code, (name, _, source, evidence) in rows:
                fh.write(f"{code}\t{name}\t{source}\t{evidence}\n")
    path = os.path.join(folder, "correspondence.tsv")
    if correspondence:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(f"# govcodes edition {year}: 对照表, derived by tools/derive_editions.py from the "
                     f"{latest_year_} table and data/changes/\n")
            fh.write("department\tgovernment\tunit\tsource\tevidence\n")
            for row in correspondence:
                fh.write("\t".join(row) + "\n")
    elif os.path.exists(path):
        os.remove(path)
    meta_path = os.path.join(folder, "edition.json")
    meta = {"year": year, "title": f"{year}年政府收支分类科目",
            "derived": f"from the {latest_year_} edition through data/changes/ and the amendments", "sources": []}
    if os.path.exists(shipped_meta):
        with open(shipped_meta, encoding="utf-8") as fh:
            meta.update({k: v for k, v in json.load(fh).items() if k in ("sources", "title")})
    with open(meta_path, "w", encoding="utf-8") as fh:
        json.dump(meta, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    desc = descriptions(year, entries)
    path = os.path.join(folder, "descriptions.tsv")
    if not desc:
        if os.path.exists(path):
            os.remove(path)
        return
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(f"# govcodes edition {year}: descriptions (说明) as printed in real {year} documents\n")
        fh.write("code\tdescription\tsource\tevidence\n")
        for row in desc:
            fh.write("\t".join(row) + "\n")


def descriptions(year: int, entries: dict[str, Entry]) -> list[tuple[str, str, str, str]]:
    from assemble_edition import descriptions as assemble_descriptions

    return assemble_descriptions(year, {c: e[0] for c, e in entries.items()})


def derive_correspondence(year: int, entries: dict[str, Entry], later_rows: list[tuple],
                          extra: list[dict], problems: list[str]) -> list[tuple]:
    if year < REFORM_YEAR:
        return []
    out = []
    covered = set()
    for dept, gov, unit, _source, evidence in later_rows:
        if dept not in entries:
            continue
        target = gov if gov in entries else gov[:3] if gov[:3] in entries else None
        if target is None:
            problems.append(f"{year}: 对照表 {dept} -> {gov} has no government code in {year}")
            continue
        if target != gov:
            note = f"class only: {gov} is not in {year}"
        elif len(gov) == 3:
            note = evidence  # a class-only row keeps its reason (data/evidence/correspondence-class-only.tsv)
        else:
            note = f"as in the {year + 1} table"
        out.append((dept, target, unit, "compiled", note))
        covered.add((dept, unit))
    for row in extra:
        key = (row["department"], row["unit"])
        gov = row["government"]
        target = gov if gov in entries else gov[:3] if gov[:3] in entries else None
        if row["department"] in entries and key not in covered and target is not None:
            note = row.get("note", "") if target == gov else f"class only: {gov} is not in {year}"
            out.append((row["department"], target, row["unit"], "compiled", note))
            covered.add(key)
    return sorted(set(out))


def derive(check: bool) -> int:
    latest_year_ = latest_year()
    latest = load_edition(latest_year_)
    later = latest
    later_corr = [tuple(r[k] for k in ("department", "government", "unit", "source", "evidence"))
                  for _, r in read_tsv("editions", str(latest_year_), "correspondence.tsv")]
    extra = [r for _, r in read_tsv("changes", "correspondence-extra.tsv")]
    problems: list[str] = []
    derived: dict[int, tuple[dict, list]] = {}
    for year in range(latest_year_ - 1, FIRST_YEAR - 1, -1):
        entries = earlier_edition(later, year, problems)
        entries = decide(entries, year, latest, latest_year_)
        corr = derive_correspondence(year, entries, later_corr, extra, problems)
        derived[year] = (entries, corr)
        later, later_corr = entries, corr
    for p in problems:
        print("PROBLEM:", p)
    if check:
        import tempfile

        stale = []
        with tempfile.TemporaryDirectory() as tmp:
            for year, (entries, corr) in derived.items():
                write_edition(year, entries, latest_year_, corr, root=tmp)
                ours = os.path.join(ROOT, "data", "editions", str(year))
                fresh = os.path.join(tmp, str(year))
                names = sorted(set(os.listdir(fresh)) | set(os.listdir(ours) if os.path.isdir(ours) else []))
                for name in names:
                    if name in INPUTS:
                        continue
                    a, b = os.path.join(fresh, name), os.path.join(ours, name)
                    if not (os.path.exists(a) and os.path.exists(b)) or open(a, "rb").read() != open(b, "rb").read():
                        stale.append(f"{year}/{name}")
        if stale:
            print("stale:", ", ".join(stale))
        return 1 if stale or problems else 0
    for year, (entries, corr) in derived.items():
        write_edition(year, entries, latest_year_, corr)
        print(f"{year}: {len(entries)} entries, {len(corr)} 对照表 rows")
    return 1 if problems else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    return derive(args.check)


if __name__ == "__main__":
    raise SystemExit(main())
