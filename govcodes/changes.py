"""Typed changes between editions: diff, code history and crosswalk.

Between each pair of consecutive editions govcodes ships reviewable change
records (``data/changes/FROM-TO.tsv``), each of one kind:

``added``, ``removed``, ``renamed`` (same code, new name, same meaning),
``moved`` (same meaning, new code), ``split``, ``merged``, ``reused`` (same
code, different meaning) and ``redescribed`` (same code and name, new scope),

each citing its source (a notice's 文号 and date, or ``inferred`` with the
evidence).  :func:`diff` composes them across any span of years, in either
direction.

>>> import govcodes
>>> d = govcodes.diff(2017, 2026)
>>> [(c.kind, c.old_code, c.old_name, c.new_code, c.new_name) for c in d if c.old_code == "30311"]
[('moved', '30311', '住房公积金', '30113', '住房公积金'), ('reused', '30311', '住房公积金', '30311', '代缴社会保险费')]
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Sequence

import attrs

from . import _data
from .codes import LINEAGES, lineage_of
from .errors import DataError, InputError, UnknownCodeError, UnknownEditionError

if TYPE_CHECKING:
    from .model import Edition

__all__ = ["KINDS", "Change", "Diff", "CrosswalkEntry", "History", "Event", "diff", "history", "crosswalk"]

#: The kinds of change, in the order they are listed.
KINDS = ("added", "removed", "renamed", "moved", "split", "merged", "reused", "redescribed")
_Path = tuple[frozenset[str], Optional[Decimal], tuple[str, ...]]
_INVERSE = {"added": "removed", "removed": "added", "split": "merged", "merged": "split"}


@attrs.frozen(slots=True)
class Sides:
    """What a change changes: its kind, lineage and the old and new code and name.

    The common part of a :class:`Change` between editions and an
    :class:`~govcodes.amendments.Amendment` within one.
    """

    kind: str
    classification: str
    old_code: str | None
    old_name: str | None
    new_code: str | None
    new_name: str | None

    @property
    def code(self) -> str:
        """The code this change is about (the old one, or the new one for ``added``)."""
        return self.old_code or self.new_code or ""

    def sides(self) -> str:
        """``old code name → new code name`` (one side for added and removed)."""
        old = f"{self.old_code} {self.old_name}" if self.old_code else ""
        new = f"{self.new_code} {self.new_name}" if self.new_code else ""
        return f"{old}{' → ' if old and new else ''}{new}"


@attrs.frozen(slots=True)
class Change(Sides):
    """One typed change between two editions.

    ``old_code``/``old_name`` describe the earlier edition, ``new_code``/``new_name``
    the later one (either side is None for ``added``/``removed``).  ``share``
    is the fraction of the old amount that goes to this target of a split, when
    known.  ``citation`` is a notice (文号 and date) or ``inferred``; ``evidence``
    says why the change is believed.  ``date`` is set when an amendment of the
    later edition made the change during its year (see :mod:`govcodes.amendments`):
    the notice's date, which ``citation`` also gives with its 文号.
    """

    from_year: int
    to_year: int
    share: Decimal | None = None
    citation: str = "inferred"
    evidence: str = ""
    date: str | None = None

    def __str__(self) -> str:
        share = f" ({self.share:%})" if self.share is not None else ""
        return f"{self.from_year}→{self.to_year} {self.kind}: {self.sides()}{share} [{self.citation}]"

    def inverse(self) -> Change:
        """The same change seen from the later edition back to the earlier."""
        return Change(_INVERSE.get(self.kind, self.kind), self.classification, self.new_code, self.new_name,
                      self.old_code, self.old_name, self.to_year, self.from_year, None,
                      self.citation, self.evidence, self.date)


# -- loading the records ---------------------------------------------------

_steps: dict[tuple[int, int], tuple[Change, ...]] = {}

_SIDES = {
    "added": (False, True),
    "removed": (True, False),
    "renamed": (True, True),
    "moved": (True, True),
    "split": (True, True),
    "merged": (True, True),
    "reused": (True, True),
    "redescribed": (True, True),
}


#: The columns every change record has (amendments add date, document and source, and have no citation).
RECORD_COLUMNS = ("kind", "classification", "old_code", "old_name", "new_code", "new_name", "share", "evidence")


def parse_record(row: dict[str, str], where: str, error: type = DataError
                 ) -> tuple[str, str, str | None, str | None, str | None, str | None, Decimal | None]:
    """The typed fields of one change record (or amendment) row, checked.

    Returns (kind, classification, old_code, old_name, new_code, new_name, share);
    ``error`` (a :class:`~govcodes.DataError` for shipped data, an
    :class:`~govcodes.InputError` for a user's file) naming ``where`` when the
    row is not a well-formed record of its kind.
    """
    kind = row.get("kind", "")
    if kind not in KINDS:
        raise error(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if row.get("classification") not in LINEAGES:
        raise error(f"{where}: classification must be one of {', '.join(LINEAGES)}")
    need_old, need_new = _SIDES[kind]
    old = (row.get("old_code") or None, row.get("old_name") or None)
    new = (row.get("new_code") or None, row.get("new_name") or None)
    for side, needed, label in ((old, need_old, "old"), (new, need_new, "new")):
        if needed and not all(side):
            raise error(f"{where}: a {kind} record needs the {label} code and name")
        if not needed and any(side):
            raise error(f"{where}: a {kind} record has no {label} side")
    for code in (old[0], new[0]):
        if code is not None and lineage_of(code) != row["classification"]:
            raise error(f"{where}: {code} is not a {row['classification']} code")
    if kind in ("renamed", "reused", "redescribed") and old[0] != new[0]:
        raise error(f"{where}: a {kind} record keeps its code")
    if kind == "moved" and old[0] == new[0]:
        raise error(f"{where}: a moved record changes the code (same code: renamed or reused)")
    share = None
    if row.get("share"):
        try:
            share = Decimal(row["share"])
        except ArithmeticError:
            raise error(f"{where}: share must be a decimal fraction, got {row['share']!r}") from None
        if kind != "split" or not share.is_finite() or not (0 < share <= 1):
            raise error(f"{where}: only split records have a share, between 0 and 1")
    return kind, row["classification"], old[0], old[1], new[0], new[1], share


def edition_records(from_year: int, to_year: int) -> tuple[Change, ...]:
    """The records from the earlier edition as amended to the later edition as first published
    (validated on load): ``data/changes/FROM-TO.tsv``, or, into or out of a user edition, the
    records stored with it (derived on import, or the user's reviewed file)."""
    key = (from_year, to_year)
    if key in _steps:
        return _steps[key]
    from .user import read_text, user_folder

    if user_folder(to_year) is not None:
        name = f"changes-from-{from_year}.tsv"
        text, where_file = read_text(to_year, name), f"user edition {to_year}: {name}"
    elif user_folder(from_year) is not None:
        name = f"changes-to-{to_year}.tsv"
        text, where_file = read_text(from_year, name), f"user edition {from_year}: {name}"
    else:
        name = f"{from_year}-{to_year}.tsv"
        text, where_file = _data.read_text("changes", name), _data.data_path("changes", name)
    out = []
    for lineno, row in _data.parse_tsv(text or "", where_file, RECORD_COLUMNS + ("citation",)):
        kind, cls, old_code, old_name, new_code, new_name, share = parse_record(row, f"{where_file}:{lineno}")
        out.append(Change(kind, cls, old_code, old_name, new_code, new_name,
                          from_year, to_year, share, row["citation"] or "inferred", row["evidence"]))
    _steps[key] = records = tuple(out)
    return records


def step_records(from_year: int, to_year: int, as_of: str | None = None) -> tuple[Change, ...]:
    """The changes between two consecutive editions, each as amended.

    These are the records from the earlier edition as amended to the later
    edition as first published (:func:`edition_records`), then the later
    edition's amendments (their ``date`` set), only those dated on or before
    ``as_of`` when it is given (an ISO date).

    >>> [(c.new_code, c.date) for c in step_records(2024, 2025) if c.new_code == "2170404"]
    [('2170404', '2025-05-23')]
    >>> [c for c in step_records(2024, 2025, "2025-05-01") if c.new_code == "2170404"]
    []
    """
    records = edition_records(from_year, to_year)
    key = (from_year, to_year, as_of)
    cached = _with_amendments.get(key)
    if cached is not None and cached[0] is records:
        return cached[1]
    from .amendments import amendments

    amended = tuple(a.change() for a in amendments(to_year) if as_of is None or a.date <= as_of)
    _with_amendments[key] = (records, records + amended)
    return records + amended


#: (from, to, as_of) -> (the records the result was made from, the records and amendments).
_with_amendments: dict[tuple[int, int, str | None], tuple[tuple[Change, ...], tuple[Change, ...]]] = {}


def reset_caches() -> None:
    """Forget the records and steps loaded (after a user edition was added or removed)."""
    _steps.clear()
    _step_cache.clear()
    _with_amendments.clear()
    _crosswalks.clear()


def parse_records(source: object, from_year: int, to_year: int) -> list[Change]:
    """Change records from a file a user wrote (TSV or CSV with the columns of ``data/changes/``).

    Every problem is an :class:`~govcodes.InputError` naming the line.
    """
    from .readers.items import read_items

    columns = RECORD_COLUMNS + ("citation",)
    items = read_items(source, header_row=1)
    missing = [c for c in columns if c not in items.header]
    if missing:
        raise InputError(f"{items.name}: a change-record file needs the columns {', '.join(columns)}",
                         value=list(items.header), expected="the header of data/changes/*.tsv")
    out = []
    for line, cells in items.records():
        row = {k: "" if v is None else str(v).strip() for k, v in cells.items()}
        kind, cls, old_code, old_name, new_code, new_name, share = parse_record(
            row, f"{items.name}: line {line}", InputError)
        out.append(Change(kind, cls, old_code, old_name, new_code, new_name, from_year, to_year, share,
                          row.get("citation") or "reviewed", row.get("evidence") or ""))
    return out


def derive_changes(a: Edition, b: Edition) -> list[Change]:
    """The typed changes from edition ``a`` to edition ``b``, derived from the two alone.

    What can be told from the codes and names: ``added`` and ``removed``;
    ``renamed`` (the same code, a new name); ``moved`` (a code gone, and one
    new with the same name under a parent of the same name); ``reused`` (the
    same code with a new name, while its old name went to another, new code).
    Splits and merges cannot be told apart from additions and removals:
    correct them in the file before importing it again.  Every record cites
    ``derived`` and says why in its evidence.

    >>> import govcodes
    >>> [(c.kind, c.old_code, c.new_code) for c in derive_changes(govcodes.edition(2019), govcodes.edition(2020))
    ...  if c.old_code and c.old_code.startswith("20805")]
    [('renamed', '20805', '20805'), ('removed', '2080504', None), ('renamed', '2080599', '2080599')]
    >>> [(c.kind, c.old_code) for c in govcodes.diff(2019, 2020) if c.old_code == "10205"]  # a merge: only a record says so
    [('merged', '10205')]
    """
    from .codes import normalize_name, parent_of

    old = {c.code: c.name for c in a}
    new = {c.code: c.name for c in b}
    key = normalize_name
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    out: list[Change] = []
    cite = "derived"

    def parent_name(names: dict[str, str], code: str) -> str | None:
        parent = parent_of(code)
        return key(names[parent]) if parent is not None and parent in names else None

    def change(kind: str, old_code: str | None, new_code: str | None, evidence: str) -> Change:
        return Change(kind, lineage_of(old_code or new_code or "") or "", old_code,
                      old.get(old_code) if old_code else None, new_code,
                      new.get(new_code) if new_code else None, a.year, b.year, None, cite, evidence)

    targets = set(added)
    moved: dict[str, str] = {}
    # a code whose name changed while its old name went to a new code: the meaning moved, the code was reused
    for code in sorted(set(old) & set(new)):
        if old[code] == new[code]:
            continue
        went = [c for c in targets if key(new[c]) == key(old[code]) and lineage_of(c) == lineage_of(code)]
        if len(went) > 1:  # a common name (行政运行): the one under a parent of the same name
            went = [c for c in went if parent_name(new, c) == parent_name(old, code)]
        if len(went) == 1:
            moved[code] = went[0]
            targets.discard(went[0])
            out.append(change("moved", code, went[0], f"{old[code]} is {went[0]} in {b.year}"))
            out.append(change("reused", code, code, f"{code} means {new[code]} in {b.year}; its old meaning "
                                                    f"moved to {went[0]}"))
        else:
            formatting = key(old[code]) == key(new[code])
            out.append(change("renamed", code, code, "the same code, a new name" +
                              (" (formatting only)" if formatting else "")))
    for code in removed:
        same = [c for c in targets if key(new[c]) == key(old[code]) and lineage_of(c) == lineage_of(code)
                and parent_name(new, c) == parent_name(old, code)]
        if len(same) == 1:
            targets.discard(same[0])
            out.append(change("moved", code, same[0], "the same name under a parent of the same name"))
        else:
            out.append(change("removed", code, None, f"not in the {b.year} edition"))
    for code in sorted(targets):
        out.append(change("added", None, code, f"not in the {a.year} edition"))
    return sorted(out, key=_order)


# -- lineage: how each code of one edition continues into the next ---------------

@attrs.frozen(slots=True)
class CrosswalkEntry:
    """Where one code of one edition goes in another.

    ``kind`` is the composed kind: ``same``, ``renamed``, ``redescribed``,
    ``moved``, ``merged`` (the whole amount goes to ``code``, together with
    other codes' amounts), or ``split`` (the amount is shared among several
    codes: ``share`` is this code's fraction when every step's shares are
    known).  ``needs_decision`` is True for a split without known shares,
    including a split one of whose branches ends with no successor.  A code
    with no successor at all has an empty list of entries.
    """

    code: str
    name: str
    kind: str
    share: Decimal | None
    citations: tuple[str, ...] = ()

    @property
    def needs_decision(self) -> bool:
        """True when the amount cannot be placed here without the caller's shares."""
        return self.kind == "split" and self.share is None


class _Step:
    """The edges from one edition to the next: old code → [(new code, kind, share, citation)]."""

    def __init__(self, year: int, a: Any, b: Any, as_of: str | None) -> None:
        """``a`` and ``b``: the codes of the editions of ``year`` and the next (as of ``as_of``)."""
        records = step_records(year, year + 1, as_of)
        self.records = records
        edges: dict[str, list[tuple[str, str, Decimal | None, str]]] = {}
        touched_old: set[str] = set()
        for r in records:
            if r.old_code and r.kind in ("moved", "split", "merged", "removed", "reused"):
                touched_old.add(r.old_code)
            if r.old_code and r.new_code and r.kind in ("moved", "split", "merged", "renamed", "redescribed"):
                edges.setdefault(r.old_code, []).append((r.new_code, r.kind, r.share, r.citation))
        for code in a:
            if code in edges or code in touched_old:
                continue
            if code in b:
                edges[code] = [(code, "same", None, "")]
        self.edges = edges


_step_cache: dict[tuple[int, int, str | None], _Step] = {}


def _step(year: int, as_of: str | None = None) -> _Step:
    """The step from ``year`` to the next edition (as it stood on ``as_of``, when given)."""
    from .model import code_set, edition

    if as_of is None:  # the editions as amended to date: their codes suffice, not their Code objects
        key: tuple[int, int, str | None] = (year, year + 1, None)
        if key not in _step_cache:
            _step_cache[key] = _Step(year, code_set(year), code_set(year + 1), None)
        return _step_cache[key]
    later = edition(year + 1, as_of=as_of)
    key = (year, year + 1, later.as_of)
    if key not in _step_cache:
        _step_cache[key] = _Step(year, code_set(year), later._by_code.keys(), later.as_of)
    return _step_cache[key]


def _check_years(a: object, b: object) -> tuple[int, int]:
    from .model import editions

    years = editions()
    out = []
    for y in (a, b):
        if isinstance(y, bool) or not (isinstance(y, int) or (isinstance(y, str) and y.strip().isdigit())):
            raise UnknownEditionError(y, years)
        y_int = int(y)
        if y_int not in years:
            raise UnknownEditionError(y, years)
        out.append(y_int)
    for y in range(min(out), max(out)):
        if y + 1 not in years:
            raise UnknownEditionError(y + 1, years)
    return out[0], out[1]


def lineage(from_year: int, to_year: int, as_of: str | None = None) -> dict[str, list[CrosswalkEntry]]:
    """For each code of edition ``from_year``, where it goes in ``to_year`` (forward only).

    The composed kind of each entry is decided by the shape of the whole
    path: one target reached by no other code is ``same``, ``renamed``,
    ``redescribed`` or ``moved`` (``merged`` if a step merged it); several
    targets make a ``split`` (shares multiplied along the way, unknown if any
    step's share is, or if a branch ends on the way); a target reached from
    several codes is ``merged``.  ``as_of`` takes ``to_year`` as it stood on
    that date (its later amendments left out).
    """
    from .model import edition

    a, b = _check_years(from_year, to_year)
    if a > b:
        raise InputError("lineage runs forward", value=(from_year, to_year),
                         expected="from_year <= to_year; crosswalk() works in either direction")
    start, end = edition(a), edition(b, as_of=as_of)
    # code in the current year -> {origin: (kinds seen, share or None, citations)}
    current: dict[str, dict[str, _Path]] = {c: {c: (frozenset(), Decimal(1), ())} for c in start._by_code}
    ended: set[str] = set()  # origins part of whose amount reached a code with no successor
    for year in range(a, b):
        edges = _step(year, as_of if year + 1 == b else None).edges
        nxt: dict[str, dict[str, _Path]] = {}
        for code, origins in current.items():
            targets = edges.get(code, ())
            if not targets:
                ended.update(origins)
            for target, kind, share, citation in targets:
                into = nxt.setdefault(target, {})
                for origin, (kinds, acc, cites) in origins.items():
                    if kind == "split":
                        acc = None if acc is None or share is None else acc * share
                    kinds = kinds | {kind} if kind != "same" else kinds
                    cites = cites + ((citation,) if citation and citation not in cites else ())
                    if origin in into:  # two paths from the same origin meet again
                        k0, s0, c0 = into[origin]
                        acc = None if acc is None or s0 is None else acc + s0
                        kinds, cites = k0 | kinds, c0 + tuple(c for c in cites if c not in c0)
                    into[origin] = (kinds, acc, cites)
        current = nxt
    fanout: dict[str, int] = {}
    for origins in current.values():
        for origin in origins:
            fanout[origin] = fanout.get(origin, 0) + 1
    out: dict[str, list[CrosswalkEntry]] = {c: [] for c in start._by_code}
    for target, origins in sorted(current.items()):
        for origin, (kinds, share, cites) in origins.items():
            partial = origin in ended  # some of its amount has no successor
            if fanout[origin] > 1 or partial:
                kind = "split"
                share = None if partial else share
            elif len(origins) > 1 or "merged" in kinds:
                kind = "merged"
            elif target != origin:
                kind = "moved"
            elif start[origin].name != end[target].name:
                kind = "renamed"
            elif "redescribed" in kinds:
                kind = "redescribed"
            else:
                kind = "same"
            out[origin].append(CrosswalkEntry(target, end[target].name, kind,
                                              share if kind == "split" else None, cites))
    return out


# -- diff ------------------------------------------------------------------

@attrs.frozen(slots=True)
class Diff:
    """The typed changes between two editions (any two, either direction)."""

    from_year: int
    to_year: int
    changes: tuple[Change, ...]
    as_of: str | None = None

    def __iter__(self) -> Iterator[Change]:
        return iter(self.changes)

    def __len__(self) -> int:
        return len(self.changes)

    def filter(self, kind: str | Iterable[str] | None = None, under: str | None = None) -> Diff:
        """Only the changes of these kinds and/or touching codes below ``under``.

        >>> import govcodes
        >>> d = govcodes.diff(2019, 2020).filter(kind="renamed", under="208")
        >>> all(c.kind == "renamed" and c.code.startswith("208") for c in d)
        True
        """
        kinds = {kind} if isinstance(kind, str) else set(kind) if kind is not None else None
        if kinds is not None and not kinds <= set(KINDS):
            raise InputError("unknown kind of change", value=", ".join(sorted(kinds - set(KINDS))),
                             expected=", ".join(KINDS))
        prefix = None if under is None else _normalized(under)
        return Diff(self.from_year, self.to_year, tuple(
            c for c in self.changes
            if (kinds is None or c.kind in kinds)
            and (prefix is None or any(x and x.startswith(prefix) for x in (c.old_code, c.new_code)))),
            self.as_of)

    def counts(self) -> dict[str, int]:
        """How many changes of each kind."""
        out = {k: 0 for k in KINDS}
        for c in self.changes:
            out[c.kind] += 1
        return {k: n for k, n in out.items() if n}


def _normalized(code: object) -> str:
    from .codes import normalize_code

    return normalize_code(code)  # type: ignore[arg-type]


def diff(a: int, b: int, as_of: object = None) -> Diff:
    """The typed changes from edition ``a`` to edition ``b`` (``a`` may be later than ``b``).

    Between consecutive editions these are the shipped records and the later
    edition's amendments (each with its ``date``); across several years they
    are composed (a rename then a move is a move; chained splits multiply their
    shares); from a later to an earlier edition every change is inverted
    (added ↔ removed, split ↔ merged).  Each edition is taken as amended to
    date; ``as_of`` (a date) takes the later of the two as it stood on that
    day, leaving out its amendments dated after it.

    >>> import govcodes
    >>> govcodes.diff(2026, 2026).changes
    ()
    >>> [(c.new_code, c.citation) for c in govcodes.diff(2024, 2025).filter(under="2170404")]
    [('2170404', '财预〔2025〕41号 2025-05-23')]
    >>> govcodes.diff(2024, 2025, as_of="2025-05-01").filter(under="2170404").changes
    ()
    """
    a, b = _check_years(a, b)
    day = None
    if as_of is not None:
        from .amendments import as_of_date

        day = as_of_date(as_of)
    if a == b:
        return Diff(a, b, (), day)
    if a > b:
        forward = diff(b, a, day)
        return Diff(a, b, tuple(sorted((c.inverse() for c in forward.changes), key=_order)), day)
    if b == a + 1:
        return Diff(a, b, tuple(sorted(step_records(a, b, day), key=_order)), day)
    return Diff(a, b, tuple(sorted(_compose(a, b, day), key=_order)), day)


def _order(c: Change) -> tuple[str, int, str]:
    return (c.code, KINDS.index(c.kind), c.new_code or "")


def _compose(a: int, b: int, as_of: str | None = None) -> list[Change]:
    from .model import edition

    start, end = edition(a), edition(b, as_of=as_of)
    maps = lineage(a, b, as_of)
    out: list[Change] = []
    reached: set[str] = set()
    for origin, targets in maps.items():
        old = start[origin]
        cls = lineage_of(origin) or ""
        if not targets and origin not in end._by_code:
            out.append(Change("removed", cls, origin, old.name, None, None, a, b,
                              citation=_cite(_step_citations(origin, a, b, as_of)), evidence="composed"))
            continue
        for m in targets:
            reached.add(m.code)
            if m.kind == "same":
                continue
            out.append(Change(m.kind, cls, origin, old.name, m.code, m.name, a, b, m.share,
                              _cite(m.citations), "composed"))
        if origin in end._by_code and all(m.code != origin for m in targets):
            if end[origin].name == old.name:  # ended, then created again under the same name
                out.append(Change("added", cls, None, None, origin, end[origin].name, a, b,
                                  citation=_cite(_step_citations(origin, a, b, as_of)), evidence="composed"))
            else:
                out.append(Change("reused", cls, origin, old.name, origin, end[origin].name, a, b,
                                  citation=_cite(_step_citations(origin, a, b, as_of)), evidence="composed"))
    for code in end._by_code:
        if code not in reached and code not in start._by_code:
            out.append(Change("added", lineage_of(code) or "", None, None, code, end[code].name, a, b,
                              citation=_cite(_step_citations(code, a, b, as_of)), evidence="composed"))
    return out


def _step_citations(code: str, a: int, b: int, as_of: str | None = None) -> tuple[str, ...]:
    steps = tuple(step_records(year, year + 1, as_of if year + 1 == b else None) for year in range(a, b))
    key = (a, b, as_of)
    cached = _citations.get(key)
    if cached is None or len(cached[0]) != len(steps) or any(x is not y for x, y in zip(cached[0], steps)):
        index: dict[str, list[str]] = {}
        for records in steps:
            for r in records:
                for c in (r.old_code, r.new_code):
                    if c is None:
                        continue
                    cites = index.setdefault(c, [])
                    if r.citation not in cites:
                        cites.append(r.citation)
        cached = _citations[key] = (steps, index)
    return tuple(cached[1].get(code, ()))


#: (a, b, as_of) -> (the step records the index was made from, code -> citations in order).
_citations: dict[tuple[int, int, str | None], tuple[tuple[tuple[Change, ...], ...], dict[str, list[str]]]] = {}


def _cite(citations: Sequence[str]) -> str:
    real = [c for c in citations if c and c != "inferred"]
    if not real:
        return "inferred"
    return "; ".join(real) + ("; inferred" if len(real) < len([c for c in citations if c]) else "")


# -- history ---------------------------------------------------------------

@attrs.frozen(slots=True)
class Event:
    """One moment in a code's life: the year it happened and the change.

    ``date`` is the amendment's date when a notice changed the code during
    the edition's year (None for a change made by the edition itself).
    """

    year: int
    kind: str
    name: str | None
    other_code: str | None
    other_name: str | None
    citation: str
    date: str | None = None


@attrs.frozen(slots=True)
class History:
    """A code's life across all editions.

    ``names`` maps each year the code exists to its name that year; ``events``
    lists what happened to it, oldest first (appeared, renamed, moved in or
    out, reused, ended …).
    """

    code: str
    names: dict[int, str]
    events: tuple[Event, ...]

    @property
    def first_year(self) -> int | None:
        """The first edition that has the code (None when none has)."""
        return min(self.names) if self.names else None

    @property
    def last_year(self) -> int | None:
        """The last edition that has the code (None when none has)."""
        return max(self.names) if self.names else None

    def spans(self) -> list[tuple[int, int, str]]:
        """Runs of consecutive editions with the same name: (first year, last year, name).

        >>> import govcodes
        >>> govcodes.history("20805").spans()
        [(2017, 2019, '行政事业单位离退休'), (2020, 2026, '行政事业单位养老支出')]
        """
        out: list[tuple[int, int, str]] = []
        for year in sorted(self.names):
            name = self.names[year]
            if out and out[-1][1] == year - 1 and out[-1][2] == name:
                out[-1] = (out[-1][0], year, name)
            else:
                out.append((year, year, name))
        return out

    def new_meanings(self, after: int, until: int) -> list[int]:
        """The years in (``after``, ``until``] in which the code took a new meaning.

        Reused in place, or ended and then given again: 30311 was 住房公积金
        until 2017, vacant, and 代缴社会保险费 from 2022.

        >>> import govcodes
        >>> govcodes.history("30311").new_meanings(2017, 2026)
        [2022]
        """
        return [e.year for e in self.events if e.kind in ("reused", "added") and after < e.year <= until]

    def timeline(self) -> list[dict[str, Any]]:
        """The spans and the events in one list, oldest first, as the history command shows them."""
        rows: list[dict[str, Any]] = []
        for first, last, name in self.spans():
            rows.append({"year": str(first) if first == last else f"{first}–{last}", "event": "present",
                         "name": name, "other_code": None, "other_name": None, "citation": None, "date": None})
        for e in self.events:
            if e.kind == "present":
                continue
            rows.append({"year": str(e.year), "event": e.kind, "name": e.name, "other_code": e.other_code,
                         "other_name": e.other_name, "citation": e.citation, "date": e.date})
        rows.sort(key=lambda r: (r["year"][:4], r["event"] != "present"))
        return rows


def history(code: object) -> History:
    """The life of ``code`` across every edition govcodes has.

    >>> import govcodes
    >>> h = govcodes.history("20805")
    >>> [e.kind for e in h.events if e.kind == "renamed"]
    ['renamed']
    """
    from .model import edition, editions

    key = _normalized(code)
    years = editions()
    names = {y: edition(y)[key].name for y in years if key in edition(y)._by_code}
    if not names:
        seen = [r for y in years[:-1] for r in step_records(y, y + 1) if key in (r.old_code, r.new_code)]
        if not seen:
            raise UnknownCodeError(key, None, [], where=f"any edition ({years[0]}–{years[-1]})")
    events: list[Event] = []
    first = min(names) if names else None
    if first is not None and first == years[0]:
        events.append(Event(first, "present", names[first], None, None, ""))
    for y in years[:-1]:
        for r in step_records(y, y + 1):
            if r.new_code == key and r.old_code != key:
                events.append(Event(y + 1, "added" if r.kind == "added" else f"{r.kind}-in", r.new_name,
                                    r.old_code, r.old_name, r.citation, r.date))
            elif r.old_code == key and r.new_code == key:
                events.append(Event(y + 1, r.kind, r.new_name, None, r.old_name, r.citation, r.date))
            elif r.old_code == key:
                events.append(Event(y + 1, "removed" if r.kind == "removed" else f"{r.kind}-out", r.old_name,
                                    r.new_code, r.new_name, r.citation, r.date))
    return History(key, names, tuple(sorted(events, key=lambda e: (e.year, e.date or ""))))


# -- crosswalk ---------------------------------------------------------------

def crosswalk(a: int, b: int) -> dict[str, list[CrosswalkEntry]]:
    """For each code of edition ``a``, the code(s) of edition ``b`` it corresponds to.

    An empty list means the code ends with no successor.  A split carries its
    share when known; otherwise ``needs_decision`` is True.  Works in either
    direction: from a later edition back, what was merged forward must be
    split back (shares unknown), and what was split forward merges back.

    >>> import govcodes
    >>> [m.code for m in govcodes.crosswalk(2017, 2018)["30311"]]
    ['30113']
    >>> [(m.code, m.kind, m.needs_decision) for m in govcodes.crosswalk(2019, 2018)["39909"]]
    [('39906', 'merged', False)]
    >>> [(m.code, m.kind, m.needs_decision) for m in govcodes.crosswalk(2026, 2025)["2210111"]]
    [('2210106', 'split', True), ('2210107', 'split', True), ('2210110', 'split', True)]
    """
    a, b = _check_years(a, b)
    found = _crosswalks.get((a, b))
    if found is None:
        found = _crosswalks[(a, b)] = _crosswalk(a, b)
    return {code: list(entries) for code, entries in found.items()}  # the caller's own copy


_crosswalks: dict[tuple[int, int], dict[str, list[CrosswalkEntry]]] = {}


def _crosswalk(a: int, b: int) -> dict[str, list[CrosswalkEntry]]:
    if a <= b:
        return lineage(a, b)
    from .model import edition

    forward = lineage(b, a)
    later, earlier = edition(a), edition(b)
    back: dict[str, list[tuple[str, CrosswalkEntry]]] = {c: [] for c in later._by_code}
    for origin, entries in forward.items():
        for m in entries:
            back[m.code].append((origin, m))
    out: dict[str, list[CrosswalkEntry]] = {}
    for code, pairs in back.items():
        entries = []
        for origin, m in sorted(pairs, key=lambda p: p[0]):
            if len(pairs) > 1 or m.kind == "merged":
                kind = "split"  # merged forward: the amount must be shared back among the sources
            elif len(forward[origin]) > 1 or m.kind == "split":
                kind = "merged"  # split forward: every part goes back to its one source
            elif origin != code:
                kind = "moved"
            elif earlier[origin].name != later[code].name:
                kind = "renamed"
            else:
                kind = m.kind
            entries.append(CrosswalkEntry(origin, earlier[origin].name, kind, None, m.citations))
        out[code] = entries
    return out


# -- verification --------------------------------------------------------------

def verify_step(from_year: int) -> list[str]:
    """Problems with the records between ``from_year`` and the next edition.

    The records must explain exactly the difference between the two editions'
    codes and names: every code that disappears, appears or changes its name
    is explained by exactly one change, every record agrees with both
    editions, and no record is listed twice.  An empty list means all is well.
    """
    from .model import edition

    a, b = edition(from_year), edition(from_year + 1)
    recs = step_records(from_year, from_year + 1)
    problems: list[str] = []
    step = f"{from_year}→{from_year + 1}"
    by_records = {c for r in edition_records(from_year, from_year + 1) for c in (r.old_code, r.new_code) if c}
    by_amendments: dict[str, str] = {}
    for r in recs:
        if r.date is None:
            continue
        for c in {r.old_code, r.new_code} - {None}:
            assert c is not None
            if c in by_records:
                problems.append(f"{step}: {c} is changed both by a record and by the amendment {r.citation}: "
                                "one change per code and step (record the later change as the amendment's)")
            if c in by_amendments and by_amendments[c] != r.citation:
                problems.append(f"{step}: {c} is changed by two amendments ({by_amendments[c]}, {r.citation})")
            by_amendments[c] = r.citation
    seen: set[tuple] = set()
    for r in recs:
        key = (r.kind, r.old_code, r.old_name, r.new_code, r.new_name)
        if key in seen:
            problems.append(f"{step}: listed twice: {r}")
        seen.add(key)
        for ed, code, name in ((a, r.old_code, r.old_name), (b, r.new_code, r.new_name)):
            if code is None:
                continue
            entry = ed.get(code)
            if entry is None or entry.name != name:
                problems.append(f"{step}: {r} — {ed.year} has {entry.name if entry else 'no'} {code}")
            elif lineage_of(code) != r.classification:
                problems.append(f"{step}: {r} — {code} is not {r.classification}")
    splits: dict[str, list[Change]] = {}
    merges: dict[str, list[Change]] = {}
    for r in recs:
        if r.kind == "split":
            splits.setdefault(r.old_code or "", []).append(r)
        elif r.kind == "merged":
            merges.setdefault(r.new_code or "", []).append(r)
    for old_code, rows in splits.items():
        if len(rows) < 2:
            problems.append(f"{step}: {old_code} is split into one code only (a move or a rename?)")
        shares = [r.share for r in rows]
        if any(x is not None for x in shares) and (None in shares or sum(shares) != 1):  # type: ignore[arg-type]
            problems.append(f"{step}: the shares of the split of {old_code} must all be given and sum to 1")
        for r in rows:
            if r.new_code != old_code and r.new_code in a._by_code:
                problems.append(f"{step}: {old_code} is split into {r.new_code}, which {from_year} already has "
                                "(a part going into an existing code is a merge into it)")
    for new_code, rows in merges.items():
        if new_code in a._by_code and all(r.old_code != new_code for r in rows):
            problems.append(f"{step}: codes are merged into {new_code}, which {from_year} already has: "
                            f"list {new_code} among the merged codes")
    old_events: dict[str, set[str]] = {}
    new_events: dict[str, set[str]] = {}
    same_code: dict[str, list[str]] = {}
    for r in recs:
        if r.kind in ("renamed", "reused", "redescribed"):
            same_code.setdefault(r.old_code or "", []).append(r.kind)
            continue
        if r.old_code:
            old_events.setdefault(r.old_code, set()).add(r.kind)
        if r.new_code and r.new_code != r.old_code:
            new_events.setdefault(r.new_code, set()).add(r.kind)
    codes_a, codes_b = set(a._by_code), set(b._by_code)
    for code in sorted(codes_a - codes_b):
        kinds = old_events.get(code, set())
        if len(kinds) != 1:
            problems.append(f"{step}: {code} {a[code].name} disappears, explained by "
                            f"{', '.join(sorted(kinds)) or 'nothing'}")
    for code in sorted(codes_b - codes_a):
        kinds = new_events.get(code, set())
        if len(kinds) != 1 and kinds != {"split", "merged"}:  # split and merged together: many to many
            problems.append(f"{step}: {code} {b[code].name} appears, explained by "
                            f"{', '.join(sorted(kinds)) or 'nothing'}")
    for code in sorted(codes_a & codes_b):
        names_kinds = [k for k in same_code.get(code, []) if k != "redescribed"]
        renamed = a[code].name != b[code].name
        keeps = any(r.old_code == code and r.new_code == code for r in recs if r.kind in ("split", "merged"))
        if renamed and not names_kinds and keeps:
            pass  # a split or merge that keeps the code under a new name explains the name
        elif renamed and len(names_kinds) != 1:
            problems.append(f"{step}: {code} {a[code].name} → {b[code].name} explained by "
                            f"{', '.join(names_kinds) or 'nothing'}")
        if not renamed and names_kinds:
            problems.append(f"{step}: {code} keeps its name {a[code].name} but is recorded as {', '.join(names_kinds)}")
        if "reused" not in names_kinds:
            for kind in old_events.get(code, set()) - {"split", "merged"}:
                problems.append(f"{step}: {code} stays (not reused) but is recorded as {kind}")
            if old_events.get(code, set()) & {"split", "merged"} and not keeps:
                problems.append(f"{step}: {code} stays but is split/merged away without keeping its code")
        arriving = new_events.get(code, set()) & {"added", "moved"}
        if arriving and "reused" not in names_kinds:
            problems.append(f"{step}: {code} exists in both editions but is recorded as appearing "
                            f"({', '.join(sorted(arriving))}); moving into an existing code is a merge")
    return problems
