"""The ``govcodes`` command: a thin layer over the API.

Each command maps to one API call; ``--format table|json|csv`` works on all.
Exit status: 0 found, 1 not found (or problems reported), 2 usage error.
Only what the chosen output format needs is imported.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Callable, Iterable, Sequence

from .errors import GovcodesError, InputError, InvalidCodeError, UnknownCodeError, UnknownEditionError

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
        except UnknownCodeError as exc:
            _error(str(exc))
            status = max(status, 1)
        except InvalidCodeError as exc:
            _error(str(exc))
            status = 2
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
                unit = "所有单位" if row.unit == "*" else row.unit
                level = "" if len(row.government) == 5 else "; only the 类 is settled"
                sys.stdout.write(f"政府预算经济分类 ({unit}): {row.government} {gov.name if gov else '?'} "
                                 f"[{row.provenance.kind}{level}]\n")
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
    if args.format == "table":  # Chinese headers for the classification columns
        rows = [{CLASSIFICATION_NAMES.get(k, k): v for k, v in row.items()} for row in rows]
        fields = [CLASSIFICATION_NAMES.get(f, f) for f in fields]
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
    rows: list[dict[str, Any]] = []
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
                    old, new, share = row["old_code"], row["new_code"], row["share"]
                except KeyError:
                    raise UsageError(f"{path}: the shares file needs the columns old_code,new_code,share") from None
                if not (old and new and share):
                    raise UsageError(f"{path}: line {n}: old_code, new_code and share must all be given")
                shares.setdefault(old, {})[new] = share
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


# -- rollup (line items → 类/款/项 totals) -----------------------------------------------------

#: Files at least this large get a progress bar on standard error (when it is a terminal).
ROLLUP_PROGRESS_BYTES = 8 << 20


def _rollup_year(text: str) -> int | str | None:
    if text.lower() in ("none", "latest"):
        return None if text.lower() == "none" else "latest"
    if text.isdigit():
        return int(text)
    raise argparse.ArgumentTypeError(f"a year such as 2026, or none (by code structure only), not {text!r}")


def _rollup_progress(total: int | None) -> Callable[[int, int | None], None]:
    def show(done: int, size: int | None) -> None:
        if size:
            share = min(done / size, 1.0)
            bar = "#" * int(share * 30)
            sys.stderr.write(f"\r{PROG}: reading [{bar:<30}] {share:6.1%}  {done / 1e6:,.1f} of {size / 1e6:,.1f} MB")
        else:
            sys.stderr.write(f"\r{PROG}: reading {done / 1e6:,.1f} MB")
        sys.stderr.flush()

    return show


def cmd_rollup(args: argparse.Namespace) -> int:
    import os

    from .items import read_items
    from .rollups import rollup

    if args.format == "xlsx" and not args.output:
        raise UsageError("--format xlsx writes a workbook: give the file with -o")
    stdin = args.file == "-"
    size = None if stdin else (os.path.getsize(args.file) if os.path.isfile(args.file) else None)
    progress = None
    if sys.stderr.isatty() and (stdin or (size or 0) >= ROLLUP_PROGRESS_BYTES):
        progress = _rollup_progress(size)
    source = sys.stdin.buffer if stdin else args.file
    items = read_items(source, encoding=args.encoding, sheet=args.sheet, progress=progress)
    try:
        result = rollup(items, year=args.year, by=args.by, measures=args.measure, depth=args.depth,
                        column_depth=args.column_depth, code_column=args.code_column,
                        economic_column=args.economic_column, input_unit=args.input_unit,
                        unit_kind=args.unit_kind, strict=args.strict)
    finally:
        items.close()
        if progress is not None:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
    unit = args.unit
    try:
        if args.format == "xlsx":
            result.to_xlsx(args.output, unit=unit)
        else:
            if args.format == "csv":
                text = result.to_csv(unit=unit) or ""
            elif args.format == "json":
                text = result.to_json(unit=unit) + "\n"
            else:
                text = result.to_table(unit=unit) + "\n"
            if args.output:
                # CSV gets a BOM so that Excel opens it as UTF-8
                with open(args.output, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8",
                          newline="") as fh:
                    fh.write(text)
            else:
                sys.stdout.write(text)
        _rollup_report(result, unit, args.report)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        raise UsageError(f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}") from None
    return 1 if result.report else 0


def _rollup_report(result: Any, unit: str, path: str | None) -> None:
    """The unplaced items on standard error (the first 50; all of them in --report FILE)."""
    from .money import format_amount, to_unit

    report = result.report

    def money(values: Sequence[Any]) -> str:
        return ", ".join(f"{m} {format_amount(to_unit(v, '元', unit), thousands=True)}"
                         for m, v in zip(result.measures, values))

    if path:
        rows = report.to_rows(unit)
        fields = ["row", "kind", "message", "cells", *result.measures]
        as_json = path.lower().endswith(".json")
        # CSV gets a BOM so that Excel opens it as UTF-8; JSON must not have one
        with open(path, "w", encoding="utf-8" if as_json else "utf-8-sig", newline="") as fh:
            if as_json:
                import json

                json.dump(rows, fh, ensure_ascii=False, indent=2)
                fh.write("\n")
            else:
                import csv

                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(fields)
                for row in rows:
                    writer.writerow(["" if row.get(f) is None else row.get(f) for f in fields])
    if not report:
        return
    err = sys.stderr
    shown = 0 if path else 50
    err.write(f"{PROG}: {len(report)} line item(s) not placed "
              f"({', '.join(f'{k} {n}' for k, n in report.counts().items())})"
              + (f"; all of them are in {path}" if path else "") + ":\n")
    for problem, row in zip(report.problems[:shown], report.to_rows(unit)[:shown]):
        amounts = ", ".join(f"{m} {row[m]}" for m in result.measures)
        err.write(f"  {problem}; {amounts}\n")
    if len(report) > shown and not path:
        err.write(f"  … and {len(report) - shown} more (--report FILE writes them all)\n")
    err.write(f"{PROG}: totals ({unit}): input {money(result.input_total)} = placed {money(result.placed)}"
              f" + not placed {money(report.total)}\n")


@command("rollup", run=cmd_rollup, help="roll line items up into 类/款/项 totals (the official table layout)")
def _add_rollup(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="CSV (UTF-8 or GB18030), XLSX or JSON-lines line items; - for standard input")
    p.add_argument("--year", type=_rollup_year, default="latest",
                   help="edition year (default: the latest); none: by code structure only, names as printed")
    p.add_argument("--by", default="functional",
                   help="functional, economic, economic-department, economic-government, or functional,ECONOMIC "
                        "for a crossed table (default: functional)")
    p.add_argument("--depth", choices=("类", "款", "项"), help="the lowest level of the rows (default: the deepest)")
    p.add_argument("--column-depth", choices=("类", "款"), default="类",
                   help="crossed tables: economic 类 or 款 columns (default: 类)")
    p.add_argument("--measure", action="append", metavar="COL",
                   help="an amount column (repeatable; default: every recognised one: 金额, 合计, 基本支出 …)")
    p.add_argument("--code-column", metavar="COL", help="the column of the row tree's codes (default: recognised)")
    p.add_argument("--economic-column", metavar="COL", help="the column of the economic codes of a crossed table")
    p.add_argument("--unit", choices=("元", "万元"), default="元", help="unit shown, rounded half up (default: 元)")
    p.add_argument("--input-unit", choices=("元", "万元"),
                   help="unit of the amounts read (default: as the headers say, 金额（万元）, else 元)")
    p.add_argument("--unit-kind", choices=("机关", "事业单位"), default="机关",
                   help="the 对照表 column used to map department to government economic codes (default: 机关)")
    p.add_argument("--strict", action="store_true", help="stop at the first item that cannot be placed")
    p.add_argument("--format", choices=("table", "csv", "json", "xlsx"), default="table",
                   help="output format (default: table; xlsx needs -o and openpyxl)")
    p.add_argument("-o", "--output", metavar="OUT", help="write the output to this file (default: standard output)")
    p.add_argument("--report", metavar="FILE", help="write every unplaced item to this CSV (or .json) file")
    p.add_argument("--encoding", help="encoding of a CSV file (default: detected: UTF-8, UTF-8 BOM, GB18030)")
    p.add_argument("--sheet", help="the sheet of an XLSX file (default: the first)")



# -- check (a published table against its edition) --------------------------------------------

#: Table headers of the check command's findings.
CHECK_HEADERS = {"line": "行号", "severity": "级别", "check": "检查", "message": "说明"}


def cmd_check(args: argparse.Namespace) -> int:
    from .checking import check

    report = check(args.file, year=args.year, identities=args.identity, formatting=args.formatting,
                   encoding=args.encoding)
    if args.format == "json":
        emit([], (), "json", json_data=report.to_dict())
        return 0 if report.ok else 1
    if args.format == "csv":
        rows = [f.to_dict() for f in report]
        fields = ("table", "line", "code", "name", "kind", "severity", "column", "expected", "actual", "message")
        emit(rows, fields, "csv")
        sys.stderr.write(report.summary() + "\n")
    else:
        if report.findings:
            for key, header in CHECK_HEADERS.items():
                HEADERS.setdefault(key, header)
            rows = [{"line": f.line, "severity": f.severity, "check": f.kind, "message": f.message} for f in report]
            emit(rows, tuple(CHECK_HEADERS), "table")
        sys.stdout.write(report.summary() + "\n")
    return 0 if report.ok else 1


@command("check", run=cmd_check, help="check a published budget table: codes, names, subtotals and totals")
def _add_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the table: text extracted from a PDF, CSV or XLSX; "
                                                "every classification table in it is checked")
    p.add_argument("--year", type=_year, default=None,
                   help="edition year (default: from each table's title)")
    p.add_argument("--identity", action="append", metavar="RULE",
                   help="a column identity every row must satisfy, such as '合计=基本支出+项目支出' "
                        "(repeatable; default: those the header makes obvious)")
    p.add_argument("--formatting", action="store_true",
                   help="also report names that differ only in formatting (wrap spaces, bracket width)")
    p.add_argument("--encoding", help="encoding of a text or CSV file (default: detected)")
    p.add_argument("--format", choices=FORMATS, default="table",
                   help="output format (default: table); exit status 1 when an error is found")



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
    except (InvalidCodeError, UnknownEditionError, UsageError, InputError) as exc:
        _error(str(exc))
        return 2
    except GovcodesError as exc:
        _error(str(exc))
        return 1
    except BrokenPipeError:  # e.g. piped into head
        return 0
