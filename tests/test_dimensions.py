"""Dimension tables for SQL engines and DataFrames (govcodes.dimensions, govcodes export --table)."""

from __future__ import annotations

import random

import pytest

import govcodes
from govcodes import InputError
from govcodes.dimensions import TABLES, dimension_table

from .conftest import REPO


def test_closure_holds_every_code_with_itself_and_each_code_above_it():
    ed = govcodes.edition(2026)
    rows = dimension_table("closure", ed).rows
    assert len(rows) == len(set(rows)) == sum(len(c.ancestors) + 1 for c in ed)
    above = {}
    for ancestor, descendant, depth in rows:
        above.setdefault(descendant, {})[ancestor] = depth
    for code in ed:
        assert above[code.code] == {code.code: 0, **{a.code: i + 1 for i, a in enumerate(code.ancestors)}}


def test_codes_correspondence_and_crosswalk_are_the_editions():
    ed = govcodes.edition(2026)
    codes = dimension_table("codes", 2026).to_dicts()
    assert [c["code"] for c in codes] == [c.code for c in ed]
    row = next(c for c in codes if c["code"] == "2080101")
    assert row == {"code": "2080101", "name": "行政运行", "level": "项", "parent": "20801",
                   "classification": "functional", "provenance": ed["2080101"].provenance.kind}
    corr = dimension_table("correspondence", 2026).rows
    assert ("30101", "50101", "机关", ed["30101"].counterparts[0].provenance.kind) in corr
    assert len(corr) == len(ed.correspondence)
    walk = dimension_table("crosswalk", 2017, to_year=2018).rows
    assert ("30311", "30113", "moved", None) in walk
    assert len(walk) == sum(len(v) for v in govcodes.crosswalk(2017, 2018).values())
    back = dimension_table("crosswalk", 2026, to_year=2025).to_dicts()
    assert {"old_code": "2210111", "new_code": "2210106", "kind": "split", "share": None} in back


def test_bad_requests_are_input_errors():
    with pytest.raises(InputError, match="unknown dimension table"):
        dimension_table("tree", 2026)
    with pytest.raises(InputError, match="between two editions"):
        dimension_table("crosswalk", 2026)
    with pytest.raises(InputError, match="of one edition"):
        dimension_table("codes", 2026, to_year=2025)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_as_arrow_pandas_polars_and_files(tmp_path, table):
    pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    frame = dimension_table(table, 2019, to_year=2026 if table == "crosswalk" else None)
    arrow = frame.to_arrow()
    assert arrow.column_names == list(TABLES[table]) and arrow.num_rows == len(frame) > 0
    path = tmp_path / f"{table}.parquet"
    frame.write(path)
    assert pq.read_table(path).to_pylist() == frame.to_dicts()
    assert frame.to_pandas().shape == (len(frame), len(TABLES[table]))
    assert frame.to_polars().columns == list(TABLES[table])
    frame.write(tmp_path / f"{table}.csv")
    assert (tmp_path / f"{table}.csv").read_text(encoding="utf-8").startswith(",".join(TABLES[table]))


def test_edition_to_dataframes():
    ed = govcodes.edition(2026)
    assert len(ed.to_pandas()) == len(ed) == ed.to_arrow().num_rows == ed.to_polars().height
    assert ed.to_arrow("closure").column_names == ["ancestor", "descendant", "depth"]


def _documented_sql() -> str:
    text = (REPO / "docs" / "engines.md").read_text(encoding="utf-8")
    return text.split("```sql\n", 1)[1].split("```", 1)[0]


def test_the_documented_sql_rollup_over_the_export_gives_govcodes_totals(tmp_path, cli):
    duckdb = pytest.importorskip("duckdb")
    ed = govcodes.edition(2026)
    leaves = [c.code for c in ed.codes("functional", "项")]
    rnd = random.Random(3)
    lines = ["功能科目,金额"] + [f"{rnd.choice(leaves)},{rnd.randrange(0, 10**9) / 100:.2f}" for _ in range(5000)]
    (tmp_path / "items.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for table in ("closure", "codes"):
        assert cli("export", "--year", "2026", "--table", table, "--format", "parquet",
                   "-o", str(tmp_path / f"{table}.parquet")).status == 0
    con = duckdb.connect()
    con.execute(f"SET file_search_path = '{tmp_path}'")
    sql_totals = {code: (name, total) for code, name, total in con.execute(_documented_sql()).fetchall()}
    result = govcodes.rollup(govcodes.read_items(tmp_path / "items.csv"), year=2026)
    ours = {r.code: (r.name, r.amounts[0]) for r in result.rows if not r.direct}
    assert sql_totals == ours and len(ours) > 300
    assert sum(t for c, (_, t) in sql_totals.items() if len(c) == 3) == result.total[0]


def test_cli_export_tables(tmp_path, cli):
    default = cli("export", "--year", "2026", "--format", "csv")
    assert default.status == 0 and default.out.startswith("科目编码,科目名称,级次,分类,上级科目,依据,依据说明,说明")
    closure = cli("export", "--year", "2026", "--table", "closure", "--format", "csv", "--english-headers")
    assert closure.out.splitlines()[:2] == ["ancestor,descendant,depth", "101,101,0"]
    walk = cli("export", "--year", "2017", "--table", "crosswalk", "--to", "2018", "--format", "json")
    assert {"old_code": "30311", "new_code": "30113", "kind": "moved", "share": None} in __import__("json").loads(walk.out)
    assert cli("export", "--table", "closure", "--format", "parquet").status == 2
    assert cli("export", "--table", "crosswalk", "--year", "2026").status == 2
