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

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..money import UNITS
from ..readers.items import Items, find_column, items_of, recognise_columns
from ..readers.vocabulary import header_key, measure_title
from .fast import Accumulator
from .placing import DIMENSIONS, Placer, code_column, dimensions, max_depth, resolve_edition
from .result import PROBLEM_KINDS, Column, Problem, Report, Rollup, Row, check_unit
from .tree import build

if TYPE_CHECKING:
    from ..model import Edition

__all__ = ["rollup", "Rollup", "Row", "Column", "Problem", "Report", "DIMENSIONS", "PROBLEM_KINDS"]

_DEPTHS = ("类", "款", "项", "目")
#: The edition of a rollup whose engine starts before the edition is loaded (set on the placers later).
_LATER: Any = type("_Later", (), {"__repr__": lambda self: "<edition loaded later>"})()


def rollup(items: Any, *, year: int | str | Edition | None = "latest", by: str | Sequence[str] = "functional",
           measures: str | Sequence[str] | None = None, depth: str | None = None, column_depth: str = "类",
           code_column: str | None = None, economic_column: str | None = None, input_unit: str | None = None,
           unit_kind: str = "机关", strict: bool = False, as_of: object = None,
           extensions: object = None, engine: str = "auto") -> Rollup:
    """Roll line items up into the totals of every 类, 款 (and 项) they fall in.

    ``items`` is :func:`~govcodes.read_items` of a file (streamed: memory
    does not grow with the number of rows), an iterable of mappings
    (dicts) with the same columns, or a pandas or polars DataFrame or an
    Arrow table.  Columns are recognised from their headers (功能科目,
    科目编码, 经济科目, 部门经济分类, 政府经济分类, 金额, 基本支出 …: see
    :mod:`govcodes.readers.vocabulary`) or named with ``code_column``
    (the codes of the row tree), ``economic_column`` (the economic codes
    of a crossed table) and ``measures`` (one or several amount columns,
    summed independently; default: every recognised amount column).

    ``year`` is the edition whose codes and names are used (default: the
    year a title above the items' header states, ``2025年部门预算明细``, else
    the latest; an :class:`~govcodes.Edition` is accepted; ``as_of``, a date,
    takes it as it stood on that day, before its later amendments); codes
    not in it are reported.  ``year=None`` rolls up by the code structure alone: any
    well-formed code is placed, parents are made by cutting the code, and
    names are the ones printed with the items (``2080101-行政运行``, or a
    科目名称 column) or None.

    ``by`` is ``functional``, ``economic`` (as printed), ``economic-department``,
    ``economic-government`` (department 款 are mapped through the 对照表 for
    ``unit_kind`` 机关 or 事业单位), or ``functional,<economic tree>``:
    rows by function, one column per economic 类 (``column_depth="款"``: per
    款) after the 合计; crossing takes one measure.  ``depth`` (类, 款, 项)
    cuts the rows; by default the tree's deepest level.

    ``by="revenue"`` rolls revenue codes up into 类/款/项/目.

    Items coded above the leaves (a 款 code in a 项 table) count in that
    node's total once, and are shown in a row of their own, marked
    ``direct``.  Amounts are exact: ``input_unit`` (元 or 万元; by default the
    unit printed in the amount headers, ``金额（万元）``, or by a ``单位：万元``
    line above the header, else 元) is converted to 元; a header and a line
    that disagree are an error.  Items that cannot be placed — no, invalid, unknown or
    other-edition code, an amount that is not a number, a row with cells
    beyond the header or without a cell it needs, a 合计 row — go to the
    :class:`Report` with their row number, so that ``input = placed +
    reported`` always holds; ``strict=True`` raises
    :class:`~govcodes.InputError` at the first of them instead.

    ``engine`` (see :mod:`govcodes.engines`) is ``python`` (govcodes' own
    loops), ``duckdb`` (CSV and Parquet files, DataFrames; ``pip install
    'govcodes[duckdb]'``), ``spark`` (a Spark DataFrame, or the name of a
    table of the active Spark session; ``pip install 'govcodes[spark]'``) or
    ``auto``: duckdb for a big CSV or a Parquet file when it is installed,
    spark for a Spark DataFrame, else python.  Every engine gives the same
    rollup, to the fen, with the same report.

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
    dims = dimensions(by)
    crossed = len(dims) == 2
    row_dim = dims[0]
    deepest = max_depth(row_dim)
    if depth is None:
        depth = deepest
    if depth not in _DEPTHS or _DEPTHS.index(depth) > _DEPTHS.index(deepest):
        expected = {"项": "类, 款 or 项", "目": "类, 款, 项 or 目"}.get(deepest, "类 or 款 (economic trees have no 项)")
        raise InputError("unknown depth", value=depth, expected=expected)
    if column_depth not in ("类", "款"):
        raise InputError("unknown column depth", value=column_depth, expected="类 or 款")
    if unit_kind not in ("机关", "事业单位"):
        raise InputError("unknown kind of unit", value=unit_kind, expected="机关 or 事业单位")
    if input_unit is not None:
        check_unit(input_unit)
    if engine == "spark" and isinstance(items, str):  # the name of a table of the active Spark session
        from ..engines.spark import table

        items = table(items)
    source = items_of(items)
    if year == "latest" and source.year is not None:  # the default: the year the items' title states, if any
        from ..model import editions

        if source.year in editions():
            year = source.year
    from ..engines import choose

    chosen = choose(engine, source)
    # a SQL engine starts scanning before the edition is loaded: the placers get it before they place
    ed = _edition_of(year, as_of, extensions) if chosen == "python" or year is None else _LATER
    plan = _plan(source, ed, dims, measures, code_column, economic_column, input_unit, unit_kind,
                 crossed and column_depth is not None, strict)
    if plan is None:  # no items at all: an empty rollup
        names = tuple([measures] if isinstance(measures, str) else measures or ("金额",))
        acc = Accumulator(source.name, code_idx=[], amount_idx=[], measures=names, placers=[], name_idx=None,
                          width=0, strict=strict)
        titles: Sequence[str] = [measure_title(m) for m in names]
        factor = UNITS[input_unit or "元"]
    else:
        acc, titles, factor = plan
        if chosen == "python":
            acc.read(source)
        else:
            from ..codes import LENGTHS
            from ..engines import start

            if crossed:
                acc.column_width = LENGTHS[column_depth]
            running = start(chosen, acc, source)
            try:
                if ed is _LATER:
                    ed = _edition_of(year, as_of, extensions)
                    for placer in acc.placers:
                        placer.edition = ed
            except BaseException:
                running.backend.close()
                raise
            running.finish()
    if ed is _LATER:
        ed = _edition_of(year, as_of, extensions)

    def name_of(code: str) -> str | None:
        if ed is not None:
            entry = ed.get(code)
            if entry is not None:
                return entry.name
        return acc.names.get(code)

    return build(acc, year=ed.year if ed is not None else None, dims=dims, depth=depth,
                 column_depth=column_depth if crossed else None, titles=titles, factor=factor, name_of=name_of)


def _edition_of(year: object, as_of: object, extensions: object) -> Edition | None:
    """The edition a rollup uses: of ``year`` as of ``as_of``, with the local ``extensions`` layered on it."""
    ed = resolve_edition(year, as_of)
    if extensions is not None:
        if ed is None:
            raise InputError("local extensions are layered on an edition", value=extensions,
                             expected="a year (not year=None)")
        from ..model import edition

        ed = edition(ed.year, as_of=ed.as_of, extensions=extensions)
    return ed


def _plan(items: Items, edition: Edition | None, dims: tuple[str, ...], measures: str | Sequence[str] | None,
          code_col: str | None, economic_col: str | None, input_unit: str | None, unit_kind: str,
          crossed: bool, strict: bool) -> tuple[Accumulator, list[str], Decimal] | None:
    """The columns the rollup reads and the accumulator that sums them; None for no items at all."""
    header = items.header
    if not header:
        return None
    if isinstance(measures, str):
        measures = [measures]
    cols = recognise_columns(header)
    code_idx = []
    roles = []
    placers = []
    for i, dim in enumerate(dims):
        explicit = code_col if i == 0 else economic_col
        if i == 0 and dim not in ("functional", "revenue") and explicit is None:
            explicit = economic_col
        index, role = code_column(dim, header, cols, explicit)
        if dim == "economic-government" and edition is None and role == "economic-department":
            raise InputError("rolling department economic codes into the government classification "
                             "needs an edition's 对照表", value=header[index],
                             expected="a year (not year=None), or a column of government codes")
        code_idx.append(index)
        roles.append(role)
        placers.append(Placer(dim, edition, unit_kind, header[index]))
    if measures:
        amount_idx = [find_column(header, m, "amount") for m in measures]
    else:
        amount_idx = [find_column(header, m, "amount") for m in cols.measures]
        if not amount_idx:
            raise InputError("no amount column", value=list(header),
                             expected="a header such as 金额, 合计, 基本支出 or 项目支出, or the columns "
                                      "named explicitly (measures=... / --measure)")
    if len(set(amount_idx)) != len(amount_idx):
        raise InputError("an amount column is named twice", value=[header[i] for i in amount_idx])
    if crossed and len(amount_idx) != 1:
        raise InputError("a crossed rollup takes one amount column", value=[header[i] for i in amount_idx],
                         expected="one measure, such as measures='金额'")
    chosen = [header[i] for i in amount_idx]
    titles = [measure_title(m) for m in chosen]
    titles = [t if titles.count(t) == 1 else m for t, m in zip(titles, chosen)]
    units = {header_key(m)[1] for m in chosen}
    printed_unit = units.pop() if len(units) == 1 else None
    stated = items.unit  # a 单位：万元 line above the header
    if input_unit is None and printed_unit and stated and printed_unit != stated:
        raise InputError(f"{items.name}: the header says {printed_unit} and a line above it {stated}",
                         value=[printed_unit, stated], expected="one unit, or the unit given (input_unit=... / --input-unit)")
    factor = UNITS[input_unit or printed_unit or stated or "元"]
    name_idx = None
    if edition is None:  # names as printed: the name column that goes with the row codes' column
        name_col = cols.names.get("functional-name" if roles[0] == "functional" else "economic-name")
        if name_col is None and len(cols.codes) == 1 and len(cols.names) == 1:
            name_col = next(iter(cols.names.values()))
        if name_col is not None:
            name_idx = find_column(header, name_col, "name")
    acc = Accumulator(items.name, code_idx=code_idx, amount_idx=amount_idx, measures=chosen, placers=placers,
                      name_idx=name_idx, width=max(items.width, len(header)), strict=strict)
    return acc, titles, factor
