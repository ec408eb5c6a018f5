"""Exact money: the one grammar of printed amounts, exact arithmetic, display.

Every reader, rollup, restatement and check reads amounts through this
module.  Amounts are :class:`decimal.Decimal`, never float, exact at any
size.  The printed forms accepted:

* digits with an optional decimal point, ``+``/``-``/``−`` sign, or
  parentheses for a negative (``（12.30）``);
* thousands separators (``1,234.56``; also a space: ``1 234.56``);
* full-width digits and punctuation (``２,９３４.４５``);
* a currency sign in front (``￥1,000.00``, ``¥5``) or ``元`` behind
  (``1000元``);
* E-notation as spreadsheets write it (``1.5E+06``);
* a blank cell, or a dash (``-``, ``—``), for zero.

Nothing else: ``12 34`` (two cells run together), ``100²`` (a superscript
is not a digit), ``1.2.3`` are errors naming the value.

>>> parse_amount("1,234.56")
Decimal('1234.56')
>>> parse_amount("（12.30）")
Decimal('-12.30')
>>> parse_amount(""), parse_amount("￥1,000.00"), parse_amount("1.5E+06")
(Decimal('0'), Decimal('1000.00'), Decimal('1.5E+6'))
>>> format_amount(Decimal("2.345"))
'2.35'

Arithmetic on amounts runs in :data:`EXACT`: wide enough for any amount
this grammar admits, and any rounding raises instead of losing a fen.

>>> with exact():
...     print(parse_amount("9" * 40) + parse_amount("0.01"))
9999999999999999999999999999999999999999.01
"""

from __future__ import annotations

import decimal
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from contextlib import AbstractContextManager

from .errors import InputError

__all__ = ["parse_amount", "read_amount", "is_amount", "is_blank", "from_float", "format_amount", "to_unit",
           "exact", "EXACT", "UNITS", "FEN", "FEN_BYTES", "FEN_WIDTH", "INT_NOISE", "PLAIN", "MAX_CHARS",
           "INT_LIMIT", "DECIMAL_EXPONENTS", "SQL_PLAIN", "SQL_DIGITS", "SQL_DECIMALS",
           "SQL_CENTS"]

#: Units amounts may be given or shown in, as multiples of 1 元.
UNITS = {"元": Decimal(1), "万元": Decimal(10000)}

#: The longest printed amount read (longer text is not an amount: it is never converted).
MAX_CHARS = 80
#: The largest E-notation exponent read (``1E+60``).
MAX_EXPONENT = 60

#: Exact arithmetic for amounts: any amount this grammar admits, summed a billion billion
#: times, fits; a result that would need rounding raises instead.
EXACT = decimal.Context(prec=500, rounding=ROUND_HALF_UP, Emax=10_000, Emin=-10_000,
                        traps=[decimal.InvalidOperation, decimal.Inexact, decimal.Overflow,
                               decimal.DivisionByZero])


def exact() -> AbstractContextManager[decimal.Context]:
    """A context manager for exact amount arithmetic (``with exact(): total += amount``)."""
    return decimal.localcontext(EXACT)


_ZERO = Decimal(0)
#: Printed forms of an empty amount.
BLANKS = frozenset({"", "-", "—", "－", "--", "——", "–", "―", "−"})

# The grammar, on text that is ASCII after NFKC (full-width forms folded):
# sign? currency? (digits | grouped digits) (. digits)? exponent? 元?
_SIGN = r"[+\-]"
_CURRENCY = r"[¥￥]"
_INTEGER = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?: \d{3})+|\d+)"
_NUMBER = rf"(?:{_INTEGER}(?:\.\d*)?|\.\d+)"
_EXPONENT = r"(?:[eE][+\-]?\d{1,3})"
_AMOUNT = re.compile(
    rf"(?P<sign>{_SIGN})?\s*(?:{_CURRENCY}\s*)?(?P<sign2>{_SIGN})?(?P<number>{_NUMBER})(?P<exp>{_EXPONENT})?\s*(?:元)?",
    re.ASCII,
)

#: The fast path of the grammar: plain amounts with exactly two decimals, summed as integer
#: fen (``int(text.replace(".", ""))``).  Every text it matches, :func:`parse_amount` reads
#: as the same number of fen (a test proves it); anything else goes to :func:`parse_amount`.
FEN_PATTERN = r"-?[0-9]{1,40}\.[0-9][0-9]"
FEN = re.compile(FEN_PATTERN).fullmatch
FEN_BYTES = re.compile(FEN_PATTERN.encode("ascii")).fullmatch
#: Bytes ``int()`` would pass over inside a number (blanks, ``_``).  In a chunk of ASCII bytes
#: holding none of them, a cell ``s`` with ``s[-3:-2] == b"."`` and at most :data:`FEN_WIDTH` bytes
#: that ``int(s.replace(b".", b"", 1))`` reads is a two-decimal amount of the grammar (an optional
#: sign, digits, the point, two digits), and that int is its fen: the bytes fast path's test, cheaper
#: than :data:`FEN_BYTES` per cell (a test proves the two agree).
INT_NOISE = (b" ", b"\t", b"_", b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
#: The longest cell the fast paths take (longer ones go to :func:`parse_amount`).
FEN_WIDTH = 43
#: Plain decimals (no sign but ``-``, no separators) that ``Decimal(text)`` reads exactly as
#: :func:`parse_amount` does.
PLAIN = re.compile(r"-?(?:[0-9]{1,40}(?:\.[0-9]{0,40})?|\.[0-9]{1,40})").fullmatch

#: The fast path of numbers already read (workbook cells, JSON numbers, DataFrame columns): an
#: ``int`` (not a bool) strictly between ``-INT_LIMIT`` and ``INT_LIMIT`` is summed as fen
#: (``value * 100``), a ``Decimal`` whose ``adjusted()`` exponent is in ``DECIMAL_EXPONENTS`` as it
#: is: :func:`parse_amount` takes both unchanged (a test proves it); anything else goes to it.
INT_LIMIT = 10 ** 18
DECIMAL_EXPONENTS = range(-40, 41)

#: The part of :data:`PLAIN` the SQL engines sum themselves (``CAST(text AS DECIMAL(24, 6))``): at
#: most :data:`SQL_DIGITS` digits before the point and :data:`SQL_DECIMALS` after it, so that the CAST
#: is exact and reads every text it matches as :func:`parse_amount` does (tests prove both, on DuckDB
#: and Spark).  The engines hand every other amount to :func:`parse_amount`, row by row.
SQL_DIGITS = 18
SQL_DECIMALS = 6
SQL_PLAIN = rf"-?(?:[0-9]{{1,{SQL_DIGITS}}}(?:\.[0-9]{{0,{SQL_DECIMALS}}})?|\.[0-9]{{1,{SQL_DECIMALS}}})"
#: The common case of :data:`SQL_PLAIN` that DuckDB recognises without a regular expression: the texts
#: that ``CAST(TRY_CAST(text AS DECIMAL(18, 2)) AS VARCHAR)`` gives back unchanged, which are exactly
#: these (amounts in fen, no leading zero, no sign on zero; a test proves it on DuckDB).
SQL_CENTS = r"(?:-(?=.*[1-9]))?(?:0|[1-9][0-9]{0,15})\.[0-9]{2}"

_MINUS = str.maketrans({"−": "-", "－": "-", "﹣": "-"})


def is_blank(value: object) -> bool:
    """True for an empty amount cell: None, blank text or a dash.

    >>> is_blank(""), is_blank(" — "), is_blank("0")
    (True, True, False)
    """
    return value is None or (isinstance(value, str) and value.strip() in BLANKS)


def _parse_text(text: str) -> Decimal | None:
    """The amount of printed text, None when it is not one (blanks are handled by the caller)."""
    if len(text) > MAX_CHARS:
        return None
    if not text.isascii():
        from .codes import compatibility_digit

        if compatibility_digit(text):
            return None
        text = unicodedata.normalize("NFKC", text.translate(_MINUS)).strip()
        if not text.isascii() and "元" not in text and "¥" not in text:
            return None
    negative = False
    if text[:1] == "(" and text[-1:] == ")":
        negative, text = True, text[1:-1].strip()
    m = _AMOUNT.fullmatch(text)
    if m is None or (m.group("sign") and m.group("sign2")):
        return None
    sign = m.group("sign") or m.group("sign2") or ""
    if negative and sign:
        return None  # "(-5)" says minus twice: which is meant?
    exponent = m.group("exp") or ""
    if exponent and abs(int(exponent[1:])) > MAX_EXPONENT:
        return None
    number = m.group("number").replace(",", "").replace(" ", "")
    amount = Decimal(number + exponent)
    if negative or sign == "-":
        amount = amount.copy_negate()  # exact at any size (unary minus would round to 28 digits)
    return amount


def read_amount(value: object, *, row: int | None = None, column: object = None) -> Decimal | None:
    """The exact amount of a printed cell, None for a blank one (see :func:`parse_amount`).

    >>> read_amount("—"), read_amount("0.00")
    (None, Decimal('0.00'))
    """
    if is_blank(value):
        return None
    return parse_amount(value, row=row, column=column)


def parse_amount(value: object, *, row: int | None = None, column: object = None) -> Decimal:
    """The exact Decimal of a printed amount (blank is 0); :class:`~govcodes.InputError` if it is none.

    ``row`` and ``column`` only serve the error message.  Numbers are taken
    as they are: int, Decimal, and floats by :func:`from_float` (the 15
    significant digits a spreadsheet shows).

    >>> parse_amount("-0.01"), parse_amount("２,９３４.４５"), parse_amount(7), parse_amount(0.1)
    (Decimal('-0.01'), Decimal('2934.45'), Decimal('7'), Decimal('0.1'))
    >>> parse_amount("12 34", row=3, column="金额")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: row 3: amount in column 金额 is not a number; got '12 34'; expected digits with an optional sign, decimal point and thousands separators (blank means 0)
    >>> parse_amount("100²")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: amount is not a number; got '100²'; expected digits with an optional sign, decimal point and thousands separators (blank means 0)
    """
    if isinstance(value, str):
        text = value.strip()
        if text in BLANKS:
            return _ZERO
        amount = _parse_text(text)
        if amount is None:
            raise _bad(value, row, column)
        return amount
    if value is None:
        return _ZERO
    if isinstance(value, bool):
        raise _bad(value, row, column)
    if isinstance(value, Decimal):
        if not value.is_finite() or abs(value.adjusted()) > MAX_EXPONENT + MAX_CHARS:
            raise _bad(value, row, column)
        return value
    if isinstance(value, float):
        return from_float(value, row=row, column=column)
    if hasattr(value, "__index__"):  # int, numpy integers
        number = value.__index__()  # type: ignore[attr-defined]
        if abs(number) >= 10 ** (MAX_EXPONENT + MAX_CHARS):
            raise _bad(value, row, column)
        return Decimal(number)
    if hasattr(value, "dtype") and str(getattr(value, "dtype", "")).startswith("float"):
        return from_float(float(value), row=row, column=column)  # type: ignore[arg-type]
    raise _bad(value, row, column)


def from_float(value: float, *, row: int | None = None, column: object = None) -> Decimal:
    """The exact Decimal a float stands for: its 15 significant digits, as a spreadsheet shows them.

    A float cannot hold 0.1 exactly; what a spreadsheet cell or a DataFrame
    column of floats means is the number shown, which 15 significant digits
    give without the binary noise.  NaN and infinities are not amounts.

    >>> from_float(0.1), from_float(1234.56), from_float(2e-05), from_float(123.0)
    (Decimal('0.1'), Decimal('1234.56'), Decimal('0.00002'), Decimal('123'))
    """
    if value != value or value in (float("inf"), float("-inf")):
        raise _bad(value, row, column)
    if value.is_integer() and abs(value) < 1e15:
        return Decimal(int(value))
    if value and abs(Decimal(value).adjusted()) > MAX_EXPONENT:
        raise _bad(value, row, column)
    return Decimal(format(value, ".15g"))


def is_amount(value: object) -> bool:
    """True when ``value`` is printed as an amount (blank cells are not: see :func:`is_blank`).

    >>> is_amount("1,234.56"), is_amount("（5）"), is_amount("行政运行"), is_amount("")
    (True, True, False, False)
    """
    if not isinstance(value, str):
        try:
            parse_amount(value)
        except InputError:
            return False
        return value is not None
    text = value.strip()
    return text not in BLANKS and _parse_text(text) is not None


def _bad(value: object, row: int | None, column: object) -> InputError:
    where = f"amount in column {column}" if column is not None else "amount"
    shown = value if not isinstance(value, str) or len(value) <= 60 else value[:60] + "…"
    return InputError(f"{where} is not a number", row=row, value=shown,
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
    with exact():
        return amount * UNITS[from_unit] / UNITS[to_unit]


def format_amount(amount: Decimal, places: int = 2, thousands: bool = False) -> str:
    """Round half up to ``places`` decimals for display (totals are summed before this).

    >>> format_amount(Decimal("1234.005"), thousands=True)
    '1,234.01'
    >>> format_amount(Decimal("-0.005"))
    '-0.01'
    """
    quantum = Decimal(1).scaleb(-places)
    ctx = decimal.Context(prec=max(60, amount.adjusted() + places + 2), rounding=ROUND_HALF_UP,
                          Emax=EXACT.Emax, Emin=EXACT.Emin)
    rounded = amount.quantize(quantum, context=ctx)
    return f"{rounded:,}" if thousands else f"{rounded}"
