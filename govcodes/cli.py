"""The ``govcodes`` command: a thin layer over the API.

Each command maps to one API call; ``--format table|json|csv`` works on all.
Exit status: 0 found, 1 not found (or problems reported), 2 usage error.
Only what the chosen output format needs is imported.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, Iterable, Sequence

from .errors import GovcodesError, InvalidCodeError, UnknownCodeError, UnknownEditionError

__all__ = ["main", "build_parser"]

FORMATS = ("table", "json", "csv")
PROG = "govcodes"

#: Table headers for the fields of a code.
HEADERS = {
    "code": "科目编码",
    "name": "科目名称",
    "level": "级次",
    "classification": "分类",
    "parent": "上级科目",
    "full_name": "全称",
    "provenance": "依据",
    "year": "年度",
    "score": "匹配度",
    "how": "匹配方式",
    "title": "版本",
    "attested": "实证",
    "official": "官方",
    "compiled": "待核",
    "kind": "变动类型",
    "old_code": "原编码",
    "old_name": "原名称",
    "new_code": "新编码",
    "new_name": "新名称",
    "share": "比例",
    "citation": "依据文件",
    "event": "事件",
    "other_code": "相关编码",
    "other_name": "相关名称",
}


class UsageError(GovcodesError):
    """A command line that cannot be carried out as given (exit status 2)."""


# -- output ----------------------------------------------------------------

def emit(rows: Sequence[dict[str, Any]], fields: Sequence[str], fmt: str, *,
         json_data: Any = None, out: Any = None) -> None:
    """Write ``rows`` (dicts) as a table, CSV or JSON on ``out`` (stdout)."""
    out = out or sys.stdout
    if fmt == "json":
        import json

        json.dump(rows if json_data is None else json_data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow(["" if row.get(f) is None else row.get(f) for f in fields])
    else:
        from ._table import render

        table = [["" if row.get(f) is None else str(row.get(f)) for f in fields] for row in rows]
        out.write(render([HEADERS.get(f, f) for f in fields], table) + "\n")


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {message}\n")


def _code_row(code: Any) -> dict[str, Any]:
    parent = code.parent
    return {
        "code": code.code,
        "name": code.name,
        "level": code.level,
        "classification": code.classification,
        "parent": parent.code if parent else None,
        "full_name": code.full_name,
        "provenance": code.provenance.kind,
        "year": code.year,
    }


def _edition(args: argparse.Namespace) -> Any:
    from .model import edition

    return edition(args.year)


# -- commands --------------------------------------------------------------

def cmd_show(args: argparse.Namespace) -> int:
    ed = _edition(args)
    found = []
    status = 0
    for raw in args.codes:
        try:
            found.append(ed[raw])
        except (UnknownCodeError, InvalidCodeError) as exc:
            _error(str(exc))
            status = 1
    if args.format == "json":
        from .convert import to_dict

        emit([], (), "json", json_data=[to_dict(c) for c in found])
    elif found:
        fields = ("code", "name", "level", "parent", "full_name", "provenance", "year")
        emit([_code_row(c) for c in found], fields, args.format)
        if args.format == "table" and len(found) == 1:
            code = found[0]
            if code.description:
                sys.stdout.write(f"\n说明: {code.description}\n")
            sys.stdout.write(f"依据: {code.provenance}\n")
            for row in code.counterparts:
                gov = ed.get(row.government)
                sys.stdout.write(f"政府预算经济分类 ({row.unit}): {row.government} {gov.name if gov else '?'}\n")
    return status


def cmd_search(args: argparse.Namespace) -> int:
    ed = _edition(args)
    matches = ed.search(args.text, under=args.under, classification=args.classification, limit=args.limit)
    if not matches:
        _error(f"nothing in the {ed.year} edition matches {args.text!r}")
    if args.format == "json":
        from .convert import to_dict

        emit([], (), "json", json_data=[to_dict(m) for m in matches])
    elif matches:
        rows = [dict(_code_row(m.code), score=f"{m.score:.2f}", how=m.how) for m in matches]
        emit(rows, ("code", "name", "full_name", "how", "score"), args.format)
    return 0 if matches else 1


def _tree_nodes(ed: Any, root: Any, depth: int | None, classification: str | None) -> list[Any]:
    if root is not None:
        starts = [root]
    else:
        starts = list(ed.roots(classification))
    out = []

    def walk(node: Any, d: int) -> None:
        out.append((node, d))
        if depth is None or d < depth:
            for child in node.children:
                walk(child, d + 1)

    for start in starts:
        walk(start, 0)
    return out


def cmd_tree(args: argparse.Namespace) -> int:
    ed = _edition(args)
    root = ed[args.code] if args.code else None
    nodes = _tree_nodes(ed, root, args.depth, args.classification)
    if args.format == "json":
        def nested(node: Any, d: int) -> dict[str, Any]:
            item: dict[str, Any] = {"code": node.code, "name": node.name, "level": node.level}
            if args.depth is None or d < args.depth:
                item["children"] = [nested(c, d + 1) for c in node.children]
            return item

        starts = [root] if root is not None else list(ed.roots(args.classification))
        emit([], (), "json", json_data=[nested(s, 0) for s in starts])
        return 0
    rows = []
    for node, d in nodes:
        row = _code_row(node)
        if args.format == "table":
            row["name"] = "  " * d + node.name
        rows.append(row)
    emit(rows, ("code", "name", "level", "provenance"), args.format)
    return 0


def cmd_editions(args: argparse.Namespace) -> int:
    from .model import CLASSIFICATION_NAMES, edition, editions

    rows = []
    for year in editions():
        ed = edition(year)
        counts = ed.provenance_counts()
        row: dict[str, Any] = {"year": year, "title": ed.title}
        for cls in ed.classifications:
            row[cls] = sum(n for (c, _, _), n in counts.items() if c == cls)
        for kind in ("attested", "official", "compiled"):
            row[kind] = sum(n for (_, _, k), n in counts.items() if k == kind)
        rows.append(row)
    fields = ["year", "title", "functional", "economic-department", "economic-government", "economic",
              "attested", "official", "compiled"]
    fields = [f for f in fields if any(f in r for r in rows)]
    if args.format == "table":
        for f in fields:
            HEADERS.setdefault(f, CLASSIFICATION_NAMES.get(f, f))
    emit(rows, fields, args.format)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    ed = _edition(args)
    if args.format == "json":
        from .convert import to_dict

        emit([], (), "json", json_data=to_dict(ed))
        return 0
    rows = []
    for c in ed:
        row = _code_row(c)
        row["evidence"] = str(c.provenance)
        row["description"] = c.description
        rows.append(row)
    fields = ["code", "name", "level", "classification", "parent", "provenance", "evidence", "description"]
    emit(rows, fields if args.format == "csv" else fields[:6], args.format)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from .changes import diff

    d = diff(args.a, args.b)
    kinds = [k.strip() for k in args.kind.split(",") if k.strip()] if args.kind else None
    try:
        d = d.filter(kind=kinds, under=args.under)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "json":
        from .convert import to_dict

        emit([], (), "json", json_data=to_dict(d))
        return 0
    fields = ("kind", "old_code", "old_name", "new_code", "new_name", "share", "citation")
    rows = [{f: getattr(c, f) for f in fields} for c in d]
    emit(rows, fields, args.format)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from .changes import history

    h = history(args.code)
    if args.format == "json":
        from .convert import to_dict

        emit([], (), "json", json_data=to_dict(h))
        return 0
    rows = []
    years = sorted(h.names)
    if years:
        # one row per run of years with the same name
        start = prev = years[0]
        for y in years[1:] + [None]:  # type: ignore[list-item]
            if y is not None and y == prev + 1 and h.names[y] == h.names[start]:
                prev = y
                continue
            span = f"{start}" if start == prev else f"{start}–{prev}"
            rows.append({"year": span, "event": "present", "name": h.names[start]})
            if y is not None:
                start = prev = y
    for e in h.events:
        if e.kind == "present":
            continue
        rows.append({"year": str(e.year), "event": e.kind, "name": e.name, "other_code": e.other_code,
                     "other_name": e.other_name, "citation": e.citation})
    rows.sort(key=lambda r: (r["year"][:4], r["event"] != "present"))
    emit(rows, ("year", "event", "name", "other_code", "other_name", "citation"), args.format)
    return 0


# -- parser ----------------------------------------------------------------

def _year(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"a year such as 2026, not {text!r}")
    return int(text)


def _common(p: argparse.ArgumentParser, year: bool = True) -> None:
    if year:
        p.add_argument("--year", type=_year, default=None, help="edition year (default: the latest)")
    p.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")


COMMANDS: list[tuple[str, str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = []


def command(name: str, help: str, run: Callable[[argparse.Namespace], int]
            ) -> Callable[[Callable[[argparse.ArgumentParser], None]], Callable[[argparse.ArgumentParser], None]]:
    """Register a sub-command running ``run``; the decorated function adds its arguments."""

    def wrap(add: Callable[[argparse.ArgumentParser], None]) -> Callable[[argparse.ArgumentParser], None]:
        COMMANDS.append((name, help, add, run))
        return add

    return wrap


@command("show", run=cmd_show, help="show codes with their name, level, parent and evidence")
def _add_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("codes", nargs="+", metavar="CODE", help="codes in any printed form (2080101, [2080101]行政运行 …)")
    _common(p)


@command("search", run=cmd_search, help="find codes by name (typo and line-wrap tolerant)")
def _add_search(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", help="a name, part of a name, or a code prefix")
    p.add_argument("--under", metavar="CODE", help="only below this code")
    p.add_argument("--classification", choices=("functional", "economic-department", "economic-government", "economic"))
    p.add_argument("--limit", type=int, default=20, help="at most this many matches (default 20)")
    _common(p)


@command("tree", run=cmd_tree, help="print the tree below a code (or every 类)")
def _add_tree(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", nargs="?", help="the top of the tree (default: every 类)")
    p.add_argument("--depth", type=int, default=None, help="levels below the top to show")
    p.add_argument("--classification", choices=("functional", "economic-department", "economic-government", "economic"),
                   help="with no CODE: only this classification's 类")
    _common(p)


@command("editions", run=cmd_editions, help="list the editions with their counts")
def _add_editions(p: argparse.ArgumentParser) -> None:
    _common(p, year=False)


@command("export", run=cmd_export, help="export a whole edition")
def _add_export(p: argparse.ArgumentParser) -> None:
    _common(p)


@command("diff", run=cmd_diff, help="typed changes between two editions (either direction)")
def _add_diff(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", type=_year, metavar="FROM", help="the earlier (or first) edition")
    p.add_argument("b", type=_year, metavar="TO", help="the other edition")
    p.add_argument("--kind", help="only these kinds, comma separated: added,removed,renamed,moved,"
                                  "split,merged,reused,redescribed")
    p.add_argument("--under", metavar="CODE", help="only changes touching codes below CODE")
    _common(p, year=False)


@command("history", run=cmd_history, help="a code's life across all editions")
def _add_history(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", help="the code")
    _common(p, year=False)


# -- restate (changes between editions) ------------------------------------------------

def _read_shares(path: str) -> dict[str, dict[str, str]]:
    import csv

    shares: dict[str, dict[str, str]] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for n, row in enumerate(csv.DictReader(fh), 2):
                try:
                    shares.setdefault(row["old_code"], {})[row["new_code"]] = row["share"]
                except KeyError:
                    raise UsageError(f"{path}: the shares file needs the columns old_code,new_code,share") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    return shares


def cmd_restate(args: argparse.Namespace) -> int:
    from .items import find_column, read_items
    from .model import edition
    from .restatement import restate

    source = sys.stdin.buffer if args.file == "-" else args.file
    items = read_items(source)
    header = items.header
    cols = items.columns
    if args.code_column:
        code_col = find_column(list(header), args.code_column, "code")
    else:
        found = [cols.codes[r] for r in ("functional", "economic", "economic-department", "economic-government")
                 if r in cols.codes]
        if not found:
            raise UsageError(f"{items.name}: no code column recognised; name it with --code-column")
        code_col = found[0]
    measures = [find_column(list(header), m, "amount") for m in args.measure] if args.measure else list(cols.measures)
    if not measures:
        raise UsageError(f"{items.name}: no amount column recognised; name it with --measure")
    overrides = {}
    for text in args.override or ():
        old, sep, new = text.partition("=")
        if not sep:
            raise UsageError(f"--override takes OLD=NEW, not {text!r}")
        overrides[old] = new
    shares = _read_shares(args.shares) if args.shares else None
    result = restate(items, args.from_year, args.to_year, code=code_col, amounts=measures,
                     shares=shares, overrides=overrides)
    target = edition(args.to_year)
    rows: list[dict[str, Any]] = []
    for code, sums in result.totals_by_code().items():
        row: dict[str, Any] = {"code": code, "name": target[code].name}
        row.update({m: str(v) for m, v in sums.items()})
        rows.append(row)
    total = {"code": "", "name": "合计"}
    total.update({m: str(result.placed_totals[m]) for m in measures})
    if args.format == "json":
        emit([], (), "json", json_data={
            "from_year": result.from_year, "to_year": result.to_year, "rows": rows,
            "placed": {m: str(v) for m, v in result.placed_totals.items()},
            "unplaced": {m: str(v) for m, v in result.unplaced_totals.items()},
            "input": {m: str(v) for m, v in result.input_totals.items()},
            "report": [{"row": u.row, "code": u.code, "reason": u.reason,
                        "amounts": {k: str(v) for k, v in u.amounts.items()},
                        "candidates": list(u.candidates)} for u in result.unplaced]})
    else:
        emit([total] + rows, ["code", "name"] + measures, args.format)
    for u in result.unplaced:
        amounts = ", ".join(f"{k} {v}" for k, v in u.amounts.items())
        more = f" (candidates: {', '.join(u.candidates)})" if u.candidates else ""
        sys.stderr.write(f"{PROG}: unplaced: item {u.row}: {u.code}: {u.reason}{more}; {amounts}\n")
    if result.unplaced:
        left = ", ".join(f"{k} {v}" for k, v in result.unplaced_totals.items())
        sys.stderr.write(f"{PROG}: {len(result.unplaced)} item(s) not restated ({left}); "
                         "input = restated + unplaced, exactly\n")
    return 1 if result.unplaced else 0


@command("restate", run=cmd_restate, help="recode line items from one edition into another, conserving totals")
def _add_restate(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="CSV, XLSX or JSON-lines line items; - for standard input")
    p.add_argument("--from", dest="from_year", type=_year, required=True, help="the edition the items are coded in")
    p.add_argument("--to", dest="to_year", type=_year, required=True, help="the edition to restate them in")
    p.add_argument("--code-column", help="the column of codes to recode (default: the functional code column)")
    p.add_argument("--measure", action="append", metavar="COL", help="an amount column (repeatable; default: all recognised)")
    p.add_argument("--shares", metavar="CSV", help="shares for splits: a CSV with old_code,new_code,share")
    p.add_argument("--override", action="append", metavar="OLD=NEW", help="send an old code to a new one (repeatable)")
    _common(p, year=False)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``govcodes`` command."""
    from . import __version__

    parser = argparse.ArgumentParser(
        prog=PROG,
        description="China's government revenue and expenditure classification (政府收支分类科目).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, help_text, add, run in COMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text)
        add(p)
        p.set_defaults(run=run)
    return parser


def main(argv: Iterable[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        return int(args.run(args))
    except UnknownCodeError as exc:
        _error(str(exc))
        return 1
    except (InvalidCodeError, UnknownEditionError, UsageError) as exc:
        _error(str(exc))
        return 2
    except GovcodesError as exc:
        _error(str(exc))
        return 1
    except BrokenPipeError:  # e.g. piped into head
        return 0
