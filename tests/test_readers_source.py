"""The source layer: formats, encodings, delimiters, workbook cells (govcodes.readers.source)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from govcodes import InputError
from govcodes.readers.source import cell_value, check_encoding, detect_encoding, guess_delimiter, open_source


@pytest.mark.parametrize("data, fmt", [
    (b"%PDF-1.7\n", "pdf"), (b"<html><body><table><tr><td>1</td></tr></table>", "html"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "xls"), (b"PAR1\0\0", "parquet"),
    (b'{"code": "208"}\n', "jsonl"), ("科目编码,金额\n".encode("gb18030"), "text"),
])
def test_format_by_first_bytes_whatever_the_name(tmp_path, data, fmt):
    path = tmp_path / "budget.xls"  # budget systems save HTML as .xls
    path.write_bytes(data)
    assert open_source(path).format == fmt
    assert open_source(data).format == fmt


def test_encodings():
    assert detect_encoding("科目".encode("gb18030")) == "gb18030"
    assert detect_encoding("\ufeff科目".encode("utf-8")) == "utf-8-sig"
    assert detect_encoding("科目".encode("utf-16")) == "utf-16"
    assert detect_encoding("科目".encode("utf-32")) == "utf-32"
    assert check_encoding("gbk") == "gbk"
    for bad in ("rot13", "hex", "base64", "nonsense"):
        with pytest.raises(InputError):
            check_encoding(bad)


def test_delimiters():
    assert guess_delimiter("科目编码\t金额\n2080101\t1,000.00\n") == "\t"
    assert guess_delimiter("a;b;c\n1;2;3\n") == ";"
    assert guess_delimiter("a|b\n1|2\n") == "|"


def test_what_cannot_be_read(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        open_source(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="is a folder"):
        open_source(tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="is empty"):
        open_source(empty)
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(InputError, match="not a text file"):
        open_source(binary)
    with pytest.raises(InputError, match="cannot read from this"):
        open_source(42)


def test_text_streams_and_standard_input(monkeypatch):
    src = open_source(io.StringIO("科目编码,金额\n208,1\n"))
    assert src.format == "text" and src.text().startswith("科目编码")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO("科目编码,金额\n".encode("gb18030"))))
    assert open_source("-").encoding == "gb18030"


def test_workbook_cells():
    assert cell_value(2080101.0) == 2080101 and cell_value(0.1) == Decimal("0.1")
    assert cell_value(None) == "" and cell_value(False) == "FALSE"
    import datetime

    assert cell_value(datetime.date(2026, 1, 2)) == "2026-01-02"


def test_a_formula_without_a_cached_value_is_its_formula_text(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["功能科目", "金额"])
    sheet.append(["2080101", 1.5])
    sheet.append(["2080101", "=SUM(B2:B2)"])  # written by a program: no value was ever computed
    path = tmp_path / "formula.xlsx"
    book.save(path)
    rows = list(open_source(path).rows())
    assert rows[2] == ["2080101", "=SUM(B2:B2)"]


def test_html_tables(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><table><tr><th>功能科目</th><th>金额</th></tr><tr><td>2080101</td><td>1.00</td></tr>"
                    "</table></html>", encoding="gb18030")
    src = open_source(path)
    assert src.format == "html" and list(src.rows()) == [["功能科目", "金额"], ["2080101", "1.00"]]
