"""govcodes.check: the seeds' real tables, altered seed tables, synthetic cases, the CLI, fuzzing."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govcodes
from govcodes import Finding, GovcodesError, InputError, Report, check
from govcodes.checking import KINDS, SEVERITIES

from .conftest import REPO, pdf, pdf_pages, seed, seed_tables

D = Decimal
def block(prefix: str, title: str) -> list[str]:
    """The lines of one table of a seed: from its title line to the next table's title."""
    tables = seed_tables(prefix)
    found = [k for k, t in enumerate(tables) if title in t.title]
    assert len(found) == 1, [t.title for t in tables]
    k = found[0]
    lines = seed(prefix).read_text(encoding="utf-8").splitlines()
    end = tables[k + 1].line - 1 if k + 1 < len(tables) else len(lines)
    return lines[tables[k].line - 1:end]


def altered(prefix: str, title: str, old: str | None = None, new: str = "", *, drop: str | None = None) -> str:
    """One seed table's text with ``old`` replaced by ``new`` (exactly once), or the line starting ``drop`` removed."""
    lines = block(prefix, title)
    text = "\n".join(lines) + "\n"
    if old is not None:
        assert text.count(old) == 1, (old, text.count(old))
        text = text.replace(old, new)
    if drop is not None:
        hits = [ln for ln in lines if ln.startswith(drop)]
        assert len(hits) == 1, hits
        text = "\n".join(ln for ln in lines if not ln.startswith(drop)) + "\n"
    return text


def line_of(text: str, start: str) -> int:
    """The 1-based line of ``text`` that starts with ``start`` (ignoring leading tabs)."""
    hits = [n for n, ln in enumerate(text.splitlines(), 1) if ln.lstrip("\t").startswith(start)]
    assert len(hits) == 1, (start, hits)
    return hits[0]


def brief(report: Report) -> list[tuple[int, str, str, str | None, str | None]]:
    return [(f.line, f.kind, f.severity, f.code, f.column) for f in report]


# --------------------------------------------------------------------------- the public surface


def test_public_names() -> None:
    for name in ("check", "Finding", "Report"):
        assert name in govcodes.__all__
        assert getattr(govcodes, name) is not None
    assert govcodes.check is check  # the function, not a module of that name


# --------------------------------------------------------------------------- the seeds as published


def test_seed_000_is_clean() -> None:
    report = check(seed("000"))
    assert report.findings == ()
    assert report.ok
    assert len(report.tables) == 4 and set(report.years) == {2020}
    assert "2020年部门收支总表" in report.skipped  # a summary table is not a classification table
    assert report.summary() == "4 tables checked against the 2020 edition: no problems found"


def test_seed_001_reports_the_typo_not_the_wrapped_names() -> None:
    report = check(seed("001"))
    assert brief(report) == [(366, "name-mismatch", "error", "2080110", None)]
    (finding,) = report.findings
    assert finding.table == "2024 年支出预算总表"
    assert (finding.expected, finding.actual, finding.name) == ("劳动关系和维权", "劳动关系的维权", "劳动关系的维权")
    assert "劳动关系和维权" in finding.message
    assert finding.row is not None and finding.row.code == "2080110"
    assert not report.ok and len(report.errors) == 1
    assert report.summary() == "3 tables checked against the 2024 edition: 1 error, 0 warnings"


def test_seed_001_wrapped_names_are_formatting_only() -> None:
    report = check(seed("001"), formatting=True)
    infos = [(f.code, f.actual, f.expected) for f in report.infos]
    assert ("20801", "人力资源和社会保 障管理事务", "人力资源和社会保障管理事务") in infos
    assert {f.kind for f in report.infos} == {"name-mismatch"} and len(infos) == 4
    assert len(report.errors) == 1 and not report.warnings


def test_seed_002_reports_the_wrong_name_in_one_table() -> None:
    report = check(seed("002"))
    assert brief(report) == [(147, "name-mismatch", "error", "2210202", None)]
    (finding,) = report.findings
    assert finding.table == "2022年度收入决算表（表2）"
    assert (finding.expected, finding.actual) == ("提租补贴", "房租补贴")
    assert len(report.tables) == 4 and set(report.years) == {2022}
    # the summary tables (表1, 表4: 12,341.98 against 12,341.99 here) and the empty 表7/表8 are skipped
    assert {"2022年度收入支出决算总表（表1）", "2022年度财政拨款收入支出决算总表（表4）"} <= set(report.skipped)


@pytest.mark.parametrize("prefix", ["003", "004"])
def test_seeds_without_classification_tables(prefix: str) -> None:
    report = check(seed(prefix))
    assert report.findings == () and report.tables == ()
    assert report.summary().startswith("no classification table found")


# --------------------------------------------------------------------------- the real PDFs, read directly

SHANGHAI = "2026年上海市审计局_部门预算.pdf"
SHENZHEN = "2026年深圳市财政局部门预算.pdf"
SUZHOU = "2026年苏州市审计局部门预算.pdf"
WUXI = "商务局_2026年部门预算.pdf"

#: What check finds in each document as published: (page, kind, severity, code, column).  Shenzhen's two
#: economic 类 are printed 0.01 below the sum of their 款 (rounding from 元 to 万元), a real finding.
PDF_FINDINGS = {
    SHANGHAI: [],
    SHENZHEN: [(34, "subtotal", "warning", "301", "支出总计"), (34, "subtotal", "warning", "301", "基本支出"),
               (36, "subtotal", "warning", "303", "支出总计"), (36, "subtotal", "warning", "303", "基本支出")],
    SUZHOU: [],
    WUXI: [],
}
#: The overview of each document: tables found, checked, skipped, rows read and checked.
PDF_OVERVIEW = {
    SHANGHAI: "9 tables found (4 checked, 5 skipped), 121 rows read, 105 checked; findings: none",
    SHENZHEN: "13 tables found (3 checked, 10 skipped), 229 rows read, 103 checked; findings: subtotal 4",
    SUZHOU: "11 tables found (6 checked, 5 skipped), 145 rows read, 121 checked; findings: none",
    WUXI: "11 tables found (6 checked, 5 skipped), 168 rows read, 133 checked; findings: none",
}


def pdf_brief(report: Report) -> list[tuple[int | None, str, str, str | None, str | None]]:
    return [(f.page, f.kind, f.severity, f.code, f.column) for f in report]


@pytest.mark.parametrize("name", sorted(PDF_FINDINGS))
def test_pdf_as_published(name: str) -> None:
    report = check(pdf_pages(name), year=2026)
    assert pdf_brief(report) == PDF_FINDINGS[name]
    assert report.ok and report.notes == ()
    assert report.overview() == PDF_OVERVIEW[name]
    assert all(f.message.endswith("(0.01 apart: rounding)") for f in report)


def altered_pdf(name: str, page: int, old: str, new: str, nth: int = 0) -> list:
    """A copy of a PDF's pages with the ``nth`` word ``old`` of one page printed as ``new``."""
    import attrs

    pages = list(pdf_pages(name))
    target = pages[page - 1]
    hits = [(i, j) for i, line in enumerate(target.lines) for j, w in enumerate(line) if w.text == old]
    i, j = hits[nth]
    line = list(target.lines[i])
    line[j] = attrs.evolve(line[j], text=new)
    lines = list(target.lines)
    lines[i] = tuple(line)
    pages[page - 1] = attrs.evolve(target, lines=tuple(lines))
    return pages


# (document, page, word, nth on the page, printed instead, the findings: (kind, severity, code))
SEEDED = [
    # a wrong subtotal: a 项 printed 100 more than it is; its 款 and its own 合计 = 基本 + 项目 break
    (SHANGHAI, 13, "114,479,860", 2, "114,479,960",
     [("subtotal", "error", "20108"), ("row-identity", "error", "2010801")]),
    (SHENZHEN, 31, "1,585.88", 0, "1,685.88", [("subtotal", "error", "20106"), ("row-identity", "error", "2010605")]),
    (SUZHOU, 14, "2,342.00", 0, "2,352.00", [("subtotal", "error", "20108"), ("row-identity", "error", "2010801")]),
    (WUXI, 15, "104.66", 0, "114.66", [("subtotal", "error", "21011"), ("row-identity", "error", "2101101")]),
    # an unknown code (split over 类/款/项 columns in Shanghai: 201 08 97)
    (SHANGHAI, 13, "04", 0, "97", [("unknown-code", "error", "2010897")]),
    (SHENZHEN, 31, "2010605", 0, "2010698", [("unknown-code", "error", "2010698")]),
    (SUZHOU, 14, "2010850", 0, "2010898", [("unknown-code", "error", "2010898")]),
    (WUXI, 15, "2101102", 0, "2101198", [("unknown-code", "error", "2101198")]),
    # one unit of the last printed digit: rounding (1 元 in a table of whole 元, 0.01 in 万元 with 2 decimals)
    (SHANGHAI, 13, "1,750,000", 0, "1,750,001",
     [("subtotal", "warning", "20108"), ("row-identity", "warning", "2010805")]),
    (SHENZHEN, 31, "757.89", 0, "757.90", [("subtotal", "warning", "20106"), ("row-identity", "warning", "2010607")]),
    (SUZHOU, 14, "225.13", 0, "225.14", [("subtotal", "warning", "20108"), ("row-identity", "warning", "2010850")]),
    (WUXI, 15, "346.63", 0, "346.64", [("subtotal", "warning", "20805"), ("row-identity", "warning", "2080505")]),
]


@pytest.mark.parametrize("name, page, old, nth, new, expected", SEEDED,
                         ids=[f"{n[:8]}-{old}->{new}" for n, _, old, _, new, _ in SEEDED])
def test_seeded_errors_in_pdfs(name: str, page: int, old: str, nth: int, new: str,
                               expected: list[tuple[str, str, str]]) -> None:
    report = check(altered_pdf(name, page, old, new, nth), year=2026)
    published = {(p, k, s, c, col) for p, k, s, c, col in PDF_FINDINGS[name]}
    seeded = [f for f in report if (f.page, f.kind, f.severity, f.code, f.column) not in published]
    assert sorted({(f.kind, f.severity, f.code) for f in seeded}) == sorted(expected)
    assert all(f.page == page for f in seeded)
    assert report.notes == ()


def test_pdf_check_cli(cli) -> None:
    path = pdf(SUZHOU)
    result = cli("check", str(path), "--year", "2026")
    assert result.status == 0, result.err
    assert result.out.splitlines() == [PDF_OVERVIEW[SUZHOU], "6 tables checked against the 2026 edition: no problems found"]
    result = cli("check", str(pdf(SHENZHEN)), "--year", "2026", "--format", "csv")
    assert result.status == 0
    rows = list(csv.DictReader(io.StringIO(result.out.lstrip("\ufeff"))))
    assert [(r["页"], r["类型"], r["级别"], r["科目编码"]) for r in rows][:2] == [
        ("34", "subtotal", "warning", "301"), ("34", "subtotal", "warning", "301")]
    strict = cli("check", str(pdf(SHENZHEN)), "--year", "2026", "--strict")
    assert strict.status == 1  # strict: warnings fail too
    assert cli("check", str(pdf(SHENZHEN)), "--year", "2026", "--lenient").status == 0


# --------------------------------------------------------------------------- notes: strict and lenient


NOTED = (
    "2024年支出表\n科目编码\t科目名称\t合计\n208\t社会保障和就业支出\t3.00\n"
    "2024年支出表\n科目编码\t科目名称\t金额\n2080101\t行政运行\t3.00\n"
)


def test_reading_notes_are_kept_apart_unless_strict() -> None:
    lenient = check(NOTED)
    assert lenient.findings == () and lenient.ok
    assert [(f.kind, f.severity, f.line) for f in lenient.notes] == [("reading", "info", 1)]
    assert lenient.summary() == ("1 table checked against the 2024 edition: no problems found "
                                 "(1 reading note: --strict lists them)")
    strict = check(NOTED, strict=True)
    assert [(f.kind, f.severity, f.message) for f in strict] == [
        ("reading", "warning", "line 4: the table goes on under another header")]
    assert strict.notes == () and not strict.ok


def test_an_identity_most_rows_break_is_a_note() -> None:
    text = ("2024年支出表\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
            "208\t社会保障和就业支出\t9.00\t1.00\t2.00\n20801\t人力资源和社会保障管理事务\t9.00\t1.00\t2.00\n"
            "2080101\t行政运行\t9.00\t1.00\t2.00\n")
    report = check(text)
    assert report.findings == ()
    assert [f.message for f in report.notes] == [
        "合计 = 基本支出 + 项目支出 (read from the header) does not hold on 3 of 3 rows: not checked"]
    named = check(text, identities=["合计 = 基本支出 + 项目支出"])  # asked for: every row is reported
    assert [(f.kind, f.severity) for f in named] == [("row-identity", "error")] * 3


def test_memo_columns_are_not_parts_of_the_total() -> None:
    text = ("2024年支出表\n科目编码\t科目名称\t合计\t基本支出\t项目支出\t其中：政府采购\n"
            "208\t社会保障和就业支出\t3.00\t1.00\t2.00\t2.00\n2080101\t行政运行\t3.00\t1.00\t2.00\t2.00\n"
            "2080102\t一般行政管理事务\t1.00\t1.00\t0.00\t0.50\n")
    report = check(text)
    assert brief(report) == [(3, "subtotal", "error", "208", "合计"), (3, "subtotal", "error", "208", "基本支出"),
                             (3, "subtotal", "error", "208", "其中：政府采购")]


# --------------------------------------------------------------------------- altered seed tables

FUNC_001 = "一般公共预算支出表(分功能科目)"


def test_clean_seed_table_alone_is_clean() -> None:
    text = altered("001", FUNC_001)
    report = check(text)
    assert report.findings == () and report.tables == ("2024 年一般公共预算支出表(分功能科目)",)


def test_wrong_subtotal() -> None:
    text = altered("001", FUNC_001, "20801\t人力资源和社会保障管理事务\t1,906.97",
                   "20801\t人力资源和社会保障管理事务\t1,916.97")
    report = check(text)
    at, lei = line_of(text, "20801\t"), line_of(text, "208\t")
    assert brief(report) == [
        (lei, "subtotal", "error", "208", "合计"),  # 208 against its 款 rows, one of which is now wrong
        (at, "subtotal", "error", "20801", "合计"),  # 20801 against its 项 rows
        (at, "row-identity", "error", "20801", "合计"),  # 合计 = 基本支出 + 项目支出 in the row
    ]
    sub = report.findings[1]
    assert (sub.expected, sub.actual) == (D("1906.97"), D("1916.97"))
    assert "10.00 apart" in sub.message


def test_unknown_code_with_the_code_of_its_name() -> None:
    text = altered("001", FUNC_001, "2080106\t就业管理事务", "2080198\t就业管理事务")
    report = check(text)
    assert brief(report) == [(line_of(text, "2080198"), "unknown-code", "error", "2080198", None)]
    finding = report.findings[0]
    assert finding.expected == "2080106"
    assert "就业管理事务 is 2080106 in the 2024 edition" in finding.message


def test_rounding_difference_in_a_cell() -> None:
    text = altered("001", FUNC_001, "926.08\t926.08\t756.91\t169.17", "926.08\t926.08\t756.92\t169.17")
    report = check(text)
    assert brief(report) == [
        (line_of(text, "20801\t"), "subtotal", "warning", "20801", "基本支出/人员经费"),
        (line_of(text, "2080101\t"), "row-identity", "warning", "2080101", "基本支出/小计"),
    ]
    assert report.ok and len(report.warnings) == 2
    assert all("0.01 apart: rounding" in f.message for f in report)


def test_rounding_difference_in_the_total() -> None:
    text = altered("001", FUNC_001, "\t合计\t6,689.82\t1,414.26", "\t合计\t6,689.83\t1,414.26")
    report = check(text)
    at = line_of(text, "合计\t6,689.83")
    assert brief(report) == [(at, "row-identity", "warning", None, "合计"), (at, "total", "warning", None, "合计")]
    total = report.findings[1]
    assert (total.expected, total.actual) == (D("6689.82"), D("6689.83"))
    assert "the 类 rows add up to 6,689.82" in total.message


def test_wrong_total_is_an_error() -> None:
    text = altered("001", FUNC_001, "\t合计\t6,689.82\t1,414.26\t1,241.19\t173.07\t5,275.56",
                   "\t合计\t6,789.82\t1,414.26\t1,241.19\t173.07\t5,375.56")
    report = check(text)
    at = line_of(text, "合计")
    assert brief(report) == [(at, "total", "error", None, "合计"), (at, "total", "error", None, "项目支出")]


def test_child_missing_from_a_parent_with_children() -> None:
    text = altered("001", FUNC_001, drop="2080102\t")
    report = check(text)
    at = line_of(text, "20801\t")
    assert brief(report) == [(at, "subtotal", "error", "20801", "合计"), (at, "subtotal", "error", "20801", "项目支出")]
    assert report.findings[0].expected == D("1906.97") - D("130.83")


def test_parent_printed_without_children_is_not_checked() -> None:
    text = altered("001", FUNC_001, drop="2080799\t")
    assert check(text).findings == ()


def test_side_by_side_group_totals() -> None:
    title = "基本支出决算明细表"
    assert check(altered("002", title)).findings == ()
    warn = check(altered("002", title, "公用经费合计\t\t\t198.94", "公用经费合计\t\t\t198.95"))
    assert [(f.kind, f.severity, f.name, f.expected) for f in warn] == [("total", "warning", "公用经费合计", D("198.94"))]
    error = check(altered("002", title, "公用经费合计\t\t\t198.94", "公用经费合计\t\t\t200.94"))
    assert [(f.kind, f.severity) for f in error] == [("total", "error")]
    people = check(altered("002", title, "人员经费合计\t\t1,369.67", "人员经费合计\t\t1,369.66"))
    assert [(f.kind, f.severity, f.expected) for f in people] == [("total", "warning", D("1369.67"))]


def test_side_by_side_subtotal_in_the_second_group() -> None:
    report = check(altered("002", "基本支出决算明细表", "30201\t办公费\t16.54", "30201\t办公费\t16.55"))
    assert [(f.kind, f.severity, f.code, f.expected, f.actual) for f in report] == [
        ("subtotal", "warning", "302", D("196.17"), D("196.16"))]


def test_seed_002_total_off_by_a_cent_is_rounding() -> None:
    text = altered("002", "（表5）", "合 计\t12,341.99\t1,568.60", "合 计\t12,341.98\t1,568.60")
    report = check(text)
    assert [(f.kind, f.severity) for f in report] == [("row-identity", "warning"), ("total", "warning")]
    assert report.ok


def test_seed_002_blank_rows_and_all_columns_summed() -> None:
    # 203/20306/2030699 are printed with blank cells: nothing to report; 表3's six columns add up
    assert check(altered("002", "（表5）")).findings == ()
    text = altered("002", "（表3）", "2080102\t一般行政管理事务\t\t\t105.43\t\t105.43",
                   "2080102\t一般行政管理事务\t\t\t105.43\t\t105.40")
    report = check(text)
    assert [(f.kind, f.severity, f.code, f.column) for f in report] == [
        ("subtotal", "error", "20801", "项目支出"), ("row-identity", "error", "2080102", "本年支出合计")]


def test_old_name_of_an_earlier_edition() -> None:
    text = altered("002", "（表2）", "20805\t\t行政事业单位养老支出", "20805\t\t行政事业单位离退休")
    report = check(text)
    names = [f for f in report if f.kind == "name-mismatch"]
    assert [(f.code, f.severity) for f in names] == [("20805", "warning"), ("2210202", "error")]
    assert "old name, valid until 2019" in names[0].message and names[0].expected == "行政事业单位养老支出"


def test_unit_table_with_codes_under_units() -> None:
    title = "2020年部门支出总表"
    assert check(altered("000", title)).findings == ()
    text = altered("000", title, "2080109\t社会保险经办机构\t450.00", "2080109\t社会保险经办机构\t451.00")
    report = check(text)
    # the 合计 row against the 项 rows listed under the unit rows (33, 33001: not classification codes)
    assert brief(report) == [(line_of(text, "合计"), "total", "error", None, "总计"),
                             (line_of(text, "2080109"), "row-identity", "error", "2080109", "总计")]


# --------------------------------------------------------------------------- synthetic tables


def table(year: int | None, rows: list[tuple[str, str, str]], header: str = "合计", title: str = "支出表") -> str:
    head = f"{year}年{title}" if year else title
    return f"{head}\n科目编码\t科目名称\t{header}\n" + "".join(f"{c}\t{n}\t{a}\n" for c, n, a in rows)


def test_reused_code_with_its_old_meaning_is_an_error() -> None:
    # 30311 住房公积金 moved to 30113 in 2018; the code was given again in 2022, as 代缴社会保险费
    report = check(table(2024, [("303", "对个人和家庭的补助", "1.00"), ("30311", "住房公积金", "1.00")]))
    (finding,) = report.findings
    assert (finding.kind, finding.severity, finding.expected) == ("name-mismatch", "error", "代缴社会保险费")
    assert "reused in 2022" in finding.message and "住房公积金 is 30113" in finding.message


def test_name_from_a_later_edition_is_a_warning() -> None:
    report = check(table(2018, [("20805", "行政事业单位养老支出", "1.00")]))
    (finding,) = report.findings
    assert (finding.severity, finding.expected) == ("warning", "行政事业单位离退休")
    assert "from the 2020 edition" in finding.message


def test_unknown_code_of_an_earlier_edition() -> None:
    report = check(table(2022, [("2080504", "未归口管理的行政单位离退休", "1.00")]))
    (finding,) = report.findings
    assert (finding.kind, finding.severity) == ("unknown-code", "error")
    assert "2017–2019" in finding.message and "removed in 2020" in finding.message


def test_local_economic_extension_is_info() -> None:
    report = check(table(2024, [("30211", "差旅费", "3.00"), ("3021101", "差旅费", "2.00"),
                                ("3021102", "市内交通费", "1.00")]))
    assert [(f.kind, f.severity, f.code) for f in report] == [
        ("unknown-code", "info", "3021101"), ("unknown-code", "info", "3021102")]
    assert report.ok and "local extension below 30211" in report.findings[0].message


def test_blank_is_zero_and_precision_follows_the_table() -> None:
    clean = table(2024, [("208", "社会保障和就业支出", ""), ("20801", "人力资源和社会保障管理事务", "")])
    assert check(clean).findings == ()
    yuan = [("208", "社会保障和就业支出", "1,001"), ("20801", "人力资源和社会保障管理事务", "1,000")]
    assert [f.severity for f in check(table(2024, yuan))] == ["warning"]  # amounts in 元: 1 is the last digit
    yuan[0] = ("208", "社会保障和就业支出", "1,002")
    assert [f.severity for f in check(table(2024, yuan))] == ["error"]
    cents = [("208", "社会保障和就业支出", "0.01"), ("20801", "人力资源和社会保障管理事务", "")]
    assert [(f.kind, f.severity) for f in check(table(2024, cents))] == [("subtotal", "warning")]


def test_codes_of_a_classification_the_edition_lacks_are_noted() -> None:
    from govcodes.model import edition

    report = check(table(2024, [("101", "税收收入", "5.00"), ("10101", "增值税", "5.00")]))
    if "revenue" in edition(2024).classifications:
        assert report.findings == () and report.tables
    else:
        assert {(f.kind, f.severity) for f in report} == {("unknown-code", "info")} and report.ok


def test_year_given_from_the_title_or_the_document() -> None:
    no_year = table(None, [("20805", "行政事业单位离退休", "1.00"), ("2080501", "行政单位离退休", "1.00")])
    guessed = check(no_year)  # no year printed: the edition its codes fit best, and a note that says so
    assert guessed.years[0] in (2017, 2018, 2019) and guessed.ok
    [note] = [f for f in guessed if f.kind == "edition"]
    assert note.severity == "info" and "prints no year" in note.message and "fit" in note.message
    assert check(no_year, year=2024).years == (2024,)
    document = table(2022, [("2080101", "行政运行", "1.00")]) + "\n" + table(None, [("208", "社会保障和就业支出", "1.00")],
                                                                          title="其他支出表")
    assert check(document).years == (2022, 2022)
    with pytest.raises(govcodes.UnknownEditionError):
        check(no_year, year=1999)


def test_sources_table_list_and_rows() -> None:
    tables = seed_tables("002")
    by_table = check(tables)
    assert brief(by_table) == brief(check(seed("002")))
    single = check(next(t for t in tables if "表2" in t.title))
    assert brief(single) == brief(by_table)
    rows = [["2024年支出表"], ["科目编码", "科目名称", "合计"], ["2080101", "行政运行", "1.00"]]
    assert check(rows).tables == ("2024年支出表",)


def test_named_identities() -> None:
    text = table(2024, [("2080101", "行政运行", "")], header="合计\t基本支出\t项目支出")
    text = text.replace("行政运行\t\n", "行政运行\t10.00\t6.00\t3.00\n")
    inferred = check(text)
    assert [(f.kind, f.severity, f.expected, f.actual) for f in inferred] == [
        ("row-identity", "error", D("9.00"), D("10.00"))]
    assert check(text, identities=()).findings == ()
    named = check(text, identities=[("基本支出", ["合计", "项目支出"])])  # 6 against 10 + 3
    assert [(f.column, f.expected, f.actual) for f in named] == [("基本支出", D("13.00"), D("6.00"))]
    assert [f.expected for f in check(text, identities=["基本支出 = 合计 - 项目支出"])] == [D("7.00")]
    with pytest.raises(InputError, match="no table checked has the columns"):
        check(text, identities=["合计 = 基本支出 + 人员经费"])
    assert [f.expected for f in check(text, identities=["基本支出 = -项目支出 + 合计"])] == [D("7.00")]
    for bad in ("合计", "合计 = 基本支出 +", "合计 = 基本支出 ++ 项目支出", "合计 =", "= 基本支出", "合计 + 1 = 基本支出"):
        with pytest.raises(InputError, match="TARGET = PART"):  # an empty or signed part is not a column
            check(text, identities=[bad])
    with pytest.raises(InputError):
        check(text, identities=[42])  # type: ignore[list-item]


def test_named_identity_by_header_group() -> None:
    text = altered("001", FUNC_001, "926.08\t926.08\t756.91\t169.17", "926.08\t926.08\t756.91\t169.16")
    report = check(text, identities=["基本支出 = 人员经费 + 公用经费"])
    assert [(f.kind, f.code, f.column) for f in report if f.kind == "row-identity"] == [
        ("row-identity", "2080101", "基本支出/小计")]


def test_named_identity_by_total_alias() -> None:
    text = altered("002", "（表5）", "2080101\t\t\t行政运行\t1,673.43", "2080101\t\t\t行政运行\t1,673.53")
    report = check(text, identities=["合计 = 基本支出 + 项目支出"])
    assert ("row-identity", "2080101", "本年支出/小计") in [(f.kind, f.code, f.column) for f in report]


def test_finding_and_report_as_data() -> None:
    report = check(altered("001", FUNC_001, "926.08\t926.08\t756.91\t169.17", "926.08\t926.08\t756.92\t169.17"))
    data = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert data["warnings"] == 2 and data["errors"] == 0
    first = data["findings"][0]
    assert (first["kind"], first["expected"], first["actual"]) == ("subtotal", "756.92", "756.91")
    assert isinstance(report.findings[0], Finding) and str(report.findings[0]).startswith("line ")
    assert len(report) == 2 and list(report) == list(report.findings)


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("prefix, status, found", [
    ("000", 0, []),
    ("001", 1, ["366", "error", "name-mismatch", "劳动关系的维权"]),
    ("002", 1, ["147", "error", "name-mismatch", "房租补贴", "提租补贴"]),
    ("003", 2, []),
    ("004", 2, []),
])
def test_cli_on_seeds(cli, prefix: str, status: int, found: list[str]) -> None:
    result = cli("check", str(seed(prefix)))
    assert result.status == status, result.err
    if status == 2:  # no classification table in it: nothing was checked, which is not success
        assert result.out == "" and "no classification table found" in result.err
        return
    lines = result.out.strip().splitlines()
    report = check(seed(prefix))
    assert lines[-2:] == [report.overview(), report.summary()]
    if found:
        assert len(lines) == 5  # header, rule, one finding, overview, summary
        assert all(word in lines[2] for word in found)
    else:
        assert len(lines) == 2


def test_cli_json_and_csv(cli, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text(altered("001", FUNC_001, "926.08\t926.08\t756.91\t169.17", "926.08\t926.08\t756.92\t169.17"),
                    encoding="utf-8")
    result = cli("check", str(path), "--format", "json")
    assert result.status == 0  # warnings only
    data = json.loads(result.out)
    assert [f["kind"] for f in data["findings"]] == ["subtotal", "row-identity"]
    result = cli("check", str(path), "--format", "csv")
    assert result.out.splitlines()[0].startswith("表,行号,科目编码,科目名称,类型,级别")
    assert "2 warnings" in result.err


def test_cli_year_identity_and_errors(cli, tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text(table(None, [("2080101", "行政运行", "1.00")]), encoding="utf-8")
    result = cli("check", str(path))  # no year printed: the edition that fits best, said in a note
    assert result.status == 0 and "prints no year" in result.out
    assert cli("check", str(path), "--year", "2024").status == 0
    result = cli("check", str(path), "--year", "2024", "--identity", "合计=基本支出+项目支出")
    assert result.status == 2 and "no table checked has the columns" in result.err
    result = cli("check", str(tmp_path / "missing.txt"))
    assert result.status == 2 and result.err.startswith("govcodes: error:") and result.err.count("\n") == 1


# --------------------------------------------------------------------------- speed and robustness


def _bench():
    spec = importlib.util.spec_from_file_location("bench_check", REPO / "benchmarks" / "bench_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_table_is_clean() -> None:
    """The benchmark times a table with no findings; its speed is the benchmark's business, not a test's."""
    table_ = govcodes.read_table(_bench().table_text(1000))
    assert len(table_.coded_rows) == 1000
    assert check(table_, year=2024).findings == ()


_PIECES = st.sampled_from([
    "\n", "\t", " ", "2024年支出表", "2022年度支出决算表（表3）", "单位：万元", "科目编码", "科目名称", "合计", "合 计",
    "小计", "基本支出", "项目支出", "人员经费", "公用经费", "其中：", "人员经费合计", "/", "类", "款", "项", "栏次",
    "208", "20801", "2080101", "05", "01", "301", "30101", "3021101", "2089998", "101", "999999999",
    "行政运行", "社会保障和就业支出", "劳动关系的维权", "1,010.00", "0.01", "-3.00", "（12.30）", "1e5", "—",
    "|", "| --- |", "经济分类科目", "单位代码", "33001", "\x00", "\ufeff", "9" * 30,
])


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES | st.text(max_size=6), max_size=60).map("".join), st.sampled_from([None, 2017, 2024]))
def test_fuzz_check_never_raises_anything_but_govcodes_errors(text: str, year: int | None) -> None:
    try:
        report = check(text, year=year)
    except GovcodesError:
        return
    assert isinstance(report, Report)
    for f in report:
        assert f.kind in KINDS and f.severity in SEVERITIES
        assert isinstance(f.message, str) and f.message
    report.summary()
    json.dumps(report.to_dict(), ensure_ascii=False)


_CODES = st.sampled_from(["", "208", "20801", "2080101", "2080110", "05", "01", "20805", "2080505", "209", "301",
                          "30101", "302", "3021101", "2089998", "30311", "33001", "合计", "人员经费合计", "[2080101]"])
_NAMES = st.sampled_from(["", "行政运行", "社会保障和就业支出", "人力资源和社会保 障管理事务", "劳动关系的维权",
                          "行政事业单位离退休", "住房公积金", "合计", "公用经费合计"]) | st.text(max_size=4)
_AMOUNTS = st.sampled_from(["", "0.00", "0.01", "1.00", "1,010.00", "-", "—", "12", "（3.00）", "x"]) \
    | st.decimals(min_value=-10**6, max_value=10**6, places=2).map(str)
_ROW = st.tuples(_CODES, _NAMES, st.lists(_AMOUNTS, max_size=5)).map(lambda r: "\t".join([r[0], r[1], *r[2]]))
_HEADERS = st.sampled_from(["科目编码\t科目名称\t合计\t基本支出\t项目支出",
                            "科目编码\t科目名称\t合计\t基本支出\t\t\t项目支出\n\t\t\t小计\t人员经费\t公用经费",
                            "经济分类科目\t科目名称\t决算数\t经济分类科目\t科目名称\t决算数",
                            "单位代码\t单位名称\t总计\t基本支出", "类\t款\t项\t科目名称\t本年支出合计\t基本支出", ""])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["2024年支出表", "2017年支出表（表3）", "支出表", "2030年支出表"]), _HEADERS,
       st.lists(_ROW, max_size=25), st.sampled_from([None, 2020]))
def test_fuzz_check_tables(title: str, header: str, rows: list[str], year: int | None) -> None:
    text = "\n".join([title, "单位：万元", header, *rows]) + "\n"
    try:
        report = check(text, year=year)
    except GovcodesError:
        return
    for f in report:
        assert f.kind in KINDS and f.severity in SEVERITIES and f.message
        assert (f.row is not None and f.line == f.row.line) or f.kind in ("unreadable", "edition")
    json.dumps(report.to_dict(), ensure_ascii=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=12), max_size=4))
def test_fuzz_identities(specs: list[str]) -> None:
    text = table(2024, [("2080101", "行政运行", "10.00\t6.00\t4.00")], header="合计\t基本支出\t项目支出")
    try:
        check(text, identities=specs)
    except InputError:
        pass


def test_unreadable_cells_and_codes_of_no_classification_are_reported() -> None:
    text = ("2024年一般公共预算支出表\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n"
            "2080101\t行政运行\t12元整\t10.00\t2.00\n908\t某某支出\t1.00\t1.00\t\n")
    report = check(text, year=2024)
    kinds = {(f.kind, f.code) for f in report}
    assert ("unreadable", "2080101") in kinds and ("unknown-code", "908") in kinds
    assert not report.ok


def test_one_finely_printed_cell_does_not_turn_rounding_into_errors() -> None:
    text = ("2024年一般公共预算支出表\n科目编码\t科目名称\t合计\n"
            "208\t社会保障和就业支出\t10.01\n20801\t人力资源和社会保障管理事务\t10.01\n"
            "2080101\t行政运行\t4.000\n2080102\t一般行政管理事务\t6.00\n")
    findings = [(f.kind, f.severity, f.code) for f in check(text, year=2024)]
    assert findings == [("subtotal", "warning", "20801")]


def test_a_code_printed_with_another_codes_name_is_a_finding(cli, tmp_path) -> None:
    text = ("2026年一般公共预算支出表\n单位：万元\n科目\t合计\n合计\t3.00\n[208]社会保障和就业支出\t3.00\n"
            "[20801]人力资源和社会保障管理事务\t3.00\n[2080101]学前教育\t3.00\n")
    report = govcodes.check(text)
    assert [(f.line, f.kind, f.severity, f.expected, f.actual) for f in report] == [
        (7, "name-mismatch", "error", "行政运行", "学前教育")]
    assert "the 2026 edition's name is 行政运行 (学前教育 is 2050201)" in report.findings[0].message
    path = tmp_path / "table.txt"
    path.write_text(text, encoding="utf-8")
    done = cli("check", str(path))
    assert done.status == 1 and "学前教育 is 2050201" in done.out


def test_revenue_tables_are_checked_like_expenditure_tables() -> None:
    rows = [("101", "税收收入", "10.00"), ("10101", "增值税", "10.00"), ("1010101", "国内增殖税", "4.00"),
            ("1010199", "某种收入", "6.00")]
    report = check(table(2024, rows))
    assert [(f.kind, f.severity, f.code) for f in report] == [
        ("name-mismatch", "error", "1010101"), ("unknown-code", "error", "1010199")]
    assert report.findings[0].expected == "国内增值税"
    wrong_sum = [("103", "非税收入", "5.00"), ("10301", "政府性基金收入", "3.00"),
                 ("1030182", "耕地保护考核奖惩基金收入", "3.00")]
    assert [(f.kind, f.code) for f in check(table(2024, wrong_sum))] == [("subtotal", "103")]
    assert [(f.kind, f.code) for f in check(table(2024, wrong_sum), as_of="2024-01-01")] == [
        ("subtotal", "103"), ("unknown-code", "1030182")]


@pytest.mark.parametrize("printed, severity", [("1.000001", "warning"), ("1.010000", "error"), ("1.000000", None)])
def test_six_decimals_round_at_the_sixth(printed: str, severity: str | None) -> None:
    text = (f"2024年支出表\n单位：万元\n科目编码\t科目名称\t合计\n208\t社会保障和就业支出\t{printed}\n"
            "2080101\t行政运行\t0.500000\n2080102\t一般行政管理事务\t0.500000\n")
    report = check(text)
    assert [(f.kind, f.severity, f.code) for f in report] == ([("subtotal", severity, "208")] if severity else [])


def test_the_year_a_documents_pages_print_is_its_edition() -> None:
    """A table titled without a year (支出总表) is checked against the year the document's cover and page
    headers print (2026 年度部门预算公开), not a guess from its codes: an old name is then found."""
    text = ("无锡市某局 2026 年度部门预算公开\n一般公共预算支出表\n单位：万元\n科目编码\t科目名称\t合计\n"
            "208\t社会保障和就业支出\t3.00\n20805\t行政事业单位离退休\t3.00\n2080505\t机关事业单位基本养老保险缴费支出\t3.00\n"
            "较 2025 年年初预算增加 1.00 万元。\n")
    report = check(text)
    assert report.years == (2026,)
    assert [(f.kind, f.code) for f in report] == [("name-mismatch", "20805")] and "old name" in report.findings[0].message
    assert not any(f.kind == "edition" for f in report)
    assert govcodes.read_tables(text)[0].document_year == 2026


def test_the_real_pdfs_are_checked_against_the_year_they_print() -> None:
    for name in ("商务局_2026年部门预算.pdf", "2026年深圳市财政局部门预算.pdf", "2026年苏州市审计局部门预算.pdf",
                 "2026年上海市审计局_部门预算.pdf"):
        report = check(pdf(name))
        assert set(report.years) == {2026}, (name, report.years)
        assert not any(f.kind == "edition" for f in report), name


def test_a_workbooks_whole_numbers_are_not_a_table_rounded_to_the_yuan(tmp_path) -> None:
    """Numbers of a workbook print as their cells' format says: 1,201 against 1,200 is an error, not rounding."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["一般公共预算支出表"], ["单位：万元"], ["科目编码", "科目名称", "合计"], [208, "社会保障和就业支出", 1201.0],
                [20801, "人力资源和社会保障管理事务", 1201.0], [2080101, "行政运行", 600.0], [2080102, "一般行政管理事务", 600.0]):
        sheet.append(row)
    path = tmp_path / "t.xlsx"
    book.save(path)
    found = [(f.severity, f.code) for f in check(path, year=2026)]
    assert found == [("error", "20801")]
    assert govcodes.read_tables(path)[0].typed and not govcodes.read_tables("表\n科目编码\t合计\n208\t1\n")[0].typed
