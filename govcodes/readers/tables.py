r"""Read the classification tables of budget and final-account documents.

Departments publish their budgets (预算) and final accounts (决算) as PDFs
whose tables list 类/款/项 codes with amounts.  :func:`read_tables` finds
every table in a document's text (or a CSV or XLSX file) by its title line and
returns, for each, the printed rows: code, printed name, one amount per
amount column and the line the row was printed on.

>>> text = '''2024年一般公共预算支出表（功能分类项级）
... 单位：万元
... 科目编码\t科目名称\t合计\t基本支出\t项目支出
... \t合计\t1,010.00\t1,000.00\t10.00
... 208\t社会保障和就业支出\t1,010.00\t1,000.00\t10.00
... \t01\t人力资源和社会保 障管理事务\t1,010.00\t1,000.00\t10.00
... 2080101\t行政运行\t1,000.00\t1,000.00\t
... 2080199\t其他人力资源和社会保障管理事务支出\t10.00\t\t10.00
... '''
>>> table = read_table(text)
>>> table.title, table.year, table.unit, table.columns
('2024年一般公共预算支出表（功能分类项级）', 2024, '万元', ('合计', '基本支出', '项目支出'))
>>> table.total.amounts
(Decimal('1010.00'), Decimal('1000.00'), Decimal('10.00'))
>>> [(row.code, row.name) for row in table.rows if row.code]  # doctest: +NORMALIZE_WHITESPACE
[('208', '社会保障和就业支出'), ('20801', '人力资源和社会保 障管理事务'),
 ('2080101', '行政运行'), ('2080199', '其他人力资源和社会保障管理事务支出')]
>>> row = table.get("2080101")
>>> row.amounts, row.line    # a blank cell is None, not 0
((Decimal('1000.00'), Decimal('1000.00'), None), 7)
>>> row.values               # ...and 0 where you want to add up
(Decimal('1000.00'), Decimal('1000.00'), Decimal('0'))
>>> table.get("20801").normalized_name   # the PDF line-wrap space is kept in .name
'人力资源和社会保障管理事务'

Layouts understood (all seen in real documents):

* tab-separated text (text extracted from PDFs), markdown pipe tables,
  space-separated text, CSV (any common encoding, with or without BOM) and
  XLSX (needs the optional ``openpyxl``);
* full codes in the first column, codes split over columns or within a cell
  (``208  05  01``), only the 2-digit 款 or 项 part printed below its parent
  (in 类/款/项 columns or alone), ``[2080101]行政运行`` and
  ``2080101-行政运行`` cells, codes stored as numbers (``2080101.0``);
* multi-line headers (flattened to ``"基本支出/人员经费"``), a row of
  column numbers (``类 款 项 栏次 1 2 3``), headers and data out of step;
* names broken by PDF line wrapping, inside the cell (the space is kept) or
  onto the next line (joined with a space);
* side-by-side tables holding two or three code/name/amount groups in one
  printed row (基本支出决算明细表): each group's rows come out in turn, with
  :attr:`TableRow.group` telling which group a row was printed in;
* thousands separators, blank cells (``None``), a 合计 row (``is_total``);
* 单位/部门/项目 tables (header 单位代码, 单位编码, 项目编码...): unit and
  project codes are not taken for classification codes; they are kept in
  :attr:`TableRow.printed_code`.

Reading never fails on what a table contains: a cell that is not an amount
becomes ``None`` and is reported in :attr:`Table.problems`.  Errors
(:class:`~govcodes.InputError`) are for what cannot be read at all: a missing
file, an undecodable text, a title that matches no table.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections import Counter
from decimal import Decimal
from typing import Iterable, Iterator, Sequence, Union

import attrs

from ..codes import LEVELS, classification_of, normalize_name, split_code_name
from ..errors import GovcodesError, InputError, InvalidCodeError
from ..money import BLANKS, is_amount, is_blank, read_amount
from .source import Source as _Source
from .source import cell_value, guess_delimiter, open_source
from .vocabulary import (GRAND_TOTALS, document_year, LEVEL_HEADERS, is_code_label, is_header_word, is_meta, is_page_mark, is_prose,
                         is_row_number_label, is_structural, is_title, is_total_label, is_unit_code_label,
                         is_unit_name_label, unit_in)

__all__ = ["read_tables", "read_table", "Table", "TableRow"]

#: What :func:`read_tables` accepts: a path, the text itself, its bytes, or rows of cells.
Source = Union[str, "os.PathLike[str]", bytes, Sequence[Sequence[object]]]

_ZERO = Decimal(0)


# --------------------------------------------------------------------------- model


@attrs.frozen(slots=True)
class TableRow:
    """One printed row of a table.

    ``code`` is the classification code, normalised (``'2080101'``), or
    ``None`` for the 合计 row and rows without a classification code (unit
    rows of a 单位 table, "其中" rows).  ``printed_code`` is the code as
    printed (``'[2080101]'``, ``'208 05 01'``, ``'01'`` for a 项 printed
    under its 款, ``'33001'`` for a unit code); ``''`` when none.

    ``name`` is the name as printed: PDF line-wrap spaces are kept, so that a
    checker can tell a formatting-only difference from a wrong name; compare
    with :attr:`normalized_name`.

    ``amounts`` has one entry per column of :attr:`Table.columns`: a
    :class:`~decimal.Decimal`, exact as printed, or ``None`` for a blank cell
    (empty or a dash).  ``0.00`` printed is ``Decimal('0.00')``.
    :attr:`values` gives 0 for blanks.

    ``line`` is the 1-based line (CSV record, spreadsheet row) where the row
    is printed.  ``aligned`` is False when the amounts could not be placed in
    their columns with certainty: space-separated text without the blank
    cells, where the amounts found are given left to right.  ``group`` is the
    index of the group in a side-by-side table (0 otherwise).  ``page`` is the
    page of a PDF the row is printed on (None for other sources); ``line`` then
    counts the rows rebuilt from the whole document.

    >>> row = TableRow(code="2080101", name="行政运行", amounts=(Decimal("5.00"), None), line=9)
    >>> row.level, row.values
    ('项', (Decimal('5.00'), Decimal('0')))
    """

    code: str | None
    name: str
    amounts: tuple[Decimal | None, ...]
    line: int
    is_total: bool = False
    printed_code: str = ""
    aligned: bool = True
    group: int = 0
    page: int | None = None

    @property
    def level(self) -> str | None:
        """类, 款, 项 or 目 by the code's length; None without a code."""
        return LEVELS.get(len(self.code)) if self.code else None

    @property
    def normalized_name(self) -> str:
        """The name without wrap spaces, NFKC (see :func:`~govcodes.normalize_name`)."""
        return normalize_name(self.name)

    @property
    def values(self) -> tuple[Decimal, ...]:
        """The amounts with 0 for blank cells, for adding up."""
        return tuple(_ZERO if a is None else a for a in self.amounts)


@attrs.frozen(slots=True)
class Table:
    """A table found in a document.

    ``title`` as printed (``''`` when the table had none); ``year`` read from
    the title (``2020年...``); ``unit`` ``'万元'`` or ``'元'`` from a
    ``单位：万元`` line, None if not printed; ``columns`` the labels of the
    amount columns, multi-line headers joined with ``/`` (``''`` where none
    is printed); ``rows`` in printed order (a side-by-side table gives its
    first group's rows, then the second's...); ``groups`` the labels over the
    groups of a side-by-side table (``('人员经费', '公用经费', '公用经费')``),
    empty otherwise; ``classification`` what the table's codes are:
    ``'functional'`` (2…), ``'economic-department'`` (3…, or
    ``'economic'`` before 2018), ``'economic-government'`` (5…),
    ``'revenue'`` (1…), or None for a table without classification codes
    (a 单位 or 项目 table, a performance table); ``line`` the line of the
    title; ``source`` the file read (``'<text>'`` for text);  ``problems``
    what could not be read, one message per cell or row; ``notes`` what the
    reader was unsure of (never an error: a table continued on another page
    under a different header, a row whose amounts could not be placed in
    their columns); ``page`` the PDF page the table starts on;
    ``document_year`` the year the document prints for its budget or final
    account (its cover, page headers: ``2026 年度部门预算公开``), which
    :func:`~govcodes.check` takes for a table whose title prints none;
    ``typed`` True when its amounts were read as numbers (a workbook), whose
    printed decimals are the cells' format, not their values.
    """

    title: str
    year: int | None
    unit: str | None
    columns: tuple[str, ...]
    rows: tuple[TableRow, ...]
    line: int = 1
    classification: str | None = None
    groups: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    source: str = "<text>"
    notes: tuple[str, ...] = ()
    page: int | None = None
    document_year: int | None = None
    typed: bool = False

    def __iter__(self) -> Iterator[TableRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def total(self) -> TableRow | None:
        """The 合计 (or 总计) row; the only total row if it is named otherwise; else None."""
        totals = [r for r in self.rows if r.is_total]
        for row in totals:
            if row.normalized_name in GRAND_TOTALS:
                return row
        return totals[0] if len(totals) == 1 else None

    @property
    def coded_rows(self) -> tuple[TableRow, ...]:
        """The rows that carry a classification code."""
        return tuple(r for r in self.rows if r.code)

    def get(self, code: object) -> TableRow | None:
        """The first row with this code (given in any form :func:`~govcodes.normalize_code` takes)."""
        try:
            key = split_code_name(code)[0]  # type: ignore[arg-type]
        except InvalidCodeError:
            return None
        for row in self.rows:
            if row.code == key:
                return row
        return None

    def column(self, label: str) -> int:
        """The index in ``amounts`` of the column labelled ``label``.

        ``label`` is compared without white space; it may be the full label
        (``'基本支出/人员经费'``) or its last part (``'人员经费'``) if that is
        unique.  Raises :class:`~govcodes.InputError` otherwise.
        """
        key = normalize_name(label)
        full = [i for i, c in enumerate(self.columns) if normalize_name(c) == key]
        if len(full) == 1:
            return full[0]
        last = [i for i, c in enumerate(self.columns) if normalize_name(c.rsplit("/", 1)[-1]) == key]
        if not full and len(last) == 1:
            return last[0]
        found = "several" if (full or last) else "no"
        raise InputError(f"{found} columns labelled {label!r} in table {self.title!r}", value=label,
                         expected="one of " + ", ".join(repr(c) for c in self.columns))


# --------------------------------------------------------------------------- entry points


def read_tables(source: Source, *, encoding: str | None = None) -> list[Table]:
    """Every table in ``source``, in document order.

    ``source`` is a path (``str`` or :class:`~pathlib.Path`: ``.xlsx`` is read
    as a workbook, ``.csv``/``.tsv`` as delimited text, a PDF (told by its
    first bytes) through :mod:`govcodes.readers.pdf` with the ``pdf`` extra,
    anything else as text), the text itself (a ``str`` holding a line break),
    its ``bytes``, rows of cells (a list of lists, as from a spreadsheet), or
    the pages of a PDF as :func:`~govcodes.readers.pdf.pdf_pages` reads them.  Text and bytes
    are decoded with ``encoding``, or by trying UTF-8 (with or without BOM),
    UTF-16 with BOM and GB18030.

    Tables are found by their title lines (a line ending in ``表`` with an
    optional qualifier, such as ``2020年一般公共预算支出表（功能分类项级）``),
    and by their header rows: a row of column labels (科目编码 科目名称 合计 …)
    after rows starts a new table, titled ``''``, unless it repeats the
    header of the table above (a page break), which the rows then continue.
    A table printed under the same title on the next page (or ``…（续）``)
    is one table; page numbers (``- 28 -``) are not rows.  A table must
    have at least one row of cells.  A document without any
    title line is read as one table titled ``''`` (a CSV or XLSX sheet:
    titled by the file or sheet name).

    >>> [t.title for t in read_tables("支出表\\n科目编码\\t科目名称\\t合计\\n208\\t社会保障和就业支出\\t1.00\\n")]
    ['支出表']
    >>> read_tables("")
    []
    """
    lines_by_part, name = _load(source, encoding)
    tables: list[Table] = []
    for part_name, lines in lines_by_part:
        tables.extend(_tables_of(lines, part_name or "", name))
    printed = document_year(" ".join(line.cells if line.grid else line.tokens) for _, lines in lines_by_part
                            for line in lines)
    if printed is not None:
        tables = [attrs.evolve(t, document_year=printed) for t in tables]
    return tables


def read_table(source: Source, *, title: str | None = None, encoding: str | None = None) -> Table:
    """The one table of ``source`` you mean.

    With ``title``, the table whose title contains it (compared without white
    space; an exact title wins over a partial one).  Without, the only table,
    or else the only one holding classification codes.  Raises
    :class:`~govcodes.InputError` naming the tables found when that is not
    exactly one table.

    >>> read_table("支出表\\n科目编码\\t科目名称\\t合计\\n", title="功能分类")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: no table titled '功能分类'; got ['支出表']; expected one of the titles found
    """
    tables = read_tables(source, encoding=encoding)
    titles = [t.title for t in tables]
    if title is not None:
        key = normalize_name(title)
        exact = [t for t in tables if normalize_name(t.title) == key]
        found = exact or [t for t in tables if key in normalize_name(t.title)]
        if len(found) == 1:
            return found[0]
        if not found:
            raise InputError(f"no table titled {title!r}", value=titles,
                             expected="one of the titles found")
        raise InputError(f"{len(found)} tables titled {title!r}", value=[t.title for t in found],
                         expected="a title matching one table")
    if len(tables) == 1:
        return tables[0]
    coded = [t for t in tables if t.classification]
    if len(coded) == 1:
        return coded[0]
    if not tables:
        raise InputError("no table found", expected="a title line ending in 表 followed by rows of cells")
    raise InputError(f"{len(tables)} tables found; say which with title=...", value=titles)


# --------------------------------------------------------------------------- loading


@attrs.define(slots=True)
class _Line:
    """One physical line (record, row) of the source, split into cells."""

    no: int
    cells: list[str]
    grid: bool  # cells are in fixed positions (tab, pipe, CSV, XLSX); else space-separated
    tokens: list[str] = attrs.field(factory=list)  # space-separated: the raw words
    page: int | None = None  # the PDF page
    complete: bool = False  # a header row rebuilt from a PDF: a label over several columns is in each
    typed: bool = False  # numbers read as numbers (a workbook): how many decimals they print is not known

    @property
    def words(self) -> list[str]:
        """Every word of the line, cells split at white space."""
        return [w for c in self.cells for w in c.split()] if self.grid else self.tokens

    @property
    def filled(self) -> list[tuple[int, str]]:
        return [(i, c) for i, c in enumerate(self.cells) if c]


_Parts = list[tuple[str, list[_Line]]]


def _load(source: object, encoding: str | None) -> tuple[_Parts, str]:
    if isinstance(source, str) and not isinstance(source, os.PathLike):
        if "\n" in source or "\r" in source or not source.strip() or "\t" in source:
            return [("", _text_lines(source))], "<text>"
        if len(source) < 4096 and _looks_like_path(source):
            return _load_source(open_source(source, encoding=encoding))
        return [("", _text_lines(source))], "<text>"
    if isinstance(source, Sequence) and not isinstance(source, (bytes, bytearray)) and source \
            and all(type(p).__name__ == "Page" and type(p).__module__.endswith("readers.pdf") for p in source):
        from .pdf import pdf_rows  # the pages of a PDF, as pdf_pages reads them

        return [("", [_Line(no, list(row.cells), True, page=row.page, complete=row.header)
                      for no, row in enumerate(pdf_rows(source), 1)])], "<pdf pages>"
    if isinstance(source, Sequence) and not isinstance(source, (bytes, bytearray)) \
            and all(isinstance(r, (list, tuple)) for r in source):
        return [("", _grid_lines(source))], "<rows>"
    if isinstance(source, _Source):
        return _load_source(source)
    return _load_source(open_source(source, encoding=encoding))


def _looks_like_path(text: str) -> bool:
    """A one-line string that names a file: an existing one, or one with a file suffix or a folder."""
    try:
        if os.path.exists(text):
            return True
    except (OSError, ValueError):
        return False
    return bool(re.search(r"\.[A-Za-z0-9]{1,5}$", text)) or os.sep in text or text == "-"


def _load_source(src: _Source) -> tuple[_Parts, str]:
    name = src.name
    if src.format in ("xlsx", "xls", "ods", "html"):
        return [(sheet, _grid_lines(row for row in rows)) for sheet, rows in src.sheets()], name
    if src.format == "pdf":
        from .pdf import pdf_rows

        return [("", [_Line(no, list(row.cells), True, page=row.page, complete=row.header)
                      for no, row in enumerate(pdf_rows(src, name=name), 1)])], name
    if src.format not in ("csv", "text"):
        raise InputError(f"{name} is {('an ' if src.format[:1] in 'aeiox' else 'a ')}{src.format.upper()} file, "
                         "not a document with tables", expected="text, CSV, XLSX, XLS, ODS, HTML or PDF")
    text = src.text()
    if src.format == "csv":
        stem = os.path.splitext(os.path.basename(src.path))[0] if src.path else ""
        return [(stem, _csv_lines(text, src.delimiter))], name
    return [("", _text_lines(text))], name


def _csv_lines(text: str, delimiter: str | None) -> list[_Line]:
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or guess_delimiter(text[:4096]))
    lines: list[_Line] = []
    start = 1
    try:
        for record in reader:
            lines.append(_Line(start, [_clean(c) for c in record], True))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"malformed CSV at line {reader.line_num}: {exc}") from None
    return lines


def _cell_text(value: object) -> str:
    value = cell_value(value)
    return value if isinstance(value, str) and not value.startswith("=") else _clean(str(value))


def _grid_lines(rows: Iterable[Sequence[object]]) -> list[_Line]:
    return [_Line(i, [_cell_text(v) for v in row], True,
                  typed=any(isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) for v in row))
            for i, row in enumerate(rows, 1)]


def _clean(cell: str) -> str:
    return cell.replace("\r", " ").replace("\n", " ").strip()


_PIPE_RULE = re.compile(r"^\|?[\s:|\-]+\|?$")


def _text_lines(text: str) -> list[_Line]:
    if text.startswith("\ufeff"):
        text = text[1:]
    lines: list[_Line] = []
    for no, raw in enumerate(re.split(r"\r\n|\r|\n", text), 1):
        if "\t" in raw:
            lines.append(_Line(no, [_clean(c) for c in raw.split("\t")], True))
            continue
        stripped = raw.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            if _PIPE_RULE.match(stripped):
                continue
            lines.append(_Line(no, [c.strip() for c in stripped[1:-1].split("|")], True))
            continue
        tokens = stripped.split()
        lines.append(_Line(no, _group_tokens(tokens), False, tokens))
    return lines


_DASHES = BLANKS - {""}


def _group_tokens(tokens: list[str]) -> list[str]:
    """Words of a space-separated line as cells: numbers alone, runs of other words joined."""
    cells: list[str] = []
    words: list[str] = []
    for tok in tokens:
        if _is_number(tok) or (tok in _DASHES and (words or cells)):
            if words:
                cells.append(" ".join(words))
                words = []
            if tok not in _DASHES or any(not _is_number(c) for c in cells):
                cells.append("" if tok in _DASHES else tok)  # a dash after the name is a blank amount
        elif tok not in _DASHES:
            words.append(tok)
    if words:
        cells.append(" ".join(words))
    return cells


# --------------------------------------------------------------------------- cells


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text) if not text.isascii() else text


def _is_number(cell: str) -> bool:
    return bool(cell) and is_amount(cell)


def _is_blank(cell: str) -> bool:
    return is_blank(cell)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _is_fragment(text: str) -> bool:
    """Could ``text`` be the rest of a name wrapped onto the next line?"""
    return (len(text) <= 30 and bool(_CJK.search(text)) and not is_prose(text)
            and not re.search(r"\d", text) and not _is_total_label(text) and not is_meta(text))


def _is_total_label(cell: str) -> bool:
    return bool(cell) and not _is_number(cell) and is_total_label(cell, subtotal=False)


_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def _title_of(line: _Line) -> str | None:
    filled = [c for _, c in line.filled]
    if not filled:
        return None
    text = filled[0] if line.grid else " ".join(line.tokens)
    if line.grid and not all(is_meta(c) for c in filled[1:]):
        return None
    text = text.strip().lstrip("-•·*# ").strip()
    return text if is_title(text) else None


# --------------------------------------------------------------------------- codes


@attrs.define(slots=True)
class _Lead:
    """What the leading cells of a row say: where the code is and what it is."""

    pos: int  # index of the first filled cell
    end: int  # index after the code cells
    printed: str  # code cells as printed
    code: str | None = None  # full code (3/5/7/9 digits) when printed in full
    child: str | None = None  # a 2-digit part printed under its parent
    name: str | None = None  # a name printed in the code's cell


_DIGITS_FIRST = re.compile(r"^[\[【(（〔<]?\s*\d")
_CODE_LIKE = re.compile(r"^[0-9A-Za-z\-\s\[\]【】()（）.._/]+$")
_MONEY_LIKE = re.compile(r"^[\d,]+\.\d\d$|,")
_TWO = re.compile(r"^\d{2}$", re.ASCII)


def _lead(cells: Sequence[str], start: int = 0, stop: int | None = None) -> _Lead | None:
    stop = len(cells) if stop is None else min(stop, len(cells))
    pos = start
    while pos < stop and not cells[pos]:
        pos += 1
    if pos >= stop:
        return None
    cell = _nfkc(cells[pos]).strip()
    if not _DIGITS_FIRST.match(cell) or _MONEY_LIKE.search(cell):
        return None
    if _TWO.match(cell):
        return _Lead(pos, pos + 1, cells[pos], child=cell)
    try:
        code, name = split_code_name(cell)
        if not (code.isascii() and code.isdigit()):
            raise InvalidCodeError(cell)
    except (InvalidCodeError, ValueError):
        if not _CODE_LIKE.match(cell):
            return None
        return _Lead(pos, pos + 1, cells[pos].strip())  # a unit or project code...
    end = pos + 1
    printed = [cells[pos].strip()]
    if name is not None:  # the code part of "[2080101]行政运行", "2080101-行政运行"
        head = cell[: cell.rfind(name)] if name in cell else cell
        printed = [head.strip().rstrip("-—–_:：、/. ").strip() or cells[pos].strip()]
    else:
        while len(code) < 9 and end < stop and _TWO.match(_nfkc(cells[end]).strip()):
            code += _nfkc(cells[end]).strip()
            printed.append(cells[end])
            end += 1
    return _Lead(pos, end, " ".join(printed), code=code, name=name)


def _classification(code: str, year: int | None) -> str | None:
    return classification_of(code, year)


# --------------------------------------------------------------------------- finding tables


@attrs.define(slots=True)
class _Block:
    """The lines from one title line to the next."""

    title: str
    line: int
    unit: str | None
    body: list[_Line] = attrs.field(factory=list)
    from_header: bool = False  # started by a header row, without a title of its own
    before_titles: bool = False  # the text before the first title of a document
    notes: list[str] = attrs.field(factory=list)


def _tables_of(lines: list[_Line], default_title: str, source: str) -> list[Table]:
    blocks = [_Block(default_title, lines[0].no if lines else 1, None)]
    for line in lines:
        if line.filled and is_page_mark(" ".join(c for _, c in line.filled)):
            continue  # a page number ("- 28 -") is not a row
        title = _title_of(line)
        if title is None:
            blocks[-1].body.append(line)
        else:
            unit = next((u for c in line.cells if (u := unit_in(c))), None)
            blocks.append(_Block(title, line.no, unit))
    blocks[0].before_titles = len(blocks) > 1
    parts = [part for block in blocks for part in _split_at_headers(block)]
    merged: list[_Block] = []
    for block in parts:
        if merged and _continues(merged[-1], block):
            previous = merged[-1]
            ours, theirs = _header_of(previous), _header_of(block)
            if ours and theirs and ours != theirs:
                previous.notes.append(f"line {block.line}: the table goes on under another header")
            previous.body.extend(block.body[_first_row(block.body):])
            continue
        merged.append(block)
    tables: list[Table] = []
    for block in merged:
        table = _parse_block(block, source)
        if table is None:
            continue
        if block.before_titles and not table.classification:
            continue  # text before the first title: kept only if it holds a classification table
        tables.append(table)
    return tables


def _row_like(line: _Line) -> bool:
    """A line that is a row of a table (a code or a total label with amounts...), not a header or text."""
    return _is_data(line) if line.grid else bool(_segments(line.cells))


def _is_header_line(line: _Line) -> bool:
    """A row of column labels: 科目编码 科目名称 合计 基本支出 …"""
    if line.complete:
        return True
    if _row_like(line) or _title_of(line) is not None:
        return False
    return sum(1 for w in line.words if is_header_word(w)) >= 2


def _first_row(body: list[_Line]) -> int:
    return next((k for k, ln in enumerate(body) if _row_like(ln)), len(body))


def _header_of(block: _Block) -> tuple[str, ...]:
    """The header rows of a block (before its first row), compared without white space."""
    body = block.body[:_first_row(block.body)]
    return tuple(normalize_name("".join(ln.cells if ln.grid else ln.tokens)) for ln in body
                 if _is_header_line(ln) or any(is_header_word(w) for w in ln.words))


def _split_at_headers(block: _Block) -> list[_Block]:
    """A header row after rows starts a new table (with the label lines right above it)."""
    parts = [block]
    body, block.body = block.body, []
    seen_row = False
    for line in body:
        if seen_row and _is_header_line(line):
            current = parts[-1].body
            start = len(current)
            while start > 0 and not _row_like(current[start - 1]) and \
                    any(is_header_word(w) for w in current[start - 1].words):
                start -= 1  # the header's first rows ("项目 一般公共预算支出", "功能分类科目编码")
            moved = current[start:]
            del current[start:]
            parts.append(_Block("", (moved[0] if moved else line).no, block.unit, moved, from_header=True))
            seen_row = False
        parts[-1].body.append(line)
        if _row_like(line):
            seen_row = True
    return parts


def _continues(previous: _Block, block: _Block) -> bool:
    """Is ``block`` the rest of ``previous`` (the next page of one table)?"""
    if block.from_header:  # the header repeated after a page break
        header = _header_of(block)
        return bool(header) and header == _header_of(previous)
    if not block.title or not previous.title:
        return False
    return normalize_name(block.title) == normalize_name(previous.title) or \
        _is_continuation(previous.title, block.title)


def _is_continuation(previous: str, title: str) -> bool:
    key = normalize_name(title)
    for tail in ("(续)", "(续表)", "续表", "续"):
        if key.endswith(tail):
            return normalize_name(previous) == key[: -len(tail)]
    return False


# --------------------------------------------------------------------------- parsing one table


@attrs.define(slots=True)
class _Draft:
    """A row being read (names may still grow by a wrapped line)."""

    code: str | None
    name: str
    amounts: list[Decimal | None]
    line: int
    total: bool = False
    printed: str = ""
    aligned: bool = True
    group: int = 0
    unit: bool = False  # labelled in a unit-name column (预算单位): the total of that unit

    def row(self, width: int, classified: bool, page: int | None) -> TableRow:
        amounts = (self.amounts + [None] * width)[:width]
        return TableRow(code=self.code if classified else None, name=self.name, amounts=tuple(amounts),
                        line=self.line, is_total=self.total, printed_code=self.printed,
                        aligned=self.aligned, group=self.group, page=page)


@attrs.define(slots=True)
class _Group:
    """The rows of one group (one for an ordinary table), with the context 2-digit codes need."""

    restricted: bool  # a 单位/项目 table: unit codes are not classification codes
    units: set[str]  # the unit codes of such a table
    hint: dict[int, int]  # column -> code length of a 2-digit part printed there (类/款/项 columns)
    problems: list[str]  # shared by the groups of a table
    unit_columns: set[int] = attrs.field(factory=set)  # columns headed 预算单位, 单位名称 …
    rows: list[_Draft] = attrs.field(factory=list)
    last: dict[int, str] = attrs.field(factory=dict)  # the last code of each length

    def resolve(self, lead: _Lead) -> str | None:
        """The full code of a row's leading cells, None if they hold no classification code."""
        code = lead.code
        if code is None and lead.child is not None and not self.restricted:
            length = self.hint.get(lead.pos)
            if length is None and self.last:
                length = {3: 5, 5: 7, 7: 7, 9: 9}[max(self.last)]
            if length is not None and (length - 2) in self.last:
                code = self.last[length - 2] + lead.child
        if code is not None and self.restricted and (
                len(code) < 7 or _has_prefix_in(code, self.units)):
            return None
        return code

    def add(self, draft: _Draft, lead: _Lead | None) -> None:
        if draft.code is not None:
            for n in [n for n in self.last if n >= len(draft.code)]:
                del self.last[n]
            self.last[len(draft.code)] = draft.code
        elif lead is not None and lead.child and not self.restricted:
            self.problems.append(f"line {draft.line}: code part {lead.printed!r} has no parent above it")
        self.rows.append(draft)

    def wrap(self, text: str) -> bool:
        """Add ``text`` to the last row's name if it can be the rest of it."""
        if self.rows and self.rows[-1].code and _is_fragment(text):
            self.rows[-1].name = (self.rows[-1].name + " " + text).strip()
            return True
        return False

    def amount(self, cell: str, line: int, column: str | int) -> Decimal | None:
        if _is_blank(cell):
            return None
        try:
            return read_amount(cell)
        except GovcodesError:
            self.problems.append(f"line {line}: column {column!s}: {cell!r} is not an amount")
            return None


@attrs.define(slots=True)
class _Parsed:
    columns: list[str]
    drafts: list[_Draft]
    groups: list[str]
    problems: list[str]


def _parse_block(block: _Block, source: str) -> Table | None:
    lines = [ln for ln in block.body if ln.filled]
    if not lines:
        return None
    unit = block.unit or next((u for ln in lines[:8] for c in ln.cells if (u := unit_in(c))), None)
    year_match = _YEAR.search(block.title)
    year = int(year_match.group(1)) if year_match else None
    content = [ln for ln in lines if not all(is_meta(c) or unit_in(c) for _, c in ln.filled)
               and (ln.grid or not is_meta(" ".join(ln.tokens)))]
    if not content:
        return None
    if sum(ln.grid for ln in content) * 2 >= len(content):
        # a line without tabs in a tabbed table is one cell
        content = [ln if ln.grid else _Line(ln.no, [" ".join(ln.tokens)], True) for ln in content]
        parsed = _parse_grid(content)
    else:
        parsed = _parse_spaced(content)
    if parsed is None:
        return None
    counts = Counter(_classification(d.code, year) for d in parsed.drafts if d.code)
    counts.pop(None, None)
    classification = counts.most_common(1)[0][0] if counts else None
    if sum(counts.values()) * 10 < 3 * sum(1 for d in parsed.drafts if not d.total):
        classification = None  # a few code-like numbers in a table of something else
    units = [d for d in parsed.drafts if d.unit]
    if len(units) == 1 and not any(d.total for d in parsed.drafts):
        units[0].total = True  # the one unit of the table (预算单位 深圳市财政局（本级）): its total
    width = len(parsed.columns)
    pages = {ln.no: ln.page for ln in lines}
    notes = list(block.notes)
    loose = sum(1 for d in parsed.drafts if not d.aligned)
    if loose and classification:
        notes.append(f"{loose} row(s) of space-separated text whose blank cells are not printed: their amounts "
                     "are read left to right and only their first column is checked")
    unlabelled = [i + 1 for i, c in enumerate(parsed.columns) if not c]
    if unlabelled and classification and parsed.columns:
        notes.append("amount column(s) " + ", ".join(map(str, unlabelled)) + " have no header label")
    return Table(
        title=block.title, year=year, unit=unit, columns=tuple(parsed.columns),
        rows=tuple(d.row(width, classification is not None, pages.get(d.line)) for d in parsed.drafts),
        line=block.line, classification=classification, groups=tuple(parsed.groups),
        problems=tuple(parsed.problems) if classification else (), source=source,
        notes=tuple(notes) if classification else (), page=lines[0].page,
        typed=any(ln.typed for ln in lines),
    )


def _is_data(line: _Line) -> bool:
    """A row with a code in front, a total label, or an amount after a label."""
    if _numbers_row(line) is not None:
        return False
    lead = _lead(line.cells)
    if lead is not None and (lead.code or any(line.cells[lead.end:])):
        return True
    filled = line.filled
    if filled and _is_total_label(filled[0][1]):
        return True
    seen_label = False
    for _, cell in filled:
        if not _is_number(cell):
            seen_label = True
        elif seen_label:
            return True
    return False


_NUMBER_LABELS = {"类", "款", "项", "目", "栏次", "行次", "**", "*", "项目", "栏", "次"}


def _numbers_row(line: _Line) -> list[int] | None:
    """Positions of a row of column numbers (``类 款 项 栏次 1 2 3``), else None."""
    positions: list[int] = []
    values: list[int] = []
    for i, cell in line.filled:
        text = _nfkc(cell).strip()
        if text.isascii() and text.isdigit() and len(text) <= 3:
            positions.append(i)
            values.append(int(text))
        elif normalize_name(text) not in _NUMBER_LABELS:
            return None
    labelled = len(values) < len(line.filled)
    if (len(values) >= 2 or (values and labelled)) and all(b > a for a, b in zip(values, values[1:])):
        return positions
    return None




@attrs.define(slots=True)
class _Header:
    restricted: bool = False  # 单位代码, 单位编码, 项目编码...: a 单位 or 项目 table
    hint: dict[int, int] = attrs.field(factory=dict)  # columns headed 类, 款, 项
    numbers: list[int] | None = None  # positions of the column-number row
    labels: list[_Line] = attrs.field(factory=list)  # the rows of column labels


def _header(lines: list[_Line]) -> _Header:
    header = _Header()
    labels: list[_Line] = []
    for ln in lines:
        numbers = _numbers_row(ln)
        keys = [normalize_name(c) for c in ln.cells]
        if any(is_unit_code_label(k) for k in keys[:3] if k):
            header.restricted = True
        if {"类", "款"} <= set(keys):
            header.hint.update({i: LEVEL_HEADERS[k] for i, k in enumerate(keys) if k in LEVEL_HEADERS})
        if numbers is not None:
            header.numbers = numbers
        else:
            labels.append(ln)
    header.labels = labels[-4:]  # real headers have a few rows; more is text above the table
    return header


def _group_starts(header: list[_Line], data: list[_Line]) -> list[int]:
    """Where the groups of a side-by-side table start (``[0]`` for an ordinary table)."""
    for ln in header:
        keys = [(i, normalize_name(c)) for i, c in ln.filled]
        starts = [i for i, k in keys if is_code_label(k) and k != "类"]
        if len(starts) >= 2 and starts[0] <= 1 and starts[1] - starts[0] >= 2:
            return starts
    # no header saying so: codes followed by names at evenly spaced positions
    hits: Counter[int] = Counter()
    for ln in data:
        cells = ln.cells
        for i in range(1, len(cells) - 1):
            lead = _lead(cells, i, i + 1)
            if lead is not None and lead.code and cells[i + 1] and not _is_number(cells[i + 1]) \
                    and (not cells[i - 1] or _is_number(cells[i - 1])):
                hits[i] += 1
    starts = sorted(p for p, n in hits.items() if n >= 2)
    firsts = sum(1 for ln in data if (lead := _lead(ln.cells, 0, 1)) is not None and lead.code)
    if starts and firsts >= 2 and starts[0] >= 2 and all(p == starts[0] * (k + 1) for k, p in enumerate(starts)):
        return [0] + starts
    return [0]


@attrs.define(slots=True)
class _Layout:
    """Where one group's name and amounts are printed, and the amount columns' labels."""

    name: int
    amounts: list[int]
    labels: list[str]


def _parse_grid(lines: list[_Line]) -> _Parsed | None:
    if not any(len(ln.filled) >= 2 for ln in lines):
        return None
    first = next((k for k, ln in enumerate(lines) if _is_data(ln)), len(lines))
    header, data = _header(lines[:first]), lines[first:]
    labelled = {i: normalize_name(c) for ln in header.labels for i, c in ln.filled}
    numbered = {i for i, k in labelled.items() if is_row_number_label(k)}
    if numbered:  # a column of row numbers (序号, 栏次): neither codes nor amounts
        data = [attrs.evolve(ln, cells=["" if i in numbered else c for i, c in enumerate(ln.cells)]) for ln in data]
    unit_columns = {i for i, k in labelled.items() if is_unit_name_label(k)}
    starts = _group_starts(lines[:first], data)
    bounds = list(zip(starts, starts[1:] + [None]))
    units = _unit_codes(data) if header.restricted else set()
    problems: list[str] = []
    groups: list[_Group] = []
    layouts: list[_Layout] = []
    for lo, hi in bounds:
        hint = {p - lo: n for p, n in header.hint.items() if p >= lo and (hi is None or p < hi)}
        groups.append(_Group(header.restricted, units, hint, problems,
                             {p - lo for p in unit_columns if p >= lo and (hi is None or p < hi)}))
        numbers = [p - lo for p in header.numbers if p >= lo and (hi is None or p < hi)] \
            if header.numbers is not None else None
        layouts.append(_layout([ln.cells[lo:hi] for ln in data], [ln.cells[lo:hi] for ln in header.labels],
                               numbers, complete=bool(header.labels) and all(ln.complete for ln in header.labels)))
    columns = layouts[0].labels
    for g, layout in enumerate(layouts[1:], 2):
        if len(layout.labels) != len(columns):
            problems.append(f"group {g} has {len(layout.labels)} amount columns, group 1 has {len(columns)}")
    for ln in data:
        if _numbers_row(ln) is not None:
            continue  # the column numbers repeated after a page break
        if len(starts) > 1 and _cross_group_totals(ln, starts, layouts, groups):
            continue
        for g, (lo, hi) in enumerate(bounds):
            cells = ln.cells[lo:hi]
            if any(cells):
                _grid_row(groups[g], cells, ln.no, layouts[g], g)
    labels = _group_labels(header.labels, starts) if len(starts) > 1 else []
    return _Parsed(columns, [d for group in groups for d in group.rows], labels, problems)


def _unit_codes(data: list[_Line]) -> set[str]:
    """The unit (or project) codes of a 单位 table: not 3/5/7/9 digits long, or a prefix of one that is not."""
    printed = []
    for ln in data:
        lead = _lead(ln.cells)
        if lead is not None and not lead.child:
            printed.append(lead.code or re.sub(r"\D", "", _nfkc(lead.printed)))
    units = {p for p in printed if p and len(p) not in LEVELS}
    prefixes = {u[:k] for u in units for k in range(1, len(u))}
    grown = True
    while grown:
        grown = False
        for p in printed:
            if p and p not in units and (p in prefixes or _has_prefix_in(p, units)):
                units.add(p)
                prefixes.update(p[:k] for k in range(1, len(p)))
                grown = True
    return units


def _has_prefix_in(code: str, prefixes: set[str]) -> bool:
    return any(code[:k] in prefixes for k in range(1, len(code) + 1))


def _row_name_pos(cells: Sequence[str]) -> int | None:
    """Where the name of a code row is printed; None for other rows and names in the code's cell."""
    lead = _lead(cells)
    if lead is None or not (lead.code or lead.child) or lead.name is not None:
        return None  # "[2080101]行政运行": an empty name column may follow; no say in the layout
    for i in range(lead.end, len(cells)):
        if cells[i] and _is_number(cells[i]):
            return None
        if not _is_blank(cells[i]):
            return i
    return None


def _layout(data: list[list[str]], label_rows: list[list[str]], numbers: list[int] | None,
            complete: bool = False) -> _Layout:
    """Find the name and amount columns of one group from its data rows and header."""
    votes: Counter[int] = Counter()
    row_pos = [_row_name_pos(cells) for cells in data]
    votes.update(p for p in row_pos if p is not None)
    if not votes:  # a table without codes: its first label column
        votes.update(next((i for i, c in enumerate(cells) if c and not _is_number(c)), 0) for cells in data)
    name = votes.most_common(1)[0][0] if votes else 0
    if numbers is not None and any(p > name for p in numbers):
        amounts = [p for p in numbers if p > name]
    else:
        found: set[int] = set()
        for cells, rp in zip(data, row_pos):
            shift = 0 if rp is None else rp - name  # a row printed a cell off (a code part in its own cell)
            found.update(i - shift for i, c in enumerate(cells) if c and i - shift > name and _is_number(c))
        for cells in label_rows:
            found.update(i for i, c in enumerate(cells) if c and i > name and not is_structural(c))
        amounts = sorted(found)
    return _Layout(name, amounts, _flatten(label_rows, amounts, name, complete))


def _flatten(label_rows: list[list[str]], amounts: list[int], name: int, complete: bool = False) -> list[str]:
    """One label per amount column, multi-line headers joined with '/'.

    ``complete``: the rows were rebuilt from a PDF, a label over several
    columns is in each of them; else it is printed over the first only (merged
    cells of a spreadsheet), and header and data may be out of step.
    """
    if not amounts:
        return []
    rows = [labels for labels in (
        {i: c for i, c in enumerate(cells) if c and i >= name and not is_structural(c) and not is_meta(c)}
        for cells in label_rows) if labels]
    parts: list[list[str]] = [[] for _ in amounts]
    for k, labels in enumerate(rows):
        keys = sorted(labels)
        if complete:
            for j, pos in enumerate(amounts):
                if pos in labels and (not parts[j] or parts[j][-1] != labels[pos]):
                    parts[j].append(labels[pos])
            continue
        if not set(keys) <= set(amounts):
            if len(keys) == len(amounts):  # header and data out of step: the labels in order
                labels = dict(zip(amounts, (labels[i] for i in keys)))
            else:
                labels = {i: c for i, c in labels.items() if i in amounts}
        below = set().union(*rows[k + 1:])
        for j, pos in enumerate(amounts):
            if pos in labels:
                parts[j].append(labels[pos])
            elif pos in below:  # a label over several columns (merged cells) is printed over the first
                left = [i for i in labels if amounts[0] <= i < pos]
                if left:
                    parts[j].append(labels[max(left)])
    return ["/".join(p) for p in parts]


def _group_labels(label_rows: list[_Line], starts: list[int]) -> list[str]:
    """The labels over the groups of a side-by-side table (人员经费, 公用经费...)."""
    for ln in label_rows:
        spots = {i: c for i, c in ln.filled if not is_structural(c)}
        if not spots or any(is_code_label(normalize_name(c)) or is_unit_code_label(normalize_name(c))
                            for c in spots.values()):
            continue
        labels: list[str] = []
        current = ""
        for k, lo in enumerate(starts):
            hi = starts[k + 1] if k + 1 < len(starts) else None
            current = next((c for i, c in spots.items() if i >= lo and (hi is None or i < hi)), current)
            labels.append(current)
        if any(labels):
            return labels
    return []


def _cross_group_totals(ln: _Line, starts: list[int], layouts: list[_Layout], groups: list[_Group]) -> bool:
    """Total rows of a side-by-side table: each label with the amounts after it, in the label's group.

    The amount of a total can be printed out of its group's column (公用经费合计 under the third
    group's code column), so it is taken as the first amounts after the label.
    """
    if any((lead := _lead(ln.cells, lo, lo + 1)) is not None and lead.code for lo in starts):
        return False
    labels = [i for i, c in ln.filled if _is_total_label(c)]
    if not labels:
        return False
    for k, pos in enumerate(labels):
        end = labels[k + 1] if k + 1 < len(labels) else len(ln.cells)
        cells = [c for c in ln.cells[pos + 1:end] if c and _is_number(c)]
        g = max((g for g, lo in enumerate(starts) if lo <= pos), default=0)
        width = len(layouts[g].amounts)
        values = [groups[g].amount(c, ln.no, j + 1) for j, c in enumerate(cells[:width])]
        groups[g].rows.append(_Draft(None, ln.cells[pos], values, ln.no, total=True,
                                     aligned=len(cells) == width, group=g))
    return True


def _grid_row(group: _Group, cells: list[str], no: int, layout: _Layout, index: int) -> None:
    npos, amounts = layout.name, layout.amounts
    lead = _lead(cells, 0, npos) if npos > 0 else None
    if lead is None:  # a code in the name's column ("[2080101]行政运行", or "01" printed under its parent)
        candidate = _lead(cells)
        if candidate is not None and (candidate.code or candidate.child) and candidate.pos <= npos \
                and (candidate.name is not None or _row_name_pos(cells) is not None):
            lead = candidate
    code = group.resolve(lead) if lead is not None else None
    printed = lead.printed if lead is not None else ""
    rp = _row_name_pos(cells) if lead is not None and (lead.code or lead.child) else None
    shift = 0 if rp is None else rp - npos  # the row is printed a cell off
    values = [group.amount(cells[p + shift] if 0 <= p + shift < len(cells) else "", no, layout.labels[j] or j + 1)
              for j, p in enumerate(amounts)]
    texts = [(i - shift, c) for i, c in enumerate(cells) if c and (lead is None or i >= lead.end)
             and i - shift not in amounts and not (_is_number(c) and i - shift > npos)]
    name = lead.name if lead is not None and lead.name is not None else ""
    unit = False
    if not name:
        at = next((i for i, c in texts if i <= npos and not _is_blank(c)), None)
        name = dict(texts).get(at, "") if at is not None else next((c for _, c in texts if not _is_blank(c)), "")
        unit = lead is None and at in group.unit_columns
    total = lead is None and _is_total_label(name)
    previous = group.rows[-1] if group.rows else None
    if lead is None and not total:
        if all(v is None for v in values):
            # text only: the rest of the name above, wrapped onto this line; else not a row
            if len(texts) == 1 and texts[0][0] <= npos:
                group.wrap(texts[0][1])
            return
        if previous is not None and previous.code and previous.line == no - 1 and name \
                and all(v is None for v in previous.amounts) and group.wrap(name):
            previous.amounts = values  # the name wrapped and the amounts were printed on its second line
            return
    stray = [c for i, c in enumerate(cells) if c and i - shift > npos and i - shift not in amounts and _is_number(c)]
    if stray:
        group.problems.append(f"line {no}: amount {stray[0]!r} outside the table's columns")
    group.add(_Draft(code, name, values, no, total=total, printed=printed, group=index,
                     unit=unit and any(v is not None for v in values)), lead)


# --------------------------------------------------------------------------- space-separated text


def _parse_spaced(lines: list[_Line]) -> _Parsed | None:
    segmented = [(ln, _segments(ln.cells)) for ln in lines]
    first = next((k for k, (_, segs) in enumerate(segmented) if segs), None)
    if first is None:
        return None
    header = lines[:first]
    restricted = any(is_unit_code_label(normalize_name(t)) for ln in header for t in ln.tokens[:3])
    data = segmented[first:]
    units = _unit_codes([ln for ln, _ in data]) if restricted else set()
    code_labels = max((sum(1 for t in ln.tokens if is_code_label(normalize_name(t))) for ln in header), default=0)
    n_groups = max([code_labels, 1] + [len(segs) for _, segs in data])
    width = max((len(_seg_amounts(seg)) for _, segs in data for seg in segs), default=0)
    labels = [h for h in ([t for t in ln.tokens if not is_structural(t) and not is_meta(t)] for ln in header)
              if h and not all(_is_number(t) for t in h)]
    chosen = next((h for h in reversed(labels) if len(h) in (width, width * n_groups)), None)
    if chosen is None and labels:  # the header knows columns that no row fills
        chosen = labels[-1]
        per_group = len(chosen) // n_groups if len(chosen) % n_groups == 0 else len(chosen)
        width = max(width, per_group)
    columns = ((chosen or []) + [""] * width)[:width]
    problems: list[str] = []
    groups = [_Group(restricted, units, {}, problems) for _ in range(n_groups)]
    lei: dict[int, str] = {}  # group -> the 类 its rows are under
    for ln, segs in data:
        if not segs:
            texts = [c for c in ln.cells if c]
            if n_groups == 1 and len(texts) == 1:
                groups[0].wrap(texts[0])
            continue
        used: set[int] = set()
        for k, seg in enumerate(segs):
            g = k if len(segs) == n_groups else _which_group(seg, lei, used, n_groups)
            used.add(g)
            draft = _spaced_row(groups[g], seg, ln.no, width, g, columns)
            if draft.code:
                lei.setdefault(g, draft.code[:3])
    return _Parsed(columns, [d for group in groups for d in group.rows], [], problems)


def _which_group(seg: list[str], lei: dict[int, str], used: set[int], n_groups: int) -> int:
    """The group of a segment when a row has fewer segments than groups: by its 类, else the first free."""
    lead = _lead(seg)
    if lead is not None and lead.code:
        g = next((g for g, c in lei.items() if c == lead.code[:3] and g not in used), None)
        if g is not None:
            return g
    return next((g for g in range(n_groups) if g not in used), n_groups - 1)


def _seg_amounts(seg: list[str]) -> list[str]:
    """The amount cells of a space-separated segment (after its code and name)."""
    lead = _lead(seg)
    start = lead.end if lead is not None and lead.pos == 0 else 0
    return [c for c in seg[start:] if c == "" or _is_number(c)]


def _segments(cells: list[str]) -> list[list[str]]:
    """A space-separated data row split at each code that starts a group; [] if not a data row."""
    if not cells or any(is_prose(c) for c in cells if not _is_number(c)):
        return []
    lead = _lead(cells, 0, 1)
    if not ((lead is not None and (lead.code or lead.child)) or _is_total_label(cells[0])):
        return []
    starts = [0]
    for i in range(1, len(cells)):
        if _is_total_label(cells[i]):
            starts.append(i)
            continue
        lead = _lead(cells, i, i + 1)
        if lead is not None and lead.code and (
                lead.name is not None or (i + 1 < len(cells) and cells[i + 1] and not _is_number(cells[i + 1]))):
            starts.append(i)
    segs = [cells[a:b] for a, b in zip(starts, starts[1:] + [len(cells)])]
    for seg in segs:
        lead = _lead(seg)
        first = lead.end if lead is not None and lead.pos == 0 else 1
        amounts_seen = False
        for k, cell in enumerate(seg[first:], first):
            if cell == "" or _is_number(cell):
                amounts_seen = True
            elif amounts_seen or k > first:
                return []  # text after the amounts: prose, not a row
    return segs


def _spaced_row(group: _Group, cells: list[str], no: int, width: int, index: int, columns: list[str]) -> _Draft:
    lead = _lead(cells)
    code = group.resolve(lead) if lead is not None else None
    name = (lead.name or "") if lead is not None else ""
    rest = cells[lead.end:] if lead is not None else cells
    if not name and rest and rest[0] and not _is_number(rest[0]):
        name, rest = rest[0], rest[1:]
    found = [c for c in rest if c == "" or _is_number(c)]
    values = [group.amount(c, no, columns[j] if j < len(columns) and columns[j] else j + 1)
              for j, c in enumerate(found)]
    draft = _Draft(code, name, values, no, total=lead is None and _is_total_label(name),
                   printed=lead.printed if lead is not None else "",
                   aligned=len(values) in (0, width), group=index)  # nothing printed is certain: all blank
    group.add(draft, lead)
    return draft
