"""HTML tables: what many budget systems save as ``.xls`` (internal).

Each ``<table>`` becomes a sheet; each ``<tr>`` a row numbered from 1;
``colspan`` leaves empty cells after the spanning one, so that columns stay
in place, and ``rowspan`` repeats nothing (the cells below stay empty, as a
spreadsheet shows a merged cell).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from ..errors import InputError

_MAX_SPAN = 1000


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._end_row()
            self._row = []
        elif tag in ("td", "th") and self._stack:
            if self._row is None:
                self._row = []
            self._end_cell()
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.strip().isdigit() and 0 < int(span) <= _MAX_SPAN else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag == "table" and self._stack:
            self._end_row()
            self.tables.append(self._stack.pop())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._row.extend([""] * (self._span - 1))
        self._cell = None
        self._span = 1

    def _end_row(self) -> None:
        self._end_cell()
        if self._row is not None and self._stack:
            self._stack[-1].append(self._row)
        self._row = None


def html_tables(text: str, name: str) -> list[list[tuple[int, list[Any]]]]:
    """The tables of an HTML page, each as numbered rows of cell texts.

    >>> html_tables("<table><tr><th>科目编码</th><th colspan=2>金额</th></tr><tr><td>208</td><td>1</td><td>2</td></tr></table>", "x")
    [[(1, ['科目编码', '金额', '']), (2, ['208', '1', '2'])]]
    """
    parser = _Tables()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError, RecursionError) as exc:  # pragma: no cover - html.parser is lenient
        raise InputError(f"{name}: cannot read the HTML: {exc}") from None
    while parser._stack:  # tables left open at the end of the file
        parser._end_row()
        parser.tables.append(parser._stack.pop())
    tables = [[(i, row) for i, row in enumerate(rows, 1)] for rows in parser.tables if rows]
    if not tables:
        raise InputError(f"{name} is an HTML page without a table", expected="a page holding a <table>")
    return tables
