"""The fast ways through a CSV file (bytes, and two processes) give exactly what the csv module gives."""

from __future__ import annotations

import csv
import io

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcodes import read_items, rollup
from govcodes.rollups import fast as roll

CODES = ["2080101", "2080505", "2010301", "30101", "2089898", "abc", "", "20805", "[2080199]其他人力资源"]
AMOUNTS = ["1000.00", "0.01", "-12.34", "7", "1.5", "", "x1", "1,234.56", "１２.００", "1_0.00", "+3.00",
           "1.5 ", ". 5", "1.234", "12.", ".5", "-0.00", "1e5", " 2.00", "9" * 40 + ".00"]


@pytest.fixture(params=["one process", "two processes"])
def tiny_chunks(request, monkeypatch):
    """Chunks of a few bytes, so that every chunk and half boundary is met; fork or not."""
    monkeypatch.setattr(roll, "_CHUNK", 37)  # noqa
    monkeypatch.setattr(roll, "_PARALLEL_BYTES", 64 if request.param == "two processes" else 1 << 40)
    return request.param


def _file(tmp_path, rows, *, encoding="utf-8", newline="\n", name="items.csv", last_newline=True):
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows([("功能科目", "经济科目", "金额")] + rows)
    text = out.getvalue()
    if not last_newline:
        text = text[: -len(newline)]
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _maps(rows):
    """The same rows as mappings: a missing cell is a missing key."""
    return [dict(zip(("功能科目", "经济科目", "金额"), r)) for r in rows]


def _reference(path, monkeypatch):
    """The rollup of a file through the csv module alone, row by row: the slow, plain way."""
    with monkeypatch.context() as m:
        m.setattr(roll.Accumulator, "_bytes", lambda self, items: None)
        return rollup(read_items(path), year=2026)


def _same(from_file, reference, shift=0):
    assert from_file.rows == reference.rows and from_file.total == reference.total
    assert from_file.report.total == reference.report.total
    assert from_file.input_total == reference.input_total
    assert [(p.row - shift, p.kind, p.cells, p.amounts) for p in from_file.report] == [
        (p.row, p.kind, p.cells, p.amounts) for p in reference.report]


cell = st.tuples(st.sampled_from(CODES), st.sampled_from(["30101", "30201"]), st.sampled_from(AMOUNTS))
row = st.one_of(cell, cell.map(lambda r: r[:2]), cell.map(lambda r: r + ("备注",)))  # short and long rows too


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=60), encoding=st.sampled_from(["utf-8", "gb18030", "utf-8-sig"]),
       newline=st.sampled_from(["\n", "\r\n"]), last_newline=st.booleans())
def test_fast_paths_equal_the_csv_module_path(tmp_path, tiny_chunks, rows, encoding, newline, last_newline):
    path = _file(tmp_path, rows, encoding=encoding, newline=newline, last_newline=last_newline)
    import _pytest.monkeypatch

    reference = _reference(path, _pytest.monkeypatch.MonkeyPatch())
    _same(rollup(read_items(path), year=2026), reference)
    with open(path, "rb") as stream:  # a stream: the text path
        _same(rollup(read_items(stream), year=2026), reference)
    _same(rollup(read_items(path, progress=lambda done, total: None), year=2026), reference)
    if all(len(r) == 3 for r in rows):  # rows that fit the header: the same as mappings
        _same(rollup(read_items(path), year=2026), rollup(_maps(rows), year=2026), shift=1)


def test_a_lone_carriage_return_ends_a_line_as_for_the_csv_module(tmp_path, tiny_chunks):
    body = "功能科目,金额,备注\n" + "2080101,1.00,x\n" * 30 + "2080101,1.00,x\r2080505,2.00,y\n" + "2080101,1.00,x\n"
    path = tmp_path / "cr.csv"
    path.write_bytes(body.encode("utf-8"))
    r = rollup(read_items(path), year=2026)
    assert r.total[0] == 34 and len(r.report) == 0  # 30 + 1 + 2 + 1: the row after the CR is read
    title = tmp_path / "title.csv"
    title.write_bytes("2024年明细\r功能科目,金额\n2080101,1.00\n2080101,2.00\n".encode("utf-8"))
    assert rollup(read_items(title), year=2026).total[0] == 3


def test_huge_amounts_are_exact_and_too_long_ones_reported_wherever_they_stand(tmp_path, tiny_chunks):
    huge = "9" * 40 + ".00"
    for rows in ([("2080101", "30101", "1.00"), ("2080101", "30101", huge)],
                 [("2080101", "30101", huge), ("2080101", "30101", "1.00")]):
        r = rollup(read_items(_file(tmp_path, rows)), year=2026)
        assert r.total[0] == D("1" + "0" * 40) and not r.report
    too_long = "9" * 100 + ".00"
    for rows in ([("2080101", "30101", "1.00"), ("2080101", "30101", too_long)],
                 [("2080101", "30101", too_long), ("2080101", "30101", "1.00")]):
        r = rollup(read_items(_file(tmp_path, rows)), year=2026)
        assert r.total[0] == 1 and [p.kind for p in r.report] == ["bad-amount"]


@pytest.mark.parametrize("where", [0, 5, 30, 59])
def test_a_quote_anywhere_hands_over_to_the_csv_module(tmp_path, tiny_chunks, where):
    rows = [("2080101", "30101", f"{i}.00") for i in range(60)]
    rows[where] = ("2080505", "30101", "1,234.56")  # quoted by the csv writer
    path = _file(tmp_path, rows)
    from_file = rollup(read_items(path), year=2026)
    from_maps = rollup([{"功能科目": c, "经济科目": e, "金额": a} for c, e, a in rows], year=2026)
    _same(from_file, from_maps)
    assert len(from_file.report) == 0


def test_bad_rows_in_both_halves_are_reported_with_their_lines_in_order(tmp_path, tiny_chunks):
    rows = [("2080101", "30101", "1.00")] * 40
    rows[3] = ("2089898", "30101", "5.00")
    rows[35] = ("2089898", "30101", "6.00")
    rows[36] = ("2080101", "30101", "bad")
    path = _file(tmp_path, rows)
    r = rollup(read_items(path), year=2026)
    assert [(p.row, p.kind) for p in r.report] == [(5, "unknown-code"), (37, "unknown-code"), (38, "bad-amount")]
    assert r.total[0] == 37


def test_an_undecodable_line_in_the_second_half_is_named(tmp_path, tiny_chunks):
    good = "功能科目,经济科目,金额\n" + "2080101,30101,1.00\n" * 40
    path = tmp_path / "bad.csv"
    path.write_bytes(good.encode("utf-8") + b"2080101,\xff\xfe,1.00\n")
    from govcodes import InputError

    with pytest.raises(InputError, match="42"):
        rollup(read_items(path, encoding="utf-8"), year=2026)


def test_numbers_already_read_take_the_fast_path_and_equal_their_text():
    """Workbook cells and JSON numbers (int, Decimal) sum as their printed text does; the rest goes the slow way."""
    numbers = [7, D("0.1"), D("-12.345"), 10 ** 17, D("1E+30"), -3, D("2.50")]
    odd = [10 ** 30, D("1E+80"), True, 1.25]  # outside the fast path: parse_amount decides
    rows = [{"科目编码": "2080101", "金额": v} for v in numbers + odd]
    as_text = [{"科目编码": "2080101", "金额": str(v)} for v in numbers]
    got = rollup(rows, year=2026)
    want = rollup(as_text + [{"科目编码": "2080101", "金额": str(10 ** 30)}], year=2026)
    from govcodes.money import exact

    with exact():
        assert got.get("2080101").amounts[0] == want.get("2080101").amounts[0] + D("1E+80") + D("1.25")
    assert [(p.row, p.kind) for p in got.report] == [(10, "bad-amount")]  # True is no amount
