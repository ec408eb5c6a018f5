"""Opening what users give: the one source layer of every reader.

A path, ``-`` (standard input), bytes, or a stream becomes a :class:`Source`:
its format (told by its first bytes, whatever the file is called: the HTML a
budget system saves as ``.xls`` is HTML), its encoding and delimiter for
text, and its cells for workbooks.  The rules live here once:

* **formats**: CSV and other delimited text, JSON lines, XLSX, XLS, ODS,
  HTML tables, PDF, Parquet (:data:`FORMATS`);
* **encodings**: a BOM (UTF-8, UTF-16, UTF-32), else UTF-8 when the first
  64 KiB decode, else GB18030; an encoding given explicitly must be a text
  encoding (:func:`detect_encoding`, :func:`check_encoding`);
* **delimiters**: the one of ``, tab ; |`` most used in the first lines
  (:func:`guess_delimiter`);
* **cells**: workbook values as the readers take them (:func:`cell_value`):
  whole numbers as int, other numbers as the exact Decimal of the 15
  significant digits a spreadsheet shows, dates as ISO text, and a formula
  without a cached value as its formula text (``=SUM(B2:B9)``), which no
  reader takes for a code or an amount.

Every failure is an :class:`~govcodes.InputError` naming the file: a
missing file, a folder, an empty file, an unknown binary format, text that
does not decode.

>>> src = open_source(b"\\xef\\xbb\\xbf\\xe5\\x8a\\x9f\\xe8\\x83\\xbd\\xe7\\xa7\\x91\\xe7\\x9b\\xae,\\xe9\\x87\\x91\\xe9\\xa2\\x9d\\n2080101,1.00\\n")
>>> src.format, src.encoding, src.delimiter
('text', 'utf-8-sig', ',')
>>> rows = src.rows()
>>> [(rows.line_num, r) for r in rows] == [(1, ['功能科目', '金额']), (2, ['2080101', '1.00'])]
True
>>> open_source("no/such/file.csv")
Traceback (most recent call last):
...
govcodes.errors.InputError: no such file; got 'no/such/file.csv'
"""

from __future__ import annotations

import codecs
import io
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import IO, Any

from ..errors import InputError

__all__ = ["Source", "Rows", "open_source", "detect_encoding", "check_encoding", "guess_delimiter",
           "cell_value", "decode", "FORMATS", "TEXT_FORMATS", "WORKBOOK_FORMATS"]

#: Formats a source can have.
FORMATS = ("csv", "jsonl", "text", "xlsx", "xls", "ods", "html", "pdf", "docx", "parquet")
#: Formats read as text (decoded with the source's encoding).
TEXT_FORMATS = ("csv", "jsonl", "text")
#: Formats read as sheets of cells.
WORKBOOK_FORMATS = ("xlsx", "xls", "ods", "html")

#: Bytes looked at to tell the format and the encoding.
SNIFF = 1 << 16
#: Delimiters a delimited text file may use, in order of preference.
DELIMITERS = (",", "\t", ";", "|")

_SUFFIXES = {
    ".csv": "csv", ".tsv": "csv", ".txt": "text", ".text": "text", ".md": "text",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods", ".htm": "html", ".html": "html",
    ".pdf": "pdf", ".docx": "docx", ".parquet": "parquet",
}
ProgressFn = Callable[[int, "int | None"], None]


# -- the rules ---------------------------------------------------------------------------


def detect_encoding(head: bytes) -> str:
    """The encoding of text starting with ``head``: a BOM, else UTF-8 if it decodes, else GB18030.

    >>> detect_encoding("科目".encode("gb18030")), detect_encoding("科目".encode()), detect_encoding(b"\\xff\\xfe1\\x00")
    ('gb18030', 'utf-8', 'utf-16')
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def check_encoding(name: str) -> str:
    """``name`` if it is a text encoding Python knows; InputError otherwise.

    >>> check_encoding("GBK")
    'GBK'
    >>> check_encoding("rot13")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: not a text encoding; got 'rot13'; expected an encoding such as utf-8, gb18030, gbk or utf-16
    """
    try:
        info = codecs.lookup(name)
    except (LookupError, TypeError, ValueError):
        raise InputError("unknown encoding", value=name,
                         expected="an encoding such as utf-8, gb18030, gbk or utf-16") from None
    if not getattr(info, "_is_text_encoding", True):
        raise InputError("not a text encoding", value=name,
                         expected="an encoding such as utf-8, gb18030, gbk or utf-16")
    return name


def guess_delimiter(sample: str) -> str:
    """The delimiter of delimited text: the one of ``, tab ; |`` that splits the most of the first 20 lines
    into the same number of cells (quoted cells read as CSV reads them: what they hold does not count).

    >>> guess_delimiter("科目编码\\t金额\\n2080101\\t1,000.00\\n"), guess_delimiter("a;b\\n1;2\\n")
    ('\\t', ';')
    >>> guess_delimiter('code,name,note\\n101,a,"x; y; z"\\n102,b,"p, q; r; s"\\n')
    ','
    """
    import csv
    from collections import Counter

    lines = [ln for ln in sample.splitlines()[:20] if ln.strip()]
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        try:
            widths = [len(row) - 1 for row in csv.reader(lines, delimiter=delim)]
        except csv.Error:
            widths = [ln.count(delim) for ln in lines]
        counts = Counter(widths)
        counts.pop(0, None)
        if not counts:
            continue
        width, lines_with_it = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = (lines_with_it, width)  # the delimiter that splits most lines into the same number of cells
        if score > best_score:
            best, best_score = delim, score
    return best


def cell_value(value: Any) -> Any:
    """A workbook cell as the readers take it.

    >>> cell_value(2080101.0), cell_value(0.1), cell_value(None), cell_value(True)
    (2080101, Decimal('0.1'), '', 'TRUE')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return int(value)  # a whole number (a code stored as 2080101.0) stays a whole number
        from ..money import from_float

        return from_float(value)  # the 15 digits a spreadsheet shows, exactly
    if isinstance(value, (int, Decimal)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def decode(data: bytes, encoding: str, name: str) -> str:
    """Decode ``data``; InputError naming the line that does not decode."""
    try:
        return data.decode(encoding)
    except UnicodeError as exc:
        line = data.count(b"\n", 0, getattr(exc, "start", 0)) + 1
        raise InputError(f"{name}: line {line} is not {encoding} text",
                         expected="the file's encoding given explicitly (encoding=... or --encoding)") from None


# -- sources -------------------------------------------------------------------------------


class Rows:
    """Rows of cells with the source row number of the last row given (``line_num``).

    ``lines_before`` counts the physical lines consumed before the current
    position (CSV read by path: what a byte reader must skip).
    """

    __slots__ = ("_it", "line_num", "reader", "text", "delimiter")

    def __init__(self, it: Iterator[tuple[int, list[Any]]]) -> None:
        self._it = it
        self.line_num = 0
        self.reader: Any = None
        self.text: Any = None
        self.delimiter: str | None = None

    def __iter__(self) -> Rows:
        return self

    def __next__(self) -> list[Any]:
        self.line_num, row = next(self._it)
        return row


class Source:
    """Something to read: its name, format, encoding and delimiter, and how to get at its content.

    Made by :func:`open_source`.  A source given by path can be read several
    times; one given as a stream (standard input) is held in memory once its
    format needs it, or streamed once for delimited text and JSON lines.
    """

    def __init__(self, name: str, format: str, *, path: str | None = None, data: bytes | None = None,
                 stream: Any = None, encoding: str | None = None, delimiter: str | None = None,
                 progress: ProgressFn | None = None) -> None:
        self.name = name
        self.format = format
        self.path = path
        self.data = data
        self._stream = stream
        self.encoding = encoding
        self.delimiter = delimiter
        self.progress = progress
        self.size = os.path.getsize(path) if path is not None else (len(data) if data is not None else None)

    def __repr__(self) -> str:
        return f"<Source {self.name} ({self.format})>"

    # -- bytes and text ----------------------------------------------------------------
    def binary(self) -> Any:
        """A binary stream of the content (a new one each time for a path)."""
        if self.path is not None:
            try:
                raw: Any = open(self.path, "rb")  # noqa: SIM115 - the caller closes it
            except OSError as exc:
                raise InputError(f"cannot read the file: {exc.strerror or exc}", value=self.path) from None
        elif self.data is not None:
            raw = io.BytesIO(self.data)
        elif self._stream is not None:
            raw, self._stream = self._stream, None
        else:
            raise InputError(f"{self.name} was already read", expected="a file path to read it again")
        if self.progress is not None:
            raw = io.BufferedReader(_Counting(raw, self.progress, self.size), buffer_size=SNIFF)  # type: ignore[arg-type]
        return raw

    def read_bytes(self) -> bytes:
        """The whole content."""
        if self.data is not None:
            return self.data
        with self.binary() as fh:
            data: bytes = fh.read()
        if self.path is None:
            self.data = data
        return data

    def text(self) -> str:
        """The whole content as text, decoded with the source's encoding."""
        return decode(self.read_bytes(), self.encoding or "utf-8", self.name).lstrip("\ufeff")

    def lines(self) -> IO[str]:
        """A text stream of the content, universal newlines (the caller closes it)."""
        raw = self.binary()
        return io.TextIOWrapper(raw if hasattr(raw, "peek") else io.BufferedReader(raw, SNIFF),
                                encoding=self.encoding or "utf-8", errors="strict", newline="")

    # -- cells -------------------------------------------------------------------------
    def rows(self, sheet: str | int | None = None) -> Rows:
        """The rows of cells: the records of delimited text, or one sheet of a workbook."""
        if self.format in ("csv", "text"):
            return self._csv_rows()
        if self.format in WORKBOOK_FORMATS:
            return self.sheet_rows(sheet)
        raise InputError(f"{self.name} is {_article(self.format)} file, not a table of rows", value=self.format,
                         expected="CSV, XLSX, XLS, ODS or HTML")

    def _csv_rows(self) -> Rows:
        import csv

        text = self.lines()
        reader = csv.reader(text, delimiter=self.delimiter or ",")
        name = self.name

        def it() -> Iterator[tuple[int, list[Any]]]:
            try:
                with reading(name, lambda: reader.line_num + 1, self.path, self.encoding):
                    for row in reader:
                        if reader.line_num == 1 and row and row[0].startswith("\ufeff"):
                            row[0] = row[0][1:]  # a BOM the encoding left (--encoding utf-8); later, it is text
                        yield reader.line_num, row
            finally:
                text.close()

        rows = Rows(it())
        rows.reader, rows.text, rows.delimiter = reader, text, self.delimiter or ","
        return rows

    def sheet_names(self) -> list[str]:
        """The names of the sheets of a workbook (one name for an HTML page)."""
        return [name for name, _ in self._sheets()]

    def sheet_rows(self, sheet: str | int | None = None) -> Rows:
        """The rows of one sheet (the first by default), numbered as the workbook numbers them."""
        sheets = self._sheets()
        if not sheets:
            raise InputError(f"{self.name} has no sheets")
        if sheet is None:
            chosen = sheets[0]
        elif isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(sheets):
            chosen = sheets[sheet]
        else:
            found = [s for s in sheets if s[0] == sheet]
            if not found:
                raise InputError("no such sheet", value=sheet, expected="one of " + ", ".join(s[0] for s in sheets))
            chosen = found[0]
        return Rows(iter(chosen[1]()))

    def sheets(self) -> list[tuple[str, Rows]]:
        """Every sheet of a workbook: (name, rows)."""
        return [(name, Rows(iter(load()))) for name, load in self._sheets()]

    def _sheets(self) -> list[tuple[str, Callable[[], list[tuple[int, list[Any]]]]]]:
        if self.format == "html":
            from ._html import html_tables

            tables = html_tables(self.text(), self.name)
            return [(f"table {i}", _constant(t)) for i, t in enumerate(tables, 1)]
        from ._workbook import workbook_sheets

        return workbook_sheets(self)


def _constant(rows: list[tuple[int, list[Any]]]) -> Callable[[], list[tuple[int, list[Any]]]]:
    return lambda: rows


def _article(fmt: str) -> str:
    return ("an " if fmt[:1] in "aeiox" else "a ") + fmt.upper()


class _Counting(io.RawIOBase):
    """A raw stream that reports the bytes read to a progress callback, at most every 0.1 s."""

    def __init__(self, raw: Any, progress: ProgressFn, total: int | None) -> None:
        self._raw = raw
        self._progress = progress
        self._total = total
        self._done = 0
        self._last = 0.0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        import time

        data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        if n:
            self._done += n
            now = time.monotonic()
            if now - self._last >= 0.1:
                self._last = now
                self._progress(self._done, self._total)
        return n

    def close(self) -> None:
        if not self.closed:
            self._progress(self._done, self._total)
            self._raw.close()
        super().close()


def _undecodable_line(path: str, encoding: str) -> int | None:
    """The first line of a file that does not decode (text is decoded ahead of its reader, in blocks)."""
    try:
        if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
            return None  # lines of UTF-16 are not split on b"\n"
        decoder = codecs.getincrementaldecoder(encoding)()
        with open(path, "rb") as fh:
            for number, line in enumerate(fh, 1):
                try:
                    decoder.decode(line)
                except UnicodeError:
                    return number
    except (LookupError, OSError):
        return None
    return None


@contextmanager
def reading(name: str, where: Callable[[], object], path: str | None = None,
            encoding: str | None = None) -> Iterator[None]:
    """Turn an error met while reading into an InputError naming the file and the line.

    The line is found again in the file at ``path`` for a decoding error
    (text is decoded ahead of the reader); else ``where()`` says it.
    """
    import csv

    try:
        yield
    except UnicodeError as exc:
        enc = encoding or getattr(exc, "encoding", None) or "the expected"
        line = _undecodable_line(path, enc) if path is not None and encoding else None
        raise InputError(f"{name}: line {line or where()} is not {enc} text",
                         expected="the file's encoding given explicitly (encoding=... or --encoding)") from None
    except csv.Error as exc:
        raise InputError(f"{name}: malformed CSV at line {where()}: {exc}") from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read on after line {where()}: {exc.strerror or exc}") from None


def sniff_format(head: bytes, name: str = "") -> str | None:
    """The format told by the first bytes; None for text (delimited, JSON lines or plain).

    >>> sniff_format(b"%PDF-1.7"), sniff_format(b"<html><table>"), sniff_format(b"2080101,1")
    ('pdf', 'html', None)
    """
    if head.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in head[:200]:
            return "ods"
        if b"word/" in head and b"xl/" not in head:
            return "docx"
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PAR1"):
        return "parquet"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if stripped.startswith(b"<") and (b"<table" in stripped or b"<html" in stripped):
        return "html"
    if stripped.startswith((b"\xff\xfe<", b"\xfe\xff\x00<")):
        return "html"
    return None


def _is_binary(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return False
    return b"\x00" in head[:4096]


def open_source(source: object, *, format: str | None = None, encoding: str | None = None,
                delimiter: str | None = None, progress: ProgressFn | None = None,
                name: str | None = None) -> Source:
    """Open ``source``: a path (``str`` or :class:`os.PathLike`), ``"-"`` for standard input,
    ``bytes``, or a binary or text stream.

    ``format`` is told by the first bytes (workbooks, PDF, HTML, Parquet),
    else by the suffix, else: JSON lines when the text starts with ``{``,
    ``text`` otherwise (delimited text, or the text of a document).  ``encoding`` is detected when omitted
    (:func:`detect_encoding`); ``delimiter`` is guessed
    (:func:`guess_delimiter`; ``.tsv`` files are tab-separated).
    ``progress(done, total)`` is called while the bytes are read.
    """
    if format is not None and format not in FORMATS:
        raise InputError("unknown format", value=format, expected=", ".join(FORMATS))
    if encoding is not None:
        check_encoding(encoding)
    path: str | None = None
    data: bytes | None = None
    stream: Any = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        label = name or "<bytes>"
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)  # type: ignore[arg-type]
        if path == "-":
            import sys

            stream, path = sys.stdin.buffer, None
            label = name or "<stdin>"
        else:
            label = name or path
            _check_path(path)
    elif hasattr(source, "read"):
        stream = source
        given = getattr(source, "name", None)
        label = name or (given if isinstance(given, str) else "<stream>")
    else:
        raise InputError("cannot read from this", value=type(source).__name__,
                         expected="a path, '-' for standard input, bytes, or a binary stream")
    if stream is not None:
        try:
            first = stream.read(0)
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read {label}: {exc}") from None
        if isinstance(first, str):  # a text stream: encode it back, to read it like any other source
            text = stream.read()
            data, stream, encoding = text.encode("utf-8"), None, "utf-8"
        elif not hasattr(stream, "peek"):
            stream = io.BufferedReader(stream, buffer_size=SNIFF)
    try:
        if data is not None:
            head = data[:SNIFF]
        elif path is not None:
            with open(path, "rb") as fh:
                head = fh.read(SNIFF)
        else:
            head = stream.peek(SNIFF)[:SNIFF]
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", value=label) from None
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError(f"{label} is empty", expected="a file with a header row and data")
    suffix = os.path.splitext(path)[1].lower() if path else ""
    fmt = format or sniff_format(head, label)
    if fmt is None:
        by_suffix = _SUFFIXES.get(suffix)
        binary = _is_binary(head) and encoding is None
        if binary and by_suffix in ("xlsx", "xls", "ods", "pdf", "docx", "parquet"):
            fmt = by_suffix  # named as a workbook or PDF, and not text: its reader says what is wrong
        elif binary:
            raise InputError(f"{label} is not a text file, a workbook, a PDF or an HTML page",
                             expected="CSV or text (UTF-8, GB18030, UTF-16), JSON lines, XLSX, XLS, ODS, HTML or PDF")
        elif by_suffix in TEXT_FORMATS:
            fmt = by_suffix
        else:  # text, whatever the name says (budget systems save tab-separated text as .xls)
            fmt = "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "text"
    src = Source(label, fmt, path=path, data=data, stream=stream, progress=progress)
    if fmt in TEXT_FORMATS or fmt == "html":
        src.encoding = encoding or detect_encoding(head)
        if fmt in ("csv", "text"):
            if delimiter is None:
                delimiter = "\t" if suffix == ".tsv" else guess_delimiter(_decode_head(head, src.encoding))
            if len(delimiter) != 1:
                raise InputError("a delimiter is one character", value=delimiter)
        src.delimiter = delimiter
    return src


def _decode_head(head: bytes, encoding: str) -> str:
    try:
        return codecs.getincrementaldecoder(encoding)(errors="ignore").decode(head)
    except (LookupError, UnicodeError):  # pragma: no cover - checked before
        return ""


def _check_path(path: str) -> None:
    if not path or "\x00" in path:
        raise InputError("no such file", value=path)
    try:
        is_dir, exists, is_file = os.path.isdir(path), os.path.exists(path), os.path.isfile(path)
    except (OSError, ValueError):
        raise InputError("no such file", value=path) from None
    if is_dir:
        raise InputError("is a folder, not a file", value=path, expected="a file")
    if not exists:
        raise InputError("no such file", value=path)
    if not is_file:
        raise InputError("not a regular file", value=path, expected="a file")

