"""Real data: rolling up the 项 (or economic 款) rows of the seed documents' tables
reproduces their 类 and 款 rows and their 合计, exactly, column by column.

The seed documents are in ../shared/seeds beside the repository (these tests
are skipped when the folder is absent).  Tables are read with
:func:`govcodes.read_tables`, once per session (``conftest.seed_tables``).  Each table is rolled up by code structure alone
(``year=None``) and, where govcodes has the document's edition, with that
edition too: then every item must be placed and every 类/款 name must be the
one printed.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

import govcodes
from govcodes.money import to_unit
from govcodes.codes import normalize_name

from .conftest import seed_tables

#: The three seed documents with functional and economic tables, and their year.
DOCUMENTS = {
    "000_04651e5244486973.txt": 2020,  # 2020 部门预算 (东西湖区人社局)
    "001_668036de3dcda4b4.txt": 2024,  # 2024 部门预算 (江汉区人力资源局)
    "002_07b422fef52514ef.txt": 2022,  # 2022 部门决算 (东西湖区人社局)
}

#: How many tables of each kind each document has: a reader that found fewer would
#: make this test vacuous.  (functional with 类/款 rows, functional with 项 rows only, economic)
EXPECTED_TABLES = {
    "000_04651e5244486973.txt": (1, 2, 1),
    "001_668036de3dcda4b4.txt": (2, 0, 1),
    "002_07b422fef52514ef.txt": (3, 0, 1),
}


def _tables(document: str, classification: str) -> list[govcodes.Table]:
    return [t for t in seed_tables(document.split("_")[0]) if t.classification == classification]


def _items(table: govcodes.Table, leaf: int, rows=None) -> tuple[list[dict[str, object]], list[str]]:
    """The table's rows at the leaf level as line items: code, printed name, one key per amount column."""
    keys = [f"{i}:{label}" for i, label in enumerate(table.columns)]
    items = []
    for row in table.rows if rows is None else rows:
        if row.code and len(row.code) == leaf:
            item: dict[str, object] = {"科目编码": row.code, "科目名称": row.name}
            item.update((k, "" if a is None else a) for k, a in zip(keys, row.amounts))
            items.append(item)
    return items, keys


def _in_wan(values) -> tuple[Decimal, ...]:
    return tuple(to_unit(v, "元", "万元") for v in values)


def _check(table: govcodes.Table, result, leaf: int) -> int:
    """The printed 类/款 rows and 合计 are the rollup's, exactly; returns the number of rows compared."""
    printed = {r.code: r for r in table.rows if r.code and len(r.code) < leaf}
    compared = 0
    for code, row in printed.items():
        got = result.get(code)
        assert got is not None, f"{table.title}: {code} not in the rollup"
        assert _in_wan(got.amounts) == row.values, f"{table.title} line {row.line}: {code}"
        compared += 1
    if printed:  # the table prints every 类 and 款 it has: the rollup has no other
        made = {r.code for r in result.rows if len(r.code) < leaf}
        assert made == set(printed), f"{table.title}: rows printed {sorted(printed)}, made {sorted(made)}"
    assert not any(r.direct for r in result.rows)
    return compared


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_functional_tables_are_reproduced_from_their_xiang_rows(document):
    year = DOCUMENTS[document]
    tables = _tables(document, "functional")
    with_parents = [t for t in tables if any(r.code and len(r.code) < 7 for r in t.rows)]
    only_xiang = [t for t in tables if t not in with_parents]
    assert (len(with_parents), len(only_xiang)) == EXPECTED_TABLES[document][:2]
    compared = 0
    for table in tables:
        assert table.year == year and table.unit == "万元" and table.total is not None
        items, keys = _items(table, 7)
        assert items, table.title
        result = govcodes.rollup(items, year=None, measures=keys, input_unit="万元")
        assert not result.report, [str(p) for p in result.report]
        compared += _check(table, result, 7)
        assert _in_wan(result.total) == table.total.values, f"{table.title}: 合计"
        assert result.input_total == result.total
        if year in govcodes.editions():  # names are checked where govcodes has the edition
            named = govcodes.rollup(items, year=year, measures=keys, input_unit="万元")
            assert not named.report, [str(p) for p in named.report]
            assert [(r.code, r.amounts) for r in named.rows] == [(r.code, r.amounts) for r in result.rows]
            for row in table.rows:
                if row.code and len(row.code) < 7:
                    assert normalize_name(named.get(row.code).name) == normalize_name(row.name), \
                        f"{table.title} line {row.line}: {row.code} {row.name}"
    assert compared >= 9 * len(with_parents)


@pytest.mark.parametrize("document", sorted(DOCUMENTS))
def test_economic_tables_are_reproduced_from_their_kuan_rows(document):
    year = DOCUMENTS[document]
    tables = _tables(document, "economic-department")
    assert len(tables) == EXPECTED_TABLES[document][2]
    for table in tables:
        items, keys = _items(table, 5)
        result = govcodes.rollup(items, year=None, by="economic-department", code_column="科目编码",
                                 measures=keys, input_unit="万元")
        assert not result.report
        assert _check(table, result, 5) >= 3
        if table.total is not None:
            assert _in_wan(result.total) == table.total.values, f"{table.title}: 合计"
        else:
            # a side-by-side 基本支出决算明细表: 人员经费合计 and 公用经费合计 close its groups
            totals = {normalize_name(r.name): r.values for r in table.rows if r.is_total}
            assert set(totals) == {"人员经费合计", "公用经费合计"}
            for label in ("人员经费", "公用经费"):
                group_rows = [r for r in table.rows if table.groups[r.group] == label]
                part, _ = _items(table, 5, group_rows)
                sub = govcodes.rollup(part, year=None, by="economic-department", code_column="科目编码",
                                      measures=keys, input_unit="万元")
                assert _in_wan(sub.total) == totals[label + "合计"], label
            assert _in_wan(result.total) == tuple(map(sum, zip(*totals.values())))
        if year in govcodes.editions():
            named = govcodes.rollup(items, year=year, by="economic-department", code_column="科目编码",
                                    measures=keys, input_unit="万元")
            assert not named.report and named.total == result.total
            for row in table.rows:
                if row.code and len(row.code) == 3:
                    assert normalize_name(named.get(row.code).name) == normalize_name(row.name)


def test_the_command_reproduces_a_seed_table(cli, tmp_path):
    """End to end: the 项 rows of the 2024 一般公共预算支出表 as a GB18030 CSV, through `govcodes rollup`."""
    [table] = [t for t in _tables("001_668036de3dcda4b4.txt", "functional") if "分功能科目" in t.title]
    headers = ["功能科目", "合计", "基本支出", "人员经费", "公用经费", "项目支出"]
    assert [c.rsplit("/", 1)[-1] for c in table.columns] == ["合计", "小计", "人员经费", "公用经费", "项目支出"]
    lines = [",".join(headers)]
    for row in table.rows:
        if row.code and len(row.code) == 7:
            lines.append(",".join([f"{row.code}-{row.name.replace(' ', '')}"]
                                  + [f'"{a:,}"' if a is not None else "" for a in row.amounts]))
    path = tmp_path / "items.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("gb18030"))
    done = cli("rollup", str(path), "--year", "2024", "--input-unit", "万元", "--unit", "万元", "--format", "csv")
    assert done.status == 0 and done.err == ""
    out = list(csv.reader(io.StringIO(done.out)))
    assert out[0] == ["科目编码", "科目名称", "级次", "合计", "基本支出", "人员经费", "公用经费", "项目支出"]
    printed = [[r.code or "", normalize_name(r.name)] + [f"{v:.2f}" for v in r.values]
               for r in table.rows if r.is_total or (r.code and len(r.code) < 7)]
    made = [[c[0], normalize_name(c[1])] + c[3:] for c in out[1:] if len(c[0]) < 7]
    assert made == printed
