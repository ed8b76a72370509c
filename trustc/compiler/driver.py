"""The compile pipeline: bytes → lines → documents → layout per document → one Compilation."""
from __future__ import annotations

import os
from typing import Optional

import attrs

from .ast import Compilation, Diagnostic, Document, Span, UnparsedLine
from .checks import check_statements
from .diagnostics import MAX_LINE_ERRORS, error, unparsed_line
from .layout import Detection, LayoutResult, detect, get_layout, layouts
from .source import LineView, NotText, SourceText, decode, read_path

MIN_CONFIDENCE = 0.2
GENERIC = "generic"  # the layout of a document no other layout claims (layouts/generic.py)


class CompileError(Exception):
    """Nothing could be compiled: unreadable or binary input. Carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic, path: str):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
        self.path = path


def _split_documents(source: SourceText):
    try:
        from .envelope import read_envelope
    except ImportError:  # pragma: no cover - envelope support is optional while it is built
        return None, None
    return read_envelope(source)


@attrs.frozen
class LayoutChoice:
    """A document of the input and the layout it is compiled with: what `compile` uses and `detect` prints."""

    index: int
    view: LineView
    document: Document
    detection: Optional[Detection]  # the chosen layout's evidence, or the best guess when none is chosen
    forced: bool


def choose_layouts(source: SourceText, slices, format: Optional[str] = None) -> list[LayoutChoice]:
    """Each document holding text, with its layout: `format` if given, else the best detected above MIN_CONFIDENCE."""
    choices = []
    for index, piece in enumerate(slices):
        first, last = (piece.first_line, piece.last_line) if piece is not None else (1, len(source.lines))
        view = source.view(first, last)
        if not any(text.strip() for _n, text in view):
            continue
        if format is not None:
            registry = layouts()
            detection = registry[format].detect(view) if format in registry else None
            layout_id = format
        else:
            ranked = detect(view)
            detection = ranked[0] if ranked else None
            layout_id = detection.layout if detection and detection.confidence >= MIN_CONFIDENCE else None
            if layout_id is None:  # no layout claims it: the generic reader, if it is a statement
                generic = layouts()[GENERIC].assess(view)
                if generic.confidence > 0:
                    detection, layout_id = generic, GENERIC
        choices.append(LayoutChoice(index, view, _document_meta(piece, first, last, layout_id), detection,
                                    format is not None))
    return choices


def detect_source(source: SourceText, format: Optional[str] = None) -> list[LayoutChoice]:
    _envelope, slices = _split_documents(source)
    if slices is None:
        slices = [None] if source.lines else []
    return choose_layouts(source, slices, format)


def compile_source(source: SourceText, format: Optional[str] = None) -> Compilation:
    diagnostics: list[Diagnostic] = list(source.diagnostics)
    unparsed: list[UnparsedLine] = []
    quiet: set[int] = set()  # unparsed lines of a document one error reports whole
    merged = LayoutResult()
    documents: list[Document] = []
    envelope_fields = None

    try:
        envelope, slices = _split_documents(source)
    except Exception as exc:  # a bug reading the envelope: the file is still compiled, as one document
        diagnostics.append(error("internal-error", f"the EDGAR envelope could not be read: {type(exc).__name__}: {exc}",
                                 Span(1, 1, 1, 1)))
        envelope, slices = None, None
    if slices is None:
        slices = [None] if source.lines else []
    if envelope is not None:
        envelope_fields = envelope
        for number in envelope.unknown_lines:
            line, diag = unparsed_line(number, source.lines[number - 1])
            unparsed.append(line)
            diagnostics.append(diag)

    if not source.lines or not any(line.strip() for line in source.lines):
        diagnostics.append(error("empty-input", "input holds no text to compile", None))

    for choice in choose_layouts(source, slices, format):
        index, view, doc_meta = choice.index, choice.view, choice.document
        first, last, layout_id = doc_meta.first_line, doc_meta.last_line, doc_meta.layout
        documents.append(doc_meta)
        if layout_id is None:
            diagnostics.append(
                error("unknown-layout", f"lines {first}-{last}: no registered layout recognises this document",
                      Span(first, 1, first, 1))
            )
            for number, text in view:
                if text.strip():
                    unparsed.append(UnparsedLine(number, text))
                    quiet.add(number)
            continue
        try:
            result = get_layout(layout_id)().compile(view)
            statements = [s if s.document is not None else _with_document(s, index) for s in result.statements]
            found = list(result.diagnostics) + check_statements(statements)
        except Exception as exc:  # a compiler bug must cost one document, not the file or the batch
            diagnostics.append(
                error("internal-error", f"lines {first}-{last}: {layout_id} failed: {type(exc).__name__}: {exc}",
                      Span(first, 1, first, 1))
            )
            unparsed.extend(UnparsedLine(n, text) for n, text in view if text.strip())
            quiet.update(n for n, text in view if text.strip())
            continue
        if result.cover is not None and merged.cover is None:
            merged.cover = result.cover
        merged.statements.extend(statements)
        merged.signatures.extend(result.signatures)
        diagnostics.extend(found)
        unparsed.extend(result.unparsed)

    if not source.ends_with_newline and source.lines:
        diagnostics = [_at_the_cut(d, source) for d in diagnostics]
    unparsed.sort(key=lambda u: u.line)
    diagnostics = _cap_line_errors(diagnostics, unparsed, quiet)
    return Compilation(
        source=source.info,
        cover=merged.cover,
        statements=tuple(merged.statements),
        signatures=tuple(merged.signatures),
        diagnostics=tuple(diagnostics),
        unparsed=tuple(unparsed),
        envelope=envelope_fields,
        documents=tuple(documents) if envelope is not None else (),
    )


def _cap_line_errors(diagnostics: list[Diagnostic], unparsed: list[UnparsedLine],
                     quiet: set[int]) -> list[Diagnostic]:
    """One unparsed-line error per line up to MAX_LINE_ERRORS, then one for the rest.

    Every line stays in `unparsed` with its number; past the cap a per-line error
    only repeats it, and for a 100 MB input of unknown text costs gigabytes.
    `quiet` lines belong to a document a whole-document error already reports.
    """
    per_line = [d for d in diagnostics if d.code == "unparsed-line"]
    kept = per_line[:MAX_LINE_ERRORS]
    covered = {d.span.line for d in kept}
    rest = [u.line for u in unparsed if u.line not in covered and u.line not in quiet]
    if len(per_line) <= MAX_LINE_ERRORS and not rest:
        return diagnostics
    dropped = {id(d) for d in per_line[MAX_LINE_ERRORS:]}
    out = [d for d in diagnostics if id(d) not in dropped]
    if rest:
        out.append(error("unparsed-lines", f"{len(rest)} more lines (from line {rest[0]} to line {rest[-1]}) could "
                         "not be placed by the grammar; each is listed in `unparsed`", Span(rest[0], 1, rest[0], 1)))
    return out


def _at_the_cut(diagnostic: Diagnostic, source: SourceText) -> Diagnostic:
    """A truncation on the last line of a file with no final line end: the file was cut mid-line."""
    last = len(source.lines)
    if diagnostic.code != "truncated-input" or diagnostic.span is None or diagnostic.span.line != last:
        return diagnostic
    import attrs

    end = len(source.lines[-1]) + 1
    return attrs.evolve(diagnostic, message=diagnostic.message + "; the file ends mid-line, with no line end after it",
                        span=Span(last, end, last, end))


def _with_document(statement, index):
    return attrs.evolve(statement, document=index + 1)


def _document_meta(piece, first, last, layout_id) -> Document:
    if piece is None:
        return Document(None, None, None, None, first, last, layout_id)
    value = lambda f: f.value if f is not None else None  # noqa: E731
    return Document(value(piece.sequence), value(piece.type), value(piece.filename), value(piece.description),
                    first, last, layout_id)


def compile_text(text: str, name: Optional[str] = None, format: Optional[str] = None) -> Compilation:
    """Compile a filing's text. Raises CompileError when it is not a text filing (control characters)."""
    name = name or "<text>"
    try:
        source = decode(text.encode("utf-8", errors="surrogatepass"), name)
    except NotText as exc:
        raise CompileError(error("not-text", str(exc)), name) from None
    return compile_source(source, format)


def read_source(path: "str | os.PathLike[str]") -> SourceText:
    """Read one file to compile. Raises CompileError when there is nothing to compile."""
    path = os.fspath(path)
    try:
        return read_path(path)
    except NotText as exc:
        raise CompileError(error("not-text", str(exc)), path) from None
    except OSError as exc:
        raise CompileError(error("unreadable", f"{path}: {exc.strerror or exc}"), path) from None


def compile_file(path: "str | os.PathLike[str]", format: Optional[str] = None) -> Compilation:
    """Compile one file. Raises CompileError when there is nothing to compile."""
    return compile_source(read_source(path), format)
