"""Which edition a list follows: guess_edition on real documents and attestations (issue 11)."""

from __future__ import annotations

import pytest

import govcodes
from govcodes.readers.tables import read_tables

from .conftest import SHARED, seed


@pytest.mark.parametrize("prefix, year", [("000", 2020), ("002", 2022), ("001", 2024)])
def test_the_seed_documents_tables(prefix, year):
    tables = [t for t in read_tables(seed(prefix)) if t.classification]
    best = govcodes.guess_edition(tables)[0]
    assert best.year == year, (best, best.evidence)


@pytest.mark.parametrize("year", [2021, 2022, 2025, 2026])
def test_the_shared_attestations(year):
    folder = SHARED / "attestations"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not beside the repository")
    pairs = []
    for stem in ("function", "econ_dept", "econ_gov"):
        path = folder / f"{stem}_{year}.tsv"
        if path.is_file():
            for line in path.read_text(encoding="utf-8").splitlines()[1:]:
                cells = line.split("\t")
                if len(cells[0]) in (3, 5, 7):
                    pairs.append((cells[0], cells[2]))
    best = govcodes.guess_edition(pairs)[0]
    assert best.year == year, (best, best.evidence)


def test_evidence_names_the_pairs_that_tell_editions_apart():
    ranking = govcodes.guess_edition(["30311 住房公积金", "2080101 行政运行"])
    assert ranking[0].year == 2017 and ranking[0].fits == 2
    assert ranking[0].evidence == ("30311 住房公积金: the name of 2017",)
    assert [g.year for g in ranking][:1] == [2017] and ranking[-1].score < 1
    ties = govcodes.guess_edition(["2080101"])[0]
    assert ties.tied and ties.year == max(govcodes.editions())  # nothing tells them apart: the latest, and said so


def test_the_guess_command(cli, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("科目编码,科目名称\n20805,行政事业单位离退休\n2080501,行政单位离退休\n", encoding="utf-8")
    r = cli("guess", str(path))
    assert r.status == 0 and "the 2019 edition fits best" in r.out and "2017, 2018" in r.out
    assert cli("guess", str(tmp_path / "missing.csv")).status == 2
