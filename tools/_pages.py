"""Writing a generated documentation page, or checking that it is current (for the tools here)."""

from __future__ import annotations

import sys


def write_or_check(page: str, text: str, argv: list[str] | None = None) -> int:
    """With ``--check`` in ``argv``: 0 when ``page`` holds ``text``, else 1. Otherwise write it."""
    if "--check" in (sys.argv[1:] if argv is None else argv):
        with open(page, encoding="utf-8") as fh:
            return 0 if fh.read() == text else 1
    with open(page, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {page}")
    return 0
