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

from decimal import ROUND_DOWN, Decimal
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
        for u in self.unplaced:
            for k, v in u.amounts.items():
                out[k] += v
        return out

    @property
    def conserved(self) -> bool:
        """True when placed + unplaced equals the input, exactly, for every amount column."""
        placed, unplaced = self.placed_totals, self.unplaced_totals
        return all(placed[k] + unplaced[k] == v for k, v in self.input_totals.items())

    def totals_by_code(self) -> dict[str, dict[str, Decimal]]:
        """The restated amounts summed per target code, in code order."""
        out: dict[str, dict[str, Decimal]] = {}
        for item in self.items:
            acc = out.setdefault(item[self.code_key], {k: Decimal(0) for k in self.input_totals})
            for k in self.input_totals:
                acc[k] += item[k]
        return dict(sorted(out.items()))


def _totals(items: Iterable[Mapping[str, Any]], keys: Iterable[str]) -> dict[str, Decimal]:
    out = {k: Decimal(0) for k in keys}
    for item in items:
        for k in out:
            out[k] += item[k]
    return out


def _split(amount: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` by ``shares`` at the amount's own precision; the parts sum to it exactly."""
    exponent = min(amount.as_tuple().exponent, -2) if isinstance(amount.as_tuple().exponent, int) else -2
    quantum = Decimal(1).scaleb(exponent)
    parts = [(amount * s).quantize(quantum, rounding=ROUND_DOWN) for s in shares]
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
    its amounts as Decimals; what could not be placed is in ``unplaced``.

    >>> import govcodes
    >>> r = govcodes.restate([{"code": "99999", "amount": "1"}], 2017, 2018)
    >>> r.unplaced[0].reason
    'not a code of the 2017 edition'
    >>> r.conserved
    True
    """
    from .changes import crosswalk
    from .model import edition
    from .money import parse_amount
    from .normalize import normalize_code

    source = edition(from_year)
    walk = crosswalk(from_year, to_year)
    target = edition(to_year)
    shares = {normalize_code(k): {normalize_code(t): Decimal(str(v)) if not isinstance(v, Decimal) else v
                                  for t, v in m.items()} for k, m in (shares or {}).items()}
    for old, m in shares.items():
        if sum(m.values()) != 1:
            raise InputError(f"shares for {old} sum to {sum(m.values())}", value=dict(m), expected="fractions summing to 1")
        for t in m:
            if t not in target:
                raise InputError(f"share target {t} is not in the {to_year} edition", value=t,
                                 expected=f"a code of the {to_year} edition")
    overrides = {normalize_code(k): normalize_code(v) for k, v in (overrides or {}).items()}
    for old, new in overrides.items():
        if new not in target:
            raise InputError(f"override target {new} is not in the {to_year} edition", value=new,
                             expected=f"a code of the {to_year} edition")
    out: list[dict[str, Any]] = []
    unplaced: list[Unplaced] = []
    totals = {k: Decimal(0) for k in amounts}
    for row, item in enumerate(items, 1):
        values: dict[str, Decimal] = {}
        bad_amount = None
        for k in amounts:
            try:
                values[k] = parse_amount(item.get(k), row=row, column=k)
            except InputError as exc:
                bad_amount = str(exc)
                values[k] = Decimal(0)
        raw = item.get(code)
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
        if old in overrides:  # the caller's decision, even for a code the edition lacks (a local code)
            targets = [(overrides[old], Decimal(1))]
        elif old not in source._by_code:
            unplaced.append(Unplaced(row, old, values, f"not a code of the {from_year} edition"))
            continue
        elif old in shares:
            targets = list(shares[old].items())
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
            for k in values:
                restated[k] = parts[k][i]
            out.append(restated)
    return Restatement(from_year, to_year, tuple(out), tuple(unplaced), totals, code)
