#!/usr/bin/env python3
"""Extract the codes and names printed in the seed documents as evidence files.

    python tools/extract_seed_evidence.py [SEEDS_DIR]           (default: ../shared/seeds)
    python tools/extract_seed_evidence.py --check [SEEDS_DIR]   exit 1 when the shipped files differ

Writes data/evidence/seeds/<function|econ_dept|econ_gov>_<year>.tsv in the format of the
attestation files (code, level, consensus_name, n_docs, n_consensus, variants) and
data/evidence/seeds/documents.tsv. A name counts once per document; white space inside a
printed name (PDF line wrapping) is removed, nothing else is changed, so typos and old
names stay visible as printed. Ties between names are broken by the number of tables.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import govcodes  # noqa: E402

STEM = {"2": "function", "3": "econ_dept", "5": "econ_gov"}
LEVEL = {3: "类", 5: "款", 7: "项"}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    seeds = args[0] if args else os.path.join(os.path.dirname(ROOT), "shared", "seeds")
    shipped = os.path.join(ROOT, "data", "evidence", "seeds")
    if check:
        import filecmp
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            extract(seeds, tmp)
            names = sorted(set(os.listdir(tmp)) | set(os.listdir(shipped)))
            _, mismatch, errors = filecmp.cmpfiles(tmp, shipped, names, shallow=False)
            for name in mismatch + errors:
                print(f"stale: data/evidence/seeds/{name}")
            return 1 if mismatch or errors else 0
    extract(seeds, shipped)
    return 0


def extract(seeds: str, out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    # (stem, year) -> code -> name -> [documents printing it, tables printing it]
    found: dict[tuple[str, int], dict[str, dict[str, list]]] = defaultdict(lambda: defaultdict(dict))
    docs_of: dict[tuple[str, int, str], set[str]] = defaultdict(set)
    docs = []
    for name in sorted(os.listdir(seeds)):
        tables = [t for t in govcodes.read_tables(os.path.join(seeds, name)) if t.coded_rows and t.year]
        if not tables:
            continue
        docs.append((name, tables[0].year, len(tables), tables[0].title))
        printed: dict[tuple[str, int, str, str], int] = Counter()
        for t in tables:
            for row in t.coded_rows:
                if row.code[0] not in STEM or len(row.code) not in LEVEL or not row.name:
                    continue
                if row.code[0] == "3" and t.year < 2018:
                    continue
                printed[(STEM[row.code[0]], t.year, row.code, re.sub(r"\s+", "", row.name))] += 1
        for (stem, year, code, printed_name), n_tables in printed.items():
            entry = found[(stem, year)][code].setdefault(printed_name, [0, 0])
            entry[0] += 1
            entry[1] += n_tables
            docs_of[(stem, year, code)].add(name)
    for old in os.listdir(out_dir):
        if old.endswith(".tsv"):
            os.remove(os.path.join(out_dir, old))
    for (stem, year), codes in sorted(found.items()):
        path = os.path.join(out_dir, f"{stem}_{year}.tsv")
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("code\tlevel\tconsensus_name\tn_docs\tn_consensus\tvariants\n")
            for code in sorted(codes):
                names = sorted(codes[code].items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
                consensus, (n_cons, _) = names[0]
                n_docs = len(docs_of[(stem, year, code)])
                variants = "|".join(f"{n}:{v[0]}" for n, v in names[1:])
                fh.write(f"{code}\t{LEVEL[len(code)]}\t{consensus}\t{n_docs}\t{n_cons}\t{variants}\n")
    with open(os.path.join(out_dir, "documents.tsv"), "w", encoding="utf-8", newline="\n") as fh:
        fh.write("file\tfiscal_year\ttables\tfirst_table\n")
        for row in docs:
            fh.write("\t".join(map(str, row)) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
