"""The evidence shipped with govcodes: attestations, notices and reviewed exceptions.

``data/evidence/attestations/`` holds, per year and classification, the codes
and names printed in real published budget documents (see its README).
``data/evidence/exceptions.tsv`` lists the printed pairs the editions do not
follow, each with the reviewed reason (a typo, an old name, a local code).
``data/evidence/official.tsv`` lists what the Ministry's notices state about
codes of a year's edition beyond the changes they make (those are the
amendments, see :mod:`govcodes.amendments`): a notice that names a code as
the parent of one it adds states that code and its name in that year.

>>> from govcodes import evidence
>>> a = evidence.attestations("functional", 2026)["2080101"]
>>> a.consensus_name, a.n_docs >= 1
('行政运行', True)
"""

from __future__ import annotations

from typing import Mapping

import attrs

from . import _data
from .errors import DataError

__all__ = ["documents", "printed", "Attestation", "ReviewedException", "Statement", "attestations", "seed_attestations",
           "attestation_years", "exceptions", "official", "STEMS"]

#: File stems of the attestation files, per classification.
STEMS = {
    "functional": "function",
    "economic-department": "econ_dept",
    "economic-government": "econ_gov",
}

#: Reasons an exception may give for not following a printed pair.
EXCEPTION_KINDS = ("typo", "old-name", "local-code", "not-national", "format", "wrong-name")


@attrs.frozen(slots=True)
class Attestation:
    """One code as printed in real documents of one year."""

    code: str
    level: str
    consensus_name: str
    n_docs: int
    n_consensus: int
    variants: Mapping[str, int]
    stem: str

    def count(self, name: str) -> int:
        """How many documents print the code with exactly ``name``."""
        if name == self.consensus_name:
            return self.n_consensus
        return self.variants.get(name, 0)


@attrs.frozen(slots=True)
class ReviewedException:
    """A reviewed printed pair that an edition does not follow, and why."""

    year: int
    classification: str
    code: str
    printed_name: str
    kind: str
    reason: str


@attrs.frozen(slots=True)
class Statement:
    """What a notice of the Ministry, read, states about a code of one year's edition."""

    year: int
    classification: str
    code: str
    name: str
    citation: str
    statement: str


def official(year: int) -> dict[str, Statement]:
    """The codes notices state for the edition of ``year`` (``data/evidence/official.tsv``), by code."""
    out: dict[str, Statement] = {}
    where = _data.data_path("evidence", "official.tsv")
    for lineno, row in _data.read_tsv("evidence", "official.tsv",
                                      required=("year", "classification", "code", "name", "citation", "statement"),
                                      optional=True):
        if not row["year"].isdigit() or not row["citation"].strip() or not row["statement"].strip():
            raise DataError(f"{where}:{lineno}: a statement needs its year, citation and what it states")
        if int(row["year"]) == year:
            out[row["code"]] = Statement(year, row["classification"], row["code"], row["name"], row["citation"],
                                         row["statement"])
    return out


def attestation_years(classification: str) -> tuple[int, ...]:
    """Years with an attestation file for ``classification``."""
    stem = STEMS[classification] + "_"
    years = []
    for name in _data.list_dir("evidence", "attestations"):
        if name.startswith(stem) and name.endswith(".tsv") and name[len(stem):-4].isdigit():
            years.append(int(name[len(stem):-4]))
    return tuple(sorted(years))


def attestations(classification: str, year: int, folder: str = "attestations") -> dict[str, Attestation]:
    """The attestations of one classification and year, by code (empty if none).

    ``folder`` is ``attestations`` (the shared attestation set) or ``seeds``
    (the pairs printed in the seed documents, extracted by
    ``tools/extract_seed_evidence.py``).
    """
    if classification not in STEMS:
        from .errors import InputError

        raise InputError("no attestations for this classification", value=classification,
                         expected=", ".join(STEMS))
    stem = f"{STEMS[classification]}_{year}"
    out: dict[str, Attestation] = {}
    label = stem if folder == "attestations" else f"{folder}/{stem}"
    where = _data.data_path("evidence", folder, stem + ".tsv")
    for lineno, row in _data.read_tsv("evidence", folder, stem + ".tsv",
                                      required=("code", "level", "consensus_name", "n_docs",
                                                "n_consensus", "variants"), optional=True):
        variants: dict[str, int] = {}
        for part in filter(None, row["variants"].split("|")):
            name, _, count = part.rpartition(":")
            if not name or not count.isdigit():
                raise DataError(f"{where}:{lineno}: bad variant {part!r}")
            variants[name] = int(count)
        out[row["code"]] = Attestation(row["code"], row["level"], row["consensus_name"],
                                       int(row["n_docs"]), int(row["n_consensus"]), variants, label)
    return out


_documents: dict[int, int] | None = None


def documents(year: int) -> int:
    """How many real documents of ``year`` the evidence holds (the attestation set and the seeds).

    >>> documents(2026) > 100, documents(2023)
    (True, 0)
    """
    global _documents
    if _documents is None:
        counts: dict[int, int] = {}
        for folder, column in (("attestations", "fiscal_year"), ("seeds", "fiscal_year")):
            for _, row in _data.read_tsv("evidence", folder, "documents.tsv", required=(column,)):
                if row[column].isdigit():
                    counts[int(row[column])] = counts.get(int(row[column]), 0) + 1
        _documents = counts
    return _documents.get(year, 0)


def printed(code: str, name: str, year: int) -> int:
    """How many documents of ``year`` print ``code`` with ``name`` (formatting aside)."""
    from .codes import classification_of, normalize_name

    cls = classification_of(code, year)
    cls = "economic-department" if cls == "economic" else cls
    if cls not in STEMS:
        return 0
    key = normalize_name(name)
    total = 0
    for table in (attestations(cls, year), seed_attestations(cls, year)):
        found = table.get(code)
        if found is not None:
            total += sum(n for printed_name, n in [(found.consensus_name, found.n_consensus), *found.variants.items()]
                         if normalize_name(printed_name) == key)
    return total


def seed_attestations(classification: str, year: int) -> dict[str, Attestation]:
    """The pairs printed in the seed documents of ``year`` (see :func:`attestations`)."""
    return attestations(classification, year, folder="seeds")


def exceptions() -> list[ReviewedException]:
    """Every reviewed exception."""
    out = []
    where = _data.data_path("evidence", "exceptions.tsv")
    for lineno, row in _data.read_tsv("evidence", "exceptions.tsv",
                                      required=("year", "classification", "code", "printed_name",
                                                "kind", "reason")):
        if row["kind"] not in EXCEPTION_KINDS:
            raise DataError(f"{where}:{lineno}: kind must be one of {', '.join(EXCEPTION_KINDS)}")
        if not row["reason"].strip():
            raise DataError(f"{where}:{lineno}: an exception must give its reason")
        out.append(ReviewedException(int(row["year"]), row["classification"], row["code"],
                              row["printed_name"], row["kind"], row["reason"]))
    return out
