#!/usr/bin/env python3
"""Write the real output of the commands shown in docs/zh/ (the Chinese guide).

    python tools/doc_examples.py          # run every example and write its output into the page
    python tools/doc_examples.py --check  # exit 1 when a page shows other output than the command prints

In the pages, a ```console block holds commands, each on a line starting with
``$ ``, and below each the output it prints: standard output, then standard
error.  The commands run in docs/zh/examples/ with Chinese messages
(``GOVCODES_LANG=zh``); a pipe (``|``) between govcodes commands is allowed.
A test fails when a page and the command disagree.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = os.path.join(ROOT, "docs", "zh")
EXAMPLES = os.path.join(PAGES, "examples")
_BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.S | re.M)


def run(command: str) -> str:
    """What ``command`` prints (standard output, then standard error), as a user in docs/zh/examples sees it."""
    python = f'"{sys.executable}" -m govcodes'
    shell = re.sub(r"(^|\|\s*)govcodes\b", lambda m: m.group(1) + python, command)
    env = dict(os.environ, GOVCODES_LANG="zh", COLUMNS="100", PYTHONIOENCODING="utf-8")
    done = subprocess.run(shell, shell=True, cwd=EXAMPLES, capture_output=True, env=env, timeout=120)
    out = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
    return out if out.endswith("\n") or not out else out + "\n"


def render_page(text: str) -> str:
    """The page with the output of each command written below it."""

    def block(m: re.Match[str]) -> str:
        commands = [line[2:] for line in m.group(1).splitlines() if line.startswith("$ ")]
        return "```console\n" + "".join(f"$ {c}\n{run(c)}" for c in commands) + "```\n"

    return _BLOCK.sub(block, text)


def pages() -> list[str]:
    return sorted(os.path.join(PAGES, n) for n in os.listdir(PAGES) if n.endswith(".md"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a page is stale")
    args = parser.parse_args(argv)
    stale = []
    for path in pages():
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        made = render_page(text)
        if made == text:
            continue
        stale.append(os.path.relpath(path, ROOT))
        if not args.check:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(made)
            print(f"wrote {os.path.relpath(path, ROOT)}")
    if args.check and stale:
        print("stale: " + ", ".join(stale) + ": run python tools/doc_examples.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
