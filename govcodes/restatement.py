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
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal, Inexact, InvalidOperation
from typing import Any

import attrs

from .codes import lineage_of, normalize_code
from .errors import InputError, InvalidCodeError
from .money import exact, parse_amount

__all__ = ["Restatement", "Unplaced", "Mismatch", "restate", "read_shares"]


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


@attrs.frozen(slots=True)
class Restatement:
    """The restated items, the unplaced ones, and the totals that prove nothing was lost.

    ``items`` are the input items with the new code under ``code_key``, the
    old one under ``original_code``, every other column kept; ``amount_keys``
    the amount columns restated; ``warnings`` the code cells whose printed
    name is not the code's (:class:`Mismatch`): restated by the code, but
    worth a look.
    """

    from_year: int
    to_year: int
    items: tuple[dict[str, Any], ...]
    unplaced: tuple[Unplaced, ...]
    input_totals: Mapping[str, Decimal]
    code_key: str = "code"
    warnings: tuple[Mismatch, ...] = ()

    @property
    def amount_keys(self) -> tuple[str, ...]:
        """The amount columns restated."""
        return tuple(self.input_totals)

    @property
    def placed_totals(self) -> dict[str, Decimal]:
        """Per amount column: the total of the restated items."""
        out = {k: Decimal(0) for k in self.input_totals}
        with exact():
            for item in self.items:
                for k in out:
                    out[k] += item[k]
        return out

    @property
    def unplaced_totals(self) -> dict[str, Decimal]:
        """Per amount column: the total of what could not be restated."""
        out = {k: Decimal(0) for k in self.input_totals}
        with exact():
            for u in self.unplaced:
                for k, v in u.amounts.items():
                    out[k] += v
        return out

    @property
    def conserved(self) -> bool:
        """True when placed + unplaced equals the input, exactly, for every amount column."""
        placed, unplaced = self.placed_totals, self.unplaced_totals
        with exact():
            return all(placed[k] + unplaced[k] == v for k, v in self.input_totals.items())

    def totals_by_code(self) -> dict[str, dict[str, Decimal]]:
        """The restated amounts summed per target code, in code order."""
        out: dict[str, dict[str, Decimal]] = {}
        with exact():
            for item in self.items:
                acc = out.setdefault(item[self.code_key], {k: Decimal(0) for k in self.input_totals})
                for k in self.input_totals:
                    acc[k] += item[k]
        return dict(sorted(out.items()))


def _split(amount: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` by ``shares`` at the amount's precision (at least the fen); the parts sum to it exactly."""
    exponent = amount.as_tuple().exponent
    quantum = Decimal(1).scaleb(min(exponent, -2) if isinstance(exponent, int) else -2)
    with exact() as ctx:
        ctx.traps[Inexact] = False  # the parts round down on purpose; the remainder goes to the biggest
        parts = [(amount * s).quantize(quantum, rounding=ROUND_DOWN) for s in shares]
        remainder = amount - sum(parts)
        biggest = max(range(len(shares)), key=lambda i: shares[i])
        parts[biggest] += remainder
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


def _columns(items: Any, code: str | None, amounts: Sequence[str] | str | None) -> tuple[str, tuple[str, ...]]:
    """The code column and the amount columns of ``items``: named, or recognised from the header."""
    from .readers.items import find_column, recognise_columns

    header = items.header
    cols = recognise_columns(header)
    if code is None:
        found = [cols.codes[r] for r in ("functional", "economic", "economic-department", "economic-government",
                                         "revenue") if r in cols.codes]
        if not found:
            raise InputError(f"{items.name}: no code column recognised", value=list(header),
                             expected="a header such as 功能科目, 经济科目 or code, or the column named "
                                      "(code=... / --code-column)")
        code_col = found[0]
    else:
        code_col = header[find_column(header, code, "code")] if header else code
    if isinstance(amounts, str):
        raise InputError("amounts must name the amount columns", value=amounts,
                         expected='a list of column names, e.g. ["amount"]')
    if amounts is None:
        chosen = cols.measures
        if not chosen:
            raise InputError(f"{items.name}: no amount column recognised", value=list(header),
                             expected="a header such as 金额 or amount, or the columns named (amounts=... / --measure)")
    else:
        chosen = tuple(header[find_column(header, m, "amount")] if header else m for m in amounts)
    return code_col, tuple(chosen)


def restate(items: Any, from_year: int, to_year: int, *, code: str | None = None,
            amounts: Sequence[str] | None = None,
            shares: Mapping[str, Mapping[str, Any]] | str | os.PathLike[str] | None = None,
            overrides: Mapping[str, str] | None = None) -> Restatement:
    """Recode ``items`` from edition ``from_year`` into edition ``to_year``.

    ``items`` are line items as :func:`~govcodes.rollup` takes them
    (:func:`~govcodes.read_items` of a file, mappings, a DataFrame).  ``code``
    names the column of codes to recode and ``amounts`` the amount columns;
    by default they are recognised from the header (功能科目, 经济科目,
    ``code`` …; 金额, 合计, ``amount`` …).  Amounts are read exactly (text as
    printed, int, Decimal, floats by their 15 significant digits).
    ``shares`` gives, for an old code that splits, the fraction going to each
    new code (they must sum to 1), as a mapping or the path of a CSV file
    with old_code,new_code,share (:func:`read_shares`); ``overrides`` sends
    an old code to one new code (for a removed code, or to choose one branch
    of a split).

    Returns a :class:`Restatement`: each restated item is a copy of the input
    with the new code under ``code`` (the original under ``original_code``) and
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
    from .changes import crosswalk
    from .model import edition
    from .readers.items import items_of
    from .readers.vocabulary import is_total_label

    if isinstance(amounts, str):
        raise InputError("amounts must name the amount columns", value=amounts,
                         expected='a list of column names, e.g. ["amount"]')
    source = edition(from_year)
    walk = crosswalk(from_year, to_year)
    target = edition(to_year)
    rows = items_of(items)
    code_col, amount_cols = _columns(rows, code, amounts) if rows.header else (code or "code", tuple(amounts or ("amount",)))

    def target_code(old: object, new: object, what: str) -> str:
        new_code = normalize_code(new)
        if new_code not in target:
            raise InputError(f"{what} target {new_code} is not in the {to_year} edition", value=new,
                             expected=f"a code of the {to_year} edition")
        if lineage_of(new_code) != lineage_of(normalize_code(old)):
            raise InputError(f"{what} sends {old} into another classification", value=new,
                             expected=f"a code of the same classification as {old}")
        return new_code

    if isinstance(shares, (str, os.PathLike)):
        shares = read_shares(shares)
    checked_shares: dict[str, dict[str, Decimal]] = {}
    for old, m in (shares or {}).items():
        key = normalize_code(old)
        checked_shares[key] = {}
        for new, value in m.items():
            try:
                share = value if isinstance(value, Decimal) else Decimal(str(value).strip())
            except InvalidOperation:
                share = Decimal("NaN")
            if isinstance(value, float) or not share.is_finite() or not (0 <= share <= 1):
                raise InputError(f"share of {old} going to {new} is not a fraction", value=value,
                                 expected="a decimal between 0 and 1, e.g. 0.25")
            checked_shares[key][target_code(old, new, "share")] = share
        if sum(checked_shares[key].values()) != 1:
            raise InputError(f"shares for {old} sum to {sum(checked_shares[key].values())}", value=dict(m),
                             expected="fractions summing to 1")
    checked_overrides = {normalize_code(k): target_code(k, v, "override") for k, v in (overrides or {}).items()}
    out: list[dict[str, Any]] = []
    unplaced: list[Unplaced] = []
    totals = {k: Decimal(0) for k in amount_cols}
    why_of: dict[str, str | None] = {}  # code cell -> why its printed name is not the code's (or None)
    mismatched: dict[str, tuple[int, dict[str, Decimal]]] = {}
    for row, item in rows.records():
        values: dict[str, Decimal] = {}
        bad_amount = None
        for k in amount_cols:
            if k not in item:
                bad_amount = bad_amount or f"the item has no {k} (amount) cell"
                values[k] = Decimal(0)
                continue
            try:
                values[k] = parse_amount(item[k], row=row, column=k)
            except InputError as exc:
                bad_amount = bad_amount or str(exc)
                values[k] = Decimal(0)
        raw = item.get(code_col)
        with exact():
            for k, v in values.items():
                totals[k] += v
        if bad_amount is not None:
            # the amount cannot be read: report the row; its readable columns stay in the report
            unplaced.append(Unplaced(row, str(raw), values, bad_amount))
            continue
        try:
            old = normalize_code(raw)
        except InvalidCodeError as exc:
            total_row = any(is_total_label(v) for v in item.values() if isinstance(v, str))
            unplaced.append(Unplaced(row, "" if raw is None else str(raw), values,
                                     "a total row (合计), not a line item" if total_row else str(exc)))
            continue
        if isinstance(raw, str) and old in source:
            if raw not in why_of:
                why_of[raw] = _misnamed(source, old, raw)
            if why_of[raw] is not None:
                first, sums = mismatched.setdefault(raw, (row, {k: Decimal(0) for k in values}))
                with exact():
                    for k, v in values.items():
                        sums[k] += v
        if old in checked_overrides:  # the caller's decision, even for a code the edition lacks (a local code)
            targets = [(checked_overrides[old], Decimal(1))]
        elif old not in source:
            unplaced.append(Unplaced(row, old, values, f"not a code of the {from_year} edition"))
            continue
        elif old in checked_shares:
            targets = [(t, sh) for t, sh in checked_shares[old].items() if sh]
        else:
            maps = walk.get(old, [])
            if not maps:
                unplaced.append(Unplaced(row, old, values, f"no successor in the {to_year} edition"))
                continue
            if len(maps) == 1 and maps[0].kind != "split":
                targets = [(maps[0].code, Decimal(1))]
            elif all(m.share is not None for m in maps) and sum(m.share for m in maps) == 1:  # type: ignore[misc]
                targets = [(m.code, m.share) for m in maps]  # type: ignore[misc]
            else:
                unplaced.append(Unplaced(row, old, values, "split without known shares: give the shares "
                                         "(shares=... / --shares)", tuple(m.code for m in maps)))
                continue
        parts = {k: _split(v, [s for _, s in targets]) for k, v in values.items()}
        for i, (new, _) in enumerate(targets):
            restated = dict(item)
            restated[code_col] = new
            restated["original_code"] = old
            if len(targets) > 1:
                restated["share"] = targets[i][1]  # only the amount columns are divided by it
            for k in values:
                restated[k] = parts[k][i]
            out.append(restated)
    warnings = tuple(Mismatch(first, cell, f"{cell!r} in column {code_col}: {why_of[cell]}; restated as its code says",
                              sums) for cell, (first, sums) in mismatched.items())
    return Restatement(from_year, to_year, tuple(out), tuple(unplaced), totals, code_col, warnings)


def _misnamed(source: Any, code: str, cell: str) -> str | None:
    """Why the name printed in ``cell`` with ``code`` is not the code's in ``source``, or None."""
    from .codes import split_code_name
    from .search import misnamed

    name = split_code_name(cell)[1]
    return misnamed(source, source[code], name) if name else None
