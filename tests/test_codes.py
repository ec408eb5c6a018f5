"""Codes: the classifications, levels, lengths and every printed form (govcodes.codes)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import govcodes
from govcodes import GovcodesError, InvalidCodeError, codes

ED = govcodes.edition(2026)


@pytest.mark.parametrize("value", ["2080101", 2080101, "2080101.0", 2080101.0, Decimal("2080101"),
                                   "２０８０１０１", "[2080101]行政运行", "【2080101】行政运行",
                                   "2080101 行政运行", "2080101-行政运行", "208 01 01",
                                   "208  01  01  行政运行", " 2080101 ", "2080101行政运行"])
def test_every_printed_form_means_the_same_code(value):
    assert govcodes.normalize_code(value) == "2080101"
    assert ED[value].name == "行政运行"


@pytest.mark.parametrize("value", ["", "abc", "20801011", "2080", 2080101.5, True, None, [2080101], "行政运行"])
def test_what_cannot_be_a_code_raises_invalid_code_error(value):
    with pytest.raises(InvalidCodeError) as info:
        govcodes.normalize_code(value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, GovcodesError)
    assert "expected" in str(info.value)


def test_classification_of_a_code_by_its_first_digit():
    assert [codes.classification_of(c) for c in ("101", "2080101", "30101", "50101", "401")] == [
        "revenue", "functional", "economic-department", "economic-government", None]
    assert codes.classification_of("30101", 2017) == "economic"  # before the 2018 reform: one economic set
    assert codes.lineage_of("30101") == "economic" and codes.lineage_of("50101") == "economic-government"


def test_levels_and_lengths():
    assert codes.lengths_of("revenue") == (3, 5, 7, 9) and codes.lengths_of("functional") == (3, 5, 7)
    assert codes.lengths_of("economic-department") == (3, 5)
    assert [codes.level_of(c) for c in ("101", "10101", "1010101", "101010101")] == ["类", "款", "项", "目"]
    assert codes.parent_of("101010101") == "1010101" and codes.parent_of("101") is None
    with pytest.raises(govcodes.InputError, match="unknown classification"):
        codes.lengths_of("social")


def test_local_extensions_are_economic_codes_below_a_kuan():
    assert codes.is_local_extension("3021101") and codes.is_local_extension("5020101")
    assert not codes.is_local_extension("2080101") and not codes.is_local_extension("30211")


@pytest.mark.parametrize("value", [Decimal("sNaN"), Decimal("NaN"), Decimal("1e999999999"), "²", "208²",
                                   "①", "1" * 500, 10 ** 40, -2080101, float("inf")])
def test_values_that_look_numeric_but_are_no_code(value):
    with pytest.raises(InvalidCodeError):
        codes.normalize_code(value)


def test_numpy_integers_and_excel_apostrophes_are_codes():
    np = pytest.importorskip("numpy")
    assert codes.normalize_code(np.int64(2080101)) == "2080101"
    assert codes.normalize_code("'2080101") == "2080101"
