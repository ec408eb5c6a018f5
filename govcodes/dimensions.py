"""Dimension tables of an edition, for SQL engines and DataFrames.

With these four tables any SQL engine (DuckDB, Spark, a warehouse) can
roll line items up with govcodes' names and tree:

``codes``
    code, name, level, parent, classification, provenance: every entry of
    the edition (all of its parts);
``closure``
    ancestor, descendant, depth: every code with itself (depth 0) and each
    code above it (depth 1 for the parent …), for every part, so that
    ``JOIN closure ON descendant = item_code GROUP BY ancestor`` gives the
    total of every 类, 款 and 项 at once;
``correspondence``
    the 对照表: department 款, government 款, kind of unit (机关, 事业单位,
    ``*`` for both), provenance;
``crosswalk``
    old_code, new_code, kind, share: where each code of one edition goes in
    another (:func:`govcodes.crosswalk`); a split without known shares has
    no share, a code with no successor has no row.

>>> t = dimension_table("closure", 2026)
>>> t.columns
('ancestor', 'descendant', 'depth')
>>> [r for r in t.rows if r[1] == "2080101"]
[('2080101', '2080101', 0), ('20801', '2080101', 1), ('208', '2080101', 2)]
>>> [r for r in dimension_table("crosswalk", 2017, to_year=2018).to_dicts() if r["old_code"] == "30311"]
[{'old_code': '30311', 'new_code': '30113', 'kind': 'moved', 'share': None}]
>>> dimension_table("codes", 2026).to_dicts()[0]
{'code': '101', 'name': '税收收入', 'level': '类', 'parent': None, 'classification': 'revenue', 'provenance': 'compiled'}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import InputError
from .frames import Frame

if TYPE_CHECKING:
    from .model import Edition

__all__ = ["TABLES", "dimension_table"]

#: The dimension tables, and their columns.
TABLES = {
    "codes": ("code", "name", "level", "parent", "classification", "provenance"),
    "closure": ("ancestor", "descendant", "depth"),
    "correspondence": ("department", "government", "unit", "provenance"),
    "crosswalk": ("old_code", "new_code", "kind", "share"),
}
_TYPES = {
    "codes": ("string",) * 6,
    "closure": ("string", "string", "int"),
    "correspondence": ("string",) * 4,
    "crosswalk": ("string", "string", "string", "decimal"),
}


def dimension_table(table: str, year: int | str | Edition | None = None, *, to_year: int | None = None) -> Frame:
    """The dimension table ``table`` (one of :data:`TABLES`) of an edition, as a :class:`~govcodes.frames.Frame`.

    ``year`` is the edition (the latest by default; an Edition is taken);
    ``to_year`` is the other edition of a crosswalk (required for it).  The
    Frame converts with ``to_arrow()``, ``to_pandas()``, ``to_polars()`` and
    writes with ``write(path)`` (Parquet, CSV, JSON).
    """
    from .model import Edition, edition

    if table not in TABLES:
        raise InputError("unknown dimension table", value=table, expected=", ".join(TABLES))
    ed = year if isinstance(year, Edition) else edition(year)
    if table == "crosswalk":
        if to_year is None:
            raise InputError("a crosswalk is between two editions", expected="the other edition (to_year=... / --to)")
        rows = _crosswalk(ed.year, to_year)
        name = f"crosswalk_{ed.year}_{to_year}"
    else:
        if to_year is not None:
            raise InputError(f"the {table} table is of one edition", value=to_year,
                             expected="to_year only with the crosswalk table")
        rows = {"codes": _codes, "closure": _closure, "correspondence": _correspondence}[table](ed)
        name = f"{table}_{ed.year}"
    return Frame(TABLES[table], _TYPES[table], rows, name)


def _codes(ed: Edition) -> list[tuple[object, ...]]:
    from .codes import parent_of

    return [(c.code, c.name, c.level, parent_of(c.code), c.classification, c._source) for c in ed]


def _closure(ed: Edition) -> list[tuple[object, ...]]:
    from .codes import parent_of

    rows: list[tuple[object, ...]] = []
    for c in ed:
        node: str | None = c.code
        depth = 0
        while node is not None:
            rows.append((node, c.code, depth))
            node = parent_of(node)
            depth += 1
    return rows


def _correspondence(ed: Edition) -> list[tuple[object, ...]]:
    return [(r.department, r.government, r.unit, r.provenance.kind) for r in ed.correspondence]


def _crosswalk(a: int, b: int) -> list[tuple[object, ...]]:
    from .changes import crosswalk

    return [(old, m.code, m.kind, m.share) for old, entries in sorted(crosswalk(a, b).items()) for m in entries]
