"""Reading line items: encodings, delimiters, headers, formats (govcodes.items)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest

import govcodes
from govcodes.readers.items import Columns, find_column, read_items, recognise_columns

ROWS = "功能科目,经济科目,金额\n2080101,30101,12.50\n2080505,30108,7.25\n"


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("utf-16", "utf-16"),
])
def test_encodings_are_detected(tmp_path, encoding, detected):
    items = read_items(_write(tmp_path, "items.csv", ROWS.encode(encoding)))
    assert items.encoding == detected
    assert items.header == ("功能科目", "经济科目", "金额")
    assert [row["金额"] for row in items] == ["12.50", "7.25"]


def test_gbk_bytes_that_happen_to_be_valid_utf8_are_not_guessed_wrong(tmp_path):
    # 科目 in GB18030 is not valid UTF-8: the detector must not take it for UTF-8
    data = "科目编码,金额\n2080101,1.00\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert read_items(_write(tmp_path, "a.csv", data)).header == ("科目编码", "金额")


def test_explicit_encoding_and_a_wrong_one(tmp_path):
    path = _write(tmp_path, "items.csv", ROWS.encode("gb18030"))
    assert read_items(path, encoding="gb18030").header[0] == "功能科目"
    with pytest.raises(govcodes.InputError, match="not utf-8 text"):
        read_items(path, encoding="utf-8")
    with pytest.raises(govcodes.InputError, match="unknown encoding"):
        read_items(path, encoding="no-such-codec")


def test_undecodable_bytes_after_the_sample_name_the_line(tmp_path):
    # the first 64 KiB are ASCII (taken for UTF-8); a GB18030 name comes much later
    head = "科目编码,金额\n".encode()
    body = b"2080101,1.00\n" * 6000
    tail = "2080101-行政运行,2.00\n".encode("gb18030")
    items = read_items(_write(tmp_path, "late.csv", head + body + tail))
    with pytest.raises(govcodes.InputError, match=r"line 6002 is not utf-8 text"):
        list(items)


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiters_are_detected(tmp_path, delimiter):
    text = ROWS.replace(",", delimiter)
    items = read_items(_write(tmp_path, "items.txt", text.encode()))
    assert list(items)[1] == {"功能科目": "2080505", "经济科目": "30108", "金额": "7.25"}


def test_tsv_suffix_means_tabs_even_with_commas_in_cells(tmp_path):
    text = "科目编码\t科目名称\t金额\n2080101\t行政运行,机关\t1,000.00\n"
    items = read_items(_write(tmp_path, "items.tsv", text.encode()))
    assert list(items) == [{"科目编码": "2080101", "科目名称": "行政运行,机关", "金额": "1,000.00"}]


def test_title_lines_above_the_header_are_skipped(tmp_path):
    text = "2024年项目支出明细\n单位：元\n\n" + ROWS
    items = read_items(_write(tmp_path, "items.csv", text.encode("gb18030")))
    assert items.header == ("功能科目", "经济科目", "金额")
    assert len(list(items)) == 2


def test_header_row_given_explicitly(tmp_path):
    text = "说明,,\nA,B,C\n2080101,30101,1.00\n"
    items = read_items(_write(tmp_path, "items.csv", text.encode()), header_row=2)
    assert items.header == ("A", "B", "C")
    assert list(items) == [{"A": "2080101", "B": "30101", "C": "1.00"}]
    with pytest.raises(govcodes.InputError, match="fewer than 9 rows"):
        read_items(_write(tmp_path, "b.csv", text.encode()), header_row=9)


def test_without_a_recognised_header_the_first_row_is_the_header(tmp_path):
    items = read_items(_write(tmp_path, "items.csv", b"x,y\n2080101,1.00\n"))
    assert items.header == ("x", "y")


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(govcodes.InputError, match="no such file"):
        read_items(tmp_path / "nope.csv")
    with pytest.raises(govcodes.InputError, match="is empty"):
        read_items(_write(tmp_path, "empty.csv", b""))
    with pytest.raises(govcodes.InputError, match="is empty"):
        read_items(_write(tmp_path, "blank.csv", b"\n\n  \n"))


def test_quoted_cells_with_delimiters_and_line_breaks(tmp_path):
    text = '功能科目,科目名称,金额\n2080101,"行政运行, 机关\n第二行","1,234.50"\n2080505,x,1.00\n'
    items = read_items(_write(tmp_path, "q.csv", text.encode()))
    rows = list(items)
    assert rows[0]["科目名称"] == "行政运行, 机关\n第二行" and rows[0]["金额"] == "1,234.50"
    assert rows[1]["功能科目"] == "2080505"


def test_a_path_can_be_read_again_a_stream_cannot(tmp_path):
    path = _write(tmp_path, "items.csv", ROWS.encode())
    items = read_items(path)
    assert list(items) == list(items)
    stream = read_items(io.BytesIO(ROWS.encode()))
    assert len(list(stream)) == 2
    with pytest.raises(govcodes.InputError, match="already read"):
        list(stream)


def test_text_streams_are_read_as_they_are():
    items = read_items(io.StringIO(ROWS))
    assert items.format == "csv" and len(list(items)) == 2


def test_progress_is_reported_for_files(tmp_path):
    path = _write(tmp_path, "items.csv", (ROWS + "2080101,30101,1.00\n" * 20000).encode())
    calls = []
    items = read_items(path, progress=lambda done, total: calls.append((done, total)))
    list(items)
    size = path.stat().st_size
    assert calls and calls[-1] == (size, size)
    assert all(total == size and 0 <= done <= size for done, total in calls)


def test_json_lines_give_decimals_never_floats(tmp_path):
    lines = [{"功能科目": "2080101", "金额": 12.5}, {"功能科目": 2080505, "金额": "1,000.00"}, {"功能科目": "208"}]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n"
    items = read_items(_write(tmp_path, "items.jsonl", data.encode()))
    rows = list(items)
    assert items.format == "jsonl" and items.header == ("功能科目", "金额")
    assert rows[0]["金额"] == Decimal("12.5") and type(rows[0]["金额"]) is Decimal
    assert rows[1] == {"功能科目": 2080505, "金额": "1,000.00"}
    assert rows[2] == {"功能科目": "208"}  # each item keeps its own keys


def test_json_lines_errors_name_the_line(tmp_path):
    bad = _write(tmp_path, "bad.jsonl", b'{"a": 1}\n{"a": \n')
    with pytest.raises(govcodes.InputError, match="line 2 is not JSON"):
        list(read_items(bad))
    notobj = _write(tmp_path, "list.jsonl", b'{"a": 1}\n[1, 2]\n')
    with pytest.raises(govcodes.InputError, match="line 2 is not a JSON object"):
        list(read_items(notobj))


def test_format_is_sniffed_for_streams():
    assert read_items(io.BytesIO(b'\xef\xbb\xbf{"code": "208"}\n')).format == "jsonl"
    assert read_items(io.BytesIO(ROWS.encode())).format == "csv"
    with pytest.raises(govcodes.InputError, match="unknown items format"):
        read_items(io.BytesIO(b""), format="pdf")


def test_xlsx_numbers_become_exact(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "明细"
    sheet.append(["2024年明细"])
    sheet.append(["功能科目", "经济科目", "金额"])
    sheet.append([2080101, "30101", 1234.56])
    sheet.append([2080505.0, 30108, 0.1 + 0.2])  # a formula's float noise
    sheet.append([None, None, None])
    sheet.append(["2080101-行政运行", "30101", 7])
    other = book.create_sheet("other")
    other.append(["科目编码", "金额"])
    other.append(["208", "1"])
    path = tmp_path / "items.xlsx"
    book.save(path)
    items = read_items(path)
    rows = list(items)
    assert items.format == "xlsx" and items.header == ("功能科目", "经济科目", "金额")
    assert rows[0] == {"功能科目": 2080101, "经济科目": "30101", "金额": Decimal("1234.56")}
    assert rows[1]["功能科目"] == 2080505 and rows[1]["金额"] == Decimal("0.3")
    assert not any(isinstance(v, float) for row in rows for v in row.values())
    assert list(read_items(path, sheet="other")) == [{"科目编码": "208", "金额": "1"}]
    with pytest.raises(govcodes.InputError, match="no such sheet"):
        read_items(path, sheet="nope")
    # a workbook from a stream (standard input) is sniffed by its zip signature
    assert read_items(io.BytesIO(path.read_bytes())).format == "xlsx"


def test_recognise_columns_from_common_headers():
    cols = recognise_columns(["功能分类科目编码", "科目名称", "部门经济分类", "政府经济分类", "金额（万元）", "备注"])
    assert dict(cols.codes) == {"functional": "功能分类科目编码", "economic-department": "部门经济分类",
                                "economic-government": "政府经济分类"}
    assert dict(cols.names) == {"functional-name": "科目名称"}
    assert cols.measures == ("金额（万元）",) and cols.unit == "万元"
    cols = recognise_columns([" 科目 编码 ", "经济科目", "合计", "基本支出", "人员经费", "公用经费", "项目支出"])
    assert cols.codes == {"functional": " 科目 编码 ", "economic": "经济科目"}
    assert cols.measures == ("合计", "基本支出", "人员经费", "公用经费", "项目支出") and cols.unit is None
    # measures in different units: no unit is claimed
    assert recognise_columns(["科目编码", "金额(元)", "基本支出（万元）"]).unit is None


def test_titles_of_measures():
    cols = Columns({}, {}, ("金额（元）", "基本支出", "amount"))
    assert [cols.title(m) for m in cols.measures] == ["合计", "基本支出", "合计"]


def test_find_column():
    header = ["功能科目", "金额（万元）"]
    assert find_column(header, "功能科目", "code") == 0
    assert find_column(header, "金额", "amount") == 1
    with pytest.raises(govcodes.InputError, match="no amount column '数额'.*'功能科目', '金额（万元）'"):
        find_column(header, "数额", "amount")


def test_a_header_named_twice_is_an_error_when_used():
    with pytest.raises(govcodes.InputError, match="in the header twice .columns 2 and 3."):
        find_column(["功能科目", "金额", "金额（元）"], "金额", "amount")
