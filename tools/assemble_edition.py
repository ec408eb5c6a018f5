#!/usr/bin/env python3
"""Assemble (or refresh) an edition's data files from evidence and compiled lists.

    python tools/assemble_edition.py 2026 [--compiled DIR]

Inputs:
- ``data/evidence/attestations/*_<year>.tsv``: codes and names printed in real documents;
- ``data/evidence/exceptions.tsv``: reviewed printed pairs the edition does not follow;
- compiled lists (``code name basis note``) in ``--compiled`` (default
  ``data/_compiled/<year>``), for the codes no document attests;
- the existing edition files, whose entries are kept (a refresh never drops an entry).

Output: ``data/editions/<year>/{functional,economic-department,economic-government}.tsv``,
``correspondence.tsv`` and ``descriptions.tsv``, each entry with its provenance:
``attested`` (name printed by real documents of that year, with counts), ``official``
(kept as written: a cited notice), or ``compiled``.  Running it again after the evidence
changes refreshes the provenance columns; it prints every conflict it sees.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from govcodes import evidence  # noqa: E402
from govcodes.codes import normalize_name  # noqa: E402

FILES = {
    "revenue": "revenue.tsv",
    "functional": "functional.tsv",
    "economic-department": "economic-department.tsv",
    "economic-government": "economic-government.tsv",
}
TITLES = {
    "revenue": "收入分类科目",
    "functional": "支出功能分类科目",
    "economic-department": "部门预算支出经济分类科目",
    "economic-government": "政府预算支出经济分类科目",
}
HEADER = """# govcodes edition {year}: {title} ({classification})
# One row per code. source: attested = printed with this name in real {year} documents,
#   evidence 'FILE N/M' = N of the M documents printing the code print this name
#   (data/evidence/attestations/FILE.tsv); official = evidence cites the notice or edition text;
#   compiled = from the compilers' knowledge of the official edition, not yet verified
#   (evidence is a note). Maintained by hand and refreshed by tools/assemble_edition.py.
code\tname\tsource\tevidence
"""


def read_rows(path: str) -> list[dict[str, str]]:
    rows = []
    header = None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                continue
            rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return rows


def other_years_note(classification: str, year: int, code: str, name: str) -> str:
    if classification not in evidence.STEMS:
        return ""
    notes = []
    for y in evidence.attestation_years(classification):
        if y == year:
            continue
        a = evidence.attestations(classification, y).get(code)
        if a is not None and a.count(name):
            notes.append(f"{y}: {a.count(name)}")
    return ("printed with this name in documents of " + ", ".join(notes)) if notes else ""


def assemble_classification(year: int, classification: str, compiled: dict[str, dict[str, str]],
                            existing: dict[str, dict[str, str]], problems: list[str]) -> list[tuple[str, str, str, str]]:
    att = evidence.attestations(classification, year) if classification in evidence.STEMS else {}
    excepted: dict[tuple[str, str], evidence.ReviewedException] = {
        (e.code, e.printed_name): e for e in evidence.exceptions()
        if e.year == year and e.classification == classification
    }
    out = []
    for code in sorted(set(att) | set(compiled) | set(existing)):
        a = att.get(code)
        c = compiled.get(code)
        old = existing.get(code)
        if old is not None and old["source"] == "official":
            out.append((code, old["name"], "official", old["evidence"]))
            continue
        if a is not None and (code, a.consensus_name) not in excepted:
            name = a.consensus_name
            for other, label in ((c, "compiled list"), (old, "existing entry")):
                if other is not None and other["name"] != name:
                    problems.append(f"{classification} {code}: {label} says {other['name']!r}, "
                                    f"documents print {name!r} ({a.n_consensus}/{a.n_docs}); took the documents'")
            out.append((code, name, "attested", f"{a.stem} {a.n_consensus}/{a.n_docs}"))
            continue
        if a is not None:
            exc = excepted[(code, a.consensus_name)]
            if exc.kind in ("local-code", "not-national") and c is None and old is None:
                continue
        source_row = old or c
        if source_row is None:
            problems.append(f"{classification} {code}: attested name is excepted but no name is compiled")
            continue
        name = source_row["name"]
        if a is not None and a.count(name):
            out.append((code, name, "attested", f"{a.stem} {a.count(name)}/{a.n_docs}"))
            continue
        note = other_years_note(classification, year, code, name)
        if not note and c is not None and c.get("basis") == "knowledge+crosscheck":
            note = "cross-checked against a public code table"
        if old is not None and old["source"] == "compiled" and old["evidence"]:
            note = old["evidence"]  # the compilers' note (basis, confidence) stays
        out.append((code, name, "compiled", note))
    return out


def write_tsv(path: str, header: str, rows: list[tuple[str, ...]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(header)
        for row in rows:
            fh.write("\t".join(row) + "\n")


def descriptions(year: int, entries: dict[str, str]) -> list[tuple[str, str, str, str]]:
    text_path = os.path.join(ROOT, "data", "evidence", "attestations", f"explanations_{year}.tsv")
    if not os.path.exists(text_path):
        return []
    best: dict[str, tuple[int, str]] = {}
    totals: dict[str, int] = {}
    for row in read_rows(text_path):
        code, text = row["code"], row["explanation"].strip()
        if not code or code not in entries or not text.startswith("反映"):
            continue
        printed = {"类": row["lei_name"], "款": row["kuan_name"], "项": row["xiang_name"]}
        level = {3: "类", 5: "款", 7: "项"}.get(len(code))
        if level is None or normalize_name(printed.get(level, "")) != normalize_name(entries[code]):
            continue
        n = int(row["n_docs"])
        totals[code] = totals.get(code, 0) + n
        if code not in best or n > best[code][0]:
            best[code] = (n, text)
    return [(code, best[code][1], "attested", f"explanations_{year} {best[code][0]}/{totals[code]}")
            for code in sorted(best)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("year", type=int)
    parser.add_argument("--compiled", help="folder of compiled lists (default data/_compiled/YEAR)")
    args = parser.parse_args()
    year = args.year
    compiled_dir = args.compiled or os.path.join(ROOT, "data", "_compiled", str(year))
    out_dir = os.path.join(ROOT, "data", "editions", str(year))
    os.makedirs(out_dir, exist_ok=True)
    problems: list[str] = []
    names: dict[str, str] = {}
    for classification, filename in FILES.items():
        pattern = "functional_*.tsv" if classification == "functional" else filename
        compiled: dict[str, dict[str, str]] = {}
        for path in sorted(glob.glob(os.path.join(compiled_dir, pattern))):
            for row in read_rows(path):
                if row["code"] in compiled and compiled[row["code"]]["name"] != row["name"]:
                    problems.append(f"{classification} {row['code']}: compiled twice with different names")
                compiled[row["code"]] = row
        target = os.path.join(out_dir, filename)
        existing = {r["code"]: r for r in read_rows(target)} if os.path.exists(target) else {}
        rows = assemble_classification(year, classification, compiled, existing, problems)
        write_tsv(target, HEADER.format(year=year, title=TITLES[classification], classification=classification), rows)
        names.update((r[0], r[1]) for r in rows)
        print(f"{filename}: {len(rows)} entries")
    corr_src = os.path.join(compiled_dir, "correspondence.tsv")
    corr_out = os.path.join(out_dir, "correspondence.tsv")
    corr_rows: list[tuple[str, ...]] = []
    if os.path.exists(corr_out):
        corr_rows = [tuple(r[k] for k in ("department", "government", "unit", "source", "evidence"))
                     for r in read_rows(corr_out)]
    elif os.path.exists(corr_src):
        for r in read_rows(corr_src):
            corr_rows.append((r["department"], r["government"], r["unit"], "compiled", r.get("note", "")))
    if corr_rows:
        write_tsv(corr_out, f"""# govcodes edition {year}: 部门预算支出经济分类 → 政府预算支出经济分类 (对照表)
# One row per department 款 and kind of unit (机关, 事业单位, or * for every unit).
# source/evidence as in the classification files.
department\tgovernment\tunit\tsource\tevidence
""", sorted(corr_rows))
        print(f"correspondence.tsv: {len(corr_rows)} rows")
    desc = descriptions(year, names)
    write_tsv(os.path.join(out_dir, "descriptions.tsv"), f"""# govcodes edition {year}: descriptions (说明) of codes, as printed in real {year} documents
# evidence 'FILE N/M': N documents print this text, M print an explanation of the code.
code\tdescription\tsource\tevidence
""", desc)
    print(f"descriptions.tsv: {len(desc)} rows")
    meta_path = os.path.join(out_dir, "edition.json")
    if not os.path.exists(meta_path):
        with open(meta_path, "w", encoding="utf-8") as fh:
            json.dump({"year": year, "title": f"{year}年政府收支分类科目", "sources": [], "amendments": []},
                      fh, ensure_ascii=False, indent=2)
            fh.write("\n")
    for p in problems:
        print("CHECK:", p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
