"""Every (code, name) printed in the seed documents' classification tables is in
that year's edition with that name, but for the documents' own errors listed here."""

from __future__ import annotations

import pytest

import govcodes
from govcodes.codes import normalize_name

#: The seeds' own errors, reviewed: (document, code, printed name, why it is not the edition's).
DOCUMENT_ERRORS = {
    ("002_07b422fef52514ef.txt", "2210202", "房租补贴"): "typo for 提租补贴 in the 收入决算表",
    ("001_668036de3dcda4b4.txt", "2080110", "劳动关系的维权"): "typo for 劳动关系和维权 in the 支出预算总表",
}

SEEDS = {
    "000_04651e5244486973.txt": 2020,
    "001_668036de3dcda4b4.txt": 2024,
    "002_07b422fef52514ef.txt": 2022,
}


@pytest.mark.parametrize("name,year", sorted(SEEDS.items()))
def test_printed_pairs_are_the_editions(seeds, name, year):
    ed = govcodes.edition(year)
    tables = [t for t in govcodes.read_tables(seeds / name) if t.coded_rows]
    assert tables, f"no classification table found in {name}"
    wrong = []
    checked = 0
    for table in tables:
        assert table.year == year
        for row in table.coded_rows:
            if row.code[0] not in "235" or not row.name:
                continue
            checked += 1
            entry = ed.get(row.code)
            if entry is not None and normalize_name(entry.name) == normalize_name(row.name):
                continue
            if (name, row.code, row.name.replace(" ", "")) in DOCUMENT_ERRORS:
                assert entry is not None and entry.name != row.name
                continue
            wrong.append(f"{table.title} line {row.line}: {row.code} {row.name!r} "
                         f"(edition: {entry.name if entry else 'absent'})")
    assert checked > 40
    assert not wrong, "\n".join(wrong)


def test_the_listed_errors_are_really_printed(seeds):
    for (name, code, printed), _ in DOCUMENT_ERRORS.items():
        rows = [r for t in govcodes.read_tables(seeds / name) for r in t.coded_rows if r.code == code]
        assert any(r.name.replace(" ", "") == printed for r in rows), (name, code, printed)
