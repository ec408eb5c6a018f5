"""Hostile input: every reader and engine either works or raises a govcodes error, never anything else.

As python-stdnum's test_robustness does, a corpus of known-bad inputs (the
kinds that once ended in a traceback), then generated ones: a few thousand
a run, across codes, amounts, line items, rollup, restate, published
tables, check and the command line.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govcodes
from govcodes import GovcodesError
from govcodes.cli import main
from govcodes.codes import normalize_code, split_code_name
from govcodes.money import exact, is_amount, parse_amount

FAST = settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FILES = settings(max_examples=200, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

#: Cell values that once broke a reader, or would: huge, exotic, control characters, formulas.
HOSTILE_CELLS = [
    "", " ", "-", "—", "0", "-0.00", "1e5000", "1E+999999999", "9" * 60, "9" * 100 + ".00", "1" * 400,
    "NaN", "sNaN", "Infinity", "-inf", "100²", "²", "①", "⑴", "½", "١٢٣", "１２３", "1_000", "1,2,3", "(-5)",
    "12 34", "\x00", "\x1b[31m", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1", "\t1", "\r1", "'2080101",
    "2080101", "[2080101]学前教育", "208 01 01", "2080101.0", "合计", "小计", "￥1,000.00", "1000元", "1.5E+06",
    "\ufeff2080101", "\u202e2080101", "a" * 5000, "[" * 100, "{}", "\"", "\"\"\"", ",", "\n",
]
HOSTILE_CODES: list[object] = HOSTILE_CELLS + [
    Decimal("sNaN"), Decimal("NaN"), Decimal("1e999999999"), Decimal("-2080101"), Decimal("2080101.5"),
    float("nan"), float("inf"), 1e300, -1, 0, 10 ** 400, True, None, [], {}, object(), b"2080101",
]


def _govcodes_only(call, *args, **kwargs):
    """Run ``call``; a govcodes error is a fine answer, anything else fails the test."""
    try:
        return call(*args, **kwargs)
    except GovcodesError:
        return None


# -- codes and amounts -------------------------------------------------------------------------

@pytest.mark.parametrize("value", HOSTILE_CODES, ids=repr)
def test_hostile_codes(value):
    _govcodes_only(normalize_code, value)
    _govcodes_only(split_code_name, value)
    ed = govcodes.edition(2026)
    assert ed.get(value) is None or ed.get(value).code
    _govcodes_only(ed.__getitem__, value)
    _govcodes_only(ed.search, str(value))


@pytest.mark.parametrize("value", HOSTILE_CODES, ids=repr)
def test_hostile_amounts(value):
    amount = _govcodes_only(parse_amount, value)
    assert amount is None or (isinstance(amount, Decimal) and amount.is_finite())
    assert is_amount(value) in (True, False)


def test_compatibility_digits_are_not_digits():
    for text in ("100²", "①", "２⁰"):
        with pytest.raises(govcodes.InputError):
            parse_amount(text)
        with pytest.raises(govcodes.InvalidCodeError):
            normalize_code(text)


def test_hostile_sizes_take_no_time():
    import time

    start = time.monotonic()
    for value in ("1e999999999", "9" * 10 ** 6, Decimal("1e999999999"), "[" * 10 ** 5):
        _govcodes_only(parse_amount, value)
        _govcodes_only(normalize_code, value)
    assert time.monotonic() - start < 2


@FAST
@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(), st.decimals(), st.binary(max_size=20)))
def test_codes_and_amounts_never_crash(value):
    _govcodes_only(normalize_code, value)
    _govcodes_only(parse_amount, value)


@FAST
@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10 ** 38, max_value=10 ** 38))
def test_exact_at_any_size(value):
    text = f"{value:f}"
    assert parse_amount(text) == value
    assert parse_amount(f"({text.lstrip('-')})") == value.copy_abs().copy_negate()
    assert parse_amount(f"{value:,f}") == value


# -- line items, rollup, restate -------------------------------------------------------------------

cells = st.one_of(st.sampled_from(HOSTILE_CELLS), st.text(max_size=12),
                  st.sampled_from(["2080101", "2080505", "30101", "50101", "101", "2089898"]),
                  st.decimals(places=2, allow_nan=False, allow_infinity=False).map(str))
headers = st.lists(st.sampled_from(["功能科目", "经济科目", "金额", "科目编码", "基本支出", "项目支出", "合计",
                                    "金额", "编码", "", "备注", "=cmd", "code", "amount"]), min_size=1, max_size=5)


def _csv_bytes(header, rows, encoding, delimiter):
    text = "\n".join(delimiter.join(r) for r in [header] + rows) + "\n"
    try:
        return text.encode(encoding, errors="replace")
    except LookupError:
        return text.encode("utf-8")


def _consume(items):
    """Every reader and engine over the same items: they work or raise a govcodes error."""
    r = _govcodes_only(govcodes.rollup, items, year=2026)
    if r is not None:  # nothing lost: every row is in a total or in the report
        with exact():
            assert r.input_total == tuple(p + q for p, q in zip(r.placed, r.report.total))
    _govcodes_only(lambda: list(items))
    _govcodes_only(govcodes.restate, items, 2019, 2026)


def _same_on_every_engine(path) -> None:
    """The duckdb engine's rollup of a file is the python engine's, report and row numbers included, or
    both engines raise the same govcodes error."""
    import importlib.util

    if importlib.util.find_spec("duckdb") is None:
        return
    results = []
    for engine in ("python", "duckdb"):
        try:
            results.append(repr(govcodes.rollup(govcodes.read_items(path), year=2026, engine=engine)))
        except GovcodesError as exc:
            results.append(f"{type(exc).__name__}: {exc}")
    assert results[0] == results[1]
    restated = []
    for engine in ("python", "duckdb"):  # restate too: the same items, totals, report and CSV
        try:
            r = govcodes.restate(govcodes.read_items(path), 2019, 2026, engine=engine)
            out = io.StringIO()
            r.write_csv(out)
            restated.append(repr((r.unplaced, r.input_totals, sorted(r.by_code.items()), r.warnings, r.fields,
                                  out.getvalue())))
        except GovcodesError as exc:
            restated.append(f"{type(exc).__name__}: {exc}")
    assert restated[0] == restated[1]


@FILES
@given(header=headers, rows=st.lists(st.lists(cells, max_size=6), max_size=12),
       encoding=st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig", "latin-1"]),
       delimiter=st.sampled_from([",", "\t", ";", "|"]))
def test_generated_files_through_every_reader(tmp_path_factory, header, rows, encoding, delimiter):
    data = _csv_bytes(header, [[c.replace("\n", " ") for c in r] for r in rows], encoding, delimiter)
    path = tmp_path_factory.mktemp("f") / "items.csv"
    path.write_bytes(data)
    items = _govcodes_only(govcodes.read_items, path)
    if items is not None:
        _consume(items)
        _same_on_every_engine(path)
    _govcodes_only(govcodes.read_items, io.BytesIO(data))
    _govcodes_only(govcodes.check, data, year=2026)
    _govcodes_only(govcodes.read_tables, data)


@FILES
@given(st.binary(max_size=300))
def test_any_bytes_through_every_reader(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("b") / "x.csv"
    path.write_bytes(data)
    for source in (path, io.BytesIO(data), data):
        items = _govcodes_only(govcodes.read_items, source)
        if items is not None:
            _consume(items)
    _govcodes_only(govcodes.check, data, year=2026)


@FILES
@given(st.lists(st.dictionaries(st.sampled_from(["功能科目", "金额", "code", "amount", "x"]),
                                st.one_of(cells, st.integers(), st.floats(), st.none(), st.lists(st.integers())),
                                max_size=4), max_size=10))
def test_mappings_and_json_lines(tmp_path_factory, objects):
    _consume(objects)
    lines = "\n".join(json.dumps(o, ensure_ascii=False, default=str) for o in objects).encode()
    path = tmp_path_factory.mktemp("j") / "items.jsonl"
    path.write_bytes(lines or b"{}")
    items = _govcodes_only(govcodes.read_items, path)
    if items is not None:
        _consume(items)


@pytest.mark.parametrize("line", [
    b'{"code": 1e5000, "amount": 1e5000}', b'{"code": "2080101", "amount": 1e999999999}',
    b"[" * 5000 + b"]" * 5000, b"{" * 5000, b'{"code": 1e999999999, "amount": "1"}', b'{"amount": NaN}',
    b'{"code": "2080101", "amount": ' + b"9" * 5000 + b"}", b'"just a string"', b"\xff\xfe\x00",
])
def test_hostile_json_lines(tmp_path, line):
    path = tmp_path / "items.jsonl"
    path.write_bytes(line + b"\n")
    items = _govcodes_only(govcodes.read_items, path)
    if items is not None:
        _consume(items)


# -- the command line ----------------------------------------------------------------------------

def _run(args, capsys):
    status = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    assert status in (0, 1, 2), (status, err)
    if status == 2:
        assert err.count("\n") >= 1 and "error:" in err
    return status, out, err


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "rot13", "hex", "nonsense", "utf-16-be"])
def test_encodings_given_wrongly(tmp_path, capsys, encoding):
    path = tmp_path / "items.csv"
    path.write_bytes("功能科目,金额\n2080101,1.00\n".encode("utf-8"))
    status, _, err = _run(["rollup", str(path), "--encoding", encoding], capsys)
    assert status == 2


@pytest.mark.parametrize("make", ["missing", "folder", "empty", "binary", "pdf", "blank"])
def test_check_of_what_is_not_a_table_exits_2(tmp_path, capsys, make):
    path = tmp_path / "doc.txt"
    if make == "folder":
        path = tmp_path
    elif make == "empty":
        path.write_bytes(b"")
    elif make == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif make == "pdf":
        path = tmp_path / "doc.pdf"
        path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    elif make == "blank":
        path.write_text("这是一段没有表格的文字。\n", encoding="utf-8")
    status, out, err = _run(["check", str(path)], capsys)
    assert status == 2 and out == ""


def test_output_never_turns_input_into_formulas_or_escapes(tmp_path, capsys):
    path = tmp_path / "items.csv"
    path.write_text('功能科目,金额\n"=HYPERLINK(""http://x"")",1.00\n"\x1b[31m@SUM(A1)",2.00\n2080101,3.00\n',
                    encoding="utf-8")
    report = tmp_path / "report.csv"
    status, out, err = _run(["rollup", str(path)], capsys)
    assert status == 1 and "\x1b" not in err and "\\x1b" in err
    _run(["rollup", str(path), "--report", str(report)], capsys)
    text = report.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=" not in text and "'\x1b" not in text
    openpyxl = pytest.importorskip("openpyxl")
    out_xlsx = tmp_path / "out.xlsx"
    _run(["rollup", str(path), "--format", "xlsx", "-o", str(out_xlsx)], capsys)
    book = openpyxl.load_workbook(out_xlsx)
    values = [c.value for row in book["未汇总"].iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith(("=", "@", "+")) for v in values)
    assert all(c.data_type != "f" for row in book["未汇总"].iter_rows() for c in row)


def test_interrupted_exits_130(monkeypatch, capsys):
    from govcodes import cli

    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_show", interrupted)
    monkeypatch.setattr(cli, "COMMANDS", [(n, h, e, a, interrupted if n == "show" else r)
                                          for n, h, e, a, r in cli.COMMANDS])
    status = cli.main(["show", "208"])
    out, err = capsys.readouterr()
    assert status == 130 and err.strip() == "govcodes: interrupted"


def test_many_distinct_unknown_codes_are_reported_fast():
    import time

    items = [{"科目编码": f"2{i:06d}", "金额": "1.00"} for i in range(100_000)]
    start = time.monotonic()
    r = govcodes.rollup(items, year=2026)
    assert len(r.report) > 99_000 and r.input_total == (Decimal(100_000),)
    assert time.monotonic() - start < 30
