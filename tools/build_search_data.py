#!/usr/bin/env python3
"""Write data/search/: the pinyin of every name and the traditional characters of the names.

    python tools/build_search_data.py          # rewrite data/search/pinyin.tsv and traditional.tsv
    python tools/build_search_data.py --check  # exit 1 when they are stale against the editions

``govcodes search`` reads these files on its first search by pinyin or in
traditional characters; nothing is computed at import or query time.  They
are made here, when the data is built, from the names of every edition (all
years), with two libraries that govcodes itself does not need:

* pinyin.tsv: each name with its pinyin (pypinyin, phrase-aware readings,
  tone marks dropped, ü written v as keyboards type it) and its initials;
* traditional.tsv: each traditional character (and its Taiwan and Hong Kong
  variants) whose simplified form occurs in a name, with that form, from the
  character tables of OpenCC (opencc-python-reimplemented).  A character that
  itself occurs in a name is never mapped.

Each file records, in its header, the digest of the names it was made from
and the versions of the libraries: a test fails when an edition's names
change and the files were not made again.

    pip install pypinyin opencc-python-reimplemented   # (both are in the test extra)
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import govcodes  # noqa: E402

FOLDER = os.path.join(ROOT, "data", "search")
#: The character tables of OpenCC used, in order: a variant is first turned into its standard
#: traditional form (TW, HK), then the traditional form into simplified (TS).
VARIANT_TABLES = ("TWVariantsRev.txt", "HKVariantsRev.txt")
TS_TABLE = "TSCharacters.txt"


def names() -> list[str]:
    """Every name of every shipped edition, sorted (editions a user brought are not shipped data)."""
    from govcodes import model

    found: set[str] = set()
    for year in getattr(model, "shipped_editions", model.editions)():
        found.update(c.name for c in govcodes.edition(year))
    return sorted(found)


def digest(all_names: list[str]) -> str:
    """The digest the files record of the names they were made from (also computed by the tests)."""
    return hashlib.sha256("\n".join(all_names).encode("utf-8")).hexdigest()


def _versions() -> str:
    from importlib.metadata import version

    return f"pypinyin {version('pypinyin')}, opencc-python-reimplemented {version('opencc-python-reimplemented')}"


def _header(kind: str, all_names: list[str]) -> list[str]:
    return [f"# {kind} of the names of every edition; made by tools/build_search_data.py, do not edit.",
            f"# names: {len(all_names)} sha256 {digest(all_names)}",
            f"# made with {_versions()}"]


def pinyin_of(name: str) -> tuple[str, str]:
    """(pinyin syllables separated by spaces, initials) of a name; punctuation dropped."""
    from pypinyin import Style, lazy_pinyin

    def other(chunk: str) -> list[str]:  # letters and digits kept (none today), punctuation dropped
        kept = "".join(ch.lower() for ch in chunk if ch.isascii() and ch.isalnum())
        return [kept] if kept else []

    syllables = [s for s in lazy_pinyin(name, style=Style.NORMAL, errors=other) if s]
    return " ".join(syllables), "".join(s[0] for s in syllables)


def render_pinyin(all_names: list[str]) -> str:
    lines = _header("Pinyin", all_names) + ["name\tpinyin\tinitials"]
    for name in all_names:
        full, initials = pinyin_of(name)
        lines.append(f"{name}\t{full}\t{initials}")
    return "\n".join(lines) + "\n"


def _table(name: str) -> dict[str, list[str]]:
    import opencc

    path = os.path.join(os.path.dirname(opencc.__file__), "dictionary", name)
    out: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, _, values = line.rstrip("\n").partition("\t")
            if len(key) == 1 and values:
                out[key] = values.split(" ")
    return out


def render_traditional(all_names: list[str]) -> str:
    used = {ch for name in all_names for ch in name}
    to_simplified = _table(TS_TABLE)
    variants: dict[str, list[str]] = {}
    for table in VARIANT_TABLES:
        for key, values in _table(table).items():
            variants.setdefault(key, values)
    mapping: dict[str, str] = {}
    for char in sorted(set(to_simplified) | set(variants)):
        if char in used:
            continue
        candidates = list(to_simplified.get(char, []))
        for standard in variants.get(char, []):
            candidates += to_simplified.get(standard, [standard])
        target = next((c for c in candidates if len(c) == 1 and c in used and c != char), None)
        if target is not None:
            mapping[char] = target
    lines = _header("Traditional characters (and variants)", all_names) + ["traditional\tsimplified"]
    lines += [f"{t}\t{s}" for t, s in sorted(mapping.items())]
    return "\n".join(lines) + "\n"


def render() -> dict[str, str]:
    """The files of data/search/ as they should be: {file name: text}."""
    all_names = names()
    return {"pinyin.tsv": render_pinyin(all_names), "traditional.tsv": render_traditional(all_names)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the files are stale")
    args = parser.parse_args(argv)
    stale = []
    for name, text in render().items():
        path = os.path.join(FOLDER, name)
        current = open(path, encoding="utf-8").read() if os.path.exists(path) else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            os.makedirs(FOLDER, exist_ok=True)
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            print(f"wrote data/search/{name}")
    if args.check and stale:
        print("stale: " + ", ".join(f"data/search/{n}" for n in stale) + ": run python tools/build_search_data.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
