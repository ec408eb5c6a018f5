r"""PDF documents: the words of each page where they are printed, and the rows of cells rebuilt from them.

Budget documents are published as PDFs whose tables are drawn, not stored:
a PDF knows characters at positions and lines on a page, no cells.  This
module reads the characters and the ruling lines of every page
(:func:`pdf_pages`, with the optional ``pdf`` extra: ``pip install
'govcodes[pdf]'``, which brings pypdfium2) and rebuilds the rows of cells
a reader of tables needs (:func:`pdf_rows`):

* characters become words (a gap wider than half a character, or a ruling
  line between two characters, ends a word) and words become lines (by
  their vertical position), in the direction the page's text runs (a table
  drawn sideways on a page turned for display is read along its lines);
* page furniture is dropped: page numbers (``- 28 -``) and the running
  header or footer repeated on many pages;
* runs of lines holding amounts become table regions, with the header rows
  above them; their columns come from the vertical ruling lines when the
  table is ruled, else from where the words of its rows are printed (each
  column is the span its amounts and names cover; a header word over no
  such span is a column of its own, empty in every row);
* header labels are placed in every column they cover (``基本支出`` over
  ``小计 人员经费 公用经费``), a label wrapped inside its cell is joined
  (``事业单位`` over ``经营收入``), and header rows are aligned on their
  last row (``类 款 项``, ``栏次 1 2 3``);
* a name wrapped around its row (printed half above, half below the
  amounts, the row's own name cell empty) is joined into its row.

Lines outside tables (titles, 单位：万元, text) come out as one cell each.

>>> rows = pdf_rows([Page(1, 200.0, 100.0, (
...     (Word("支出表", 80, 110, 5, 15),),
...     (Word("科目编码", 10, 50, 20, 30), Word("科目名称", 60, 100, 20, 30), Word("合计", 150, 170, 20, 30)),
...     (Word("208", 10, 25, 35, 45), Word("社会保障和就业支出", 60, 140, 35, 45), Word("1.00", 160, 180, 35, 45)),
... ))])
>>> [(row.page, row.cells, row.header) for row in rows]  # doctest: +NORMALIZE_WHITESPACE
[(1, ('支出表',), False), (1, ('科目编码', '科目名称', '合计'), True),
 (1, ('208', '社会保障和就业支出', '1.00'), False)]
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ..errors import InputError
from ..money import is_amount
from .vocabulary import is_header_word, is_meta, is_page_mark, is_prose, is_title, unit_in

__all__ = ["Word", "Rule", "Page", "Row", "pdf_pages", "pdf_rows", "EXTRA"]

#: The extra that reading PDFs needs.
EXTRA = "pdf"


# --------------------------------------------------------------------------- model


@attrs.frozen(slots=True)
class Word:
    """A word printed on a page: its text and box, in points from the page's top left corner."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 0.1)


@attrs.frozen(slots=True)
class Rule:
    """A ruling line drawn on a page (a table border), as a box in points from the top left corner."""

    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def vertical(self) -> bool:
        return self.bottom - self.top > self.x1 - self.x0


@attrs.frozen(slots=True)
class Page:
    """The lines of words of one page (numbered from 1) and its ruling lines."""

    number: int
    width: float
    height: float
    lines: tuple[tuple[Word, ...], ...]
    rules: tuple[Rule, ...] = ()

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line]


@attrs.frozen(slots=True)
class Row:
    """A row of cells rebuilt from a page.

    ``header`` is True for the header rows of a table region: a label over
    several columns is repeated in each.  A line outside any table is one
    cell.
    """

    page: int
    cells: tuple[str, ...]
    header: bool = False


# --------------------------------------------------------------------------- reading pages


def _pdfium() -> Any:
    try:
        import pypdfium2  # type: ignore[import-untyped,unused-ignore]
        import pypdfium2.raw  # type: ignore[import-untyped,unused-ignore]  # noqa: F401
    except ImportError:
        raise InputError(f"reading a PDF needs the {EXTRA} extra: pip install 'govcodes[{EXTRA}]'",
                         expected="the PDF's text extracted (pdftotext -layout) or the extra installed") from None
    return pypdfium2


def pdf_pages(source: object, *, name: str | None = None) -> list[Page]:
    """The pages of a PDF: ``source`` is a path, the PDF's bytes or a :class:`~govcodes.readers.source.Source`.

    Raises :class:`~govcodes.InputError` when the ``pdf`` extra is missing or
    the file is not a PDF that can be read (damaged, encrypted).
    """
    pdfium = _pdfium()
    label = name or (getattr(source, "name", None) if not isinstance(source, (str, bytes, os.PathLike)) else None)
    src: Any = source
    if hasattr(src, "read_bytes") and hasattr(src, "format"):  # a Source
        data: Any = src.path if getattr(src, "path", None) else src.read_bytes()
    elif isinstance(source, (bytes, bytearray)):
        data = bytes(source)
    else:
        data = os.fspath(source)  # type: ignore[call-overload]
    label = label or (data if isinstance(data, str) else "<bytes>")
    try:
        document = pdfium.PdfDocument(data)
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        raise InputError(f"{label}: not a PDF that can be read ({exc})", expected="an unencrypted PDF") from None
    try:
        return [_read_page(document[i], i + 1) for i in range(len(document))]
    except pdfium.PdfiumError as exc:
        raise InputError(f"{label}: a page cannot be read ({exc})", expected="an undamaged PDF") from None
    finally:
        document.close()


def _text_direction(textpage: Any) -> int:
    """The direction the page's text runs in, in degrees counterclockwise (0, 90, 180 or 270).

    The text's own direction, not the page's /Rotate: a table drawn sideways is read along its lines.
    """
    import math

    import pypdfium2.raw as raw  # type: ignore[import-untyped,unused-ignore]

    votes: Counter[int] = Counter()
    count = textpage.count_chars()
    for k in range(0, count, max(1, count // 400)):
        angle = raw.FPDFText_GetCharAngle(textpage, k)
        if angle >= 0 and raw.FPDFText_IsGenerated(textpage, k) != 1:
            votes[-round(math.degrees(angle) / 90) % 4 * 90] += 1  # PDFium measures clockwise
    return votes.most_common(1)[0][0] if votes else 0


def _transform(rotation: int, width: float, height: float) -> Any:
    """Page space (origin bottom left) -> reading space (origin top left, the text's lines across)."""
    if rotation == 90:
        return lambda x, y: (y, x)
    if rotation == 180:
        return lambda x, y: (width - x, y)
    if rotation == 270:
        return lambda x, y: (height - y, width - x)
    return lambda x, y: (x, height - y)


def _box(to: Any, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
    ax, ay = to(left, bottom)
    bx, by = to(right, top)
    return min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)


def _read_page(page: Any, number: int) -> Page:
    import pypdfium2.raw as raw  # type: ignore[import-untyped,unused-ignore]

    width, height = page.get_size()  # as displayed: rotated by the page's /Rotate
    if page.get_rotation() % 180:
        width, height = height, width  # the page's own space, where its characters are placed
    textpage = page.get_textpage()
    rotation = _text_direction(textpage)
    to = _transform(rotation, width, height)
    if rotation in (90, 270):
        width, height = height, width  # as read: the text's lines run across
    chars: list[Word] = []
    try:
        for k in range(textpage.count_chars()):
            if raw.FPDFText_IsGenerated(textpage, k) == 1:
                continue
            code = raw.FPDFText_GetUnicode(textpage, k)
            if code <= 32 or code in (0xA0, 0x3000, 0xFFFE, 0xFFFF) or 0xD800 <= code < 0xE000 or code > 0x10FFFF:
                continue
            text = chr(code)
            if text.isspace() or not text.isprintable():
                continue
            left, low, right, high = textpage.get_charbox(k, loose=True)
            if rotation:
                x0, x1, top, bottom = _box(to, left, low, right, high)
                chars.append(Word(text, x0, x1, top, bottom))  # one character
            else:
                chars.append(Word(text, left, right, height - high, height - low))
    finally:
        textpage.close()
    rules = _rules(page, to)
    return Page(number, float(width), float(height), tuple(_lines(chars, rules)), tuple(rules))


def _rules(page: Any, to: Any) -> list[Rule]:
    """The thin paths of a page (table borders), each as a box; paths inside forms too."""
    import ctypes

    import pypdfium2.raw as raw  # type: ignore[import-untyped,unused-ignore]

    out: list[Rule] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = (ctypes.byref(left), ctypes.byref(bottom), ctypes.byref(right), ctypes.byref(top))
    handle = page.raw
    pending = [raw.FPDFPage_GetObject(handle, i) for i in range(raw.FPDFPage_CountObjects(handle))]
    depth = 0
    while pending and depth < 5:
        forms: list[Any] = []
        for obj in pending:
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                forms.extend(raw.FPDFFormObj_GetObject(obj, i) for i in range(raw.FPDFFormObj_CountObjects(obj)))
            elif kind == raw.FPDF_PAGEOBJ_PATH and raw.FPDFPageObj_GetBounds(obj, *bounds):
                x0, x1, y0, y1 = _box(to, left.value, bottom.value, right.value, top.value)
                if min(x1 - x0, y1 - y0) <= 2.5 and max(x1 - x0, y1 - y0) >= 4:
                    out.append(Rule(x0, x1, y0, y1))
        pending, depth = forms, depth + 1
    return _joined(out)


def _joined(rules: list[Rule]) -> list[Rule]:
    """Rules drawn in pieces (one per cell) joined into the lines they make."""
    out: list[Rule] = []
    for vertical in (True, False):
        pieces = sorted((r for r in rules if r.vertical == vertical),
                        key=lambda r: ((r.x0, r.top) if vertical else (r.top, r.x0)))
        current: list[list[float]] = []  # [x0, x1, top, bottom]
        for r in pieces:
            for c in reversed(current):
                if vertical and abs(c[0] - r.x0) <= 1.5 and r.top <= c[3] + 2:
                    c[1], c[3] = max(c[1], r.x1), max(c[3], r.bottom)
                    break
                if not vertical and abs(c[2] - r.top) <= 1.5 and r.x0 <= c[1] + 2:
                    c[1], c[3] = max(c[1], r.x1), max(c[3], r.bottom)
                    break
            else:
                current.append([r.x0, r.x1, r.top, r.bottom])
        out.extend(Rule(*c) for c in current)
    return out


def _lines(chars: list[Word], rules: Sequence[Rule] = ()) -> list[tuple[Word, ...]]:
    """Characters grouped into lines (by vertical middle) and lines into words (by horizontal gaps and rules)."""
    import bisect

    vertical = sorted((((r.x0 + r.x1) / 2, r) for r in rules if r.vertical), key=lambda xr: xr[0])
    xs = [x for x, _ in vertical]

    def ruled(a: Word, b: Word) -> bool:
        mid = (a.mid + b.mid) / 2
        k = bisect.bisect_left(xs, a.x1 - 1.0)
        while k < len(xs) and xs[k] <= b.x0 + 1.0:
            if vertical[k][1].top <= mid <= vertical[k][1].bottom:
                return True
            k += 1
        return False

    chars.sort(key=lambda c: (c.mid, c.x0))
    groups: list[list[Word]] = []
    anchor = 0.0
    for c in chars:
        if groups and c.mid - anchor <= 0.35 * max(groups[-1][0].bottom - groups[-1][0].top, 1.0):
            groups[-1].append(c)
        else:
            groups.append([c])
            anchor = c.mid
    lines: list[tuple[Word, ...]] = []
    for group in groups:
        group.sort(key=lambda c: c.x0)
        words: list[list[Word]] = []
        for c in group:
            if words:
                last = words[-1][-1]
                size = max(last.bottom - last.top, c.bottom - c.top, 1.0)
                if c.x0 - last.x1 <= 0.45 * size and not (xs and ruled(last, c)):
                    words[-1].append(c)
                    continue
            words.append([c])
        lines.append(tuple(Word("".join(c.text for c in w), min(c.x0 for c in w), max(c.x1 for c in w),
                                min(c.top for c in w), max(c.bottom for c in w)) for w in words))
    lines.sort(key=lambda ln: (min(w.top for w in ln), ln[0].x0))
    return lines


# --------------------------------------------------------------------------- rebuilding rows


def pdf_rows(source: object, *, name: str | None = None) -> list[Row]:
    """The rows of cells of a PDF (a path, bytes, a Source, or pages from :func:`pdf_pages`), in page order."""
    pages = list(source) if isinstance(source, (list, tuple)) and all(isinstance(p, Page) for p in source) \
        else pdf_pages(source, name=name)
    furniture = _furniture(pages)
    rows: list[Row] = []
    columns: _Columns | None = None
    for page in pages:
        lines = [ln for k, ln in enumerate(page.lines) if not _is_furniture(ln, k, page, furniture)]
        out, columns = _page_rows(page, lines, columns)
        rows.extend(out)
    return rows


def _text(line: Sequence[Word]) -> str:
    return " ".join(w.text for w in line)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", text.replace(" ", ""))


def _furniture(pages: list[Page]) -> set[str]:
    """The running headers and footers: a first or last line printed alike on many pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        ends = {_key(_text(ln)) for ln in (page.lines[:1] + page.lines[-1:])}
        counts.update(ends)
    least = max(3, int(0.3 * len(pages)) + 1)
    return {k for k, n in counts.items() if n >= least}


def _is_furniture(line: tuple[Word, ...], index: int, page: Page, furniture: set[str]) -> bool:
    text = _text(line)
    edge = index in (0, len(page.lines) - 1) or min(w.top for w in line) < 0.08 * page.height \
        or max(w.bottom for w in line) > 0.92 * page.height
    if not edge or is_title(text):
        return False
    bare = text.replace(" ", "")
    return is_page_mark(text) or (bare.isdigit() and len(bare) <= 4) or _key(text) in furniture


def _is_number(word: Word) -> bool:
    return _number_text(word.text)


@functools.lru_cache(maxsize=8192)
def _number_text(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and is_amount(text)


def _numbers_row(line: Sequence[Word]) -> bool:
    """类 款 项 栏次 1 2 3: column numbers, a header row."""
    numbers = [w.text for w in line if _is_number(w)]
    if not numbers or not all(n.isdigit() and len(n) <= 3 for n in numbers):
        return False
    values = [int(n) for n in numbers]
    return all(b > a for a, b in zip(values, values[1:])) and \
        all(_is_number(w) or is_header_word(w.text) for w in line) and (len(values) >= 2 or len(line) > 1)


@functools.lru_cache(maxsize=4096)
def _is_data(line: tuple[Word, ...]) -> bool:
    """A line holding an amount, not a sentence, not a row of column numbers."""
    if not any(_is_number(w) for w in line) or _numbers_row(line):
        return False
    return not any(is_prose(w.text) for w in line if not _is_number(w))


def _stops(line: Sequence[Word]) -> bool:
    """A line a table's header does not reach above: a title, 单位：万元, a note, a sentence."""
    text = _text(line)
    return is_title(text) or bool(unit_in(text)) or is_meta(text) or is_prose(text) or \
        any(is_meta(w.text) for w in line)


def _header_like(line: Sequence[Word]) -> bool:
    return sum(1 for w in line if is_header_word(w.text)) >= 2


def _top(line: Sequence[Word]) -> float:
    return min(w.top for w in line)


def _bottom(line: Sequence[Word]) -> float:
    return max(w.bottom for w in line)


def _size(line: Sequence[Word]) -> float:
    return max(w.height for w in line)


@attrs.define(slots=True)
class _Region:
    header: list[int]  # indices of the header lines
    body: list[int]  # indices of the data lines and the text lines between them


def _frames(page: Page, lines: list[tuple[Word, ...]], data: list[bool]) -> list[tuple[int, int]]:
    """The ruled tables of a page: runs of lines inside the vertical extent of the same vertical rules."""
    size = sorted(_size(ln) for ln in lines)[len(lines) // 2] if lines else 10.0
    spans = _merge(((r.top, r.bottom) for r in page.rules if r.vertical and r.bottom - r.top >= 2 * size),
                   tolerance=1.0)
    frames: list[tuple[int, int]] = []
    for top, bottom in spans:
        inside = [k for k, ln in enumerate(lines) if top <= (_top(ln) + _bottom(ln)) / 2 <= bottom]
        xs = {round((r.x0 + r.x1) / 2) for r in page.rules if r.vertical and r.top <= bottom and r.bottom >= top}
        if inside and len(xs) >= 3 and any(data[k] for k in inside):
            frames.append((inside[0], inside[-1]))
    return frames


def _regions(page: Page, lines: list[tuple[Word, ...]]) -> list[_Region]:
    data = [_is_data(ln) for ln in lines]
    regions: list[_Region] = []
    frames = {first: last for first, last in _frames(page, lines, data)}
    k = 0
    taken = -1
    while k < len(lines):
        if k in frames:  # a ruled table: every line inside its frame; the header is what comes before its rows
            last = frames[k]
            first_data = next(i for i in range(k, last + 1) if data[i])
            if not any(is_header_word(w.text) for i in range(k, first_data) for w in lines[i]):
                first_data = k  # a table continued from the page before: no header, rows from the top
            regions.append(_Region(list(range(k, first_data)), list(range(first_data, last + 1))))
            taken = last
            k = last + 1
            continue
        if not data[k]:
            k += 1
            continue
        body = [k]
        last = k
        j = k + 1
        while j < len(lines) and j not in frames:
            if data[j]:
                between = range(last + 1, j)
                gap = _top(lines[j]) - _bottom(lines[last])
                if len(between) <= 4 and gap <= 6 * _size(lines[last]) and \
                        not any(_stops(lines[i]) or _header_like(lines[i]) for i in between):
                    body.extend(between)
                    body.append(j)
                    last = j
                    j += 1
                    continue
                break
            j += 1
            if j - last > 5:
                break
        # text right below the last row: the rest of its name
        t = last + 1
        while t < len(lines) and t not in frames and not data[t] and not _stops(lines[t]) and not _header_like(lines[t]) \
                and _top(lines[t]) - _bottom(lines[t - 1]) <= 0.9 * _size(lines[t - 1]) and t - last <= 3:
            body.append(t)
            t += 1
        header: list[int] = []
        h = k - 1
        while h > taken and not _stops(lines[h]) and \
                _top(lines[h + 1]) - _bottom(lines[h]) <= 2.5 * _size(lines[h]) and len(header) < 16:
            header.insert(0, h)
            h -= 1
        regions.append(_Region(header, body))
        taken = max(body)
        k = taken + 1
    return regions


@attrs.define(slots=True)
class _Columns:
    """The columns of a region: an interval each, and how they were found."""

    spans: list[tuple[float, float]]
    ruled: bool
    rules: list[Rule] = attrs.field(factory=list)  # the vertical rules, in ruled mode
    horizontal: list[Rule] = attrs.field(factory=list)  # the horizontal rules, in ruled mode

    def ruled_between(self, upper: float, lower: float, word: Word) -> bool:
        """A horizontal rule between two labels of a column: two cells, not one wrapped label."""
        return any(upper - 1 <= (r.top + r.bottom) / 2 <= lower + 1 and r.x0 <= word.x1 and r.x1 >= word.x0
                   for r in self.horizontal)

    def of(self, word: Word) -> int:
        """The column a word is printed in: the one it overlaps most, else the nearest."""
        mid = (word.x0 + word.x1) / 2
        if self.ruled:
            for i, (a, b) in enumerate(self.spans):
                if a <= mid < b:
                    return i
        best, best_overlap = 0, -1.0
        for i, (a, b) in enumerate(self.spans):
            overlap = min(b, word.x1) - max(a, word.x0)
            if overlap <= 0:
                overlap = -min(abs(mid - a), abs(mid - b)) - 1e-3  # not overlapping: the nearest
            if overlap > best_overlap:
                best, best_overlap = i, overlap
        return best

    def covered(self, word: Word) -> list[int]:
        """The columns a header word covers: its cell between the rules at its height, else the spans it overlaps."""
        if self.ruled:
            crossing = [r for r in self.rules if r.top - 1 <= word.mid <= r.bottom + 1]
            left = max((r.x0 for r in crossing if r.x1 <= word.x0 + 1.5), default=None)
            right = min((r.x1 for r in crossing if r.x0 >= word.x1 - 1.5), default=None)
            if left is not None and right is not None:
                inside = [i for i, (a, b) in enumerate(self.spans) if left - 1 <= (a + b) / 2 <= right + 1]
                if inside:
                    return inside
            return [self.of(word)]
        hit = [i for i, (a, b) in enumerate(self.spans) if min(b, word.x1) - max(a, word.x0) > 1.0]
        return hit or [self.of(word)]


def _merge(intervals: Iterable[tuple[float, float]], tolerance: float = 0.5) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(intervals):
        if out and a <= out[-1][1] + tolerance:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def _columns(page: Page, lines: list[tuple[Word, ...]], region: _Region,
             previous: _Columns | None) -> _Columns:
    data = [lines[i] for i in region.body if _is_data(lines[i])]
    header_words = [w for i in region.header for w in lines[i]]
    body_words = [w for i in region.body for w in lines[i]]
    mids = [(_top(ln) + _bottom(ln)) / 2 for ln in data]
    vertical = [r for r in page.rules if r.vertical and
                sum(1 for m in mids if r.top - 1 <= m <= r.bottom + 1) >= max(1, 0.6 * len(mids))]
    xs: list[float] = []
    for r in sorted(vertical, key=lambda r: r.x0):
        x = (r.x0 + r.x1) / 2
        if not xs or x - xs[-1] > 2.0:
            xs.append(x)
    if len(xs) >= 3:
        # every column between the rules (a column no row fills stays in place); outside them, any text
        spans = list(zip(xs, xs[1:]))
        words = body_words + header_words
        if any((w.x0 + w.x1) / 2 < xs[0] for w in words):
            spans.insert(0, (-1e9, xs[0]))
        if any((w.x0 + w.x1) / 2 >= xs[-1] for w in words):
            spans.append((xs[-1], 1e9))
        return _Columns(spans, True, [r for r in page.rules if r.vertical], [r for r in page.rules if not r.vertical])
    cores = [(w.x0, w.x1) for ln in data for w in ln]
    if previous is not None and not previous.ruled and not region.header:
        cores += previous.spans  # a table continued from the page before, without its header
    spans = _merge(cores)
    # header words over no span: columns no row fills (or labels narrower than their column)
    loose = [w for w in header_words if not any(min(b, w.x1) - max(a, w.x0) > 0 for a, b in spans)]
    clusters = _merge((w.x0, w.x1) for w in loose)
    labelled = {i for i, (a, b) in enumerate(spans)
                for w in header_words if min(b, w.x1) - max(a, w.x0) > 0}
    added: list[tuple[float, float]] = []
    for gap in range(len(spans) + 1):
        lo = spans[gap - 1][1] if gap > 0 else -1e9
        hi = spans[gap][0] if gap < len(spans) else 1e9
        inside = [c for c in clusters if c[0] >= lo and c[1] <= hi]
        if gap < len(spans) and inside and gap not in labelled:  # a label left of its column's amounts
            a, b = inside.pop()
            spans[gap] = (min(a, spans[gap][0]), spans[gap][1])
        if gap > 0 and inside and (gap - 1) not in labelled:  # a label right of its column's names
            a, b = inside.pop(0)
            spans[gap - 1] = (spans[gap - 1][0], max(b, spans[gap - 1][1]))
        added.extend(inside)
    spans = sorted(spans + added)
    # a label over one column widens it (lowest labels first: those right above the rows), so that a
    # label over several columns is seen over each (基本支出 over 人员经费 and 公用经费)
    for w in sorted(header_words, key=lambda w: -w.top):
        hit = [i for i, (a, b) in enumerate(spans) if min(b, w.x1) - max(a, w.x0) > 1.0]
        if len(hit) == 1:
            a, b = spans[hit[0]]
            wider = (min(a, w.x0), max(b, w.x1))
            if all(min(d, wider[1]) - max(c, wider[0]) <= 0 for k, (c, d) in enumerate(spans) if k != hit[0]):
                spans[hit[0]] = wider
    return _Columns(spans, False)


def _join(a: str, b: str) -> str:
    if not a:
        return b
    if not b:
        return a
    return a + b if not (a[-1].isascii() and b[0].isascii()) else a + " " + b


def _header_rows(lines: list[tuple[Word, ...]], header: list[int], columns: _Columns) -> list[tuple[str, ...]]:
    """The header rows of a region: each label in every column it covers, wrapped labels joined."""
    words = sorted((w for i in header for w in lines[i]), key=lambda w: (w.top, w.x0))
    labels: list[list[Any]] = []  # [text, cols, top, bottom, x1]
    for w in words:
        cols = tuple(columns.covered(w))
        for label in reversed(labels):
            if label[1] != cols:
                continue
            same_line = abs((label[2] + label[3]) / 2 - w.mid) <= 0.35 * w.height and w.x0 >= label[4] - 1
            below = 0 <= w.top - label[3] <= 0.8 * w.height
            if same_line or (below and not columns.ruled_between(label[3], w.top, w)):
                label[0] = _join(label[0], w.text)
                label[3] = max(label[3], w.bottom)
                label[4] = max(label[4], w.x1)
                break
        else:
            labels.append([w.text, cols, w.top, w.bottom, w.x1])
    stacks: list[list[str]] = [[] for _ in columns.spans]
    for text, cols, *_ in sorted(labels, key=lambda lb: lb[2]):
        for c in cols:
            stacks[c].append(text)
    depth = max((len(s) for s in stacks), default=0)
    # aligned on the last row: the labels right above the data (类 款 项, 栏次 1 2 3) share a row
    return [tuple(s[r - depth + len(s)] if r >= depth - len(s) else "" for s in stacks) for r in range(depth)]


def _page_rows(page: Page, lines: list[tuple[Word, ...]],
               previous: _Columns | None) -> tuple[list[Row], _Columns | None]:
    placed: dict[int, list[Row]] = {}
    skip: set[int] = set()
    for region in _regions(page, lines):
        columns = _columns(page, lines, region, previous)
        n = len(columns.spans)
        body: dict[int, list[str]] = {}
        for i in region.body:
            cells = [""] * n
            for w in lines[i]:
                c = columns.of(w)
                cells[c] = _join(cells[c], w.text)
            body[i] = cells
        _join_wrapped_names(lines, region, body)
        if region.header:
            placed[region.header[0]] = [Row(page.number, cells, True)
                                        for cells in _header_rows(lines, region.header, columns)]
            skip.update(region.header[1:])
        for i in region.body:
            if i in body:
                placed[i] = [Row(page.number, tuple(body[i]))]
            else:
                skip.add(i)
        previous = None if columns.ruled else columns
    rows: list[Row] = []
    for k, line in enumerate(lines):
        if k not in skip:
            rows.extend(placed.get(k, [Row(page.number, (_text(line),))]))
    return rows, previous


def _join_wrapped_names(lines: list[tuple[Word, ...]], region: _Region, body: dict[int, list[str]]) -> None:
    """Text of one cell printed around a row whose cell is empty (a name half above, half below) joins it."""
    data = [i for i in region.body if _is_data(lines[i])]
    mid = {i: (_top(lines[i]) + _bottom(lines[i])) / 2 for i in region.body}
    empty = {d: {c for c, text in enumerate(body[d]) if not text} for d in data}
    pieces: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for t in region.body:
        if t in empty:
            continue
        filled = [c for c, text in enumerate(body[t]) if text]
        if len(filled) != 1:
            continue
        c = filled[0]
        near = [d for d in (max((d for d in data if d < t), default=None),
                            min((d for d in data if d > t), default=None)) if d is not None]
        if not near:
            continue
        nearest = min(near, key=lambda d: abs(mid[d] - mid[t]))
        if c not in empty[nearest] or abs(mid[nearest] - mid[t]) > 2.0 * _size(lines[t]):
            continue
        pieces.setdefault((nearest, c), []).append((mid[t], body.pop(t)[c]))
    for (d, c), found in pieces.items():
        text = ""
        for _, piece in sorted(found):
            text = _join(text, piece)
        body[d][c] = text
