"""Roll raw line items up into the 类/款/项 totals of the standard tables.

:func:`rollup` sums line items by the functional tree (类/款/项), by an
economic tree (类/款: department, government — through the 对照表 — or as
printed), or by function crossed with an economic level (rows 类/款/项,
columns economic 类 or 款, as the official tables print them).  Money is
exact (:class:`~decimal.Decimal`); it is rounded, half up, only when shown.

>>> import govcodes
>>> items = [
...     {"功能科目": "2080101", "经济科目": "30101", "金额": "1,000.00"},
...     {"功能科目": "2080101-行政运行", "经济科目": "30201", "金额": "200.50"},
...     {"功能科目": "2080505", "经济科目": "30108", "金额": "300"},
...     {"功能科目": "2080198", "经济科目": "30101", "金额": "7.00"},
... ]
>>> r = govcodes.rollup(items, year=2026)
>>> [(row.code, row.name, row.amounts[0]) for row in r.rows]   # doctest: +NORMALIZE_WHITESPACE
[('208', '社会保障和就业支出', Decimal('1500.50')),
 ('20801', '人力资源和社会保障管理事务', Decimal('1200.50')),
 ('2080101', '行政运行', Decimal('1200.50')),
 ('20805', '行政事业单位养老支出', Decimal('300')),
 ('2080505', '机关事业单位基本养老保险缴费支出', Decimal('300'))]
>>> r.total, r.report.total, r.input_total
((Decimal('1500.50'),), (Decimal('7.00'),), (Decimal('1507.50'),))
>>> [(p.row, p.kind) for p in r.report]
[(4, 'unknown-code')]
>>> print(r.to_table(unit="万元"))
单位：万元
科目编码    科目名称                            合计
----------  --------------------------------  ------
            合计                                0.15
208         社会保障和就业支出                  0.15
20801       人力资源和社会保障管理事务          0.12
2080101     行政运行                            0.12
20805       行政事业单位养老支出                0.03
2080505     机关事业单位基本养老保险缴费支出    0.03

Crossed with the economic 类, as in a 一般公共预算支出表:

>>> x = govcodes.rollup(items[:3], year=2026, by="functional,economic", depth="款")
>>> [c.title for c in x.columns]
['合计', '工资福利支出', '商品和服务支出']
>>> [(row.code, [str(a) for a in row.amounts]) for row in x.rows]
[('208', ['1500.50', '1300.00', '200.50']), ('20801', ['1200.50', '1000.00', '200.50']), ('20805', ['300', '300', '0'])]

Without an edition (``year=None``) the tree is built from the codes alone:
any well-formed code is placed, and names are those printed with the items.

>>> s = govcodes.rollup([{"科目编码": "2010101 行政运行", "金额": "5"}], year=None)
>>> [(row.code, row.name) for row in s.rows]
[('201', None), ('20101', None), ('2010101', '行政运行')]
"""

from __future__ import annotations

import contextlib
import decimal
import re
import signal
from decimal import Decimal
from operator import itemgetter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Optional, Union

import attrs

from ._levels import LEVELS, parent_of
from .errors import InputError, InvalidCodeError
from .items import (Columns, CsvRows, Items, _header_key, decode_error, find_column, guard, mapping_rows,
                     recognise_columns)
from .money import UNITS, format_amount, parse_amount
from .normalize import normalize_name, split_code_name

if TYPE_CHECKING:
    from .model import Edition

__all__ = ["rollup", "Rollup", "Row", "Column", "Problem", "Report", "DIMENSIONS", "PROBLEM_KINDS"]

#: The trees items can be rolled up by.  ``economic`` takes economic codes as
#: printed (3… department, 5… government); ``economic-government`` rolls
#: department codes into government 款 through the edition's 对照表.
DIMENSIONS = ("functional", "economic", "economic-department", "economic-government")

#: What can be wrong with a line item; each unplaced item is reported with one.
PROBLEM_KINDS = {
    "no-code": "no code",
    "invalid-code": "not a classification code",
    "wrong-classification": "a code of another classification",
    "wrong-level": "a code of a level this tree does not have",
    "unknown-code": "not in the edition",
    "other-edition": "in another edition only",
    "no-counterpart": "no government 款 in the 对照表",
    "bad-amount": "an amount that is not a number",
}

_DEPTHS = {"类": 3, "款": 5, "项": 7}
_FIRST_DIGITS = {"functional": "2", "economic": "35", "economic-department": "3", "economic-government": "35"}
_DIM_NAMES = {"functional": "functional", "economic": "economic", "economic-department": "department economic",
              "economic-government": "government economic"}
_ZERO = Decimal(0)
_PLAIN = "0123456789."  # the characters of the amounts the fast path takes
#: Encodings in which the bytes of ",", tab, ";", '"', ".", CR and LF never occur inside a
#: multibyte character, so that lines, cells and plain amounts can be found without decoding.
_BYTE_SAFE = frozenset({"utf-8", "utf-8-sig", "ascii", "gb18030", "gbk", "gb2312"})


#: Bytes read at a time by the bytes fast path (its memory does not grow with the file).
_CHUNK = 1 << 18
#: Below this many bytes after the header, a file is read in one process.
_PARALLEL_BYTES = 1 << 20


class _Redo(Exception):
    """The forked reader met what only the parent may handle (a quote character)."""


def _can_fork() -> bool:
    import os
    import threading

    if not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus >= 2


def _codec_name(encoding: str) -> str:
    import codecs

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding
#: What the fast paths give up on (the row then goes the slow way).
_FALLBACK = (KeyError, IndexError, AttributeError, TypeError, ValueError, ArithmeticError)
_TOTAL_LABELS = {"合计", "总计", "小计", "共计"}
#: Every sum is exact: 100 significant digits, and any rounding would raise.
_CONTEXT = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_UP, Emax=999, Emin=-999,
                           traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow])
_MAX_ADJUSTED = 30  # amounts are below 10**31 and have at most 30 decimals
#: An amount with thousands separators and two decimals, summed as fen without the slow way.
_GROUPED_FEN = re.compile(r"[+-]?\d{1,3}(?:,\d{3}){1,9}\.\d\d", re.ASCII)
#: Bytes int() would pass over in an amount (blanks, "_"): a chunk holding none is summed unchecked.
_INT_NOISE = (b" ", b"\t", b"_", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
#: A fast path takes amount cells shorter than this; longer ones are range-checked the slow way.
_FAST_WIDTH = _MAX_ADJUSTED + 1
#: Unit conversion and rounding for display: exact to 100 digits, half up.
_DISPLAY = decimal.Context(prec=100, rounding=decimal.ROUND_HALF_UP, Emax=999, Emin=-999)


@attrs.frozen(slots=True)
class Column:
    """An amount column of the output: a measure, or (crossed) one economic code of it.

    ``key`` is the measure's column name, or the economic code; ``title``
    is the header shown (``合计`` for a generic amount column or a crossed
    table's total, the economic name for an economic column).
    """

    key: str
    title: str
    measure: str
    code: str | None = None


@attrs.frozen(slots=True)
class Row:
    """One output row: a 类, 款 or 项 with its exact amounts (in 元), one per column.

    ``direct`` marks the extra row below a node that holds the items coded
    at the node itself (a 款-level item when the table goes down to 项): it
    is shown as ``（未细分到项）`` so that no amount is counted twice and the
    node still equals the sum of the rows below it.
    """

    code: str
    name: str | None
    amounts: tuple[Decimal, ...]
    direct: bool = False

    @property
    def level(self) -> str:
        """类, 款 or 项 (of the node, for a ``direct`` row)."""
        return LEVELS[len(self.code)]

    @property
    def depth(self) -> int:
        """0 for a 类, 1 for a 款, 2 for a 项; one more for a ``direct`` row."""
        return (len(self.code) - 3) // 2 + (1 if self.direct else 0)


@attrs.frozen(slots=True)
class Problem:
    """A line item that could not be placed, with where it came from.

    ``row`` is the source row number (file line, spreadsheet row, JSON line,
    or the 1-based position of a mapping); ``kind`` one of
    :data:`PROBLEM_KINDS`; ``cells`` the code cells as given; ``amounts``
    the item's amounts in 元 per measure, None where the cell is not a
    number; ``printed`` the amount cells as given.
    """

    row: int | None
    kind: str
    message: str
    cells: tuple[Any, ...]
    amounts: tuple[Decimal | None, ...]
    printed: tuple[Any, ...]

    def __str__(self) -> str:
        where = f"row {self.row}: " if self.row is not None else ""
        return f"{where}{self.message}"


@attrs.frozen(slots=True)
class Report:
    """The line items not placed, and their total per measure (in 元)."""

    measures: tuple[str, ...]
    problems: tuple[Problem, ...]
    total: tuple[Decimal, ...]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def counts(self) -> dict[str, int]:
        """How many problems of each kind."""
        out: dict[str, int] = {}
        for p in self.problems:
            out[p.kind] = out.get(p.kind, 0) + 1
        return out

    def to_rows(self, unit: str = "元", places: int = 2) -> list[dict[str, Any]]:
        """One dict per problem: row, kind, message, the code cells and amounts (rounded, in ``unit``)."""
        out = []
        for p in self.problems:
            row: dict[str, Any] = {"row": p.row, "kind": p.kind, "message": p.message,
                                   "cells": " | ".join(_text(c) for c in p.cells)}
            for measure, amount, printed in zip(self.measures, p.amounts, p.printed):
                row[measure] = _text(printed) if amount is None else _show(amount, unit, places)
            out.append(row)
        return out


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _in_unit(amount: Decimal, unit: str, places: int | None = None) -> Decimal:
    """An amount in 元 converted to ``unit`` exactly, then rounded half up to ``places`` (if given)."""
    with decimal.localcontext(_DISPLAY):
        value = amount / UNITS[unit] if unit != "元" else amount
        return value if places is None else value.quantize(Decimal(1).scaleb(-places))


def _show(amount: Decimal, unit: str, places: int, thousands: bool = False) -> str:
    return format_amount(_in_unit(amount, unit), places, thousands)


@attrs.frozen(slots=True)
class Rollup:
    """The result of :func:`rollup`: rows in code order, the 合计, and the report.

    ``rows`` lists every 类 before its 款 and every 款 before its 项 (down to
    ``depth``); ``columns`` describes ``Row.amounts``; ``total`` is the 合计
    row's amounts; ``report`` the items not placed.  Amounts are exact, in
    元; the output methods convert and round them (half up) for display.
    ``year`` is the edition used, None for a rollup by code structure only.
    """

    year: int | None
    by: tuple[str, ...]
    depth: str
    column_depth: str | None
    measures: tuple[str, ...]
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: tuple[Decimal, ...]
    report: Report

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, code: str) -> Row | None:
        """The row of ``code`` (not a ``direct`` row), or None."""
        for row in self.rows:
            if row.code == code and not row.direct:
                return row
        return None

    @property
    def placed(self) -> tuple[Decimal, ...]:
        """Per measure: the amount placed in the tree (the 合计)."""
        if self.column_depth is not None:
            return self.total[:1]
        return self.total

    @property
    def input_total(self) -> tuple[Decimal, ...]:
        """Per measure: every amount read, placed or reported (``placed + report.total``)."""
        with decimal.localcontext(_CONTEXT):
            return tuple(a + b for a, b in zip(self.placed, self.report.total))

    # -- output ----------------------------------------------------------
    def to_rows(self, unit: str = "元", places: int | None = 2) -> list[dict[str, Any]]:
        """The output rows as dicts, the 合计 first: code, name, level, direct, then one key per column title.

        Amounts are Decimals in ``unit``, rounded half up to ``places``
        (exact when ``places`` is None).

        >>> import govcodes
        >>> r = govcodes.rollup([{"功能科目": "2080101", "金额": "1.005"}], year=2026, depth="类")
        >>> r.to_rows()
        [{'code': None, 'name': '合计', 'level': None, 'direct': False, '合计': Decimal('1.01')}, {'code': '208', 'name': '社会保障和就业支出', 'level': '类', 'direct': False, '合计': Decimal('1.01')}]
        """
        _check_unit(unit)
        titles = [c.title for c in self.columns]

        def amounts(values: Sequence[Decimal]) -> dict[str, Decimal]:
            out = {}
            for title, value in zip(titles, values):
                out[title] = _in_unit(value, unit, places)
            return out

        rows = [{"code": None, "name": "合计", "level": None, "direct": False, **amounts(self.total)}]
        for row in self.rows:
            rows.append({"code": row.code, "name": row.name, "level": row.level, "direct": row.direct,
                         **amounts(row.amounts)})
        return rows

    def _cells(self, unit: str, places: int, thousands: bool, blank_zero: bool) -> list[list[str]]:
        _check_unit(unit)

        def show(value: Decimal) -> str:
            if blank_zero and not value:
                return ""
            return _show(value, unit, places, thousands)

        out = [["", "合计", *(show(v) for v in self.total)]]
        for row in self.rows:
            out.append([row.code, row.name or "", *(show(v) for v in row.amounts)])
        return out

    def to_table(self, unit: str = "元", places: int = 2) -> str:
        """The official layout: 科目编码 | 科目名称 | 合计 | …, the 合计 row first, zero shown blank.

        Rendered with tabulate; amounts right-aligned with thousands separators.
        """
        from tabulate import tabulate

        headers = ["科目编码", "科目名称", *(c.title for c in self.columns)]
        cells = self._cells(unit, places, thousands=True, blank_zero=True)
        align = ["left", "left", *(["right"] * len(self.columns))]
        table = tabulate(cells, headers=headers, tablefmt="simple", disable_numparse=True, colalign=align)
        return f"单位：{unit}\n{table}"

    def to_csv(self, file: IO[str] | None = None, unit: str = "元", places: int = 2) -> str | None:
        """CSV with the headers 科目编码, 科目名称, 级次, then the column titles; written to ``file``
        or returned.  The 合计 row comes first.
        """
        import csv
        import io

        buffer = io.StringIO()
        target: IO[str] = buffer if file is None else file
        writer = csv.writer(target, lineterminator="\n")
        writer.writerow(["科目编码", "科目名称", "级次", *(c.title for c in self.columns)])
        cells = self._cells(unit, places, thousands=False, blank_zero=False)
        levels = [""] + [_level_label(r) for r in self.rows]
        for level, row in zip(levels, cells):
            writer.writerow([row[0], row[1], level, *row[2:]])
        return buffer.getvalue() if file is None else None

    def to_dict(self, unit: str = "元", places: int = 2) -> dict[str, Any]:
        """Plain data for JSON: amounts as exact decimal strings (rounded half up to ``places``)."""
        _check_unit(unit)
        titles = [c.title for c in self.columns]

        def amounts(values: Sequence[Decimal]) -> dict[str, str]:
            return {t: _show(v, unit, places) for t, v in zip(titles, values)}

        return {
            "year": self.year,
            "by": list(self.by),
            "depth": self.depth,
            "column_depth": self.column_depth,
            "unit": unit,
            "columns": [{"key": c.key, "title": c.title, "measure": c.measure, "code": c.code}
                        for c in self.columns],
            "total": amounts(self.total),
            "rows": [{"code": r.code, "name": r.name, "level": r.level, "direct": r.direct,
                      "amounts": amounts(r.amounts)} for r in self.rows],
            "report": {
                "placed": {m: _show(v, unit, places) for m, v in zip(self.measures, self.placed)},
                "unplaced": {m: _show(v, unit, places) for m, v in zip(self.measures, self.report.total)},
                "input": {m: _show(v, unit, places) for m, v in zip(self.measures, self.input_total)},
                "problems": self.report.to_rows(unit, places),
            },
        }

    def to_json(self, unit: str = "元", places: int = 2, indent: int | None = 2) -> str:
        """JSON text of :meth:`to_dict`, Chinese kept readable."""
        import json

        return json.dumps(self.to_dict(unit, places), ensure_ascii=False, indent=indent)

    def to_xlsx(self, path: Any, unit: str = "元", places: int = 2) -> None:
        """Write a workbook: sheet 汇总 in the official layout, sheet 未汇总 with the report.

        Needs the optional ``openpyxl`` (``pip install 'govcodes[xlsx]'``).
        Amounts are written as numbers rounded to ``places`` with the number
        format ``#,##0.00``.
        """
        try:
            from openpyxl import Workbook
        except ImportError:
            raise InputError("writing .xlsx needs openpyxl",
                             expected="pip install 'govcodes[xlsx]', or --format csv") from None
        _check_unit(unit)
        number_format = "#,##0." + "0" * places if places > 0 else "#,##0"
        book = Workbook(write_only=True)
        sheet = book.create_sheet("汇总")
        sheet.append([f"单位：{unit}"])
        sheet.append(["科目编码", "科目名称", *(c.title for c in self.columns)])
        from openpyxl.cell import WriteOnlyCell

        def numbers(values: Sequence[Decimal]) -> list[Any]:
            out = []
            for v in values:
                cell = WriteOnlyCell(sheet, value=_in_unit(v, unit, places))
                cell.number_format = number_format
                out.append(cell)
            return out

        sheet.append(["", "合计", *numbers(self.total)])
        for row in self.rows:
            sheet.append([row.code, row.name or "", *numbers(row.amounts)])
        if self.report:
            rep = book.create_sheet("未汇总")
            rows = self.report.to_rows(unit, places)
            fields = ["row", "kind", "message", "cells", *self.measures]
            rep.append(["行号", "问题", "说明", "科目", *self.measures])
            for r in rows:
                rep.append([r.get(f) for f in fields])
        book.save(path)


def _level_label(row: Row) -> str:
    return f"{row.level}(本级)" if row.direct else row.level


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise InputError("unknown unit", value=unit, expected=" or ".join(UNITS))


# -- placing codes -------------------------------------------------------------

_Placed = Union[tuple[str, Optional[str]], Problem]


class _Placer:
    """Where the codes of one dimension go: a cell → (code, printed name), or a Problem (cached)."""

    def __init__(self, dim: str, edition: Edition | None, unit_kind: str, column: str) -> None:
        self.dim = dim
        self.edition = edition
        self.unit_kind = unit_kind
        self.column = column
        self.cache: dict[Any, _Placed] = {}

    def place(self, cell: Any) -> _Placed:
        try:
            return self.cache[cell]
        except KeyError:
            found = self.cache[cell] = self._place(cell)
            return found
        except TypeError:  # an unhashable cell (a JSON list)
            return self._place(cell)

    def _problem(self, kind: str, message: str, cell: Any) -> Problem:
        return Problem(None, kind, message, (cell,), (), ())

    def _place(self, cell: Any) -> _Placed:
        what = _DIM_NAMES[self.dim]
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            return self._problem("no-code", f"no {what} code in column {self.column}", cell)
        try:
            code, name = split_code_name(cell)
        except InvalidCodeError:
            text = normalize_name(str(cell))
            if text in _TOTAL_LABELS:
                return self._problem("invalid-code", f"{cell!r} in column {self.column} is a total row, "
                                     "not a line item", cell)
            return self._problem("invalid-code", f"{cell!r} in column {self.column} is not a {what} code", cell)
        if code[0] not in _FIRST_DIGITS[self.dim]:
            return self._problem("wrong-classification",
                                 f"{code} in column {self.column} is not a {what} code "
                                 f"(a {what} code starts with {' or '.join(_FIRST_DIGITS[self.dim])})", cell)
        functional = self.dim == "functional"
        if len(code) == 7 and not functional:
            # a provincial 7-digit extension below the national 款 (3021101 差旅费): counted in the 款
            code, name = code[:5], None
        if len(code) not in ((3, 5, 7) if functional else (3, 5)):
            return self._problem("wrong-level", f"{code} in column {self.column} has {len(code)} digits; "
                                 f"{what} codes have {'3, 5 or 7' if functional else '3 or 5'}", cell)
        ed = self.edition
        if ed is None:
            if code[0] == "3" and self.dim == "economic-government":
                return self._problem("no-counterpart", f"{code} is a department economic code: rolling it into "
                                     "the government classification needs an edition's 对照表", cell)
            return code, name
        entry = ed.get(code)
        if entry is None:
            return self._unknown(code, cell)
        if self.dim == "economic-government" and entry.classification != "economic-government":
            if entry.level != "款":
                return self._problem("no-counterpart", f"{code} is a department economic 类; the 对照表 maps 款 "
                                     "to government 款", cell)
            target = entry.government(self.unit_kind)
            if target is None:
                return self._problem("no-counterpart", f"{code} {entry.name} has no government counterpart "
                                     f"for {self.unit_kind} in the {ed.year} 对照表", cell)
            return target.code, target.name
        return code, entry.name

    def _unknown(self, code: str, cell: Any) -> Problem:
        from .model import edition, editions
        from .search import suggest

        ed = self.edition
        assert ed is not None
        others = [y for y in editions() if y != ed.year and code in edition(y)]
        if others:
            return self._problem("other-edition", f"{code} is not in the {ed.year} edition "
                                 f"(it is in {', '.join(str(y) for y in others)})", cell)
        message = f"{code} is not in the {ed.year} edition"
        hints = suggest(ed, code, cell)[:3]
        if hints:
            message += "; did you mean " + ", ".join(hints) + "?"
        return self._problem("unknown-code", message, cell)


# -- the rollup ----------------------------------------------------------------

_Items = Union[Items, Iterable[Mapping[str, Any]]]


def _dimensions(by: str | Sequence[str]) -> tuple[str, ...]:
    parts = [p.strip() for p in by.split(",")] if isinstance(by, str) else [str(p).strip() for p in by]
    dims = tuple(p for p in parts if p)
    for d in dims:
        if d not in DIMENSIONS:
            raise InputError("unknown tree to roll up by", value=d, expected=", ".join(DIMENSIONS))
    if len(dims) == 1:
        return dims
    if len(dims) == 2 and dims[0] == "functional" and dims[1] != "functional":
        return dims
    raise InputError("cannot roll up by this", value=by,
                     expected="one tree, or functional crossed with an economic tree "
                              "(functional,economic-department)")


def _code_column(dim: str, header: Sequence[str], cols: Columns, explicit: str | None) -> tuple[str, str]:
    """(column, its role) of the codes of ``dim``."""
    if explicit is not None:
        column = find_column(header, explicit, "code")
        role = next((r for r, c in cols.codes.items() if c == column), dim)
        return column, role
    prefer = {
        "functional": ("functional",),
        "economic": ("economic", "economic-department", "economic-government"),
        "economic-department": ("economic-department", "economic"),
        "economic-government": ("economic-government", "economic", "economic-department"),
    }[dim]
    for role in prefer:
        if role in cols.codes:
            return cols.codes[role], role
    examples = {"functional": "功能科目, 科目编码 or 功能分类科目编码",
                "economic": "经济科目, 部门经济分类 or 政府经济分类",
                "economic-department": "部门经济分类 or 经济科目",
                "economic-government": "政府经济分类, 经济科目 or 部门经济分类"}[dim]
    raise InputError(f"no column of {_DIM_NAMES[dim]} codes", value=list(header),
                     expected=f"a header such as {examples}, or the column named explicitly "
                              "(code_column=... / --code-column)")


def _resolve_edition(year: object) -> Edition | None:
    if year is None:
        return None
    from .model import Edition, edition

    if isinstance(year, Edition):
        return year
    if year == "latest":
        return edition()
    return edition(year)  # type: ignore[arg-type]


def rollup(items: _Items, *, year: int | str | Edition | None = "latest", by: str | Sequence[str] = "functional",
           measures: str | Sequence[str] | None = None, depth: str | None = None, column_depth: str = "类",
           code_column: str | None = None, economic_column: str | None = None, input_unit: str | None = None,
           unit_kind: str = "机关", strict: bool = False) -> Rollup:
    """Roll line items up into the totals of every 类, 款 (and 项) they fall in.

    ``items`` is :func:`~govcodes.read_items` of a file (streamed: memory
    does not grow with the number of rows), or an iterable of mappings
    (dicts) with the same columns.  Columns are recognised from their
    headers (功能科目, 科目编码, 经济科目, 部门经济分类, 政府经济分类, 金额,
    基本支出 …: see :mod:`govcodes.items`) or named with ``code_column``
    (the codes of the row tree), ``economic_column`` (the economic codes
    of a crossed table) and ``measures`` (one or several amount columns,
    summed independently; default: every recognised amount column).

    ``year`` is the edition whose codes and names are used (default: the
    latest; an :class:`~govcodes.Edition` is accepted); codes not in it are
    reported.  ``year=None`` rolls up by the code structure alone: any
    well-formed code is placed, parents are made by cutting the code, and
    names are the ones printed with the items (``2080101-行政运行``, or a
    科目名称 column) or None.

    ``by`` is ``functional``, ``economic`` (as printed), ``economic-department``,
    ``economic-government`` (department 款 are mapped through the 对照表 for
    ``unit_kind`` 机关 or 事业单位), or ``functional,<economic tree>``:
    rows by function, one column per economic 类 (``column_depth="款"``: per
    款) after the 合计; crossing takes one measure.  ``depth`` (类, 款, 项)
    cuts the rows; by default the tree's deepest level.

    Items coded above the leaves (a 款 code in a 项 table) count in that
    node's total once, and are shown in a row of their own, marked
    ``direct``.  Amounts are exact: ``input_unit`` (元 or 万元; by default the
    unit printed in the amount headers, ``金额（万元）``, else 元) is
    converted to 元.  Items that cannot be placed — no, invalid, unknown or
    other-edition code, an amount that is not a number — go to the
    :class:`Report` with their row number, so that ``input = placed +
    reported`` always holds; ``strict=True`` raises
    :class:`~govcodes.InputError` at the first of them instead.

    >>> import govcodes
    >>> r = govcodes.rollup([{"科目编码": "20801", "金额": "10"}, {"科目编码": "2080101", "金额": "5"}],
    ...                     year=2026)
    >>> [(row.code, row.name, row.amounts[0], row.direct) for row in r.rows]   # doctest: +NORMALIZE_WHITESPACE
    [('208', '社会保障和就业支出', Decimal('15'), False),
     ('20801', '人力资源和社会保障管理事务', Decimal('15'), False),
     ('20801', '（未细分到项）', Decimal('10'), True),
     ('2080101', '行政运行', Decimal('5'), False)]
    >>> govcodes.rollup([{"科目编码": "abc", "金额": "1"}], year=2026, strict=True)
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: row 1: 'abc' in column 科目编码 is not a functional code; got 'abc'; expected a code such as 2080101 (any printed form)
    """
    dims = _dimensions(by)
    crossed = len(dims) == 2
    row_dim = dims[0]
    if depth is None:
        depth = "项" if row_dim == "functional" else "款"
    max_depth = "项" if row_dim == "functional" else "款"
    if depth not in _DEPTHS or _DEPTHS[depth] > _DEPTHS[max_depth]:
        raise InputError("unknown depth", value=depth,
                         expected="类, 款 or 项" if max_depth == "项" else "类 or 款 (economic trees have no 项)")
    if column_depth not in ("类", "款"):
        raise InputError("unknown column depth", value=column_depth, expected="类 or 款")
    if unit_kind not in ("机关", "事业单位"):
        raise InputError("unknown kind of unit", value=unit_kind, expected="机关 or 事业单位")
    if input_unit is not None:
        _check_unit(input_unit)
    if isinstance(items, (str, bytes)) or hasattr(items, "__fspath__"):
        raise InputError("rollup takes line items, not a file name", value=items,
                         expected="govcodes.read_items(path) or an iterable of dicts")
    ed = _resolve_edition(year)

    close: Callable[[], None] | None = None
    name = "items"
    if isinstance(items, Items):
        header, rows, close = items.open()
        name = items.name
    else:
        header, rows = mapping_rows(items)
    try:
        return _Roller(header, rows, name=name, edition=ed, dims=dims, measures=measures, depth=depth,
                       column_depth=column_depth if crossed else None, code_column=code_column,
                       economic_column=economic_column, input_unit=input_unit, unit_kind=unit_kind,
                       strict=strict).run()
    finally:
        if close is not None:
            close()


class _Roller:
    """One rollup: columns resolved, the streaming loop, then the tree (internal)."""

    def __init__(self, header: Sequence[str], rows: Any, *, name: str, edition: Edition | None,
                 dims: tuple[str, ...], measures: str | Sequence[str] | None, depth: str,
                 column_depth: str | None, code_column: str | None, economic_column: str | None,
                 input_unit: str | None, unit_kind: str, strict: bool) -> None:
        self.rows = rows
        self.name = name
        self.edition = edition
        self.dims = dims
        self.depth = depth
        self.column_depth = column_depth
        self.strict = strict
        self.header = header = tuple(header)
        self.sums: dict[Any, Any] = {}  # raw code cell(s) → Decimal (one measure) or list of Decimals
        self.cents: dict[Any, int] = {}  # raw code cell(s) → hundredths (one measure, fast path)
        self.names: dict[str, str] = {}
        self.problems: list[Problem] = []
        self.placers: list[_Placer] = []
        self.code_idx: list[int] = []
        self.amount_idx: list[int] = []
        self.name_idx: int | None = None
        if isinstance(measures, str):
            measures = [measures]
        if not header:  # no items at all: an empty rollup
            self.measures: tuple[str, ...] = tuple(measures or ("金额",))
            self.titles = [Columns({}, {}, ()).title(m) for m in self.measures]
            self.factor = UNITS[input_unit or "元"]
            self.reported = [_ZERO] * len(self.measures)
            return
        cols = recognise_columns(header)
        code_cols = []
        roles = []
        self.placers = []
        for i, dim in enumerate(dims):
            explicit = code_column if i == 0 else economic_column
            if i == 0 and dim != "functional" and explicit is None:
                explicit = economic_column
            column, role = _code_column(dim, header, cols, explicit)
            if dim == "economic-government" and edition is None and role == "economic-department":
                raise InputError("rolling department economic codes into the government classification "
                                 "needs an edition's 对照表", value=column,
                                 expected="a year (not year=None), or a column of government codes")
            code_cols.append(column)
            roles.append(role)
            self.placers.append(_Placer(dim, edition, unit_kind, column))
        if measures:
            chosen = [find_column(header, m, "amount") for m in measures]
        else:
            chosen = list(cols.measures)
            if not chosen:
                raise InputError("no amount column", value=list(header),
                                 expected="a header such as 金额, 合计, 基本支出 or 项目支出, or the columns "
                                          "named explicitly (measures=... / --measure)")
        if len(set(chosen)) != len(chosen):
            raise InputError("an amount column is named twice", value=chosen)
        if column_depth is not None and len(chosen) != 1:
            raise InputError("a crossed rollup takes one amount column", value=chosen,
                             expected="one measure, such as measures='金额'")
        self.measures = tuple(chosen)
        titles = [cols.title(m) for m in chosen]
        self.titles = [t if titles.count(t) == 1 else m for t, m in zip(titles, chosen)]
        units = {_header_key(m)[1] for m in chosen}
        printed_unit = units.pop() if len(units) == 1 else None
        self.factor = UNITS[input_unit or printed_unit or "元"]
        self.code_idx = [header.index(c) for c in code_cols]
        self.amount_idx = [header.index(m) for m in chosen]
        if edition is None:  # names as printed: the name column that goes with the row codes' column
            name_col = cols.names.get("functional-name" if roles[0] == "functional" else "economic-name")
            if name_col is None and len(cols.codes) == 1 and len(cols.names) == 1:
                name_col = next(iter(cols.names.values()))
            if name_col is not None:
                self.name_idx = header.index(name_col)
        self.reported = [_ZERO] * len(chosen)

    # -- the loop --------------------------------------------------------
    def run(self) -> Rollup:
        if self.code_idx:
            with decimal.localcontext(_CONTEXT), guard(self.name, self.rows):
                self._loop()
        return self._build()

    def _loop(self) -> None:
        # The hot loops.  Each row is tried on a fast path; anything unusual
        # (a code not seen before, a blank, a sign, separators, a bad value)
        # goes to _slow, which places each distinct code cell once and
        # reports problems.  Plain amounts with two decimals are summed as
        # integer hundredths, other plain decimals as Decimals: exact, no float.
        rows = self.rows
        if self.name_idx is not None:
            for row in rows:
                self._slow(row, rows.line_num)
        elif len(self.amount_idx) == 1:
            if isinstance(rows, CsvRows):
                done = self._split_bytes(rows)
                if done is None:
                    done = self._split_lines(rows)
                if done:
                    return
            self._rows_single(rows)
        else:
            self._rows_multi(rows)

    def _split_lines(self, rows: CsvRows) -> bool:
        """CSV, one measure: split plain lines without the csv module.

        Returns False after handing over to the csv module at the first line
        holding a quote character.  ``_slow`` is only ever called outside the
        ``try``, so that a row is never handled twice.
        """
        slow, sums, cents = self._slow, self.sums, self.cents
        D = Decimal
        plain = _PLAIN
        fallback = _FALLBACK
        text, delimiter = rows.text, rows.delimiter
        ai = self.amount_idx[0]
        n = rows.lines_read
        key_of = itemgetter(*self.code_idx)  # one code column: the cell; several: a tuple of cells
        try:
            for line in text:
                n += 1
                if '"' in line:
                    rows.resume(line, n - 1)
                    return False
                row = line.rstrip("\r\n").split(delimiter)
                try:
                    s = row[ai]
                    if (s[-3] == "." and s[-2:].isdigit() and len(s) < _FAST_WIDTH  # 1234.56 (int() takes a sign)
                            and s.isascii() and "_" not in s):
                        cents[key_of(row)] += int(s.replace(".", "", 1))
                        continue
                    if not s.strip(plain) and len(s) < _FAST_WIDTH:  # else blanks, separators, signs, …
                        sums[key_of(row)] += D(s)
                        continue
                except fallback:
                    pass
                slow(row, n)
        except UnicodeDecodeError as exc:
            raise decode_error(self.name, exc, f"after line {n}") from None
        return True

    def _split_bytes(self, rows: CsvRows) -> bool | None:
        """CSV read by path, one code column, one measure: split plain lines as bytes.

        The fastest way through a big file: the lines after the header are
        read again as bytes (no decoding; ``,``, ``.``, digits and line ends
        are single bytes in every encoding taken here), and a line is only
        decoded when it leaves the fast path.  Returns None when it does not
        apply (nothing read), True when the file is done, False after handing
        over to the csv module at the first line holding a quote character.
        """
        enc = rows.encoding
        if enc is None:
            return None
        codec = _codec_name(enc)
        if (rows.path is None or len(self.code_idx) != 1
                or codec not in _BYTE_SAFE or len(rows.delimiter) != 1):
            return None
        if codec.startswith("gb") and rows.delimiter not in ",\t;":
            return None  # a GBK second byte may look like "|": only , tab ; are safe there
        fh = open(rows.path, "rb")  # noqa: SIM115 - closed here, or by the csv module's reader it is handed to
        try:
            skip = rows.lines_read
            for _ in range(skip):
                line = fh.readline()
                if b"\r" in line.replace(b"\r\n", b""):  # a lone CR (old Mac line end) above the data
                    fh.close()
                    return None
            done = self._bytes_parallel(rows, fh, skip, enc)
        except BaseException:
            fh.close()
            raise
        if done:
            fh.close()
        return done

    def _bytes_parallel(self, rows: CsvRows, fh: Any, n: int, enc: str) -> bool:
        """Split a big file in two at a line start and read the second half in a forked process.

        Used for a file of at least ``_PARALLEL_BYTES`` after the header, where
        ``os.fork`` exists, two CPUs are there, no other thread runs and
        ``strict`` is off.  The child reads its half exactly as
        :meth:`_bytes_loop` would and sends back what it summed, placed and
        reported; the parent adds it after its own half, so the result (and
        the order of the report) is what one process would give.  When the
        child's half holds a quote character or cannot be decoded, the parent
        reads that half itself, as if there had been no child.
        """
        import os

        start = fh.tell()
        end = os.fstat(fh.fileno()).st_size
        if not (end - start >= _PARALLEL_BYTES and _can_fork() and not self.strict
                and not self.problems and not self.sums):
            return self._bytes_loop(rows, fh, n, enc)
        fh.seek(start + (end - start) // 2)
        fh.readline()
        mid = fh.tell()
        fh.seek(start)
        lines, left = 0, mid - start
        while left > 0:
            block = fh.read(min(left, _CHUNK))
            if not block:
                break
            lines += block.count(b"\n")
            left -= len(block)
        fh.seek(start)
        read_end, write_end = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no process to be had: read it all here
            os.close(read_end)
            os.close(write_end)
            return self._bytes_loop(rows, fh, n, enc)
        if pid == 0:  # the child: the second half, then its findings down the pipe
            status = 0
            try:
                import gc

                gc.disable()  # a collection would write to (and so copy) every page it shares with the parent
                os.close(read_end)
                import pickle

                try:
                    with open(rows.path, "rb") as other:  # type: ignore[arg-type]
                        other.seek(mid)
                        self._bytes_loop(rows, other, n + lines, enc, end=end, handover=False)
                    payload: tuple[Any, ...] = ("ok", self.sums, self.cents, self.names, self.problems,
                                                self.reported)
                except BaseException:
                    payload = ("redo",)
                with os.fdopen(write_end, "wb") as out:
                    out.write(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        import pickle

        data = b""
        exit_code = 1
        try:
            done = self._bytes_loop(rows, fh, n, enc, end=mid)
            with os.fdopen(read_end, "rb") as pipe:
                read_end = -1
                data = pipe.read()
        finally:
            if read_end >= 0:  # the parent's half failed: stop the child, don't wait for it
                os.close(read_end)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):  # a host may reap its children itself
                exit_code = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        if not done:  # handed over to the csv module, which reads on to the end itself
            return False
        result: tuple[Any, ...] = ("redo",)
        if data and exit_code == 0:
            with contextlib.suppress(Exception):
                result = tuple(pickle.loads(data))
        if result[0] != "ok":  # the child could not read its half, or did not say: read it here
            fh.seek(mid)
            return self._bytes_loop(rows, fh, n + lines, enc)
        _, sums, cents, names, problems, reported = result
        for key, value in sums.items():
            self.sums[key] = self.sums[key] + value if key in self.sums else value
        for key, value in cents.items():
            self.cents[key] = self.cents.get(key, 0) + value
        for code, name in names.items():
            self.names.setdefault(code, name)
        self.problems.extend(problems)
        self.reported = [a + b for a, b in zip(self.reported, reported)]
        return True

    def _bytes_loop(self, rows: CsvRows, fh: Any, n: int, enc: str, end: int | None = None,
                    handover: bool = True) -> bool:
        slow_text = self._text_row
        bcents: dict[bytes, int] = {}
        bkeys: dict[bytes, str] = {}
        d = rows.delimiter.encode("ascii")
        ai, ci = self.amount_idx[0], self.code_idx[0]
        fallback = _FALLBACK
        cents = self.cents
        try:
            while True:
                start = fh.tell()
                size = _CHUNK if end is None else min(_CHUNK, end - start)
                chunk = fh.read(size) if size > 0 else b""
                if not chunk:
                    break
                if chunk[-1:] != b"\n" and (end is None or fh.tell() < end):
                    chunk += fh.readline()
                quote = chunk.find(b'"')
                crlf = b"\r" in chunk
                if crlf and b"\r" in chunk.replace(b"\r\n", b""):
                    quote = 0  # a lone CR ends a line for the csv module: let it read from this chunk on
                if quote >= 0 and not handover:
                    raise _Redo()
                if quote >= 0:  # hand the rest over to the csv module, from the line of the quote
                    cut = chunk.rfind(b"\n", 0, quote) + 1 if quote else 0
                    tail_start, chunk = start + cut, chunk[:cut]
                else:
                    tail_start = -1
                if crlf:
                    chunk = chunk.replace(b"\r\n", b"\n")
                # plain: ASCII without "_" or blanks, so int() can read nothing but digits and a sign
                plain = chunk.isascii() and not any(c in chunk for c in _INT_NOISE)
                if not plain:
                    try:
                        chunk.decode(enc)
                    except UnicodeDecodeError as exc:
                        bad_line = n + 1 + chunk.count(b"\n", 0, exc.start)
                        raise decode_error(self.name, exc, f"at line {bad_line}") from None
                lines = chunk.split(b"\n")
                if lines[-1] == b"":
                    lines.pop()  # after the last line end (a last line without one is kept)
                base = n + 1
                for n, line in enumerate(lines, base):
                    row = line.split(d)
                    try:
                        s = row[ai]
                        if s[-3] == 46 and len(s) < _FAST_WIDTH and (  # 46: "."
                                plain or (s[-2:].isdigit() and s.isascii() and b"_" not in s and b" " not in s)):
                            bcents[row[ci]] += int(s.replace(b".", b"", 1))
                            continue
                    except fallback:
                        pass
                    try:
                        text_row = line.decode(enc).split(rows.delimiter)
                    except UnicodeDecodeError as exc:
                        raise decode_error(self.name, exc, f"at line {n}") from None
                    slow_text(text_row, n)
                    key = row[ci] if ci < len(row) else None
                    if key is not None and key not in bcents and text_row[ci] in cents:
                        bcents[key], bkeys[key] = 0, text_row[ci]
                if tail_start >= 0:
                    import io

                    fh.seek(tail_start)
                    text = io.TextIOWrapper(fh, encoding=enc, newline=None)
                    first = text.readline()
                    rows.text = text
                    rows.resume(first, n)
                    return False
            return True
        finally:
            for key, value in bcents.items():
                cents[bkeys[key]] += value

    def _text_row(self, row: Sequence[Any], n: int) -> None:
        """One decoded row: the text fast path, or the slow way."""
        ai, ci = self.amount_idx[0], self.code_idx[0]
        try:
            s = row[ai]
            if s[-3] == "." and s[-2:].isdigit() and len(s) < _FAST_WIDTH and s.isascii() and "_" not in s:
                self.cents[row[ci]] += int(s.replace(".", "", 1))
                return
            if not s.strip(_PLAIN) and len(s) < _FAST_WIDTH:
                self.sums[row[ci]] += Decimal(s)
                return
        except _FALLBACK:
            pass
        self._slow(row, n)

    def _rows_single(self, rows: Any) -> None:
        """Rows of cells (csv module, JSON lines, XLSX, mappings), one measure."""
        slow, sums, cents = self._slow, self.sums, self.cents
        grouped = _GROUPED_FEN.fullmatch
        D = Decimal
        plain = _PLAIN
        fallback = _FALLBACK
        ai = self.amount_idx[0]
        key_of = itemgetter(*self.code_idx)
        for row in rows:
            try:
                s = row[ai]
                if s[-3] == "." and s[-2:].isdigit() and len(s) < _FAST_WIDTH and s.isascii() and "_" not in s:
                    if "," in s:
                        if grouped(s):  # "1,234.56", as spreadsheets export it (quoted in a CSV file)
                            cents[key_of(row)] += int(s.replace(",", "").replace(".", "", 1))
                            continue
                    else:
                        cents[key_of(row)] += int(s.replace(".", "", 1))
                        continue
                elif not s.strip(plain) and len(s) < _FAST_WIDTH:
                    sums[key_of(row)] += D(s)
                    continue
            except fallback:
                pass
            slow(row, rows.line_num)

    def _rows_multi(self, rows: Any) -> None:
        """Rows of cells, several measures (Decimals only)."""
        slow, sums = self._slow, self.sums
        D = Decimal
        plain = _PLAIN
        fallback = _FALLBACK
        key_of = itemgetter(*self.code_idx)
        amounts_of = itemgetter(*self.amount_idx)
        for row in rows:
            try:
                acc = sums[key_of(row)]
                values = amounts_of(row)
                if not "".join(values).strip(plain):
                    # all parsed and added before any is stored: a failure leaves acc as it was
                    acc[:] = [a + D(s) for a, s in zip(acc, values)]
                    continue
            except fallback:
                pass
            slow(row, rows.line_num)

    def _slow(self, row: Sequence[Any], line: int) -> None:
        """One row the fast path did not take: parse it fully, place it or report it."""
        if not any(c is not None and (not isinstance(c, str) or c.strip()) for c in row):
            return  # a blank line is not an item
        width = len(row)
        raw = tuple(row[i] if i < width else "" for i in self.code_idx)  # the key, as the fast path sees it
        # a CSV line split by the fast path keeps its "\n" on the last cell: not shown in the report
        cells = tuple(c.rstrip("\r\n") if isinstance(c, str) else c for c in raw)
        printed = tuple((row[i].rstrip("\r\n") if isinstance(row[i], str) else row[i]) if i < width else ""
                        for i in self.amount_idx)
        amounts: list[Decimal | None] = []
        bad: tuple[InputError, str] | None = None
        for value, measure in zip(printed, self.measures):
            try:
                amount = parse_amount(value, row=line, column=measure)
                if amount and abs(amount.adjusted()) > _MAX_ADJUSTED:
                    raise InputError(f"amount in column {measure} is out of range", row=line, value=value,
                                     expected=f"less than 10**{_MAX_ADJUSTED + 1} with at most "
                                              f"{_MAX_ADJUSTED} decimals")
                amounts.append(amount)
            except InputError as exc:
                amounts.append(None)
                bad = bad or (exc, str(exc).removeprefix(f"row {line}: "))
        problem: Problem | None = None
        placed = []
        for placer, cell in zip(self.placers, raw):
            where = placer.place(cell)
            if isinstance(where, Problem):
                problem = where
                break
            placed.append(where)
        if problem is None and bad is not None:
            if self.strict:
                raise bad[0]
            problem = Problem(None, "bad-amount", bad[1], (), (), ())
        if problem is not None:
            if self.strict:
                raise InputError(problem.message, row=line, value=cells[len(placed)] if len(placed) < len(cells)
                                 else None, expected=self._expected(problem.kind))
            self.problems.append(Problem(line, problem.kind, problem.message, cells, tuple(amounts), printed))
            for i, value in enumerate(amounts):
                if value is not None:
                    self.reported[i] += value
            return
        key = raw[0] if len(raw) == 1 else raw
        values = [_ZERO if a is None else a for a in amounts]  # none is None here: all parsed
        if len(values) == 1:
            self.sums[key] = self.sums.get(key, _ZERO) + values[0]
            self.cents.setdefault(key, 0)
        else:
            acc = self.sums.get(key)
            if acc is None:
                acc = self.sums[key] = [_ZERO] * len(values)
            acc[:] = [a + v for a, v in zip(acc, values)]
        code, printed_name = placed[0]
        if self.name_idx is not None and self.name_idx < width:
            value = row[self.name_idx]
            printed_name = printed_name or (str(value).strip() if value is not None else None) or None
        if printed_name and code not in self.names:
            self.names[code] = printed_name
        if len(placed) > 1:
            ecode, ename = placed[1]
            if ename and ecode not in self.names:
                self.names[ecode] = ename

    def _expected(self, kind: str) -> str:
        ed = self.edition
        if kind in ("unknown-code", "other-edition"):
            return f"a code of the {ed.year} edition" if ed else "a code"
        if kind == "no-counterpart":
            return "a department 款 listed in the 对照表, or a government code"
        return "a code such as 2080101 (any printed form)" if "functional" in self.dims[:1] else \
            "a code such as 30101 (any printed form)"

    # -- the tree --------------------------------------------------------
    def _build(self) -> Rollup:
        factor = self.factor
        crossed = self.column_depth is not None
        nm = len(self.measures)
        # merge the raw keys into codes (and, crossed, economic columns)
        leaf: dict[tuple[str, str | None], list[Decimal]] = {}
        cents = self.cents
        with decimal.localcontext(_CONTEXT):  # exact: wide enough for any amount admitted
            for key, value in self.sums.items():
                if nm == 1 and cents.get(key):
                    value = value + Decimal(cents[key]).scaleb(-2)
                cells = key if isinstance(key, tuple) else (key,)
                rcode = self.placers[0].place(cells[0])[0]  # type: ignore[index]
                col = None
                if crossed:
                    ecode = self.placers[1].place(cells[1])[0]  # type: ignore[index]
                    col = ecode[: _DEPTHS[self.column_depth]]  # type: ignore[index]
                values = [value] if nm == 1 else value
                acc = leaf.get((rcode, col))
                if acc is None:
                    leaf[(rcode, col)] = list(values)
                else:
                    for i, v in enumerate(values):
                        acc[i] += v
        with decimal.localcontext(_CONTEXT):
            if factor != 1:
                for acc in leaf.values():
                    for i, v in enumerate(acc):
                        acc[i] = v * factor
            columns = self._columns(sorted({c for _, c in leaf if c is not None}) if crossed else [])
            index = {c.code: i for i, c in enumerate(columns) if c.code is not None}
            ncols = len(columns)
            direct: dict[str, list[Decimal]] = {}
            for (rcode, col), values in leaf.items():
                vec = direct.get(rcode)
                if vec is None:
                    vec = direct[rcode] = [_ZERO] * ncols
                if crossed:
                    vec[0] += values[0]
                    vec[index[col]] += values[0]  # type: ignore[index]
                else:
                    for i, v in enumerate(values):
                        vec[i] += v
            totals: dict[str, list[Decimal]] = {}
            for code, vec in direct.items():
                node: str | None = code
                while node is not None:
                    acc = totals.get(node)
                    if acc is None:
                        totals[node] = list(vec)
                    else:
                        for i, v in enumerate(vec):
                            acc[i] += v
                    node = parent_of(node)
            grand = [_ZERO] * ncols
            for code, vec in totals.items():
                if len(code) == 3:
                    for i, v in enumerate(vec):
                        grand[i] += v
            reported = tuple(v * factor for v in self.reported)
        problems = tuple(self.problems)
        if factor != 1:
            problems = tuple(attrs.evolve(p, amounts=tuple(None if a is None else a * factor for a in p.amounts))
                             for p in problems)
        limit = _DEPTHS[self.depth]
        out: list[tuple[str, Row]] = []
        for code, vec in totals.items():
            if len(code) > limit:
                continue
            out.append((code, Row(code, self._name(code), tuple(vec))))
            if len(code) < limit and code in direct:
                below = LEVELS[len(code) + 2]
                out.append((code + "\0", Row(code, f"（未细分到{below}）", tuple(direct[code]), direct=True)))
        out.sort(key=itemgetter(0))
        return Rollup(
            year=self.edition.year if self.edition is not None else None,
            by=self.dims,
            depth=self.depth,
            column_depth=self.column_depth,
            measures=self.measures,
            columns=tuple(columns),
            rows=tuple(r for _, r in out),
            total=tuple(grand),
            report=Report(self.measures, problems, reported),
        )

    def _name(self, code: str) -> str | None:
        if self.edition is not None:
            entry = self.edition.get(code)
            if entry is not None:
                return entry.name
        return self.names.get(code)

    def _columns(self, codes: Sequence[str]) -> list[Column]:
        measure = self.measures[0] if self.measures else ""
        if self.column_depth is None:
            return [Column(m, t, m) for m, t in zip(self.measures, self.titles)]
        columns = [Column("合计", "合计", measure)]
        limit = _DEPTHS[self.column_depth]
        for code in codes:
            name = self._name(code) or code
            if len(code) < limit:
                name += f"（未细分到{LEVELS[limit]}）"
            columns.append(Column(code, name, measure, code))
        return columns
