"""The ``govcodes`` command: a thin mirror of the API.

Each command is one API call and its rendering (:mod:`govcodes.render`).
Every command takes ``--format`` (table, json, csv) and ``-o/--output``;
CSV is headed in Chinese (科目编码, 科目名称 …) unless ``--english-headers``
asks for the field names, which are also the JSON keys.

Exit status: 0 when all is well; 1 when a code is not found, an item could
not be placed or restated, or a table has errors; 2 for a usage or input
error; 130 when interrupted.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from .errors import GovcodesError, InputError, InvalidCodeError, UnknownCodeError, UnknownEditionError

__all__ = ["main", "build_parser"]

PROG = "govcodes"
FORMATS = ("table", "json", "csv")
#: Input files at least this large are read with a progress bar on standard error (when it is a
#: terminal): text (CSV, JSON lines), and workbooks, which take longer per byte.
PROGRESS_BYTES = 8 << 20
PROGRESS_WORKBOOK_BYTES = 1 << 20


class UsageError(GovcodesError):
    """A command line that cannot be carried out as given (exit status 2)."""


# -- output -----------------------------------------------------------------------------------

def _error(message: str) -> None:
    """An error on standard error, as the command line spells things, in the chosen language."""
    from .messages import cli_words, localize, say
    from .render import terminal_safe

    sys.stderr.write(f"{PROG}: {say('error')}{terminal_safe(localize(cli_words(message)))}\n")


def _note(message: str) -> None:
    from .messages import cli_words, localize
    from .render import terminal_safe

    sys.stderr.write(f"{PROG}: {terminal_safe(localize(cli_words(message)))}\n")


def _say(key: str, **fields: Any) -> str:
    from .messages import say

    return say(key, **fields)


def _write(args: argparse.Namespace, text: str) -> None:
    """Write the output: to ``-o FILE`` (CSV with a BOM unless --csv-encoding says otherwise) or stdout.

    A command that writes several parts (a table, then the lines below it) appends them to the
    file it began.  CSV on standard output is written in --csv-encoding when it is given.
    """
    with _stream(args) as out:
        try:
            out.write(text)
        except OSError as exc:
            raise UsageError(_say("cannot-write", path=args.output, reason=exc.strerror or exc)) from None


def _stdout_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


class _TerminalSafe:
    """A text stream that escapes control characters on their way to the terminal."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, text: str) -> int:
        from .render import terminal_safe

        return self.out.write(terminal_safe(text))  # escape sequences in the data are shown, not run

    def flush(self) -> None:
        self.out.flush()


@contextlib.contextmanager
def _stream(args: argparse.Namespace) -> Iterator[IO[str]]:
    """The output as a text stream (what :func:`_write` writes to, and what is written a piece at a time):
    ``-o FILE`` (CSV with a BOM unless --csv-encoding says otherwise; a later part appended to it) or
    standard output (CSV in --csv-encoding when it is given; control characters escaped on a terminal)."""
    import io

    path = getattr(args, "output", None)
    chosen = getattr(args, "csv_encoding", None) if args.format == "csv" else None
    begun = getattr(args, "_begun", False)
    encoding = (chosen or "utf-8-sig") if args.format == "csv" else "utf-8"
    try:
        if not path or path == "-":
            terminal = _stdout_terminal()
            if chosen is None or not hasattr(sys.stdout, "buffer"):
                yield _TerminalSafe(sys.stdout) if terminal else sys.stdout  # type: ignore[misc]
            else:
                sys.stdout.flush()  # (a BOM only before the first part)
                out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8" if chosen == "utf-8-sig" and begun
                                       else chosen, newline="")
                try:
                    yield _TerminalSafe(out) if terminal else out  # type: ignore[misc]
                    out.flush()
                finally:
                    out.detach()
            args._begun = True
            return
        try:
            fh = open(path, "a" if begun else "w", encoding=encoding, newline="")
        except OSError as exc:
            raise UsageError(_say("cannot-write", path=path, reason=exc.strerror or exc)) from None
        with fh:
            yield fh
        args._begun = True
    except UnicodeEncodeError as exc:
        raise UsageError(_say("cannot-encode", text=exc.object[exc.start:exc.end], encoding=encoding)) from None


def _emit(args: argparse.Namespace, rows: Sequence[dict[str, Any]], fields: Sequence[str],
          json_data: Any = None) -> None:
    """Rows of fields as the chosen format."""
    from . import render

    if args.format == "json":
        _write(args, render.json_text(rows if json_data is None else json_data))
    elif args.format == "csv":
        _write(args, render.fields_csv(rows, fields, english=getattr(args, "english_headers", False)))
    elif rows:
        _write(args, render.text_table(rows, fields) + "\n")


def _code_row(code: Any) -> dict[str, Any]:
    from .render import code_row

    return code_row(code)


def _edition(args: argparse.Namespace) -> Any:
    from .model import edition

    return edition(args.year, as_of=getattr(args, "as_of", None), extensions=getattr(args, "extensions", None))


# -- lookups ------------------------------------------------------------------------------------

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

        _emit(args, [], (), json_data=[to_dict(c) for c in found])
    elif found:
        _emit(args, [_code_row(c) for c in found], ("code", "name", "level", "parent", "full_name", "provenance", "year"))
        if args.format == "table" and len(found) == 1:
            from .render import code_details

            _write(args, code_details(found[0]))
    return status


def cmd_search(args: argparse.Namespace) -> int:
    ed = _edition(args)
    matches = ed.search(args.text, under=args.under, classification=args.classification, limit=args.limit)
    if not matches:
        _error(_say("nothing-matches", year=ed.year, text=args.text))
    if args.format == "json":
        from .convert import to_dict

        _emit(args, [], (), json_data=[to_dict(m) for m in matches])
    elif matches:
        rows = [dict(_code_row(m.code), score=f"{m.score:.2f}", how=m.how) for m in matches]
        _emit(args, rows, ("code", "name", "full_name", "how", "score"))
    return 0 if matches else 1


def cmd_tree(args: argparse.Namespace) -> int:
    ed = _edition(args)
    nodes = ed.walk(args.code, depth=args.depth, classification=args.classification)
    if args.format == "json":
        def nested(node: Any, d: int) -> dict[str, Any]:
            item: dict[str, Any] = {"code": node.code, "name": node.name, "level": node.level,
                                    "parent": node.parent.code if node.parent else None}
            if args.depth is None or d < args.depth:
                item["children"] = [nested(c, d + 1) for c in node.children]
            return item

        _emit(args, [], (), json_data=[nested(node, 0) for node, d in nodes if d == 0])
        return 0
    rows = []
    for node, d in nodes:
        row = _code_row(node)
        if args.format == "table":
            row["name"] = "  " * d + node.name
        rows.append(row)
    _emit(args, rows, ("code", "name", "level", "parent", "provenance"))
    return 0


def cmd_editions(args: argparse.Namespace) -> int:
    from .codes import CLASSIFICATIONS
    from .model import edition, editions, shipped_editions
    from .user import user_years

    users = set(user_years())
    shipped = set(shipped_editions())
    rows = []
    for year in editions():
        row = edition(year).summary()
        row["origin"] = ("user, replaces the shipped edition" if year in shipped else "user") if year in users \
            else "shipped"
        rows.append(row)
    fields = ["year", "title", "origin", *CLASSIFICATIONS, "attested", "official", "compiled", "user"]
    fields = [f for f in fields if any(r.get(f) for r in rows) or f in ("attested", "official", "compiled")]
    _emit(args, rows, fields)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    if args.table is not None or args.format == "parquet" or args.to_year is not None:
        return _export_table(args)
    ed = _edition(args)
    if args.format == "json":
        from .convert import to_dict

        _emit(args, [], (), json_data=to_dict(ed))
        return 0
    rows = []
    for c in ed:
        row = _code_row(c)
        row["evidence"] = str(c.provenance)
        row["description"] = c.description
        rows.append(row)
    fields = ["code", "name", "level", "classification", "parent", "provenance", "evidence", "description"]
    _emit(args, rows, fields if args.format == "csv" else fields[:6])
    return 0


def cmd_edition(args: argparse.Namespace) -> int:
    from . import render
    from .user import load_edition, remove_edition, user_meta

    if args.action in ("remove", "changes") and args.year is None:
        if args.file is None or not args.file.isdigit():
            raise UsageError(_say("which-user-edition", action=args.action))
        args.year = int(args.file)
    if args.action == "remove":
        remove_edition(args.year)
        _note(_say("removed-edition", year=args.year))
        return 0
    if args.action == "changes":
        meta = user_meta(args.year)
        from .changes import step_records

        rows = []
        for a, b in ((meta.get("base"), args.year), (args.year, meta.get("following"))):
            if a is not None and b is not None:
                rows += [{"from_year": c.from_year, "to_year": c.to_year, "kind": c.kind,
                          "classification": c.classification, "old_code": c.old_code, "old_name": c.old_name,
                          "new_code": c.new_code, "new_name": c.new_name, "share": c.share,
                          "citation": c.citation, "evidence": c.evidence} for c in step_records(a, b)]
        args.english_headers = True  # a change-record file: the columns data/changes/ uses
        _emit(args, rows, ("kind", "classification", "old_code", "old_name", "new_code", "new_name", "share",
                           "citation", "evidence", "from_year", "to_year"))
        return 0
    if args.file is None:
        raise UsageError(_say("import-needs-file"))
    if args.year is None:
        raise UsageError(_say("import-needs-year"))
    ed = load_edition(args.file, year=args.year, as_of=args.as_of, override=args.override, replace=args.replace,
                      inherit=not args.no_inherit, changes=args.changes, encoding=args.encoding)
    meta = user_meta(ed.year)
    summary = ed.summary()
    what = _say("imported-book" if meta["layout"] == "book" else "imported-list")
    _note(_say("imported", year=ed.year, source=meta["source"], what=what, n=len(ed))
          + (_say("inherited", year=meta["base"] or meta["following"], parts=", ".join(meta["inherited"]))
             if meta["inherited"] else ""))
    from .changes import diff

    for a, b in ((meta.get("base"), ed.year), (ed.year, meta.get("following"))):
        if a is not None and b is not None:
            counts = diff(a, b).counts()
            _note(_say("import-changes", a=a, b=b,
                       counts=", ".join(f"{k} {n}" for k, n in counts.items()) or _say("none")))
    if args.format == "json":
        _write(args, render.json_text({"edition": summary, "meta": meta}))
    else:
        _emit(args, [summary], [k for k in summary if summary[k] or k in ("year", "title")])
    return 0


def cmd_guess(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .guess import guess_edition

    source: Any = Path(args.file) if args.file != "-" else sys.stdin.buffer.read()
    ranking = guess_edition(source)
    if args.format == "json":
        _write(args, _json([{"year": g.year, "score": g.score, "fits": g.fits, "renamed": g.renamed,
                             "missing": g.missing, "tied": list(g.tied), "evidence": list(g.evidence)}
                            for g in ranking]))
        return 0
    rows = [{"year": g.year, "score": f"{g.score:.1%}", "fits": g.fits, "renamed": g.renamed, "missing": g.missing}
            for g in ranking[:args.limit]]
    _emit(args, rows, ("year", "score", "fits", "renamed", "missing"))
    if args.format == "table":
        best = ranking[0]
        lines = ["\n" + _say("guess-best", n=len(best.pairs), year=best.year)
                 + (_say("guess-tied", years=", ".join(map(str, best.tied))) if best.tied else "")]
        from .messages import localize

        lines += [f"  {localize(e)}" for e in best.evidence[:12]]
        if len(best.evidence) > 12:
            lines.append("  " + _say("guess-more", n=len(best.evidence) - 12))
        from .render import terminal_safe

        _write(args, terminal_safe("\n".join(lines)) + "\n")
    return 0


def _json(data: Any) -> str:
    from .render import json_text

    return json_text(data)


def _export_table(args: argparse.Namespace) -> int:
    """A dimension table (codes, closure, correspondence, crosswalk) as Parquet, CSV, JSON or text."""
    from .dimensions import dimension_table

    table = args.table or "codes"
    if args.format == "parquet" and (not args.output or args.output == "-"):
        raise UsageError(_say("format-needs-output", format="parquet"))
    frame = dimension_table(table, args.year, to_year=args.to_year)
    if args.format == "parquet":
        frame.write(args.output, "parquet")
    elif args.format == "json":
        _write(args, frame.to_json())
    else:
        _emit(args, frame.to_dicts(), frame.columns)
    return 0


# -- changes ---------------------------------------------------------------------------------------

def cmd_diff(args: argparse.Namespace) -> int:
    from .changes import diff

    kinds = [k.strip() for k in args.kind.split(",") if k.strip()] if args.kind else None
    d = diff(args.a, args.b, as_of=args.as_of).filter(kind=kinds, under=args.under)
    if args.format == "json":
        from .convert import to_dict

        _emit(args, [], (), json_data=to_dict(d))
        return 0
    fields = ("kind", "old_code", "old_name", "new_code", "new_name", "share", "citation")
    _emit(args, [{f: getattr(c, f) for f in fields} for c in d], fields)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from .changes import history

    h = history(args.code)
    if args.format == "json":
        from .convert import to_dict

        _emit(args, [], (), json_data=to_dict(h))
        return 0
    _emit(args, h.timeline(), ("year", "event", "name", "other_code", "other_name", "citation"))
    return 0


def cmd_restate(args: argparse.Namespace) -> int:
    from .restatement import restate

    overrides = {}
    for text in args.override or ():
        old, sep, new = text.partition("=")
        if not sep:
            raise UsageError(_say("override-form", text=text))
        overrides[old] = new
    try:
        result = restate(_read_items(args), args.from_year, args.to_year, code=args.code_column,
                         amounts=args.measure, shares=args.shares, overrides=overrides, engine=args.engine)
    finally:
        _end_progress()
    from . import render

    if args.format == "csv" and not args.totals:  # the items, written a piece at a time
        with _stream(args) as out:
            result.write_csv(out, english=args.english_headers)
    else:
        if args.totals:
            rows, fields = render.restatement_totals(result, args.to_year)
        else:
            rows, fields = render.restatement_items(result)
        if args.format == "json":
            _emit(args, [], (), json_data=render.restatement_json(result, rows))
        else:
            _emit(args, rows, fields)
    _warnings([(w.row, w.message, ", ".join(f"{k} {v}" for k, v in w.amounts.items())) for w in result.warnings])
    for u in result.unplaced:
        amounts = ", ".join(f"{k} {v}" for k, v in u.amounts.items())
        more = _say("candidates", codes=", ".join(u.candidates)) if u.candidates else ""
        _note(_say("not-restated-row", row=u.row, code=u.code, reason=u.reason, more=more, amounts=amounts))
    if result.unplaced:
        left = ", ".join(f"{k} {v}" for k, v in result.unplaced_totals.items())
        _note(_say("not-restated", n=len(result.unplaced), left=left))
    return 1 if result.unplaced else 0


# -- rollup ------------------------------------------------------------------------------------

def _rollup_year(text: str) -> int | str | None:
    if text.lower() in ("none", "latest"):
        return None if text.lower() == "none" else "latest"
    if text.isdigit():
        return int(text)
    raise argparse.ArgumentTypeError(_say("bad-rollup-year", text=text))


def progress_bar(total: int | None) -> Callable[[int, int | None], None]:
    """A progress callback that draws a bar on standard error."""
    def show(done: int, size: int | None) -> None:
        if size:
            share = min(done / size, 1.0)
            bar = "#" * int(share * 30)
            sys.stderr.write(f"\r{PROG}: reading [{bar:<30}] {share:6.1%}  {done / 1e6:,.1f} of {size / 1e6:,.1f} MB")
        else:
            sys.stderr.write(f"\r{PROG}: reading {done / 1e6:,.1f} MB")
        sys.stderr.flush()

    return show


def _is_terminal() -> bool:
    return sys.stderr.isatty()


def _progress(args: argparse.Namespace) -> Callable[[int, int | None], None] | None:
    """A progress bar for reading ``args.file``: only when standard error is a terminal, and the file
    is large (standard input: always, its size is not known)."""
    import os

    if not _is_terminal():
        return None
    if args.file == "-":
        return progress_bar(None)
    try:
        size = os.path.getsize(args.file)
        with open(args.file, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return None  # the reader says what is wrong with it
    from .readers.source import sniff_format

    workbook = sniff_format(head) in ("xlsx", "xls", "ods")
    return progress_bar(size) if size >= (PROGRESS_WORKBOOK_BYTES if workbook else PROGRESS_BYTES) else None


def _read_items(args: argparse.Namespace) -> Any:
    """``read_items`` of the command's file, showing progress (see :func:`_progress`)."""
    from .readers.items import read_items

    return read_items(args.file, encoding=args.encoding, sheet=args.sheet, progress=_progress(args))


def _end_progress() -> None:
    if _is_terminal():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def cmd_rollup(args: argparse.Namespace) -> int:
    from .rollups import rollup

    if args.format in ("xlsx", "parquet") and (not args.output or args.output == "-"):
        raise UsageError(_say("format-needs-output", format=args.format))
    if args.report and not args.report.lower().endswith((".csv", ".json")):
        raise UsageError(_say("report-suffix", path=args.report))
    try:
        result = rollup(_read_items(args), year=args.year, as_of=args.as_of, extensions=args.extensions, by=args.by,
                        measures=args.measure, depth=args.depth,
                        column_depth=args.column_depth, code_column=args.code_column,
                        economic_column=args.economic_column, input_unit=args.input_unit,
                        unit_kind=args.unit_kind, strict=args.strict, engine=args.engine)
    finally:
        _end_progress()
    if args.year == "latest" and result.year is not None:
        from .model import editions

        if result.year != editions()[-1]:
            _note(_say("title-year", year=result.year))
    unit = args.unit
    if args.format == "xlsx":
        try:
            result.to_xlsx(args.output, unit=unit)
        except OSError as exc:
            raise UsageError(_say("cannot-write", path=args.output, reason=exc.strerror or exc)) from None
    elif args.format == "parquet":
        result.to_parquet(args.output, unit=unit)
    elif args.format == "csv":
        _write(args, result.to_csv(unit=unit, english=args.english_headers) or "")
    elif args.format == "json":
        _write(args, result.to_json(unit=unit) + "\n")
    else:
        _write(args, result.to_table(unit=unit) + "\n")
    _rollup_report(result, unit, args.report, args.csv_encoding, args.english_headers)
    return 1 if result.report else 0


def _rollup_report(result: Any, unit: str, path: str | None, csv_encoding: str | None = None,
                   english: bool = False) -> None:
    """The unplaced items on standard error (the first 50; all of them in --report FILE)."""
    from . import render
    from .money import format_amount, to_unit

    report = result.report

    def money(values: Sequence[Any], places: int = 2) -> str:
        return ", ".join(f"{m} {format_amount(to_unit(v, '元', unit), places, thousands=True)}"
                         for m, v in zip(result.measures, values))

    def exact_places(*totals: Sequence[Any]) -> int:
        """Enough decimals to show the totals exactly (at least 2, at most 12): the identity adds up as shown."""
        exponents = [to_unit(v, "元", unit).normalize().as_tuple().exponent for t in totals for v in t if v]
        return min(12, max([2] + [-e for e in exponents if isinstance(e, int)]))

    if path:
        as_json = path.lower().endswith(".json")
        text = render.json_text(result.to_dict(unit)["report"]["problems"]) if as_json \
            else render.report_csv(result, unit, english=english)
        try:  # CSV gets a BOM so that Excel opens it as UTF-8; JSON must not have one
            with open(path, "w", encoding="utf-8" if as_json else csv_encoding or "utf-8-sig", newline="") as fh:
                fh.write(text)
        except OSError as exc:
            raise UsageError(_say("cannot-write", path=path, reason=exc.strerror or exc)) from None
    _warnings([(w.row, w.message, money([a or 0 for a in w.amounts])) for w in report.warnings])
    if not report:
        return
    from .messages import language
    from .rollups.result import PROBLEM_KINDS

    zh = language() == "zh"
    shown = 0 if path else 50
    counts = ", ".join(f"{PROBLEM_KINDS.get(k, k) if zh else k} {n}" for k, n in report.counts().items())
    _note(_say("not-placed", n=len(report), counts=counts) + (_say("all-in-report", path=path) if path else "")
          + _say("colon"))
    for problem, row in zip(report.problems[:shown], report.to_rows(unit)[:shown]):
        amounts = ", ".join(f"{m} {row[m]}" for m in result.measures)
        sys.stderr.write(f"  {_say('item-line', message=_plain_words(str(problem)), amounts=render.terminal_safe(amounts))}\n")
    if len(report) > shown and not path:
        sys.stderr.write(f"  {_say('more', n=len(report) - shown)}\n")
    places = exact_places(result.input_total, result.placed, report.total)
    _note(_say("totals", unit=unit, input=money(result.input_total, places), placed=money(result.placed, places),
               unplaced=money(report.total, places)))


def _plain_words(message: str) -> str:
    """A message of the API for the terminal: the CLI's spellings, the chosen language, no escapes."""
    from .messages import cli_words, localize
    from .render import terminal_safe

    return terminal_safe(localize(cli_words(message)))


#: Warnings shown on standard error (all of them are in the JSON output).
SHOWN_WARNINGS = 50


def _warnings(warnings: Sequence[tuple[int | None, str, str]]) -> None:
    """Codes printed with another code's name (rollup, restate): (first row, message, amounts)."""
    if not warnings:
        return
    _note(_say("warnings", n=len(warnings)) + _say("colon"))
    for row, message, amounts in warnings[:SHOWN_WARNINGS]:
        sys.stderr.write(f"  {_plain_words(_say('warning-line', row=row, message=message, amounts=amounts))}\n")
    if len(warnings) > SHOWN_WARNINGS:
        sys.stderr.write(f"  {_say('more-warnings', n=len(warnings) - SHOWN_WARNINGS)}\n")


# -- check ------------------------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .checking import check

    source = "-" if args.file == "-" else Path(args.file)
    report = check(source, year=args.year, as_of=args.as_of, identities=args.identity, formatting=args.formatting,
                   encoding=args.encoding, extensions=args.extensions, strict=args.strict)
    if not report.tables:
        raise InputError(_say("no-table", file=args.file) + (
            _say("tables-skipped", n=len(report.skipped)) if report.skipped else ""),
            expected=_say("no-table-expected"))
    if args.format == "json":
        _emit(args, [], (), json_data=report.to_dict())
        return 0 if report.ok else 1
    paged = any(f.page is not None for f in report)
    if args.format == "csv":
        rows = [f.to_dict() for f in report]
        _emit(args, rows, ("table",) + (("page",) if paged else ()) + ("line", "code", "name", "kind", "severity",
                                                                       "column", "expected", "actual", "message"))
        _note(report.overview())
        _note(report.summary())
    else:
        if report.findings:
            rows = [{"page": f.page, "line": f.line, "severity": f.severity, "check": f.kind, "message": f.message}
                    for f in report]
            _emit(args, rows, (("page",) if paged else ()) + ("line", "severity", "check", "message"))
        from .messages import localize

        _write(args, localize(report.overview()) + "\n" + localize(report.summary()) + "\n")
    return 0 if report.ok else 1


# -- the parser -------------------------------------------------------------------------------------

def _year(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(_say("bad-year", text=text))
    return int(text)


def _extensions(p: argparse.ArgumentParser) -> None:
    p.add_argument("--extensions", metavar="FILE",
                   help="local codes (地方增设科目) to layer on the edition: a file of code, name[, parent, note]")


def _as_of(p: argparse.ArgumentParser, which: str = "the edition") -> None:
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help=f"{which} as it stood on DATE (YYYY-MM-DD): its amendments dated after it "
                        "left out (default: as amended to date)")


def _common(p: argparse.ArgumentParser, year: bool = True, formats: Sequence[str] = FORMATS) -> None:
    if year:
        p.add_argument("--year", type=_year, default=None, help="edition year (default: the latest)")
        _as_of(p)
        _extensions(p)
    p.add_argument("--format", choices=formats, default=None,
                   help="output format (default: as the suffix of -o FILE says, .csv, .json …; else table)")
    p.add_argument("-o", "--output", metavar="FILE", help="write the output to FILE (default: standard output)")
    p.add_argument("--english-headers", action="store_true",
                   help="CSV headed by the field names (code, name …), as the JSON keys, not in Chinese")
    p.add_argument("--lang", choices=("en", "zh"),
                   help="language of the messages on standard error (default: GOVCODES_LANG, else the locale)")
    p.add_argument("--csv-encoding", choices=("utf-8-sig", "utf-8", "gb18030"),
                   help="encoding of CSV output, to -o FILE or standard output (default: utf-8-sig in a file, "
                        "which Excel opens; gb18030 for Excel on a Chinese Windows)")


_CLASSES = ("revenue", "functional", "economic-department", "economic-government", "economic")
COMMANDS: list[tuple[str, str, str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = []


def command(name: str, help: str, examples: str, run: Callable[[argparse.Namespace], int]
            ) -> Callable[[Callable[[argparse.ArgumentParser], None]], Callable[[argparse.ArgumentParser], None]]:
    """Register a sub-command running ``run``; the decorated function adds its arguments."""

    def wrap(add: Callable[[argparse.ArgumentParser], None]) -> Callable[[argparse.ArgumentParser], None]:
        COMMANDS.append((name, help, examples, add, run))
        return add

    return wrap


@command("show", "show codes with their name, level, parent and evidence",
         "govcodes show 2080101\ngovcodes show 30101 '[2080101]行政运行' --format json\n"
         "govcodes show 20805 --year 2019\ngovcodes show 101 10101\n"
         "govcodes show 2170404 --year 2025 --as-of 2025-05-01", cmd_show)
def _add_show(p: argparse.ArgumentParser) -> None:
    p.add_argument("codes", nargs="+", metavar="CODE", help="codes in any printed form (2080101, [2080101]行政运行 …)")
    _common(p)


@command("search", "find codes by name, pinyin or traditional characters (typo and line-wrap tolerant)",
         "govcodes search 养老\ngovcodes search 行政运行 --under 208\ngovcodes search 劳动关系的维权\n"
         "govcodes search xzyx                  # pinyin initials of 行政运行 (or in full: xingzhengyunxing)\n"
         "govcodes search 衛生健康              # traditional characters\n"
         "govcodes search 特别国债 --year 2025 --as-of 2025-05-01", cmd_search)
def _add_search(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", help="a name or part of one (simplified or traditional characters), its pinyin "
                                "in full or by initials, or a code prefix")
    p.add_argument("--under", metavar="CODE", help="only below this code")
    p.add_argument("--classification", choices=_CLASSES)
    p.add_argument("--limit", type=int, default=20, help="at most this many matches (default 20)")
    _common(p)


@command("tree", "print the tree below a code (or every 类)",
         "govcodes tree 208 --depth 1\ngovcodes tree 101 --depth 2\n"
         "govcodes tree --classification economic-department --format csv\n"
         "govcodes tree 217 --year 2025 --as-of 2025-05-01", cmd_tree)
def _add_tree(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", nargs="?", help="the top of the tree (default: every 类)")
    p.add_argument("--depth", type=int, default=None, help="levels below the top to show")
    p.add_argument("--classification", choices=_CLASSES, help="with no CODE: only this classification's 类")
    _common(p)


@command("editions", "list the editions with their counts", "govcodes editions\ngovcodes editions --format json",
         cmd_editions)
def _add_editions(p: argparse.ArgumentParser) -> None:
    _common(p, year=False)


@command("export", "export a whole edition, or one of its dimension tables for SQL engines",
         "govcodes export --year 2026 --format csv -o 2026.csv\n"
         "govcodes export --format csv --csv-encoding gb18030 -o 2026.csv   # for Excel on a Chinese Windows\n"
         "govcodes export --year 2025 --as-of 2025-05-01 --format json -o 2025-first.json\n"
         "govcodes export --year 2026 --table closure --format parquet -o closure.parquet\n"
         "govcodes export --year 2019 --table crosswalk --to 2026 --format csv -o crosswalk.csv", cmd_export)
def _add_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("--table", choices=("codes", "closure", "correspondence", "crosswalk"),
                   help="a dimension table: codes (code, name, level, parent, classification, provenance), "
                        "closure (ancestor, descendant, depth), correspondence (the 对照表), crosswalk "
                        "(old_code, new_code, kind, share; from --year to --to); default: the whole edition")
    p.add_argument("--to", dest="to_year", type=_year, metavar="YEAR", help="the other edition of a crosswalk")
    _common(p, formats=(*FORMATS, "parquet"))


@command("diff", "typed changes between two editions (either direction)",
         "govcodes diff 2019 2020\ngovcodes diff 2017 2026 --kind reused --format json\n"
         "govcodes diff 2017 2026 --under 208\ngovcodes diff 2024 2025 --kind added\n"
         "govcodes diff 2024 2025 --as-of 2025-05-01", cmd_diff)
def _add_diff(p: argparse.ArgumentParser) -> None:
    p.add_argument("a", type=_year, metavar="FROM", help="the earlier (or first) edition")
    p.add_argument("b", type=_year, metavar="TO", help="the other edition")
    p.add_argument("--kind", help="only these kinds, comma separated: added,removed,renamed,moved,"
                                  "split,merged,reused,redescribed")
    p.add_argument("--under", metavar="CODE", help="only changes touching codes below CODE")
    _as_of(p, "the later edition")
    _common(p, year=False)


@command("history", "a code's life across all editions", "govcodes history 20805\ngovcodes history 30311",
         cmd_history)
def _add_history(p: argparse.ArgumentParser) -> None:
    p.add_argument("code", help="the code")
    _common(p, year=False)


@command("restate", "recode line items from one edition into another, conserving totals",
         "govcodes restate items-2019.csv --from 2019 --to 2026 -o items-2026.csv\n"
         "govcodes restate items.csv --from 2017 --to 2018 --totals\n"
         "govcodes restate items.csv --from 2019 --to 2026 --format csv | govcodes rollup - --year 2026", cmd_restate)
def _add_restate(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="line items (CSV, XLSX, XLS, ODS, HTML or JSON lines); - for standard input")
    p.add_argument("--from", dest="from_year", type=_year, required=True, help="the edition the items are coded in")
    p.add_argument("--to", dest="to_year", type=_year, required=True, help="the edition to restate them in")
    p.add_argument("--code-column", action="append", metavar="COL",
                   help="a column of codes to recode (repeatable; default: every code column recognised, "
                        "功能科目 and 经济科目 …)")
    p.add_argument("--measure", action="append", metavar="COL", help="an amount column (repeatable; default: all recognised)")
    p.add_argument("--shares", metavar="CSV", help="shares for splits: a CSV with old_code,new_code,share")
    p.add_argument("--override", action="append", metavar="OLD=NEW", help="send an old code to a new one (repeatable)")
    p.add_argument("--totals", action="store_true", help="the totals per new code instead of the restated items")
    p.add_argument("--encoding", help="encoding of a CSV file (default: detected)")
    p.add_argument("--sheet", help="the sheet of a workbook (default: the first)")
    p.add_argument("--engine", choices=("auto", "python", "duckdb"), default="auto",
                   help="what reads the items: python, duckdb (pip install 'govcodes[duckdb]'); auto (default): "
                        "duckdb for a CSV of 16 MB or more or a Parquet file when it is installed. Every engine "
                        "gives the same items, totals and report")
    _common(p, year=False)


@command("rollup", "roll line items up into 类/款/项 totals (the official table layout)",
         "govcodes rollup 明细.csv\ngovcodes rollup 明细.xlsx --by functional,economic --unit 万元\n"
         "govcodes rollup 明细.csv --format xlsx -o 汇总.xlsx --report 未汇总.csv\n"
         "govcodes rollup 明细.xls --lang zh            # messages in Chinese\n"
         "govcodes rollup 收入明细.csv --by revenue --year 2025 --as-of 2025-05-01\n"
         "govcodes rollup big.csv --engine duckdb --format parquet -o totals.parquet", cmd_rollup)
def _add_rollup(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE",
                   help="line items: CSV (UTF-8 or GB18030), XLSX, XLS, ODS, HTML or JSON lines; - for standard input")
    p.add_argument("--year", type=_rollup_year, default="latest",
                   help="edition year (default: the latest); none: by code structure only, names as printed")
    _as_of(p)
    p.add_argument("--by", default="functional",
                   help="functional, economic, economic-department, economic-government, revenue, or "
                        "functional,ECONOMIC for a crossed table (default: functional)")
    p.add_argument("--depth", choices=("类", "款", "项", "目"), help="the lowest level of the rows (default: the deepest)")
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
    _extensions(p)
    p.add_argument("--report", metavar="FILE", help="write every unplaced item to this CSV (or .json) file")
    p.add_argument("--encoding", help="encoding of a CSV file (default: detected: UTF-8, UTF-8 BOM, GB18030)")
    p.add_argument("--sheet", help="the sheet of a workbook (default: the first)")
    p.add_argument("--engine", choices=("auto", "python", "duckdb", "spark"), default="auto",
                   help="what sums the items: python, duckdb (pip install 'govcodes[duckdb]'), spark; auto "
                        "(default): duckdb for a CSV of 16 MB or more or a Parquet file when it is installed. "
                        "Every engine gives the same totals and report")
    _common(p, year=False, formats=("table", "csv", "json", "xlsx", "parquet"))


@command("check", "check a published budget table: codes, names, subtotals and totals",
         "govcodes check 2024-budget.txt\ngovcodes check budget.pdf --year 2026\n"
         "govcodes check budget.pdf --year 2026 --strict      # list the reader's notes too, as warnings\n"
         "govcodes check table.csv --identity '合计=基本支出+项目支出' --format json\n"
         "govcodes check 2025-budget.txt --as-of 2025-05-01", cmd_check)
def _add_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="the document: a PDF, its text, CSV or a workbook; - for standard "
                                                "input; every classification table in it is checked")
    p.add_argument("--year", type=_year, default=None, help="edition year (default: from each table's title)")
    _as_of(p, "each table's edition")
    p.add_argument("--identity", action="append", metavar="RULE",
                   help="a column identity every row must satisfy, such as '合计=基本支出+项目支出' "
                        "(repeatable; default: those the header makes obvious)")
    p.add_argument("--formatting", action="store_true",
                   help="also report names that differ only in formatting (wrap spaces, bracket width)")
    p.add_argument("--encoding", help="encoding of a text or CSV file (default: detected)")
    notes = p.add_mutually_exclusive_group()
    notes.add_argument("--strict", action="store_true",
                       help="list what the reader was unsure of (reading notes) as warnings, and fail on warnings")
    notes.add_argument("--lenient", dest="strict", action="store_false",
                       help="count the reading notes in the summary without listing them (the default)")
    _extensions(p)
    _common(p, year=False)


@command("edition", "bring your own edition: import the Ministry's edition file or a code list, remove it",
         "govcodes edition import 2027年政府收支分类科目.xlsx --year 2027\n"
         "govcodes edition import 科目代码表.csv --year 2027 --replace\n"
         "govcodes edition changes 2027 --format csv -o changes.csv   # review, correct, import again with --changes\n"
         "govcodes edition remove 2027", cmd_edition)
def _add_edition(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=("import", "remove", "changes"),
                   help="import FILE as the edition of --year; remove a user edition; list its derived changes")
    p.add_argument("file", nargs="?", metavar="FILE|YEAR",
                   help="import: the book (XLSX, DOCX, text) or a code list (CSV, XLSX); remove/changes: the year")
    p.add_argument("--year", type=_year, help="the edition's year")
    p.add_argument("--as-of", metavar="DATE", help="the date the file states the edition as of (YYYY-MM-DD)")
    p.add_argument("--override", action="store_true", help="replace an edition govcodes ships (recorded)")
    p.add_argument("--replace", action="store_true", help="replace an earlier user edition of the year")
    p.add_argument("--no-inherit", action="store_true",
                   help="do not take the parts the file lacks from the neighbouring edition")
    p.add_argument("--changes", metavar="FILE", help="reviewed change records to use instead of the derived ones")
    p.add_argument("--encoding", help="encoding of a text or CSV file (default: detected)")
    _common(p, year=False)


@command("guess", "which edition does a table or a code list follow? rank the editions by fit",
         "govcodes guess 2022年部门决算.txt\ngovcodes guess codes.csv --format json", cmd_guess)
def _add_guess(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", metavar="FILE", help="a document with tables, a code list, or an edition file; - for standard input")
    p.add_argument("--limit", type=int, default=5, help="show this many editions (default 5)")
    _common(p, year=False)


class _Parser(argparse.ArgumentParser):
    """argparse with its errors in govcodes' words (and exit status 2)."""

    #: the parser of each command, by name
    commands: dict[str, argparse.ArgumentParser]

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.print_usage(sys.stderr)
        _error(message)
        raise SystemExit(2)


def build_parser() -> _Parser:
    """The argument parser of the ``govcodes`` command."""
    from . import __version__

    lines = "\n".join(f"  {name:<10}{help_text}" for name, help_text, *_ in COMMANDS)
    parser = _Parser(
        prog=PROG,
        description="China's government revenue and expenditure classification (政府收支分类科目).",
        epilog=f"commands:\n{lines}\n\nRun 'govcodes COMMAND --help' for a command's options and examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.commands = {}
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--lang", dest="lang_first", choices=("en", "zh"),
                        help="language of the messages (default: GOVCODES_LANG, else the locale): en or zh")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, help_text, examples, add, run in COMMANDS:
        example_text = "\n".join("  " + line for line in examples.splitlines())
        p = sub.add_parser(name, help=help_text, description=help_text, epilog=f"examples:\n{example_text}",
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        add(p)
        p.set_defaults(run=run)
        parser.commands[name] = p
    return parser


def _lang_of(argv: Sequence[str]) -> str | None:
    """The language asked for with --lang, wherever it stands (before the command's arguments are
    parsed: argparse's own messages come first), or None."""
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else arg.partition("=")[2] \
            if arg.startswith("--lang=") else None
        if value in ("en", "zh"):
            return value
    return None


def _parse(parser: _Parser, argv: list[str]) -> argparse.Namespace:
    """The arguments, positionals and options in any order (``edition import --year 2027 list.csv``):
    argparse alone leaves a positional after an option over when an optional one came before it."""
    args, extra = parser.parse_known_args(argv)
    command = getattr(args, "command", None)
    if not extra or command not in parser.commands or command not in argv:
        return parser.parse_args(argv)  # (its own error, when something is left over)
    rest = argv[argv.index(command) + 1:]
    found = parser.commands[command].parse_intermixed_args(rest)
    for key, value in vars(found).items():
        setattr(args, key, value)
    return args


#: The output format an -o FILE's suffix asks for.
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".parquet": "parquet", ".txt": "table"}


def _resolve_format(parser: _Parser, args: argparse.Namespace) -> None:
    """The output format: as given, else as the suffix of -o FILE says (``-o 汇总.xlsx``), else table."""
    if getattr(args, "format", "table") is not None:
        return
    import os

    choices = next((a.choices for a in parser.commands[args.command]._actions
                    if a.dest == "format"), None) or ("table",)
    suffix = os.path.splitext(args.output or "")[1].lower() if args.output and args.output != "-" else ""
    wanted = SUFFIX_FORMATS.get(suffix)
    if wanted is not None and wanted not in choices:
        raise UsageError(_say("suffix-format", path=args.output, format=wanted, command=args.command,
                              formats=", ".join(choices)))
    args.format = wanted or "table"


def main(argv: Iterable[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        parser.print_help()
        return 2
    from .messages import set_language

    set_language(_lang_of(argv))
    try:
        args = _parse(parser, argv)
        if getattr(args, "run", None) is None:
            parser.print_help()
            return 2
        _resolve_format(parser, args)
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
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: {_say('interrupted')}\n")
        return 130
    except BrokenPipeError:  # piped into head: the reader stopped; say nothing more
        import os

        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 141
