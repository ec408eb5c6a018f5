"""Amendments: the dated notices that change an edition during its year.

The Ministry publishes each edition before its year begins and may amend it
during the year by a notice (修订, 个别增补) with a 文号 and a date, each
adding, renaming or removing entries: 财预〔2025〕41号 of 2025-05-23 added,
among others, 2170404 to the 2025 edition.

The shipped edition files hold each edition **as amended to date**;
``data/editions/<year>/amendments.tsv`` lists its amendments, one row per
change, with the columns of a change record (see :mod:`govcodes.changes`)
plus ``date``, ``document`` (the 文号, or the notice's title when the 文号 is
not known) and ``source`` (``official`` when the notice's text was read,
``compiled`` when it is known from a report or the compilers' knowledge).
:func:`govcodes.edition` with ``as_of`` undoes the amendments dated after a
day; :func:`govcodes.diff` and :func:`govcodes.history` show each amendment
with its date and 文号.

>>> import govcodes
>>> [(a.date, a.document, a.new_code) for a in govcodes.edition(2025).amendments][:1]
[('2025-05-23', '财预〔2025〕41号', '1030184')]
>>> govcodes.edition(2025, as_of="2025-05-01").get("2170404") is None
True
>>> govcodes.edition(2025).get("2170404").provenance.source
'财预〔2025〕41号 2025-05-23'
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable, Mapping, Protocol

import attrs

from . import _data
from .changes import Sides
from .codes import classification_of
from .errors import DataError, InputError

if TYPE_CHECKING:
    from .changes import Change

__all__ = ["Amendment", "amendments", "as_of_date", "undo"]

#: Where the knowledge of an amendment comes from: its text was read, or a report / the compilers' knowledge.
AMENDMENT_SOURCES = ("official", "compiled")

#: An entry of an edition as the loaders pass it around: name, classification, source, evidence.
Entry = tuple[str, str, str, str]


@attrs.frozen(slots=True)
class Amendment(Sides):
    """One change a dated notice made to an edition during its year.

    The sides are those of a :class:`~govcodes.Change` (``old_*`` before the
    notice, ``new_*`` after it), then the ``year`` of the edition amended, the
    notice's ``date`` (ISO) and ``document`` (文号), and ``source``:
    ``official`` when the notice's text states the change, ``compiled`` when
    it is known only from a report or the compilers' knowledge.
    """

    year: int
    date: str
    document: str
    share: Decimal | None = None
    source: str = "official"
    evidence: str = ""

    @property
    def citation(self) -> str:
        """The 文号 and the date: ``财预〔2025〕41号 2025-05-23``."""
        return f"{self.document} {self.date}"

    def change(self) -> Change:
        """The amendment as a change between the previous edition and this one, with its date."""
        from .changes import Change

        return Change(self.kind, self.classification, self.old_code, self.old_name, self.new_code,
                      self.new_name, self.year - 1, self.year, self.share, self.citation, self.evidence,
                      self.date)

    def __str__(self) -> str:
        return f"{self.date} {self.kind}: {self.sides()} [{self.document}]"


def as_of_date(value: object) -> str:
    """``value`` (a ``datetime.date`` or an ISO ``YYYY-MM-DD`` text) as ISO text.

    >>> as_of_date("2025-05-01"), as_of_date(datetime.date(2025, 5, 1))
    ('2025-05-01', '2025-05-01')
    >>> as_of_date("1 May 2025")
    Traceback (most recent call last):
    ...
    govcodes.errors.InputError: as_of is a date; got '1 May 2025'; expected YYYY-MM-DD, e.g. 2025-05-01
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise InputError("as_of is a date", value=value, expected="YYYY-MM-DD, e.g. 2025-05-01")


_cache: dict[int, tuple[Amendment, ...]] = {}


def amendments(year: int) -> tuple[Amendment, ...]:
    """The amendments of the shipped edition of ``year``, oldest first (empty when it has none).

    Each row is checked as a change record is; a code may be changed by one
    amendment of a year only.
    """
    found = _cache.get(year)
    if found is not None:
        return found
    from .user import user_folder

    if user_folder(year) is not None:  # a user edition: what the user's file holds, with no notices of ours
        return ()
    from .changes import RECORD_COLUMNS, parse_record

    where_file = _data.data_path("editions", str(year), "amendments.tsv")
    out: list[Amendment] = []
    touched: dict[str, str] = {}
    for lineno, row in _data.read_tsv("editions", str(year), "amendments.tsv",
                                      required=("date", "document", "source") + RECORD_COLUMNS, optional=True):
        where = f"{where_file}:{lineno}"
        kind, cls, old_code, old_name, new_code, new_name, share = parse_record(row, where)
        try:
            date = datetime.date.fromisoformat(row["date"]).isoformat()
        except ValueError:
            raise DataError(f"{where}: date must be YYYY-MM-DD, got {row['date']!r}") from None
        if not row["document"].strip():
            raise DataError(f"{where}: an amendment names its document (文号 or title)")
        if row["source"] not in AMENDMENT_SOURCES:
            raise DataError(f"{where}: source must be one of {', '.join(AMENDMENT_SOURCES)}, got {row['source']!r}")
        if not row["evidence"].strip():
            raise DataError(f"{where}: an amendment gives its evidence")
        amendment = Amendment(kind, cls, old_code, old_name, new_code, new_name, year, date, row["document"],
                              share, row["source"], row["evidence"])
        for code in {old_code, new_code} - {None}:
            assert code is not None
            if touched.get(code, amendment.citation) != amendment.citation:
                raise DataError(f"{where}: {code} is changed by two amendments of {year} "
                                f"({touched[code]}, {amendment.citation})")
            touched[code] = amendment.citation
        out.append(amendment)
    _cache[year] = found = tuple(sorted(out, key=lambda a: a.date))
    return found


class _Record(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def old_code(self) -> str | None: ...
    @property
    def old_name(self) -> str | None: ...
    @property
    def new_code(self) -> str | None: ...
    @property
    def new_name(self) -> str | None: ...


def undo(later: Mapping[str, Entry], records: Iterable[_Record], year: int,
         problems: list[str] | None = None, where: str | None = None) -> dict[str, Entry]:
    """The entries before ``records`` were made: ``later`` with the records undone.

    ``later`` maps each code to (name, classification, source, evidence).
    Codes the records introduce are taken out, removed ones put back, renames
    and reuses give back the old name, moves, splits and merges restore the
    old codes.  A restored entry is ``compiled`` with an empty note (the caller
    decides its provenance); its classification is the one its code has in
    ``year``, the year of the earlier state.  Each record that does not agree
    with ``later`` is described in ``problems`` (when given), headed ``where``
    (default: the step from ``year`` to the next).

    >>> later = {"208": ("社会保障和就业支出", "functional", "compiled", ""),
    ...          "20805": ("行政事业单位养老支出", "functional", "compiled", "")}
    >>> from govcodes.changes import Change
    >>> r = Change("renamed", "functional", "20805", "行政事业单位离退休", "20805", "行政事业单位养老支出", 2019, 2020)
    >>> undo(later, [r], 2019)["20805"]
    ('行政事业单位离退休', 'functional', 'compiled', '')
    """
    recs = list(records)
    problems = [] if problems is None else problems
    earlier = dict(later)
    merge_sources: dict[str, set[str]] = {}
    for r in recs:
        if r.kind == "merged" and r.new_code and r.old_code:
            merge_sources.setdefault(r.new_code, set()).add(r.old_code)
    introduced: set[str] = set()
    for r in recs:
        new = r.new_code
        if r.kind in ("renamed", "reused", "redescribed") or not new:
            continue
        if (r.kind in ("added", "moved") or (r.kind == "split" and new != r.old_code)
                or (r.kind == "merged" and new not in merge_sources[new])):
            introduced.add(new)
    step = where or f"{year}->{year + 1}"
    for code in sorted(introduced):
        entry = later.get(code)
        if entry is None:
            problems.append(f"{step}: a record introduces {code}, which the later edition does not have")
            continue
        want = next((r.new_name for r in recs if r.new_code == code), None)
        if want and want != entry[0]:
            problems.append(f"{step}: {code} is {entry[0]!r} in the later edition, the record says {want!r}")
        earlier.pop(code, None)
    for r in recs:
        old = r.old_code
        if old is None or r.old_name is None:
            continue
        if r.kind in ("renamed", "reused", "redescribed"):
            entry = later.get(old)
            if entry is None:
                problems.append(f"{step}: {r.kind} {old} is not in the later edition")
                continue
            if entry[0] != r.new_name:
                problems.append(f"{step}: {old} is {entry[0]!r} in the later edition, the record says {r.new_name!r}")
        cls = classification_of(old, year)
        if cls is None:
            problems.append(f"{step}: {old} is not a classification code")
            continue
        earlier[old] = (r.old_name, cls, "compiled", "")
    return earlier
