"""Reading an edition from the file a user holds: the Ministry's book, or a budget system's code list.

Two layouts, as users receive them:

* **the book** (《20XX年政府收支分类科目》 as XLSX, DOCX, PDF or its text):
  tables whose code is split into 类/款/项 (and 目) columns — a 款 row prints
  only its two digits under its 类 — beside 科目名称 and 说明, the
  description often wrapping onto the next lines;
* **a list** (a budget system's export, CSV or a workbook): one code and one
  name a row, the code in full.

:func:`read_edition_file` returns the entries with the line each was read
from, after validating the file: every code well formed, no code twice, every
parent present, names clean.  Every problem is an
:class:`~govcodes.InputError` naming the line and the value.

>>> text = "类\\t款\\t项\\t科目名称\\t说明\\n201\\t\\t\\t一般公共服务支出\\t反映政府提供一般公共服务的支出。\\n" \\
...        "\\t01\\t\\t人大事务\\t反映各级人民代表大会的支出。\\n\\t\\t01\\t行政运行\\t反映行政单位的基本支出。\\n"
>>> f = read_edition_file(text.encode())
>>> f.layout, [(e.code, e.name) for e in f.entries]
('book', [('201', '一般公共服务支出'), ('20101', '人大事务'), ('2010101', '行政运行')])
>>> f.entries[2].description
'反映行政单位的基本支出。'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..codes import LEVELS, classification_of, lengths_of, normalize_name, parent_of, split_code_name
from ..errors import InputError, InvalidCodeError
from .source import Source, open_source
from .vocabulary import LEVEL_HEADERS, header_key, role_of

__all__ = ["EditionFile", "FileEntry", "read_edition_file"]

#: Headers of the description column of the book.
DESCRIPTION_HEADERS = ("说明", "科目说明", "说明内容", "description")
#: Headers of a column of levels (类/款/项) in a list.
LEVEL_COLUMN_HEADERS = ("级次", "科目级次", "level")
_HALF_BRACKETS = str.maketrans({"(": "（", ")": "）"})
_SPACES = re.compile(r"\s+")


@attrs.frozen(slots=True)
class FileEntry:
    """One code read from an edition file: its name, its 说明 (or None), and the line it is on."""

    code: str
    name: str
    description: str | None
    line: int
    sheet: str = ""


@attrs.frozen(slots=True)
class EditionFile:
    """What :func:`read_edition_file` read: the entries, the layout (``book`` or ``list``), the file's sha256."""

    name: str
    layout: str
    sha256: str
    entries: tuple[FileEntry, ...]

    def classifications(self, year: int | None = None) -> tuple[str, ...]:
        """The classifications the file's codes belong to."""
        found = {classification_of(e.code, year) for e in self.entries}
        return tuple(sorted(c for c in found if c))


def clean_name(text: str) -> str:
    """A name as the editions write it: no white space (PDF wraps), full-width brackets.

    >>> clean_name(" 人力资源和社会保 障管理事务 "), clean_name("因公出国(境)费用")
    ('人力资源和社会保障管理事务', '因公出国（境）费用')
    """
    return _SPACES.sub("", text).translate(_HALF_BRACKETS)


def _docx_rows(data: bytes, name: str) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    """The tables of a DOCX file as numbered rows of cell texts (one 'sheet' per table)."""
    import io
    import zipfile
    from xml.etree import ElementTree

    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            root = ElementTree.fromstring(book.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise InputError(f"cannot read the Word document: {exc}", value=name) from None
    out = []
    for k, table in enumerate(root.iter(f"{ns}tbl"), 1):
        rows = []
        for number, tr in enumerate(table.iter(f"{ns}tr"), 1):
            cells = []
            for tc in tr.findall(f"{ns}tc"):
                text = "".join(t.text or "" for t in tc.iter(f"{ns}t"))
                span = tc.find(f"{ns}tcPr/{ns}gridSpan")
                cells.append(text.strip())
                if span is not None:
                    cells.extend([""] * (int(span.get(f"{ns}val", "1")) - 1))
            rows.append((number, cells))
        out.append((f"table {k}", rows))
    if not out:
        raise InputError(f"{name} is a Word document without a table", expected="the book's tables of codes")
    return out


_TOKEN = re.compile(r"\S+(?: \S+)*")
_TEXT_HEADER = ("类", "款", "项", "目")


def _text_rows(text: str) -> list[tuple[int, list[Any]]]:
    """Lines of text (a PDF's text layer, pdftotext -layout) as cells in book form.

    Tab-separated lines are cells as they are.  Other lines are cut into
    words at runs of two or more spaces; the words that are digits before
    the name are the code's parts, and the column they stand in (under the
    header's 类, 款, 项, or by their indentation) says which part each is.
    Each row becomes ``[类, 款, 项, 目, 科目名称, 说明]``, under a header row
    that says so.
    """
    lines = text.splitlines()
    if sum("\t" in ln for ln in lines) * 2 > max(1, sum(bool(ln.strip()) for ln in lines)):
        return [(n, [c.strip() for c in ln.split("\t")]) for n, ln in enumerate(lines, 1)]
    columns: dict[int, int] = {}  # x position of a code part -> its code length
    out: list[tuple[int, list[Any]]] = [(0, ["科目编码", *_TEXT_HEADER, "科目名称", "说明"])]
    for number, line in enumerate(lines, 1):
        tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(line)]
        if not tokens:
            continue
        words = [w for _, w in tokens]
        if set(words[:3]) <= set(_TEXT_HEADER) and len(set(words) & set(_TEXT_HEADER)) >= 2:
            columns = {x: LEVEL_HEADERS[w] for x, w in tokens if w in _TEXT_HEADER}
            continue
        parts: dict[int, str] = {}
        k = 0
        while k < len(tokens):
            x, word = tokens[k]
            pieces = word.split(" ")
            digits = [p for p in pieces if p.isdigit()]
            if len(digits) != len(pieces) or not digits:
                break
            for piece in pieces:  # "208 05 01" in one word: a whole code, part by part
                if len(piece) in LEVELS and not parts:
                    parts[len(piece)] = piece
                elif len(piece) == 2:
                    length = _part_length(x, columns, parts)
                    parts[length] = piece
                    columns.setdefault(x, length)
                else:
                    break
            k += 1
        if not parts:
            out.append((number, ["", "", "", "", "", "", " ".join(words)]))  # the rest of a wrapped text
            continue
        rest = [w for _, w in tokens[k:]]
        row = [""] * 7
        for length, piece in parts.items():
            if len(piece) == length:
                row[0] = piece  # a whole code
            else:
                row[1 + _TEXT_HEADER.index(_LEVEL_NAME[length])] = piece
        row[5] = rest[0] if rest else ""
        row[6] = " ".join(rest[1:])
        out.append((number, row))
    return out


_LEVEL_NAME = {length: level for length, level in LEVELS.items()}


def _part_length(x: int, columns: dict[int, int], parts: dict[int, str]) -> int:
    """The code length a two-digit part printed at column ``x`` completes."""
    if parts:
        return max(parts) + 2
    if columns:
        nearest = min(columns, key=lambda c: abs(c - x))
        return columns[nearest]
    return 5


def _sheets(src: Source) -> list[tuple[str, list[tuple[int, list[Any]]]]]:
    if src.format == "docx":
        return _docx_rows(src.read_bytes(), src.name)
    if src.format in ("xlsx", "xls", "ods", "html"):
        return [(name, list(_numbered(rows))) for name, rows in src.sheets()]
    if src.format in ("csv", "text"):
        text = src.text()
        lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
        delimited = src.delimiter not in (None, "\t") and sum(src.delimiter in ln for ln in lines) * 2 > len(lines)
        if delimited:  # a list exported as CSV (a tab-separated file is read as text, which takes tabs too)
            return [("", list(_numbered(src.rows())))]
        return [("", _text_rows(text))]
    raise InputError(f"{src.name} is {src.format.upper()}: an edition is read from the book as XLSX, DOCX or "
                     "text (a PDF converted with pdftotext -layout), or from a code list as CSV or XLSX",
                     value=src.format)


def _numbered(rows: Any) -> Iterable[tuple[int, list[Any]]]:
    for row in rows:
        yield rows.line_num, row


@attrs.define(slots=True)
class _Columns:
    code: int | None = None
    parts: dict[int, int] = attrs.field(factory=dict)  # column -> code length of the part printed there
    name: int | None = None
    description: int | None = None
    level: int | None = None


def _header(cells: Sequence[Any]) -> _Columns | None:
    """The columns a header row names, or None when it is no header."""
    cols = _Columns()
    for i, cell in enumerate(cells):
        if not isinstance(cell, str) or not cell.strip():
            continue
        key = header_key(cell)[0]
        if key in LEVEL_HEADERS:
            cols.parts[i] = LEVEL_HEADERS[key]
        elif key in DESCRIPTION_HEADERS:
            cols.description = i
        elif key in LEVEL_COLUMN_HEADERS:
            cols.level = i
        elif "名称" in key or key.lower() == "name":
            cols.name = i if cols.name is None else cols.name
        elif role_of(cell) in ("functional", "economic", "revenue", "economic-department", "economic-government") \
                or key in ("编码", "代码", "科目编码", "科目代码"):
            cols.code = i if cols.code is None else cols.code
    has_code = cols.code is not None or len(cols.parts) >= 2
    return cols if has_code and cols.name is not None else None


def _guess_columns(rows: Sequence[tuple[int, list[Any]]]) -> _Columns:
    """Columns of a file without a header: the code first, the name after it, a long text last."""
    cols = _Columns(code=0, name=1)
    widths = [len(r) for _, r in rows if r]
    if widths and max(widths) >= 3:
        long_text = [r[2] for _, r in rows if len(r) > 2 and isinstance(r[2], str) and len(r[2]) > 10]
        if long_text:
            cols.description = 2
    return cols


def _cell(row: Sequence[Any], i: int | None) -> str:
    if i is None or i >= len(row) or row[i] is None:
        return ""
    return str(row[i]).strip()


def read_edition_file(source: object, *, encoding: str | None = None) -> EditionFile:
    """Read an edition from the Ministry's book or a budget system's code list (see the module).

    ``source`` is a path, bytes or a stream, as :func:`~govcodes.readers.source.open_source` takes.
    """
    src = open_source(source, encoding=encoding)
    data = src.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    entries: list[FileEntry] = []
    seen: dict[str, FileEntry] = {}
    layout = "list"
    for sheet, rows in _sheets(src):
        cols = None
        start = 0
        for k, (_, cells) in enumerate(rows[:30]):
            cols = _header(cells)
            if cols is not None:
                start = k + 1
                break
        if cols is None:
            cols = _guess_columns(rows)
        if cols.parts or cols.description is not None:
            layout = "book"
        last: dict[int, str] = {}
        for number, cells in rows[start:]:
            if not any(_cell(cells, i) for i in range(len(cells))):
                continue
            entry = _row(cells, cols, last, number, src.name, sheet)
            if entry is None:
                continue
            if isinstance(entry, str):  # the rest of the previous description (or name), wrapped
                if entries and entries[-1].sheet == sheet:
                    prev = entries[-1]
                    entries[-1] = attrs.evolve(prev, description=((prev.description or "") + entry).strip() or None)
                continue
            if entry.code in seen:
                first = seen[entry.code]
                if clean_name(first.name) == clean_name(entry.name):
                    continue  # a page's repeated row
                raise InputError(f"{src.name}: line {number}: code {entry.code} is listed twice "
                                 f"(line {first.line}: {first.name})", value=entry.name,
                                 expected="one row per code")
            seen[entry.code] = entry
            entries.append(entry)
            for n in [n for n in last if n > len(entry.code)]:
                del last[n]
            last[len(entry.code)] = entry.code
    if not entries:
        raise InputError(f"{src.name}: no codes found", expected="rows of 科目编码 (or 类/款/项 columns) and 科目名称")
    _validate(entries, src.name)
    return EditionFile(src.name, layout, digest, tuple(entries))


def _row(cells: Sequence[Any], cols: _Columns, last: dict[int, str], number: int, name: str,
         sheet: str) -> FileEntry | str | None:
    """The entry of one row, a wrapped fragment of the row above (str), or None for a row of nothing."""
    code = None
    printed_name = _cell(cells, cols.name)
    if cols.parts:
        for i, length in sorted(cols.parts.items(), key=lambda kv: kv[1]):
            part = _cell(cells, i)
            if not part:
                continue
            digits = re.sub(r"\s+", "", part)
            if not digits.isdigit():
                raise InputError(f"{name}: line {number}: a code part that is not digits", value=part,
                                 expected="digits under 类/款/项")
            if len(digits) == length:
                code = digits
            elif len(digits) == 2 and (length - 2) in last:
                code = last[length - 2] + digits
            else:
                raise InputError(f"{name}: line {number}: the code part {part!r} has no parent above it",
                                 value=part, expected=f"the {LEVELS.get(length, '')} under its parent")
    text = _cell(cells, cols.code)
    if code is None and text:
        try:
            code, glued = split_code_name(text)
        except InvalidCodeError:
            code, glued = None, None
            digits = re.sub(r"\s+", "", text)
            if len(digits) == 2 and digits.isdigit() and last:  # only the 2 digits, under the parent above
                parent = last[max(last)] if max(last) < 9 else last.get(7)
                if parent is not None:
                    code = parent + digits
        if code is None:
            if not printed_name and cols.description is None:
                return None
            raise InputError(f"{name}: line {number}: not a code", value=text,
                             expected="a code such as 2010101 (or only its last two digits under its parent)")
        if glued and not printed_name:
            printed_name = glued
    description = _cell(cells, cols.description) or None
    if code is None:
        fragment = description or printed_name
        return fragment if fragment else None
    if not printed_name:
        raise InputError(f"{name}: line {number}: code {code} has no name", value=code, expected="a 科目名称")
    level = _cell(cells, cols.level)
    if level and level in LEVEL_HEADERS and LEVEL_HEADERS[level] != len(code):
        raise InputError(f"{name}: line {number}: code {code} is printed as a {level}", value=level,
                         expected=f"a {LEVELS.get(len(code), '?')}: {len(code)} digits")
    return FileEntry(code, clean_name(printed_name), description, number, sheet)


def _validate(entries: Sequence[FileEntry], name: str) -> None:
    codes = {e.code for e in entries}
    for e in entries:
        cls = classification_of(e.code)
        if cls is None:
            raise InputError(f"{name}: line {e.line}: {e.code} is not a code of any classification", value=e.code,
                             expected="a code starting with 1, 2, 3 or 5")
        if len(e.code) not in lengths_of(cls):
            raise InputError(f"{name}: line {e.line}: {e.code} has {len(e.code)} digits", value=e.code,
                             expected=f"{' or '.join(map(str, lengths_of(cls)))} digits for a {cls} code")
        parent = parent_of(e.code)
        if parent is not None and parent not in codes:
            raise InputError(f"{name}: line {e.line}: the parent of {e.code} {e.name} is not in the file",
                             value=parent, expected="every 类 and 款 listed above its codes")
        if not normalize_name(e.name) or normalize_name(e.name).isdigit() or len(e.name) > 80:
            raise InputError(f"{name}: line {e.line}: {e.code} has no proper name", value=e.name,
                             expected="a 科目名称")
