"""Run the tests against the installed package, never the source tree beside them.

``python -m pytest`` puts the working directory first on ``sys.path``, where
the source folder ``govcodes/`` would shadow the installed package: this
file, which pytest loads before anything imports govcodes, takes that entry
off.  A normal install (``pip install .``, what CI does) is then what the
tests import; an editable install still finds the source tree through its
own path entry, further down ``sys.path``.
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))

if sys.path and (sys.path[0] in ("", ".") or os.path.abspath(sys.path[0]) == _HERE):
    del sys.path[0]


def pytest_report_header(config: object) -> str:
    import govcodes

    where = os.path.dirname(os.path.abspath(govcodes.__file__))
    kind = "the source tree (editable install)" if os.path.dirname(where) == _HERE else "the installed package"
    return f"govcodes {govcodes.__version__} under test: {kind} at {where}"
