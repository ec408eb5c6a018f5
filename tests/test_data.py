"""The shipped data: every edition opens, keeps the structural invariants, and
carries evidence that agrees with the attestation files."""

from __future__ import annotations

import filecmp
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


@pytest.mark.parametrize("year", YEARS)
def test_attested_entries_agree_with_their_evidence(year):
    ed = govcodes.edition(year)
    for code in ed:
        p = code.provenance
        if p.kind != "attested":
            continue
        folder, stem = p.source.removesuffix(".tsv").split("/")
        cls = next(c for c, s in evidence.STEMS.items() if stem.startswith(s + "_"))
        a = evidence.attestations(cls, int(stem.rsplit("_", 1)[1]), folder=folder).get(code.code)
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
