r"""Check a published budget table: codes, names and sums.

:func:`check` takes a table read by :func:`~govcodes.read_tables` (or
anything it reads: a file, the text) and the year of its edition, and
returns a :class:`Report` of :class:`Finding`\ s, each with its row, a kind,
a severity and a message:

``edition``
    the document prints no year: the edition its codes fit best was used
    (``info``);
``unknown-code``
    the code is not in the edition of that year (with what it may be
    instead); a 7-digit economic code below a national 款 is a local
    extension (``info``);
``name-mismatch``
    the printed name is not the edition's: an old name valid in an earlier
    edition (``warning``) or a different name (``error``); formatting-only
    differences (PDF line-wrap spaces, bracket width) are reported, as
    ``info``, only with ``formatting=True``;
``subtotal``
    a parent's amount differs from the sum of the rows printed below it, in
    one column;
``row-identity``
    a row breaks a column identity such as 合计 = 基本支出 + 项目支出;
``total``
    the 合计 row differs from the sum of the 类 rows (the top-level rows).

Amounts that differ by one unit of the last printed digit (0.01 in a table
printed with two decimals) are rounding, a ``warning``; anything larger is an
``error``.

>>> import govcodes
>>> text = '''2024年一般公共预算支出表
... 单位：万元
... 科目编码\t科目名称\t合计\t基本支出\t项目支出
... \t合计\t1,010.00\t1,000.00\t10.00
... 208\t社会保障和就业支出\t1,010.00\t1,000.00\t10.00
... 20801\t人力资源和社会保 障管理事务\t1,010.00\t1,000.00\t10.00
... 2080101\t行政运行\t1,000.00\t1,000.00\t
... 2080110\t劳动关系的维权\t10.01\t\t10.00
... '''
>>> report = govcodes.check(text)
>>> for finding in report:
...     print(finding)
line 6: subtotal warning: 20801 人力资源和社会保障管理事务, column 合计: printed 1,010.00, the 2 rows below it add up to 1,010.01 (0.01 apart: rounding)
line 8: name-mismatch error: 2080110: printed 劳动关系的维权, the 2024 edition's name is 劳动关系和维权
line 8: row-identity warning: 2080110 劳动关系的维权: 合计 is 10.01, 基本支出 + 项目支出 is 10.00 (0.01 apart: rounding)
>>> report.summary()
'1 table checked against the 2024 edition: 1 error, 2 warnings'
>>> report.ok
False
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Union

import attrs

from .codes import classification_of, is_local_extension, parent_of
from .errors import InputError, UnknownCodeError
from .codes import normalize_name
from .readers.tables import Table, TableRow, read_tables
from .readers.vocabulary import TOTAL_WORDS, is_memo_label, is_total_label

if TYPE_CHECKING:
    from .model import Edition
    from .readers.tables import Source

__all__ = ["check", "Finding", "Report", "TableSummary", "KINDS", "SEVERITIES"]

#: The kinds of finding, in the order they are listed for a row.
KINDS = ("edition", "unknown-code", "name-mismatch", "subtotal", "row-identity", "total", "unreadable", "reading")
#: The severities, worst first.
SEVERITIES = ("error", "warning", "info")

#: An identity as the caller names it: ``"合计 = 基本支出 + 项目支出"`` or ``("合计", ["基本支出", "项目支出"])``.
IdentitySpec = Union[str, "tuple[str, Sequence[str]]"]

_ZERO = Decimal(0)


# --------------------------------------------------------------------------- results


@attrs.frozen(slots=True)
class Finding:
    """One problem found in a table.

    ``kind`` is one of :data:`KINDS`, ``severity`` ``'error'``,
    ``'warning'`` or ``'info'``.  ``table`` is the table's title and
    ``line`` the line its row is printed on; ``code`` and ``name`` are the
    row's code and printed name (None for a 合计 row's code); ``column`` the
    amount column concerned, if one.  ``expected`` and ``actual`` are what
    the edition or the arithmetic says and what is printed: names for a
    ``name-mismatch``, :class:`~decimal.Decimal` amounts for the sums.
    ``row`` is the :class:`~govcodes.TableRow` itself, ``group`` its group in a
    side-by-side table (0 otherwise); ``page`` the page of a PDF (None for other
    sources).  Kind ``reading`` is a note: what the reader or the checker was
    unsure of (see :func:`check`'s ``strict``).

    >>> f = Finding("name-mismatch", "error", "2210202: printed 房租补贴, ...", "表2", 147,
    ...             code="2210202", name="房租补贴", expected="提租补贴", actual="房租补贴")
    >>> f.to_dict()["expected"], f.is_error
    ('提租补贴', True)
    """

    kind: str
    severity: str
    message: str
    table: str
    line: int
    code: str | None = None
    name: str | None = None
    column: str | None = None
    expected: Decimal | str | None = None
    actual: Decimal | str | None = None
    row: TableRow | None = attrs.field(default=None, eq=False, repr=False)
    group: int = attrs.field(default=0, eq=False, repr=False)
    page: int | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, Any]:
        """The finding as plain data (amounts as strings, exact), without the row object."""
        out: dict[str, Any] = {}
        for field in ("table", "page", "line", "code", "name", "kind", "severity", "column", "expected", "actual",
                      "message"):
            value = getattr(self, field)
            out[field] = str(value) if isinstance(value, Decimal) else value
        return out

    def __str__(self) -> str:
        where = f"page {self.page}, line {self.line}" if self.page is not None else f"line {self.line}"
        return f"{where}: {self.kind} {self.severity}: {self.message}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@attrs.frozen(slots=True)
class TableSummary:
    """What was read of one table: its title, page, classification, and rows read and checked.

    ``rows`` counts every row read; ``checked`` the rows the checks looked at
    (rows with a classification code, and total rows), 0 for a table that was
    skipped (no classification codes).
    """

    title: str
    classification: str | None
    rows: int
    checked: int
    page: int | None = None
    year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "page": self.page, "classification": self.classification,
                "year": self.year, "rows": self.rows, "checked": self.checked}


@attrs.frozen(slots=True)
class Report:
    """What :func:`check` found: the findings sorted by table and row, and what was checked.

    ``tables`` are the titles of the tables checked, ``years`` the edition
    year each was checked against, ``skipped`` the titles of the tables that
    are not classification tables (收支总表, 单位 and 项目 tables...).
    ``read`` summarises every table read (:class:`TableSummary`).
    ``notes`` are the ``reading`` notes (what the reader or the checker was
    unsure of) when they are not listed among the findings (``strict=False``);
    with ``strict=True`` they are findings, as warnings, and ``ok`` needs no
    warning either.  Iterating a report yields its findings.
    """

    findings: tuple[Finding, ...]
    tables: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    skipped: tuple[str, ...] = ()
    read: tuple[TableSummary, ...] = ()
    notes: tuple[Finding, ...] = ()
    strict: bool = False

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning")

    @property
    def infos(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "info")

    @property
    def ok(self) -> bool:
        """True when there is no error (and, when strict, no warning)."""
        return not self.errors and not (self.strict and self.warnings)

    def by_kind(self) -> dict[str, int]:
        """The number of findings of each kind, in the order of :data:`KINDS` (notes not listed excluded)."""
        counts = Counter(f.kind for f in self.findings)
        return {k: counts[k] for k in KINDS if counts[k]}

    def summary(self) -> str:
        """One line: how many tables were checked against which edition, and what was found."""
        if not self.tables:
            return "no classification table found" + (
                f" ({_plural(len(self.skipped), 'other table')} skipped)" if self.skipped else "")
        years = sorted(set(self.years))
        editions = ("the " + ", ".join(str(y) for y in years) + (" edition" if len(years) == 1 else " editions"))
        head = f"{_plural(len(self.tables), 'table')} checked against {editions}"
        tail = f" ({_plural(len(self.notes), 'reading note')}: --strict lists them)" if self.notes else ""
        if not self.findings:
            return f"{head}: no problems found{tail}"
        counts = [_plural(len(self.errors), "error"), _plural(len(self.warnings), "warning")]
        if self.infos:
            counts.append(_plural(len(self.infos), "note"))
        return f"{head}: " + ", ".join(counts) + tail

    def overview(self) -> str:
        """One line on the whole document: tables found, rows read and checked, findings by kind.

        >>> import govcodes
        >>> govcodes.check("支出表\\n科目编码\\t科目名称\\t合计\\n2089998\\t某项支出\\t1.00\\n", year=2026).overview()
        '1 table found (1 checked, 0 skipped), 1 row read, 1 checked; findings: unknown-code 1'
        """
        rows = sum(t.rows for t in self.read)
        checked = sum(t.checked for t in self.read)
        kinds = self.by_kind()
        found = ", ".join(f"{k} {n}" for k, n in kinds.items()) if kinds else "none"
        return (f"{_plural(len(self.read), 'table')} found ({len(self.tables)} checked, {len(self.skipped)} skipped), "
                f"{_plural(rows, 'row')} read, {checked} checked; findings: {found}")

    def to_dict(self) -> dict[str, Any]:
        """The report as plain data: counts, tables and findings."""
        return {
            "summary": self.summary(),
            "overview": self.overview(),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "infos": len(self.infos),
            "by_kind": self.by_kind(),
            "tables": [{"title": t, "year": y} for t, y in zip(self.tables, self.years)],
            "skipped": list(self.skipped),
            "read": [t.to_dict() for t in self.read],
            "findings": [f.to_dict() for f in self.findings],
            "notes": [f.to_dict() for f in self.notes],
        }


# --------------------------------------------------------------------------- entry point


def check(source: Table | Sequence[Table] | Source, year: int | None = None, *,
          identities: Sequence[IdentitySpec] | None = None, formatting: bool = False,
          encoding: str | None = None, as_of: object = None, extensions: object = None,
          strict: bool = False) -> Report:
    """Check the classification tables of ``source`` against the edition of their year.

    ``source`` is a :class:`~govcodes.Table`, a list or tuple of them, or anything
    :func:`~govcodes.read_tables` reads (a path, the text, its bytes, rows of
    cells; ``encoding`` is passed on).  Tables without classification codes
    (收支总表, 单位 and 项目 tables, performance tables) are skipped.

    ``year`` is the edition to check against; by default each table's year,
    from its title, or else the year most tables of the same document carry,
    or else the year the document prints for its budget on its cover and
    page headers (``2026 年度部门预算公开``: :attr:`Table.document_year`),
    or else the edition whose codes and names fit the document best
    (:func:`~govcodes.guess_edition`), which a finding of kind ``edition``
    says; :class:`~govcodes.UnknownEditionError` when govcodes has no such
    edition.  ``as_of`` (a date) checks against each edition as it stood on
    that day, without its amendments dated after it.  ``extensions`` is a
    file of local codes layered on the edition (see :mod:`govcodes.extensions`).

    ``identities`` names column identities every row must satisfy, as
    ``"合计 = 基本支出 + 项目支出"`` (``-`` subtracts) or ``(target,
    [parts])``; a label is a column's full label, its last part, the label
    over a ``…/小计`` column, or 合计/总计/小计 for the table's total column.
    An identity is checked in each table that has all its columns
    (:class:`~govcodes.InputError` when none has).  By default, the
    identities the header makes obvious are checked: a first column labelled
    合计 (总计, 本年支出合计…) is the sum of the others, a ``…/小计`` column
    the sum of the columns beside it under the same label; ``identities=()``
    checks none.

    ``formatting=True`` also reports names that differ from the edition's
    only in formatting (wrap spaces, bracket width), as ``info``.

    What the reader or the checker is unsure of (a table continued under
    another header, amounts that could not be placed in their columns, an
    identity the header suggests that most rows break) is a ``reading``
    note, never an error.  By default (lenient) the notes are kept apart, in
    :attr:`Report.notes`, and counted in the summary; ``strict=True`` lists
    them among the findings as warnings, and a report is then ``ok`` only
    without errors and warnings.

    >>> import govcodes
    >>> report = govcodes.check("支出表\\n科目编码\\t科目名称\\t合计\\n2089998\\t某项支出\\t1.00\\n", year=2026)
    >>> [(f.kind, f.severity, f.code) for f in report]
    [('unknown-code', 'error', '2089998')]
    """
    tables = _tables(source, encoding)
    specs = None if identities is None else [_parse_identity(spec) for spec in identities]
    document_year = _document_year(tables)
    findings: list[tuple[int, Finding]] = []
    notes: list[tuple[int, Finding]] = []
    checked: list[str] = []
    years: list[int] = []
    skipped: list[str] = []
    read: list[TableSummary] = []
    used = [False] * len(specs) if specs else []
    from .model import edition

    guessed: tuple[int, str] | None = None
    for order, table in enumerate(tables):
        if not table.classification:
            skipped.append(table.title)
            read.append(TableSummary(table.title, None, len(table.rows), 0, table.page, table.year))
            continue
        table_year = year if year is not None else (table.year or document_year or table.document_year)
        found: list[Finding] = []
        if table_year is None:
            guessed = guessed or _guess_year(tables)
            table_year = guessed[0]
            found.append(Finding("edition", "info", guessed[1], table.title, table.line))
        ed = edition(table_year, as_of=as_of, extensions=extensions)
        checked.append(table.title)
        years.append(ed.year)
        unsure: list[Finding] = []
        _TableCheck(table, ed, formatting, found, unsure).run(specs, used)
        findings.extend((order, f) for f in found)
        if strict:
            findings.extend((order, attrs.evolve(f, severity="warning")) for f in unsure)
        else:
            notes.extend((order, f) for f in unsure)
        read.append(TableSummary(table.title, table.classification, len(table.rows),
                                 sum(1 for r in table.rows if r.code or r.is_total), table.page, ed.year))
    if specs and checked and not all(used):
        missing = [_identity_text(s) for s, u in zip(specs, used) if not u]
        raise InputError("no table checked has the columns of " + "; ".join(missing),
                         value=missing, expected="column labels of the table (see Table.columns)")
    findings.sort(key=_sort_key)  # stable: one row's findings of a kind stay in column order
    return Report(tuple(f for _, f in findings), tuple(checked), tuple(years), tuple(skipped), tuple(read),
                  tuple(f for _, f in notes), strict)


def _guess_year(tables: Sequence[Table]) -> tuple[int, str]:
    """The edition the document's codes fit best, and the sentence that says so."""
    from .guess import guess_edition

    best = guess_edition([t for t in tables if t.classification])[0]
    also = f" (as well as {', '.join(map(str, best.tied))})" if best.tied else ""
    return best.year, (f"the document prints no year: checked against the {best.year} edition, whose codes and "
                       f"names fit its {len(best.pairs)} codes best{also} ({best.score:.0%})")


def _sort_key(item: tuple[int, Finding]) -> tuple[int, int, int, int]:
    order, f = item
    return order, f.line, f.group, KINDS.index(f.kind)


def _tables(source: object, encoding: str | None) -> list[Table]:
    if isinstance(source, Table):
        return [source]
    if isinstance(source, (list, tuple)) and source and all(isinstance(t, Table) for t in source):
        return list(source)
    return read_tables(source, encoding=encoding)  # type: ignore[arg-type]


def _document_year(tables: Sequence[Table]) -> int | None:
    counts = Counter(t.year for t in tables if t.year is not None)
    return counts.most_common(1)[0][0] if counts else None


# --------------------------------------------------------------------------- amounts


def _precision(table: Table) -> Decimal:
    """One unit of the last digit the table prints (0.01 for amounts with two decimals).

    The most common number of decimals decides, so that one cell printed
    with more digits (``40.000``) does not turn the table's rounding into errors.
    A workbook's numbers (``table.typed``) print as many decimals as their
    cells' format says, which is not read: a whole number there is not a
    table rounded to the yuan, and the unit is at most the fen's.
    """
    exponents = Counter(e for row in table.rows for a in row.amounts
                        if a is not None and isinstance(e := a.as_tuple().exponent, int) and a != 0)
    common = max(exponents.items(), key=lambda kv: (kv[1], -kv[0]))[0] if exponents else -2
    if table.typed:
        common = min(common, -2)
    return Decimal(1).scaleb(max(common, -12))


def _fmt(value: Decimal) -> str:
    return f"{value:,}"


def _apart(difference: Decimal, unit: Decimal) -> tuple[str, str]:
    """Severity and wording of a difference between two sums."""
    size = abs(difference)
    if size <= unit:
        return "warning", f"({_fmt(size)} apart: rounding)"
    return "error", f"({_fmt(size)} apart)"


# --------------------------------------------------------------------------- identities


@attrs.frozen(slots=True)
class _Identity:
    """target = Σ sign * part, by column label, as the caller names it."""

    target: str
    parts: tuple[tuple[int, str], ...]


#: An identity resolved in one table: the target column and the (sign, column) parts.
_Resolved = tuple[int, list[tuple[int, int]]]


_SIGNS = re.compile(r"\s*([+\-])\s*")


def _key(label: str) -> str:
    return normalize_name(label)


def _parse_identity(spec: object) -> _Identity:
    if isinstance(spec, str):
        text = unicodedata.normalize("NFKC", spec)
        if text.count("=") != 1:
            raise InputError("a column identity is 'TARGET = PART + PART ...'", value=spec)
        left, right = (side.strip() for side in text.split("="))
        body, first = right.strip(), "+"
        if body and body[0] in "+-":  # a leading sign
            first, body = body[0], body[1:]
        pieces = _SIGNS.split(body)  # text, sign, text, sign, text ...
        parts = [(-1 if sign == "-" else 1, text.strip()) for sign, text in zip([first, *pieces[1::2]], pieces[0::2])]
        if not left or "+" in left or "-" in left or not parts or not all(p for _, p in parts):
            raise InputError("a column identity is 'TARGET = PART + PART ...'", value=spec)
        return _Identity(left, tuple(parts))
    if isinstance(spec, (tuple, list)) and len(spec) == 2 and isinstance(spec[0], str) \
            and isinstance(spec[1], (list, tuple)) and spec[1] and all(isinstance(p, str) for p in spec[1]):
        return _Identity(spec[0].strip(), tuple((1, p.strip()) for p in spec[1]))
    raise InputError("a column identity is 'TARGET = PART + PART ...' or (TARGET, [PARTS])", value=spec)


def _identity_text(identity: _Identity) -> str:
    parts = " ".join(("- " if s < 0 else "+ ") + p for s, p in identity.parts)
    return f"{identity.target} = {parts.removeprefix('+ ')}"


def _resolve(columns: Sequence[str], label: str) -> int | None:
    """The column a label names: full label, last part, the label over a '…/小计', or the total column."""
    key = _key(label)
    keys = [_key(c) for c in columns]
    for candidates in (
        [i for i, k in enumerate(keys) if k == key],
        [i for i, k in enumerate(keys) if k.rsplit("/", 1)[-1] == key],
        [i for i, k in enumerate(keys) if "/" in k and k.rsplit("/", 1)[0].rsplit("/", 1)[-1] == key
         and k.rsplit("/", 1)[-1] in TOTAL_WORDS],
    ):
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            return None
    if key in TOTAL_WORDS:
        return _total_column(keys)
    return None


def _total_column(keys: Sequence[str]) -> int | None:
    totals = [i for i, k in enumerate(keys) if is_total_label(k.rsplit("/", 1)[-1])]
    return totals[0] if totals else None


def _inferred(columns: Sequence[str]) -> list[_Resolved]:
    """The identities a header makes obvious (see :func:`check`)."""
    keys = [_key(c) for c in columns]
    if len(keys) < 3 or any(not k for k in keys) or len(set(keys)) != len(keys):
        return []
    paths = [tuple(k.split("/")) for k in keys]
    if any(not all(paths_part) for paths_part in paths):
        return []

    def children(prefix: tuple[str, ...]) -> list[str]:
        seen: list[str] = []
        for p in paths:
            if len(p) > len(prefix) and p[:len(prefix)] == prefix and p[len(prefix)] not in seen:
                seen.append(p[len(prefix)])
        return seen

    def value(path: tuple[str, ...]) -> list[int] | None:
        """The columns whose sum is the amount of a header node."""
        if path in paths:
            return [paths.index(path)]
        kids = [k for k in children(path) if not is_memo_label(k)]
        total = next((k for k in kids if k in TOTAL_WORDS and path + (k,) in paths), None)
        if total is not None:
            return [paths.index(path + (total,))]
        out: list[int] = []
        for k in kids:
            v = value(path + (k,))
            if v is None:
                return None
            out.extend(v)
        return out or None

    identities: list[_Resolved] = []

    def visit(prefix: tuple[str, ...]) -> None:
        kids = children(prefix)
        if prefix:  # under a header label: its 小计 (or 合计) column, wherever it is
            total = next((k for k in kids if is_total_label(k) and prefix + (k,) in paths), None)
        else:  # the whole table: a first column labelled 合计, 总计, 本年支出合计...
            total = kids[0] if kids and is_total_label(kids[0]) and (kids[0],) in paths else None
        if total is not None:
            target = paths.index(prefix + (total,))
            others = [k for k in kids if k != total and not is_memo_label(k)]
            if len(others) >= 2:
                parts: list[int] = []
                for k in others:
                    v = value(prefix + (k,))
                    if v is None:
                        parts = []
                        break
                    parts.extend(v)
                if parts:
                    identities.append((target, [(1, p) for p in parts]))
        for k in kids:
            if prefix + (k,) not in paths:
                visit(prefix + (k,))

    visit(())
    return identities


# --------------------------------------------------------------------------- checking one table




class _TableCheck:
    """The checks of one table against one edition."""

    def __init__(self, table: Table, edition: Edition, formatting: bool, out: list[Finding],
                 notes: list[Finding] | None = None) -> None:
        self.table = table
        self.edition = edition
        self.formatting = formatting
        self.out = out
        self.notes = out if notes is None else notes
        self.unit = _precision(table)

    def note(self, message: str) -> None:
        """What the reader or the checker is unsure of: a note, never an error."""
        self.notes.append(Finding("reading", "info", message, self.table.title, self.table.line,
                                  page=self.table.page))

    def add(self, row: TableRow, kind: str, severity: str, message: str, *, column: str | None = None,
            expected: Decimal | str | None = None, actual: Decimal | str | None = None) -> None:
        self.out.append(Finding(kind, severity, message, self.table.title, row.line, row.code, row.name,
                                column, expected, actual, row, row.group, row.page))

    def run(self, specs: list[_Identity] | None, used: list[bool]) -> None:
        for message in self.table.notes:
            self.note(message)
        by_line = {row.line: row for row in self.table.rows}
        for problem in self.table.problems:  # what the reader could not read (an amount cell counts as blank)
            m = re.match(r"line (\d+):", problem)
            line = int(m.group(1)) if m else self.table.line
            if line in by_line:
                self.add(by_line[line], "unreadable", "error", problem)
            else:
                self.out.append(Finding("unreadable", "error", problem, self.table.title, line, page=self.table.page))
        present = set(self.edition.classifications)
        for row in self.table.rows:
            if not row.code:
                continue
            cls = classification_of(row.code, self.edition.year)
            if cls in present:
                self.code_and_name(row)
            elif cls is None:
                self.add(row, "unknown-code", "error",
                         f"{row.code}: not a code of any classification the {self.edition.year} edition has")
            else:
                self.add(row, "unknown-code", "info",
                         f"{row.code}: not checked: the {self.edition.year} edition has no {cls} classification")
        self.identities(specs, used)
        self.sums()

    # -- codes and names -------------------------------------------------

    def label(self, row: TableRow) -> str:
        return f"{row.code} {normalize_name(row.name)}".strip() if row.code else normalize_name(row.name)

    def code_and_name(self, row: TableRow) -> None:
        assert row.code is not None
        code = self.edition.get(row.code)
        if code is None:
            self.unknown(row)
            return
        printed = row.normalized_name
        if not printed or row.name == code.name:
            return
        if printed == normalize_name(code.name):
            if self.formatting:
                self.add(row, "name-mismatch", "info",
                         f"{row.code}: printed {row.name!r}, the edition's {code.name} (formatting only)",
                         expected=code.name, actual=row.name)
            return
        year = self.edition.year
        found = _history(row.code)
        other = [] if found is None else sorted(y for y, n in found.names.items() if normalize_name(n) == printed)
        before = [y for y in other if y < year]
        namesake = self.namesake(printed, row.code)
        also = f" ({printed} is {namesake})" if namesake else ""
        if before:
            last = max(before)
            reused = found.new_meanings(last, year)
            if reused:  # the old meaning of a code given a new one (30311 住房公积金 until 2017)
                self.add(row, "name-mismatch", "error",
                         f"{row.code}: printed {printed}, its meaning until {last}; the code was reused in "
                         f"{reused[0]} and is {code.name} in the {year} edition{also}",
                         expected=code.name, actual=row.name)
            else:
                self.add(row, "name-mismatch", "warning",
                         f"{row.code}: printed {printed}, old name, valid until {last}; "
                         f"the {year} edition's name is {code.name}", expected=code.name, actual=row.name)
        elif other:
            self.add(row, "name-mismatch", "warning",
                     f"{row.code}: printed {printed}, its name from the {min(other)} edition; "
                     f"the {year} edition's name is {code.name}", expected=code.name, actual=row.name)
        else:
            self.add(row, "name-mismatch", "error",
                     f"{row.code}: printed {printed}, the {year} edition's name is {code.name}{also}",
                     expected=code.name, actual=row.name)

    def namesake(self, name: str, near: str) -> str:
        """The codes of this edition named ``name``, those nearest ``near`` first, as text."""
        from .search import namesakes

        found = namesakes(self.edition, name, near)
        return ", ".join(c.code for c in found[:3]) + ("" if len(found) <= 3 else " …")

    def unknown(self, row: TableRow) -> None:
        assert row.code is not None
        code, year = row.code, self.edition.year
        printed = row.normalized_name
        parent = parent_of(code)
        national = self.edition.get(parent) if parent else None
        if is_local_extension(code) and national is not None:
            self.add(row, "unknown-code", "info",
                     f"{code} {printed}: a local extension below {national.code} {national.name} "
                     f"(not in the {year} edition)", actual=code)
            return
        hints: list[str] = []
        expected: str | None = None
        namesake = self.namesake(printed, code) if printed else ""
        if namesake:
            hints.append(f"{printed} is {namesake} in the {year} edition")
            if "," not in namesake:
                expected = namesake.split()[0]
        later = self.edition.amended_later(code)
        if later is not None:
            hints.append(f"{later.kind} by {later.citation}")
        hints.extend(_other_editions(code, year))
        message = f"{code} {printed}".strip() + f" is not in {self.edition.label}"
        if hints:
            message += "; " + "; ".join(hints)
        self.add(row, "unknown-code", "error", message, expected=expected, actual=code)

    # -- identities ------------------------------------------------------

    def identities(self, specs: list[_Identity] | None, used: list[bool]) -> None:
        columns = self.table.columns
        resolved: list[_Resolved] = []
        if specs is None:
            resolved = _inferred(columns)
        else:
            for k, spec in enumerate(specs):
                target = _resolve(columns, spec.target)
                found = [(s, _resolve(columns, p)) for s, p in spec.parts]
                named = [(s, p) for s, p in found if p is not None]
                if target is None or len(named) < len(found):
                    continue
                used[k] = True
                resolved.append((target, named))
        for target, parts in resolved:
            broken: list[tuple[TableRow, Decimal, Decimal]] = []
            applied = 0
            for row in self.table.rows:
                if not row.aligned or (row.code is None and not row.is_total):
                    continue
                cells = [row.amounts[target]] + [row.amounts[p] for _, p in parts]
                if all(c is None for c in cells):
                    continue
                applied += 1
                printed = row.values[target]
                computed = sum((s * row.values[p] for s, p in parts), _ZERO)
                if printed != computed:
                    broken.append((row, printed, computed))
            expr = _expression(columns, parts)
            if specs is None and len(broken) >= 2 and len(broken) * 2 > applied:
                # read from the header, and broken on most rows: not a rule of this table
                self.note(f"{_short(columns[target])} = {expr} (read from the header) does not hold on "
                          f"{len(broken)} of {applied} rows: not checked")
                continue
            for row, printed, computed in broken:
                severity, apart = _apart(printed - computed, self.unit)
                self.add(row, "row-identity", severity,
                         f"{self.label(row)}: {_short(columns[target])} is {_fmt(printed)}, "
                         f"{expr} is {_fmt(computed)} {apart}",
                         column=columns[target], expected=computed, actual=printed)

    # -- sums ------------------------------------------------------------

    def sums(self) -> None:
        table = self.table
        width = len(table.columns)
        if not width:
            return
        children: dict[int, list[TableRow]] = {}  # id(parent row) -> rows below it
        roots: dict[int, list[TableRow]] = {}  # group -> top-level coded rows
        for group_rows in _groups(table.rows):
            for segment in _segments(group_rows):
                by_code: dict[str, TableRow] = {}
                for r in segment:
                    if r.code:
                        by_code.setdefault(r.code, r)
                for row in segment:
                    if not row.code:
                        continue
                    above = _printed_parent(row.code, by_code)
                    if above is None:
                        roots.setdefault(row.group, []).append(row)
                    else:
                        children.setdefault(id(above), []).append(row)
        for row in table.rows:
            below = children.get(id(row))
            if below:
                self.compare(row, below, "subtotal", f"the {_plural(len(below), 'row')} below it")
        for row in table.rows:
            if row.is_total:
                scope = self.total_scope(row)
                top = [r for g in scope for r in roots.get(g, ())]
                if top:
                    levels = {r.level for r in top}
                    kind = f"{levels.pop()} row" if len(levels) == 1 else "top-level row"
                    what = f"the {kind}" if len(top) == 1 else f"the {kind}s"
                    self.compare(row, top, "total", what)

    def total_scope(self, row: TableRow) -> list[int]:
        """The groups a total row adds up: all, or those of a side-by-side table its label names."""
        groups = sorted({r.group for r in self.table.rows})
        labels = self.table.groups
        if len(groups) < 2 or not labels:
            return groups
        name = re.sub(r"(合计|总计)[:：]?$", "", row.normalized_name)
        named = [g for g in groups if g < len(labels) and _key(labels[g]) == name and name]
        if named:
            return named
        if name:
            own = _key(labels[row.group]) if row.group < len(labels) else None
            return [g for g in groups if g < len(labels) and _key(labels[g]) == own] or [row.group]
        return groups

    def compare(self, row: TableRow, parts: list[TableRow], kind: str, what: str) -> None:
        columns = self.table.columns
        first_only = not row.aligned or any(not r.aligned for r in parts)
        for i in range(1 if first_only else len(columns)):
            if row.amounts[i] is None and all(r.amounts[i] is None for r in parts):
                continue
            printed = row.values[i]
            computed = sum((r.values[i] for r in parts), _ZERO)
            if printed == computed:
                continue
            severity, apart = _apart(printed - computed, self.unit)
            column = columns[i] or f"column {i + 1}"
            self.add(row, kind, severity,
                     f"{self.label(row)}, column {_short(column)}: printed {_fmt(printed)}, "
                     f"{what} {'adds' if len(parts) == 1 else 'add'} up to {_fmt(computed)} {apart}",
                     column=columns[i], expected=computed, actual=printed)


def _short(label: str) -> str:
    return label.rsplit("/", 1)[-1] if label.rsplit("/", 1)[-1] not in TOTAL_WORDS else label


def _expression(columns: Sequence[str], parts: Sequence[tuple[int, int]]) -> str:
    out = ""
    for k, (sign, p) in enumerate(parts):
        label = _short(columns[p])
        out += (" - " if sign < 0 else (" + " if k else "")) + label
    return out.strip()


def _groups(rows: Sequence[TableRow]) -> list[list[TableRow]]:
    out: dict[int, list[TableRow]] = {}
    for row in rows:
        out.setdefault(row.group, []).append(row)
    return list(out.values())


def _segments(rows: Sequence[TableRow]) -> list[list[TableRow]]:
    """Runs of rows that form one tree: a unit row (单位 tables) or a repeated code starts a new one."""
    segments: list[list[TableRow]] = [[]]
    seen: set[str] = set()
    for row in rows:
        unit_row = row.code is None and not row.is_total and bool(row.printed_code)
        if unit_row or (row.code and row.code in seen):
            segments.append([])
            seen = set()
        if row.code:
            seen.add(row.code)
        segments[-1].append(row)
    return [s for s in segments if s]


def _printed_parent(code: str, by_code: dict[str, TableRow]) -> TableRow | None:
    parent = parent_of(code)
    while parent:
        found = by_code.get(parent)
        if found is not None:
            return found
        parent = parent_of(parent)
    return None


# --------------------------------------------------------------------------- the editions' names


_history_cache: dict[str, Any] = {}


def _history(code: str) -> Any:
    """:func:`govcodes.history` of a code, None for a code no edition has; cached."""
    if code not in _history_cache:
        from .changes import history

        try:
            _history_cache[code] = history(code)
        except UnknownCodeError:
            _history_cache[code] = None
    return _history_cache[code]


def _spans(years: Sequence[int]) -> str:
    """2017, 2018, 2019, 2021 -> '2017–2019, 2021'."""
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _other_editions(code: str, year: int) -> list[str]:
    """Where an unknown code is found in other editions, and what became of it."""
    found = _history(code)
    if found is None or not found.names:
        return []
    names: dict[str, list[int]] = {}
    for y, n in sorted(found.names.items()):
        names.setdefault(n, []).append(y)
    spans = [f"the {_spans(ys)} edition{'s' if len(ys) > 1 else ''} ({n})" for n, ys in names.items()]
    hints = ["it is in " + " and ".join(spans)]
    for event in found.events:
        if event.kind == "removed" and event.year <= year:
            hints.append(f"removed in {event.year}")
        elif event.kind.endswith("-out") and event.other_code and event.year <= year:
            hints.append(f"{event.kind[:-4]} to {event.other_code} {event.other_name or ''}".rstrip()
                         + f" in {event.year}")
        elif (event.kind == "added" or event.kind.endswith("-in")) and event.year > year:
            hints.append(f"added in {event.year}" if event.kind == "added"
                         else f"{event.kind[:-3]} from {event.other_code} in {event.year}")
    return hints
