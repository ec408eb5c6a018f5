"""Every output format, for every result: text tables, CSV, JSON, XLSX; one style of headers; safe cells.

* **Headers**: one vocabulary (:data:`HEADERS`) maps the field names of the
  API (``code``, ``name`` …, also the JSON keys) to the Chinese headers of
  tables and CSV (科目编码, 科目名称 …); ``english=True`` keeps the field
  names in CSV instead.
* **Safe cells**: a CSV or XLSX text cell that a spreadsheet would run as a
  formula (it begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return: OWASP's rule for CSV injection) is written with a leading ``'``;
  real numbers stay numbers.  Text shown on a terminal (tables, messages,
  anything the command writes to a terminal) has its control characters
  escaped (:func:`terminal_safe`); a CSV or JSON file keeps the text as it
  was read.

>>> safe_cell("=HYPERLINK(\\"http://x\\")"), safe_cell("-12.50"), safe_cell("行政运行")
('\\'=HYPERLINK("http://x")', '-12.50', '行政运行')
>>> terminal_safe("名称\\x1b[31m红")
'名称\\\\x1b[31m红'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any

from .codes import CLASSIFICATION_NAMES

if TYPE_CHECKING:
    import os

    from .rollups.result import Rollup

__all__ = ["HEADERS", "header", "safe_cell", "terminal_safe", "text_table", "csv_text", "json_text",
           "rollup_table", "rollup_csv", "rollup_xlsx", "write_xlsx", "code_row", "code_details"]

#: The field names of the API and JSON, and their headers in tables and CSV.
HEADERS = {
    "code": "科目编码",
    "name": "科目名称",
    "level": "级次",
    "classification": "分类",
    "parent": "上级科目",
    "full_name": "全称",
    "provenance": "依据",
    "evidence": "依据说明",
    "description": "说明",
    "year": "年度",
    "score": "匹配度",
    "how": "匹配方式",
    "title": "版本",
    "attested": "实证",
    "official": "官方",
    "compiled": "待核",
    "kind": "类型",
    "old_code": "原编码",
    "old_name": "原名称",
    "new_code": "新编码",
    "new_name": "新名称",
    "share": "比例",
    "citation": "依据文件",
    "event": "事件",
    "other_code": "相关编码",
    "other_name": "相关名称",
    "date": "日期",
    "document": "文号",
    "row": "行号",
    "line": "行号",
    "page": "页",
    "severity": "级别",
    "check": "检查",
    "message": "说明",
    "table": "表",
    "column": "栏",
    "expected": "应为",
    "actual": "实为",
    "cells": "科目",
    "original_code": "原编码",
    "department": "部门经济分类",
    "government": "政府经济分类",
    "unit": "单位类型",
    "source": "来源",
    "ancestor": "上级编码",
    "descendant": "下级编码",
    "depth": "层差",
    "fits": "名称相符",
    "renamed": "名称不同",
    "missing": "缺少",
    "origin": "来源",
    "user": "用户",
    **CLASSIFICATION_NAMES,  # the classifications, as the columns of edition summaries count them
}


#: The field of a restated item that keeps the old code of a code column (but the first: ``original_code``).
ORIGINAL_PREFIX = "original_"


def header(field: str, english: bool = False) -> str:
    """The header of a field in tables and CSV (the field name itself with ``english``).

    >>> header("original_code"), header("original_经济科目"), header("original_经济科目", english=True)
    ('原编码', '原经济科目', 'original_经济科目')
    """
    if english:
        return field
    found = HEADERS.get(field)
    if found is None and field.startswith(ORIGINAL_PREFIX):  # the old code of a restated code column
        return "原" + field[len(ORIGINAL_PREFIX):]
    return found or field


#: What a text cell may not begin with in CSV or XLSX unless it is a number (OWASP's rule against formulas).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A number, which may begin with a sign and stays as it is.
NUMBER = r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?"
#: The characters shown escaped (C0 and C1 controls but tab and line feed, bidi overrides), as ranges.
CONTROL_RANGES = ((0x00, 0x08), (0x0b, 0x1f), (0x7f, 0x9f), (0x202a, 0x202e), (0x2066, 0x2069))
_FIRST_CHARS = frozenset(FORMULA_START)
_NUMBER = re.compile(NUMBER)
_CONTROL = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in CONTROL_RANGES) + "]")


def safe_cell(value: Any) -> Any:
    """A cell as CSV or XLSX may hold it: text that would run as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def terminal_safe(text: str) -> str:
    """``text`` with control characters (escape sequences, bidi overrides) shown escaped."""
    if text.isprintable() or not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


# -- rows of fields ------------------------------------------------------------------------

def text_table(rows: Sequence[dict[str, Any]], fields: Sequence[str], *, align: Sequence[str] | None = None) -> str:
    """A plain-text table of ``rows`` (dicts) with Chinese headers, control characters escaped."""
    from ._table import render

    cells = [[terminal_safe(_plain(row.get(f))) for f in fields] for row in rows]
    return render([header(f) for f in fields], cells, list(align) if align else None)


def csv_text(rows: Iterable[Sequence[Any]], head: Sequence[str] | None = None) -> str:
    """CSV text of rows of cells (and a header row), formulas neutralised; the text is otherwise kept as it
    is (a terminal shows it escaped: :func:`terminal_safe`).

    >>> print(csv_text([["=1+2", "a;b"]], ["x", "y"]), end="")
    x,y
    '=1+2,a;b
    """
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if head is not None:
        writer.writerow([safe_cell(h) for h in head])
    starts = _FIRST_CHARS
    for row in rows:
        cells = [c if c.__class__ is str else _plain(c) for c in row]
        if any(c[:1] in starts for c in cells):
            cells = [safe_cell(c) for c in cells]
        writer.writerow(cells)
    return out.getvalue()


def fields_csv(rows: Sequence[dict[str, Any]], fields: Sequence[str], english: bool = False) -> str:
    """CSV of ``rows`` (dicts): one column per field, headed as :func:`header` says."""
    return csv_text(([row.get(f) for f in fields] for row in rows), [header(f, english) for f in fields])


def fields_csv_chunks(rows: Iterable[dict[str, Any]], fields: Sequence[str], english: bool = False,
                      size: int = 10_000) -> Iterator[str]:
    """:func:`fields_csv` a piece at a time (the header, then ``size`` rows each): memory stays flat.

    >>> "".join(fields_csv_chunks(({"code": str(i)} for i in range(3)), ["code"], size=2))
    '科目编码\\n0\\n1\\n2\\n'
    """
    yield csv_text([], [header(f, english) for f in fields])
    chunk: list[list[Any]] = []
    for row in rows:
        chunk.append([row.get(f) for f in fields])
        if len(chunk) == size:
            yield csv_text(chunk)
            chunk = []
    if chunk:
        yield csv_text(chunk)


def json_text(data: Any, indent: int | None = 2) -> str:
    """JSON with Chinese kept readable, Decimals as exact strings, control characters as ``\\u`` escapes.

    >>> print(json_text({"名称": "行政运行\u202e", "金额": Decimal("1.50")}), end="")
    {
      "名称": "行政运行\\u202e",
      "金额": "1.50"
    }
    """
    import json

    text = json.dumps(data, ensure_ascii=False, indent=indent, default=_json_default) + "\n"
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)  # JSON escapes: the same text, not shown raw


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


# -- rollups ---------------------------------------------------------------------------------

def _rollup_cells(result: Rollup, unit: str, places: int, thousands: bool, blank_zero: bool) -> list[list[str]]:
    from .rollups.result import check_unit, show

    check_unit(unit)

    def shown(value: Decimal) -> str:
        if blank_zero and not value:
            return ""
        return show(value, unit, places, thousands)

    out = [["", "合计", *(shown(v) for v in result.total)]]
    for row in result.rows:
        out.append([row.code, row.name or "", *(shown(v) for v in row.amounts)])
    return out


def rollup_table(result: Rollup, unit: str = "元", places: int = 2) -> str:
    """The official layout as text: 科目编码 | 科目名称 | 合计 | …, the 合计 row first, zero shown blank."""
    from tabulate import tabulate

    headers = ["科目编码", "科目名称", *(c.title for c in result.columns)]
    cells = [[terminal_safe(c) for c in row] for row in _rollup_cells(result, unit, places, True, True)]
    align = ["left", "left", *(["right"] * len(result.columns))]
    table = tabulate(cells, headers=[terminal_safe(h) for h in headers], tablefmt="simple",
                     disable_numparse=True, colalign=align)
    return f"单位：{unit}\n{table}"


def _localized(message: str) -> str:
    """An explanation in a sheet headed in Chinese: in Chinese when the messages are (``--lang zh``)."""
    from .messages import localize

    return localize(message)


def rollup_csv(result: Rollup, unit: str = "元", places: int = 2, english: bool = False) -> str:
    """CSV headed 科目编码, 科目名称, 级次 and the column titles (``english``: code, name, level and the
    columns' keys, as the JSON names them); the 合计 row first."""
    cells = _rollup_cells(result, unit, places, thousands=False, blank_zero=False)
    levels = [""] + [r.level_label for r in result.rows]
    head = [header(f, english) for f in ("code", "name", "level")] + \
        [str(c.key) if english else c.title for c in result.columns]
    return csv_text(([row[0], row[1], level, *row[2:]] for level, row in zip(levels, cells)), head)


def report_csv(result: Rollup, unit: str = "元", places: int = 2, english: bool = False) -> str:
    """The unplaced items as CSV: 行号, 问题, 说明, 科目 and the amounts (``english``: row, kind, message,
    cells, the kinds as the API names them)."""
    rows = result.report.to_rows(unit, places)
    from .rollups.result import PROBLEM_KINDS

    head = (["row", "kind", "message", "cells"] if english else ["行号", "问题", "说明", "科目"]) + list(result.measures)
    return csv_text(([r["row"], r["kind"] if english else PROBLEM_KINDS.get(r["kind"], r["kind"]),
                      r["message"] if english else _localized(r["message"]),
                      r["cells"], *(r.get(m) for m in result.measures)] for r in rows), head)


def write_xlsx(path: str | os.PathLike[str] | IO[bytes], sheets: Sequence[dict[str, Any]]) -> None:
    """Write a workbook in the official layout, one sheet per dict.

    Each sheet: ``name``, ``title`` (the first row, bold, merged over the
    table), ``unit`` (the unit line, ``单位：万元``), ``headers``, ``rows``
    (cells: Decimals are written as numbers in ``number_format``), and
    optionally ``bold`` (row indexes to set in bold), ``indent`` (the
    indent level of each row's name cell) and ``number_format``.  The header
    is bold and frozen, columns are wide enough for Chinese names.
    """
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
    except ImportError:
        from .errors import InputError

        raise InputError("writing .xlsx needs openpyxl",
                         expected="pip install 'govcodes[xlsx]', or --format csv") from None
    from ._table import width as text_width

    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        ws = book.create_sheet(spec["name"])
        headers = list(spec["headers"])
        ncols = max(len(headers), 1)
        number_format = spec.get("number_format", "#,##0.00")
        ws.cell(row=1, column=1, value=safe_cell(terminal_safe(spec.get("title") or ""))).font = Font(bold=True, size=14)
        ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        if ncols > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
        ws.cell(row=2, column=ncols, value=safe_cell(spec.get("unit") or "")).alignment = Alignment(horizontal="right")
        for j, h in enumerate(headers, 1):
            cell = ws.cell(row=3, column=j, value=safe_cell(terminal_safe(str(h))))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.freeze_panes = "A4"
        widths = [text_width(str(h)) + 2 for h in headers]
        bold = set(spec.get("bold", ()))
        indents = spec.get("indent") or {}
        name_col = spec.get("name_column", 2)
        for i, row in enumerate(spec["rows"]):
            r = i + 4
            for j, value in enumerate(row, 1):
                if isinstance(value, Decimal):
                    cell = ws.cell(row=r, column=j, value=value)
                    cell.number_format = number_format
                    shown = len(f"{value:,.2f}")
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell = ws.cell(row=r, column=j, value=value)
                    shown = len(str(value))
                else:
                    text = terminal_safe(_plain(value))  # control characters cannot be stored in a sheet
                    cell = ws.cell(row=r, column=j, value=safe_cell(text))
                    cell.number_format = "@"
                    shown = text_width(text)
                if i in bold:
                    cell.font = Font(bold=True)
                if j == name_col and indents.get(i):
                    cell.alignment = Alignment(indent=indents[i])
                    shown += 2 * indents[i]
                if j <= len(widths):
                    widths[j - 1] = max(widths[j - 1], shown + 2)
        for j, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(j)].width = min(max(w, 8), 60)
    book.save(path)


def rollup_xlsx(result: Rollup, path: str | os.PathLike[str] | IO[bytes], unit: str = "元", places: int = 2,
                title: str | None = None) -> None:
    """A rollup as a workbook in the official layout: sheet 汇总, 未汇总 with the report, and 名称不符
    with the codes printed with a name that is not theirs (placed by their code)."""
    from .rollups.result import PROBLEM_KINDS, check_unit, in_unit

    check_unit(unit)
    number_format = "#,##0." + "0" * places if places > 0 else "#,##0"
    kind = {"functional": "支出功能分类", "economic": "支出经济分类", "economic-department": "部门预算支出经济分类",
            "economic-government": "政府预算支出经济分类", "revenue": "收入分类"}.get(result.by[0], "")
    if title is None:
        year = f"{result.year}年" if result.year else ""
        crossed = "×经济分类" if result.column_depth else ""
        title = f"{year}{kind}{crossed}汇总表"
    rows: list[list[Any]] = [["", "合计", *(in_unit(v, unit, places) for v in result.total)]]
    bold = {0}
    indent = {}
    for i, row in enumerate(result.rows, 1):
        rows.append([row.code, row.name or "", *(in_unit(v, unit, places) for v in row.amounts)])
        if row.depth == 0:
            bold.add(i)
        indent[i] = row.depth
    sheets: list[dict[str, Any]] = [{"name": "汇总", "title": title, "unit": f"单位：{unit}", "number_format": number_format,
               "headers": ["科目编码", "科目名称", *(c.title for c in result.columns)], "rows": rows,
               "bold": bold, "indent": indent}]
    if result.report:
        problems = [[p["row"], PROBLEM_KINDS.get(p["kind"], p["kind"]), _localized(p["message"]), p["cells"],
                     *(p.get(m) for m in result.measures)] for p in result.report.to_rows(unit, places)]
        sheets.append({"name": "未汇总", "title": f"{title}：未汇总的明细", "unit": f"单位：{unit}",
                       "number_format": number_format, "headers": ["行号", "问题", "说明", "科目", *result.measures],
                       "rows": problems, "name_column": 0})
    if result.report.warnings:
        from .rollups.result import WARNING_KINDS

        warned = [[w.row, WARNING_KINDS.get(w.kind, w.kind), _localized(w.message), " | ".join(str(c) for c in w.cells),
                   *(None if a is None else in_unit(a, unit, places) for a in w.amounts)]
                  for w in result.report.warnings]
        sheets.append({"name": "名称不符", "title": f"{title}：编码与所印名称不符的明细（已按编码汇总）",
                       "unit": f"单位：{unit}", "number_format": number_format,
                       "headers": ["首见行号", "问题", "说明", "科目", *result.measures], "rows": warned,
                       "name_column": 0})
    write_xlsx(path, sheets)


# -- codes and restatements ----------------------------------------------------------------------

def code_row(c: Any) -> dict[str, Any]:
    """A code as one flat row (the fields of tables and CSV): code, name, level, classification,
    parent, full_name, provenance kind and year.

    >>> import govcodes
    >>> code_row(govcodes.edition(2026)["30101"])["parent"]
    '301'
    """
    parent = c.parent
    return {"code": c.code, "name": c.name, "level": c.level, "classification": c.classification,
            "parent": parent.code if parent else None, "full_name": c.full_name,
            "provenance": c.provenance.kind, "year": c.year}



def code_details(code: Any) -> str:
    """The lines shown below a single code: its 说明, its evidence, its 对照表 rows."""
    lines = []
    if code.description:
        lines.append(f"\n说明: {code.description}")
    lines.append(f"依据: {code.provenance}")
    ed = code._edition
    for row in code.counterparts:
        gov = ed.get(row.government)
        unit = "所有单位" if row.unit == "*" else row.unit
        level = "" if len(row.government) == 5 else "; only the 类 is settled"
        lines.append(f"政府预算经济分类 ({unit}): {row.government} {gov.name if gov else '?'} "
                     f"[{row.provenance.kind}{level}]")
    text = "\n".join(lines)
    return terminal_safe(text if text.startswith("\n") else "\n" + text) + "\n"


def restatement_items(result: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """The restated line items, every column kept, ready for rollup: (rows, fields)."""
    return [dict(item) for item in result.items], [str(f) for f in result.fields]


def restatement_totals(result: Any, year: int) -> tuple[list[dict[str, Any]], list[str]]:
    """The restated amounts per new code with its name, the 合计 first: (rows, fields)."""
    from .model import edition

    target = edition(year)
    rows: list[dict[str, Any]] = [{"code": "", "name": "合计", **result.placed_totals}]
    for code, sums in result.totals_by_code().items():
        entry = target.get(code)
        rows.append({"code": code, "name": entry.name if entry else None, **sums})
    return rows, ["code", "name", *result.amount_keys]


def restatement_json(result: Any, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """A restatement as JSON data: the rows, the totals and the report."""
    return {"from_year": result.from_year, "to_year": result.to_year, "rows": rows,
            "placed": result.placed_totals, "unplaced": result.unplaced_totals, "input": dict(result.input_totals),
            "report": [{"row": u.row, "code": u.code, "reason": u.reason, "amounts": dict(u.amounts),
                        "candidates": list(u.candidates)} for u in result.unplaced],
            "warnings": [{"row": w.row, "cell": w.cell, "message": w.message, "amounts": dict(w.amounts)}
                         for w in result.warnings]}
