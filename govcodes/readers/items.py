"""Reading raw line items (明细数据): CSV, XLSX, XLS, ODS, HTML and JSON lines, streamed; mappings; DataFrames.

Budget systems export line items with a functional 项 code, an economic 款
code and one or more amounts.  :func:`read_items` opens such a file
(through the one source layer, :mod:`govcodes.readers.source`), finds its
header (after any title lines) and yields the rows one at a time, so that a
file of any size is read in constant memory.  :func:`recognise_columns`
tells which column holds what, from the common Chinese headers
(:mod:`govcodes.readers.vocabulary`).

>>> import io
>>> data = "2024年项目明细\\n功能科目,经济科目,金额（万元）\\n2080101-行政运行,[30101]基本工资,12.50\\n"
>>> items = read_items(io.BytesIO(data.encode("gb18030")))
>>> items.encoding, items.header
('gb18030', ('功能科目', '经济科目', '金额（万元）'))
>>> list(items)
[{'功能科目': '2080101-行政运行', '经济科目': '[30101]基本工资', '金额（万元）': '12.50'}]
>>> cols = items.columns
>>> cols.codes["functional"], cols.codes["economic"], cols.measures, cols.unit
('功能科目', '经济科目', ('金额（万元）',), '万元')

Cells are returned as read: text for delimited files; for JSON lines the
JSON values (numbers as :class:`~decimal.Decimal` or int, never float); for
workbooks the cell values of :func:`~govcodes.readers.source.cell_value`.
A row shorter than the header has no cell in the columns it lacks: a
consumer that needs one reports the row (a blank cell, present, means 0).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..errors import InputError
from .source import ProgressFn, Rows, Source, open_source, reading
from .vocabulary import CODE_ROLES, document_year, header_key, measure_title, role_of, unit_in

__all__ = ["read_items", "items_of", "item_of", "blank_cell", "Items", "Columns", "recognise_columns", "find_column", "MISSING"]

#: Rows scanned for the header: the first holding a recognised code header wins.
HEADER_SCAN = 50
#: JSON lines (or mappings) whose keys make the header: keys first met later are kept in each item.
KEY_SCAN = 1000


class _Missing:
    """The cell of a column a row does not reach (shorter than the header, or a JSON key absent)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<no cell>"

    def __str__(self) -> str:
        return ""

    def __bool__(self) -> bool:
        return False


#: What a row holds in a column it does not reach.
MISSING: Any = _Missing()


@attrs.frozen(slots=True)
class Columns:
    """Which column holds what.

    ``codes`` maps a role (``functional``, ``economic``,
    ``economic-department``, ``economic-government``, ``revenue``) to its
    column; ``names`` maps ``functional-name`` / ``economic-name`` … to the
    column of printed names; ``measures`` are the amount columns, in file
    order; ``unit`` is the unit the amount headers print (``金额（万元）``),
    or None.
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
        return measure_title(measure)


def recognise_columns(header: Sequence[object]) -> Columns:
    """The roles of the columns of ``header``, from the common Chinese headers.

    The first column of each role wins.  Amount columns are those whose
    header is in :data:`~govcodes.readers.vocabulary.MEASURE_HEADERS`.

    >>> c = recognise_columns(["功能分类科目编码", "科目名称", "部门经济分类", "政府经济分类",
    ...                        "基本支出", "项目支出", "备注"])
    >>> dict(c.codes), dict(c.names), c.measures
    ({'functional': '功能分类科目编码', 'economic-department': '部门经济分类', 'economic-government': '政府经济分类'}, {'functional-name': '科目名称'}, ('基本支出', '项目支出'))
    """
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    measures: list[str] = []
    units: set[str | None] = set()
    for cell in header:
        role = role_of(cell)
        if role in CODE_ROLES:
            codes.setdefault(role, str(cell))
        elif role == "measure":
            if str(cell) not in measures:
                measures.append(str(cell))
                units.add(header_key(cell)[1])
        elif role:
            names.setdefault(role, str(cell))
    unit = units.pop() if len(units) == 1 else None
    return Columns(codes, names, tuple(measures), unit)


def find_column(header: Sequence[str], wanted: str, what: str) -> int:
    """The index in ``header`` of the column named ``wanted`` (compared as headers are).

    The one rule for duplicate headers, everywhere: a column is named by one
    header; a name two columns share is an error naming both positions.

    >>> find_column(["功能科目", "金额（元）"], "金额", "amount")
    1
    >>> find_column(["功能科目", "金额", "金额"], "金额", "amount")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: the amount column '金额' is in the header twice (columns 2 and 3); got ['功能科目', '金额', '金额']; expected one column of each name: rename one
    """
    key = header_key(wanted)[0]
    found = [i for i, h in enumerate(header) if header_key(h)[0] == key] or \
        [i for i, h in enumerate(header) if h == wanted]
    if len(found) == 1:
        return found[0]
    if found:
        where = " and ".join(str(i + 1) for i in found)
        raise InputError(f"the {what} column {wanted!r} is in the header twice (columns {where})",
                         value=list(header), expected="one column of each name: rename one")
    raise InputError(f"no {what} column {wanted!r}", value=wanted,
                     expected="one of the columns " + ", ".join(repr(h) for h in header))


class Items:
    """Line items read from a file (see :func:`read_items`): iterate for one dict per row.

    ``header`` is the header row, ``columns`` what :func:`recognise_columns`
    makes of it, ``format`` ``csv``, ``xlsx``, ``xls``, ``ods``, ``html``,
    ``jsonl``, ``parquet``, ``mappings``, ``frame`` or ``spark``, ``encoding`` the detected encoding of a
    text file, ``name`` the file name used in messages, ``header_line`` the
    line (row) number of the header, ``unit`` the unit a line above the
    header states (``单位：万元``), or None, ``year`` the budget year a title
    above it states (``2025年部门预算明细``), or None.  A file given by path can be read
    again; a stream (standard input) only once.
    """

    def __init__(self, name: str, format: str, header: tuple[str, ...],
                 opener: Callable[[], tuple[Rows, Callable[[], None]]], *, source: Source | None = None,
                 header_line: int = 0, reusable: bool = True,
                 objects: Callable[[], Iterator[tuple[int, Mapping[str, Any]]]] | None = None,
                 width: int | None = None, frame: Any = None) -> None:
        self.name = name
        self.format = format
        self.header = header
        #: the cells of the header row as read, trailing blank ones included: a row with more
        #: cells than this, not blank, does not fit the header
        self.width = len(header) if width is None else max(width, len(header))
        self.header_line = header_line
        self.source = source
        self._opener = opener
        self._reusable = reusable
        self._used = False
        self._objects = objects
        #: the DataFrame (pandas, polars, Arrow, Spark) the items are the rows of, for the SQL engines
        self.frame = frame
        #: the unit a line above the header states (``单位：万元``), or None
        self.unit: str | None = None
        #: the budget year a title above the header states (``2025年部门预算明细``), or None
        self.year: int | None = None

    @property
    def encoding(self) -> str | None:
        """The encoding of a text file (None for workbooks and objects)."""
        return self.source.encoding if self.source is not None and self.format in ("csv", "jsonl") else None

    @property
    def reusable(self) -> bool:
        """True when the items can be read again (a file given by path, a list, a DataFrame)."""
        return self._reusable

    @property
    def columns(self) -> Columns:
        """The recognised roles of the columns."""
        return recognise_columns(self.header)

    def open(self) -> tuple[Rows, Callable[[], None]]:
        """(rows, close): the rows after the header as lists of cells aligned on ``header``.

        ``rows.line_num`` is the source row number of the last row given.
        For the readers built on top (rollup, restate); most callers iterate the Items.
        """
        if self._used and not self._reusable:
            raise InputError(f"{self.name} was already read", expected="a file path to read it again")
        self._used = True
        return self._opener()

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for _, item in self.records():
            yield item

    def records(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number, item) for every row: a dict of header → cell.

        A JSON line or a mapping keeps all its own keys.  A row shorter than
        the header lacks the keys of the cells it does not reach (a blank
        cell, present, is ``""``); cells beyond the header are kept under
        ``"column N"``.
        """
        if self._objects is not None:  # JSON lines and mappings: each item with all its own keys
            if self._used and not self._reusable:
                raise InputError(f"{self.name} was already read", expected="a file path to read it again")
            self._used = True
            for number, obj in self._objects():
                yield number, dict(obj)
            return
        rows, close = self.open()
        try:
            header = self.header
            for row in rows:
                yield rows.line_num, item_of(header, row)
        finally:
            close()

    def close(self) -> None:
        """Nothing is held open between reads; kept for the context-manager protocol."""

    def __enter__(self) -> Items:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Items {self.name} ({self.format}): {len(self.header)} columns>"


def blank_cell(cell: Any) -> bool:
    """True for a cell that holds nothing: none, missing, or white space. A row of such cells is no item.

    >>> blank_cell(" "), blank_cell(MISSING), blank_cell("0")
    (True, True, False)
    """
    return cell is None or cell is MISSING or (isinstance(cell, str) and not cell.strip())


def item_of(header: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    """The item of a row of cells: header → cell; a cell beyond the header, not blank, kept as ``column N``.

    >>> item_of(("功能科目", "金额"), ["2080101", "1.00", "", "x"])
    {'功能科目': '2080101', '金额': '1.00', 'column 4': 'x'}
    """
    item = {h: row[i] for i, h in enumerate(header) if i < len(row)}
    for i in range(len(header), len(row)):
        if row[i] not in ("", None):
            item[f"column {i + 1}"] = row[i]
    return item


def read_items(source: object, *, format: str | None = None, encoding: str | None = None,
               delimiter: str | None = None, sheet: str | int | None = None, header_row: int | None = None,
               progress: ProgressFn | None = None) -> Items:
    """Open line items for reading: a path, ``"-"`` (standard input), bytes, or a binary or text stream.

    ``format`` is ``csv`` (also tab-, semicolon- or bar-separated), ``xlsx``,
    ``xls``, ``ods`` or ``html`` (a workbook: ``pip install 'govcodes[xlsx]'``)
    or ``jsonl`` (one JSON object a line); by default it is told by the
    file's first bytes, else its suffix.  ``encoding`` is detected when
    omitted (a BOM, else UTF-8, else GB18030).  The header is the row given
    by ``header_row`` (1-based), or the first row of the first 50 holding a
    recognised code header, or the first non-blank row; rows above it (a
    title, ``单位：元``) are skipped.  ``progress(bytes_read, total)`` is called
    while the file is read.

    The file is opened (and its header read) at once, so that a missing
    file or an unreadable header raises :class:`~govcodes.InputError` here.

    >>> import io
    >>> items = read_items(io.BytesIO(b'{"code": "2080101", "amount": 1.5}\\n{"code": "201", "amount": 2, "note": "x"}\\n'))
    >>> items.format, items.header, list(items)[1]
    ('jsonl', ('code', 'amount', 'note'), {'code': '201', 'amount': 2, 'note': 'x'})
    >>> read_items("no/such/file.csv")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: no such file; got 'no/such/file.csv'
    """
    if format is not None and format not in ("csv", "xlsx", "xls", "ods", "html", "jsonl", "parquet"):
        raise InputError("unknown items format", value=format, expected="csv, xlsx, xls, ods, html, jsonl or parquet")
    if header_row is not None and (isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1):
        raise InputError("the header row is a row number", value=header_row, expected="1 or more")
    src = open_source(source, format=format, encoding=encoding, delimiter=delimiter, progress=progress)
    if src.format == "text":
        src.format = "csv"
    if src.format == "jsonl":
        return _jsonl_items(src)
    if src.format == "parquet":
        return _parquet_items(src)
    if src.format not in ("csv", "xlsx", "xls", "ods", "html"):
        raise InputError(f"{src.name} is a {src.format.upper()} file, not line items",
                         expected="CSV, XLSX, XLS, ODS, HTML, JSON lines or Parquet")
    reusable = src.path is not None or src.data is not None

    def first_rows() -> Rows:
        return src.rows(sheet)

    rows = first_rows()
    header, line, buffered, width, above = _find_header(rows, header_row, src.name)
    close_first = _closer(rows)
    state = {"first": (rows, buffered)}

    def opener() -> tuple[Rows, Callable[[], None]]:
        first = state.pop("first", None)
        if first is not None:
            rest, ahead = first
        else:
            rest = first_rows()
            for _ in rest:
                if rest.line_num >= line:
                    break
            ahead = []
        return _replay(rest, ahead), _closer(rest)

    del close_first
    items = Items(src.name, src.format, header, opener, source=src, header_line=line, reusable=reusable,
                  width=width)
    items.unit = _preamble_unit(above, src.name)
    items.year = document_year((" ".join(str(c) for c in row if c is not None) for row in above), titles=True)
    return items


def _closer(rows: Rows) -> Callable[[], None]:
    def close() -> None:
        it = rows._it
        if hasattr(it, "close"):
            it.close()
    return close


def _replay(rows: Rows, ahead: list[tuple[int, list[Any]]]) -> Rows:
    """The rows read ahead while looking for the header, then the rest."""
    if not ahead:
        return rows

    def it() -> Iterator[tuple[int, list[Any]]]:
        yield from ahead
        for row in rows:
            yield rows.line_num, row

    out = Rows(it())
    out.reader, out.delimiter = rows.reader, rows.delimiter  # no .text: the lines ahead were taken from it
    return out


def _is_header(cells: Sequence[object]) -> bool:
    return any(role_of(c) in CODE_ROLES for c in cells if isinstance(c, str))


def _header_of(row: Sequence[Any]) -> tuple[str, ...]:
    cells = ["" if c is None else str(c).strip() for c in row]
    while cells and not cells[-1]:
        cells.pop()
    if cells and cells[0].startswith("\ufeff"):
        cells[0] = cells[0][1:]
    return tuple(cells)


def _find_header(rows: Rows, header_row: int | None, name: str
                 ) -> tuple[tuple[str, ...], int, list[tuple[int, list[Any]]], int, list[list[Any]]]:
    """(header, its line, the rows read after it, its cells, the rows above it) — see :func:`read_items`."""
    seen: list[tuple[int, list[Any]]] = []
    for row in rows:
        number = rows.line_num
        if header_row is not None:
            if number >= header_row:
                return _header_of(row), number, [], len(row), [r for _, r in seen]
            seen.append((number, row))
            continue
        if _is_header(row):
            return _header_of(row), number, [], len(row), [r for _, r in seen]
        seen.append((number, row))
        if len(seen) >= HEADER_SCAN:
            break
    if header_row is not None:
        raise InputError(f"{name} has fewer than {header_row} rows", value=header_row,
                         expected="the row number of the header")
    for k, (number, row) in enumerate(seen):
        if any(str(c).strip() for c in row if c is not None):
            return _header_of(row), number, seen[k + 1:], len(row), [r for _, r in seen[:k]]
    raise InputError(f"{name} is empty", expected="a header row and line items")


def _preamble_unit(rows: list[list[Any]], name: str) -> str | None:
    """The unit the lines above the header state (``单位：万元``); an error when they state two."""
    units = {u for row in rows for c in row if (u := unit_in(c))}
    if len(units) > 1:
        raise InputError(f"{name}: the lines above the header state two units", value=sorted(units),
                         expected="one 单位：元 or 单位：万元 line, or the unit given (input_unit=... / --input-unit)")
    return units.pop() if units else None


# -- JSON lines ---------------------------------------------------------------------------


def _json_objects(src: Source) -> Iterator[tuple[int, dict[str, Any]]]:
    import json

    text = src.lines()
    number = 0
    try:
        with reading(src.name, lambda: number + 1):
            for number, line in enumerate(text, 1):
                line = line.strip().lstrip("\ufeff")
                if not line:
                    continue
                if len(line) > 1_000_000:
                    raise InputError(f"{src.name}: line {number} is longer than a line item can be",
                                     value=line[:40] + "…", expected="one JSON object a line")
                try:
                    obj = json.loads(line, parse_float=_json_number, parse_int=_json_int,
                                     parse_constant=_json_constant)
                except RecursionError:
                    raise InputError(f"{src.name}: line {number} nests too deeply to be a line item",
                                     value=line[:40] + "…", expected="one flat JSON object a line") from None
                except ValueError as exc:
                    raise InputError(f"{src.name}: line {number} is not JSON: {exc}") from None
                if not isinstance(obj, dict):
                    raise InputError(f"{src.name}: line {number} is not a JSON object", value=line[:60],
                                     expected='one object a line, such as {"功能科目": "2080101", "金额": "12.50"}')
                yield number, obj
    finally:
        text.close()


def _json_number(text: str) -> Decimal | str:
    """JSON numbers as exact Decimals; a number too long to be an amount stays text (and is reported)."""
    from ..money import MAX_CHARS, MAX_EXPONENT

    if len(text) > MAX_CHARS:
        return text
    value = Decimal(text)
    return value if abs(value.adjusted()) <= MAX_EXPONENT + MAX_CHARS else text


def _json_int(text: str) -> int | str:
    from ..money import MAX_CHARS

    return int(text) if len(text) <= MAX_CHARS else text


def _json_constant(text: str) -> str:
    return text  # NaN, Infinity: not numbers a budget holds; kept as text and reported


def _jsonl_items(src: Source) -> Items:
    objects = _json_objects(src)
    ahead = list(itertools.islice(objects, KEY_SCAN))
    if not ahead:
        raise InputError(f"{src.name} is empty", expected="one JSON object a line")
    header = _keys(obj for _, obj in ahead)
    state = {"first": (ahead, objects)}

    def numbered() -> tuple[Iterator[tuple[int, dict[str, Any]]], Callable[[], None]]:
        first = state.pop("first", None)
        if first is None:
            if src.path is None:
                raise InputError(f"{src.name} was already read", expected="a file path to read it again")
            first = ([], _json_objects(src))
        buffered, rest = first
        return itertools.chain(buffered, rest), rest.close  # type: ignore[attr-defined]

    def opener() -> tuple[Rows, Callable[[], None]]:
        pairs, close = numbered()
        return Rows((number, [obj.get(k, MISSING) for k in header]) for number, obj in pairs), close

    def dicts() -> Iterator[tuple[int, Mapping[str, Any]]]:
        pairs, close = numbered()
        try:
            yield from pairs
        finally:
            close()

    return Items(src.name, "jsonl", header, opener, source=src, header_line=0,
                 reusable=src.path is not None, objects=dicts)


def _keys(objects: Iterable[Mapping[Any, Any]]) -> tuple[str, ...]:
    keys: dict[str, None] = {}
    for obj in objects:
        for k in obj:
            keys.setdefault(str(k), None)
    return tuple(keys)


# -- objects: mappings and DataFrames -----------------------------------------------------


def items_of(items: object) -> Items:
    """Line items from what the API takes: :class:`Items`, mappings (dicts), or a DataFrame.

    pandas and polars DataFrames and Arrow tables are read column-wise
    without copying them into dicts; float columns are read exactly by the
    15-significant-digit rule and integer code columns are codes.  Mappings
    are taken in order; the header is the keys of the first 1,000, in the
    order first met, and each item keeps its own keys.

    >>> items = items_of([{"科目编码": "208", "金额": "1"}, {"科目编码": "20801", "金额": 2, "备注": "x"}])
    >>> items.header, [row for row in items.open()[0]][1]
    (('科目编码', '金额', '备注'), ['20801', 2, 'x'])
    """
    if isinstance(items, Items):
        return items
    if isinstance(items, (str, bytes, os.PathLike)):
        raise InputError("line items are rows, not a file name", value=items,
                         expected="govcodes.read_items(path), a DataFrame or an iterable of dicts")
    frame = _frame_items(items)
    if frame is not None:
        return frame
    if isinstance(items, Mapping) or not isinstance(items, Iterable):
        raise InputError("line items must be mappings (one dict per item), a DataFrame or read_items(...)",
                         value=type(items).__name__, expected="a list of dicts such as {'功能科目': '2080101', '金额': '1.00'}")
    it = iter(items)
    ahead = list(itertools.islice(it, KEY_SCAN))
    for number, item in enumerate(ahead, 1):
        if not isinstance(item, Mapping):
            raise InputError("a line item is not a mapping", row=number, value=type(item).__name__,
                             expected="a dict such as {'功能科目': '2080101', '金额': '1.00'}")
    header = _keys(ahead)
    source = items if isinstance(items, (list, tuple)) else None
    rest = [it]

    def mappings() -> Iterator[tuple[int, Mapping[str, Any]]]:
        if source is not None:
            stream: Iterable[Any] = source
        elif rest:
            stream = itertools.chain(ahead, rest.pop())
        else:
            raise InputError("the line items were already read", expected="a list, to read them again")
        for number, item in enumerate(stream, 1):
            if not isinstance(item, Mapping):
                raise InputError("a line item is not a mapping", row=number, value=type(item).__name__,
                                 expected="a dict such as {'功能科目': '2080101', '金额': '1.00'}")
            yield number, item

    def opener() -> tuple[Rows, Callable[[], None]]:
        return Rows((n, [m.get(k, MISSING) for k in header]) for n, m in mappings()), (lambda: None)

    def dicts() -> Iterator[tuple[int, Mapping[str, Any]]]:
        return mappings()

    return Items("items", "mappings", header, opener, reusable=source is not None, objects=dicts)


def _frame_items(frame: object) -> Items | None:
    """Items of a pandas or polars DataFrame or an Arrow table; None for anything else."""
    module = type(frame).__module__.split(".", 1)[0]
    if module not in ("pandas", "polars", "pyarrow", "pyspark"):
        return None
    if module == "pyspark":
        if not hasattr(frame, "toLocalIterator"):
            return None
        columns = [str(c) for c in frame.columns]  # type: ignore[attr-defined]

        def batches() -> Iterator[list[list[Any]]]:
            rows: list[Any] = []
            for row in frame.toLocalIterator():  # type: ignore[attr-defined]
                rows.append(row)
                if len(rows) == 65536:
                    yield [list(col) for col in zip(*rows)]
                    rows = []
            if rows:
                yield [list(col) for col in zip(*rows)]
    elif module == "pandas":
        columns = [str(c) for c in frame.columns]  # type: ignore[attr-defined]

        def batches() -> Iterator[list[list[Any]]]:
            for start in range(0, len(frame), 65536):  # type: ignore[arg-type]
                part = frame.iloc[start:start + 65536]  # type: ignore[attr-defined]
                yield [part[c].tolist() for c in frame.columns]  # type: ignore[attr-defined]
    elif module == "polars":
        columns = [str(c) for c in frame.columns]  # type: ignore[attr-defined]

        def batches() -> Iterator[list[list[Any]]]:
            for part in frame.iter_slices(65536):  # type: ignore[attr-defined]
                yield [part.get_column(c).to_list() for c in part.columns]
    else:
        table = frame
        if hasattr(table, "to_batches"):
            columns = [str(c) for c in table.schema.names]  # type: ignore[attr-defined]

            def batches() -> Iterator[list[list[Any]]]:
                for batch in table.to_batches(max_chunksize=65536):  # type: ignore[attr-defined]
                    yield [batch.column(i).to_pylist() for i in range(batch.num_columns)]
        else:
            return None

    return _batch_items(f"<{module} {type(frame).__name__}>", "spark" if module == "pyspark" else "frame",
                        columns, batches, frame=frame)


def _batch_items(name: str, format: str, columns: Sequence[str], batches: Callable[[], Iterator[list[list[Any]]]],
                 frame: Any = None, source: Source | None = None) -> Items:
    """Items of columns read in batches: numbered from 1; None and NaN are empty cells."""
    def opener() -> tuple[Rows, Callable[[], None]]:
        def rows() -> Iterator[tuple[int, list[Any]]]:
            number = 0
            for cols in batches():
                for row in zip(*cols):
                    number += 1
                    yield number, ["" if v is None or (isinstance(v, float) and v != v) else v for v in row]

        return Rows(rows()), (lambda: None)

    return Items(name, format, tuple(columns), opener, reusable=True, frame=frame, source=source)


def _parquet_items(src: Source) -> Items:
    """Line items of a Parquet file (``pip install 'govcodes[arrow]'``), read a batch at a time."""
    from ..frames import need

    pq = need("pyarrow.parquet", "arrow")
    if src.path is None:
        import io

        target: Any = io.BytesIO(src.read_bytes())
    else:
        target = src.path
    try:
        columns = [str(c) for c in pq.read_schema(target).names]
    except Exception as exc:  # pyarrow's errors: not a Parquet file, truncated …
        raise InputError(f"{src.name} cannot be read as Parquet: {exc}") from None

    def batches() -> Iterator[list[list[Any]]]:
        if hasattr(target, "seek"):
            target.seek(0)
        for batch in pq.ParquetFile(target).iter_batches(batch_size=65536):
            yield [batch.column(i).to_pylist() for i in range(batch.num_columns)]

    return _batch_items(src.name, "parquet", columns, batches, source=src)
