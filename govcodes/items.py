"""Reading raw line items (明细数据): CSV, XLSX and JSON lines, streamed.

Budget systems export line items with a functional 项 code, an economic 款
code and one or more amounts.  :func:`read_items` opens such a file, finds
its header (after any title lines), detects the encoding (UTF-8, UTF-8 with
BOM, UTF-16 with BOM, GB18030) and the delimiter, and yields the rows one at
a time, so that a file of any size is read in constant memory.
:func:`recognise_columns` tells which column holds what, from the common
Chinese headers.

>>> import io
>>> data = "2024年项目明细\\n功能科目,经济科目,金额（万元）\\n2080101-行政运行,[30101]基本工资,12.50\\n"
>>> items = read_items(io.BytesIO(data.encode("gb18030")))
>>> items.encoding, items.header
('gb18030', ('功能科目', '经济科目', '金额（万元）'))
>>> list(items)
[{'功能科目': '2080101-行政运行', '经济科目': '[30101]基本工资', '金额（万元）': '12.50'}]
>>> cols = recognise_columns(items.header)
>>> cols.codes["functional"], cols.codes["economic"], cols.measures, cols.unit
('功能科目', '经济科目', ('金额（万元）',), '万元')

Cells are returned as read: text for CSV; for JSON lines the JSON values
(numbers as :class:`~decimal.Decimal` or int, never float); for XLSX the
cell values with floats turned into exact Decimals of the 15 significant
digits a spreadsheet shows (whole floats, such as a code stored as
``2080101.0``, into int).
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import time
from contextlib import contextmanager
from decimal import Decimal
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

import attrs

from .errors import InputError
from .normalize import normalize_name

if TYPE_CHECKING:
    from typing import Union

    Source = Union[str, "os.PathLike[str]", IO[bytes], IO[str]]

__all__ = ["read_items", "Items", "Columns", "recognise_columns", "HEADERS", "MEASURE_HEADERS"]

#: Roles of code columns: the functional code, an economic code whose kind is
#: told by its first digit (3 department, 5 government), a department or a
#: government economic code.
CODE_ROLES = ("functional", "economic", "economic-department", "economic-government")

#: Recognised headers (compared without white space, NFKC, without a unit
#: suffix such as ``（万元）``) and the role of their column.
HEADERS: dict[str, str] = {
    **dict.fromkeys(
        ("科目编码", "科目代码", "功能科目", "功能科目编码", "功能科目代码", "功能分类", "功能分类科目",
         "功能分类科目编码", "功能分类编码", "功能分类代码", "支出功能分类", "支出功能分类科目",
         "支出功能分类科目编码", "功能分类科目代码", "code", "functional", "functional_code"),
        "functional"),
    **dict.fromkeys(
        ("经济科目", "经济科目编码", "经济科目代码", "经济分类", "经济分类科目", "经济分类科目编码",
         "经济分类编码", "经济分类代码", "支出经济分类", "支出经济分类科目", "支出经济分类科目编码",
         "economic", "economic_code"),
        "economic"),
    **dict.fromkeys(
        ("部门经济分类", "部门经济分类科目", "部门经济分类科目编码", "部门经济分类编码", "部门经济科目",
         "部门经济科目编码", "部门预算支出经济分类", "部门预算支出经济分类科目", "部门预算经济分类",
         "部门预算支出经济分类科目编码", "economic_department", "economic-department"),
        "economic-department"),
    **dict.fromkeys(
        ("政府经济分类", "政府经济分类科目", "政府经济分类科目编码", "政府经济分类编码", "政府经济科目",
         "政府经济科目编码", "政府预算支出经济分类", "政府预算支出经济分类科目", "政府预算经济分类",
         "政府预算支出经济分类科目编码", "economic_government", "economic-government"),
        "economic-government"),
    **dict.fromkeys(("科目名称", "功能科目名称", "功能分类科目名称", "功能分类名称", "name"), "functional-name"),
    **dict.fromkeys(("经济科目名称", "经济分类科目名称", "经济分类名称", "部门经济分类科目名称",
                     "部门经济科目名称", "economic_name"), "economic-name"),
}

#: Recognised headers of amount columns (measures).  Generic ones (金额 …) are
#: shown as 合计, as in the official tables.
MEASURE_HEADERS = (
    "金额", "合计", "总计", "小计", "基本支出", "项目支出", "人员经费", "公用经费", "预算数", "决算数",
    "预算金额", "决算金额", "本年预算", "本年预算数", "本年支出", "本年支出合计", "支出金额", "支出合计",
    "执行数", "年初预算数", "调整预算数", "全年预算数", "预算额", "amount",
)
GENERIC_MEASURES = frozenset(("金额", "预算数", "决算数", "预算金额", "决算金额", "支出金额", "执行数",
                              "预算额", "amount"))

_UNIT_SUFFIX = re.compile(r"[(（\[【]\s*(?:单位\s*[:：]?\s*)?(万元|元)\s*[)）\]】]$")
_SPACES = re.compile(r"\s+")
_HEADER_SCAN = 50
_SNIFF = 1 << 16


def _header_key(cell: object) -> tuple[str, str | None]:
    """A header cell without white space and unit suffix, and that unit.

    >>> _header_key(" 金额 (万元) ")
    ('金额', '万元')
    """
    text = normalize_name(str(cell or ""))
    m = _UNIT_SUFFIX.search(text)
    if m:
        return text[: m.start()], m.group(1)
    return text, None


@attrs.frozen(slots=True)
class Columns:
    """Which column holds what.

    ``codes`` maps a role (``functional``, ``economic``,
    ``economic-department``, ``economic-government``) to its column;
    ``names`` maps ``functional-name`` / ``economic-name`` to the column of
    printed names; ``measures`` are the amount columns, in file order;
    ``unit`` is the unit the amount headers print (``金额（万元）``), or None.
    """

    codes: Mapping[str, str]
    names: Mapping[str, str]
    measures: tuple[str, ...]
    unit: str | None = None

    def title(self, measure: str) -> str:
        """How a measure is headed in output: without unit suffix; a generic amount as 合计.

        >>> Columns({}, {}, ("金额（元）", "基本支出")).title("金额（元）")
        '合计'
        """
        key, _ = _header_key(measure)
        return "合计" if key in GENERIC_MEASURES else key


def recognise_columns(header: Sequence[object]) -> Columns:
    """The roles of the columns of ``header``, from the common Chinese headers.

    The first column of each role wins.  Amount columns are those whose
    header is in :data:`MEASURE_HEADERS`.

    >>> c = recognise_columns(["功能分类科目编码", "科目名称", "部门经济分类", "政府经济分类",
    ...                        "基本支出", "项目支出", "备注"])
    >>> dict(c.codes), dict(c.names), c.measures
    ({'functional': '功能分类科目编码', 'economic-department': '部门经济分类', 'economic-government': '政府经济分类'}, {'functional-name': '科目名称'}, ('基本支出', '项目支出'))
    """
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    measures: list[str] = []
    units: set[str | None] = set()
    measure_keys = set(MEASURE_HEADERS)
    for cell in header:
        key, unit = _header_key(cell)
        role = HEADERS.get(key) or HEADERS.get(key.lower())
        if role in CODE_ROLES:
            codes.setdefault(role, str(cell))
        elif role:
            names.setdefault(role, str(cell))
        elif key in measure_keys or key.lower() in measure_keys:
            measures.append(str(cell))
            units.add(unit)
    unit = units.pop() if len(units) == 1 else None
    return Columns(codes, names, tuple(measures), unit)


def find_column(header: Sequence[str], wanted: str, what: str) -> str:
    """The column of ``header`` named ``wanted`` (compared as headers are); InputError if none."""
    if wanted in header:
        return wanted
    key = _header_key(wanted)[0]
    found = [h for h in header if _header_key(h)[0] == key]
    if len(found) == 1:
        return found[0]
    raise InputError(f"no {what} column {wanted!r}", value=wanted,
                     expected="one of the columns " + ", ".join(repr(h) for h in header))


# -- sources -----------------------------------------------------------------


class _Counting(io.RawIOBase):
    """A raw stream that reports the bytes read to a progress callback, at most every 0.1 s."""

    def __init__(self, raw: Any, progress: Callable[[int, int | None], None], total: int | None) -> None:
        self._raw = raw
        self._progress = progress
        self._total = total
        self._done = 0
        self._last = 0.0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer)
        if n:
            self._done += n
            now = time.monotonic()
            if now - self._last >= 0.1:
                self._last = now
                self._progress(self._done, self._total)
        return n or 0

    def close(self) -> None:
        self._progress(self._done, self._total)
        self._raw.close()
        super().close()


class _Rows:
    """Rows of cells with the source row number of the last row given (``line_num``)."""

    __slots__ = ("_it", "line_num")

    def __init__(self, it: Iterator[tuple[int, list[Any]]]) -> None:
        self._it = it
        self.line_num = 0

    def __iter__(self) -> _Rows:
        return self

    def __next__(self) -> list[Any]:
        self.line_num, row = next(self._it)
        return row


class Items:
    """Line items read from a file (see :func:`read_items`): iterate for one dict per row.

    ``header`` is the header row, ``columns`` what :func:`recognise_columns`
    makes of it, ``format`` ``csv``, ``xlsx``, ``jsonl`` or ``mappings``,
    ``encoding`` the detected encoding of a CSV file, ``name`` the file name
    used in messages.  A file given by path can be read again; a stream
    (standard input) only once.
    """

    def __init__(self, opener: Callable[[], tuple[tuple[str, ...], _Rows | Any, Callable[[], None]]],
                 *, name: str, format: str, encoding: str | None, reusable: bool) -> None:
        self._opener = opener
        self.name = name
        self.format = format
        self.encoding = encoding
        self._reusable = reusable
        self._used = False
        self._pending: tuple[tuple[str, ...], Any, Callable[[], None]] | None = opener()
        self.header: tuple[str, ...] = self._pending[0]

    @property
    def columns(self) -> Columns:
        """The recognised roles of the columns."""
        return recognise_columns(self.header)

    def open(self) -> tuple[tuple[str, ...], Any, Callable[[], None]]:
        """(header, rows, close): rows are lists of cells and have ``line_num``, the source row number.

        For the rollup's fast path; most callers iterate the Items instead.
        """
        if self._pending is not None:
            opened, self._pending = self._pending, None
            self._used = True
            return opened
        if not self._reusable:
            raise InputError(f"{self.name} was already read", expected="a file path to read it again")
        return self._opener()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        header, rows, close = self.open()
        try:
            n = len(header)
            with guard(self.name, rows):
                for row in rows:
                    if len(row) < n:
                        row = list(row) + [""] * (n - len(row))
                    yield dict(zip(header, row))
        finally:
            close()

    def close(self) -> None:
        """Close the file if it was opened and not read."""
        if self._pending is not None:
            self._pending[2]()
            self._pending = None

    def __enter__(self) -> Items:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Items {self.name} ({self.format}): {len(self.header)} columns>"


def read_items(source: Source, *, format: str | None = None, encoding: str | None = None,
               delimiter: str | None = None, sheet: str | None = None, header_row: int | None = None,
               progress: Callable[[int, int | None], None] | None = None) -> Items:
    """Open line items for reading: a path, a binary or text stream (standard input).

    ``format`` is ``csv`` (also tab- or semicolon-separated), ``xlsx``
    (needs the optional ``openpyxl``: ``pip install govcodes[xlsx]``) or
    ``jsonl`` (one JSON object a line); by default it is told by the file
    suffix or, for a stream, by its first bytes.  ``encoding`` is detected
    when omitted: a BOM, else UTF-8 if the first 64 KiB decode, else
    GB18030.  The header is the row given by ``header_row`` (1-based), or
    the first row of the first 50 holding a recognised code header
    (:data:`HEADERS`), or the first non-blank row; rows above it (a title,
    ``单位：元``) are skipped.  ``progress(bytes_read, total_bytes_or_None)``
    is called while a CSV or JSON lines file is read.

    The file is opened (and its header read) at once, so that a missing
    file or an unreadable header raises :class:`~govcodes.InputError` here.

    >>> import io
    >>> items = read_items(io.BytesIO(b'{"code": "2080101", "amount": 1.5}\\n'))
    >>> items.format, list(items)
    ('jsonl', [{'code': '2080101', 'amount': Decimal('1.5')}])
    >>> read_items("no/such/file.csv")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: no such file; got 'no/such/file.csv'
    """
    if format is not None and format not in ("csv", "xlsx", "jsonl"):
        raise InputError("unknown items format", value=format, expected="csv, xlsx or jsonl")
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise InputError("no such file", value=path)
        suffix = os.path.splitext(path)[1].lower()
        fmt = format or {".xlsx": "xlsx", ".xlsm": "xlsx", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(suffix)
        if fmt is None:
            try:
                with open(path, "rb") as fh:
                    fmt = _sniff_format(fh.read(_SNIFF))
            except OSError as exc:
                raise InputError(f"cannot read the file: {exc.strerror or exc}", value=path) from None
        if fmt == "csv" and delimiter is None and suffix == ".tsv":
            delimiter = "\t"
        if fmt == "xlsx":
            return Items(lambda: _open_xlsx(path, sheet, header_row), name=path, format="xlsx",
                         encoding=None, reusable=True)
        total = os.path.getsize(path)
        probe: dict[str, str] = {}
        text_format: str = fmt

        def opener() -> tuple[tuple[str, ...], Any, Callable[[], None]]:
            try:
                raw: Any = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by the Items
            except OSError as exc:
                raise InputError(f"cannot read the file: {exc.strerror or exc}", value=path) from None
            if progress is not None:
                raw = _Counting(raw, progress, total)
            buffered = io.BufferedReader(raw, buffer_size=_SNIFF)
            opened = _open_stream(buffered, text_format, encoding, delimiter, header_row, path, probe)
            if isinstance(opened[1], CsvRows) and progress is None:
                opened[1].path, opened[1].encoding = path, probe.get("encoding")
            return opened

        items = Items(opener, name=path, format=fmt, encoding=None, reusable=True)
        items.encoding = probe.get("encoding")
        return items
    name = getattr(source, "name", None)
    name = name if isinstance(name, str) else "<stream>"
    stream: Any = source
    if isinstance(stream.read(0), str):  # a text stream: already decoded
        fmt = format or "csv"
        if fmt == "xlsx":
            raise InputError("a workbook cannot be read from a text stream", value=name,
                             expected="a path or a binary stream")
        opened = _open_text(stream, fmt, delimiter, header_row, name, "")
        return Items(lambda: opened, name=name, format=fmt, encoding=None, reusable=False)
    if progress is not None and hasattr(stream, "readinto"):
        stream = _Counting(stream, progress, None)
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream, buffer_size=_SNIFF)  # type: ignore[arg-type]
    fmt = format or _sniff_format(stream.peek(_SNIFF)[:_SNIFF])
    if fmt == "xlsx":
        data = stream.read()
        return Items(lambda: _open_xlsx(io.BytesIO(data), sheet, header_row), name=name, format="xlsx",
                     encoding=None, reusable=False)
    probe = {}
    opened = _open_stream(stream, fmt, encoding, delimiter, header_row, name, probe)
    items = Items(lambda: opened, name=name, format=fmt, encoding=probe.get("encoding"), reusable=False)
    return items


def _sniff_format(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{"):
        return "jsonl"
    return "csv"


def _detect_encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _open_stream(buffered: Any, fmt: str, encoding: str | None, delimiter: str | None,
                 header_row: int | None, name: str, probe: dict[str, str]
                 ) -> tuple[tuple[str, ...], Any, Callable[[], None]]:
    head = buffered.peek(_SNIFF)[:_SNIFF]
    enc = encoding or _detect_encoding(head)
    try:
        codecs.lookup(enc)
    except LookupError:
        buffered.close()
        raise InputError("unknown encoding", value=enc) from None
    probe["encoding"] = enc
    # universal newlines: every line ends in "\n" (CSV quoted fields keep their line breaks as "\n")
    text = io.TextIOWrapper(buffered, encoding=enc, newline=None)
    sample = ""
    if fmt == "csv" and delimiter is None:
        try:
            sample = head.decode(enc, errors="ignore")
        except LookupError:  # pragma: no cover - looked up above
            sample = ""
    try:
        return _open_text(text, fmt, delimiter, header_row, name, sample)
    except BaseException:
        text.close()
        raise


def _guess_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:20] if ln.strip()]
    best, best_count = ",", 0
    for delim in (",", "\t", ";", "|"):
        count = max((ln.count(delim) for ln in lines), default=0)
        if count > best_count:
            best, best_count = delim, count
    return best


def decode_error(name: str, exc: UnicodeDecodeError, where: str) -> InputError:
    """The error for undecodable text: names the line (found again in a file; else ``where``)."""
    expected = "the file's encoding given explicitly (encoding=... or --encoding)"
    line = _undecodable_line(name, exc.encoding) if os.path.isfile(name) else None
    if line is not None:
        return InputError(f"{name}: line {line} is not {exc.encoding} text", expected=expected)
    return InputError(f"{name} is not {exc.encoding} text {where}".rstrip(), expected=expected)


def _undecodable_line(path: str, encoding: str) -> int | None:
    """The first line of a file that does not decode (text is decoded ahead of the reader, in blocks)."""
    if codecs.lookup(encoding).name.startswith("utf-16"):
        return None  # lines of UTF-16 are not split on b"\n"
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    return None


def _open_text(text: Any, fmt: str, delimiter: str | None, header_row: int | None, name: str,
               sample: str) -> tuple[tuple[str, ...], Any, Callable[[], None]]:
    if fmt == "jsonl":
        return _open_jsonl(text, name)
    if delimiter is None:
        delimiter = _guess_delimiter(sample) if sample else ","
    reader = csv.reader(text, delimiter=delimiter)
    try:
        header = _find_header(reader, header_row, name)
    except UnicodeDecodeError as exc:
        raise decode_error(name, exc, "in its header") from None
    except csv.Error as exc:
        raise InputError(f"{name}: malformed CSV at line {reader.line_num}: {exc}") from None
    return header, CsvRows(reader, text, delimiter), text.close


class CsvRows:
    """The rows of a CSV file after its header.

    Iterating gives lists of cells (the csv module); ``line_num`` is the
    file line of the last row given.  ``text`` and ``delimiter`` let a
    consumer that needs speed split plain lines itself (a line without a
    quote character splits on the delimiter exactly as the csv module
    would) and hand over to the csv module with :meth:`resume`.
    """

    __slots__ = ("reader", "text", "delimiter", "offset", "path", "encoding")

    def __init__(self, reader: Any, text: Any, delimiter: str) -> None:
        self.reader = reader
        self.text = text
        self.delimiter = delimiter
        self.offset = 0
        #: set for a file read by path (with no progress reporting): a consumer may re-read
        #: the lines after the header as bytes, in this encoding, from this path
        self.path: str | None = None
        self.encoding: str | None = None

    def __iter__(self) -> Iterator[list[str]]:
        return iter(self.reader)

    @property
    def line_num(self) -> int:
        """The line number of the last row read through the csv module."""
        return int(self.reader.line_num) + self.offset

    @property
    def lines_read(self) -> int:
        """How many lines the csv module has read (the header and the lines above it, at first)."""
        return int(self.reader.line_num) + self.offset

    def resume(self, line: str, before: int) -> None:
        """Read on with the csv module from ``line`` (already taken from ``text``), which is line ``before + 1``."""
        import itertools

        self.reader = csv.reader(itertools.chain((line,), self.text), delimiter=self.delimiter)
        self.offset = before


@contextmanager
def guard(name: str, rows: Any) -> Iterator[None]:
    """Turn a decoding or CSV error met while reading ``rows`` into an InputError naming the line."""
    try:
        yield
    except UnicodeDecodeError as exc:
        raise decode_error(name, exc, f"after line {getattr(rows, 'line_num', '?')}") from None
    except csv.Error as exc:
        raise InputError(f"{name}: malformed CSV at line {getattr(rows, 'line_num', '?')}: {exc}") from None


def _is_header(cells: Sequence[object]) -> bool:
    for cell in cells:
        key = _header_key(cell)[0]
        if HEADERS.get(key) in CODE_ROLES or HEADERS.get(key.lower()) in CODE_ROLES:
            return True
    return False


def _find_header(rows: Iterator[Sequence[Any]] | Any, header_row: int | None, name: str) -> tuple[str, ...]:
    """Read rows up to the header (see :func:`read_items`); the iterator is left after it."""
    seen: list[Sequence[Any]] = []
    it = iter(rows)
    for number, row in enumerate(it, 1):
        if header_row is not None:
            if number == header_row:
                return _header_of(row)
            continue
        if _is_header(row):
            return _header_of(row)
        seen.append(row)
        if len(seen) >= _HEADER_SCAN:
            break
    if header_row is not None:
        raise InputError(f"{name} has fewer than {header_row} rows", value=header_row,
                         expected="the row number of the header")
    for row in seen:
        if any(str(c).strip() for c in row if c is not None):
            if len(seen) >= _HEADER_SCAN:
                raise InputError(f"{name}: no header with a code column in the first {_HEADER_SCAN} rows",
                                 expected="a header such as 功能科目, 科目编码 or 经济科目, or header_row=...")
            return _header_of(row)
    raise InputError(f"{name} is empty", expected="a header row and line items")


def _header_of(row: Sequence[Any]) -> tuple[str, ...]:
    cells = ["" if c is None else str(c).strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    if cells and cells[0].startswith("\ufeff"):
        cells[0] = cells[0][1:]
    return tuple(cells)


def _open_jsonl(text: Any, name: str) -> tuple[tuple[str, ...], Any, Callable[[], None]]:
    import json

    def objects() -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for number, line in enumerate(text, 1):
                line = line.strip().lstrip("\ufeff")
                if not line:
                    continue
                try:
                    obj = json.loads(line, parse_float=Decimal)
                except ValueError as exc:
                    raise InputError(f"{name}: line {number} is not JSON: {exc}") from None
                if not isinstance(obj, dict):
                    raise InputError(f"{name}: line {number} is not a JSON object", value=line[:60],
                                     expected='one object a line, such as {"功能科目": "2080101", "金额": "12.50"}')
                yield number, obj
        except UnicodeDecodeError as exc:
            raise decode_error(name, exc, "") from None

    it = objects()
    first = next(it, None)
    if first is None:
        text.close()
        raise InputError(f"{name} is empty", expected="one JSON object a line")
    header = tuple(str(k) for k in first[1])

    def rows() -> Iterator[tuple[int, list[Any]]]:
        yield first[0], [first[1].get(k) for k in header]
        for number, obj in it:
            yield number, [obj.get(k) for k in header]

    return header, _Rows(rows()), text.close


def _xlsx_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
        return Decimal(format(value, ".15g"))  # the 15 digits a spreadsheet shows, exactly
    if isinstance(value, (str, int, Decimal)):
        return value
    return str(value)


def _open_xlsx(source: Any, sheet: str | None, header_row: int | None
               ) -> tuple[tuple[str, ...], Any, Callable[[], None]]:
    name = source if isinstance(source, str) else "<stream>"
    try:
        import openpyxl
    except ImportError:
        raise InputError("reading .xlsx needs openpyxl", value=name,
                         expected="pip install 'govcodes[xlsx]', or the items saved as CSV") from None
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise InputError(f"cannot read the workbook: {exc}", value=name) from None
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise InputError("no such sheet", value=sheet, expected="one of " + ", ".join(book.sheetnames))
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    numbered = ((n, [_xlsx_cell(v) for v in row])
                for n, row in enumerate(ws.iter_rows(min_row=1, values_only=True), 1))
    rows = _Rows(numbered)
    try:
        header = _find_header(rows, header_row, name)
    except BaseException:
        book.close()
        raise
    return header, rows, book.close


def mapping_rows(items: Iterable[Mapping[str, Any]]) -> tuple[tuple[str, ...], Any]:
    """(header, rows) for an iterable of mappings: the first mapping's keys are the columns.

    Row numbers count the mappings from 1.
    """
    it = iter(items)
    first = next(it, None)
    if first is None:
        return (), _Rows(iter(()))
    if not isinstance(first, Mapping):
        raise InputError("line items must be mappings (one dict per item) or read_items(...)",
                         value=type(first).__name__, expected="a dict such as {'功能科目': '2080101', '金额': '1.00'}")
    keys = tuple(first)
    header = tuple(str(k) for k in keys)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        yield 1, [first.get(k) for k in keys]
        for number, item in enumerate(it, 2):
            if not isinstance(item, Mapping):
                raise InputError("a line item is not a mapping", row=number, value=type(item).__name__,
                                 expected="a dict such as {'功能科目': '2080101', '金额': '1.00'}")
            yield number, [item.get(k) for k in keys]

    return header, _Rows(rows())
