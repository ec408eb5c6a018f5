"""Shared test fixtures: the repository, the shared evidence folder and the CLI runner."""

from __future__ import annotations

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import settings

#: In CI (``CI`` set) the generated inputs are the same every run (``derandomize``): a run that fails can be
#: run again and fails again; on a developer's machine they are new each run, which is how new ones are found.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parents[1]
#: The command's messages in English whatever the locale (the tests of Chinese messages ask for them).
os.environ["GOVCODES_LANG"] = "en"
#: ../shared beside the repository (CI clones main with shared/ beside it).
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
#: The real published PDFs (read directly, with the pdf extra).
PDFS = SHARED / "pdfs"


class Result(NamedTuple):
    status: int
    out: str
    err: str


def run_cli(*args: str) -> Result:
    """Run the govcodes command in-process and capture what it prints."""
    from govcodes.cli import main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            status = int(exc.code or 0)
    return Result(status, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session")
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not beside the repository ({SEEDS})")
    return SEEDS


def seed(prefix: str) -> Path:
    """The seed document whose file name starts with ``prefix`` (skips the test when absent)."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not at {SEEDS} (shared/ must sit beside the repository)")
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix} is not in {SEEDS}")
    return found[0]


_seed_tables: dict[str, list] = {}


def seed_tables(prefix: str) -> list:
    """The tables read from a seed document, read once per test session."""
    from govcodes.readers.tables import read_tables

    path = seed(prefix)
    if prefix not in _seed_tables:
        _seed_tables[prefix] = read_tables(path)
    return _seed_tables[prefix]


@pytest.fixture(autouse=True)
def _user_home(tmp_path_factory, monkeypatch):
    """Every test has a user data folder of its own (GOVCODES_HOME): user editions never leak."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("GOVCODES_HOME", str(home))
    yield home
    if any(home.iterdir()):
        from govcodes import changes, model

        model.reset_caches()
        changes.reset_caches()


def pdf(name: str) -> Path:
    """One of the real PDFs of shared/pdfs (skips the test when absent or without the pdf extra)."""
    pytest.importorskip("pypdfium2", reason="the pdf extra (pypdfium2) is not installed")
    path = PDFS / name
    if not path.is_file():
        pytest.skip(f"the PDF {name} is not at {PDFS} (shared/ must sit beside the repository)")
    return path


_pdf_pages: dict[str, list] = {}


def pdf_pages(name: str) -> list:
    """The pages of a real PDF, read once per test session (a list of govcodes.readers.pdf.Page)."""
    from govcodes.readers.pdf import pdf_pages as read

    if name not in _pdf_pages:
        _pdf_pages[name] = read(pdf(name))
    return _pdf_pages[name]
