#!/usr/bin/env python3
"""Derive the editions before the newest from it and the change records.

    python tools/derive_editions.py            # rewrite data/editions/<year>/ for every earlier year
    python tools/derive_editions.py --check    # exit 1 when a shipped edition differs from its derivation

The newest edition (data/editions/<latest>/) is maintained directly. Every
earlier edition is the next one with the records of ``data/changes/Y-(Y+1).tsv``
undone: codes added in Y+1 are taken out, removed ones put back, renames and
reuses give back the old name, moves, splits and merges restore the old codes.
Before 2018 the department economic set is the single 支出经济分类 (``economic.tsv``)
and there is no government set and no 对照表.

Provenance is decided per year: ``attested`` when that year's documents print the
name (data/evidence/attestations, data/evidence/seeds), else ``compiled`` with a
note on where the name comes from. A test runs ``--check``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from govcodes import evidence  # noqa: E402
from govcodes._data import read_tsv  # noqa: E402
from govcodes.codes import classifications_in, lineage_of  # noqa: E402

REFORM_YEAR = 2018  # 支出经济分类科目改革: two economic sets from this edition on
FIRST_YEAR = 2017
CLASS_FILES = {
    "functional": "functional.tsv",
    "economic-department": "economic-department.tsv",
    "economic-government": "economic-government.tsv",
    "economic": "economic.tsv",
}
TITLES = {
    "functional": "支出功能分类科目",
    "economic-department": "部门预算支出经济分类科目",
    "economic-government": "政府预算支出经济分类科目",
    "economic": "支出经济分类科目",
}
HEADER = """# govcodes edition {year}: {title} ({classification})
# Derived from the {latest} edition and the change records in data/changes/ by
# tools/derive_editions.py: correct the records (or the {latest} edition), not this file.
# source: attested = printed with this name in real {year} documents, evidence 'FILE N/M'
#   (data/evidence/FILE.tsv, or attestations/FILE.tsv); compiled = not yet verified (evidence: a note).
code\tname\tsource\tevidence
"""


def latest_year() -> int:
    years = sorted(int(n) for n in os.listdir(os.path.join(ROOT, "data", "editions")) if n.isdigit())
    return years[-1]


def load_edition(year: int) -> dict[str, dict]:
    """code -> {name, classification, source, evidence} as shipped."""
    out = {}
    for cls in classifications_in(year):
        for _, row in read_tsv("editions", str(year), CLASS_FILES[cls]):
            out[row["code"]] = {"name": row["name"], "classification": cls,
                                "source": row["source"], "evidence": row["evidence"]}
    return out


def records(from_year: int) -> list[dict]:
    return [row for _, row in read_tsv("changes", f"{from_year}-{from_year + 1}.tsv")]


def undo(later: dict[str, dict], recs: list[dict], year: int, problems: list[str]) -> dict[str, dict]:
    """The edition before ``later``: undo the records of (year -> year + 1)."""
    earlier = {code: dict(entry) for code, entry in later.items()}
    introduced: set[str] = set()
    merge_sources: dict[str, set[str]] = {}
    for r in recs:
        if r["kind"] == "merged":
            merge_sources.setdefault(r["new_code"], set()).add(r["old_code"])
    split_sources: dict[str, set[str]] = {}
    for r in recs:
        if r["kind"] == "split":
            split_sources.setdefault(r["old_code"], set()).add(r["new_code"])
    for r in recs:
        kind, new = r["kind"], r["new_code"]
        if kind in ("renamed", "reused", "redescribed"):
            continue
        if new and (kind in ("added", "moved")
                    or (kind == "split" and new != r["old_code"])
                    or (kind == "merged" and new not in merge_sources[new])):
            introduced.add(new)
    for code in introduced:
        entry = later.get(code)
        if entry is None:
            problems.append(f"{year}->{year + 1}: record introduces {code}, which {year + 1} does not have")
            continue
        want = next((r["new_name"] for r in recs if r["new_code"] == code), None)
        if want and want != entry["name"]:
            problems.append(f"{year}->{year + 1}: {code} is {entry['name']!r} in {year + 1}, the record says {want!r}")
        earlier.pop(code, None)
    for r in recs:
        old, new = r["old_code"], r["new_code"]
        if r["kind"] in ("renamed", "reused", "redescribed"):
            entry = later.get(new)
            if entry is None:
                problems.append(f"{year}->{year + 1}: {r['kind']} {new} is not in {year + 1}")
                continue
            if entry["name"] != r["new_name"]:
                problems.append(f"{year}->{year + 1}: {new} is {entry['name']!r} in {year + 1}, the record says {r['new_name']!r}")
            earlier[old] = {"name": r["old_name"], "classification": entry["classification"],
                            "source": "compiled", "evidence": ""}
        elif old:
            cls = {"functional": "functional", "economic": "economic-department",
                   "economic-government": "economic-government"}[r["classification"]]
            earlier[old] = {"name": r["old_name"], "classification": cls, "source": "compiled", "evidence": ""}
    return earlier


def attest(entries: dict[str, dict], year: int, latest: dict[str, dict], latest_year_: int) -> None:
    """Set source/evidence of each entry from the evidence of ``year``."""
    files = {}
    for cls in ("functional", "economic-department", "economic-government"):
        files[cls] = evidence.attestations(cls, year)
    seeds = {cls: evidence.seed_attestations(cls, year) for cls in files}
    for code, entry in entries.items():
        cls = "economic-department" if entry["classification"] == "economic" else entry["classification"]
        entry["source"], entry["evidence"] = "compiled", ""
        for table in (files.get(cls, {}), seeds.get(cls, {})):
            a = table.get(code)
            if a is not None and a.count(entry["name"]):
                entry["source"] = "attested"
                entry["evidence"] = f"{a.stem} {a.count(entry['name'])}/{a.n_docs}"
                break
        if entry["source"] == "compiled":
            ref = latest.get(code)
            if ref is not None and ref["name"] == entry["name"]:
                documented = "printed by documents then" if ref["source"] == "attested" else ref["source"]
                entry["evidence"] = f"the {latest_year_} entry's name ({latest_year_}: {documented})"
            else:
                entry["evidence"] = "name from the change records"


def write_edition(year: int, entries: dict[str, dict], latest_year_: int, correspondence: list[tuple],
                  root: str | None = None) -> None:
    folder = os.path.join(root or os.path.join(ROOT, "data", "editions"), str(year))
    shipped_meta = os.path.join(ROOT, "data", "editions", str(year), "edition.json")
    os.makedirs(folder, exist_ok=True)
    for cls, filename in CLASS_FILES.items():
        rows = sorted((c, e) for c, e in entries.items() if e["classification"] == cls)
        path = os.path.join(folder, filename)
        if not rows:
            if os.path.exists(path):
                os.remove(path)
            continue
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(HEADER.format(year=year, title=TITLES[cls], classification=cls, latest=latest_year_))
            for code, e in rows:
                fh.write(f"{code}\t{e['name']}\t{e['source']}\t{e['evidence']}\n")
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
            "derived": f"from the {latest_year_} edition through data/changes/", "sources": [], "amendments": []}
    if os.path.exists(shipped_meta):
        with open(shipped_meta, encoding="utf-8") as fh:
            meta.update({k: v for k, v in json.load(fh).items() if k in ("sources", "amendments", "title")})
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


def descriptions(year: int, entries: dict[str, dict]) -> list[tuple[str, str, str, str]]:
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    from assemble_edition import descriptions as assemble_descriptions

    return assemble_descriptions(year, {c: e["name"] for c, e in entries.items()})


def derive_correspondence(year: int, entries: dict[str, dict], later_rows: list[tuple],
                          extra: list[dict], problems: list[str]) -> list[tuple]:
    if year < REFORM_YEAR:
        return []
    out = []
    covered = set()
    for dept, gov, unit, _source, _evidence in later_rows:
        if dept not in entries:
            continue
        target = gov if gov in entries else gov[:3] if gov[:3] in entries else None
        if target is None:
            problems.append(f"{year}: 对照表 {dept} -> {gov} has no government code in {year}")
            continue
        note = f"as in the {year + 1} table" if target == gov else f"class only: {gov} is not in {year}"
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
        recs = records(year)
        entries = undo(later, recs, year, problems)
        if year < REFORM_YEAR:
            for code in [c for c, e in entries.items() if e["classification"] == "economic-government"]:
                del entries[code]
            for e in entries.values():
                if e["classification"] == "economic-department":
                    e["classification"] = "economic"
        for code in entries:
            if lineage_of(code) is None:
                problems.append(f"{year}: {code} is not a classification code")
        attest(entries, year, latest, latest_year_)
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
