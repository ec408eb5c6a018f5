"""Conversion of govcodes objects to plain dicts and JSON (cattrs based).

>>> import govcodes
>>> d = govcodes.to_dict(govcodes.edition(2026)["2080101"])
>>> d["code"], d["name"], d["parent"], d["year"], d["level"]
('2080101', '行政运行', '20801', 2026, '项')
>>> d["provenance"]["kind"]
'attested'
"""

from __future__ import annotations

from typing import Any, Callable

import cattrs

from decimal import Decimal

from .amendments import Amendment
from .changes import Change, Diff, History
from .model import Code, Correspondence, Edition, Provenance
from .search import Match

__all__ = ["converter", "to_dict", "to_json"]

#: The cattrs converter govcodes uses; extend it to convert your own containers.
converter = cattrs.Converter()


def _provenance(p: Provenance) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": p.kind}
    if p.source is not None:
        out["source"] = p.source
    if p.documents is not None:
        out["documents"] = p.documents
        out["printed"] = p.printed
    if p.note:
        out["note"] = p.note
    return out


def _code(c: Code) -> dict[str, Any]:
    parent = c.parent
    out: dict[str, Any] = {
        "code": c.code,
        "name": c.name,
        "level": c.level,
        "classification": c.classification,
        "year": c.year,
        "parent": parent.code if parent else None,
        "children": [child.code for child in c.children],
        "path": list(c.path),
        "full_name": c.full_name,
        "description": c.description,
        "provenance": _provenance(c.provenance),
    }
    if c.counterparts:
        out["government"] = [converter.unstructure(row) for row in c.counterparts]
    return out


def _correspondence(row: Correspondence) -> dict[str, Any]:
    return {"department": row.department, "government": row.government, "unit": row.unit,
            "provenance": _provenance(row.provenance)}


def _edition(ed: Edition) -> dict[str, Any]:
    return {
        "year": ed.year,
        "title": ed.title,
        "as_of": ed.as_of,
        "sources": ed.meta.get("sources", []),
        "amendments": [_amendment(a) for a in ed.amendments],
        "codes": [_code(c) for c in ed],
        "correspondence": [_correspondence(row) for row in ed.correspondence],
    }


def _match(m: Match) -> dict[str, Any]:
    return {"score": m.score, "how": m.how, **_code(m.code)}


def _change(c: Change) -> dict[str, Any]:
    return {"kind": c.kind, "classification": c.classification, "old_code": c.old_code,
            "old_name": c.old_name, "new_code": c.new_code, "new_name": c.new_name,
            "from_year": c.from_year, "to_year": c.to_year,
            "share": None if c.share is None else str(c.share), "citation": c.citation,
            "date": c.date, "evidence": c.evidence}


def _amendment(a: Amendment) -> dict[str, Any]:
    return {"year": a.year, "date": a.date, "document": a.document, "kind": a.kind,
            "classification": a.classification, "old_code": a.old_code, "old_name": a.old_name,
            "new_code": a.new_code, "new_name": a.new_name, "share": None if a.share is None else str(a.share),
            "source": a.source, "evidence": a.evidence}


def _diff(d: Diff) -> dict[str, Any]:
    return {"from_year": d.from_year, "to_year": d.to_year, "as_of": d.as_of, "counts": d.counts(),
            "changes": [_change(c) for c in d.changes]}


def _history(h: History) -> dict[str, Any]:
    return {"code": h.code, "first_year": h.first_year, "last_year": h.last_year,
            "names": {str(y): n for y, n in sorted(h.names.items())},
            "events": [converter.unstructure(e) for e in h.events]}


converter.register_unstructure_hook(Decimal, str)
def _is(cls: type) -> Callable[[Any], bool]:
    return lambda t: t is cls


# predicate hooks: no type-hint resolution of the classes is needed
for _cls, _hook in ((Amendment, _amendment), (Change, _change), (Diff, _diff), (History, _history), (Provenance, _provenance),
                    (Code, _code), (Correspondence, _correspondence), (Edition, _edition), (Match, _match)):
    converter.register_unstructure_hook_func(_is(_cls), _hook)


def to_dict(obj: Any) -> Any:
    """Plain data (dicts, lists, str, int) for a Code, Edition, Match or a list of them."""
    return converter.unstructure(obj)


def to_json(obj: Any, indent: int | None = 2) -> str:
    """JSON text for :func:`to_dict` of ``obj``, with Chinese kept readable.

    >>> import govcodes
    >>> '"name": "基本工资"' in govcodes.to_json(govcodes.edition(2026)["30101"])
    True
    """
    from .render import json_text

    return json_text(to_dict(obj), indent).removesuffix("\n")
