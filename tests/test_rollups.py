"""Rolling line items up (govcodes.rollup and the rollup command)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govcodes
from govcodes import InputError, read_items, rollup

D = Decimal


def amounts_of(result, column: int = 0) -> dict[tuple[str, bool], Decimal]:
    return {(r.code, r.direct): r.amounts[column] for r in result.rows}


def check_tree(result) -> None:
    """Every parent equals the sum of the rows directly below it, column by column; 合计 = sum of 类."""
    rows = result.rows
    ncols = len(result.columns)
    for row in rows:
        if row.direct:
            continue
        below = [r for r in rows if (r.direct and r.code == row.code)
                 or (not r.direct and len(r.code) == len(row.code) + 2 and r.code.startswith(row.code))]
        if below:
            for c in range(ncols):
                assert sum((r.amounts[c] for r in below), D(0)) == row.amounts[c], (row, below)
    classes = [r for r in rows if len(r.code) == 3 and not r.direct]
    for c in range(ncols):
        assert sum((r.amounts[c] for r in classes), D(0)) == result.total[c]
    if result.column_depth is not None:  # crossed: the 合计 column is the sum of the economic columns
        for row in rows + ():
            assert sum(row.amounts[1:], D(0)) == row.amounts[0]


# -- the tree ------------------------------------------------------------------------------------

ITEMS = [
    {"功能科目": "2080101", "经济科目": "30101", "金额": "1,000.00"},
    {"功能科目": "2080101-行政运行", "经济科目": "30201", "金额": "200.50"},
    {"功能科目": "[2080505]机关事业单位基本养老保险缴费支出", "经济科目": "30108", "金额": "300"},
    {"功能科目": "2101101", "经济科目": "30110", "金额": "0.05"},
]


def test_rows_in_code_order_with_names_and_the_grand_total():
    r = rollup(ITEMS, year=2026)
    assert [(row.code, row.level) for row in r.rows] == [
        ("208", "类"), ("20801", "款"), ("2080101", "项"), ("20805", "款"), ("2080505", "项"),
        ("210", "类"), ("21011", "款"), ("2101101", "项")]
    assert r.get("21011").name == "行政事业单位医疗" and r.get("2080101").name == "行政运行"
    assert r.get("208").amounts == (D("1500.50"),)
    assert r.total == (D("1500.55"),) and r.placed == r.total
    assert not r.report and r.input_total == r.total
    assert r.year == 2026 and r.by == ("functional",) and r.depth == "项"
    check_tree(r)


def test_depth_cuts_the_rows():
    full = rollup(ITEMS, year=2026)
    kuan = rollup(ITEMS, year=2026, depth="款")
    lei = rollup(ITEMS, year=2026, depth="类")
    assert [r.code for r in kuan.rows] == ["208", "20801", "20805", "210", "21011"]
    assert [r.code for r in lei.rows] == ["208", "210"]
    assert {r.code: r.amounts for r in kuan.rows} == {r.code: r.amounts for r in full.rows if len(r.code) <= 5}
    assert kuan.total == lei.total == full.total
    with pytest.raises(InputError, match="unknown depth"):
        rollup(ITEMS, year=2026, depth="目")
    with pytest.raises(InputError, match="economic trees have no 项"):
        rollup(ITEMS, year=2026, by="economic", depth="项")


def test_items_coded_above_the_leaves_count_once_and_are_shown():
    items = [{"科目编码": "20801", "金额": "10"}, {"科目编码": "2080101", "金额": "5"},
             {"科目编码": "208", "金额": "1"}, {"科目编码": "20805", "金额": "2"}]
    r = rollup(items, year=2026)
    assert [(row.code, row.name, row.amounts[0], row.direct) for row in r.rows] == [
        ("208", "社会保障和就业支出", D(18), False),
        ("208", "（未细分到款）", D(1), True),
        ("20801", "人力资源和社会保障管理事务", D(15), False),
        ("20801", "（未细分到项）", D(10), True),
        ("2080101", "行政运行", D(5), False),
        ("20805", "行政事业单位养老支出", D(2), False),
        ("20805", "（未细分到项）", D(2), True),
    ]
    assert r.total == (D(18),)
    check_tree(r)
    # at 款 depth a 款-level item is simply in its 款; only the 类-level one needs its own row
    k = rollup(items, year=2026, depth="款")
    assert [(row.code, row.direct) for row in k.rows] == [("208", False), ("208", True), ("20801", False),
                                                          ("20805", False)]
    assert k.get("20801").amounts == (D(15),)
    assert rollup(items, year=2026, depth="类").rows == (k.rows[0],)
    assert r.rows[1].depth == 1 and r.rows[0].depth == 0 and r.rows[1].level == "类"


def test_several_measures_are_summed_independently():
    items = [
        {"科目编码": "2080101", "合计": "10.00", "基本支出": "8.00", "项目支出": "2.00"},
        {"科目编码": "2080101", "合计": "5", "基本支出": "", "项目支出": "5"},
        {"科目编码": "2080199", "合计": "1.5", "基本支出": "-", "项目支出": "1.50"},
    ]
    r = rollup(items, year=2026)
    assert r.measures == ("合计", "基本支出", "项目支出")
    assert [c.title for c in r.columns] == ["合计", "基本支出", "项目支出"]
    assert r.get("20801").amounts == (D("16.5"), D("8.00"), D("8.50"))
    assert r.total == r.get("208").amounts
    only = rollup(items, year=2026, measures=["项目支出"])
    assert only.total == (D("8.50"),)
    with pytest.raises(InputError, match="no amount column '人员经费'"):
        rollup(items, year=2026, measures="人员经费")
    with pytest.raises(InputError, match="named twice"):
        rollup(items, year=2026, measures=["合计", "合计"])
    check_tree(r)


def test_no_amount_column_and_no_code_column_are_clear_errors():
    with pytest.raises(InputError, match="no amount column.*measures="):
        rollup([{"科目编码": "208", "备注": "x"}], year=2026)
    with pytest.raises(InputError, match="no column of functional codes.*code_column="):
        rollup([{"经济科目": "30101", "金额": "1"}], year=2026)
    with pytest.raises(InputError, match="not a file name"):
        rollup("items.csv", year=2026)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="not a mapping"):
        rollup([("208", "1")], year=2026)  # type: ignore[list-item]


def test_columns_named_explicitly():
    items = [{"A": "2080101", "B": "30101", "C": "3.00"}]
    r = rollup(items, year=2026, code_column="A", measures="C")
    assert r.total == (D(3),) and r.get("2080101")
    x = rollup(items, year=2026, by="functional,economic", code_column="A", economic_column="B", measures="C")
    assert [c.key for c in x.columns] == ["合计", "301"]


def test_an_empty_input_is_an_empty_rollup():
    r = rollup([], year=2026)
    assert r.rows == () and r.total == (D(0),) and not r.report


# -- money ---------------------------------------------------------------------------------------

def test_printed_amount_forms_are_exact():
    forms = ["1,234.56", "１２３.４", "(10.00)", "（1.50）", "-0.06", "", "—", "+7", 5, D("0.001")]
    items = [{"科目编码": "2080101", "金额": f} for f in forms]
    r = rollup(items, year=2026)
    assert not r.report
    assert r.total == (D("1234.56") + D("123.4") - D(10) - D("1.5") - D("0.06") + 7 + 5 + D("0.001"),)


def test_amounts_the_parser_refuses_are_refused_on_the_fast_path_too():
    # the first item of a code goes the slow way; later ones take the fast path
    forms = ["1_000.00", "1_000", "١٢.٣٤", "1e999", "NaN", "12.3.4", "--1.00", "100²"]
    items = [{"科目编码": "2080101", "金额": "1.00"}] + [{"科目编码": "2080101", "金额": f} for f in forms]
    r = rollup(items, year=2026)
    assert [p.row for p in r.report] == list(range(2, 2 + len(forms)))
    assert {p.kind for p in r.report} == {"bad-amount"} and r.total == (D(1),)


def test_floats_are_read_by_their_15_significant_digits():
    r = rollup([{"科目编码": "2080101", "金额": 0.1}, {"科目编码": "2080101", "金额": 0.2},
                {"科目编码": "2080101", "金额": float("nan")}], year=2026)
    assert r.total == (D("0.3"),)  # not 0.30000000000000004
    [problem] = r.report
    assert problem.kind == "bad-amount" and problem.row == 3


def test_input_in_wan_yuan_and_display_rounding_half_up():
    items = [{"科目编码": "2080101", "金额（万元）": "0.00005"}] * 3  # 0.5 元 each
    r = rollup(items, year=2026)
    assert r.total == (D("1.50000"),)  # stored in 元, exact
    assert r.columns[0].title == "合计"
    assert r.to_rows()[0]["合计"] == D("1.50")
    assert r.to_rows(unit="万元", places=4)[0]["合计"] == D("0.0002")  # 0.00015 rounds half up
    # totals are summed before rounding: three 0.005 元 items show 0.02, not 3 × 0.01
    small = rollup([{"科目编码": "2080101", "金额": "0.005"}] * 3, year=2026)
    assert small.to_rows()[0]["合计"] == D("0.02")
    assert small.to_rows(places=None)[0]["合计"] == D("0.015")
    assert rollup(items, year=2026, input_unit="元").total == (D("0.00015"),)
    with pytest.raises(InputError, match="unknown unit"):
        small.to_table(unit="千元")


def test_a_unit_line_above_the_header_is_the_items_unit(tmp_path):
    """Budget systems print 单位：万元 above the header: the amounts are 万元 (not 元, 10,000 times too small)."""
    path = tmp_path / "items.csv"
    path.write_text("2026年某部门支出明细\n单位：万元\n功能科目,经济科目,金额\n2080101,30101,1.5\n", encoding="utf-8")
    items = read_items(path)
    assert items.unit == "万元" and items.header == ("功能科目", "经济科目", "金额")
    assert rollup(items, year=2026).total == (D("15000.0"),)
    assert rollup(read_items(path), year=2026, input_unit="元").total == (D("1.5"),)  # the caller's word wins
    path.write_text("单位：万元\n功能科目,金额（元）\n2080101,1.5\n", encoding="utf-8")
    with pytest.raises(InputError, match="the header says 元 and a line above it 万元"):
        rollup(read_items(path), year=2026)
    path.write_text("单位：万元\n单位：元\n功能科目,金额\n2080101,1.5\n", encoding="utf-8")
    with pytest.raises(InputError, match="state two units"):
        read_items(path)


def test_the_year_the_items_title_states_is_their_edition(tmp_path, cli):
    path = tmp_path / "items.csv"
    path.write_text("2019年某部门支出明细（数据截至2019年12月31日）\n功能科目,金额\n2080504,1\n", encoding="utf-8")
    items = read_items(path)
    assert items.year == 2019
    r = rollup(items, year="latest")
    assert r.year == 2019 and not r.report and r.get("2080504").name == "未归口管理的行政单位离退休"
    assert rollup(read_items(path), year=2026).report  # a year given wins: 2080504 ended in 2020
    done = cli("rollup", str(path))
    assert done.status == 0 and "title states 2019" in done.err


def test_huge_amounts_are_exact_and_too_long_ones_reported():
    r = rollup([{"科目编码": "2080101", "金额": "1" + "0" * 40}, {"科目编码": "2080101", "金额": "-1"},
                {"科目编码": "2080101", "金额": "1" * 100}], year=2026)
    assert r.total == (D("9" * 40),)
    assert [p.kind for p in r.report] == ["bad-amount"]


# -- the report ----------------------------------------------------------------------------------

BAD = [
    {"功能科目": "2080101", "金额": "100.00"},
    {"功能科目": "2080198", "金额": "7.00"},           # well formed, not in the edition
    {"功能科目": "abc", "金额": "1.00"},               # not a code
    {"功能科目": "", "金额": "2.00"},                  # no code
    {"功能科目": "30101", "金额": "3.00"},             # an economic code in the functional column
    {"功能科目": "208010101", "金额": "4.00"},         # a revenue-like 9-digit code
    {"功能科目": "2109901", "金额": "5.00"},           # in 2017-2020, not in 2026
    {"功能科目": "2080101", "金额": "12元整"},         # not an amount
    {"功能科目": "合计", "金额": "1000.00"},           # a total row
    {"功能科目": "2080505", "金额": "0.50"},
]


def test_everything_not_placed_is_reported_with_its_row_and_amounts():
    r = rollup(BAD, year=2026)
    assert [(p.row, p.kind) for p in r.report] == [
        (2, "unknown-code"), (3, "invalid-code"), (4, "no-code"), (5, "wrong-classification"),
        (6, "wrong-level"), (7, "other-edition"), (8, "bad-amount"), (9, "total-row")]
    messages = {p.row: p.message for p in r.report}
    assert "did you mean" in messages[2] and "2080199" in messages[2]
    assert "2020" in messages[7] and "not in the 2026 edition" in messages[7]
    assert "'12元整'" in messages[8] and "total row" in messages[9]
    assert r.report.problems[1].cells == ("abc",) and r.report.problems[6].amounts == (None,)
    assert r.report.problems[6].printed == ("12元整",)
    assert r.total == (D("100.50"),)
    assert r.report.total == (D("7") + 1 + 2 + 3 + 4 + 5 + 1000,)
    assert r.input_total == (sum(D(x["金额"]) for x in BAD if x["金额"] != "12元整"),)
    assert r.report.counts() == {"unknown-code": 1, "invalid-code": 1, "no-code": 1, "wrong-classification": 1,
                                 "wrong-level": 1, "other-edition": 1, "bad-amount": 1, "total-row": 1}


def test_strict_mode_raises_at_the_first_problem():
    with pytest.raises(InputError) as info:
        rollup(BAD, year=2026, strict=True)
    assert info.value.row == 2 and info.value.value == "2080198"
    assert str(info.value).startswith("row 2: 2080198 is not in the 2026 edition")
    with pytest.raises(InputError, match="row 1: amount in column 金额 is not a number"):
        rollup([{"功能科目": "2080101", "金额": "x"}], year=2026, strict=True)


def test_the_same_code_printed_differently_is_one_code():
    items = [{"科目编码": c, "金额": "1"} for c in ("2080101", " 2080101 ", "2080101.0", 2080101, "208 01 01")]
    r = rollup(items, year=2026)
    assert r.get("2080101").amounts == (D(5),) and not r.report


# -- economic trees and crossing -------------------------------------------------------------------

ECON = [
    {"功能科目": "2080101", "部门经济分类": "30101", "金额": "100"},
    {"功能科目": "2080101", "部门经济分类": "30102", "金额": "20"},
    {"功能科目": "2080505", "部门经济分类": "30201", "金额": "3"},
    {"功能科目": "2101101", "部门经济分类": "30303", "金额": "4"},
    {"功能科目": "2101101", "部门经济分类": "3021101", "金额": "5"},  # a provincial sub-code of 30211
]


def test_by_the_department_economic_tree():
    r = rollup(ECON, year=2026, by="economic-department")
    assert [(row.code, row.name, row.amounts[0]) for row in r.rows] == [
        ("301", "工资福利支出", D(120)), ("30101", "基本工资", D(100)), ("30102", "津贴补贴", D(20)),
        ("302", "商品和服务支出", D(8)), ("30201", "办公费", D(3)), ("30211", "差旅费", D(5)),
        ("303", "对个人和家庭的补助", D(4)), ("30303", "退职（役）费", D(4))]
    assert r.depth == "款"
    check_tree(r)
    assert [row.code for row in rollup(ECON, year=2026, by="economic", depth="类").rows] == ["301", "302", "303"]


def test_department_codes_roll_into_the_government_tree_through_the_correspondence():
    gov = rollup(ECON, year=2026, by="economic-government")
    assert {(row.code, row.direct): row.amounts[0] for row in gov.rows} == {
        ("501", False): D(120), ("50101", False): D(120),
        ("502", False): D(8), ("50201", False): D(8),
        ("509", False): D(4), ("50905", False): D(4),
    }
    check_tree(gov)
    unit = rollup(ECON, year=2026, by="economic-government", unit_kind="事业单位")
    assert unit.get("50501").amounts == (D(120),) and unit.get("50502").amounts == (D(8),)
    assert unit.total == gov.total == (D(132),)
    with pytest.raises(InputError, match="kind of unit"):
        rollup(ECON, year=2026, by="economic-government", unit_kind="企业")


def test_government_codes_and_department_classes():
    items = [{"政府经济分类": "50101", "金额": "1"}, {"政府经济分类": "301", "金额": "2"},
             {"政府经济分类": "30101", "金额": "4"}]
    r = rollup(items, year=2026, by="economic-government")
    assert r.get("50101").amounts == (D(5),)
    [problem] = r.report
    assert problem.kind == "no-counterpart" and "类" in problem.message
    dept = rollup([{"经济科目": "50101", "金额": "1"}], year=2026, by="economic-department")
    assert [p.kind for p in dept.report] == ["wrong-classification"]


def test_crossed_with_the_economic_classes():
    x = rollup(ECON, year=2026, by="functional,economic")
    assert [(c.key, c.title) for c in x.columns] == [
        ("合计", "合计"), ("301", "工资福利支出"), ("302", "商品和服务支出"), ("303", "对个人和家庭的补助")]
    assert x.get("2080101").amounts == (D(120), D(120), D(0), D(0))
    assert x.get("21011").amounts == (D(9), D(0), D(5), D(4))
    assert x.total == (D(132), D(120), D(8), D(4)) and x.placed == (D(132),)
    check_tree(x)
    k = rollup(ECON, year=2026, by=("functional", "economic-department"), column_depth="款", depth="类")
    assert [c.key for c in k.columns] == ["合计", "30101", "30102", "30201", "30211", "30303"]
    assert [row.code for row in k.rows] == ["208", "210"]
    check_tree(k)
    g = rollup(ECON, year=2026, by="functional,economic-government", column_depth="款")
    assert [c.title for c in g.columns] == ["合计", "工资奖金津补贴", "办公经费", "离退休费"]


def test_crossing_rules():
    with pytest.raises(InputError, match="one amount column"):
        rollup([{"科目编码": "208", "经济科目": "301", "合计": "1", "基本支出": "1"}], year=2026,
               by="functional,economic")
    with pytest.raises(InputError, match="cannot roll up by this"):
        rollup(ECON, year=2026, by="economic,functional")
    with pytest.raises(InputError, match="unknown tree"):
        rollup(ECON, year=2026, by="social")
    with pytest.raises(InputError, match="unknown column depth"):
        rollup(ECON, year=2026, by="functional,economic", column_depth="项")
    # an item whose economic code cannot be placed is reported, whole
    r = rollup([{"功能科目": "2080101", "经济科目": "39999999", "金额": "1"},
                {"功能科目": "2080101", "经济科目": "", "金额": "2"}], year=2026, by="functional,economic")
    assert [p.kind for p in r.report] == ["invalid-code", "no-code"] and r.total == (D(0),)


# -- structure only ----------------------------------------------------------------------------------

def test_without_an_edition_the_structure_places_any_well_formed_code():
    items = [{"科目编码": "2080101-行政运行", "科目名称": "", "金额": "1"},
             {"科目编码": "2089998", "科目名称": None, "金额": "2"},
             {"科目编码": "20805", "科目名称": "行政事业单位养老支出", "金额": "3"},
             {"科目编码": "30101", "科目名称": "基本工资", "金额": "4"}]
    r = rollup(items, year=None)
    assert r.year is None
    assert [(row.code, row.name, row.amounts[0], row.direct) for row in r.rows] == [
        ("208", None, D(6), False), ("20801", None, D(1), False), ("2080101", "行政运行", D(1), False),
        ("20805", "行政事业单位养老支出", D(3), False), ("20805", "（未细分到项）", D(3), True),
        ("20899", None, D(2), False), ("2089998", None, D(2), False)]
    assert [p.kind for p in r.report] == ["wrong-classification"]
    check_tree(r)


def test_without_an_edition_department_codes_cannot_become_government_ones():
    with pytest.raises(InputError, match="needs an edition"):
        rollup([{"部门经济分类": "30101", "金额": "1"}], year=None, by="economic-government")
    r = rollup([{"经济科目": "30101", "金额": "1"}, {"经济科目": "50101", "金额": "2"}], year=None,
               by="economic-government")
    assert [p.kind for p in r.report] == ["no-counterpart"] and r.total == (D(2),)


def test_an_edition_object_or_another_year():
    ed = govcodes.edition(2020)
    r = rollup([{"科目编码": "2109901", "金额": "1"}], year=ed)
    assert r.year == 2020 and r.get("2109901").name and not r.report
    assert rollup([{"科目编码": "2109901", "金额": "1"}], year=2026).report.problems[0].kind == "other-edition"


# -- output ----------------------------------------------------------------------------------------

def test_table_in_the_official_layout():
    r = rollup(ITEMS + [{"功能科目": "2080199", "经济科目": "30101", "金额": "0"}], year=2026)
    lines = r.to_table(unit="万元").splitlines()
    assert lines[0] == "单位：万元"
    assert lines[1].split() == ["科目编码", "科目名称", "合计"]
    assert lines[3].split() == ["合计", "0.15"]
    assert lines[4].split() == ["208", "社会保障和就业支出", "0.15"]
    assert lines[-1].split() == ["2101101", "行政单位医疗", "0.00"]  # 0.05 元 is not zero: shown, rounded
    zero = [ln for ln in lines if ln.startswith("2080199")][0]
    assert zero.split() == ["2080199", "其他人力资源和社会保障管理事务支出"]  # zero is blank
    from wcwidth import wcswidth

    assert lines[4].endswith("0.15") and wcswidth(lines[4]) == wcswidth(lines[3])  # right-aligned
    yuan = r.to_table()
    assert "1,500.55" in yuan and "1,200.50" in yuan


def test_csv_json_and_rows():
    r = rollup(ITEMS, year=2026, depth="款")
    rows = list(csv.reader(io.StringIO(r.to_csv(unit="元"))))
    assert rows[0] == ["科目编码", "科目名称", "级次", "合计"]
    assert rows[1] == ["", "合计", "", "1500.55"]
    assert rows[2] == ["208", "社会保障和就业支出", "类", "1500.50"]
    out = io.StringIO()
    assert r.to_csv(out) is None and out.getvalue() == r.to_csv()
    data = json.loads(r.to_json(unit="万元", places=4))
    assert data["year"] == 2026 and data["unit"] == "万元" and data["total"] == {"合计": "0.1501"}
    assert data["rows"][0] == {"code": "208", "name": "社会保障和就业支出", "level": "类", "direct": False,
                               "amounts": {"合计": "0.1501"}}
    assert data["report"]["input"] == data["report"]["placed"] == {"金额": "0.1501"}  # by input column
    first = r.to_rows()[0]
    assert first == {"code": None, "name": "合计", "level": None, "direct": False, "合计": D("1500.55")}
    direct = rollup([{"科目编码": "208", "金额": "1"}], year=2026)
    assert list(csv.reader(io.StringIO(direct.to_csv())))[-1] == ["208", "（未细分到款）", "类(本级)", "1.00"]


def test_report_rows_for_output():
    r = rollup(BAD[:3], year=2026, input_unit="万元")
    rows = r.report.to_rows(unit="元")
    assert rows[0]["row"] == 2 and rows[0]["金额"] == D("70000.00") and rows[0]["kind"] == "unknown-code"
    assert rows[1]["cells"] == "abc"


def test_xlsx_output(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    r = rollup(BAD, year=2026)
    path = tmp_path / "out.xlsx"
    r.to_xlsx(path, unit="元")
    book = openpyxl.load_workbook(path)
    sheet = book["汇总"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "2026年支出功能分类汇总表" and values[1][-1] == "单位：元"
    assert values[2] == ("科目编码", "科目名称", "合计")
    assert values[3][1] == "合计" and D(str(values[3][2])) == D("100.50")
    assert sheet.cell(row=4, column=3).number_format == "#,##0.00"
    assert sheet.freeze_panes == "A4" and sheet.cell(row=3, column=1).font.bold
    assert sheet.cell(row=5, column=1).font.bold and sheet.cell(row=6, column=2).alignment.indent == 1  # 类 bold, 款 indented
    report = list(book["未汇总"].iter_rows(values_only=True))
    assert report[2][:4] == ("行号", "问题", "说明", "科目") and len(report) == 3 + len(r.report)
    assert report[3][1] == "本年度无此科目" and report[3][4] == 7  # kinds in Chinese, amounts as numbers


# -- files: the streamed fast path agrees with the mapping path ------------------------------------------

def test_a_file_and_the_same_mappings_give_the_same_rollup(tmp_path):
    lines = ["功能科目,经济科目,金额"]
    # plain lines are split without the csv module; the quoted last one hands over to it
    for i, (code, amount) in enumerate([("2080101", "1.25"), ("2080101", "-2.50"), ("2080505", "3"),
                                        ("2080198", "4.00"), ("20801", " 5.55"),
                                        ("2101101", "1_0.00"), ("2101101", "٣.٠٠"), ("2101101", "7.5"),
                                        ("2101101", ""), ("2080505", "0.10"), ("2080101", "2_0.00"),
                                        ("2080101", "٣.٠٠"), ("2080101", '"1,000.00"')]):
        lines.append(f"{code},3010{i % 10},{amount}")
    text = "\n".join(lines)  # no line break after the last line
    path = tmp_path / "items.csv"
    path.write_text(text, encoding="gb18030")
    from_file = rollup(read_items(path), year=2026)
    mappings = list(csv.DictReader(io.StringIO(text)))
    from_maps = rollup(mappings, year=2026)
    assert from_file.rows == from_maps.rows and from_file.total == from_maps.total
    assert [(p.row, p.kind) for p in from_file.report] == [(5, "unknown-code"), (7, "bad-amount"),
                                                           (8, "bad-amount"), (12, "bad-amount"),
                                                           (13, "bad-amount")]
    assert [p.row for p in from_maps.report] == [4, 6, 7, 11, 12]  # mappings count from 1
    assert from_file.get("2080101").amounts == (D("998.75"),)


def test_quoted_lines_hand_over_to_the_csv_module(tmp_path):
    text = ('科目编码,科目名称,金额\n2080101,a,1.00\n2080101,"b,\nc","2,000.00"\n'
            "2080505,d,3.00\n2080198,e,4.00\n")
    path = tmp_path / "q.csv"
    path.write_text(text, encoding="utf-8")
    r = rollup(read_items(path), year=2026)
    assert r.get("2080101").amounts == (D("2001.00"),) and r.get("2080505").amounts == (D(3),)
    assert [(p.row, p.kind) for p in r.report] == [(6, "unknown-code")]


def test_crossed_and_multi_measure_files(tmp_path):
    text = "功能科目,经济科目,合计,基本支出\n2080101,30101,10.00,10.00\n2080101,30201,2.5,\n2080101,30201,1,1\n"
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    r = rollup(read_items(path), year=2026)
    assert r.get("2080101").amounts == (D("13.5"), D(11))
    x = rollup(read_items(path), year=2026, by="functional,economic", measures="合计")
    assert x.get("2080101").amounts == (D("13.5"), D(10), D("3.5"))


# -- properties ---------------------------------------------------------------------------------------

_ED = govcodes.edition(2026)
_FUNCTIONAL = [c.code for c in _ED.codes("functional")]
_ECONOMIC = [c.code for c in _ED.codes("economic-department", "款")]
_BAD_CODES = ["2080198", "abc", "", "30101", "208010101", "2109901"]


def _printed(cents: int, style: int) -> object:
    amount = D(cents).scaleb(-2)
    if style == 0:
        return f"{amount}"
    if style == 1:
        return f"{amount:,}"
    if style == 2:
        return f"({-amount})" if amount < 0 else f"{amount}"
    if style == 3:
        return amount
    if style == 4:
        return "" if cents == 0 else f"{amount}"
    return f"{amount:f}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))


item = st.fixed_dictionaries({
    "code": st.one_of(st.sampled_from(_FUNCTIONAL), st.sampled_from(_BAD_CODES)),
    "econ": st.sampled_from(_ECONOMIC),
    "cents": st.integers(-10**12, 10**12),
    "style": st.integers(0, 5),
    "bad_amount": st.booleans(),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(item, max_size=40), st.sampled_from(["类", "款", "项"]))
def test_parents_are_the_sums_of_their_children_and_nothing_is_lost(generated, depth):
    items = []
    expected_total = D(0)
    for g in generated:
        bad = g["bad_amount"] and g["cents"] % 7 == 0
        amount = "not-a-number" if bad else _printed(g["cents"], g["style"])
        items.append({"功能科目": g["code"], "经济科目": g["econ"], "金额": amount})
        if not bad:
            expected_total += D(g["cents"]).scaleb(-2)
    r = rollup(items, year=2026, depth=depth)
    check_tree(r)
    assert r.input_total == (expected_total,)  # input = placed + reported, computed independently
    assert r.placed[0] + r.report.total[0] == expected_total
    placed_rows = {i + 1 for i in range(len(items))} - {p.row for p in r.report}
    assert r.total[0] == sum((D(generated[i - 1]["cents"]).scaleb(-2) for i in placed_rows), D(0))
    x = rollup(items, year=2026, by="functional,economic", depth=depth)
    check_tree(x)
    assert x.placed == r.placed and x.report.total == r.report.total


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                               HealthCheck.function_scoped_fixture])
@given(st.lists(item, max_size=30), st.booleans())
def test_the_streamed_csv_path_equals_the_mapping_path(tmp_path, generated, unquoted):
    # unquoted: no cell needs quoting (no "1,234.56"), so the whole file is split without the csv module
    rows = [("功能科目", "经济科目", "金额")]
    for g in generated:
        style = 0 if g["style"] == 3 or (unquoted and g["style"] == 1) else g["style"]
        amount = _printed(g["cents"], style)
        rows.append((g["code"], g["econ"], "x1" if g["bad_amount"] and g["cents"] % 5 == 0 else str(amount)))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "p.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    from_file = rollup(read_items(path), year=2026)
    from_maps = rollup([dict(zip(rows[0], r)) for r in rows[1:]], year=2026)
    assert from_file.rows == from_maps.rows and from_file.total == from_maps.total
    assert [(p.row - 1, p.kind) for p in from_file.report] == [(p.row, p.kind) for p in from_maps.report]


# -- the command ---------------------------------------------------------------------------------------

def _gb_file(tmp_path, rows: list[str], name: str = "items.csv"):
    path = tmp_path / name
    path.write_bytes(("功能科目,经济科目,金额\n" + "\n".join(rows) + "\n").encode("gb18030"))
    return str(path)


def test_command_prints_the_official_layout_of_a_gb18030_file(cli, tmp_path):
    path = _gb_file(tmp_path, ["2080101,30101,1000.00", "2080101,30201,234.56", "2080505,30108,65.44"])
    r = cli("rollup", path)
    assert r.status == 0 and r.err == ""
    lines = r.out.splitlines()
    assert lines[0] == "单位：元" and lines[1].split() == ["科目编码", "科目名称", "合计"]
    assert [ln.split() for ln in lines[3:]] == [
        ["合计", "1,300.00"], ["208", "社会保障和就业支出", "1,300.00"],
        ["20801", "人力资源和社会保障管理事务", "1,234.56"], ["2080101", "行政运行", "1,234.56"],
        ["20805", "行政事业单位养老支出", "65.44"], ["2080505", "机关事业单位基本养老保险缴费支出", "65.44"]]


def test_command_reports_a_bad_code_and_exits_1_with_totals_conserved(cli, tmp_path):
    path = _gb_file(tmp_path, ["2080101,30101,1000.00", "2080198,30101,5.50", "2080505,30108,65.44"])
    r = cli("rollup", path, "--format", "csv")
    assert r.status == 1
    assert list(csv.reader(io.StringIO(r.out)))[1] == ["", "合计", "", "1065.44"]
    assert "1 line item(s) not placed (unknown-code 1)" in r.err
    assert "row 3: 2080198 is not in the 2026 edition" in r.err and "金额 5.50" in r.err
    assert "input 金额 1,070.94 = placed 金额 1,065.44 + not placed 金额 5.50" in r.err


def test_command_report_file_and_strict(cli, tmp_path):
    path = _gb_file(tmp_path, ["2080101,30101,1.00", "abc,30101,2.00", "2080198,30101,3.00"])
    report = tmp_path / "report.csv"
    r = cli("rollup", path, "--report", str(report), "--unit", "万元")
    assert r.status == 1 and "all of them are in" in r.err and "row 2" not in r.err
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert [(x["行号"], x["问题"], x["金额"]) for x in rows] == [("3", "不是科目编码", "0.00"),
                                                                ("4", "本年度无此科目", "0.00")]
    r = cli("rollup", path, "--strict")  # bad input: exit status 2, one line, no traceback
    assert r.status == 2 and r.out == "" and r.err.startswith("govcodes: error: row 3: 'abc'")
    assert r.err.count("\n") == 1
    ok = _gb_file(tmp_path, ["2080101,30101,1.00"], "ok.csv")
    assert cli("rollup", ok, "--report", str(report)).status == 0
    assert report.read_text(encoding="utf-8-sig").splitlines() == ["行号,问题,说明,科目,金额"]


def test_command_formats_and_options(cli, tmp_path):
    path = _gb_file(tmp_path, ["2080101,30101,1000.00", "2101101,30201,20000.00"])
    data = json.loads(cli("rollup", path, "--format", "json", "--unit", "万元").out)
    assert data["total"] == {"合计": "2.10"} and data["unit"] == "万元"
    crossed = cli("rollup", path, "--by", "functional,economic", "--depth", "类")
    assert crossed.status == 0 and crossed.out.splitlines()[1].split() == [
        "科目编码", "科目名称", "合计", "工资福利支出", "商品和服务支出"]
    out = tmp_path / "out.csv"
    assert cli("rollup", path, "--format", "csv", "-o", str(out)).status == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel opens it as UTF-8
    none = cli("rollup", path, "--year", "none")
    assert none.status == 0 and "2080101" in none.out and "行政运行" not in none.out
    assert cli("rollup", path, "--format", "xlsx").status == 2
    assert cli("rollup", path, "--year", "nineteen").status == 2
    assert cli("rollup", path, "--by", "nonsense").status == 2
    missing = cli("rollup", str(tmp_path / "nope.csv"))
    assert missing.status == 2 and "no such file" in missing.err


def test_command_reads_standard_input(tmp_path):
    import subprocess
    import sys

    data = "科目编码,金额\n2080101,1.00\n2080505,2.00\n".encode("gb18030")
    done = subprocess.run([sys.executable, "-m", "govcodes", "rollup", "-", "--format", "csv", "--depth", "类"],
                          input=data, capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode().splitlines()[-1] == "208,社会保障和就业支出,类,3.00"


def test_command_xlsx_output(cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = _gb_file(tmp_path, ["2080101,30101,1.00"])
    out = tmp_path / "out.xlsx"
    assert cli("rollup", path, "--format", "xlsx", "-o", str(out)).status == 0
    assert list(openpyxl.load_workbook(out)["汇总"].iter_rows(values_only=True))[4][:2] == ("208", "社会保障和就业支出")


def test_progress_bar_text():
    from govcodes.cli import progress_bar as _rollup_progress

    err = io.StringIO()
    import contextlib

    with contextlib.redirect_stderr(err):
        _rollup_progress(2_000_000)(1_000_000, 2_000_000)
        _rollup_progress(None)(3_000_000, None)
    assert "[###############               ]  50.0%  1.0 of 2.0 MB" in err.getvalue()
    assert err.getvalue().endswith("reading 3.0 MB")


# -- spreadsheets of every kind ------------------------------------------------------------------

FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


@pytest.mark.parametrize("by", ["functional", "functional,economic-department"])
def test_xls_and_ods_give_the_totals_of_the_csv(by, tmp_path):
    """items.xls (Excel 97) and items.ods hold the cells of items.csv: codes as numbers, amounts as numbers;
    the HTML that budget systems save as .xls holds them as text."""
    pytest.importorskip("python_calamine")
    import html

    with open(FIXTURES / "items.csv", encoding="utf-8") as fh:
        cells = list(csv.reader(fh))
    page = tmp_path / "items-html.xls"
    page.write_text("<html><body><table>" + "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in cells)
        + "</table></body></html>", encoding="gb18030")
    paths = {"csv": FIXTURES / "items.csv", "xls": FIXTURES / "items.xls", "ods": FIXTURES / "items.ods",
             "html": page}
    made = {kind: rollup(read_items(path), year=2026, by=by) for kind, path in paths.items()}
    assert [read_items(paths[k]).format for k in ("xls", "ods", "html")] == ["xls", "ods", "html"]
    want = made["csv"]
    assert want.total[0] == D("17003612.97") and want.report.total == (D("77.70"),)
    for suffix in ("xls", "ods", "html"):
        got = made[suffix]
        assert [(r.code, r.name, r.direct, r.amounts) for r in got.rows] == \
            [(r.code, r.name, r.direct, r.amounts) for r in want.rows], suffix
        assert got.total == want.total and got.input_total == want.input_total
        assert [(p.row, p.kind) for p in got.report] == [(p.row, p.kind) for p in want.report] == [(16, "unknown-code")]


def test_rollup_command_reads_xls_and_ods(cli):
    pytest.importorskip("python_calamine")
    outputs = {s: cli("rollup", str(FIXTURES / f"items.{s}"), "--format", "csv") for s in ("csv", "xls", "ods")}
    assert {r.status for r in outputs.values()} == {1}  # one row is not placed
    assert outputs["xls"].out == outputs["ods"].out == outputs["csv"].out
    assert outputs["csv"].out.splitlines()[1] == ",合计,,17003612.97"


def test_xlsx_rollup_opens_in_the_official_layout_and_reads_back(cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("python_calamine")
    out = tmp_path / "汇总.xlsx"
    r = cli("rollup", str(FIXTURES / "items.csv"), "--format", "xlsx", "-o", str(out), "--unit", "万元")
    assert r.status == 1 and "2080198" in r.err
    # read back with govcodes' own reader: the title, the unit line, the header, numeric amounts
    from govcodes.readers.source import open_source

    top = list(zip(range(3), open_source(out).rows()))
    assert top[0][1][0] == "2026年支出功能分类汇总表" and top[1][1][-1] == "单位：万元"
    items = read_items(out)
    assert items.header == ("科目编码", "科目名称", "合计") and items.header_line == 3
    rows = list(items)
    assert rows[0] == {"科目编码": "", "科目名称": "合计", "合计": D("1700.36")}
    assert all(isinstance(row["合计"], (Decimal, int)) for row in rows)
    back = rollup([row for row in rows[1:] if len(row["科目编码"]) == 7], year=2026, depth="类")
    assert abs(back.total[0] - D("1700.36")) < D("0.5")  # the 项 rows, rounded to 0.01 万元 each
    unplaced = list(read_items(out, sheet="未汇总", header_row=3))
    assert unplaced == [{"行号": 16, "问题": "本年度无此科目", "说明": unplaced[0]["说明"], "科目": "2080198",
                         "金额": D("0.01")}]
    # the look: a bold frozen header, #,##0.00, 类 rows bold, 款 and 项 indented, wide name column
    sheet = openpyxl.load_workbook(out)["汇总"]
    assert sheet.freeze_panes == "A4" and all(c.font.b for c in sheet[3])
    assert sheet["A1"].font.b and "A1:C1" in {str(m) for m in sheet.merged_cells.ranges}
    assert sheet["C4"].data_type == "n" and sheet["C4"].number_format == "#,##0.00"
    levels = {row[0].value: (row[0].font.b, row[1].alignment.indent) for row in sheet.iter_rows(min_row=5)}
    assert levels["201"] == (True, 0) and levels["20106"] == (False, 1) and levels["2010699"] == (False, 2)
    assert sheet.column_dimensions["B"].width >= 30
    other = openpyxl.load_workbook(out)["未汇总"]
    assert other["E4"].data_type == "n" and other["B4"].value == "本年度无此科目"


# -- a code printed with another code's name ---------------------------------------------------------


def test_a_code_printed_with_another_codes_name_is_a_warning_and_counted_by_its_code():
    items = [{"功能科目": "[2080101]学前教育", "经济科目": "30101", "金额": "5.00", "基本支出": "5"},
             {"功能科目": "2080101 行政运行", "经济科目": "30101", "金额": "1.00", "基本支出": "1"},
             {"功能科目": "[2080101]学前教育", "经济科目": "[30201]基本工资", "金额": "2.50", "基本支出": "2"},
             {"功能科目": "20805 行政事业单位离退休", "经济科目": "30108", "金额": "3", "基本支出": "3"},  # its old name
             {"功能科目": "[2080101]行政 运行", "经济科目": "30101", "金额": "4", "基本支出": "4"}]  # formatting only
    r = rollup(items, year=2026, measures=["金额", "基本支出"])
    assert not r.report and r.get("2080101").amounts == (D("12.50"), D("12"))
    assert [(w.row, w.kind, w.cells, w.amounts) for w in r.report.warnings] == [
        (1, "name-mismatch", ("[2080101]学前教育",), (D("7.50"), D("7")))]
    assert "2080101 is 行政运行 in the 2026 edition, not 学前教育 (学前教育 is 2050201)" in r.report.warnings[0].message
    crossed = rollup(items, year=2026, by="functional,economic-department", measures="金额")
    assert [(w.row, w.cells[0], w.amounts) for w in crossed.report.warnings] == [
        (1, "[2080101]学前教育", (D("7.50"),)), (3, "[30201]基本工资", (D("2.50"),))]
    assert "30201 is 办公费" in crossed.report.warnings[1].message
    merged = r + rollup(items[:1], year=2026, measures=["金额", "基本支出"])
    assert len(merged.report.warnings) == 2 and not merged.report
    data = r.to_dict()["report"]["warnings"]
    assert data[0]["row"] == 1 and data[0]["金额"] == "7.50" and data[0]["cells"] == "[2080101]学前教育"
    assert rollup(items, year=None, measures="金额").report.warnings == ()  # no edition: names as printed


def test_name_warnings_from_a_big_file_read_in_two_processes(tmp_path):
    path = tmp_path / "big.csv"
    lines = ["2080101,1.25"] * 50_000 + ["[2080101]学前教育,2.00"] + ["2080505,2.50"] * 50_000 + \
        ["[2080505]学前教育,1.00", "[2080101]学前教育,3.00"]
    path.write_text("功能科目,金额\n" + "\n".join(lines) + "\n", encoding="utf-8")
    r = rollup(read_items(path), year=2026)
    assert [(w.row, w.cells[0], w.amounts) for w in r.report.warnings] == [
        (50_002, "[2080101]学前教育", (D("5.00"),)), (100_003, "[2080505]学前教育", (D("1.00"),))]


def test_rollup_command_warns_on_standard_error_and_exits_0(cli, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("科目编码,金额\n[2080101]学前教育,5\n2080101,1\n", encoding="utf-8")
    r = cli("rollup", str(path), "--format", "csv")
    assert r.status == 0 and "2080101,行政运行,项,6.00" in r.out
    assert r.err.splitlines() == [
        "govcodes: 1 code(s) printed with a name that is not theirs: the amounts are counted under the code:",
        "  row 2: '[2080101]学前教育' in column 科目编码: 2080101 is 行政运行 in the 2026 edition, not 学前教育 "
        "(学前教育 is 2050201); counted under 2080101, as the code says; 金额 5.00"]
    zh = cli("rollup", str(path), "--lang", "zh")
    assert "2080101 在2026年版中是 行政运行，不是 学前教育（2050201 是 学前教育）；按编码计入 2080101" in zh.err
    assert json.loads(cli("rollup", str(path), "--format", "json").out)["report"]["warnings"][0]["row"] == 2
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "out.xlsx"
    assert cli("rollup", str(path), "--format", "xlsx", "-o", str(out)).status == 0
    sheet = openpyxl.load_workbook(out)["名称不符"]
    assert [c.value for c in sheet[4]][:2] == [2, "名称与编码不符"] and sheet["E4"].data_type == "n"
