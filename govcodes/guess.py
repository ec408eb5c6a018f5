"""Which edition does a list of codes follow? Rank the editions by how well the codes and names fit.

Analysts hold code lists and tables with no year on them.
:func:`guess_edition` takes (code, name) pairs — from a table, a file, a
list — and ranks every edition, shipped and user-supplied, by how many of the
pairs it has with that name (a pair whose code it has under another name
counts half), and shows the evidence: the pairs that fit some editions and
not others.

>>> import govcodes
>>> ranking = govcodes.guess_edition([("20805", "行政事业单位离退休"), ("2080101", "行政运行"), ("30311", "住房公积金")])
>>> ranking[0].year, ranking[0].fits, len(ranking[0].pairs)
(2017, 3, 3)
>>> print(ranking[0].evidence[0])
20805 行政事业单位离退休: the name of 2017–2019
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from .codes import normalize_name, split_code_name
from .errors import InputError, InvalidCodeError

__all__ = ["Guess", "guess_edition", "pairs_of"]


@attrs.frozen(slots=True)
class Guess:
    """How well one edition fits the pairs: ``score`` in [0, 1], best first in a ranking.

    ``fits`` pairs have the code with that name, ``renamed`` have the code
    under another name, ``missing`` lack the code; ``evidence`` says, for the
    pairs that tell editions apart, which editions they fit.  ``printed``
    is the share of the pairs that fit which real documents of the
    edition's year (the project's evidence) print: what breaks a tie
    between editions whose codes and names fit equally well (then the
    latest edition).
    """

    year: int
    score: float
    fits: int
    renamed: int
    missing: int
    pairs: tuple[tuple[str, str | None], ...] = attrs.field(repr=False)
    evidence: tuple[str, ...] = attrs.field(default=(), repr=False)
    tied: tuple[int, ...] = ()
    printed: float = 0.0

    def __str__(self) -> str:
        tied = f" (as good: {', '.join(map(str, self.tied))})" if self.tied else ""
        return (f"{self.year}: {self.score:.1%} fit — {self.fits} with this name, {self.renamed} under another "
                f"name, {self.missing} missing{tied}")


def pairs_of(source: Any) -> list[tuple[str, str | None]]:
    """The (code, printed name) pairs of what :func:`guess_edition` takes."""
    return _pairs_and_years(source)[0]


def _pairs_and_years(source: Any) -> tuple[list[tuple[str, str | None]], set[int]]:
    """The (code, printed name) pairs, and the years the tables print (in their titles, or on the pages of
    their document)."""
    from .readers.tables import Table, read_tables

    if isinstance(source, Table):
        tables: Sequence[Any] = [source]
    elif isinstance(source, (list, tuple)) and source and all(isinstance(t, Table) for t in source):
        tables = source
    elif isinstance(source, Mapping):
        return [(_code(k), str(v) if v else None) for k, v in source.items()], set()
    elif isinstance(source, (str, bytes)) or hasattr(source, "__fspath__") or hasattr(source, "read"):
        tables = read_tables(source)  # type: ignore[arg-type]
        if not any(t.classification for t in tables):
            from .readers.editionfile import read_edition_file

            return [(e.code, e.name) for e in read_edition_file(source).entries], set()
    elif isinstance(source, Iterable):
        out = []
        for item in source:
            if isinstance(item, (tuple, list)) and len(item) == 2:
                out.append((_code(item[0]), str(item[1]) if item[1] else None))
            else:
                code, name = split_code_name(item)
                out.append((code, name))
        return out, set()
    else:
        raise InputError("cannot guess the edition of this", value=type(source).__name__,
                         expected="a table, a file, codes, or (code, name) pairs")
    pairs = [(row.code, row.name or None) for t in tables if t.classification for row in t.rows if row.code]
    years = {y for t in tables if t.classification for y in (t.year, t.document_year) if y}
    return pairs, years


def _code(value: object) -> str:
    try:
        return split_code_name(value)[0]
    except InvalidCodeError:
        raise InputError("not a code", value=value, expected="a code such as 2080101") from None


def guess_edition(source: Any, years: Iterable[int] | None = None) -> list[Guess]:
    """Every edition (or those of ``years``) ranked by how well the pairs of ``source`` fit, best first.

    ``source``: a :class:`~govcodes.Table` or a list of them, a document or
    file :func:`~govcodes.read_tables` reads (or an edition file), a mapping
    code → name, or an iterable of codes or (code, name) pairs.  Editions
    that fit equally well are named in ``tied`` of the first.
    """
    from .model import edition, editions

    found, printed_years = _pairs_and_years(source)
    pairs = list(dict.fromkeys(found))
    if not pairs:
        raise InputError("no codes to guess an edition from", expected="a table or a list with codes")
    chosen = sorted(years) if years is not None else list(editions())
    fit: dict[int, list[float]] = {}
    for year in chosen:
        ed = edition(year)
        marks = []
        for code, name in pairs:
            entry = ed.get(code)
            if entry is None:
                marks.append(0.0)
            elif name is None or normalize_name(name) == normalize_name(entry.name):
                marks.append(1.0)
            else:
                marks.append(0.5)
        fit[year] = marks
    telling = [i for i in range(len(pairs)) if len({fit[y][i] for y in chosen}) > 1]
    scores = {year: sum(fit[year]) / len(pairs) for year in chosen}
    best = max(scores.values())
    top = [y for y in chosen if scores[y] == best]
    printed = {y: _printed(pairs, fit[y], y) if len(top) > 1 and y in top else 0.0 for y in chosen}
    # ties: the year the document prints, then the year whose documents print the most of the pairs, the latest
    ranked = sorted(chosen, key=lambda y: (-scores[y], y not in printed_years, -printed[y], -y))
    first = ranked[0]
    stated = first in printed_years and len(top) > 1
    tied = () if stated else tuple(sorted(y for y in top if y != first and printed[y] == printed[first]))
    out = []
    for k, year in enumerate(ranked):
        marks = fit[year]
        evidence = tuple(_evidence(pairs[i], [y for y in chosen if fit[y][i] == 1.0]) for i in telling)
        if k == 0 and stated:
            others = ", ".join(str(y) for y in sorted(top) if y != first)
            evidence = (f"the codes and names fit {others} as well; the document prints {first}",) + evidence
        elif k == 0 and len(top) > 1 and printed[first] > max((printed[y] for y in top if y != first), default=0):
            others = ", ".join(str(y) for y in sorted(top) if y != first)
            evidence = (f"the codes and names fit {others} as well; the documents of {first} print the most of "
                        f"them ({printed[first]:.0%})",) + evidence
        out.append(Guess(year, round(scores[year], 6), sum(1 for m in marks if m == 1.0),
                         sum(1 for m in marks if m == 0.5), sum(1 for m in marks if m == 0.0), tuple(pairs),
                         evidence, tied if k == 0 else (), round(printed[year], 6)))
    return out


def _printed(pairs: Sequence[tuple[str, str | None]], marks: Sequence[float], year: int) -> float:
    """The share of the fitting pairs (with a name) that real documents of ``year`` print, any of them (0
    without documents).  A year of many documents is not outweighed by one of few: what counts is whether
    the year's documents print the pair at all, not how often each does."""
    from .evidence import documents, printed

    named = [(code, name) for (code, name), mark in zip(pairs, marks) if mark == 1.0 and name]
    if not documents(year) or not named:
        return 0.0
    return sum(1 for code, name in named if printed(code, name, year)) / len(named)


def _evidence(pair: tuple[str, str | None], years: list[int]) -> str:
    code, name = pair
    label = f"{code} {name}" if name else code
    if not years:
        return f"{label}: in no edition with this name"
    return f"{label}: the name of {_spans(years)}" if name else f"{label}: in {_spans(years)}"


def _spans(years: Sequence[int]) -> str:
    runs: list[list[int]] = []
    for y in sorted(years):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
