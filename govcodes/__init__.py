"""govcodes: China's government revenue and expenditure classification (政府收支分类科目).

Versioned reference data with evidence for every entry, a code tree, name
search, and a command-line tool.

>>> import govcodes
>>> code = govcodes.edition(2026)["2080101"]
>>> code.full_name
'社会保障和就业支出/人力资源和社会保障管理事务/行政运行'
>>> code.provenance.kind
'attested'

Importing the package is cheap: the data and the modules behind these names
load on first use.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing would cost more than the package

from .errors import (
    AmbiguousNameError,
    DataError,
    GovcodesError,
    InputError,
    InvalidCodeError,
    UnknownCodeError,
    UnknownEditionError,
)

__version__ = "0.2.0"

__all__ = [
    "__version__",
    # editions and codes
    "editions",
    "edition",
    "Edition",
    "Code",
    "Provenance",
    "Correspondence",
    "Match",
    "normalize_code",
    "normalize_name",
    # editions users bring
    "load_edition",
    "remove_edition",
    "guess_edition",
    "Guess",
    "to_dict",
    "to_json",
    # reading published tables
    "read_tables",
    "read_table",
    "Table",
    "TableRow",
    # rolling line items up
    "read_items",
    "rollup",
    "Rollup",
    # changes between editions
    "diff",
    "history",
    "crosswalk",
    "restate",
    "dimension_table",
    "Diff",
    "Change",
    "History",
    "Amendment",
    "Restatement",
    # checking published tables
    "check",
    "Finding",
    "Report",
    # errors
    "GovcodesError",
    "InvalidCodeError",
    "UnknownCodeError",
    "UnknownEditionError",
    "AmbiguousNameError",
    "DataError",
    "InputError",
]

_LAZY = {
    "editions": "model",
    "edition": "model",
    "Edition": "model",
    "Code": "model",
    "Provenance": "model",
    "Correspondence": "model",
    "Match": "search",
    "load_edition": "user",
    "remove_edition": "user",
    "guess_edition": "guess",
    "Guess": "guess",
    "normalize_code": "codes",
    "normalize_name": "codes",
    "to_dict": "convert",
    "to_json": "convert",
    "read_items": "readers.items",
    "rollup": "rollups",
    "Rollup": "rollups",
    "read_tables": "readers.tables",
    "read_table": "readers.tables",
    "Table": "readers.tables",
    "TableRow": "readers.tables",
    "diff": "changes",
    "history": "changes",
    "crosswalk": "changes",
    "Diff": "changes",
    "Change": "changes",
    "History": "changes",
    "Amendment": "amendments",
    "restate": "restatement",
    "dimension_table": "dimensions",
    "Restatement": "restatement",
    "check": "checking",
    "Finding": "checking",
    "Report": "checking",
}

if TYPE_CHECKING:
    from typing import Any

    from .amendments import Amendment
    from .changes import Change, Diff, History, crosswalk, diff, history
    from .checking import Finding, Report, check
    from .convert import to_dict, to_json
    from .guess import Guess, guess_edition
    from .user import load_edition, remove_edition
    from .readers.items import read_items
    from .model import Code, Correspondence, Edition, Provenance, edition, editions
    from .codes import normalize_code, normalize_name
    from .restatement import Restatement, restate
    from .dimensions import dimension_table
    from .rollups import Rollup, rollup
    from .search import Match
    from .readers.tables import Table, TableRow, read_table, read_tables


def __getattr__(name: str) -> Any:  # PEP 562: load on first use
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'govcodes' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
