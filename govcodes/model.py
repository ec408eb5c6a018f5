"""Editions, codes and the evidence behind each entry.

>>> import govcodes
>>> ed = govcodes.edition(2026)
>>> code = ed["2080101"]
>>> code.name, code.level, code.parent.code
('行政运行', '项', '20801')
>>> code.full_name
'社会保障和就业支出/人力资源和社会保障管理事务/行政运行'
>>> [c.code for c in code.ancestors]
['20801', '208']
>>> ed.get("9999999") is None
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

import os

from . import _data
from .codes import (CLASSIFICATION_NAMES, CLASSIFICATIONS, ECONOMIC, ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT,
                    FUNCTIONAL, LEVELS, REVENUE, classification_of, classifications_in, classifications_meant,
                    first_digits, is_local_extension, lengths_of, parent_of)
from .errors import DataError, InputError, InvalidCodeError, UnknownCodeError, UnknownEditionError

if TYPE_CHECKING:
    from .amendments import Amendment
    from .frames import Frame
    from .search import Match

__all__ = [
    "FUNCTIONAL",
    "ECONOMIC",
    "ECONOMIC_DEPARTMENT",
    "ECONOMIC_GOVERNMENT",
    "REVENUE",
    "CLASSIFICATIONS",
    "CLASSIFICATION_NAMES",
    "Provenance",
    "Code",
    "Correspondence",
    "Edition",
    "editions",
    "edition",
]

ATTESTED = "attested"
OFFICIAL = "official"
COMPILED = "compiled"
#: An entry a user supplied: a budget system's code list, or a local extension.
USER = "user"
PROVENANCE_KINDS = (ATTESTED, OFFICIAL, COMPILED, USER)

#: Unit kinds of the 对照表; "*" means the mapping holds for every kind of unit.
UNIT_KINDS = ("机关", "事业单位", "*")


class _Record:
    """An immutable record of named fields, compared and hashed by ``_eq`` of them.

    The classes an edition is made of are plain slotted classes rather than attrs classes: importing attrs
    costs two fifths of a cold lookup (``import govcodes; govcodes.edition(2026)['2080101']``), which loads
    nothing else of it.  They behave as frozen attrs classes do: equal by value, hashable, immutable.
    """

    __slots__ = ()
    _fields: tuple[str, ...] = ()
    _eq: tuple[str, ...] = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")

    def _set(self, *values: Any) -> None:
        """Set the fields, in order (what ``__init__`` does)."""
        for name, value in zip(self._fields, values):
            object.__setattr__(self, name, value)

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._eq)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._key() == other._key()  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, *self._key()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self._eq)})"

    def __getstate__(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._fields)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self._set(*state)


class Provenance(_Record):
    """Where an entry comes from.

    ``kind`` is ``attested`` (printed with this name in real documents of the
    edition's year: ``documents`` of them, out of ``printed`` documents that
    print the code), ``official`` (stated in the notice or edition text named
    by ``source``), ``compiled`` (from the compilers' knowledge of the
    official edition, not yet backed by evidence) or ``user`` (supplied by the
    user: a budget system's code list, a local extension; ``source`` names
    the file).
    """

    __slots__ = ("kind", "source", "documents", "printed", "note")
    _fields = _eq = __slots__
    kind: str
    source: str | None
    documents: int | None
    printed: int | None
    note: str

    def __init__(self, kind: str, source: str | None = None, documents: int | None = None,
                 printed: int | None = None, note: str = "") -> None:
        self._set(kind, source, documents, printed, note)

    @classmethod
    def parse(cls, kind: str, evidence: str, where: str = "") -> Provenance:
        """Read the ``source``/``evidence`` columns of a data file.

        >>> Provenance.parse("attested", "function_2026 59/59")
        Provenance(kind='attested', source='attestations/function_2026.tsv', documents=59, printed=59, note='')
        >>> Provenance.parse("compiled", "").kind
        'compiled'
        """
        if kind == ATTESTED:
            try:
                stem, counts = evidence.split(" ", 1)
                documents, printed = (int(n) for n in counts.split("/", 1))
            except ValueError:
                raise DataError(
                    f"{where}: attested evidence must read 'FILE N/M', got {evidence!r}"
                ) from None
            source = f"{stem}.tsv" if "/" in stem else f"attestations/{stem}.tsv"
            return cls(ATTESTED, source, documents, printed)
        if kind == OFFICIAL:
            if not evidence:
                raise DataError(f"{where}: an official entry must cite its source")
            return cls(OFFICIAL, evidence)
        if kind == COMPILED:
            return cls(COMPILED, None, note=evidence)
        if kind == USER:
            return cls(USER, evidence or None)
        raise DataError(f"{where}: source must be one of {', '.join(PROVENANCE_KINDS)}, got {kind!r}")

    def __str__(self) -> str:
        """One line for people.

        >>> str(Provenance.parse("attested", "function_2026 59/60"))
        'attested: printed with this name in 59 of 60 documents (attestations/function_2026.tsv)'
        """
        if self.kind == ATTESTED:
            return (
                f"attested: printed with this name in {self.documents} of {self.printed} "
                f"documents ({self.source})"
            )
        if self.kind == OFFICIAL:
            return f"official: {self.source}"
        if self.kind == USER:
            return "user: supplied by the user" + (f" ({self.source})" if self.source else "")
        return "compiled: not yet verified" + (f" ({self.note})" if self.note else "")


class Correspondence(_Record):
    """One row of the 对照表: a department 款 and its government 款 for a kind of unit."""

    __slots__ = ("department", "government", "unit", "provenance")
    _fields = _eq = __slots__
    department: str
    government: str
    unit: str
    provenance: Provenance

    def __init__(self, department: str, government: str, unit: str, provenance: Provenance) -> None:
        self._set(department, government, unit, provenance)


class Code(_Record):
    """One entry of an edition: a 类, 款 or 项 with its name and evidence.

    Codes are immutable and compare equal when year, classification, code
    and name are equal.  The tree is walked through ``parent``,
    ``children``, ``ancestors`` and :meth:`descendants`.
    """

    __slots__ = ("code", "name", "classification", "year", "_source", "_evidence", "_edition")
    _fields = __slots__
    _eq = ("code", "name", "classification", "year")
    code: str
    name: str
    classification: str
    year: int
    _source: str
    _evidence: str
    _edition: Edition

    def __init__(self, code: str, name: str, classification: str, year: int, source: str, evidence: str,
                 edition: Edition) -> None:
        self._set(code, name, classification, year, source, evidence, edition)

    def __repr__(self) -> str:
        return f"Code({self.code!r}, {self.name!r}, year={self.year})"

    @property
    def provenance(self) -> Provenance:
        """Where this entry comes from: attested, official or compiled (see :class:`Provenance`)."""
        return Provenance.parse(self._source, self._evidence, f"{self.year} {self.code}")

    @property
    def level(self) -> str:
        """类, 款 or 项 (目 for 9-digit revenue codes)."""
        return LEVELS[len(self.code)]

    @property
    def depth(self) -> int:
        """0 for a 类, 1 for a 款, 2 for a 项."""
        return (len(self.code) - 3) // 2

    @property
    def parent(self) -> Code | None:
        """The code one level up, or None for a 类."""
        p = parent_of(self.code)
        return self._edition._by_code.get(p) if p else None

    @property
    def children(self) -> tuple[Code, ...]:
        """The codes one level down, in code order."""
        return self._edition._tree()[0].get(self.code, ())

    @property
    def ancestors(self) -> tuple[Code, ...]:
        """Parent, grandparent, … up to the 类 (nearest first)."""
        out = []
        node = self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return tuple(out)

    def descendants(self) -> Iterator[Code]:
        """Every code below this one, depth first, in code order.

        >>> import govcodes
        >>> [c.code for c in govcodes.edition(2026)["20805"].descendants()][:2]
        ['2080501', '2080502']
        """
        for child in self.children:
            yield child
            yield from child.descendants()

    @property
    def path(self) -> tuple[str, ...]:
        """The names from the 类 down to this code."""
        return tuple(c.name for c in reversed(self.ancestors)) + (self.name,)

    @property
    def full_name(self) -> str:
        """The path joined with ``/``: 社会保障和就业支出/人力资源和社会保障管理事务/行政运行."""
        return "/".join(self.path)

    @property
    def description(self) -> str | None:
        """The 说明 of the code, where the data have one."""
        return self._edition._description(self.code)

    @property
    def counterparts(self) -> tuple[Correspondence, ...]:
        """For a department economic 款: its rows of the 对照表."""
        return self._edition._counterparts(self.code)

    def government(self, unit: str = "机关") -> Code | None:
        """For a department economic 款, the government economic 款 it maps to.

        The 对照表 depends on the kind of unit: 机关 (default) or 事业单位.

        >>> import govcodes
        >>> govcodes.edition(2026)["30101"].government().code
        '50101'
        >>> govcodes.edition(2026)["30101"].government("事业单位").code
        '50501'
        """
        if unit not in UNIT_KINDS:
            raise InputError("unknown kind of unit", value=unit, expected=" or ".join(UNIT_KINDS))
        if not self.counterparts and is_local_extension(self.code) and self.parent is not None:
            return self.parent.government(unit)  # a local sub-code maps as its national 款
        fallback = None
        for row in self.counterparts:
            if row.unit == unit:
                return self._edition._by_code.get(row.government)
            if row.unit == "*":
                fallback = row.government
        return self._edition._by_code.get(fallback) if fallback else None


class Edition:
    """One yearly edition of the classification, all of its parts.

    ``edition[code]`` returns a :class:`Code` or raises
    :class:`~govcodes.UnknownCodeError`; :meth:`get` returns None instead.
    Codes are accepted in every printed form (see
    :func:`govcodes.normalize_code`).  Iteration is in code order.

    >>> import govcodes
    >>> ed = govcodes.edition(2026)
    >>> ed["[2080101]行政运行"].code
    '2080101'
    >>> "2080101" in ed, 2080101 in ed, "abc" in ed
    (True, True, False)
    """

    __slots__ = ("year", "_meta", "_by_code", "_children", "_roots",
                 "_correspondence", "_correspondence_of", "_descriptions", "_search_index", "_as_of")

    def __init__(self, year: int, codes: Iterable[tuple[str, str, str, str, str]],
                 correspondence: Sequence[Correspondence] | None = None,
                 meta: dict[str, Any] | None = None, as_of: str | None = None) -> None:
        self.year = year
        self._as_of = as_of
        self._meta = meta
        by_code: dict[str, Code] = {}
        make = _make_code
        for code, name, classification, source, evidence in sorted(codes):
            if code in by_code:
                raise DataError(f"edition {year}: code {code} is listed twice")
            by_code[code] = make(code, name, classification, year, source, evidence, self)
        self._by_code = by_code
        self._children: dict[str, tuple[Code, ...]] | None = None  # the tree, built when first walked
        self._roots: tuple[Code, ...] = ()
        self._correspondence = None if correspondence is None else tuple(correspondence)
        self._correspondence_of: dict[str, tuple[Correspondence, ...]] | None = None
        self._descriptions: dict[str, str] | None = None
        self._search_index: object = None

    @property
    def meta(self) -> dict[str, Any]:
        """The edition's metadata (``edition.json``): title, sources, amendments."""
        if self._meta is None:
            import json

            text = _read(self.year, "edition.json")
            self._meta = json.loads(text) if text else {}
        return self._meta

    @property
    def title(self) -> str:
        """The edition's title, e.g. 2026年政府收支分类科目."""
        return str(self.meta.get("title") or f"{self.year}年政府收支分类科目")

    @property
    def as_of(self) -> str | None:
        """The date this edition is taken as of (its later amendments undone), or None: as amended to date."""
        return self._as_of

    @property
    def label(self) -> str:
        """How messages name this edition: ``the 2025 edition`` or ``the 2025 edition as of 2025-05-01``."""
        return f"the {self.year} edition" + (f" as of {self._as_of}" if self._as_of else "")

    def amended_later(self, code: str) -> Amendment | None:
        """For an edition taken as of a date: the later amendment of its year that adds or changes ``code``.

        >>> import govcodes
        >>> govcodes.edition(2025, as_of="2025-05-01").amended_later("2170404").citation
        '财预〔2025〕41号 2025-05-23'
        """
        if self._as_of is None:
            return None
        from .amendments import amendments

        return next((a for a in amendments(self.year)
                     if a.date > self._as_of and code in (a.old_code, a.new_code)), None)

    @property
    def amendments(self) -> tuple[Amendment, ...]:
        """The dated amendments (修订, 增补) this edition includes, oldest first.

        >>> import govcodes
        >>> {a.document for a in govcodes.edition(2025).amendments}
        {'财预〔2025〕41号'}
        >>> govcodes.edition(2025, as_of="2025-05-01").amendments
        ()
        """
        from .amendments import amendments

        found = amendments(self.year)
        return found if self._as_of is None else tuple(a for a in found if a.date <= self._as_of)

    # -- mapping protocol -------------------------------------------------
    def get(self, code: object, default: Code | None = None) -> Code | None:
        """The :class:`Code` for ``code`` (any printed form), or ``default``.

        >>> import govcodes
        >>> govcodes.edition(2026).get("2080101").name
        '行政运行'
        """
        try:
            return self._by_code[code]  # type: ignore[index]
        except (KeyError, TypeError):
            pass
        if type(code) is str and code.isascii() and code.isdigit():
            return default  # already a bare code: there is nothing to normalise
        from .codes import normalize_code

        try:
            return self._by_code.get(normalize_code(code), default)
        except InvalidCodeError:
            return default

    def __getitem__(self, code: object) -> Code:
        try:
            return self._by_code[code]  # type: ignore[index]
        except (KeyError, TypeError):
            pass
        from .codes import normalize_code

        key = normalize_code(code)  # type: ignore[arg-type]
        found = self._by_code.get(key)
        if found is None:
            raise UnknownCodeError(key, self.year, self._suggest(key, code), where=self.label)
        return found

    def __contains__(self, code: object) -> bool:
        return self.get(code) is not None

    def __iter__(self) -> Iterator[Code]:
        return iter(self._by_code.values())

    def __len__(self) -> int:
        return len(self._by_code)

    def __repr__(self) -> str:
        when = f" as of {self._as_of}" if self._as_of else ""
        return f"<Edition {self.year}{when}: {len(self)} codes>"

    # -- views ------------------------------------------------------------
    def codes(self, classification: str | None = None, level: str | None = None) -> tuple[Code, ...]:
        """The codes of one classification and/or level, in code order.

        >>> import govcodes
        >>> [c.code for c in govcodes.edition(2026).codes("economic-department", "类")][:3]
        ['301', '302', '303']
        """
        if classification is not None and classification not in CLASSIFICATIONS:
            raise InputError("unknown classification", value=classification, expected=", ".join(CLASSIFICATIONS))
        meant = classifications_meant(classification, self.year)
        return tuple(
            c for c in self._by_code.values()
            if (meant is None or c.classification in meant)
            and (level is None or c.level == level)
        )

    def roots(self, classification: str | None = None) -> tuple[Code, ...]:
        """The 类 of one classification (all 类 when None; ``economic``: both economic sets from 2018), in
        code order."""
        roots = self._tree()[1]
        meant = classifications_meant(classification, self.year)
        return tuple(c for c in roots if meant is None or c.classification in meant)

    def walk(self, code: object = None, depth: int | None = None, classification: str | None = None
             ) -> list[tuple[Code, int]]:
        """The tree below ``code`` (every 类 when None), depth first: (code, depth below the top).

        ``depth`` limits how many levels below the top are given.

        >>> import govcodes
        >>> [(c.code, d) for c, d in govcodes.edition(2026).walk("20805", depth=1)][:3]
        [('20805', 0), ('2080501', 1), ('2080502', 1)]
        """
        if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int) or depth < 0):
            raise InputError("depth is a number of levels", value=depth, expected="0 or more")
        starts = [self[code]] if code is not None else list(self.roots(classification))
        out: list[tuple[Code, int]] = []

        def down(node: Code, d: int) -> None:
            out.append((node, d))
            if depth is None or d < depth:
                for child in node.children:
                    down(child, d + 1)

        for start in starts:
            down(start, 0)
        return out

    def summary(self) -> dict[str, Any]:
        """The edition in numbers: year, title, entries per classification and per provenance kind.

        >>> import govcodes
        >>> s = govcodes.edition(2026).summary()
        >>> s["year"], s["functional"] > 1000, s["attested"] + s["official"] + s["compiled"] == len(govcodes.edition(2026))
        (2026, True, True)
        """
        counts = self.provenance_counts()
        row: dict[str, Any] = {"year": self.year, "title": self.title}
        for cls in self.classifications:
            row[cls] = sum(n for (c, _, _), n in counts.items() if c == cls)
        for kind in PROVENANCE_KINDS:
            row[kind] = sum(n for (_, _, k), n in counts.items() if k == kind)
        return row

    @property
    def classifications(self) -> tuple[str, ...]:
        """The classifications this edition has, in the order of CLASSIFICATIONS."""
        present = {c.classification for c in self._tree()[1]}
        return tuple(c for c in CLASSIFICATIONS if c in present)

    @property
    def correspondence(self) -> tuple[Correspondence, ...]:
        """The 对照表 from department to government economic 款 (2018 onwards)."""
        if self._correspondence is None:
            self._correspondence = _load_correspondence(self.year)
        return self._correspondence

    def _counterparts(self, code: str) -> tuple[Correspondence, ...]:
        if self._correspondence_of is None:
            corr: dict[str, list[Correspondence]] = {}
            for row in self.correspondence:
                corr.setdefault(row.department, []).append(row)
            self._correspondence_of = {k: tuple(v) for k, v in corr.items()}
        return self._correspondence_of.get(code, ())

    def provenance_counts(self) -> dict[tuple[str, str, str], int]:
        """How many entries per (classification, level, provenance kind)."""
        counts: dict[tuple[str, str, str], int] = {}
        for c in self._by_code.values():
            key = (c.classification, c.level, c._source)
            counts[key] = counts.get(key, 0) + 1
        return counts

    # -- dimension tables (govcodes.dimensions) ------------------------------
    def table(self, name: str = "codes") -> Frame:
        """A dimension table of this edition: codes, closure or correspondence (see :mod:`govcodes.dimensions`).

        >>> import govcodes
        >>> t = govcodes.edition(2026).table("closure")
        >>> t.columns, t.rows[:2]
        (('ancestor', 'descendant', 'depth'), [('101', '101', 0), ('10101', '10101', 0)])
        """
        from .dimensions import dimension_table

        return dimension_table(name, self)

    def to_arrow(self, table: str = "codes") -> Any:
        """A dimension table as a ``pyarrow.Table`` (``pip install 'govcodes[arrow]'``)."""
        return self.table(table).to_arrow()

    def to_pandas(self, table: str = "codes") -> Any:
        """A dimension table as a pandas DataFrame (``pip install 'govcodes[pandas]'``)."""
        return self.table(table).to_pandas()

    def to_polars(self, table: str = "codes") -> Any:
        """A dimension table as a polars DataFrame (``pip install 'govcodes[polars]'``)."""
        return self.table(table).to_polars()

    # -- search -----------------------------------------------------------
    def search(self, text: str, under: object = None, classification: str | None = None,
               limit: int | None = 20) -> list[Match]:
        """Codes whose name (or code) matches ``text``, best first.

        Exact names rank first, then prefixes, substrings, and near misses
        (typos and PDF line-wrap spaces are tolerated).  Latin letters are
        matched against the names' pinyin, in full or by initials; traditional
        characters are read as simplified ones.

        >>> import govcodes
        >>> ed = govcodes.edition(2026)
        >>> ed.search("人力资源和社会保 障管理事务")[0].code.code
        '20801'
        >>> ed.search("劳动关系的维权")[0].code.code
        '2080110'
        >>> ed.search("xzyx", under="20801")[0].code.code, ed.search("衛生健康支出")[0].code.code
        ('2080101', '210')
        """
        from .search import search

        return search(self, text, under=under, classification=classification, limit=limit)

    def find(self, name: str, under: object = None) -> Code:
        """The one code with this name (optionally below ``under``).

        A name may carry its parents: ``人力资源和社会保障管理事务/行政运行``.
        Raises :class:`~govcodes.AmbiguousNameError` when several codes have
        the name and :class:`~govcodes.UnknownCodeError` when none has.

        >>> import govcodes
        >>> ed = govcodes.edition(2026)
        >>> ed.find("行政运行", under="20801").code
        '2080101'
        >>> ed.find("行政运行")
        Traceback (most recent call last):
        ...
        govcodes.errors.AmbiguousNameError: '行政运行' names ... codes (...); give the parent with under=... or use the code
        """
        from .search import find

        return find(self, name, under=under)

    # -- internals --------------------------------------------------------
    def _tree(self) -> tuple[dict[str, tuple[Code, ...]], tuple[Code, ...]]:
        """Children by parent code, and the 类: built on first use (a cold lookup needs neither)."""
        if self._children is None:
            children: dict[str, list[Code]] = {}
            roots: list[Code] = []
            for code, entry in self._by_code.items():
                if len(code) > 3:
                    children.setdefault(code[:-2], []).append(entry)
                else:
                    roots.append(entry)
            self._roots = tuple(roots)
            self._children = {k: tuple(v) for k, v in children.items()}
        return self._children, self._roots

    def _suggest(self, key: str, original: object) -> list[str]:
        from .search import suggest

        return suggest(self, key, original)

    def _description(self, code: str) -> str | None:
        if self._descriptions is None:
            text = _read(self.year, "descriptions.tsv", optional=True)
            self._descriptions = {} if text is None else {
                row["code"]: row["description"]
                for _, row in _data.parse_tsv(text, _where(self.year, "descriptions.tsv"), ("code", "description"))
            }
        return self._descriptions.get(code)


# -- loading ---------------------------------------------------------------

def _code_maker() -> Any:
    """``Code(...)`` for loading an edition, setting the slots directly.

    The ``__init__`` goes through ``object.__setattr__`` by name for each
    field; on a cold lookup that is a tenth of the time spent loading.
    The result equals ``Code(...)`` (a test checks it).
    """
    new = object.__new__
    s0, s1, s2, s3, s4, s5, s6 = (getattr(Code, name).__set__ for name in Code._fields)

    def make(code: str, name: str, classification: str, year: int, source: str, evidence: str,
             edition: Edition) -> Code:
        entry = new(Code)
        s0(entry, code)
        s1(entry, name)
        s2(entry, classification)
        s3(entry, year)
        s4(entry, source)
        s5(entry, evidence)
        s6(entry, edition)
        return entry

    return make


_make_code = _code_maker()

#: The data file of each classification in an edition's folder.
FILES = {classification: f"{classification}.tsv" for classification in CLASSIFICATIONS}
_cache: dict[Any, Edition] = {}
_years: tuple[int, ...] | None = None
_shipped: tuple[int, ...] | None = None


def shipped_editions() -> tuple[int, ...]:
    """The years of the editions shipped with govcodes, ascending."""
    global _shipped
    if _shipped is None:
        _shipped = tuple(sorted(int(n) for n in _data.list_dir("editions") if n.isdigit()))
    return _shipped


def editions() -> tuple[int, ...]:
    """The years govcodes has an edition for, ascending: shipped, and supplied by the user.

    >>> import govcodes
    >>> 2026 in govcodes.editions()
    True
    """
    global _years
    if _years is None:
        from .user import user_years

        _years = tuple(sorted(set(shipped_editions()) | set(user_years())))
    return _years


def reset_caches() -> None:
    """Forget every edition loaded (after a user edition was added or removed)."""
    global _years, _years_of
    from . import amendments

    _cache.clear()
    _as_of_cache.clear()
    amendments._cache.clear()
    _years = None
    _years_of = None


def _user_folder(year: int) -> Any:
    from .user import user_folder

    return user_folder(year)


def _read(year: int, name: str, optional: bool = False, user: object = ...) -> str | None:
    """A file of the edition of ``year``: the user's edition when there is one (``user``: its folder, when
    known), else the shipped one."""
    if (_user_folder(year) if user is ... else user) is not None:
        from .user import read_text

        return read_text(year, name, optional)
    return _data.read_text("editions", str(year), name, optional=optional)


def _where(year: int, name: str, user: object = ...) -> str:
    folder = _user_folder(year) if user is ... else user
    return os.path.join(str(folder), name) if folder is not None else _data.data_path("editions", str(year), name)


_years_of: dict[str, tuple[int, ...]] | None = None


def _extended(base: Edition, extensions: object) -> Edition:
    """``base`` with a file of local codes layered on it, cached while the file is unchanged."""
    from .extensions import extend

    if isinstance(extensions, (str, os.PathLike)):
        path = os.fspath(extensions)
        try:
            stat = os.stat(path)
        except OSError:
            stat = None
        key: Any = ("extensions", base.year, id(base), os.path.abspath(path),
                    stat.st_mtime_ns if stat else None, stat.st_size if stat else None)
    elif isinstance(extensions, (bytes, bytearray)):
        key = ("extensions", base.year, id(base), bytes(extensions))
    else:
        return extend(base, extensions)
    found = _cache.get(key)
    if found is None:
        found = _cache[key] = extend(base, extensions)
    return found


def years_of(code: str) -> tuple[int, ...]:
    """The years of the shipped editions that have ``code`` (a bare code), ascending.

    >>> years_of("2109901")[:2], years_of("9999999")
    ((2017, 2018), ())
    """
    global _years_of
    if _years_of is None:
        index: dict[str, list[int]] = {}
        for year in editions():
            for c in edition(year)._by_code:
                index.setdefault(c, []).append(year)
        _years_of = {c: tuple(ys) for c, ys in index.items()}
    return _years_of.get(code, ())


def _load(year: int) -> Edition:
    folder = str(year)
    classifications = classifications_in(year)
    user = _user_folder(year)
    if user is not None:
        import json

        meta = json.loads(_read(year, "edition.json", user=user) or "{}")
        classifications = tuple(c for c in CLASSIFICATIONS if c in meta.get("classifications", ()))
    elif not _data.exists("editions", folder, "edition.json"):
        raise DataError(f"{_data.data_path('editions', folder, 'edition.json')} is missing")
    entries: list[tuple[str, str, str, str, str]] = []
    for classification in classifications:
        filename = FILES[classification]
        text = _read(year, filename, user=user)
        assert text is not None
        entries.extend(parse_classification(text, classification, year, _where(year, filename, user)))
    return Edition(year, entries)


def parse_classification(text: str, classification: str, year: int, where_file: str
                         ) -> list[tuple[str, str, str, str, str]]:
    """The entries of a classification file: (code, name, classification, source, evidence).

    Raises :class:`~govcodes.DataError` naming the file and line of a code
    that is not of the classification, or an unknown source.
    """
    lengths = lengths_of(classification)
    digit = first_digits(classification)
    of_year = classification_of(digit, year) == classification  # 3… is economic before the reform
    kinds = frozenset(PROVENANCE_KINDS)
    entries: list[tuple[str, str, str, str, str]] = []
    append = entries.append
    header = None
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line or line[0] == "#":
            continue
        cells = line.split("\t")
        if header is None:
            if cells[:4] != ["code", "name", "source", "evidence"]:
                raise DataError(f"{where_file}:{lineno}: the header must start code, name, source, evidence")
            header = cells
            continue
        if len(cells) < 4:
            cells += [""] * (4 - len(cells))
        code, name, source, evidence = cells[0], cells[1], cells[2], cells[3]
        if not (of_year and code[:1] == digit and len(code) in lengths and code.isdigit() and code.isascii()):
            raise DataError(f"{where_file}:{lineno}: {code!r} is not a {classification} code")
        if not name:
            raise DataError(f"{where_file}:{lineno}: {code} has no name")
        if source not in kinds:
            raise DataError(f"{where_file}:{lineno}: source must be one of "
                            f"{', '.join(PROVENANCE_KINDS)}, got {source!r}")
        append((code, name, classification, source, evidence))
    if header is None:
        raise DataError(f"{where_file}: no header line")
    return entries


def _load_correspondence(year: int) -> tuple[Correspondence, ...]:
    if ECONOMIC_DEPARTMENT not in classifications_in(year):
        return ()  # one economic classification: no 对照表
    correspondence = []
    where_file = _where(year, "correspondence.tsv")
    text = _read(year, "correspondence.tsv", optional=_user_folder(year) is not None) or ""
    for lineno, row in _data.parse_tsv(text, where_file,
                                       ("department", "government", "unit", "source", "evidence")):
        where = f"{where_file}:{lineno}"
        if row["unit"] not in UNIT_KINDS:
            raise DataError(f"{where}: unit must be one of {', '.join(UNIT_KINDS)}, got {row['unit']!r}")
        correspondence.append(Correspondence(row["department"], row["government"], row["unit"],
                                             Provenance.parse(row["source"], row["evidence"], where)))
    return tuple(correspondence)


def edition(year: int | str | None = None, as_of: object = None, *, extensions: object = None) -> Edition:
    """The edition of ``year`` (the latest when omitted), as amended to date, loaded once and cached.

    ``as_of`` (a date, ``"YYYY-MM-DD"`` or ``datetime.date``) gives the
    edition as it stood on that day: its amendments dated after it undone
    (see :mod:`govcodes.amendments`).

    Editions the user imported (:func:`govcodes.load_edition`) are found like
    the shipped ones.  ``extensions`` is a file of local codes (地方增设科目)
    to layer on the edition (see :mod:`govcodes.extensions`).

    >>> import govcodes
    >>> govcodes.edition(2026).year
    2026
    >>> govcodes.edition().year == govcodes.editions()[-1]
    True
    >>> govcodes.edition(2025, as_of="2025-05-01")
    <Edition 2025 as of 2025-05-01: ... codes>
    """
    if extensions is not None:
        return _extended(edition(year, as_of), extensions)
    if year is None:
        available = editions()
        if not available:
            raise DataError("no editions are installed (data/editions is empty)")
        year = available[-1]
    if isinstance(year, bool) or not (isinstance(year, int) or (isinstance(year, str) and year.strip().isdigit())):
        raise UnknownEditionError(year, editions())
    key = int(year)
    found = _cache.get(key)
    if found is None:
        if key not in editions():
            raise UnknownEditionError(year, editions())
        found = _cache[key] = _load(key)
    if as_of is not None:
        return _as_of(found, as_of)
    return found


def code_set(year: int) -> Any:
    """The codes of the edition of ``year`` as amended to date (a set-like view), without making its
    :class:`Code` objects when the edition is not loaded yet: what the steps between editions need.

    >>> "2080101" in code_set(2019) and "2170404" not in code_set(2024)
    True
    """
    found = _cache.get(year)
    if found is not None:
        return found._by_code.keys()
    if year not in editions():
        raise UnknownEditionError(year, editions())
    user = _user_folder(year)
    if user is not None:
        return edition(year)._by_code.keys()
    if not _data.exists("editions", str(year), "edition.json"):
        raise DataError(f"{_data.data_path('editions', str(year), 'edition.json')} is missing")
    codes: set[str] = set()
    for classification in classifications_in(year):  # (the files read as an edition reads them, checked)
        filename = FILES[classification]
        text = _read(year, filename, user=None)
        assert text is not None
        codes.update(entry[0] for entry in parse_classification(text, classification, year,
                                                                 _where(year, filename, None)))
    return frozenset(codes)


# -- amendments: an edition as it stood on a date -----------------------------------

_as_of_cache: dict[tuple[int, str], Edition] = {}


def _as_of(amended: Edition, as_of: object) -> Edition:
    """``amended`` with its amendments dated after ``as_of`` undone (``amended`` itself when there are none)."""
    from .amendments import amendments, as_of_date, undo

    day = as_of_date(as_of)
    undone = [a for a in amendments(amended.year) if a.date > day]
    if not undone:
        return amended
    key = (amended.year, day)
    found = _as_of_cache.get(key)
    if found is not None:
        return found
    entries = {c.code: (c.name, c.classification, c._source, c._evidence) for c in amended}
    problems: list[str] = []
    for date in sorted({a.date for a in undone}, reverse=True):  # latest first
        group = [a for a in undone if a.date == date]
        before = undo(entries, group, amended.year, problems, where=f"{amended.year} amendments of {date}")
        for code, entry in before.items():
            if entries.get(code) != entry:  # restored by undoing the amendment: the notice states it
                a = next(a for a in group if a.old_code == code)
                before[code] = (entry[0], entry[1], *_restored_provenance(a))
        entries = before
    if problems:
        raise DataError(f"the amendments of {amended.year} do not agree with its edition: " + "; ".join(problems))
    correspondence = [row for row in amended.correspondence if row.department in entries and row.government in entries]
    found = _as_of_cache[key] = Edition(amended.year, [(c, *e) for c, e in entries.items()],
                                        correspondence, as_of=day)
    return found


def _restored_provenance(amendment: Amendment) -> tuple[str, str]:
    """The provenance of an entry an amendment changed, as it was before the amendment."""
    if amendment.source == OFFICIAL:
        return OFFICIAL, f"{amendment.citation}: the entry before the notice's {amendment.kind}"
    return COMPILED, f"the entry before {amendment.citation} ({amendment.kind}; {amendment.source})"
