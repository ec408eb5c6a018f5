"""The result of a rollup: rows in code order, the 合计, and the report of what was not placed.

Amounts are exact, in 元 (:class:`~decimal.Decimal`); every output method
converts and rounds them (half up) only for display.  Rollups of parts of
the same data (per month, unit, province) add up exactly:
``Rollup.merge(a, b)`` or ``a + b``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal, Inexact
from typing import IO, TYPE_CHECKING, Any

import attrs

from ..codes import LEVELS, depth_of
from ..errors import InputError
from ..money import UNITS, exact, format_amount

if TYPE_CHECKING:
    import os

    from ..frames import Frame

__all__ = ["Column", "Row", "Problem", "Report", "Rollup", "PROBLEM_KINDS", "WARNING_KINDS"]

#: What can be wrong with a line item, and its name in Chinese output; each unplaced item is
#: reported with one.
PROBLEM_KINDS = {
    "no-code": "无科目编码",
    "invalid-code": "不是科目编码",
    "wrong-classification": "其他分类的编码",
    "wrong-level": "级次不符",
    "unknown-code": "本年度无此科目",
    "other-edition": "仅见于其他年度",
    "no-counterpart": "对照表无对应科目",
    "bad-amount": "金额无法识别",
    "no-cell": "缺少单元格",
    "extra-cells": "单元格多于表头",
    "total-row": "合计行",
}
#: What a rollup or a restatement warns of, with its name in Chinese output: the items were
#: placed (by their code), but something about them deserves a look.
WARNING_KINDS = {
    "name-mismatch": "名称与编码不符",
}

_ZERO = Decimal(0)


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
        return depth_of(self.code) + (1 if self.direct else 0)

    @property
    def level_label(self) -> str:
        """The level as the CSV output heads it: 项, or 款(本级) for a ``direct`` row."""
        return f"{self.level}(本级)" if self.direct else self.level


@attrs.frozen(slots=True)
class Problem:
    """A line item that could not be placed, with where it came from (or, in ``Report.warnings``,
    line items placed with a warning).

    ``row`` is the source row number (file line, spreadsheet row, JSON line,
    or the 1-based position of a mapping; for a warning, the first row of
    the cell warned of); ``kind`` one of :data:`PROBLEM_KINDS` (or
    :data:`WARNING_KINDS`); ``cells`` the code cells as given; ``amounts``
    the item's amounts in 元 per measure, None where the cell is not a
    number (for a warning: the total of the rows with that cell);
    ``printed`` the amount cells as given.
    """

    row: int | None
    kind: str
    message: str
    cells: tuple[Any, ...]
    amounts: tuple[Decimal | None, ...]
    printed: tuple[Any, ...]

    @property
    def kind_label(self) -> str:
        """The kind in Chinese, as the workbook output names it."""
        return PROBLEM_KINDS.get(self.kind) or WARNING_KINDS.get(self.kind, self.kind)

    def __str__(self) -> str:
        where = f"row {self.row}: " if self.row is not None else ""
        return f"{where}{self.message}"


@attrs.frozen(slots=True)
class Report:
    """The line items not placed, and their total per measure (in 元); and the warnings.

    A warning (kind ``name-mismatch``: a code printed with the name of
    another code, ``[2080101]学前教育``) is about items that were placed, by
    their code: it does not make the report true, nor change any total.

    >>> import govcodes
    >>> r = govcodes.rollup([{"科目编码": "[2080101]学前教育", "金额": "5"}], year=2026)
    >>> bool(r.report), [(w.row, w.kind, w.amounts) for w in r.report.warnings]
    (False, [(1, 'name-mismatch', (Decimal('5'),))])
    >>> print(r.report.warnings[0].message)
    '[2080101]学前教育' in column 科目编码: 2080101 is 行政运行 in the 2026 edition, not 学前教育 (学前教育 is 2050201); counted under 2080101, as the code says
    """

    measures: tuple[str, ...]
    problems: tuple[Problem, ...]
    total: tuple[Decimal, ...]
    warnings: tuple[Problem, ...] = ()

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

    def to_rows(self, unit: str = "元", places: int | None = 2) -> list[dict[str, Any]]:
        """One dict per problem: row, kind, message, the code cells, and the amounts in ``unit``.

        An amount is a Decimal rounded half up to ``places`` (exact when
        ``places`` is None), or the cell as printed when it is not a number.
        """
        check_unit(unit)
        out = []
        for p in self.problems:
            row: dict[str, Any] = {"row": p.row, "kind": p.kind, "message": p.message,
                                   "cells": " | ".join(_text(c) for c in p.cells)}
            for measure, amount, printed in zip(self.measures, p.amounts, p.printed):
                row[measure] = _text(printed) if amount is None else in_unit(amount, unit, places)
            out.append(row)
        return out


def _text(value: object) -> str:
    return "" if value is None else str(value)


def check_unit(unit: str) -> None:
    """InputError unless ``unit`` is 元 or 万元."""
    if unit not in UNITS:
        raise InputError("unknown unit", value=unit, expected=" or ".join(UNITS))


def in_unit(amount: Decimal, unit: str, places: int | None = None) -> Decimal:
    """An amount in 元 converted to ``unit`` exactly, then rounded half up to ``places`` (if given)."""
    with exact() as ctx:
        value = amount / UNITS[unit] if unit != "元" else amount
        if places is None:
            return value
        ctx.traps[Inexact] = False
        return value.quantize(Decimal(1).scaleb(-places))


def show(amount: Decimal, unit: str, places: int, thousands: bool = False) -> str:
    """An amount in 元 as text in ``unit``, rounded half up."""
    return format_amount(in_unit(amount, unit), places, thousands)


@attrs.frozen(slots=True)
class Rollup:
    """The result of :func:`~govcodes.rollup`: rows in code order, the 合计, and the report.

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
        with exact():
            return tuple(a + b for a, b in zip(self.placed, self.report.total))

    @property
    def conserved(self) -> bool:
        """Always True: the proof that nothing was lost is ``input_total == placed + report.total``."""
        with exact():
            return all(i == p + r for i, p, r in zip(self.input_total, self.placed, self.report.total))

    # -- merging ------------------------------------------------------------------
    def merge(self, *others: Rollup) -> Rollup:
        """This rollup and ``others`` (of other parts of the same data) added up exactly.

        The rollups must be of the same edition, trees, depths and measures.
        Rows are added code by code (a code present in one part only is kept),
        the reports are put one after the other.

        >>> import govcodes
        >>> a = govcodes.rollup([{"科目编码": "2080101", "金额": "1.10"}], year=2026)
        >>> b = govcodes.rollup([{"科目编码": "2080199", "金额": "2.20"}, {"科目编码": "x", "金额": "5"}], year=2026)
        >>> c = a + b
        >>> c.total, c.get("20801").amounts, len(c.report), c.input_total
        ((Decimal('3.30'),), (Decimal('3.30'),), 1, (Decimal('8.30'),))
        """
        from .tree import merge_rollups

        return merge_rollups((self,) + others)

    def __add__(self, other: object) -> Rollup:
        if not isinstance(other, Rollup):
            return NotImplemented
        return self.merge(other)

    # -- data -----------------------------------------------------------------------
    def to_rows(self, unit: str = "元", places: int | None = 2) -> list[dict[str, Any]]:
        """The output rows as dicts, the 合计 first: code, name, level, direct, then one key per column title.

        Amounts are Decimals in ``unit``, rounded half up to ``places``
        (exact when ``places`` is None).

        >>> import govcodes
        >>> r = govcodes.rollup([{"功能科目": "2080101", "金额": "1.005"}], year=2026, depth="类")
        >>> r.to_rows()
        [{'code': None, 'name': '合计', 'level': None, 'direct': False, '合计': Decimal('1.01')}, {'code': '208', 'name': '社会保障和就业支出', 'level': '类', 'direct': False, '合计': Decimal('1.01')}]
        """
        check_unit(unit)
        titles = [c.title for c in self.columns]

        def amounts(values: Sequence[Decimal]) -> dict[str, Decimal]:
            return {title: in_unit(value, unit, places) for title, value in zip(titles, values)}

        rows = [{"code": None, "name": "合计", "level": None, "direct": False, **amounts(self.total)}]
        for row in self.rows:
            rows.append({"code": row.code, "name": row.name, "level": row.level, "direct": row.direct,
                         **amounts(row.amounts)})
        return rows

    def to_dict(self, unit: str = "元", places: int = 2) -> dict[str, Any]:
        """Plain data for JSON: amounts as exact decimal strings (rounded half up to ``places``)."""
        check_unit(unit)
        titles = [c.title for c in self.columns]

        def amounts(values: Sequence[Decimal]) -> dict[str, str]:
            return {t: show(v, unit, places) for t, v in zip(titles, values)}

        def by_measure(values: Sequence[Decimal]) -> dict[str, str]:
            return {m: show(v, unit, places) for m, v in zip(self.measures, values)}

        problems = [{**p, **{m: (str(p[m]) if isinstance(p[m], Decimal) else p[m]) for m in self.measures}}
                    for p in self.report.to_rows(unit, places)]
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
                "placed": by_measure(self.placed),
                "unplaced": by_measure(self.report.total),
                "input": by_measure(self.input_total),
                "problems": problems,
                "warnings": [{"row": w.row, "kind": w.kind, "message": w.message,
                              "cells": " | ".join(_text(c) for c in w.cells),
                              **{m: show(a, unit, places) for m, a in zip(self.measures, w.amounts) if a is not None}}
                             for w in self.report.warnings],
            },
        }

    # -- DataFrames (see govcodes.frames) ----------------------------------------------------
    def to_frame(self, unit: str = "元", places: int | None = None) -> Frame:
        """The rows of :meth:`to_rows` (the 合计 first) as a :class:`~govcodes.frames.Frame`: exact by default.

        >>> import govcodes
        >>> f = govcodes.rollup([{"功能科目": "2080101", "金额": "1.005"}], year=2026, depth="类").to_frame()
        >>> f.columns, f.rows
        (('code', 'name', 'level', 'direct', '合计'), [(None, '合计', None, False, Decimal('1.005')), ('208', '社会保障和就业支出', '类', False, Decimal('1.005'))])
        """
        from ..frames import Frame

        titles = [c.title for c in self.columns]
        rows = [tuple(r.values()) for r in self.to_rows(unit, places)]
        return Frame(("code", "name", "level", "direct", *titles),
                     ("string", "string", "string", "bool", *(["decimal"] * len(titles))), rows, "rollup")

    def to_arrow(self, unit: str = "元", places: int | None = None) -> Any:
        """The rows (the 合计 first) as a ``pyarrow.Table``, amounts exact (decimal128)."""
        return self.to_frame(unit, places).to_arrow()

    def to_pandas(self, unit: str = "元", places: int | None = None) -> Any:
        """The rows (the 合计 first) as a pandas DataFrame, amounts as exact Decimals."""
        return self.to_frame(unit, places).to_pandas()

    def to_polars(self, unit: str = "元", places: int | None = None) -> Any:
        """The rows (the 合计 first) as a polars DataFrame, amounts as exact decimals."""
        return self.to_frame(unit, places).to_polars()

    def to_parquet(self, path: str | os.PathLike[str], unit: str = "元", places: int | None = None) -> None:
        """Write the rows (the 合计 first) to a Parquet file, amounts exact."""
        self.to_frame(unit, places).write(path, "parquet")

    # -- output (see govcodes.render) -------------------------------------------------------
    def to_table(self, unit: str = "元", places: int = 2) -> str:
        """The official layout as text: 科目编码 | 科目名称 | 合计 | …, the 合计 row first, zero shown blank."""
        from ..render import rollup_table

        return rollup_table(self, unit, places)

    def to_csv(self, file: IO[str] | None = None, unit: str = "元", places: int = 2,
               english: bool = False) -> str | None:
        """CSV headed 科目编码, 科目名称, 级次 and the column titles (``english``: code, name, level and
        the columns' keys), the 合计 row first; written to ``file`` or returned.  Cells that a spreadsheet
        would run as formulas are written as text.
        """
        from ..render import rollup_csv

        text = rollup_csv(self, unit, places, english)
        if file is None:
            return text
        file.write(text)
        return None

    def to_json(self, unit: str = "元", places: int = 2, indent: int | None = 2) -> str:
        """JSON text of :meth:`to_dict`, Chinese kept readable, control characters escaped."""
        from ..render import json_text

        return json_text(self.to_dict(unit, places), indent).removesuffix("\n")

    def to_xlsx(self, path: str | os.PathLike[str] | IO[bytes], unit: str = "元", places: int = 2,
                title: str | None = None) -> None:
        """Write a workbook in the official layout: sheet 汇总, and sheet 未汇总 with the report.

        Needs openpyxl (``pip install 'govcodes[xlsx]'``).
        """
        from ..render import rollup_xlsx

        rollup_xlsx(self, path, unit, places, title)
