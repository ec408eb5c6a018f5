"""The provenance of each entry of a derived edition, decided from the evidence of its own year.

One rule for every derived year (tools/derive_editions.py):

1. ``official`` when a notice of that year states the entry with that name: an
   amendment of that year, read in the notice's text, that adds (renames, moves …)
   the code to that name (evidence: its 文号 and date), or a statement in
   ``data/evidence/official.tsv`` (evidence: the citation and what it states);
2. ``attested`` when documents of that year print the code with that name
   (``data/evidence/attestations``, then ``data/evidence/seeds``; evidence 'FILE N/M');
3. else ``compiled``, with a note on where the name comes from: an amendment known only
   from a report, or the newest edition's entry, or the change records.

A derived entry never claims more than the evidence of its year: a notice of another
year, or documents of another year, leave it ``compiled`` (the note may say so).
"""

from __future__ import annotations

from govcodes import evidence
from govcodes.amendments import Entry, amendments

#: The attestation stems of the classifications that have attestation files (revenue has none).
ATTESTED = tuple(evidence.STEMS)


def decide(entries: dict[str, Entry], year: int, latest: dict[str, Entry], latest_year: int) -> dict[str, Entry]:
    """``entries`` of edition ``year`` with the source and evidence of its own year."""
    amended = {a.new_code: a for a in amendments(year) if a.new_code and a.new_name}
    stated = evidence.official(year)
    files = {cls: evidence.attestations(cls, year) for cls in ATTESTED}
    seeds = {cls: evidence.seed_attestations(cls, year) for cls in ATTESTED}
    out: dict[str, Entry] = {}
    for code, (name, cls, _source, _evidence) in entries.items():
        out[code] = (name, cls, *_provenance(code, name, cls, amended, stated, files, seeds, latest, latest_year))
    return out


def _provenance(code: str, name: str, cls: str, amended: dict, stated: dict, files: dict, seeds: dict,
                latest: dict[str, Entry], latest_year: int) -> tuple[str, str]:
    a = amended.get(code)
    if a is not None and a.new_name == name and a.source == "official":
        return "official", a.citation
    s = stated.get(code)
    if s is not None and s.name == name:
        return "official", f"{s.citation}: {s.statement}"
    attested_cls = "economic-department" if cls == "economic" else cls
    for table in (files.get(attested_cls, {}), seeds.get(attested_cls, {})):
        printed = table.get(code)
        if printed is not None and printed.count(name):
            return "attested", f"{printed.stem} {printed.count(name)}/{printed.n_docs}"
    if a is not None and a.new_name == name:
        return "compiled", f"{a.kind} by {a.citation}, known from a report, not from the notice's text"
    ref = latest.get(code)
    if ref is not None and ref[0] == name:
        documented = "printed by documents then" if ref[2] == "attested" else ref[2]
        return "compiled", f"the {latest_year} entry's name ({latest_year}: {documented})"
    return "compiled", "name from the change records"
