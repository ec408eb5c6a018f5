"""What users install is what the tests prove: every shipped resource is there, opens and parses."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import govcodes
from govcodes import _data

from .conftest import REPO

INSTALLED = Path(govcodes.__file__).resolve().parent


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_the_package_under_test_is_the_installed_one() -> None:
    """Under a normal install (CI), the tests import the installed package, not the source tree."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        direct = distribution("govcodes").read_text("direct_url.json")
    except PackageNotFoundError:
        pytest.fail("govcodes is not installed: run pip install '.[test]' first")
    editable = bool(direct and json.loads(direct).get("dir_info", {}).get("editable"))
    if editable:
        pytest.skip("an editable install: the source tree is under test (CI installs the wheel)")
    assert INSTALLED.parent != REPO, f"the source tree is imported instead of the installed package ({INSTALLED})"


def test_the_installed_data_is_the_source_trees_data() -> None:
    """Every file of data/ ships, and nothing else: the wheel lacks no data file the code reads."""
    source = REPO / "data"
    root = _data.root()
    assert root is not None
    if not source.is_dir():
        pytest.skip("no source tree beside the tests")
    assert _files(Path(root)) == _files(source)


def test_every_shipped_resource_opens_and_parses() -> None:
    """As tzdata does: each file is read through the code that reads it in use."""
    from govcodes import evidence
    from govcodes.changes import step_records

    years = govcodes.editions()
    assert years and years[0] <= 2017 and 2026 in years
    for year in years:
        ed = govcodes.edition(year)
        assert len(ed) > 0 and ed.title and isinstance(ed.meta, dict)
        ed.correspondence
        for a in ed.amendments:
            assert ed.get(a.new_code or "") or a.kind == "removed", a
        for code in ed:
            code.provenance
            code.description
    for a, b in zip(years, years[1:]):
        step_records(a, b)
    evidence.exceptions()
    root = Path(_data.root() or "")
    for path in sorted((root / "evidence").rglob("*.tsv")):
        rows = list(_data.read_tsv(*path.relative_to(root).parts))
        assert rows, f"{path.name} is empty"
    for path in sorted(root.rglob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))


def test_a_missing_data_file_is_an_error_not_an_empty_result(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import shutil

    from govcodes import changes

    copy = tmp_path / "data"
    shutil.copytree(_data.root(), copy)
    os.remove(copy / "changes" / "2019-2020.tsv")
    monkeypatch.setattr(_data, "_root", str(copy))
    monkeypatch.setattr(changes, "_steps", {})
    with pytest.raises(govcodes.DataError, match="2019-2020.tsv is missing"):
        changes.step_records(2019, 2020)
    with pytest.raises(govcodes.DataError, match="2019-2020.tsv is missing"):
        govcodes.diff(2019, 2020)
