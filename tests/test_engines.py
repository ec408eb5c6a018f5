"""The engines behind rollup (govcodes.engines): duckdb and spark give the python engine's rollup, to the fen,
with the same report (kinds, messages, row numbers) and the same conservation.

Spark runs in local mode (one session for the module).  On a machine without
pyspark or Java the Spark tests are skipped, except in CI (``CI`` set), where
a missing Spark is a failure: .ci/run installs it.
"""

from __future__ import annotations

import os
import random
import shutil
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import govcodes
from govcodes import InputError, read_items, rollup
from govcodes.money import PLAIN, SQL_PLAIN, parse_amount

duckdb = pytest.importorskip("duckdb")
pa = pytest.importorskip("pyarrow")

D = Decimal

#: Line items as budget systems export them, and as they go wrong: every problem kind, quotes, a cell
#: spanning two lines, blank lines, title lines, signs, separators, E-notation, 7-decimal amounts.
CASES = {
    "plain": "功能科目,经济科目,金额\n2080101,30101,1.00\n2080101,30201,200.5\n2080505,30108,300\n2080198,30101,7.00\n",
    "messy": ("2024年明细\n单位：元\n功能科目,经济科目,金额,备注\n2080101,30101,\"1,000.00\",x\n\n"
              "2080101-行政运行,30201,-5.25,\nx208,30101,3,\n2080102,30101,abc,\n合计,,1000,\n2080101,30101,1,2,3\n"
              "2080101\n2080101,30101,\"multi\nline\",note\n2010101,30101,1.1234567,\n 2010101 ,30101,+5,\n"
              "2010101,30101,1e3,\n2010101,30101,,\n,,,\n2010101,30101,99999999999999999999.5,\n"
              "2109901,30101,2.00,\n3010101,30101,1,\n"),
    # a line inside a quoted cell looks like an item of its own: it is not one
    "quoted": '功能科目,金额,备注\n2080101,1.00,"note\n2080101,5.00\nend"\n2080102,2.00,x\n2080103,"3.00",\n',
    "crlf": "功能科目,金额\r\n2080101,1.00\r\n\r\n2080102,2.50\r\n2089999,1\r\n\"2080101\",3\r\n",
    # a quote inside an unquoted cell is a quote; a cell that begins with one opens to the end: the lines after
    # are in it (as the csv module reads them), not items, although their quotes do not count up to an odd number
    "stray-quote": '功能科目,金额,备注\n2080101,1.00,12" pipe\n2080102,2.00,x\n0",",\n2080103,5.00,\n\n',
    "quote-at-end": '功能科目,金额\n2080101,1.00\n0","\n\n',
    "names": "科目编码,科目名称,金额\n2010101,行政运行,5\n2010101,,6\n2010102,一般,7.5\n201,类名,1\n20101,款名,2\n9990101,x,3\n",
    "crossed": ("功能科目,经济科目,金额\n2080101,30101,1.00\n2080101,30201,2.00\n2080102,30101,3\n2080102,39999,4\n"
                "2080102,3010101,5\n2080102,,6\n"),
    "crossed-quoted": ('功能科目,经济科目,金额,备注\n2080101,30101,1.00,"a,b"\n2080101,,2.00,\n,30101,3,\n'
                       '2080102,39999,4,\n2080102,"30201",5,\n2080102,30201,"6.00",\n2080102,30201,7.5,\n'),
    "measures": "功能科目,基本支出,项目支出\n2080101,1.00,2\n2080101,x,3\n2080102,1.5,\n2080102,1.5,-\n2080103,１.５,0\n",
    # a code printed with another code's name: a warning naming the first row it is on
    "misnamed": ("功能科目,金额\n2080505,1.00\n[2080101]学前教育,2.00\n[2080101]学前教育,3.00\n2080101,4.00\n"
                 "2080102-行政运行,5.00\n"),
}
OPTIONS = {
    "names": {"year": None},
    "crossed": {"by": "functional,economic-government", "measures": "金额", "column_depth": "款"},
    "crossed-quoted": {"by": "functional,economic", "measures": "金额"},
}


def _write(tmp_path, name: str, text: str, encoding: str = "utf-8"):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(text.encode(encoding))
    return path


def _both(path, **options):
    options = {"year": 2026, **options}
    return [rollup(read_items(path), engine=engine, **options) for engine in ("python", "duckdb")]


def _same(a, b) -> None:
    assert a.rows == b.rows
    assert a.total == b.total and a.columns == b.columns
    assert a.report.problems == b.report.problems  # kinds, messages, row numbers, cells, amounts
    assert a.report.warnings == b.report.warnings  # a code printed with another's name, from its first row
    assert a.report.total == b.report.total and a.input_total == b.input_total
    assert a == b and a.to_csv() == b.to_csv()
    assert repr(a) == repr(b)  # the very same Decimals, places included


@pytest.fixture
def no_fallback(monkeypatch):
    """Fail when an engine hands its items back to the python engine (the test must prove the engine)."""
    from govcodes.rollups.fast import Accumulator

    import govcodes.engines as engines

    start = engines.start

    def strict_start(engine, acc, items):
        acc.read = lambda items: pytest.fail(f"{engine} handed {items.name} back to the python engine")
        return start(engine, acc, items)

    monkeypatch.setattr(engines, "start", strict_start)
    assert Accumulator.read  # the python engine itself is untouched


@pytest.mark.parametrize("case", sorted(CASES))
def test_duckdb_gives_the_python_engines_rollup_and_report(tmp_path, case, no_fallback):
    python, duck = _both(_write(tmp_path, case, CASES[case]), **OPTIONS.get(case, {}))
    _same(python, duck)
    assert duck.conserved


def test_the_hostile_case_reports_every_kind_with_its_line(tmp_path, no_fallback):
    _, duck = _both(_write(tmp_path, "messy", CASES["messy"]))
    kinds = {(p.row, p.kind) for p in duck.report}
    assert {(7, "invalid-code"), (8, "bad-amount"), (9, "total-row"), (10, "extra-cells"), (11, "no-cell"),
            (13, "bad-amount"), (20, "other-edition"), (21, "wrong-classification")} <= kinds, kinds
    assert duck.get("2010101").amounts[0] == D("1.1234567") + 5 + 1000 + D("99999999999999999999.5")


def test_a_line_inside_a_quoted_cell_is_not_summed(tmp_path, no_fallback):
    _, duck = _both(_write(tmp_path, "quoted", CASES["quoted"]))
    assert duck.get("2080101").amounts == (D("1.00"),) and duck.total == (D("6.00"),)


def test_gb18030_files_are_read_exactly(tmp_path, no_fallback):
    text = "项目明细\n功能科目,金额（万元）\n2080101,1.00\n2080102,２.５０\n2080199,3\n2080198,4\n"
    python, duck = _both(_write(tmp_path, "gb", text, "gb18030"))
    _same(python, duck)
    assert duck.total == (D("65000.00"),) and duck.report.problems[0].row == 6


def test_a_file_duckdb_cannot_decode_is_the_python_engines_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("功能科目,金额\n2080101,1.00\n".encode() + b"2080101,\xff\xfe\n")
    with pytest.raises(InputError) as python:
        rollup(read_items(path, encoding="utf-8"), year=2026, engine="python")
    with pytest.raises(InputError) as duck:
        rollup(read_items(path, encoding="utf-8"), year=2026, engine="duckdb")
    assert str(python.value) == str(duck.value) and "line 3" in str(duck.value)


def test_strict_mode_stops_at_the_same_row(tmp_path):
    path = _write(tmp_path, "messy", CASES["messy"])
    messages = []
    for engine in ("python", "duckdb"):
        with pytest.raises(InputError) as exc:
            rollup(read_items(path), year=2026, engine=engine, strict=True)
        messages.append(str(exc.value))
    assert messages[0] == messages[1] and messages[0].startswith("row 7:")


def _big(tmp_path, rows: int = 30_000):
    """Real 2026 codes, amounts of every printed form, and a sprinkling of problems."""
    ed = govcodes.edition(2026)
    functional = [c.code for c in ed.codes("functional", "项")]
    economic = [c.code for c in ed.codes("economic-department", "款")]
    rnd = random.Random(10)
    lines = ["功能科目,经济科目,金额"]
    for i in range(rows):
        fen = rnd.randrange(-10_000, 10_000_000)
        amount = f"{fen // 100}.{fen % 100:02d}" if i % 7 else str(fen)
        code = rnd.choice(functional)
        if i % 997 == 0:
            code = "2080198"  # not a code of 2026
        if i % 1499 == 0:
            amount = "n/a"
        lines.append(f"{code},{rnd.choice(economic)},{amount}")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_cli_duckdb_and_python_write_the_same_csv(tmp_path, cli):
    path = _big(tmp_path)
    outputs = []
    for engine in ("duckdb", "python"):
        out = tmp_path / f"{engine}.csv"
        report = tmp_path / f"{engine}-report.csv"
        result = cli("rollup", str(path), "--engine", engine, "--format", "csv", "-o", str(out),
                     "--report", str(report))
        assert result.status == 1  # some rows were not placed
        outputs.append((out.read_bytes(), report.read_bytes(), result.err.replace(str(report), "REPORT")))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count(b"\n") > 1000


def test_crossed_three_measures_and_depths_agree(tmp_path, no_fallback):
    path = _big(tmp_path, 5000)
    for options in ({"by": "functional,economic", "measures": "金额"}, {"by": "economic-government"},
                    {"by": "functional", "depth": "款"}):
        _same(*_both(path, **options))


def test_auto_takes_duckdb_for_a_big_file(tmp_path, monkeypatch):
    import govcodes.engines as engines

    path = _big(tmp_path, 100)
    assert engines.choose("auto", read_items(path)) == "python"
    monkeypatch.setattr(engines, "AUTO_BYTES", 10)
    assert engines.choose("auto", read_items(path)) == "duckdb"
    assert engines.choose("auto", govcodes.readers.items.items_of([{"科目编码": "201", "金额": "1"}])) == "python"
    with pytest.raises(InputError, match="unknown engine"):
        rollup([{"科目编码": "201", "金额": "1"}], engine="sqlite")


# -- DataFrames and Parquet -------------------------------------------------------------------

def _frame_rows():
    return {"功能科目": ["2080101", "2080101", "2080102", None, "合计", "2080198", "2080199"],
            "金额": [0.1, 0.2, 1e-05, 3.0, 100.0, float("nan"), 1234567.891],
            "项目支出": [1, 2, 3, 4, 5, 6, 7]}


def test_a_pandas_frame_of_floats_sums_exactly(no_fallback):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"功能科目": ["2080101"] * 10 + ["2080102"], "金额": [0.1] * 10 + [0.3]})
    for engine in ("python", "duckdb"):
        r = rollup(frame, year=2026, engine=engine)
        assert r.get("2080101").amounts == (D("1.0"),) and r.total == (D("1.3"),)


@pytest.mark.parametrize("kind", ["pandas", "polars", "arrow"])
def test_frames_give_the_same_rollup_on_every_engine(kind, no_fallback):
    data = _frame_rows()
    if kind == "pandas":
        frame = pytest.importorskip("pandas").DataFrame(data)
    elif kind == "polars":
        frame = pytest.importorskip("polars").DataFrame(data, strict=False)
    else:
        frame = pa.table(data)
    python = rollup(frame, year=2026, engine="python", measures=["金额", "项目支出"])
    duck = rollup(frame, year=2026, engine="duckdb", measures=["金额", "项目支出"])
    _same(python, duck)
    assert [(p.row, p.kind) for p in duck.report] == [(4, "no-code"), (5, "total-row"), (6, "unknown-code")]
    assert duck.get("2080101").amounts == (D("0.3"), D(3))


def test_parquet_items_on_every_engine(tmp_path, no_fallback):
    import pyarrow.parquet as pq

    path = tmp_path / "items.parquet"
    pq.write_table(pa.table(_frame_rows()), path)
    items = read_items(path)
    assert items.format == "parquet" and items.header == ("功能科目", "金额", "项目支出")
    _same(*_both(path, measures="金额"))


@settings(max_examples=300, deadline=None)
@given(st.from_regex(SQL_PLAIN, fullmatch=True))
def test_sql_plain_is_part_of_the_grammar(text):
    assert PLAIN(text) and parse_amount(text) == Decimal(text)


def test_duckdb_reads_sql_plain_amounts_as_govcodes_does():
    rnd = random.Random(6)
    texts = []
    for _ in range(4000):
        digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(1, 18)))
        places = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(0, 6)))
        texts.append(rnd.choice(["", "-"]) + rnd.choice([digits, ""]) + rnd.choice([".", ""]) + places)
    texts = [t for t in texts if PLAIN(t)]
    con = duckdb.connect()
    rows = con.execute(f"SELECT t, regexp_full_match(t, '{SQL_PLAIN}'), CASE WHEN regexp_full_match(t, "
                       f"'{SQL_PLAIN}') THEN CAST(t AS DECIMAL(24, 6)) END FROM (SELECT unnest(?) AS t)",
                       [texts]).fetchall()
    matched = [(t, v) for t, ok, v in rows if ok]
    assert len(matched) > 3000
    assert all(parse_amount(t) == v for t, v in matched)


def test_duckdb_recognises_amounts_in_fen_as_sql_cents_says():
    """The engine's shortcut: the texts a DECIMAL(18, 2) CAST prints back unchanged are those of SQL_CENTS,
    a part of SQL_PLAIN, read as parse_amount reads them."""
    import re

    from govcodes.money import SQL_CENTS
    from govcodes.engines.sql import DUCKDB

    rnd = random.Random(18)
    texts = ["0.00", "-0.00", "00.00", "-0.50", "1.5", "1.50", "+1.50", " 1.50", "1.50 ", "1.500", "01.50", "1e2",
             "9999999999999999.99", "10000000000000000.00", "-9999999999999999.99", "1,000.00", ".50", "1.", ""]
    for _ in range(4000):
        digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(1, 18))).lstrip("0" * rnd.randint(0, 1))
        places = "".join(rnd.choice("0123456789") for _ in range(rnd.choice([0, 1, 2, 2, 2, 3])))
        texts.append(rnd.choice(["", "", "-", "+", " "]) + (digits or "0") + rnd.choice([".", ".", ""]) + places)
    rows = duckdb.connect().execute(f"SELECT t, v, coalesce(CAST(v AS VARCHAR) = t, false) FROM "
                                    f"(SELECT t, {DUCKDB.cents('t')} AS v FROM (SELECT unnest(?) AS t))",
                                    [texts]).fetchall()
    assert sum(ok for _, _, ok in rows) > 500
    for text, value, ok in rows:
        assert ok == bool(re.fullmatch(SQL_CENTS, text)), text
        if ok:
            assert re.fullmatch(SQL_PLAIN, text) and parse_amount(text) == value and value.as_tuple().exponent == -2


#: Padding of plain rows beyond the first MiB the duckdb engine looks at before it assumes a file plain.
_PAD = 100_000


@pytest.mark.parametrize("case", ["quoted", "crossed-quoted", "nul", "lone-cr"])
def test_quotes_nuls_and_returns_after_the_first_mib_are_found(tmp_path, case):
    """The duckdb engine assumes a file whose first MiB holds no quote, CR or NUL holds none, and checks the
    rest while its query runs: what the rest holds still gives the python engine's rollup."""
    header, body = {
        "quoted": ("功能科目,金额,备注", '2080101,1.00,"note\n2080101,5.00\nend"\n2080102,2.00,x\n'),
        "crossed-quoted": ("功能科目,经济科目,金额,备注", '2080101,30101,1.00,"a,b"\n2080102,"30201",5,\n'),
        "nul": ("功能科目,金额,备注", "2080101,1.00,a\x00b\n2080102,2.00,\n"),
        "lone-cr": ("功能科目,金额,备注", "2080101,1.00,a\r2080102,2.00,\n2080103,3.00,\n"),
    }[case]
    width = header.count(",")
    pad = ("2080199,30101,1.00," if width == 3 else "2080199,1.00,") + "\n"
    path = _write(tmp_path, case, header + "\n" + pad * _PAD + body)
    assert path.stat().st_size > 1 << 20
    options = {"by": "functional,economic", "measures": "金额"} if case == "crossed-quoted" else {}
    python, duck = _both(path, **options)
    _same(python, duck)
    assert duck.get("2080101") is None or duck.get("2080101").amounts[0] == D("1.00")


def test_duckdb_prints_floats_as_govcodes_reads_them():
    from govcodes.money import from_float

    rnd = random.Random(15)
    values = [rnd.uniform(-1e9, 1e9) for _ in range(2000)] + [rnd.random() / 10 ** rnd.randint(0, 8) for _ in range(2000)]
    values += [0.1, 0.2 + 0.1, 1e-5, 123.0, 1e15, 2.5e-7, -0.0]
    rows = duckdb.connect().execute("SELECT v, printf('%.15g', v) FROM (SELECT unnest(?::DOUBLE[]) AS v)",
                                    [values]).fetchall()
    assert all(Decimal(text) == from_float(v) for v, text in rows)


# -- merging parts summed by different engines ---------------------------------------------------

def test_parts_summed_by_different_engines_add_up_to_the_whole(tmp_path):
    path = _big(tmp_path, 6000)
    lines = path.read_text(encoding="utf-8").splitlines()
    parts = []
    for k, engine in enumerate(("duckdb", "python", "duckdb")):
        part = tmp_path / f"part{k}.csv"
        part.write_text("\n".join([lines[0]] + lines[1 + 2000 * k:1 + 2000 * (k + 1)]) + "\n", encoding="utf-8")
        parts.append(rollup(read_items(part), year=2026, engine=engine))
    whole = rollup(read_items(path), year=2026, engine="python")
    merged = parts[0] + parts[1] + parts[2]
    assert merged.rows == whole.rows and merged.total == whole.total
    assert merged.report.total == whole.report.total and len(merged.report) == len(whole.report)


# -- Spark, local mode ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def spark():
    if os.environ.get("CI") is None:
        pytest.importorskip("pyspark")
        if shutil.which("java") is None:
            pytest.skip("no Java runtime for Spark")
    from pyspark.sql import SparkSession

    session = (SparkSession.builder.master("local[2]").appName("govcodes-tests")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
               .config("spark.driver.memory", "1g").getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _spark_frame(spark, path):
    """The CSV's rows as a Spark DataFrame of text columns (as read_items gives them), in three partitions,
    and the same rows as mappings (numbered as the DataFrame's rows are)."""
    items = read_items(path)
    rows, close = items.open()
    data = [tuple(row[: len(items.header)]) + ("",) * (len(items.header) - len(row)) for row in rows if any(row)]
    close()
    schema = ", ".join(f"`{h}` string" for h in items.header)
    return spark.createDataFrame(data, schema).coalesce(3), [dict(zip(items.header, row)) for row in data]


@pytest.mark.parametrize("case", ["messy", "crossed"])
def test_spark_gives_the_python_engines_rollup(spark, tmp_path, case, no_fallback):
    frame, mappings = _spark_frame(spark, _write(tmp_path, case, CASES[case]))
    options = {"year": 2026, **OPTIONS.get(case, {})}
    python = rollup(mappings, engine="python", **options)
    _same(python, rollup(frame, engine="spark", **options))
    assert python.report


def test_spark_floats_tables_and_parquet(spark, tmp_path, no_fallback):
    import pyarrow.parquet as pq

    path = tmp_path / "items.parquet"
    pq.write_table(pa.table(_frame_rows()), path)
    frame = spark.read.parquet(str(path))
    python = rollup(read_items(path), year=2026, engine="python", measures=["金额", "项目支出"])
    _same(python, rollup(frame, year=2026, engine="spark", measures=["金额", "项目支出"]))
    frame.createOrReplaceTempView("govcodes_test_items")
    _same(python, rollup("govcodes_test_items", year=2026, engine="spark", measures=["金额", "项目支出"]))
    _same(python, rollup(read_items(path), year=2026, engine="spark", measures=["金额", "项目支出"]))


# -- restate on the duckdb engine ----------------------------------------------------------------

#: Line items of 2019 as budget systems export them: every kind of row restate reports or splits, quotes, CR LF,
#: codes printed with names, amounts in yuan, tenths and more places, formulas in text cells.
RESTATE_CASES = {
    "plain": "功能科目,经济科目,金额,备注\n2080101,30101,100.00,x\n2080505,30108,7.50,\n2011099,30201,1.5,y\n",
    "yuan": "功能科目,金额,备注\n2080101,100,a\n2080101,1.5,b\n2080102,-0.50,=1+1\n2080102,-3,-2\n2080102,1.234,@x\n",
    "reported": ("功能科目,经济科目,金额\n2080101,30101,1.00\n2080504,30199,5.50\n9999999,30101,1\n合计,,99\n"
                 "2080101,30101,abc\n2080101,30101\n2080101,30101,1,extra\n39906,30101,10.01\n"),
    "misnamed": "功能科目,金额\n2080505,1.00\n[2080101]学前教育,2.00\n[2080101]学前教育,3.00\n2080101-行政运行,4.00\n",
    "quoted": '功能科目,金额,备注\n2080101,"1,000.00","a,b"\n2080102,2.00,"multi\nline"\n2080103,3.00,\n',
    "crlf": "功能科目,金额\r\n2080101,1.00\r\n2080102,2.50\r\n",
    # a row of blank cells is no item; a row without a code is reported; neither is written
    "blank-code": "功能科目,金额\n,\n,5\n'2080101,3\n2080101,1\n",
}


def _restated_csv(r) -> str:
    import io

    out = io.StringIO()
    r.write_csv(out)
    return out.getvalue()


def _same_restatement(a, b) -> None:
    assert a.unplaced == b.unplaced  # rows, codes, amounts, reasons, candidates
    assert a.input_totals == b.input_totals and repr(a.input_totals) == repr(b.input_totals)
    assert a.by_code == b.by_code and repr(a.totals_by_code()) == repr(b.totals_by_code())
    assert a.warnings == b.warnings and a.fields == b.fields and len(a.items) == len(b.items)
    assert list(a.items) == list(b.items)
    assert _restated_csv(a) == _restated_csv(b)
    assert a.conserved and b.conserved


@pytest.mark.parametrize("case", sorted(RESTATE_CASES))
def test_restate_on_duckdb_is_the_python_engines(tmp_path, case):
    path = _write(tmp_path, case, RESTATE_CASES[case])
    python = govcodes.restate(read_items(path), 2019, 2026, engine="python")
    duck = govcodes.restate(read_items(path), 2019, 2026, engine="duckdb")
    assert duck.engine == "duckdb"
    _same_restatement(python, duck)


def test_restate_shares_and_overrides_on_duckdb(tmp_path):
    path = _write(tmp_path, "split", RESTATE_CASES["reported"])
    options = {"shares": {"39906": {"39909": "0.3333", "39910": "0.6667"}}, "overrides": {"2080504": "2080599"}}
    python = govcodes.restate(read_items(path), 2018, 2024, **options, engine="python")
    duck = govcodes.restate(read_items(path), 2018, 2024, **options, engine="duckdb")
    _same_restatement(python, duck)
    assert "share" in duck.fields and {u.reason for u in duck.unplaced} >= {"a total row (合计), not a line item"}


def test_duckdb_writes_a_plain_file_itself_in_the_files_order(tmp_path):
    """A plain file's restated items are written by DuckDB (one COPY), in the file's order: the same text."""
    rnd = random.Random(9)
    walk = govcodes.crosswalk(2019, 2026)
    codes = [c for c, m in walk.items() if len(m) == 1 and m[0].kind != "split" and c.startswith("2")][:300]
    lines = ["功能科目,经济科目,金额,备注"]
    for i in range(30_000):
        fen = rnd.randrange(-10_000, 10_000_000)
        amount = f"{fen // 100}.{fen % 100:02d}" if i % 5 else str(fen // 100)
        lines.append(f"{rnd.choice(codes)},30101,{amount},{'=x' if i % 1000 == 0 else i}")
    path = tmp_path / "plain.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    duck = govcodes.restate(read_items(path), 2019, 2026, engine="duckdb")
    wrote = []
    writer = duck.writer
    assert writer is not None
    object.__setattr__(duck, "writer", lambda out, english: wrote.append(writer(out, english)) or wrote[-1])
    text = _restated_csv(duck)
    assert wrote == [True]  # DuckDB wrote them
    python = govcodes.restate(read_items(path), 2019, 2026, engine="python")
    assert text == _restated_csv(python)
    assert text.count("\n") == 30_001 and ",'=x," in text and ",=x," not in text


def test_restate_cli_engines_write_the_same_file(tmp_path, cli):
    path = _write(tmp_path, "cli", RESTATE_CASES["reported"] + "2080101,30101,2.00\n" * 50)
    outputs = []
    for engine in ("duckdb", "python"):
        out = tmp_path / f"{engine}.csv"
        result = cli("restate", str(path), "--from", "2019", "--to", "2026", "--engine", engine, "--format", "csv",
                     "-o", str(out))
        assert result.status == 1
        outputs.append((out.read_bytes(), result.err))
    assert outputs[0] == outputs[1]


def test_wide_amounts_left_to_the_python_engine_are_summed_exactly(tmp_path):
    """A row the SQL does not sum (an empty code, a 29-digit amount) is summed exactly, not in 28 digits."""
    path = _write(tmp_path, "wide", "功能科目,金额\n,100000000000000000000000000.00\n2080101,99999999999999999999999999.99\n")
    python, duck = _both(path)
    _same(python, duck)
    assert duck.input_total == (D("199999999999999999999999999.99"),)
