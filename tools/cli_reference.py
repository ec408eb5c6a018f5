#!/usr/bin/env python3
"""Write docs/cli.md from the command's own --help texts.

    python tools/cli_reference.py          # rewrite docs/cli.md
    python tools/cli_reference.py --check  # exit 1 when docs/cli.md is stale

A test fails when the reference and the parser drift apart.
"""

from __future__ import annotations

import argparse
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from govcodes.cli import build_parser  # noqa: E402

PAGE = os.path.join(ROOT, "docs", "cli.md")


def _help(parser: argparse.ArgumentParser) -> str:
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"  # the same line width wherever it runs
    try:
        return parser.format_help().rstrip()
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved


def render() -> str:
    parser = build_parser()
    parser.prog = "govcodes"
    parts = [
        "# Command-line reference",
        "",
        "Generated from `govcodes --help` by `tools/cli_reference.py`; a test fails when it is stale.",
        "",
        "Every command takes `--format`; tables have the headers 科目编码 / 科目名称 …, JSON and CSV",
        "use the field names of `govcodes.to_dict`. Exit status: 0 when all is well; 1 when a code",
        "is not found, a row could not be placed (rollup, restate) or a table has errors (check);",
        "2 for a usage or input error (a bad option, an unreadable file, a value that cannot be a",
        "code). Errors are one line on standard error.",
        "",
        "## govcodes",
        "",
        "```",
        _help(parser),
        "```",
    ]
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, p in sub.choices.items():
        parts += ["", f"## govcodes {name}", "", "```", _help(p), "```"]
    return "\n".join(parts) + "\n"


def main() -> int:
    from _pages import write_or_check

    return write_or_check(PAGE, render())


if __name__ == "__main__":
    raise SystemExit(main())
