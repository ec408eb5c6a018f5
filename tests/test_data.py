"""The shipped data: every edition opens, keeps the structural invariants, and
carries evidence that agrees with the attestation files."""

from __future__ import annotations

import filecmp
import functools
import re

import pytest

import govcodes
from govcodes import _data, evidence
from govcodes.model import ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT, FUNCTIONAL
from govcodes.codes import LEVELS, classifications_in, lengths_of

from .conftest import REPO, SHARED

YEARS = govcodes.editions()
ATTESTED_CLASSIFICATIONS = (FUNCTIONAL, ECONOMIC_DEPARTMENT, ECONOMIC_GOVERNMENT)
_WHITESPACE = re.compile(r"\s")


def test_there_are_editions():
    assert YEARS == tuple(sorted(YEARS))
    assert 2026 in YEARS


@pytest.mark.parametrize("year", YEARS)
def test_every_shipped_file_opens_and_parses(year):
    names = _data.list_dir("editions", str(year))
    assert "edition.json" in names and "functional.tsv" in names
    ed = govcodes.edition(year)
    assert len(ed) > 0
    for name in names:
        if name.endswith(".tsv"):
            rows = list(_data.read_tsv("editions", str(year), name))
            assert rows, f"{name} is empty"


@pytest.mark.parametrize("year", YEARS)
def test_structural_invariants(year):
    ed = govcodes.edition(year)
    seen = set()
    for code in ed:
        assert code.code not in seen
        seen.add(code.code)
        assert code.code.isdigit() and len(code.code) in LEVELS
        assert code.level == LEVELS[len(code.code)]
        if len(code.code) > 3:
            parent = code.parent
            assert parent is not None, f"{code.code} has no parent in {year}"
            assert code.code.startswith(parent.code) and len(parent.code) == len(code.code) - 2
            assert parent.classification == code.classification
            assert code in parent.children
        assert code.name, f"{code.code} has no name"
        assert not _WHITESPACE.search(code.name), f"{code.code} {code.name!r} has white space"
        assert "(" not in code.name and ")" not in code.name, f"{code.code} {code.name!r}: half-width bracket"
        assert len(code.code) in lengths_of(code.classification), \
            f"{code.code}: a {code.classification} code has {lengths_of(code.classification)} digits"
    assert ed.classifications == classifications_in(year), "every edition has every part of its year"


@pytest.mark.parametrize("year", YEARS)
def test_every_raw_row_is_unique(year):
    for cls in classifications_in(year):
        name = f"{cls}.tsv"
        codes = [row["code"] for _, row in _data.read_tsv("editions", str(year), name)]
        assert len(codes) == len(set(codes)), name


@pytest.mark.parametrize("year", [y for y in YEARS if y >= 2018])
def test_every_department_kuan_maps_to_an_existing_government_code(year):
    ed = govcodes.edition(year)
    for dept in ed.codes(ECONOMIC_DEPARTMENT, "款"):
        for unit in ("机关", "事业单位"):
            gov = dept.government(unit)
            assert gov is not None, f"{year} {dept.code} {dept.name} has no government code for {unit}"
            assert gov.classification == ECONOMIC_GOVERNMENT
    for row in ed.correspondence:
        assert row.department in ed, f"对照表 row for unknown department code {row.department}"
        assert row.government in ed, f"对照表 maps {row.department} to unknown {row.government}"


@pytest.mark.parametrize("year", YEARS)
def test_descriptions_belong_to_existing_codes(year):
    for _, row in _data.read_tsv("editions", str(year), "descriptions.tsv", optional=True):
        assert row["code"] in govcodes.edition(year), row["code"]
        assert row["description"].strip() == row["description"] and row["description"]


# -- evidence -----------------------------------------------------------------

def _attested_years():
    for cls in ATTESTED_CLASSIFICATIONS:
        for year in evidence.attestation_years(cls):
            if year in YEARS:
                yield cls, year, "attestations"
        for year in YEARS:
            if evidence.seed_attestations(cls, year):
                yield cls, year, "seeds"


@pytest.mark.parametrize("cls,year,folder", list(_attested_years()))
def test_every_consensus_pair_is_in_the_edition_or_a_reviewed_exception(cls, year, folder):
    ed = govcodes.edition(year)
    excepted = {(e.code, e.printed_name) for e in evidence.exceptions()
                if e.year == year and e.classification == cls}
    unexplained = []
    for code, a in evidence.attestations(cls, year, folder).items():
        entry = ed.get(code)
        if entry is not None and entry.name == a.consensus_name:
            continue
        if (code, a.consensus_name) in excepted:
            continue
        unexplained.append(f"{code} {a.consensus_name} (edition: {entry.name if entry else 'absent'})")
    assert not unexplained, "printed by documents, neither in the edition nor excepted: " + "; ".join(unexplained)


def test_exceptions_are_not_stale():
    for e in evidence.exceptions():
        if e.year not in YEARS:
            continue
        printed = [evidence.attestations(e.classification, e.year, folder).get(e.code)
                   for folder in ("attestations", "seeds")]
        assert any(a is not None and a.consensus_name == e.printed_name for a in printed), \
            f"exception {e} matches no consensus pair"
        entry = govcodes.edition(e.year).get(e.code)
        assert entry is None or entry.name != e.printed_name, f"exception {e} is followed by the edition anyway"


@functools.lru_cache(maxsize=None)
def _attestations(cls, year, folder):
    return evidence.attestations(cls, year, folder=folder)


@pytest.mark.parametrize("year", YEARS)
def test_attested_entries_agree_with_their_evidence(year):
    ed = govcodes.edition(year)
    for code in ed:
        p = code.provenance
        if p.kind != "attested":
            continue
        folder, stem = p.source.removesuffix(".tsv").split("/")
        cls = next(c for c, s in evidence.STEMS.items() if stem.startswith(s + "_"))
        a = _attestations(cls, int(stem.rsplit("_", 1)[1]), folder).get(code.code)
        assert a is not None, f"{code.code} claims {p.source} but is not in it"
        assert a.count(code.name) == p.documents and a.n_docs == p.printed, code.code


@pytest.mark.parametrize("year", YEARS)
def test_nothing_printed_with_the_same_name_is_left_compiled(year):
    ed = govcodes.edition(year)
    for cls in ATTESTED_CLASSIFICATIONS:
        att = evidence.attestations(cls, year)
        seeds = evidence.seed_attestations(cls, year)
        for code in ed.codes(cls):
            a = att.get(code.code) or seeds.get(code.code)
            if a is not None and a.count(code.name):
                assert code.provenance.kind in ("attested", "official"), (
                    f"{code.code} {code.name} is printed by {a.count(code.name)} documents but marked "
                    f"{code.provenance.kind}")


def test_shipped_attestations_are_the_shared_ones():
    shared = SHARED / "attestations"
    if not shared.is_dir():
        pytest.skip(f"{shared} is not beside the repository")
    ours = REPO / "data" / "evidence" / "attestations"
    names = sorted(p.name for p in shared.iterdir())
    assert names == sorted(p.name for p in ours.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(shared, ours, names, shallow=False)
    assert not mismatch and not errors


# -- per-year provenance ----------------------------------------------------------

#: The years with documents of their own (attestations or seeds): 2023 has none.
EVIDENCED_YEARS = (2020, 2021, 2022, 2024, 2025, 2026)


def test_the_evidence_covers_2020_to_2026_with_provenance_of_each_year():
    covered = {year for _, year, _ in _attested_years()}
    assert set(EVIDENCED_YEARS) <= covered
    for year in EVIDENCED_YEARS:
        ed = govcodes.edition(year)
        attested = [c for c in ed if c.provenance.kind == "attested"]
        assert attested, f"{year}: no entry is attested by documents of {year}"
        assert all(c.provenance.source.endswith(f"_{year}.tsv") for c in attested)


@pytest.mark.parametrize("year", YEARS)
def test_provenance_never_claims_more_than_the_evidence_of_its_year(year):
    """attested cites documents of that year; official cites a notice of that year stating that entry."""
    ed = govcodes.edition(year)
    stated = {(a.new_code, a.new_name): a.citation for a in ed.amendments if a.source == "official"}
    official = evidence.official(year)
    for code in ed:
        p = code.provenance
        if p.kind == "attested":
            assert p.source.removesuffix(".tsv").endswith(f"_{year}"), f"{year} {code.code}: {p.source}"
        elif p.kind == "official":
            by_amendment = stated.get((code.code, code.name)) == p.source
            s = official.get(code.code)
            by_statement = s is not None and s.name == code.name and p.source.startswith(s.citation)
            assert by_amendment or by_statement, f"{year} {code.code} {code.name}: official by {p.source!r}, " \
                "which is no notice of that year stating it"
            assert any(str(year) in part for part in p.source.split()), p.source


def test_official_statements_agree_with_their_editions():
    for year in YEARS:
        for s in evidence.official(year).values():
            entry = govcodes.edition(year).get(s.code)
            assert entry is not None and entry.name == s.name, f"{s}: the {year} edition has {entry}"
            assert entry.provenance.kind == "official"


# -- amendments ------------------------------------------------------------------

AMENDED = [y for y in YEARS if govcodes.edition(y).amendments]


def test_the_known_amendments_are_there():
    assert {a.citation for y in YEARS for a in govcodes.edition(y).amendments if a.source == "official"} == {
        "财预〔2024〕22号 2024-03-29", "财预〔2025〕41号 2025-05-23"}
    added = {a.new_code for a in govcodes.edition(2025).amendments if a.kind == "added"}
    assert {"1030184", "1050303", "1050305", "2170404", "22911", "23107"} <= added
    assert {"1030182", "1100412", "22006", "2300412"} <= {a.new_code for a in govcodes.edition(2024).amendments}


@pytest.mark.parametrize("year", AMENDED)
def test_an_edition_as_amended_and_as_first_published(year):
    ed = govcodes.edition(year)
    first = govcodes.edition(year, as_of=f"{year - 1}-12-31")
    assert first.as_of == f"{year - 1}-12-31" and first.amendments == ()
    for a in ed.amendments:
        assert a.date.startswith(str(year)) and a.evidence
        if a.new_code:
            assert ed[a.new_code].name == a.new_name
            if a.source == "official":
                assert ed[a.new_code].provenance.kind == "official"
        if a.kind == "added":
            assert a.new_code not in first
        if a.old_code and a.kind != "added":
            assert first[a.old_code].name == a.old_name
    for code in first:  # the structural invariants hold before the amendments too
        assert code.parent is not None or len(code.code) == 3, f"{year} first published: {code.code} has no parent"
    untouched = {c.code for c in ed} - {a.new_code for a in ed.amendments} - {a.old_code for a in ed.amendments}
    assert all(first[c] == ed[c] for c in untouched)


# -- the 对照表 ------------------------------------------------------------------------

def test_only_the_listed_department_kuan_map_to_a_government_class_only():
    listed = {}
    for _, row in _data.read_tsv("evidence", "correspondence-class-only.tsv",
                                 required=("department", "unit", "government", "first_year", "last_year", "kind",
                                           "reason")):
        assert row["kind"] in ("official", "unresolved") and row["reason"].strip()
        for year in range(int(row["first_year"]), int(row["last_year"]) + 1):
            listed[(year, row["department"], row["unit"])] = row["government"]
    found = {}
    for year in YEARS:
        for row in govcodes.edition(year).correspondence:
            if len(row.government) == 3:
                found[(year, row.department, row.unit)] = row.government
    assert found == listed, "class-only rows of the 对照表 and data/evidence/correspondence-class-only.tsv differ"


# -- revenue ---------------------------------------------------------------------------

@pytest.mark.parametrize("year", YEARS)
def test_every_edition_has_revenue_and_says_it_is_compiled(year):
    ed = govcodes.edition(year)
    revenue = ed.codes("revenue")
    assert {c.code for c in ed.roots("revenue")} >= {"101", "103", "105", "110"}
    assert ed["101"].name == "税收收入" and ed["10101"].name == "增值税"
    assert {c.level for c in revenue} == {"类", "款", "项", "目"}
    assert not any(c.provenance.kind == "attested" for c in revenue), "no document of the evidence prints revenue"
    notices = {a.new_code for a in ed.amendments} | set(evidence.official(year))
    assert all(c.code in notices for c in revenue if c.provenance.kind == "official")
