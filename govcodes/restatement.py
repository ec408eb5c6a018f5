"""Restating line items coded in one edition into the codes of another.

Every amount ends up either restated or in the report, so the totals are
conserved exactly.  A split without known shares, a code with no successor,
and a code the source edition does not have need a decision: give ``shares``
or ``overrides``, or find them in ``Restatement.unplaced``.

>>> import govcodes
>>> from decimal import Decimal
>>> r = govcodes.restate([{"code": "30311", "amount": "10.00"}], 2017, 2018)
>>> r.items[0]["code"], r.items[0]["amount"]
('30113', Decimal('10.00'))
>>> r.conserved
True

Memory stays flat on a file of any size: what a restatement holds is its
totals and its report; the restated items of a big file are made again,
row by row, each time they are read (:attr:`Restatement.items`,
:meth:`Restatement.write_csv`).  With ``engine="duckdb"`` the file is
scanned by DuckDB, which also writes the restated items of a plain file
itself (see :mod:`govcodes.engines.restating`).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import ROUND_DOWN, Decimal, Inexact, InvalidOperation
from typing import IO, Any

import attrs

from .codes import lineage_of, normalize_code
from .errors import InputError, InvalidCodeError
from .money import EXACT, PLAIN, parse_amount
from .readers.items import blank_cell

__all__ = ["Restatement", "RestatedItems", "Unplaced", "Mismatch", "restate", "read_shares", "ORIGINAL", "SHARE"]

#: The field of a restated item that keeps its code in the older edition.
ORIGINAL = "original_code"
#: The field of a part of a split item: the share of the item it holds.
SHARE = "share"
#: At most this many restated items are held in memory; a file with more is read again when they are wanted.
HELD = 100_000

_CENT = Decimal("0.01")
_ZERO = Decimal(0)
_ABSENT: Any = object()
_WHOLE = (Decimal(1),)
_ONE = Decimal(1)


@attrs.frozen(slots=True)
class Unplaced:
    """An input item (or part of one) that could not be restated, and why."""

    row: int
    code: str
    amounts: Mapping[str, Decimal]
    reason: str
    candidates: tuple[str, ...] = ()


@attrs.frozen(slots=True)
class Mismatch:
    """Items restated by their code although the name printed with it is not the code's.

    ``cell`` is the code cell as printed (``[2080101]学前教育``), ``row`` the
    first row holding it, ``message`` what the edition says, and ``amounts``
    the total of every row with that cell, per amount column.
    """

    row: int
    cell: str
    message: str
    amounts: Mapping[str, Decimal]


class RestatedItems(Sequence[dict[str, Any]]):
    """The restated items of a :class:`Restatement`, in input order: held in memory, or (a big file) made
    again from the file each time they are iterated, so that memory stays flat."""

    __slots__ = ("_count", "_held", "_again")

    def __init__(self, count: int, held: list[dict[str, Any]] | None,
                 again: Callable[[], Iterator[dict[str, Any]]] | None = None) -> None:
        self._count = count
        self._held = held
        self._again = again

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[dict[str, Any]]:
        if self._held is not None:
            return iter(self._held)
        assert self._again is not None
        return self._again()

    def __getitem__(self, index: Any) -> Any:
        if self._held is not None:
            return self._held[index]
        if isinstance(index, slice):
            return list(itertools.islice(self, *index.indices(self._count)))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("restated item index out of range")
        return next(itertools.islice(self, index, None))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, RestatedItems):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        if isinstance(other, (list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        where = "held" if self._held is not None else "read again from the file when iterated"
        return f"<{self._count} restated items, {where}>"


@attrs.frozen(slots=True)
class Restatement:
    """The restated items, the unplaced ones, and the totals that prove nothing was lost.

    ``items`` are the input items with the new codes in their code columns
    (``code_key`` the first of them, whose totals ``by_code`` holds), the old
    ones under ``original_code`` (and ``original_C`` for any other code column
    C), every other column kept; ``fields`` the columns of the restated items,
    in order (the input's, then the original codes, and ``share`` when an
    item was split); ``amount_keys``
    the amount columns restated; ``warnings`` the code cells whose printed
    name is not the code's (:class:`Mismatch`): restated by the code, but
    worth a look.  ``engine`` is the engine that read the items.
    """

    from_year: int
    to_year: int
    items: Sequence[dict[str, Any]]
    unplaced: tuple[Unplaced, ...]
    input_totals: Mapping[str, Decimal]
    code_key: str = "code"
    warnings: tuple[Mismatch, ...] = ()
    fields: tuple[str, ...] = ()
    #: the restated amounts per new code (the totals of ``items``, made as they were read)
    by_code: Mapping[str, Mapping[str, Decimal]] = attrs.field(factory=dict, repr=False)
    engine: str = "python"
    #: how the engine writes the restated items as CSV itself, when it can (see :meth:`write_csv`)
    writer: Callable[[IO[str], bool], bool] | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def amount_keys(self) -> tuple[str, ...]:
        """The amount columns restated."""
        return tuple(self.input_totals)

    @property
    def placed_totals(self) -> dict[str, Decimal]:
        """Per amount column: the total of the restated items."""
        out = {k: Decimal(0) for k in self.input_totals}
        for sums in self.by_code.values():
            for k in out:
                out[k] = EXACT.add(out[k], sums[k])
        return out

    @property
    def unplaced_totals(self) -> dict[str, Decimal]:
        """Per amount column: the total of what could not be restated."""
        out = {k: Decimal(0) for k in self.input_totals}
        for u in self.unplaced:
            for k, v in u.amounts.items():
                out[k] = EXACT.add(out[k], v)
        return out

    @property
    def conserved(self) -> bool:
        """True when placed + unplaced equals the input, exactly, for every amount column."""
        placed, unplaced = self.placed_totals, self.unplaced_totals
        return all(EXACT.add(placed[k], unplaced[k]) == v for k, v in self.input_totals.items())

    def totals_by_code(self) -> dict[str, dict[str, Decimal]]:
        """The restated amounts summed per target code, in code order."""
        return {code: dict(sums) for code, sums in sorted(self.by_code.items())}

    def write_csv(self, out: IO[str], english: bool = False) -> None:
        """Write the restated items to the text stream ``out`` as CSV, headed as every govcodes CSV is
        (``english``: by the field names), a piece at a time.

        The duckdb engine writes the items of a plain CSV file itself (the same text, faster); otherwise
        they are made again row by row.

        >>> import io, govcodes
        >>> out = io.StringIO()
        >>> govcodes.restate([{"科目编码": "30311", "金额": "10"}], 2017, 2018).write_csv(out)
        >>> print(out.getvalue(), end="")
        科目编码,金额,原编码
        30113,10.00,30311
        """
        from .render import fields_csv_chunks

        if self.writer is not None and self.writer(out, english):
            return
        for chunk in fields_csv_chunks(self.items, self.fields, english):
            out.write(chunk)


def _split(amount: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` by ``shares`` at the amount's precision (at least the fen); the parts sum to it exactly."""
    exponent = amount.as_tuple().exponent
    if len(shares) == 1 and shares[0] == 1:  # the whole amount, at least to the fen
        return [amount if isinstance(exponent, int) and exponent <= -2 else amount.quantize(_CENT, context=EXACT)]
    quantum = Decimal(1).scaleb(min(exponent, -2) if isinstance(exponent, int) else -2)
    ctx = EXACT.copy()
    ctx.traps[Inexact] = False  # the parts round down on purpose; the remainder goes to the biggest
    parts = [ctx.multiply(amount, s).quantize(quantum, rounding=ROUND_DOWN, context=ctx) for s in shares]
    remainder = ctx.subtract(amount, sum(parts, Decimal(0)))
    biggest = max(range(len(shares)), key=lambda i: shares[i])
    parts[biggest] = ctx.add(parts[biggest], remainder)
    return parts


def read_shares(path: str | os.PathLike[str]) -> dict[str, dict[str, str]]:
    """Shares for splits from a CSV file with the columns old_code, new_code, share.

    Returns ``{old_code: {new_code: share}}`` as :func:`restate` takes it;
    :class:`~govcodes.InputError` naming the line of a row that lacks a value.
    """
    from .readers.items import read_items

    items = read_items(path)
    missing = [c for c in ("old_code", "new_code", "share") if c not in items.header]
    if missing:
        raise InputError(f"{items.name}: the shares file needs the columns old_code, new_code, share",
                         value=list(items.header), expected="a header old_code,new_code,share")
    shares: dict[str, dict[str, str]] = {}
    for line, row in items.records():
        old, new, share = (str(row.get(k) or "").strip() for k in ("old_code", "new_code", "share"))
        if not (old and new and share):
            raise InputError(f"{items.name}: line {line}: old_code, new_code and share must all be given",
                             value=row)
        shares.setdefault(old, {})[new] = share
    return shares


def _columns(items: Any, code: str | Sequence[str] | None,
             amounts: Sequence[str] | str | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The code columns and the amount columns of ``items``: named, or recognised from the header."""
    from .readers.items import find_column, recognise_columns

    header = items.header
    cols = recognise_columns(header)
    if code is None:
        found = list(dict.fromkeys(cols.codes[r] for r in ("functional", "economic", "economic-department",
                                                            "economic-government", "revenue") if r in cols.codes))
        if not found:
            raise InputError(f"{items.name}: no code column recognised", value=list(header),
                             expected="a header such as 功能科目, 经济科目 or code, or the column named "
                                      "(code=... / --code-column)")
        code_cols = tuple(header[find_column(header, c, "code")] for c in found)  # (a column named twice: an error)
    else:
        named = [code] if isinstance(code, str) else list(code)
        if not named:
            raise InputError("no code column named", value=code, expected="a column name, or several")
        code_cols = tuple(dict.fromkeys(header[find_column(header, c, "code")] if header else c for c in named))
    if isinstance(amounts, str):
        raise InputError("amounts must name the amount columns", value=amounts,
                         expected='a list of column names, e.g. ["amount"]')
    if amounts is None:
        chosen = tuple(header[find_column(header, m, "amount")] for m in cols.measures)
        if not chosen:
            raise InputError(f"{items.name}: no amount column recognised", value=list(header),
                             expected="a header such as 金额 or amount, or the columns named (amounts=... / --measure)")
    else:
        chosen = tuple(header[find_column(header, m, "amount")] if header else m for m in amounts)
    return code_cols, tuple(chosen)


def original_of(column: str, first: bool) -> str:
    """The field that keeps a restated column's old code: ``original_code`` for the first code column,
    ``original_<column>`` for any other (headed 原<column> in Chinese output)."""
    from .render import ORIGINAL_PREFIX

    return ORIGINAL if first else ORIGINAL_PREFIX + column


class Decision:
    """What becomes of the items of one code cell: ``targets`` (new code, share), or why not (``reason``;
    ``invalid``: the cell is no code, which a 合计 row explains)."""

    __slots__ = ("old", "targets", "reason", "candidates", "invalid", "misnamed")

    def __init__(self, old: str, targets: tuple[tuple[str, Decimal], ...] = (), reason: str | None = None,
                 candidates: tuple[str, ...] = (), invalid: str | None = None, misnamed: str | None = None) -> None:
        self.old, self.targets, self.reason, self.candidates = old, targets, reason, candidates
        self.invalid, self.misnamed = invalid, misnamed

    @property
    def single(self) -> str | None:
        """The one new code all of the cell's items go to whole, or None."""
        if self.reason is None and self.invalid is None and len(self.targets) == 1 and self.targets[0][1] == 1:
            return self.targets[0][0]
        return None


class Plan:
    """What a restatement needs, checked once: the editions, the crosswalk, the caller's decisions, the
    columns; :meth:`decide` says what becomes of a code cell (once per cell)."""

    def __init__(self, items: Any, from_year: int, to_year: int, code: str | Sequence[str] | None,
                 amounts: Sequence[str] | None) -> None:
        from .changes import _check_years

        self.from_year, self.to_year = _check_years(from_year, to_year)  # (an unknown year: an error at once)
        self.source: Any = None
        self.target: Any = None
        if items.header:
            self.code_cols, self.amount_cols = _columns(items, code, amounts)
        else:
            named = ("code",) if code is None else (code,) if isinstance(code, str) else tuple(code)
            self.code_cols, self.amount_cols = named, tuple(amounts or ("amount",))
        #: the first code column (the one the totals by code are of)
        self.code_col = self.code_cols[0]
        #: each code column with the field of its old code
        self.originals = tuple((c, original_of(c, i == 0)) for i, c in enumerate(self.code_cols))
        self.walk: Mapping[str, Any] = {}
        self.shares: dict[str, dict[str, Decimal]] = {}
        self.overrides: dict[str, str] = {}
        self._decided: dict[Any, Decision] = {}
        self.prepared = False

    def prepare(self, shares: Mapping[str, Mapping[str, Any]] | str | os.PathLike[str] | None,
                overrides: Mapping[str, str] | None) -> None:
        """The crosswalk between the editions and the caller's decisions, checked (before any cell is decided;
        a SQL engine scans the items meanwhile)."""
        from .changes import crosswalk
        from .model import edition

        self.prepared = True
        self.source = edition(self.from_year)
        self.target = edition(self.to_year)
        self.walk = crosswalk(self.from_year, self.to_year)
        if isinstance(shares, (str, os.PathLike)):
            shares = read_shares(shares)
        for old, m in (shares or {}).items():
            key = normalize_code(old)
            self.shares[key] = {}
            for new, value in m.items():
                try:
                    share = value if isinstance(value, Decimal) else Decimal(str(value).strip())
                except InvalidOperation:
                    share = Decimal("NaN")
                if isinstance(value, float) or not share.is_finite() or not (0 <= share <= 1):
                    raise InputError(f"share of {old} going to {new} is not a fraction", value=value,
                                     expected="a decimal between 0 and 1, e.g. 0.25")
                self.shares[key][self._target_code(old, new, "share")] = share
            if sum(self.shares[key].values()) != 1:
                raise InputError(f"shares for {old} sum to {sum(self.shares[key].values())}", value=dict(m),
                                 expected="fractions summing to 1")
        self.overrides = {normalize_code(k): self._target_code(k, v, "override") for k, v in (overrides or {}).items()}

    def _target_code(self, old: object, new: object, what: str) -> str:
        new_code = normalize_code(new)
        if new_code not in self.target:
            raise InputError(f"{what} target {new_code} is not in the {self.to_year} edition", value=new,
                             expected=f"a code of the {self.to_year} edition")
        if lineage_of(new_code) != lineage_of(normalize_code(old)):
            raise InputError(f"{what} sends {old} into another classification", value=new,
                             expected=f"a code of the same classification as {old}")
        return new_code

    def decide(self, raw: Any) -> Decision:
        """What becomes of the items whose code cell is ``raw``."""
        try:
            return self._decided[raw]
        except KeyError:
            decision = self._decide(raw)
            self._decided[raw] = decision
            return decision
        except TypeError:  # an unhashable cell (a JSON list): decided each time
            return self._decide(raw)

    def _decide(self, raw: Any) -> Decision:
        try:
            old = normalize_code(raw)
        except InvalidCodeError as exc:
            return Decision("" if raw is None else str(raw), invalid=str(exc))
        misnamed = _misnamed(self.source, old, raw) if isinstance(raw, str) and old in self.source else None
        if old in self.overrides:  # the caller's decision, even for a code the edition lacks (a local code)
            return Decision(old, ((self.overrides[old], Decimal(1)),), misnamed=misnamed)
        if old not in self.source:
            return Decision(old, reason=f"not a code of the {self.from_year} edition")
        if old in self.shares:
            return Decision(old, tuple((t, sh) for t, sh in self.shares[old].items() if sh), misnamed=misnamed)
        maps = self.walk.get(old, [])
        if not maps:
            return Decision(old, reason=f"no successor in the {self.to_year} edition", misnamed=misnamed)
        if len(maps) == 1 and maps[0].kind != "split":
            return Decision(old, ((maps[0].code, Decimal(1)),), misnamed=misnamed)
        if all(m.share is not None for m in maps) and sum(m.share for m in maps) == 1:  # type: ignore[misc]
            return Decision(old, tuple((m.code, m.share) for m in maps), misnamed=misnamed)  # type: ignore[misc]
        return Decision(old, reason="split without known shares: give the shares (shares=... / --shares)",
                        candidates=tuple(m.code for m in maps), misnamed=misnamed)


class Tally:
    """What a restatement adds up as it reads: totals in and out, per new code, the report, the fields."""

    def __init__(self, plan: Plan, header: Sequence[str]) -> None:
        self.plan = plan
        self.header = tuple(header)
        self._header_keys = frozenset(self.header)
        self.input = {k: Decimal(0) for k in plan.amount_cols}
        self.by_code: dict[str, dict[str, Decimal]] = {}
        self.unplaced: list[Unplaced] = []
        self.mismatched: dict[tuple[str, str], tuple[int, dict[str, Decimal]]] = {}
        self.count = 0
        self.extras: dict[str, None] = {}
        self.split = False

    def add_input(self, values: Mapping[str, Decimal]) -> None:
        for k, v in values.items():
            self.input[k] = EXACT.add(self.input[k], v)

    def add_placed(self, code: str, values: Mapping[str, Decimal]) -> None:
        sums = self.by_code.get(code)
        if sums is None:
            self.by_code[code] = dict(values)
            return
        for k, v in values.items():
            sums[k] = EXACT.add(sums[k], v)

    def add_mismatch(self, column: str, cell: str, row: int, values: Mapping[str, Decimal]) -> None:
        first, sums = self.mismatched.setdefault((column, cell), (row, {k: Decimal(0) for k in values}))
        if row < first:
            self.mismatched[(column, cell)] = (row, sums)
        for k, v in values.items():
            sums[k] = EXACT.add(sums[k], v)

    def fields(self) -> tuple[str, ...]:
        """The columns of the restated items: the input's (header first), the original codes, the share."""
        return (*self.header, *self.extras, *(o for _, o in self.plan.originals), *((SHARE,) if self.split else ()))

    def warnings(self) -> tuple[Mismatch, ...]:
        found = sorted(self.mismatched.items(), key=lambda kv: kv[1][0])
        return tuple(Mismatch(first, cell, f"{cell!r} in column {column}: "
                                           f"{self.plan.decide(cell).misnamed}; restated as its code says", sums)
                     for (column, cell), (first, sums) in found)

    def row(self, row: int, item: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The restated items of one input item (none when it is reported: in ``unplaced``, or a blank row)."""
        plan = self.plan
        raw = item.get(plan.code_col)
        if blank_cell(raw) and all(blank_cell(v) for v in item.values()):
            return []  # a blank line is not an item (as rollup reads it)
        values: dict[str, Decimal] = {}
        bad = None
        add, totals = EXACT.add, self.input
        for k in plan.amount_cols:
            text = item.get(k, _ABSENT)
            if text.__class__ is str and PLAIN(text):  # the grammar's plain decimals, read as parse_amount reads them
                value = Decimal(text)
            elif text is _ABSENT:
                bad = bad or f"the item has no {k} (amount) cell"
                value = _ZERO
            else:
                try:
                    value = parse_amount(text, row=row, column=k)
                except InputError as exc:
                    bad = bad or str(exc)
                    value = _ZERO
            values[k] = value
            totals[k] = add(totals[k], value)
        if bad is not None:  # the amount cannot be read: the row is reported, its readable columns with it
            self.unplaced.append(Unplaced(row, "" if raw is None else str(raw), values, bad))
            return []
        several = len(plan.originals) > 1
        combos: list[tuple[tuple[tuple[str, ...], ...], Decimal]] = [((), _ONE)]
        for i, (column, original) in enumerate(plan.originals):
            cell = raw if i == 0 else item.get(column)
            if i and (cell is None or cell == ""):
                combos = [(path + ((column, original, ""),), share) for path, share in combos]
                continue  # (a blank cell of another code column has nothing to restate)
            decision = plan.decide(cell)
            where = f"{column}: " if several and i else ""
            if decision.invalid is not None:
                from .readers.vocabulary import is_total_label

                total_row = any(is_total_label(v) for v in item.values() if isinstance(v, str))
                self.unplaced.append(Unplaced(row, decision.old, values, "a total row (合计), not a line item"
                                              if total_row else where + decision.invalid))
                return []
            if decision.misnamed is not None:
                self.add_mismatch(column, str(cell), row, values)
            if decision.reason is not None:
                self.unplaced.append(Unplaced(row, decision.old, values, where + decision.reason,
                                              decision.candidates))
                return []
            new = decision.single
            if new is not None:
                combos = [(path + ((column, original, new, decision.old),), share) for path, share in combos]
            else:
                combos = [(path + ((column, original, t, decision.old),), EXACT.multiply(share, s))
                          for path, share in combos for t, s in decision.targets]
        if not self._header_keys.issuperset(item):
            for k in item:
                if k not in self.extras and k not in self._header_keys:
                    self.extras[k] = None
        if len(combos) == 1:  # the whole item to one code in each column: the common case
            parts: dict[str, list[Decimal]] = {k: _split(v, _WHOLE) for k, v in values.items()}
        else:
            parts = {k: _split(v, [share for _, share in combos]) for k, v in values.items()}
            self.split = True
        out = []
        for n, (path, share) in enumerate(combos):
            restated = dict(item)
            for step in path:
                column, original = step[0], step[1]
                if len(step) == 3:  # a blank cell kept blank
                    restated[original] = ""
                    continue
                restated[column] = step[2]
                restated[original] = step[3]
            if len(combos) > 1:
                restated[SHARE] = share  # only the amount columns are divided by it
            part = {k: parts[k][n] for k in values}
            restated.update(part)
            self.add_placed(path[0][2], part)
            out.append(restated)
        self.count += len(out)
        return out

    def run(self, records: Iterator[tuple[int, Mapping[str, Any]]]) -> Iterator[dict[str, Any]]:
        """The restated items of every input item, in order."""
        row = self.row
        for number, item in records:
            yield from row(number, item)


def restate(items: Any, from_year: int, to_year: int, *, code: str | Sequence[str] | None = None,
            amounts: Sequence[str] | None = None,
            shares: Mapping[str, Mapping[str, Any]] | str | os.PathLike[str] | None = None,
            overrides: Mapping[str, str] | None = None, engine: str = "auto") -> Restatement:
    """Recode ``items`` from edition ``from_year`` into edition ``to_year``.

    ``items`` are line items as :func:`~govcodes.rollup` takes them
    (:func:`~govcodes.read_items` of a file, mappings, a DataFrame).  ``code``
    names the column (or the columns) of codes to recode and ``amounts`` the
    amount columns; by default every code column recognised from the header
    is recoded (功能科目 and 经济科目 …, ``code``) and the amount columns are
    recognised (金额, 合计, ``amount`` …).  Amounts are read exactly (text as
    printed, int, Decimal, floats by their 15 significant digits).
    ``shares`` gives, for an old code that splits, the fraction going to each
    new code (they must sum to 1), as a mapping or the path of a CSV file
    with old_code,new_code,share (:func:`read_shares`); ``overrides`` sends
    an old code to one new code (for a removed code, or to choose one branch
    of a split).

    Returns a :class:`Restatement`: each restated item is a copy of the input
    with the new code in each code column (the original code of the first
    under ``original_code``, of any other column C under ``original_C``) and
    its amounts as Decimals; what could not be placed is in ``unplaced``.  An
    item split among several codes becomes one item per code, each with its
    ``share``: only the amount columns are divided, any other column is
    copied as it is.  An amount that cannot be read, a missing amount cell
    and a total row (合计) put the item in ``unplaced`` with the row number
    and the value.  Shares that are not fractions summing to 1, and targets
    outside the target edition or the code's classification raise
    :class:`~govcodes.InputError`.  A code printed with a name that is not
    its own (``[2080101]学前教育``) is restated by its code and listed in
    ``warnings``.

    ``engine`` (as for :func:`~govcodes.rollup`): ``python``, ``duckdb`` (a
    CSV or Parquet file, a DataFrame; ``pip install 'govcodes[duckdb]'``) or
    ``auto`` (duckdb for a big CSV or a Parquet file when it is installed).
    Every engine gives the same restatement.

    >>> import govcodes
    >>> r = govcodes.restate([{"code": "99999", "amount": "1"}], 2017, 2018)
    >>> r.unplaced[0].reason
    'not a code of the 2017 edition'
    >>> r.conserved
    True
    >>> w = govcodes.restate([{"code": "[2080101]学前教育", "amount": "2"}], 2025, 2026).warnings[0]
    >>> w.row, w.message
    (1, "'[2080101]学前教育' in column code: 2080101 is 行政运行 in the 2025 edition, not 学前教育 (学前教育 is 2050201); restated as its code says")
    """
    from .engines import choose
    from .readers.items import items_of

    if isinstance(amounts, str):
        raise InputError("amounts must name the amount columns", value=amounts,
                         expected='a list of column names, e.g. ["amount"]')
    if engine == "spark":
        raise InputError("restate runs on the python and duckdb engines", value=engine,
                         expected="engine='python', 'duckdb' or 'auto'")
    rows = items_of(items)
    plan = Plan(rows, from_year, to_year, code, amounts)
    chosen = choose(engine, rows)
    tally = Tally(plan, rows.header)

    def again() -> Iterator[dict[str, Any]]:
        return Tally(plan, rows.header).run(rows.records())

    writer = None
    if chosen != "python":
        from .engines.restating import scan

        done = scan(chosen, plan, rows, tally, lambda: plan.prepare(shares, overrides))
        if done is None:  # the engine cannot read these items: the python engine does
            chosen, tally = "python", Tally(plan, rows.header)
        else:
            writer = done
    if not plan.prepared:
        plan.prepare(shares, overrides)
    if chosen == "python":
        held: list[dict[str, Any]] | None = []
        for item in tally.run(rows.records()):
            if held is not None:
                held.append(item)
                if len(held) > HELD and rows.reusable:
                    held = None  # a big file: read again when the items are wanted
        restated = RestatedItems(tally.count, held, again)
    else:
        restated = RestatedItems(tally.count, None, again)
    return Restatement(from_year, to_year, restated, tuple(tally.unplaced), tally.input, plan.code_col,
                       tally.warnings(), tally.fields(), tally.by_code, chosen, writer)


def _misnamed(source: Any, code: str, cell: str) -> str | None:
    """Why the name printed in ``cell`` with ``code`` is not the code's in ``source``, or None."""
    from .codes import split_code_name
    from .search import misnamed

    name = split_code_name(cell)[1]
    return misnamed(source, source[code], name) if name else None
