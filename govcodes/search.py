"""Name search: exact, prefix, substring, typo-tolerant, by pinyin and in traditional characters (internal).

Used through :meth:`govcodes.Edition.search` and :meth:`govcodes.Edition.find`.

A query of Latin letters is matched against the pinyin of the names, in
full (``xingzhengyunxing``) or by initials (``xzyx``); a query in traditional
characters (``衛生健康``, ``醫療``) is read in simplified characters.  Both
come from ``data/search/`` (made by ``tools/build_search_data.py`` when the
data is built), read on the first search that needs them: nothing is
computed at import or query time.

>>> import govcodes
>>> ed = govcodes.edition(2026)
>>> [(m.code.name, m.how) for m in ed.search("xzyx", limit=2)]
[('行政运行', 'pinyin'), ('行政运行', 'pinyin')]
>>> ed.search("衛生健康支出")[0].code.code
'210'
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

import attrs

from .errors import AmbiguousNameError, InputError, InvalidCodeError, UnknownCodeError
from .codes import classifications_meant, normalize_code, normalize_name, split_code_name

if TYPE_CHECKING:
    from .model import Code, Edition

__all__ = ["Match", "search", "find", "suggest", "codes_named", "namesakes", "misnamed"]

#: How a match was made, best first (a pinyin match ranks as the exact, prefix or substring match it is).
HOW = ("code", "exact", "prefix", "substring", "fuzzy", "pinyin")
_SCORE = {"code": 1.0, "exact": 1.0, "prefix": 0.9, "substring": 0.8}
#: A near miss must be at least this similar (difflib ratio) to be offered.
FUZZY_CUTOFF = 0.75


@attrs.frozen(slots=True)
class Match:
    """One search hit: the code, a score in (0, 1] and how it matched."""

    code: Code
    score: float
    how: str


_pinyin: dict[str, tuple[str, str]] = {}
_traditional: dict[int, str] = {}


def pinyin_table() -> dict[str, tuple[str, str]]:
    """{name: (pinyin without spaces, initials)} of every name of every edition (read once)."""
    if not _pinyin:
        from ._data import read_tsv

        for _, row in read_tsv("search", "pinyin.tsv", required=("name", "pinyin", "initials")):
            _pinyin[row["name"]] = (row["pinyin"].replace(" ", ""), row["initials"])
    return _pinyin


def simplified(text: str) -> str:
    """``text`` with the traditional characters (and their variants) of the names in simplified form.

    >>> simplified("衛生健康"), simplified("醫療"), simplified("行政运行")
    ('卫生健康', '医疗', '行政运行')
    """
    if text.isascii():
        return text
    if not _traditional:
        from ._data import read_tsv

        for _, row in read_tsv("search", "traditional.tsv", required=("traditional", "simplified")):
            _traditional[ord(row["traditional"])] = row["simplified"]
    return text.translate(_traditional)


def _pinyin_query(query: str) -> str | None:
    """The query as pinyin letters (``xzyx``, ``xing'zheng``), or None when it is not one."""
    letters = query.lower().replace("'", "")
    return letters if letters.isascii() and letters.isalpha() else None


def _index(edition: Edition) -> list[tuple[str, Code]]:
    index = edition._search_index
    if index is None:
        index = edition._search_index = [(normalize_name(c.name), c) for c in edition]
    return index  # type: ignore[return-value]


def _scope(edition: Edition, under: object) -> str | None:
    if under is None:
        return None
    code = under.code if hasattr(under, "code") else edition[under].code
    return str(code)


def search(edition: Edition, text: str, under: object = None, classification: str | None = None,
           limit: int | None = 20) -> list[Match]:
    """See :meth:`govcodes.Edition.search`."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InputError("limit must be a positive whole number", value=limit, expected="1 or more, or None")
    prefix = _scope(edition, under)
    query = normalize_name(str(text))
    if not query:
        return []
    if not query.isdigit():
        try:  # a printed code form ("[2080101]行政运行", "208 01 01"): search by its code
            query = split_code_name(str(text))[0]
        except InvalidCodeError:
            pass
    hits: list[tuple[int, int, str, Match]] = []

    meant = classifications_meant(classification, edition.year)

    def in_scope(c: Code) -> bool:
        return (prefix is None or (c.code.startswith(prefix) and c.code != prefix)) and (
            meant is None or c.classification in meant)

    if query.isdigit():
        for c in edition:
            if c.code.startswith(query) and in_scope(c):
                hits.append((0, len(c.code), c.code, Match(c, 1.0 if c.code == query else 0.9, "code")))
    elif _pinyin_query(query) is not None:
        _by_pinyin(edition, _pinyin_query(query), in_scope, hits)  # type: ignore[arg-type]
    else:
        query = simplified(query)
        parts = [p for p in query.split("/") if p]
        leaf = parts[-1] if parts else query
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(leaf)
        for name, c in _index(edition):
            if not in_scope(c):
                continue
            if len(parts) > 1 and not _path_matches(c, parts[:-1]):
                continue
            if name == leaf:
                how, score = "exact", 1.0
            elif name.startswith(leaf):
                how, score = "prefix", 0.9
            elif leaf in name:
                how, score = "substring", 0.8
            else:
                matcher.set_seq1(name)
                if matcher.real_quick_ratio() < FUZZY_CUTOFF or matcher.quick_ratio() < FUZZY_CUTOFF:
                    continue
                ratio = matcher.ratio()
                if ratio < FUZZY_CUTOFF:
                    continue
                how, score = "fuzzy", round(ratio * 0.75, 4)
            rank = HOW.index(how)
            hits.append((rank, len(name) if how != "fuzzy" else -int(score * 10000), c.code,
                         Match(c, score, how)))
    hits.sort(key=lambda h: h[:3])
    matches = [h[3] for h in hits]
    return matches[:limit] if limit is not None else matches


def _by_pinyin(edition: Edition, letters: str, in_scope: Callable[[Code], bool],
               hits: list[tuple[int, int, str, Match]]) -> None:
    """The codes whose name's pinyin, in full or by initials, is, starts with or holds ``letters``."""
    table = pinyin_table()
    for c in edition:
        found = table.get(c.name)
        if found is None or not in_scope(c):
            continue
        full, initials = found
        if letters in (full, initials):
            kind = "exact"
        elif full.startswith(letters) or initials.startswith(letters):
            kind = "prefix"
        elif letters in full or letters in initials:
            kind = "substring"
        else:
            continue
        hits.append((HOW.index(kind), len(c.name), c.code, Match(c, _SCORE[kind], "pinyin")))


def _path_matches(code: Code, parents: list[str]) -> bool:
    names = [normalize_name(a.name) for a in code.ancestors]  # nearest first
    return all(i < len(names) and names[i] == want for i, want in enumerate(reversed(parents)))


def find(edition: Edition, name: str, under: object = None) -> Code:
    """See :meth:`govcodes.Edition.find`."""
    exact = [m.code for m in search(edition, name, under=under, limit=None) if m.how in ("exact", "code")
             and (m.how == "exact" or m.score == 1.0)]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise AmbiguousNameError(name, [f"{c.code} {c.full_name}" for c in exact])
    near = search(edition, name, under=under, limit=3)
    raise UnknownCodeError(name, edition.year, [f"{m.code.code} {m.code.name}" for m in near])


def suggest(edition: Edition, key: str, original: object) -> list[str]:
    """Near codes and names for a code the edition does not have."""
    out: list[str] = []
    name = None
    if isinstance(original, str):
        try:
            name = split_code_name(original)[1]
        except InvalidCodeError:
            name = None
    if name:
        for m in search(edition, name, limit=3):
            out.append(f"{m.code.code} {m.code.name}")
    # codes one digit away (a typo in the code)
    for c in edition:
        if len(out) >= 5:
            break
        if len(c.code) == len(key) and sum(a != b for a, b in zip(c.code, key)) == 1:
            entry = f"{c.code} {c.name}"
            if entry not in out:
                out.append(entry)
    if not out:
        parent = key
        while len(parent) > 3:
            parent = parent[:-2]
            found = edition.get(parent)
            if found is not None:
                out.append(f"{found.code} {found.name} (the nearest existing parent)")
                break
    return out[:5]


# -- names printed with a code ----------------------------------------------------------------

_named: dict[int, tuple[Edition, dict[str, tuple[Code, ...]]]] = {}
_histories: dict[str, object] = {}


def codes_named(edition: Edition, name: str) -> tuple[Code, ...]:
    """The codes of ``edition`` named ``name`` (compared as :func:`~govcodes.normalize_name` compares)."""
    cached = _named.get(id(edition))
    if cached is None or cached[0] is not edition:
        grouped: dict[str, list[Code]] = {}
        for c in edition:
            grouped.setdefault(normalize_name(c.name), []).append(c)
        cached = _named[id(edition)] = (edition, {k: tuple(v) for k, v in grouped.items()})
    return cached[1].get(normalize_name(name), ())


def namesakes(edition: Edition, name: str, near: str) -> list[Code]:
    """The codes named ``name`` in the classification of the code ``near``: those below near's
    parent when there are any (nearest first), else all of them, nearest first.

    >>> import govcodes
    >>> [c.code for c in namesakes(govcodes.edition(2026), "学前教育", "2080101")]
    ['2050201']
    """
    from .codes import classification_of, parent_of

    found = [c for c in codes_named(edition, name) if classification_of(c.code) == classification_of(near)]

    def closeness(c: Code) -> tuple[int, str]:
        shared = 0
        while shared < min(len(c.code), len(near)) and c.code[shared] == near[shared]:
            shared += 1
        return -shared, c.code

    ranked = sorted(found, key=closeness)
    parent = parent_of(near) or near
    return [c for c in ranked if c.code.startswith(parent)] or ranked


def misnamed(edition: Edition, code: Code, printed: str) -> str | None:
    """Why ``printed``, printed with ``code``, is not its name; None when it is.

    It is when it is the edition's name (formatting aside: wrap spaces,
    bracket width) or a name the code had in another edition, unless the
    code was reused (given another meaning) since.  Otherwise the message
    says the code's name and which codes bear the printed name, if any: a
    line item ``[2080101]学前教育`` holds a code and a name that disagree.

    >>> import govcodes
    >>> ed = govcodes.edition(2026)
    >>> misnamed(ed, ed["2080101"], "学前教育")
    '2080101 is 行政运行 in the 2026 edition, not 学前教育 (学前教育 is 2050201)'
    >>> misnamed(ed, ed["20805"], "行政事业单位离退休"), misnamed(ed, ed["2080101"], "行政 运行")
    (None, None)
    >>> misnamed(govcodes.edition(2022), govcodes.edition(2022)["30311"], "住房公积金")
    '30311 is 代缴社会保险费 in the 2022 edition, not 住房公积金: the code was reused in 2022 (住房公积金 is 30113)'
    """
    wanted = normalize_name(printed)
    if not wanted or wanted == normalize_name(code.name):
        return None
    year = edition.year
    if code.code not in _histories:
        from .changes import history

        try:
            _histories[code.code] = history(code.code)
        except UnknownCodeError:
            _histories[code.code] = None
    found: Any = _histories[code.code]
    reused = ""
    if found is not None:
        years = [y for y, n in found.names.items() if normalize_name(n) == wanted]
        if years:
            between = found.new_meanings(min(min(years), year), max(max(years), year))
            if not between:
                return None
            reused = f": the code was reused in {between[0]}"
    others = [c.code for c in namesakes(edition, printed, code.code)]
    also = f" ({printed} is {', '.join(others[:3])}{' …' if len(others) > 3 else ''})" if others else ""
    return f"{code.code} is {code.name} in the {year} edition, not {printed}{reused}{also}"


def is_code_query(text: str) -> bool:
    """True when ``text`` is a code in any printed form."""
    try:
        normalize_code(text)
    except InvalidCodeError:
        return False
    return True
