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

from decimal import ROUND_DOWN, Context, Decimal, Inexact, InvalidOperation, localcontext
from typing import Any, Iterable, Mapping, Sequence

import attrs

from .errors import InputError, InvalidCodeError

__all__ = ["Restatement", "Unplaced", "restate"]


@attrs.frozen(slots=True)
class Unplaced:
    """An input item (or part of one) that could not be restated, and why."""

    row: int
    code: str
    amounts: Mapping[str, Decimal]
    reason: str
    candidates: tuple[str, ...] = ()


@attrs.frozen(slots=True)
class Restatement:
    """The restated items, the unplaced ones, and the totals that prove nothing was lost."""

    from_year: int
    to_year: int
    items: tuple[dict[str, Any], ...]
    unplaced: tuple[Unplaced, ...]
    input_totals: Mapping[str, Decimal]
    code_key: str = "code"

    @property
    def placed_totals(self) -> dict[str, Decimal]:
        return _totals(self.items, self.input_totals)

    @property
    def unplaced_totals(self) -> dict[str, Decimal]:
        out = {k: Decimal(0) for k in self.input_totals}
        with localcontext(EXACT):
            for u in self.unplaced:
                for k, v in u.amounts.items():
                    out[k] += v
        return out

    @property
    def conserved(self) -> bool:
        """True when placed + unplaced equals the input, exactly, for every amount column."""
        placed, unplaced = self.placed_totals, self.unplaced_totals
        with localcontext(EXACT):
            return all(placed[k] + unplaced[k] == v for k, v in self.input_totals.items())

    def totals_by_code(self) -> dict[str, dict[str, Decimal]]:
        """The restated amounts summed per target code, in code order."""
        out: dict[str, dict[str, Decimal]] = {}
        with localcontext(EXACT):
            for item in self.items:
                acc = out.setdefault(item[self.code_key], {k: Decimal(0) for k in self.input_totals})
                for k in self.input_totals:
                    acc[k] += item[k]
        return dict(sorted(out.items()))


def _totals(items: Iterable[Mapping[str, Any]], keys: Iterable[str]) -> dict[str, Decimal]:
    out = {k: Decimal(0) for k in keys}
    with localcontext(EXACT):
        for item in items:
            for k in out:
                out[k] += item[k]
    return out


#: Arithmetic on amounts: wide enough for any budget, and an inexact result is an error, not a rounding.
EXACT = Context(prec=60, traps=[InvalidOperation, Inexact])


def _split(amount: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` by ``shares`` at the amount's precision (at least the fen); the parts sum to it exactly."""
    exponent = amount.as_tuple().exponent
    quantum = Decimal(1).scaleb(min(exponent, -2) if isinstance(exponent, int) else -2)
    with localcontext(EXACT) as ctx:
        ctx.traps[Inexact] = False  # quantizing a part rounds it down on purpose
        parts = [(amount * s).quantize(quantum, rounding=ROUND_DOWN) for s in shares]
        ctx.traps[Inexact] = True
        remainder = amount - sum(parts)
        biggest = max(range(len(shares)), key=lambda i: shares[i])
        parts[biggest] += remainder
    return parts


def restate(items: Iterable[Mapping[str, Any]], from_year: int, to_year: int, *,
            code: str = "code", amounts: Sequence[str] = ("amount",),
            shares: Mapping[str, Mapping[str, Any]] | None = None,
            overrides: Mapping[str, str] | None = None) -> Restatement:
    """Recode ``items`` from edition ``from_year`` into edition ``to_year``.

    ``items`` are mappings holding a code under ``code`` and amounts under each
    of ``amounts`` (strings as printed, ints or Decimals; never floats).
    ``shares`` gives, for an old code that splits, the fraction going to each
    new code (they must sum to 1); ``overrides`` sends an old code to one new
    code (for a removed code, or to choose one branch of a split).

    Returns a :class:`Restatement`: each restated item is a copy of the input
    with the new code under ``code`` (the original under ``original_code``) and
    its amounts as Decimals; what could not be placed is in ``unplaced``.  An
    item split among several codes becomes one item per code, each with its
    ``share``: only the ``amounts`` columns are divided, any other column is
    copied as it is.  An amount that cannot be read puts its item in
    ``unplaced`` (the reason quotes the printed value; its amounts count as 0).
    Items without one of the ``amounts`` columns, shares that are not
    fractions summing to 1, and targets outside the target edition or the
    code's classification raise :class:`~govcodes.InputError`.

    >>> import govcodes
    >>> r = govcodes.restate([{"code": "99999", "amount": "1"}], 2017, 2018)
    >>> r.unplaced[0].reason
    'not a code of the 2017 edition'
    >>> r.conserved
    True
    """
    from .changes import crosswalk, lineage_of
    from .model import edition
    from .money import parse_amount
    from .normalize import normalize_code

    if isinstance(amounts, str):
        raise InputError("amounts must name the amount columns", value=amounts,
                         expected='a list of column names, e.g. ["amount"]')
    source = edition(from_year)
    walk = crosswalk(from_year, to_year)
    target = edition(to_year)

    def target_code(old: object, new: object, what: str) -> str:
        new_code = normalize_code(new)  # type: ignore[arg-type]
        if new_code not in target:
            raise InputError(f"{what} target {new_code} is not in the {to_year} edition", value=new,
                             expected=f"a code of the {to_year} edition")
        if lineage_of(new_code) != lineage_of(normalize_code(old)):  # type: ignore[arg-type]
            raise InputError(f"{what} sends {old} into another classification", value=new,
                             expected=f"a code of the same classification as {old}")
        return new_code

    checked_shares: dict[str, dict[str, Decimal]] = {}
    for old, m in (shares or {}).items():
        key = normalize_code(old)  # type: ignore[arg-type]
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
    checked_overrides = {normalize_code(k): target_code(k, v, "override")  # type: ignore[arg-type]
                         for k, v in (overrides or {}).items()}
    out: list[dict[str, Any]] = []
    unplaced: list[Unplaced] = []
    totals = {k: Decimal(0) for k in amounts}
    for row, item in enumerate(items, 1):
        if not isinstance(item, Mapping):
            raise InputError("an item is not a mapping", row=row, value=item,
                             expected="a dict of column name to value")
        values: dict[str, Decimal] = {}
        bad_amount = None
        for k in amounts:
            if k not in item:
                raise InputError(f"item has no column {k!r}", row=row, value=sorted(item),
                                 expected=f"every item to hold the amount columns {list(amounts)}")
            try:
                values[k] = parse_amount(item[k], row=row, column=k)
            except InputError as exc:
                bad_amount = str(exc)
                values[k] = Decimal(0)
        raw = item.get(code)
        with localcontext(EXACT):
            for k, v in values.items():
                totals[k] += v
        if bad_amount is not None:
            # the amount cannot be read: report the row; its readable columns stay in the report
            unplaced.append(Unplaced(row, str(raw), values, bad_amount))
            continue
        try:
            old = normalize_code(raw)  # type: ignore[arg-type]
        except InvalidCodeError as exc:
            unplaced.append(Unplaced(row, str(raw), values, str(exc)))
            continue
        if old in checked_overrides:  # the caller's decision, even for a code the edition lacks (a local code)
            targets = [(checked_overrides[old], Decimal(1))]
        elif old not in source._by_code:
            unplaced.append(Unplaced(row, old, values, f"not a code of the {from_year} edition"))
            continue
        elif old in checked_shares:
            targets = [(t, sh) for t, sh in checked_shares[old].items() if sh]
        else:
            maps = walk[old]
            if not maps:
                unplaced.append(Unplaced(row, old, values, f"no successor in the {to_year} edition"))
                continue
            if len(maps) == 1 and maps[0].kind != "split":
                targets = [(maps[0].code, Decimal(1))]
            elif all(m.share is not None for m in maps) and sum(m.share for m in maps) == 1:  # type: ignore[misc]
                targets = [(m.code, m.share) for m in maps]  # type: ignore[misc]
            else:
                unplaced.append(Unplaced(row, old, values, "split without known shares: give shares=",
                                         tuple(m.code for m in maps)))
                continue
        parts = {k: _split(v, [s for _, s in targets]) for k, v in values.items()}
        for i, (new, _) in enumerate(targets):
            restated = dict(item)
            restated[code] = new
            restated["original_code"] = old
            if len(targets) > 1:
                restated["share"] = targets[i][1]  # only the amount columns are divided by it
            for k in values:
                restated[k] = parts[k][i]
            out.append(restated)
    return Restatement(from_year, to_year, tuple(out), tuple(unplaced), totals, code)
