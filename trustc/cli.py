"""The `trustc` command line.

Exit status: 0 compiled with no error diagnostic; 1 compiled with error
diagnostics (unparsed lines, truncated input); 2 nothing to compile (missing,
unreadable or binary input, bad usage). No input ever produces a traceback.

Options follow pandoc's: `-f/--from LAYOUT` (the layout to read; `--format` is
kept as an alias), `-t/--to FORMAT`, `-o FILE` for one output file (its format
from the extension unless `--to` says otherwise) and `-o DIR/` for one file per
input. Everything printed that came from a filing goes through
`terminal.printable`, so a filing cannot send escape sequences to the terminal.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Optional, Sequence

from . import __version__
from .compiler.ast import Compilation, Diagnostic
from .compiler.driver import CompileError, compile_file, stream_source
from .compiler.source import MAX_BYTES
from .batch import walk as _inputs
from .terminal import printable

EXIT_OK, EXIT_ERRORS, EXIT_NOTHING = 0, 1, 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 on bad usage, as we do
        self.print_usage(sys.stderr)
        self.exit(EXIT_NOTHING, f"trustc: error: {message}\n")


def format_diagnostic(path: str, d: Diagnostic) -> str:
    where = f"{path}:{d.span.line}:{d.span.column}" if d.span else path
    return printable(f"{where}: {d.severity}[{d.code}]: {d.message}")


def _sources(paths, max_bytes: int = MAX_BYTES):
    """Each input with its read source; one that cannot be read is reported on stderr and given as None."""
    from .compiler.driver import read_source

    for path in paths:
        try:
            yield path, read_source(path, max_bytes)
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
        print(printable(f"{path}: … and {len(errors) - 20} more errors"), file=sys.stderr)


# Options that only mean something when every input gets its own output file.
BATCH_OPTIONS = (("resume", "--resume"), ("jobs", "--jobs"), ("dask", "--dask"), ("scheduler", "--scheduler"))


def is_folder(output: str) -> bool:
    """`-o out/`, an existing folder, or a name without an extension (`-o out`, as before -o FILE
    existed) is a folder getting one file per input; `-o out.csv` is one file."""
    return (output.endswith(("/", os.sep)) or os.path.isdir(output)
            or not os.path.splitext(os.path.basename(output))[1])


def _emitter_for(args):
    from .emitters import format_for_file, get_emitter

    to = args.to
    if to is None and args.output and not is_folder(args.output):
        try:
            to = format_for_file(args.output)
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    args.to = to or "json"
    try:
        return get_emitter(args.to)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    except ImportError as exc:  # an optional dependency (pyarrow for parquet) is not installed
        raise UsageError(str(exc)) from None


def cmd_compile(args) -> int:
    _check_format(args.format)
    if args.output == "-":  # pandoc's `-o -`: stdout
        args.output = None
    emitter = _emitter_for(args)
    if args.output and is_folder(args.output):
        return _compile_batch(args, emitter)
    needing = [flag for name, flag in BATCH_OPTIONS if getattr(args, name)]
    if needing:
        raise UsageError(f"{', '.join(needing)} need{'s' if len(needing) == 1 else ''} an output folder: -o DIR/")
    inputs = list(_inputs(args.paths, _selection(args)))
    if not inputs:
        raise UsageError("no input files found")
    if getattr(emitter, "needs_directory", False):
        raise UsageError(f"--to {args.to} writes a dataset: give an output folder with -o DIR/")
    if args.output:
        if len(inputs) > 1:
            raise UsageError(f"-o {args.output} names one file but there are {len(inputs)} inputs; "
                             f"for one file per input give a folder: -o {os.path.splitext(args.output)[0]}/")
        return _compile_to_file(args, emitter, inputs[0])
    if len(inputs) > 1 and not emitter.streams:
        raise UsageError(f"--to {args.to} gives one document per input, which cannot share stdout; "
                         f"give an output folder: -o DIR/")
    if len(inputs) == 1 and emitter.writes_parts:
        source = _read(inputs[0], args.max_bytes)
        return EXIT_NOTHING if source is None else _compile_streamed(args, emitter, inputs[0], source, sys.stdout.write)
    run = _Compiled(args, inputs, emitter)
    if len(inputs) == 1:
        for compilation in run:
            sys.stdout.write(emitter.emit(compilation))
            note = emitter.stdout_note(compilation)
            if note and not args.quiet:
                print(f"trustc: note: {note}", file=sys.stderr)
    else:
        for text in emitter.stream(run):
            sys.stdout.write(text)
    return run.status()


class _Compiled:
    """The inputs compiled one by one, diagnostics reported as they come, the exit status kept."""

    def __init__(self, args, inputs: list[str], emitter):
        self.args, self.inputs, self.emitter = args, inputs, emitter
        self.compiled, self.failed, self.with_errors = 0, 0, 0

    def __iter__(self):
        for path in self.inputs:
            try:
                compilation = compile_file(path, format=self.args.format, max_bytes=self.args.max_bytes)
            except CompileError as exc:
                print(format_diagnostic(path, exc.diagnostic), file=sys.stderr)
                self.failed += 1
                continue
            self.compiled += 1
            self.with_errors += compilation.has_errors
            _report(path, compilation, self.args.quiet)
            for d in () if self.args.quiet else self.emitter.diagnostics(compilation):
                print(format_diagnostic(path, d), file=sys.stderr)
            yield compilation

    def status(self) -> int:
        if self.failed or not self.compiled:
            return EXIT_NOTHING
        return EXIT_ERRORS if self.with_errors else EXIT_OK


def _read(path: str, max_bytes: int = MAX_BYTES):
    """The input's source, or None when there is nothing to compile (said on stderr)."""
    return next(_sources([path], max_bytes))[1]


def _compile_streamed(args, emitter, path: str, source, write) -> int:
    """One input whose output is written while it compiles, a statement at a time (emitter.writes_parts):
    memory follows the largest statement, not the file. Diagnostics are reported once it is written."""
    stream = stream_source(source, args.format)
    emitter.write_parts(stream, write)
    compilation = stream.compilation()
    _report(path, compilation, args.quiet)
    return EXIT_ERRORS if compilation.has_errors else EXIT_OK


def _compile_to_file(args, emitter, path: str) -> int:
    """`-o FILE`: the one input's output written (atomically) to FILE."""
    if emitter.writes_parts:
        from .compiler.output import atomic_open

        source = _read(path, args.max_bytes)
        if source is None:
            return EXIT_NOTHING
        try:
            with atomic_open(args.output) as handle:
                return _compile_streamed(args, emitter, path, source, handle.write)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    run = _Compiled(args, [path], emitter)
    for compilation in run:
        try:
            emitter.write_file(compilation, args.output)
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return run.status()


def _compile_batch(args, emitter) -> int:
    """With -o: every input through the batch runner (pool or Dask), with a manifest."""
    from . import batch

    if not any(True for _ in batch.scan(args.paths, _selection(args))):
        raise UsageError("no input files found")
    show = not args.quiet and sys.stderr.isatty()

    if args.jobs is not None and args.jobs < 1:
        raise UsageError("--jobs must be at least 1")

    def trouble(record):  # the details are in the output file; the manifest has the counts
        if args.quiet:
            return
        if record["status"] in ("failed", "skipped"):
            print(f"{record['path']}: {'error' if record['status'] == 'failed' else 'skipped'}: {record['error']}",
                  file=sys.stderr)
        else:
            print(f"{record['path']}: {record['errors']} error diagnostic(s), {record['unparsed']} unparsed line(s)",
                  file=sys.stderr)

    try:
        summary = batch.run(args.paths, args.output, to=args.to, format=args.format, jobs=args.jobs,
                            resume=args.resume, progress=show, scheduler=args.scheduler, dask=args.dask,
                            on_trouble=trouble, max_bytes=args.max_bytes, selection=_selection(args))
    except (RuntimeError, OSError) as exc:
        raise UsageError(str(exc)) from None
    if not args.quiet:
        print(f"{summary.total} files: {summary.ok} ok, {summary.diagnostics} with error diagnostics, "
              f"{summary.failed} failed{f', {summary.skipped} skipped' if summary.skipped else ''} "
              f"({summary.resumed} already done); "
              f"manifest: {os.path.join(args.output, batch.MANIFEST)}", file=sys.stderr)
    if summary.failed or not summary.ok + summary.diagnostics:  # a failure, or nothing compiled (all skipped)
        return EXIT_NOTHING
    return EXIT_ERRORS if summary.diagnostics else EXIT_OK


def _codes(values: Optional[Sequence[str]]) -> set[str]:
    """--select/--ignore values: repeatable, each a comma-separated list of codes."""
    return {code.strip() for value in values or () for code in value.split(",") if code.strip()}


def _selected(args):
    """Which diagnostics `check` reports: --select keeps only those codes, --ignore drops these."""
    select, ignore = _codes(args.select), _codes(args.ignore)
    return lambda d: (not select or d.code in select) and d.code not in ignore
def _selection(args):
    from .batch import Selection

    return Selection(tuple(getattr(args, "include", None) or ()), tuple(getattr(args, "exclude", None) or ()),
                     getattr(args, "follow_symlinks", False))


def _byte_size(text: str) -> int:
    """--max-bytes: 256M, 1G, 500k or a number of bytes."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}
    text = text.strip().lower().removesuffix("b").removesuffix("i")
    try:
        value = int(text[:-1]) * units[text[-1]] if text and text[-1] in units else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (for example 256M, 1G, 500000)") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return value


def cmd_check(args) -> int:
    from .compiler.checks import CHECKS
    from .compiler.driver import compile_source

    if args.list:
        for check in CHECKS:
            print(f"{check.id:<22} {check.severity:<8} {check.description}")
        return EXIT_OK
    output = _check_output(args)
    inputs = list(_inputs(args.paths))
    if not inputs:
        raise UsageError("no input files found")
    keep = _selected(args)
    report = JSONReport() if output == "json" else TextReport(args.notes)
    status, compiled, counts = EXIT_OK, 0, {"error": 0, "warning": 0, "info": 0}
    failing = {"error", "warning"} if args.strict else {"error"}
    for path, source in _sources(inputs):
        if source is None:
            status = EXIT_NOTHING
            continue
        compilation = compile_source(source, args.format)
        compiled += 1
        kept = [d for d in compilation.diagnostics if keep(d)]
        for d in kept:
            counts[d.severity] = counts.get(d.severity, 0) + 1
            report.add(path, d, source.lines)
        if any(d.severity in failing for d in kept) and status == EXIT_OK:
            status = EXIT_ERRORS
    report.close()
    hidden = "" if args.notes or output == "json" or not counts["info"] else " (--notes shows them)"
    print(f"{compiled} file(s) checked: {counts['error']} error(s), {counts['warning']} warning(s), "
          f"{counts['info']} note(s){hidden}", file=sys.stderr)
    return EXIT_NOTHING if compiled == 0 else status


def _check_output(args) -> str:
    """`check --format` is the report's format (text, json), as linters have it; a layout id
    there is still read as the layout (what --format meant before -f/--from), with a note."""
    from .compiler.layout import layouts

    if args.output_format in (None, "text", "json"):
        return args.output_format or "text"
    if args.output_format in layouts() and args.format is None:
        print(f"trustc: note: --format {args.output_format} reads the layout; write -f {args.output_format} "
              f"(--format now names the report format: text or json)", file=sys.stderr)
        args.format = args.output_format
        return "text"
    raise UsageError(f"unknown report format {args.output_format!r}: text or json (a layout is -f/--from)")


class TextReport:
    """Compiler-style lines with the source line and a caret (rich: colour on a terminal)."""

    def __init__(self, notes: bool):
        from .compiler.checks.render import console

        self.out, self.notes = console(sys.stdout), notes
        # rich ends the process with status 1 on a closed pipe; main() ends it quietly, with 0
        self.out.on_broken_pipe = _closed_pipe

    def add(self, path: str, d: Diagnostic, lines) -> None:
        from .compiler.checks.render import render

        if d.severity != "info" or self.notes:
            render(self.out, path, d, lines)

    def close(self) -> None:
        pass


def _closed_pipe() -> None:
    raise BrokenPipeError


class JSONReport:
    """Diagnostics as data: one JSON array, each diagnostic with its file, span and source line."""

    def __init__(self):
        self.items: list[dict] = []

    def add(self, path: str, d: Diagnostic, lines) -> None:
        from .emitters.json import span

        line = lines[d.span.line - 1] if d.span and 1 <= d.span.line <= len(lines) else None
        self.items.append({"path": path, "severity": d.severity, "code": d.code, "message": d.message,
                           "span": span(d.span), "related": [span(r) for r in d.related], "source_line": line})

    def close(self) -> None:
        from .emitters.json import dumps

        sys.stdout.write(dumps(self.items))


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
        raise UsageError(f"unknown layout {layout_id!r}; known: {', '.join(layouts())} (see `trustc layouts`)")


def cmd_detect(args) -> int:
    """Each document's layout, chosen as `compile` chooses it (same function, same threshold)."""
    from .compiler.driver import MIN_CONFIDENCE, SOLE_EVIDENCE, detect_source

    _check_format(args.format)

    def say(text: str) -> None:  # document types, paths and evidence are the filing's text
        print(printable(text))

    status = EXIT_OK
    for path, source in _sources(_inputs(args.paths)):
        if source is None:
            status = EXIT_NOTHING
            continue
        choices = detect_source(source, args.format)
        say(f"{path}: {len(choices)} document{'s' if len(choices) != 1 else ''}")
        for choice in choices:
            doc, found = choice.document, choice.detection
            what = " ".join(filter(None, (f"document {choice.index + 1}", doc.type)))
            where = f"{what} (lines {doc.first_line}-{doc.last_line})"
            if doc.layout is None:
                near = found is not None and found.confidence > 0
                pieces = len(found.evidence) if found is not None else 0
                guess = (f"; best {found.layout} at {found.confidence:.2f} on {pieces} piece{'s' if pieces != 1 else ''} "
                         f"of evidence, a layout needs {MIN_CONFIDENCE:.2f} on two or {SOLE_EVIDENCE:.2f} on one"
                         if near else "")
                say(f"  {where}: unknown (no layout recognises it{guess})")
                continue
            forced = ", forced by -f/--from" if choice.forced else ""
            say(f"  {where}: {doc.layout} (confidence {found.confidence:.2f}{forced})")
            for line in found.evidence:
                say(f"      {line}")
    return status


def _layout_option(p, help: str) -> None:
    p.add_argument("-f", "--from", "--format", dest="format", metavar="LAYOUT", help=help)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="trustc", description="Compile ABS trustee reports (EDGAR 8-K / 10-D text) to structured data.")
    parser.add_argument("--version", action="version", version=f"trustc {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    p = sub.add_parser("compile", help="compile filings to JSON (or another output format)",
                       description="Compile filings. Without -o the output goes to stdout (several inputs: JSON "
                                   "Lines, or one CSV table with a source column); -o FILE writes one file, its "
                                   "format from the extension; -o DIR/ writes one file per input.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="filing, folder of filings, or - for stdin")
    p.add_argument("-t", "--to", metavar="FORMAT",
                   help="output format (see `trustc emitters`; xbrl = xml; default json, or from -o FILE's extension)")
    p.add_argument("-o", "--output", metavar="FILE|DIR/",
                   help="write FILE (format from its extension), or one file per input into DIR/ "
                        "(a path ending in /, an existing folder, or a name without extension)")
    _layout_option(p, "read this layout instead of detecting it (see `trustc layouts`); --format is an alias")
    p.add_argument("-q", "--quiet", action="store_true", help="print no diagnostics, progress or summary to stderr")
    p.add_argument("-j", "--jobs", type=int, metavar="N", help="with -o DIR/: worker processes (default: all cores)")
    p.add_argument("--resume", action="store_true",
                   help="with -o DIR/: skip inputs the manifest shows as compiled from the same bytes by this trustc")
    p.add_argument("--scheduler", metavar="ADDRESS", help="with -o DIR/: run on the Dask cluster at ADDRESS (tcp://host:8786)")
    p.add_argument("--dask", action="store_true", help="with -o DIR/: run on a local Dask cluster")
    p.add_argument("--max-bytes", type=_byte_size, default=MAX_BYTES, metavar="SIZE",
                   help="refuse an input larger than SIZE, a .gz once inflated (default 256M)")
    p.add_argument("--include", action="append", metavar="GLOB",
                   help="in folders, read only files matching GLOB (a name, or a path with /); repeatable")
    p.add_argument("--exclude", action="append", metavar="GLOB", help="in folders, skip files matching GLOB; repeatable")
    p.add_argument("--follow-symlinks", action="store_true",
                   help="read symlinks in folders that lead outside the folder (skipped by default)")
    p.set_defaults(func=cmd_compile)

    p = sub.add_parser("check", help="compile filings and report where their arithmetic does not add up",
                       description="Compile filings and print every diagnostic compiler-style, with the source line "
                                   "and a caret under the figure (or as JSON with --format json). Exit 0 with no "
                                   "errors, 1 with errors, 2 when nothing could be compiled.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="filing, folder of filings, or - for stdin")
    p.add_argument("--strict", action="store_true", help="count warnings as errors (exit 1)")
    p.add_argument("--notes", action="store_true", help="also print notes (which classes a totals row covers, ...)")
    p.add_argument("--format", dest="output_format", metavar="text|json",
                   help="report format: text (default; compiler-style, with carets) or json (one array of diagnostics)")
    p.add_argument("-f", "--from", dest="format", metavar="LAYOUT",
                   help="read this layout instead of detecting it (see `trustc layouts`)")
    p.add_argument("--select", action="append", metavar="CODE[,CODE]",
                   help="report only these diagnostic codes (repeatable; see --list and the docs)")
    p.add_argument("--ignore", action="append", metavar="CODE[,CODE]", help="do not report these codes (repeatable)")
    p.add_argument("--list", action="store_true", help="list the checks: id, default severity, description")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("schema", help="print the JSON Schema of an output format")
    p.add_argument("name", choices=["json"], help="output format")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("layouts", aliases=["formats"], help="list the layouts trustc can read (-f/--from)")
    p.set_defaults(func=cmd_formats)

    p = sub.add_parser("emitters", help="list the output formats (-t/--to)")
    p.set_defaults(func=cmd_emitters)

    p = sub.add_parser("detect", help="name the layout of each document of each filing, with confidence and evidence")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _layout_option(p, "show the evidence for this layout, as `compile -f` would use it; --format is an alias")
    p.set_defaults(func=cmd_detect)

    from . import scaffold

    scaffold.arguments(sub.add_parser("new-layout", help="draft a layout (grammar, spec, corpus entry, test) from a sample"))
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_NOTHING
    try:
        status = args.func(args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit where it would print a traceback
        return status
    except UsageError as exc:
        print(f"trustc: error: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    except BrokenPipeError:  # `trustc compile ... | head`: the reader has what it wanted
        _quiet_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        print("trustc: error: out of memory (--max-bytes limits how large an input may be)", file=sys.stderr)
        return EXIT_NOTHING
    except Exception as exc:  # never a traceback: an internal error is reported as one
        print(f"trustc: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return EXIT_NOTHING


def _quiet_stdout() -> None:
    """After the reader of stdout went away, nothing more is written there, not even at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout replaced by something without a descriptor (tests)
        pass


if __name__ == "__main__":
    raise SystemExit(main())
