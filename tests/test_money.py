"""Money: the one amount grammar, exact at any size, and the fast patterns derived from it (govcodes.money)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcodes import InputError
from govcodes.money import FEN, FEN_BYTES, PLAIN, exact, format_amount, from_float, is_amount, parse_amount, read_amount


@pytest.mark.parametrize("text, value", [
    ("1,234.56", "1234.56"), ("（12.30）", "-12.30"), ("(5)", "-5"), ("-0.01", "-0.01"), ("+7", "7"),
    ("２,９３４.４５", "2934.45"), ("1 234.56", "1234.56"), ("￥1,000.00", "1000.00"), ("¥5", "5"),
    ("1000元", "1000"), ("1.5E+06", "1.5E+6"), ("−3.5", "-3.5"), (".5", "0.5"), ("5.", "5"),
    ("", "0"), ("-", "0"), ("—", "0"), ("  ", "0"),
])
def test_printed_forms(text, value):
    assert parse_amount(text) == D(value)


@pytest.mark.parametrize("text", ["12 34", "1.2.3", "1,23", "12元整", "(-5)", "--5", "100²", "①", "١٢٣",
                                  "1e61", "1_000", "NaN", "inf", "abc", "1" * 81, "=1+1", "5%"])
def test_what_is_not_an_amount(text):
    with pytest.raises(InputError, match="is not a number"):
        parse_amount(text, row=3, column="金额")
    assert not is_amount(text)


def test_numbers_are_taken_exactly():
    assert parse_amount(7) == 7 and parse_amount(D("0.001")) == D("0.001")
    assert parse_amount(0.1) == D("0.1") and parse_amount(1234.56) == D("1234.56")  # 15 significant digits
    assert from_float(2e-05) == D("0.00002") and from_float(1e20) == D("1E+20")
    for bad in (float("nan"), float("inf"), D("NaN"), D("sNaN"), True, object()):
        with pytest.raises(InputError):
            parse_amount(bad)


def test_blank_is_none_for_read_amount_and_zero_for_parse_amount():
    assert read_amount("") is None and read_amount("—") is None and read_amount("0.00") == D("0.00")
    assert parse_amount(None) == 0


def test_exact_at_any_size():
    forty = "9" * 40
    assert parse_amount(f"({forty}.99)") == D(f"-{forty}.99")  # negated exactly, not rounded to 28 digits
    with exact():
        assert parse_amount(forty) + parse_amount("0.01") == D(forty + ".01")
    with pytest.raises(ArithmeticError):  # a rounding in exact arithmetic is an error, never a lost fen
        with exact():
            D(1) / D(3)


def test_display_rounds_half_up():
    assert format_amount(D("1234.005"), thousands=True) == "1,234.01"
    assert format_amount(D("-0.005")) == "-0.01" and format_amount(D("2.345"), places=1) == "2.3"


@settings(max_examples=500, deadline=None)
@given(st.from_regex(r"-?[0-9]{1,40}\.[0-9]{2}", fullmatch=True))
def test_the_fen_fast_path_is_the_grammar(text):
    """Whatever the fast path takes, parse_amount reads as the same number of fen."""
    assert FEN(text) and FEN_BYTES(text.encode())
    with exact():
        assert D(int(text.replace(".", "", 1))).scaleb(-2) == parse_amount(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="0123456789.,-+ (元E", max_size=12))
def test_the_fast_patterns_never_take_what_the_grammar_refuses(text):
    if FEN(text) or PLAIN(text):
        assert parse_amount(text) == D(text)


@settings(max_examples=1000, deadline=None)
@given(st.binary(max_size=12).filter(lambda b: b.isascii()))
def test_the_bytes_fast_path_test_is_the_grammar(cell):
    """In a chunk of ASCII without int()'s noise, what the bytes fast path takes is a FEN amount, same value."""
    from govcodes.money import FEN_WIDTH, INT_NOISE

    if any(c in cell for c in INT_NOISE) or b"\n" in cell:
        return
    try:
        taken = cell[-3] == 46 and len(cell) <= FEN_WIDTH and int(cell.replace(b".", b"", 1))
    except (ValueError, IndexError):
        taken = None
    if taken is None or taken is False:
        return
    text = cell.decode()
    with exact():
        assert D(int(cell.replace(b".", b"", 1))).scaleb(-2) == parse_amount(text)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(min_value=-10 ** 18 + 1, max_value=10 ** 18 - 1),
                 st.decimals(allow_nan=False, allow_infinity=False).filter(lambda d: -40 <= d.adjusted() <= 40)))
def test_the_number_fast_path_is_the_grammar(value):
    """Numbers the fast paths take as they are, parse_amount takes unchanged: ints as fen, Decimals as they are."""
    from govcodes.money import DECIMAL_EXPONENTS, INT_LIMIT

    if isinstance(value, int):
        assert -INT_LIMIT < value < INT_LIMIT
        with exact():
            assert D(value * 100).scaleb(-2) == parse_amount(value)
    else:
        assert value.adjusted() in DECIMAL_EXPONENTS
        assert parse_amount(value) is value
