"""Placing codes: where a code cell of a line item goes in a tree, or why it cannot go anywhere.

The trees a rollup can be made by (:data:`DIMENSIONS`) and the choice of
the columns that feed them are decided here; :class:`Placer` turns each
distinct code cell into its node (code and name) or a :class:`Problem`,
once, and remembers it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Optional, Union

from ..codes import (ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT, FUNCTIONAL, LENGTHS, REVENUE, classification_of,
                     first_digits, is_local_extension, lengths_of, split_code_name)
from ..errors import InputError, InvalidCodeError
from ..readers.items import Columns, find_column
from ..readers.vocabulary import is_total_label
from .result import Problem

if TYPE_CHECKING:
    from ..model import Edition

__all__ = ["DIMENSIONS", "Placer", "dimensions", "code_column", "resolve_edition", "max_depth"]

#: The trees items can be rolled up by.  ``economic`` takes economic codes as
#: printed (3… department, 5… government); ``economic-government`` rolls
#: department codes into government 款 through the edition's 对照表.
DIMENSIONS = ("functional", "economic", "economic-department", "economic-government", "revenue")

#: The classifications each tree takes codes of (economic-government also takes department codes,
#: through the 对照表).
_TAKES = {"functional": (FUNCTIONAL,), "economic": (ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT),
          "economic-department": (ECONOMIC_DEPARTMENT,), "economic-government": (ECONOMIC_GOVERNMENT, ECONOMIC_DEPARTMENT),
          "revenue": (REVENUE,)}
_DIM_NAMES = {"functional": "functional", "economic": "economic", "economic-department": "department economic",
              "economic-government": "government economic", "revenue": "revenue"}
#: Unknown codes that get suggestions ("did you mean …"); the rest are reported without, so that
#: a file of a hundred thousand wrong codes is reported at once.
SUGGESTIONS = 50

_Placed = Union[tuple[str, Optional[str]], Problem]


def max_depth(dim: str) -> str:
    """The deepest level of a tree: 项 for function, 目 for revenue, 款 for the economic trees."""
    if dim == "functional":
        return "项"
    if dim == "revenue":
        return "目"
    return "款"


def _lengths(dim: str) -> tuple[int, ...]:
    return lengths_of(FUNCTIONAL if dim == "functional" else REVENUE if dim == "revenue" else ECONOMIC_GOVERNMENT)


class Placer:
    """Where the codes of one tree go: a cell → (code, printed name), or a :class:`Problem` (cached)."""

    def __init__(self, dim: str, edition: Edition | None, unit_kind: str, column: str) -> None:
        self.dim = dim
        self.edition = edition
        self.unit_kind = unit_kind
        self.column = column
        self.cache: dict[Any, _Placed] = {}
        self.suggested = 0
        #: cells placed by their code whose printed name is another's or none of the code's (a warning each)
        self.warnings: dict[Any, str] = {}

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
            if is_total_label(cell):
                return self._problem("total-row", f"{cell!r} in column {self.column} is a total row, "
                                     "not a line item", cell)
            shown = cell if not isinstance(cell, str) or len(cell) <= 60 else cell[:60] + "…"
            return self._problem("invalid-code", f"{shown!r} in column {self.column} is not a {what} code", cell)
        cls = classification_of(code)
        if cls not in _TAKES[self.dim]:
            digits = " or ".join(first_digits(c) for c in _TAKES[self.dim])
            return self._problem("wrong-classification",
                                 f"{code} in column {self.column} is not a {what} code "
                                 f"(a {what} code starts with {digits})", cell)
        ed = self.edition
        if is_local_extension(code) and self.dim not in ("functional", "revenue") and (
                ed is None or code not in ed):
            # a provincial 7-digit extension below the national 款 (3021101 差旅费): counted in the 款
            code, name = code[:5], None
        lengths = _lengths(self.dim)
        if len(code) not in lengths and (ed is None or code not in ed):  # a local extension layered on the edition is in it
            return self._problem("wrong-level", f"{code} in column {self.column} has {len(code)} digits; "
                                 f"{what} codes have {', '.join(map(str, lengths[:-1]))} or {lengths[-1]}", cell)
        if ed is None:
            if cls == ECONOMIC_DEPARTMENT and self.dim == "economic-government":
                return self._problem("no-counterpart", f"{code} is a department economic code: rolling it into "
                                     "the government classification needs an edition's 对照表", cell)
            return code, name
        entry = ed.get(code)
        if entry is None:
            return self._unknown(code, cell)
        if name:
            from ..search import misnamed

            why = misnamed(ed, entry, name)
            if why:
                shown = cell.rstrip("\r\n") if isinstance(cell, str) else cell
                self.warnings[cell] = f"{shown!r} in column {self.column}: {why}; counted under {code}, as the code says"
        if self.dim == "economic-government" and entry.classification != ECONOMIC_GOVERNMENT:
            if len(entry.code) == LENGTHS["类"]:
                return self._problem("no-counterpart", f"{code} is a department economic 类; the 对照表 maps 款 "
                                     "to government 款", cell)
            target = entry.government(self.unit_kind)
            if target is None:
                return self._problem("no-counterpart", f"{code} {entry.name} has no government counterpart "
                                     f"for {self.unit_kind} in the {ed.year} 对照表", cell)
            return target.code, target.name
        return code, entry.name

    def _unknown(self, code: str, cell: Any) -> Problem:
        from ..model import years_of

        ed = self.edition
        assert ed is not None
        later = ed.amended_later(code)
        if later is not None:
            return self._problem("other-edition", f"{code} is not in {ed.label} "
                                 f"({later.kind} by {later.citation})", cell)
        others = [y for y in years_of(code) if y != ed.year]
        if others:
            return self._problem("other-edition", f"{code} is not in {ed.label} "
                                 f"(it is in {', '.join(str(y) for y in others)})", cell)
        message = f"{code} is not in {ed.label}"
        if self.suggested < SUGGESTIONS:
            from ..search import suggest

            self.suggested += 1
            hints = suggest(ed, code, cell)[:3]
            if hints:
                message += "; did you mean " + ", ".join(hints) + "?"
        return self._problem("unknown-code", message, cell)

    def expected(self, kind: str) -> str:
        """What a cell should have held, for the message of an error in strict mode."""
        ed = self.edition
        if kind in ("unknown-code", "other-edition"):
            return f"a code of the {ed.year} edition" if ed else "a code"
        if kind == "no-counterpart":
            return "a department 款 listed in the 对照表, or a government code"
        example = {"functional": "2080101", "revenue": "101010101"}.get(self.dim, "30101")
        return f"a code such as {example} (any printed form)"


def dimensions(by: str | Sequence[str]) -> tuple[str, ...]:
    """The trees of ``by``: one, or function crossed with an economic tree."""
    parts = [p.strip() for p in by.split(",")] if isinstance(by, str) else [str(p).strip() for p in by]
    dims = tuple(p for p in parts if p)
    for d in dims:
        if d not in DIMENSIONS:
            raise InputError("unknown tree to roll up by", value=d, expected=", ".join(DIMENSIONS))
    if len(dims) == 1:
        return dims
    if len(dims) == 2 and dims[0] == "functional" and dims[1] not in ("functional", "revenue"):
        return dims
    raise InputError("cannot roll up by this", value=by,
                     expected="one tree, or functional crossed with an economic tree "
                              "(functional,economic-department)")


_PREFER = {
    "functional": ("functional",),
    "economic": ("economic", "economic-department", "economic-government"),
    "economic-department": ("economic-department", "economic"),
    "economic-government": ("economic-government", "economic", "economic-department"),
    "revenue": ("revenue", "functional"),
}
_EXAMPLES = {"functional": "功能科目, 科目编码 or 功能分类科目编码",
             "economic": "经济科目, 部门经济分类 or 政府经济分类",
             "economic-department": "部门经济分类 or 经济科目",
             "economic-government": "政府经济分类, 经济科目 or 部门经济分类",
             "revenue": "收入科目 or 科目编码"}


def code_column(dim: str, header: Sequence[str], cols: Columns, explicit: str | None) -> tuple[int, str]:
    """(index, role) of the column of codes of tree ``dim``: named, or recognised from the header."""
    if explicit is not None:
        index = find_column(header, explicit, "code")
        role = next((r for r, c in cols.codes.items() if c == header[index]), dim)
        return index, role
    for role in _PREFER[dim]:
        if role in cols.codes:
            return find_column(header, cols.codes[role], "code"), role
    raise InputError(f"no column of {_DIM_NAMES[dim]} codes", value=list(header),
                     expected=f"a header such as {_EXAMPLES[dim]}, or the column named explicitly "
                              "(code_column=... / --code-column)")


def resolve_edition(year: object, as_of: object = None) -> Edition | None:
    """The edition a rollup uses: an Edition, a year, ``"latest"``, or None (by code structure only).

    ``as_of`` (a date) takes the year's edition as it stood on that day.
    """
    if year is None:
        if as_of is not None:
            raise InputError("as_of needs an edition", value=as_of, expected="a year (not year=None)")
        return None
    from ..model import Edition, edition

    if isinstance(year, Edition):
        if as_of is not None:
            return edition(year.year, as_of=as_of)
        return year
    if year == "latest":
        return edition(as_of=as_of)
    return edition(year, as_of=as_of)  # type: ignore[arg-type]
