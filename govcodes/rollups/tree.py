"""Building the tree: the sums by code cell become the rows of every 类, 款, 项 (and 目) they fall in.

Each distinct code cell is placed once (the cells were placed while
reading), its sum converted to 元 exactly and added to its node and every
node above it.  A node that has items coded at the node itself as well as
below it gets a ``direct`` row, so that every parent equals the sum of the
rows below it and nothing is counted twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING

import attrs

from ..codes import LENGTHS, LEVELS, parent_of
from ..errors import InputError
from ..money import exact
from .result import Column, Problem, Report, Rollup, Row

if TYPE_CHECKING:
    from .fast import Accumulator
    from .placing import Placer

__all__ = ["build", "merge_rollups", "columns_of"]

_ZERO = Decimal(0)


def build(acc: Accumulator, *, year: int | None, dims: tuple[str, ...], depth: str, column_depth: str | None,
          titles: Sequence[str], factor: Decimal, name_of: Callable[[str], str | None]) -> Rollup:
    """The :class:`Rollup` of what ``acc`` summed."""
    crossed = column_depth is not None
    nm = len(acc.measures)
    placers: list[Placer] = acc.placers
    leaf: dict[tuple[str, str | None], list[Decimal]] = {}
    cents = acc.cents
    warned: dict[tuple[int, object], tuple[int, list[Decimal]]] = {}  # (placer, cell) -> (first row, amounts)
    with exact():
        for key, value in acc.sums.items():
            if nm == 1 and cents.get(key):
                value = value + Decimal(cents[key]).scaleb(-2)
            cells = key if isinstance(key, tuple) else (key,)
            rcode = placers[0].place(cells[0])[0]  # type: ignore[index]
            col = None
            if crossed:
                ecode = placers[1].place(cells[1])[0]  # type: ignore[index]
                col = ecode[: LENGTHS[column_depth]]  # type: ignore[index]
            for i, (placer, cell) in enumerate(zip(placers, cells)):  # placed above (in this process)
                if cell in placer.warnings:
                    amounts = [value * factor] if nm == 1 else [v * factor for v in value]
                    row, before = warned.get((i, cell), (acc.first.get(key, 0), [_ZERO] * len(amounts)))
                    warned[(i, cell)] = (min(row, acc.first.get(key, row)), [a + b for a, b in zip(before, amounts)])
            values = [value] if nm == 1 else value
            found = leaf.get((rcode, col))
            if found is None:
                leaf[(rcode, col)] = list(values)
            else:
                for i, v in enumerate(values):
                    found[i] += v
        if factor != 1:
            for vec in leaf.values():
                for i, v in enumerate(vec):
                    vec[i] = v * factor
        columns = columns_of(acc.measures, titles, column_depth,
                             sorted({c for _, c in leaf if c is not None}) if crossed else [], name_of)
        index = {c.code: i for i, c in enumerate(columns) if c.code is not None}
        ncols = len(columns)
        direct: dict[str, list[Decimal]] = {}
        for (rcode, col), values in leaf.items():
            vec = direct.get(rcode) or direct.setdefault(rcode, [_ZERO] * ncols)
            if crossed:
                vec[0] += values[0]
                vec[index[col]] += values[0]  # type: ignore[index]
            else:
                for i, v in enumerate(values):
                    vec[i] += v
        rows, grand = _tree(direct, ncols, depth, name_of)
        reported = tuple(v * factor for v in acc.reported)
        problems = tuple(acc.problems)
        if factor != 1:
            problems = tuple(attrs.evolve(p, amounts=tuple(None if a is None else a * factor for a in p.amounts))
                             for p in problems)
    warnings = tuple(sorted((Problem(row, "name-mismatch", placers[i].warnings[cell],
                                     (cell.rstrip("\r\n") if isinstance(cell, str) else cell,), tuple(amounts),
                                     ()) for (i, cell), (row, amounts) in warned.items()),
                            key=lambda p: p.row or 0))
    return Rollup(year=year, by=dims, depth=depth, column_depth=column_depth, measures=acc.measures,
                  columns=tuple(columns), rows=rows, total=tuple(grand),
                  report=Report(acc.measures, problems, reported, warnings))


def _tree(direct: dict[str, list[Decimal]], ncols: int, depth: str, name_of: Callable[[str], str | None]
          ) -> tuple[tuple[Row, ...], list[Decimal]]:
    """The rows down to ``depth`` and the grand total, from the amounts coded at each node."""
    totals: dict[str, list[Decimal]] = {}
    with exact():
        for code, vec in direct.items():
            node: str | None = code
            while node is not None:
                found = totals.get(node)
                if found is None:
                    totals[node] = list(vec)
                else:
                    for i, v in enumerate(vec):
                        found[i] += v
                node = parent_of(node)
        grand = [_ZERO] * ncols
        for code, vec in totals.items():
            if parent_of(code) is None:  # a 类
                for i, v in enumerate(vec):
                    grand[i] += v
    limit = LENGTHS[depth]
    out: list[tuple[str, Row]] = []
    for code, vec in totals.items():
        if len(code) > limit:
            continue
        out.append((code, Row(code, name_of(code), tuple(vec))))
        if len(code) < limit and code in direct:
            below = LEVELS[len(code) + 2]
            out.append((code + "\0", Row(code, f"（未细分到{below}）", tuple(direct[code]), direct=True)))
    out.sort(key=itemgetter(0))
    return tuple(r for _, r in out), grand


def columns_of(measures: Sequence[str], titles: Sequence[str], column_depth: str | None, codes: Sequence[str],
               name_of: Callable[[str], str | None]) -> list[Column]:
    """The amount columns: one per measure, or (crossed) the 合计 and one per economic code."""
    if column_depth is None:
        return [Column(m, t, m) for m, t in zip(measures, titles)]
    measure = measures[0] if measures else ""
    columns = [Column("合计", "合计", measure)]
    limit = LENGTHS[column_depth]
    for code in codes:
        name = name_of(code) or code
        if len(code) < limit:
            name += f"（未细分到{LEVELS[limit]}）"
        columns.append(Column(code, name, measure, code))
    return columns


def merge_rollups(parts: Sequence[Rollup]) -> Rollup:
    """Rollups of parts of the same data added up exactly (see :meth:`Rollup.merge`)."""
    first = parts[0]
    for other in parts[1:]:
        for attr in ("year", "by", "depth", "column_depth", "measures"):
            if getattr(other, attr) != getattr(first, attr):
                raise InputError(f"rollups to merge differ in {attr}", value=(getattr(first, attr), getattr(other, attr)),
                                 expected="rollups of the same edition, trees, depths and measures")
        if first.column_depth is None and [c.title for c in other.columns] != [c.title for c in first.columns]:
            raise InputError("rollups to merge have different columns",
                             value=([c.title for c in first.columns], [c.title for c in other.columns]))
    crossed = first.column_depth is not None
    columns: dict[str, Column] = {}
    for part in parts:
        for c in part.columns:
            columns.setdefault(c.key, c)
    if crossed:
        total_col = columns.pop("合计")
        ordered = [total_col] + [columns[k] for k in sorted(columns)]
    else:
        ordered = list(first.columns)
    index = {c.key: i for i, c in enumerate(ordered)}
    ncols = len(ordered)
    names: dict[str, str | None] = {}
    direct: dict[str, list[Decimal]] = {}
    with exact():
        for part in parts:
            keys = [index[c.key] for c in part.columns]
            for row in part.rows:
                if not row.direct:
                    names.setdefault(row.code, row.name)
            for code, amounts in _coded_at(part).items():  # a leaf row's own, or a node's direct row
                vec = direct.setdefault(code, [_ZERO] * ncols)
                for k, v in zip(keys, amounts):
                    vec[k] += v
        rows, grand = _tree(direct, ncols, first.depth, lambda code: names.get(code))
        report_total = tuple(sum(vals, _ZERO) for vals in zip(*(p.report.total for p in parts)))
    problems = tuple(p for part in parts for p in part.report.problems)
    warnings = tuple(w for part in parts for w in part.report.warnings)
    return Rollup(year=first.year, by=first.by, depth=first.depth, column_depth=first.column_depth,
                  measures=first.measures, columns=tuple(ordered), rows=rows, total=tuple(grand),
                  report=Report(first.measures, problems, report_total, warnings))


def _coded_at(rollup: Rollup) -> dict[str, tuple[Decimal, ...]]:
    """The amounts coded at each node of a rollup: its direct rows, and its rows with nothing below."""
    rows = rollup.rows
    out: dict[str, tuple[Decimal, ...]] = {}
    below: set[str] = set()
    for row in rows:
        if not row.direct and parent_of(row.code) is not None:
            below.add(parent_of(row.code))  # type: ignore[arg-type]
    for row in rows:
        if row.direct:
            out[row.code] = row.amounts
        elif row.code not in below:
            out[row.code] = row.amounts
    return out
