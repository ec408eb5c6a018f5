"""govcodes.read_tables / read_table: the seeds' real tables and synthetic layouts."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govcodes
from govcodes import GovcodesError, InputError
from govcodes.readers.tables import Table, TableRow, read_table, read_tables

from .conftest import SEEDS, pdf, pdf_pages, seed, seed_tables

D = Decimal


def seed_table(prefix: str, title: str) -> Table:
    found = [t for t in seed_tables(prefix) if title in t.title]
    assert len(found) == 1, [t.title for t in seed_tables(prefix)]
    return found[0]


def amounts(*values: str | None) -> tuple[Decimal | None, ...]:
    return tuple(None if v is None else D(v) for v in values)


def sums(rows: list[TableRow], width: int) -> tuple[Decimal, ...]:
    return tuple(sum((r.values[i] for r in rows), D(0)) for i in range(width))


# --------------------------------------------------------------------------- the public surface


def test_public_names() -> None:
    for name in ("read_tables", "read_table", "Table", "TableRow"):
        assert name in govcodes.__all__
        assert getattr(govcodes, name) is getattr(govcodes.readers.tables, name)


# --------------------------------------------------------------------------- the real PDFs, read directly

SHANGHAI = "2026年上海市审计局_部门预算.pdf"
SHENZHEN = "2026年深圳市财政局部门预算.pdf"
SUZHOU = "2026年苏州市审计局部门预算.pdf"
WUXI = "商务局_2026年部门预算.pdf"

#: Every table of each document: (title, first page, classification, rows read, rows with a code).
PDF_TABLES = {
    SHANGHAI: [
        ("五、单位预算表", 2, None, 3, 0),  # the table of contents: titles without rows
        ("8．2026年预算单位一般公共预算基本支出部门预算经济分类预算表", 2, None, 0, 0),
        ("2026年预算单位财务收支预算总表", 7, None, 5, 0),
        ("2026年预算单位收入预算总表", 8, "functional", 24, 23),  # 类/款/项 columns, pages 8-9
        ("2026年预算单位支出预算总表", 10, "functional", 24, 23),
        ("2026年预算单位财政拨款收支预算总表", 12, None, 5, 0),
        ("2026年预算单位一般公共预算支出功能分类预算表", 13, "functional", 24, 23),  # header repeated on page 14
        ("2026年预算单位一般公共预算基本支出部门预算经济分类预算表", 17, "economic-department", 33, 32),
        ("2026年单位“三公”经费和机关运行经费预算表", 19, None, 3, 0),
    ],  # 政府性基金 and 国有资本经营 tables (pages 15, 16) have no row but 合计 with no amount
    SHENZHEN: [
        ("（十一）国有资本经营预算支出表", 4, None, 8, 0),  # the last line of the contents, then 重点项目 text
        ("收支总表", 16, None, 32, 0),
        ("收入总表", 19, None, 1, 0),
        ("支出总表", 20, "functional", 30, 29),  # pages 20-23, title and header on each
        ("基本支出总表", 24, None, 38, 0),
        ("项目支出总表", 27, None, 9, 0),
        ("财政拨款收支总表", 28, None, 32, 0),
        ("一般公共预算支出表（按功能分类）", 31, "functional", 30, 29),  # 20805 on page 31, its 项 on 32
        ("一般公共预算支出表（按经济分类）", 34, "economic-department", 43, 42),
        ("财政拨款“三公”经费支出表", 38, None, 1, 0),
        ("", 38, None, 3, 0),
        ("政府性基金预算支出表", 39, None, 1, 0),
        ("国有资本经营预算支出表", 40, None, 1, 0),
    ],
    SUZHOU: [
        ("收支总表", 9, None, 5, 0),
        ("收入总表", 10, None, 3, 0),
        ("支出总表", 11, "functional", 15, 14),
        ("财政拨款收支总表", 12, None, 5, 0),
        ("财政拨款支出表（功能科目）", 14, "functional", 15, 14),
        ("财政拨款基本支出表（经济科目）", 15, "economic-department", 31, 30),
        ("一般公共预算支出表", 16, "functional", 15, 14),
        ("一般公共预算基本支出表", 17, "economic-department", 31, 30),
        ("一般公共预算“三公”经费、会议费、培训费支出表", 18, None, 2, 0),
        ("一般公共预算机关运行经费支出预算表", 21, "economic-department", 14, 13),
        ("政府采购支出表", 22, None, 9, 0),
    ],
    WUXI: [
        ("收支总表", 9, None, 7, 0),
        ("收入总表", 10, None, 4, 0),  # 317 无锡市商务局: a 部门代码, not a classification code
        ("支出总表", 11, "functional", 22, 21),  # its last three rows on page 12, without a header
        ("财政拨款收支总表", 13, None, 7, 0),
        ("财政拨款支出表（功能科目）", 15, "functional", 22, 21),
        ("财政拨款基本支出表（经济科目）", 17, "economic-department", 29, 28),
        ("一般公共预算支出表", 18, "functional", 22, 21),
        ("一般公共预算基本支出表", 20, "economic-department", 29, 28),
        ("一般公共预算“三公”经费、会议费、培训费支出表", 21, None, 2, 0),
        ("一般公共预算机关运行经费支出预算表", 24, "economic-department", 9, 8),
        ("政府采购支出表", 25, None, 15, 0),
    ],
}

def jiangsu(total: str, basic: str, staff: str, public: str, project: str) -> dict[str, tuple[str, dict[str, str]]]:
    """The totals of the four tables the Jiangsu template prints twice (财政拨款 and 一般公共预算)."""
    functional = {"合计": total, "基本支出/小计": basic, "基本支出/人员经费": staff, "基本支出/公用经费": public,
                  "项目支出": project}
    out: dict[str, tuple[str, dict[str, str]]] = {
        title: ("合计", dict(functional)) for title in ("财政拨款支出表（功能科目）", "一般公共预算支出表")}
    for title, head in (("财政拨款基本支出表（经济科目）", "本年财政拨款基本支出"),
                        ("一般公共预算基本支出表", "本年一般公共预算基本支出")):
        out[title] = ("合计", {f"{head}/合计": basic, f"{head}/人员经费": staff, f"{head}/公用经费": public})
    return out


#: The total row of each classification table: its label, then {column: amount} (blank columns left out).
PDF_TOTALS = {
    SHANGHAI: {
        "2026年预算单位收入预算总表": ("合计", {"收入预算/合计": "195774300", "收入预算/财政拨款收入": "195774300"}),
        "2026年预算单位支出预算总表": ("合计", {"支出预算/合计": "195774300", "支出预算/基本支出": "175071300",
                                                "支出预算/项目支出": "20703000"}),
        "2026年预算单位一般公共预算支出功能分类预算表": (
            "合计", {"一般公共预算支出/合计": "195774300", "一般公共预算支出/基本支出": "175071300",
                     "一般公共预算支出/项目支出": "20703000"}),
        "2026年预算单位一般公共预算基本支出部门预算经济分类预算表": (
            "合计", {"一般公共预算基本支出/合计": "175071300", "一般公共预算基本支出/人员经费": "153268740",
                     "一般公共预算基本支出/公用经费": "21802560"}),
    },
    SHENZHEN: {  # no 合计 row: the one row of the 预算单位 column is the table's total
        "支出总表": ("深圳市财政局（本级）", {
            "支出总计": "37385.88", "基本支出": "11024.31", "项目支出": "26361.57", "事业单位经营支出": "0.00",
            "对附属单位补助支出": "0.00", "上缴上级支出": "0.00", "2026年政府采购项目/小计": "3790.75",
            "2026年政府采购项目/其中：2026年政府采购项目中预留给中小企业的项目资金规模": "537.85",
            "2026年政府采购项目/其中：2026年政府采购项目中预留给小型、微型企业的项目资金规模": "0.00"}),
        "一般公共预算支出表（按功能分类）": ("深圳市财政局（本级）", {
            "支出总计": "37385.88", "基本支出": "11024.31", "项目支出": "26361.57"}),
        "一般公共预算支出表（按经济分类）": ("深圳市财政局（本级）", {
            "支出总计": "37385.88", "基本支出": "11024.31", "项目支出": "26361.57"}),
    },
    SUZHOU: {
        "支出总表": ("合计", {"合计": "4651.67", "基本支出": "4312.17", "项目支出": "339.50"}),
        **jiangsu("4651.67", "4312.17", "3916.57", "395.60", "339.50"),
        "一般公共预算机关运行经费支出预算表": ("合计", {"机关运行经费支出": "395.60"}),
    },
    WUXI: {
        "支出总表": ("合计", {"合计": "17466.65", "基本支出": "4670.40", "项目支出": "12796.25"}),
        **jiangsu("17466.65", "4670.40", "4427.64", "242.76", "12796.25"),
        "一般公共预算机关运行经费支出预算表": ("合计", {"机关运行经费支出": "175.58"}),
    },
}

_pdf_tables: dict[str, list[Table]] = {}


def pdf_tables(name: str) -> list[Table]:
    if name not in _pdf_tables:
        _pdf_tables[name] = read_tables(pdf_pages(name))
    return _pdf_tables[name]


@pytest.mark.parametrize("name", sorted(PDF_TABLES))
def test_pdf_tables(name: str) -> None:
    tables = pdf_tables(name)
    assert [(t.title, t.page, t.classification, len(t.rows), len(t.coded_rows)) for t in tables] == PDF_TABLES[name]
    unit = "元" if name == SHANGHAI else "万元"
    assert all(t.unit == unit for t in tables if t.classification)


@pytest.mark.parametrize("name", sorted(PDF_TOTALS))
def test_pdf_totals(name: str) -> None:
    for table in pdf_tables(name):
        if not table.classification:
            continue
        label, values = PDF_TOTALS[name][table.title]
        assert table.total is not None and table.total.name == label, table.title
        printed = {c: str(a) for c, a in zip(table.columns, table.total.amounts) if a is not None}
        assert printed == values, table.title
        # the total is the sum of the 类 rows, in every column
        lei = [r for r in table.rows if r.level == "类"]
        assert sums(lei, len(table.columns)) == table.total.values, table.title


def test_pdf_read_directly_equals_its_pages() -> None:
    path = pdf(SUZHOU)
    direct = read_tables(path)
    assert [(t.title, t.rows) for t in direct] == [(t.title, t.rows) for t in pdf_tables(SUZHOU)]
    assert direct[0].source == str(path)
    assert read_table(path, title="财政拨款支出表").get("2210202").name == "提租补贴"


def test_pdf_table_across_pages() -> None:
    table = next(t for t in pdf_tables(SHENZHEN) if t.title == "一般公共预算支出表（按功能分类）")
    parent, first = table.get("20805"), table.get("2080505")
    assert (parent.page, first.page) == (31, 32)  # after the page break, title and header printed again
    kuan = [r for r in table.rows if r.code and r.code.startswith("20805") and r.level == "项"]
    assert sums(kuan, 3) == parent.values
    shanghai = next(t for t in pdf_tables(SHANGHAI) if t.title.endswith("支出功能分类预算表"))
    assert shanghai.get("210").page == 14 and shanghai.get("2080801").name == "死亡抚恤"  # no header in the name


def test_pdf_split_codes_and_multi_row_headers() -> None:
    table = next(t for t in pdf_tables(SHANGHAI) if t.title == "2026年预算单位收入预算总表")
    row = table.get("2010804")
    assert (row.printed_code, row.name, row.amounts[:2]) == ("201 08 04", "审计业务", amounts("16527000", "16527000"))
    assert table.column("事业单位经营收入") == 3  # one label printed on two lines, not 经营收入 alone
    assert table.column("合计") == 0


def test_pdf_unit_codes_are_not_classification_codes() -> None:
    income = next(t for t in pdf_tables(WUXI) if t.title == "收入总表")
    assert income.classification is None
    assert [(r.code, r.printed_code, r.name) for r in income.rows][1:3] == [
        (None, "317", "无锡市商务局"), (None, "317001", "无锡市商务局（本级）")]


#: The classification tables of each seed (text): title, rows read, rows with a code, and the total row's
#: label, first column and amount there (None: the side-by-side table totals each group apart).
SEED_TABLES = {
    "000": [("2020年部门支出总表", 18, 15, ("合计", "总计", "2934.45")),
            ("2020年一般公共预算支出总表", 18, 15, ("合计", "总计", "2934.45")),
            ("2020年一般公共预算支出表（功能分类项级）", 26, 25, ("合计", "合计", "2934.45")),
            ("2020年一般公共预算基本支出表（经济分类款级）", 30, 29, ("合计", "总计", "2237.90"))],
    "001": [("2024 年支出预算总表", 26, 25, ("合计", "合计", "6689.82")),
            ("2024 年一般公共预算支出表(分功能科目)", 26, 25, ("合计", "合计", "6689.82")),
            ("2024 年一般公共预算基本支出表", 27, 26, ("合计", "本年一般公共预算基本支出/合计", "1414.26"))],
    "002": [("2022年度收入决算表（表2）", 32, 31, ("合 计", "本年收入合计", "12341.99")),
            ("2022年度支出决算表（表3）", 32, 31, ("合 计", "本年支出合计", "12341.99")),
            ("2022年度一般公共预算财政拨款支出决算表（表5）", 35, 34, ("合 计", "本年支出/小计", "12341.99")),
            ("2022年度一般公共预算财政拨款基本支出决算明细表（表6）", 66, 64, None)],
    "003": [],
    "004": [],
}


@pytest.mark.parametrize("prefix", sorted(SEED_TABLES))
def test_seed_classification_tables_and_totals(prefix: str) -> None:
    found = []
    for t in seed_tables(prefix):
        if t.classification:
            total = (t.total.name, t.columns[0], str(t.total.amounts[0])) if t.total else None
            found.append((t.title, len(t.rows), len(t.coded_rows), total))
    assert found == SEED_TABLES[prefix]


# --------------------------------------------------------------------------- seed 000: 东西湖 2020 budget


def test_000_functional_table() -> None:
    table = seed_table("000", "功能分类项级")
    assert table.title == "2020年一般公共预算支出表（功能分类项级）"
    assert (table.year, table.unit, table.classification) == (2020, "万元", "functional")
    assert table.columns == ("合计", "工资福利支出", "商品和服务支出", "对个人和家庭补助支出")
    assert table.line == 404
    total = table.total
    assert total is not None and total.is_total and total.code is None and total.line == 411
    assert total.amounts == amounts("2934.45", "1993.42", "887.85", "53.18")
    row = table.get("2080101")
    assert row is not None
    assert (row.name, row.level, row.line) == ("行政运行", "项", 417)
    assert row.amounts == amounts("2057.84", "1791.60", "224.85", "41.39")
    # a blank cell is None, not 0
    assert table.get("2080103").amounts == amounts("47.00", None, "47.00", None)
    assert [r.code for r in table.coded_rows][:6] == ["203", "20306", "2030606", "208", "20801", "2080101"]
    assert len(table.coded_rows) == 25
    # the 项 rows add up to the 合计 row, column by column
    xiang = [r for r in table.rows if r.level == "项"]
    assert sums(xiang, 4) == total.amounts
    assert table.problems == ()


def test_000_economic_table() -> None:
    table = seed_table("000", "经济分类款级")
    assert table.classification == "economic-department"
    assert table.columns == ("总计",)
    assert table.total.amounts == amounts("2237.90")
    assert table.get("301").amounts == amounts("1993.42")
    assert table.get("30199").amounts == amounts("1155.47")
    kuan = [r for r in table.rows if r.level == "款"]
    assert sums(kuan, 1) == (D("2237.90"),)


def test_000_unit_tables_keep_unit_codes_apart() -> None:
    table = seed_table("000", "2020年部门支出总表")
    assert table.classification == "functional"
    units = [r for r in table.rows if r.printed_code in ("33", "33001")]
    assert [(r.code, r.name) for r in units] == [
        (None, "武汉市东西湖区人力资源和社会保障局"), (None, "武汉市东西湖区人力资源和社会保障局机关")]
    assert {r.level for r in table.coded_rows} == {"项"}
    assert table.columns[-1] == "项目支出/公共项目（专项资金）/经常性项目"
    assert table.columns[:3] == ("总计", "基本支出/小计", "基本支出/工资福利支出")
    assert table.get("2080109").amounts == amounts("450.00", None, None, None, None, "150.00", "150.00",
                                                   "300.00", "300.00")
    income = seed_table("000", "2020年部门收入总表")
    assert income.classification is None  # 33 and 33001 are unit codes
    assert all(r.code is None for r in income.rows)


def test_000_read_table_by_title() -> None:
    path = seed("000")
    assert read_table(path, title="一般公共预算支出表（功能分类项级）").get("2210202").name == "提租补贴"
    assert read_table(str(path), title="2020年一般公共预算基本支出表（经济分类款级）").columns == ("总计",)
    with pytest.raises(InputError, match="tables titled '支出总表'"):
        read_table(path, title="支出总表")
    with pytest.raises(InputError, match="no table titled"):
        read_table(path, title="不存在的表")
    with pytest.raises(InputError, match="say which with title"):
        read_table(path)


# --------------------------------------------------------------------------- seed 001: 江汉 2024 budget


def test_001_names_wrapped_in_cells() -> None:
    table = seed_table("001", "2024 年支出预算总表")
    assert table.classification == "functional"
    row = table.get("20801")
    assert row.name == "人力资源和社会保 障管理事务"  # as printed
    assert row.normalized_name == "人力资源和社会保障管理事务"
    assert table.get("2080505").normalized_name == "机关事业单位基本养老保险缴费支出"
    assert table.get("2080110").name == "劳动关系的维权"  # the document's own wording is kept
    assert table.columns[:3] == ("合计", "基本支出", "项目支出")
    assert table.columns[3] == "事业 单位 经营 支出"
    assert table.column("事业单位经营支出") == 3
    assert table.total.amounts == amounts("6689.82", "1414.26", "5275.56", None, None, None)


def test_001_functional_table_with_two_header_rows() -> None:
    table = seed_table("001", "分功能科目")
    assert table.columns == ("合计", "基本支出/小计", "基本支出/人员经费", "基本支出/公用经费", "项目支出")
    assert table.column("人员经费") == 2 and table.column("基本支出/公用经费") == 3
    assert table.get("2080101").amounts == amounts("926.08", "926.08", "756.91", "169.17", None)
    assert table.get("2080110").name == "劳动关系和维权"
    xiang = [r for r in table.rows if r.level == "项"]
    assert sums(xiang, 5) == table.total.values
    assert table.problems == ()


def test_001_economic_and_unit_tables() -> None:
    basic = seed_table("001", "2024 年一般公共预算基本支出表")
    assert basic.classification == "economic-department"
    assert basic.columns == ("本年一般公共预算基本支出/合计", "本年一般公共预算基本支出/人员经费",
                             "本年一般公共预算基本支出/公用经费")
    assert basic.get("30209").amounts == amounts("51.06", None, "51.06")
    by_unit = seed_table("001", "分单位")
    assert by_unit.classification is None
    assert [r.printed_code for r in by_unit.rows if r.printed_code] == ["201", "201001"]
    projects = seed_table("001", "项目支出预算表")
    assert projects.classification is None
    assert all(r.code is None for r in projects.rows)
    assert "42010322201 T000000109" in [r.printed_code for r in projects.rows]
    purchases = seed_table("001", "政府采购预算表")
    assert purchases.classification is None  # [2080101] cells there are not in the first column


# --------------------------------------------------------------------------- seed 002: 东西湖 2022 final accounts


def test_002_header_out_of_step_with_data() -> None:
    table = seed_table("002", "收入决算表")
    assert table.columns == ("本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入",
                             "附属单位上缴收入", "其他收入")
    assert table.total.name == "合 计"
    assert table.total.amounts == amounts("12341.99", "12341.99", None, None, None, None, None)
    assert table.get("2210202").name == "房租补贴"
    assert table.get("2050399").amounts[:2] == amounts("395.00", "395.00")


def test_002_code_columns_and_column_numbers() -> None:
    table = seed_table("002", "支出决算表（表3）")
    assert table.columns == ("本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出")
    assert table.get("2080101").amounts == amounts("1673.43", "1119.43", "554.00", None, None, None)
    assert table.total.amounts[:3] == amounts("12341.99", "1568.60", "10773.39")
    table5 = seed_table("002", "表5")
    assert table5.columns == ("本年支出/小计", "本年支出/基本支出", "本年支出/项目支出")
    assert table5.get("203").amounts == (None, None, None)
    assert table5.get("2030699").name == "其他国防动员支出"
    lei = [r for r in table5.rows if r.level == "类"]
    assert sums(lei, 3) == table5.total.amounts


def test_002_side_by_side() -> None:
    table = seed_table("002", "基本支出决算明细表")
    assert table.classification == "economic-department"
    assert table.columns == ("决算数",)
    assert table.groups == ("人员经费", "公用经费", "公用经费")
    lei = [(r.code, r.name, r.amounts, r.group) for r in table.rows if r.level == "类"]
    assert lei == [
        ("301", "工资福利支出", amounts("1276.69"), 0),
        ("303", "对个人和家庭的补助", amounts("92.98"), 0),
        ("302", "商品和服务支出", amounts("196.16"), 1),
        ("310", "资本性支出", amounts("2.78"), 2),
    ]
    assert table.get("30101").amounts == amounts("269.69")
    assert table.get("31002").amounts == amounts("2.78") and table.get("31002").group == 2
    assert table.get("30299").amounts == amounts("1.01") and table.get("30299").group == 1
    assert table.get("30106").amounts == (None,)
    assert table.get("301").line == table.get("302").line == table.get("310").line == 296
    totals = [(r.name, r.amounts, r.group) for r in table.rows if r.is_total]
    assert totals == [("人员经费合计", amounts("1369.67"), 0), ("公用经费合计", amounts("198.94"), 1)]
    # each group's 款 rows add up to its 类 rows
    for lei_code in ("301", "302", "303", "310"):
        kuan = [r for r in table.rows if r.code and len(r.code) == 5 and r.code.startswith(lei_code)]
        assert sums(kuan, 1) == table.get(lei_code).values, lei_code


def test_003_004_have_no_classification_tables() -> None:
    assert [t for t in read_tables(seed("003")) if t.classification] == []
    tables = read_tables(seed("004"))
    assert len(tables) == 9 and all(t.classification is None for t in tables)
    assert tables[0].title == "1、劳动监察业务费绩效目标表" and tables[0].unit == "万元"


def test_every_seed_reads() -> None:
    for prefix in ("000", "001", "002", "003", "004"):
        for table in seed_tables(prefix):
            for row in table.rows:
                assert len(row.amounts) == len(table.columns)
            if table.classification:
                assert table.problems == (), (table.title, table.problems)


# --------------------------------------------------------------------------- synthetic layouts


SPLIT = """2023年一般公共预算支出决算表
单位：元
科目编码\t\t\t科目名称\t合计\t基本支出\t项目支出
类\t款\t项\t栏次\t1\t2\t3
\t\t\t合计\t1,500\t1,000\t500
208\t\t\t社会保障和就业支出\t1,500\t1,000\t500
\t05\t\t行政事业单位养老支出\t1,000\t1,000\t
\t\t01\t行政单位离退休\t600\t600\t
\t\t05\t机关事业单位基本养老保险缴费支出\t400\t400\t
208\t07\t99\t其他就业补助支出\t500\t\t500
"""


def test_codes_split_over_columns_and_children_under_parents() -> None:
    table = read_table(SPLIT)
    assert table.unit == "元" and table.year == 2023
    assert table.columns == ("合计", "基本支出", "项目支出")
    got = [(r.code, r.printed_code, r.name) for r in table.coded_rows]
    assert got == [
        ("208", "208", "社会保障和就业支出"),
        ("20805", "05", "行政事业单位养老支出"),
        ("2080501", "01", "行政单位离退休"),
        ("2080505", "05", "机关事业单位基本养老保险缴费支出"),
        ("2080799", "208 07 99", "其他就业补助支出"),
    ]
    assert table.get("2080799").amounts == amounts("500", None, "500")


def test_space_separated_text_with_children_and_wrapped_names() -> None:
    text = """2021年一般公共预算支出表（功能分类项级）
单位：万元
科目编码 科目名称 合计 基本支出 项目支出
合计 15.00 10.00 5.00
208 社会保障和就业支出 15.00 10.00 5.00
01 人力资源和社会保 障管理事务 15.00 10.00 5.00
01 行政运行 10.00 10.00 —
99 其他人力资源和社会保障管理事务支出 5.00 5.00
208 05 01 行政单位离退休 0.00 0.00 0.00
"""
    table = read_table(text)
    assert table.columns == ("合计", "基本支出", "项目支出")
    assert table.total.amounts == amounts("15.00", "10.00", "5.00")
    assert [r.code for r in table.coded_rows] == ["208", "20801", "2080101", "2080199", "2080501"]
    assert table.get("20801").name == "人力资源和社会保 障管理事务"
    assert table.get("2080101").amounts == amounts("10.00", "10.00", None) and table.get("2080101").aligned
    unsure = table.get("2080199")  # a blank cell is invisible in single-spaced text
    assert not unsure.aligned and unsure.amounts == amounts("5.00", "5.00", None)
    assert table.get("2080501").amounts == amounts("0.00", "0.00", "0.00")


def test_space_separated_side_by_side() -> None:
    text = """2022年度一般公共预算财政拨款基本支出决算明细表
单位：万元
经济分类科目 科目名称 决算数 经济分类科目 科目名称 决算数 经济分类科目 科目名称 决算数
301 工资福利支出 1,276.69 302 商品和服务支出 196.16 310 资本性支出 2.78
30101 基本工资 269.69 30201 办公费 16.54 31002 办公设备购置 2.78
30103 奖金 456.51 30203 咨询费 31007 信息网络及软件购置更新
303 对个人和家庭的补助 92.98 30215 会议费
30299 其他商品和服务支出 1.01
人员经费合计 1,369.67 公用经费合计 198.94
"""
    table = read_table(text)
    assert table.classification == "economic-department"
    got = [(r.code, r.amounts, r.group) for r in table.rows if r.code]
    assert got == [
        ("301", amounts("1276.69"), 0), ("30101", amounts("269.69"), 0), ("30103", amounts("456.51"), 0),
        ("303", amounts("92.98"), 0),
        ("302", amounts("196.16"), 1), ("30201", amounts("16.54"), 1), ("30203", (None,), 1),
        ("30215", (None,), 1), ("30299", amounts("1.01"), 1),
        ("310", amounts("2.78"), 2), ("31002", amounts("2.78"), 2), ("31007", (None,), 2),
    ]
    assert all(r.aligned for r in table.rows)
    assert [(r.name, r.amounts, r.group) for r in table.rows if r.is_total] == [
        ("人员经费合计", amounts("1369.67"), 0), ("公用经费合计", amounts("198.94"), 1)]


def test_tabbed_side_by_side_without_header() -> None:
    rows = [
        ["301", "工资福利支出", "10.00", "302", "商品和服务支出", "5.00"],
        ["30101", "基本工资", "10.00", "30201", "办公费", ""],
        ["", "", "", "30299", "其他商品和服务支出", "5.00"],
    ]
    table = read_table(rows)
    assert [(r.code, r.amounts, r.group) for r in table.rows] == [
        ("301", amounts("10.00"), 0), ("30101", amounts("10.00"), 0),
        ("302", amounts("5.00"), 1), ("30201", (None,), 1), ("30299", amounts("5.00"), 1)]


def test_bracketed_and_dashed_cells_in_a_markdown_table() -> None:
    text = """支出表
| 科目编码 | 科目名称 | 合计 |
|---|---|---|
| [2080101]行政运行 | | 1.00 |
| 2080102-一般行政管理事务 | | 2.00 |
| 【2080103】 | 机关服务 | 0.00 |
| 2080104 | 人力资源和社会保险行政事务 | |
"""
    table = read_table(text)
    assert [(r.code, r.printed_code, r.name, r.amounts) for r in table.rows] == [
        ("2080101", "[2080101]", "行政运行", amounts("1.00")),
        ("2080102", "2080102", "一般行政管理事务", amounts("2.00")),
        ("2080103", "【2080103】", "机关服务", amounts("0.00")),
        ("2080104", "2080104", "人力资源和社会保险行政事务", (None,)),
    ]
    assert table.get("2080103").amounts != table.get("2080104").amounts  # 0.00 is not blank
    assert table.get("2080104").values == (D(0),)


def test_names_wrapped_onto_the_next_line() -> None:
    text = (
        "2024年支出表\n科目编码\t科目名称\t合计\n"
        "2080199\t其他人力资源和社会保\t582.30\n"
        "\t障管理事务支出\t\n"
        "2080505\t机关事业单位基本\t\n"
        "\t养老保险缴费支出\t92.33\n"
        "2080599\t其他行政事业单位养老支出\t3.90\n"
        "— 25 —\n"
    )
    table = read_table(text)
    assert [(r.code, r.name, r.amounts, r.line) for r in table.rows] == [
        ("2080199", "其他人力资源和社会保 障管理事务支出", amounts("582.30"), 3),
        ("2080505", "机关事业单位基本 养老保险缴费支出", amounts("92.33"), 5),
        ("2080599", "其他行政事业单位养老支出", amounts("3.90"), 7),
    ]
    assert table.get("2080199").normalized_name == "其他人力资源和社会保障管理事务支出"


def test_page_break_repeats_the_header() -> None:
    text = (
        "2024年一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\n类\t栏次\t1\n"
        "208\t社会保障和就业支出\t3.00\n2080101\t行政运行\t1.00\n"
        "科目编码\t科目名称\t合计\n类\t栏次\t1\n"
        "2080102\t一般行政管理事务\t2.00\n"
        "2024年一般公共预算支出表（续）\n2080103\t机关服务\t0.50\n"
    )
    tables = read_tables(text)
    assert len(tables) == 1
    assert [(r.code, r.amounts) for r in tables[0].rows] == [
        ("208", amounts("3.00")), ("2080101", amounts("1.00")), ("2080102", amounts("2.00")),
        ("2080103", amounts("0.50"))]


def test_header_row_starts_a_table_and_a_repeated_header_continues_it() -> None:
    text = (
        "2026年一般公共预算支出功能分类预算表\n单位：元\n"
        "项目 一般公共预算支出\n功能分类科目编码\n功能分类科目名称 合计 基本支出 项目支出\n类 款 项\n"
        "208 社会保障和就业支出 801,000 801,000\n208 08 抚恤 801,000 801,000\n"
        "208 08 01 死亡抚恤 801,000 801,000\n"
        "- 28 -\n"
        "项目 一般公共预算支出\n功能分类科目编码\n功能分类科目名称 合计 基本支出 项目支出\n类 款 项\n"
        "210 卫生健康支出 42,000 42,000\n210 99 其他卫生健康支出 42,000 42,000\n"
        "210 99 99 其他卫生健康支出 42,000 42,000\n合计 843,000 801,000 42,000\n"
        "经济分类科目编码 部门经济分类科目名称 合计 人员经费 公用经费\n"
        "301 工资福利支出 5.00 5.00\n30101 基本工资 5.00 5.00\n"
    )
    tables = read_tables(text)
    assert [(t.title, t.classification, len(t.rows)) for t in tables] == [
        ("2026年一般公共预算支出功能分类预算表", "functional", 7), ("", "economic-department", 2)]
    first = tables[0]
    assert first.get("2080801").name == "死亡抚恤"  # the header of the next page is not glued to the name
    assert first.total.amounts[:2] == amounts("843000", "801000")
    assert [r.line for r in first.rows if r.code == "210"] == [15]  # "- 28 -" is not a row


def test_a_table_continued_under_another_header_is_noted() -> None:
    text = (
        "2024年支出表\n科目编码\t科目名称\t合计\n208\t社会保障和就业支出\t3.00\n"
        "2024年支出表\n科目编码\t科目名称\t金额\n2080101\t行政运行\t3.00\n"
    )
    (table,) = read_tables(text)
    assert [r.code for r in table.rows] == ["208", "2080101"]
    assert table.notes == ("line 4: the table goes on under another header",)


def test_row_number_and_unit_name_columns() -> None:
    text = (
        "2024年支出表\n序号\t预算单位\t科目编码\t科目名称\t合计\n"
        "1\t某局\t\t\t3.00\n2\t\t208\t社会保障和就业支出\t3.00\n3\t\t20805\t行政事业单位养老支出\t3.00\n"
    )
    table = read_table(text)
    assert [(r.code, r.name, r.is_total) for r in table.rows] == [
        (None, "某局", True), ("208", "社会保障和就业支出", False), ("20805", "行政事业单位养老支出", False)]
    assert table.total.name == "某局" and table.problems == ()


def test_several_tables_in_one_text() -> None:
    text = (
        "目 录\n- 一、2024年一般公共预算支出表\n- 二、2024年一般公共预算基本支出表\n\n"
        "预算 05 表\n2024年一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\n"
        "\t合计\t1.00\n208\t社会保障和就业支出\t1.00\n注：本表反映一般公共预算支出。\n"
        "2020 年项目支出安排见下表：\n"
        "2024年一般公共预算基本支出表\n单位：元\n科目编码\t科目名称\t合计\n301\t工资福利支出\t3\n"
    )
    tables = read_tables(text)
    assert [(t.title, t.unit, t.classification, t.line) for t in tables] == [
        ("2024年一般公共预算支出表", "万元", "functional", 6),
        ("2024年一般公共预算基本支出表", "元", "economic-department", 13),
    ]
    assert read_table(text, title="基本支出表").get("301").amounts == (D(3),)
    with pytest.raises(InputError, match="2 tables found"):
        read_table(text)


def test_unit_table_is_not_a_classification_table() -> None:
    text = (
        "2024 年一般公共预算支出表(分单位)\n单位编码\t单位名称\t合计\n\t合计\t10.00\n"
        "201\t武汉市江汉区 人力资源局\t10.00\n201001\t武汉市江汉区 人力资源局本级\t10.00\n"
    )
    table = read_table(text)
    assert table.classification is None
    assert [(r.code, r.printed_code) for r in table.rows] == [(None, ""), (None, "201"), (None, "201001")]


def test_cells_that_are_not_amounts_are_reported() -> None:
    text = "支出表\n科目编码\t科目名称\t合计\t项目支出\n208\t社会保障和就业支出\t12元整\t(3.00)\n"
    table = read_table(text)
    assert table.get("208").amounts == (None, D("-3.00"))
    assert table.problems == ("line 3: column 合计: '12元整' is not an amount",)


def test_column_lookup() -> None:
    table = seed_table("000", "2020年一般公共预算支出总表") if SEEDS.is_dir() else None
    if table is None:
        pytest.skip("seeds absent")
    assert table.column("项目支出/部门项目") == 6
    assert table.column(" 部门项目 ") == 6
    with pytest.raises(InputError, match="several columns labelled '小计'"):
        table.column("小计")
    with pytest.raises(InputError, match="no columns labelled '人员经费'"):
        table.column("人员经费")


def test_code_printed_in_the_name_column_under_its_parent() -> None:
    text = (
        "支出表\n科目编码\t科目名称\t合计\t项目支出\n"
        "208\t社会保障和就业支出\t3.00\t3.00\n"
        "\t01\t人力资源和社会保障管理事务\t3.00\t3.00\n"
        "2080101\t行政运行\t3.00\t\n"
    )
    table = read_table(text)
    assert table.columns == ("合计", "项目支出")
    assert [(r.code, r.name, r.amounts) for r in table.rows] == [
        ("208", "社会保障和就业支出", amounts("3.00", "3.00")),
        ("20801", "人力资源和社会保障管理事务", amounts("3.00", "3.00")),
        ("2080101", "行政运行", amounts("3.00", None)),
    ]


def test_code_name_separators_in_spaced_text() -> None:
    table = read_table("支出表\n2080101 - 行政运行 1.00 — 2.00\n2080102 一般行政管理事务 3.00 0 -\n")
    assert [(r.code, r.name, r.amounts) for r in table.rows] == [
        ("2080101", "行政运行", amounts("1.00", None, "2.00")),
        ("2080102", "一般行政管理事务", amounts("3.00", "0", None)),
    ]


@pytest.mark.parametrize("year, codes, expected", [
    (2017, ["301", "30101"], "economic"),
    (2020, ["301", "30101"], "economic-department"),
    (2020, ["501", "50101"], "economic-government"),
    (2020, ["101", "10101"], "revenue"),
    (None, ["301", "30101"], "economic-department"),
])
def test_classification_of_a_table(year: int | None, codes: list[str], expected: str) -> None:
    title = f"{year}年支出表" if year else "支出表"
    rows = "".join(f"{c}\t名称\t1.00\n" for c in codes)
    assert read_table(f"{title}\n科目编码\t科目名称\t合计\n{rows}").classification == expected


def test_amount_outside_the_columns_and_unknown_codes() -> None:
    rows = "208\t社会保障和就业支出\t1.00\n2080101\t行政运行\t1.00\t\t9.99\n"
    table = read_table("支出表\n科目编码\t科目名称\t合计\n栏次\t\t1\n" + rows)
    assert table.problems == ("line 5: amount '9.99' outside the table's columns",)
    assert table.get("2080101").amounts == amounts("1.00")
    # without the column numbers, a column of amounts without a label is a column
    table = read_table("支出表\n科目编码\t科目名称\t合计\n" + rows)
    assert table.columns == ("合计", "") and table.get("2080101").amounts == amounts("1.00", "9.99")
    assert table.get("abc") is None and table.get("2089999") is None
    orphan = read_table("支出表\n科目编码\t科目名称\t合计\n\t01\t行政运行\t1.00\n208\t社会保障和就业支出\t1.00\n")
    assert orphan.rows[0].code is None and orphan.rows[0].printed_code == "01"
    assert orphan.problems == ("line 3: code part '01' has no parent above it",)


def test_text_files(tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(SPLIT, encoding="gb18030")
    table = read_table(path)
    assert table.source == str(path) and table.get("2080501").line == 8
    markdown = tmp_path / "doc.md"
    markdown.write_text("支出表\n| 科目编码 | 科目名称 | 合计 |\n|--|--|--|\n| 208 | 社会保障和就业支出 | 1 |\n")
    assert read_table(str(markdown)).get("208").amounts == (D(1),)


def _xls(tmp_path: Path) -> Path:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    return path


def test_xlsx_without_openpyxl(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    path = tmp_path / "book.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="reading .xlsx needs python-calamine"):
        read_tables(path)
    with pytest.raises(InputError, match=r"reading .xls needs python-calamine.*pip install 'govcodes\[xlsx\]'"):
        read_tables(_xls(tmp_path))


# --------------------------------------------------------------------------- files and encodings


CSV_TEXT = (
    "2024年一般公共预算支出表\n单位：万元\n科目编码,科目名称,合计,基本支出\n"
    ',合计,"1,000.50",\n208,社会保障和就业支出,"1,000.50",\n2080101,行政运行,1000.50,0.00\n'
)


@pytest.mark.parametrize("name, data", [
    ("bom.csv", b"\xef\xbb\xbf" + CSV_TEXT.encode("utf-8")),
    ("plain.csv", CSV_TEXT.encode("utf-8")),
    ("gbk.csv", CSV_TEXT.encode("gb18030")),
    ("wide.tsv", CSV_TEXT.replace(",", "\t").replace('"1\t000.50"', "1,000.50").encode("utf-16")),
])
def test_csv_encodings(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    table = read_table(path)
    assert table.title == "2024年一般公共预算支出表" and table.unit == "万元"
    assert table.columns == ("合计", "基本支出")
    assert table.total.amounts == (D("1000.50"), None)
    assert table.get(2080101).amounts == (D("1000.50"), D("0.00"))
    assert table.source == str(path)


def test_csv_without_title_and_explicit_encoding(tmp_path: Path) -> None:
    out = io.StringIO()
    csv.writer(out).writerows([["科目编码", "科目名称", "合计"], ["208", "社会保障和就业支出", "7"]])
    path = tmp_path / "功能分类.csv"
    path.write_bytes(out.getvalue().encode("gb18030"))
    table = read_table(path, encoding="gb18030")
    assert table.title == "功能分类" and table.get("208").amounts == (D(7),)
    with pytest.raises(InputError, match="is not utf-8 text"):
        read_table(path, encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding"):
        read_table(path, encoding="no-such-codec")


def test_bytes_and_rows(tmp_path: Path) -> None:
    assert read_table(SPLIT.encode("gb18030")).get("2080505").amounts == amounts("400", "400", None)
    table = read_table([["科目编码", "科目名称", "合计"], [2080101.0, "行政运行", D("2.50")], [208, "x", 3]])
    assert [(r.code, r.amounts) for r in table.rows] == [("2080101", (D("2.50"),)), ("208", (D(3),))]


def test_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "功能分类"
    sheet.append(["2024年一般公共预算支出表"])
    sheet.append(["单位：万元"])
    sheet.append(["科目编码", "科目名称", "合计", "基本支出"])
    sheet.append([None, "合计", 2057.84, 1000])
    sheet.append([2080101.0, "行政运行", 2057.84, 1000])
    other = book.create_sheet("经济")
    other.append(["科目编码", "科目名称", "合计"])
    other.append([30101, "基本工资", 12.5])
    path = tmp_path / "book.xlsx"
    book.save(path)
    tables = read_tables(path)
    assert [(t.title, t.unit) for t in tables] == [("2024年一般公共预算支出表", "万元"), ("经济", None)]
    assert tables[0].get("2080101").amounts == (D("2057.84"), D(1000))
    assert tables[1].get("30101").amounts == (D("12.5"),)


def test_unreadable_sources(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_tables(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="no such file"):
        read_tables("missing.csv")
    with pytest.raises(InputError, match="is a folder"):
        read_tables(tmp_path)
    with pytest.raises(InputError, match="line 1 is not gb18030 text"):
        read_tables(b"\x81\x30\xfd" * 3 + b"\x81")
    with pytest.raises(InputError, match="cannot read from this"):
        read_tables(12)  # type: ignore[arg-type]
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(InputError):
        read_tables(bad)
    assert read_tables("") == [] and read_tables("\n\n") == []
    with pytest.raises(InputError, match="no table found"):
        read_table("just words")


# --------------------------------------------------------------------------- fuzzing

_PIECES = st.sampled_from([
    "\t", " ", "  ", "\n", "\r\n", "208", "05", "01", "2080101", "20801", "301", "30101", "33001", "0",
    "合计", "合 计", "总计", "表", "2020年", "一般公共预算支出表", "（功能分类项级）", "（续）", "单位：万元",
    "科目编码", "科目名称", "单位编码", "经济分类科目", "类", "款", "项", "栏次", "1", "2", "3", "**",
    "1,234.56", "-0.01", "(3.00)", "—", "-", "[", "]", "【", "|", "|---|", "行政运行", "人力资源和社会保 障",
    "注：", "。", "，", ",", '"', "²", "٣", "①", "\x00", "\ufeff", "ﾟ", "1e5", "NaN", "Infinity", "9" * 30,
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | st.text(max_size=8), max_size=60).map("".join))
def test_fuzz_text_never_raises_anything_but_govcodes_errors(text: str) -> None:
    try:
        tables = read_tables(text)
    except GovcodesError:
        return
    for table in tables:
        assert isinstance(table, Table)
        for row in table.rows:
            assert len(row.amounts) == len(table.columns)
            assert row.code is None or (row.code.isascii() and row.code.isdigit() and len(row.code) in (3, 5, 7, 9))
            assert all(a is None or a.is_finite() for a in row.amounts)
    try:
        read_table(text, title="表")
    except GovcodesError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_bytes(data: bytes) -> None:
    try:
        read_tables(data)
    except GovcodesError:
        pass


_CELL = _PIECES | st.none() | st.integers(-10**12, 10**12) | st.floats(allow_nan=True) | st.text(max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_CELL, max_size=8), max_size=12))
def test_fuzz_rows(rows: list[list[object]]) -> None:
    try:
        read_tables(rows)
    except GovcodesError:
        pass
