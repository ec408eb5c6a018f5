"""The examples in the docstrings of every module, run against the installed package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import govcodes

MODULES = sorted(["govcodes"] + [m.name for m in pkgutil.walk_packages(govcodes.__path__, "govcodes.")
                                 if not m.name.endswith("__main__")])
FLAGS = doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    report: list[str] = []
    failed = 0
    for test in finder.find(module, name):
        failed += runner.run(test, out=report.append).failed
    if failed:
        pytest.fail("".join(report), pytrace=False)


def test_every_module_with_code_has_examples() -> None:
    bare = [n for n in MODULES if not doctest.DocTestFinder(exclude_empty=True).find(importlib.import_module(n))
            and not n.rsplit(".", 1)[-1].startswith("_") and n not in ("govcodes.cli",)]
    assert not bare, f"modules without a runnable example: {bare}"
