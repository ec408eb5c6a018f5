"""Exact money: parsing printed amounts and rounding them for display.

Amounts are :class:`decimal.Decimal`, never float.  Printed forms accepted:
thousands separators, full-width digits, a leading minus or parentheses for
negatives, blank (or a dash) for zero.

>>> parse_amount("1,234.56")
Decimal('1234.56')
>>> parse_amount("（12.30）")
Decimal('-12.30')
>>> parse_amount("")
Decimal('0')
>>> format_amount(Decimal("2.345"))
'2.35'
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext

from .errors import InputError

__all__ = ["parse_amount", "format_amount", "to_unit", "UNITS"]

#: Units amounts may be given or shown in, as multiples of 1 元.
UNITS = {"元": Decimal(1), "万元": Decimal(10000)}

_ZERO = Decimal(0)
_BLANKS = {"", "-", "—", "－", "--", "——"}
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", re.ASCII)
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$", re.ASCII)
_SPACED = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d*)?$", re.ASCII)


def parse_amount(value: object, *, row: int | None = None, column: str | None = None) -> Decimal:
    """The exact Decimal of a printed amount; raise :class:`~govcodes.InputError` if it is none.

    ``row`` and ``column`` only serve the error message.

    >>> parse_amount("-0.01"), parse_amount("２,９３４.４５"), parse_amount(7)
    (Decimal('-0.01'), Decimal('2934.45'), Decimal('7'))
    >>> parse_amount("12元", row=3, column="金额")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: row 3: amount in column 金额 is not a number; got '12元'; expected digits with an optional sign, decimal point and thousands separators (blank means 0)
    >>> parse_amount(1.5)
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: amount is a float; got 1.5; expected a str, int or Decimal: floats cannot hold money exactly
    """
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _bad(value, row, column)
        return value
    if isinstance(value, bool):
        raise _bad(value, row, column)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise InputError("amount is a float", row=row, value=value,
                         expected="a str, int or Decimal: floats cannot hold money exactly")
    if value is None:
        return _ZERO
    if not isinstance(value, str):
        raise _bad(value, row, column)
    text = value.strip()
    if text in _BLANKS:
        return _ZERO
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).strip()
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if negative and text[:1] in "+-":
        raise _bad(value, row, column)  # "(-5)" says minus twice: which is meant?
    if " " in text:  # a space may only separate thousands ("1 234.56"); "12 34" is two cells run together
        if not _SPACED.match(text):
            raise _bad(value, row, column)
        text = text.replace(" ", "")
    if "," in text:
        if not _GROUPED.match(text):
            raise _bad(value, row, column)
        text = text.replace(",", "")
    if not text.isascii() or not _NUMBER.match(text):
        raise _bad(value, row, column)
    try:
        amount = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern rules this out
        raise _bad(value, row, column) from None
    return -amount if negative else amount


def _bad(value: object, row: int | None, column: str | None) -> InputError:
    where = f"amount in column {column}" if column else "amount"
    return InputError(f"{where} is not a number", row=row, value=value,
                      expected="digits with an optional sign, decimal point and thousands separators (blank means 0)")


def to_unit(amount: Decimal, from_unit: str = "元", to_unit: str = "元") -> Decimal:
    """Convert exactly between 元 and 万元 (no rounding).

    >>> to_unit(Decimal("2934.45"), "万元", "元")
    Decimal('29344500.00')
    """
    for unit in (from_unit, to_unit):
        if unit not in UNITS:
            raise InputError("unknown unit", value=unit, expected=" or ".join(UNITS))
    if from_unit == to_unit:
        return amount
    return amount * UNITS[from_unit] / UNITS[to_unit]


def format_amount(amount: Decimal, places: int = 2, thousands: bool = False) -> str:
    """Round half up to ``places`` decimals for display (totals are summed before this).

    >>> format_amount(Decimal("1234.005"), thousands=True)
    '1,234.01'
    >>> format_amount(Decimal("-0.005"))
    '-0.01'
    """
    quantum = Decimal(1).scaleb(-places)
    with localcontext(Context(prec=max(60, amount.adjusted() + places + 2))):
        rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,}" if thousands else f"{rounded}"
