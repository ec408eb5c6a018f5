"""Workbooks (XLSX, XLS, ODS): the sheets of a source as numbered rows of cells (internal).

python-calamine (the ``xlsx`` extra) reads every format fast; without it,
openpyxl reads XLSX.  A formula whose result was never computed (a workbook
written by a program, not saved by a spreadsheet) has no value to read: its
cell comes out as the formula text (``=SUM(B2:B9)``), which no reader takes
for a code or an amount, so the row is reported rather than counted as 0.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from .source import cell_value

if TYPE_CHECKING:
    from .source import Source

_Sheet = tuple[str, Callable[[], list[tuple[int, list[Any]]]]]

_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?:/>|>(.*?)</c>)', re.S)
_FORMULA = re.compile(rb"<f[^>]*?(?:/>|>(.*?)</f>)", re.S)
_VALUE = re.compile(rb"<v>[^<]", re.S)
_SHEET = re.compile(rb'<sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _unescape(text: bytes) -> str:
    import html

    return html.unescape(text.decode("utf-8", "replace"))


def uncached_formulas(data: Any) -> dict[str, dict[tuple[int, int], str]]:
    """For each sheet name of an XLSX file: {(row, column): "=FORMULA"} of formulas without a cached value.

    Rows are 1-based, columns 0-based.  Empty when the workbook has no such
    formula (the common case: a file saved by a spreadsheet program).
    """
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(data) as book:
            names = set(book.namelist())
            workbook = book.read("xl/workbook.xml") if "xl/workbook.xml" in names else b""
            rels = book.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
            targets = dict(_REL.findall(rels)) or {k: v for v, k in _REL_REVERSED.findall(rels)}
            for sheet_name, rid in _SHEET.findall(workbook):
                target = targets.get(rid, b"").decode("utf-8", "replace").lstrip("/")
                path = target if target.startswith("xl/") else "xl/" + target
                if path not in names:
                    continue
                xml = book.read(path)
                if b"<f" not in xml:
                    continue
                cells: dict[tuple[int, int], str] = {}
                for col, row, inner in _CELL.findall(xml):
                    if inner and b"<f" in inner and not _VALUE.search(inner):
                        m = _FORMULA.search(inner)
                        formula = _unescape(m.group(1)) if m and m.group(1) else "(a shared formula)"
                        cells[(int(row), _column_index(col))] = "=" + formula
                if cells:
                    out[_unescape(sheet_name)] = cells
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return {}
    return out


def _progress(src: Source) -> Callable[[int, int], None] | None:
    """The source's progress callback fed with rows (done, total) instead of bytes: the share of
    the sheet converted, as a share of the file's size; at most every 0.1 s, and at the end."""
    progress = src.progress
    if progress is None:
        return None
    import time

    size = src.size or 0
    last = [0.0]

    def tell(done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - last[0] >= 0.1:
            last[0] = now
            progress(size * done // max(total, 1), size)

    return tell


def _numbered(rows: list[list[Any]], formulas: dict[tuple[int, int], str],
              tell: Callable[[int, int], None] | None = None) -> list[tuple[int, list[Any]]]:
    out = []
    total = len(rows)
    for number, row in enumerate(rows, 1):
        cells = [v if type(v) is str else cell_value(v) for v in row]  # text as it is, without a call
        out.append((number, cells))
        if tell is not None and not number % 4096:
            tell(number, total)
    if tell is not None:
        tell(total, total)
    for (number, column), formula in formulas.items():
        if number <= len(out):
            cells = out[number - 1][1]
            if column >= len(cells):
                cells.extend([""] * (column + 1 - len(cells)))
            if cells[column] in ("", None):
                cells[column] = formula
    return out


def workbook_sheets(src: Source) -> list[_Sheet]:
    """The sheets of a workbook source, each loaded when asked for."""
    fmt = src.format
    try:
        import python_calamine
    except ImportError:
        python_calamine = None  # type: ignore[assignment]
    data = src.read_bytes() if src.path is None else None

    def opened() -> Any:
        return io.BytesIO(data) if data is not None else src.path

    formulas = uncached_formulas(opened()) if fmt == "xlsx" else {}
    if python_calamine is not None:
        try:
            book = (python_calamine.CalamineWorkbook.from_path(str(src.path)) if data is None
                    else python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)))
            names = list(book.sheet_names)
        except Exception as exc:  # calamine raises its own kinds on a damaged file
            raise InputError(f"cannot read the workbook: {exc}", value=src.name) from None

        def calamine_loader(name: str) -> Callable[[], list[tuple[int, list[Any]]]]:
            def load() -> list[tuple[int, list[Any]]]:
                tell = _progress(src)
                if tell is not None:
                    tell(0, 1)  # the sheet is parsed at once: the bar shows while it is
                try:
                    rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                except Exception as exc:
                    raise InputError(f"cannot read sheet {name!r} of the workbook: {exc}", value=src.name) from None
                return _numbered(rows, formulas.get(name, {}), tell)
            return load

        return [(name, calamine_loader(name)) for name in names]
    if fmt != "xlsx":
        raise InputError(f"reading .{fmt} needs python-calamine", value=src.name,
                         expected="pip install 'govcodes[xlsx]', or the file saved as .xlsx or CSV")
    try:
        import openpyxl
    except ImportError:
        raise InputError("reading .xlsx needs python-calamine (or openpyxl)", value=src.name,
                         expected="pip install 'govcodes[xlsx]', or the file saved as CSV") from None
    try:
        wb = openpyxl.load_workbook(opened(), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a bad file
        raise InputError(f"cannot read the workbook: {exc}", value=src.name) from None

    def openpyxl_loader(ws: Any) -> Callable[[], list[tuple[int, list[Any]]]]:
        def load() -> list[tuple[int, list[Any]]]:
            tell = _progress(src)
            rows = []
            for r in ws.iter_rows(min_row=1, values_only=True):
                rows.append(list(r))
                if tell is not None and not len(rows) % 4096:
                    tell(len(rows), max(ws.max_row or 0, len(rows) + 1))
            if tell is not None:
                tell(1, 1)
            return _numbered(rows, formulas.get(ws.title, {}))
        return load

    return [(ws.title, openpyxl_loader(ws)) for ws in wb.worksheets]
