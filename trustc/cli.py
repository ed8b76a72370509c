"""The `trustc` command line.

Exit status: 0 compiled with no error diagnostic; 1 compiled with error
diagnostics (unparsed lines, truncated input); 2 nothing to compile (missing,
unreadable or binary input, bad usage). No input ever produces a traceback.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Optional, Sequence

from . import __version__
from .compiler.ast import Compilation, Diagnostic
from .compiler.driver import CompileError, compile_file
from .batch import walk as _inputs

EXIT_OK, EXIT_ERRORS, EXIT_NOTHING = 0, 1, 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 on bad usage, as we do
        self.print_usage(sys.stderr)
        self.exit(EXIT_NOTHING, f"trustc: error: {message}\n")


def format_diagnostic(path: str, d: Diagnostic) -> str:
    where = f"{path}:{d.span.line}:{d.span.column}" if d.span else path
    return f"{where}: {d.severity}[{d.code}]: {d.message}"


def _sources(paths):
    """Each input with its read source; one that cannot be read is reported on stderr and given as None."""
    from .compiler.driver import read_source

    for path in paths:
        try:
            yield path, read_source(path)
        except CompileError as exc:
            print(format_diagnostic(path, exc.diagnostic), file=sys.stderr)
            yield path, None


def _report(path: str, compilation: Compilation, quiet: bool) -> None:
    if quiet:
        return
    errors = [d for d in compilation.diagnostics if d.severity == "error"]
    for d in errors[:20]:
        print(format_diagnostic(path, d), file=sys.stderr)
    if len(errors) > 20:
        print(f"{path}: … and {len(errors) - 20} more errors", file=sys.stderr)


def cmd_compile(args) -> int:
    from .emitters import get_emitter

    try:
        emitter = get_emitter(args.to)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    except ImportError as exc:  # an optional dependency (pyarrow for parquet) is not installed
        raise UsageError(str(exc)) from None
    _check_format(args.format)
    if args.output:
        return _compile_batch(args, emitter)
    inputs = list(_inputs(args.paths))
    if not inputs:
        raise UsageError("no input files found")
    if getattr(emitter, "needs_directory", False):
        raise UsageError(f"--to {args.to} writes a dataset: give an output folder with -o DIR")
    status = EXIT_OK
    compiled = 0
    for path in inputs:
        try:
            compilation = compile_file(path, format=args.format)
        except CompileError as exc:
            print(format_diagnostic(path, exc.diagnostic), file=sys.stderr)
            status = EXIT_NOTHING
            continue
        compiled += 1
        _report(path, compilation, args.quiet)
        if compilation.has_errors and status == EXIT_OK:
            status = EXIT_ERRORS
        sys.stdout.write(emitter.emit(compilation))
    if compiled == 0:
        return EXIT_NOTHING
    return status


def _compile_batch(args, emitter) -> int:
    """With -o: every input through the batch runner (pool or Dask), with a manifest."""
    from . import batch

    if not any(True for _ in _inputs(args.paths)):
        raise UsageError("no input files found")
    show = not args.quiet and sys.stderr.isatty()

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")

    def trouble(record):  # the details are in the output file; the manifest has the counts
        if args.quiet:
            return
        if record["status"] == "failed":
            print(f"{record['path']}: error: {record['error']}", file=sys.stderr)
        else:
            print(f"{record['path']}: {record['errors']} error diagnostic(s), {record['unparsed']} unparsed line(s)",
                  file=sys.stderr)

    try:
        summary = batch.run(args.paths, args.output, to=args.to, format=args.format, jobs=args.jobs,
                            resume=args.resume, progress=show, scheduler=args.scheduler, dask=args.dask,
                            on_trouble=trouble)
    except (RuntimeError, OSError) as exc:
        raise UsageError(str(exc)) from None
    if not args.quiet:
        print(f"{summary.total} files: {summary.ok} ok, {summary.diagnostics} with error diagnostics, "
              f"{summary.failed} failed ({summary.resumed} already done); "
              f"manifest: {os.path.join(args.output, batch.MANIFEST)}", file=sys.stderr)
    if summary.failed:
        return EXIT_NOTHING
    return EXIT_ERRORS if summary.diagnostics else EXIT_OK


def cmd_check(args) -> int:
    from .compiler.checks import CHECKS
    from .compiler.checks.render import console, render
    from .compiler.driver import compile_source

    if args.list:
        for check in CHECKS:
            print(f"{check.id:<22} {check.severity:<8} {check.description}")
        return EXIT_OK
    inputs = list(_inputs(args.paths))
    if not inputs:
        raise UsageError("no input files found")
    out = console(sys.stdout)
    status, compiled, counts = EXIT_OK, 0, {"error": 0, "warning": 0, "info": 0}
    failing = {"error", "warning"} if args.strict else {"error"}
    for path, source in _sources(inputs):
        if source is None:
            status = EXIT_NOTHING
            continue
        compilation = compile_source(source, args.format)
        compiled += 1
        for d in compilation.diagnostics:
            counts[d.severity] = counts.get(d.severity, 0) + 1
            if d.severity != "info" or args.notes:
                render(out, path, d, source.lines)
        if any(d.severity in failing for d in compilation.diagnostics) and status == EXIT_OK:
            status = EXIT_ERRORS
    hidden = "" if args.notes or not counts["info"] else " (--notes shows them)"
    print(f"{compiled} file(s) checked: {counts['error']} error(s), {counts['warning']} warning(s), "
          f"{counts['info']} note(s){hidden}", file=sys.stderr)
    return EXIT_NOTHING if compiled == 0 else status


def cmd_schema(args) -> int:
    from .emitters.json import schema_text

    sys.stdout.write(schema_text())
    return EXIT_OK


def cmd_formats(args) -> int:
    from .compiler.layout import layouts

    for layout_id, cls in layouts().items():
        print(f"{layout_id:<20} {cls.description}")
    return EXIT_OK


def cmd_emitters(args) -> int:
    from .emitters import emitters

    for name, cls in emitters().items():
        print(f"{name:<12} {cls.description}")
    return EXIT_OK


def _check_format(layout_id: Optional[str]) -> None:
    from .compiler.layout import layouts

    if layout_id is not None and layout_id not in layouts():
        raise UsageError(f"unknown format {layout_id!r}; known: {', '.join(layouts())}")


def cmd_detect(args) -> int:
    """Each document's layout, chosen as `compile` chooses it (same function, same threshold)."""
    from .compiler.driver import MIN_CONFIDENCE, detect_source

    _check_format(args.format)
    status = EXIT_OK
    for path, source in _sources(_inputs(args.paths)):
        if source is None:
            status = EXIT_NOTHING
            continue
        choices = detect_source(source, args.format)
        print(f"{path}: {len(choices)} document{'s' if len(choices) != 1 else ''}")
        for choice in choices:
            doc, found = choice.document, choice.detection
            what = " ".join(filter(None, (f"document {choice.index + 1}", doc.type)))
            where = f"{what} (lines {doc.first_line}-{doc.last_line})"
            if doc.layout is None:
                near = found is not None and found.confidence > 0
                guess = f"; best {found.layout} at {found.confidence:.2f} < {MIN_CONFIDENCE:.2f}" if near else ""
                print(f"  {where}: unknown (no layout recognises it{guess})")
                continue
            forced = ", forced by --format" if choice.forced else ""
            print(f"  {where}: {doc.layout} (confidence {found.confidence:.2f}{forced})")
            for line in found.evidence:
                print(f"      {line}")
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="trustc", description="Compile ABS trustee reports (EDGAR 8-K / 10-D text) to structured data.")
    parser.add_argument("--version", action="version", version=f"trustc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("compile", help="compile filings to JSON (or another output format)",
                       description="Compile filings. One input without -o prints to stdout; with -o DIR, one file per input.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="filing, folder of filings, or - for stdin")
    p.add_argument("--to", default="json", metavar="FORMAT", help="output format (see `trustc emitters`; default json)")
    p.add_argument("-o", "--output", metavar="DIR", help="write one output file per input into DIR")
    p.add_argument("--format", metavar="ID", help="force a layout instead of detecting it (see `trustc formats`)")
    p.add_argument("-q", "--quiet", action="store_true", help="print no diagnostics, progress or summary to stderr")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="with -o: worker processes (default: all cores)")
    p.add_argument("--resume", action="store_true",
                   help="with -o: skip inputs the manifest shows as compiled from the same bytes by this trustc")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with -o: run on the Dask cluster at ADDRESS (tcp://host:8786)")
    p.add_argument("--dask", action="store_true", help="with -o: run on a local Dask cluster")
    p.set_defaults(func=cmd_compile)

    p = sub.add_parser("check", help="compile filings and report where their arithmetic does not add up",
                       description="Compile filings and print every diagnostic compiler-style, with the source line "
                                   "and a caret under the figure. Exit 0 with no errors, 1 with errors, 2 when "
                                   "nothing could be compiled.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="filing, folder of filings, or - for stdin")
    p.add_argument("--strict", action="store_true", help="count warnings as errors (exit 1)")
    p.add_argument("--notes", action="store_true", help="also print notes (which classes a totals row covers, ...)")
    p.add_argument("--format", metavar="ID", help="force a layout instead of detecting it (see `trustc formats`)")
    p.add_argument("--list", action="store_true", help="list the checks: id, default severity, description")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("schema", help="print the JSON Schema of an output format")
    p.add_argument("name", choices=["json"], help="output format")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("formats", help="list the layouts trustc can read")
    p.set_defaults(func=cmd_formats)

    p = sub.add_parser("emitters", help="list the output formats")
    p.set_defaults(func=cmd_emitters)

    p = sub.add_parser("detect", help="name the layout of each document of each filing, with confidence and evidence")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", metavar="ID", help="show the evidence for this layout, as `compile --format` would use it")
    p.set_defaults(func=cmd_detect)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_NOTHING
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"trustc: error: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    except BrokenPipeError:  # `trustc compile ... | head`
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback: an internal error is reported as one
        print(f"trustc: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_NOTHING


if __name__ == "__main__":
    raise SystemExit(main())
