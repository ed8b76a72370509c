"""The compile pipeline: bytes → lines → documents → layout per document → one Compilation."""
from __future__ import annotations

import os
from typing import Iterator, Optional, Sequence

import attrs

from .ast import Compilation, Cover, Diagnostic, Document, Signature, SourceInfo, Span, Statement, UnparsedLine
from .accounting import unread_figures
from .checks import check_statements
from .diagnostics import MAX_LINE_ERRORS, error, unparsed_line
from .html import Rendering, is_html, relocate, render
from .layout import Detection, detect, get_layout, layouts
from .source import MAX_BYTES, LineView, NotText, Refused, SourceText, decode, read_path

MIN_CONFIDENCE = 0.2
# A layout claims a document on two pieces of evidence: one heading is printed by many trustees
# ("STATEMENT TO CERTIFICATEHOLDERS", "DISTRIBUTION SUMMARY"), and a layout that claims a report
# it does not know reads nothing of it. One piece alone claims only at this weight: a mark that
# names the format (trustc's normalized statement, a plug-in's title line).
SOLE_EVIDENCE = 0.5
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
    # An HTML document: `view` holds its rendered text lines; this maps them back to the file.
    rendering: Optional[Rendering] = None


HTML_SNIFF_LINES = 40


def document_view(source: SourceText, first: int, last: int, filename: Optional[str] = None):
    """The lines a layout reads for lines first..last of the file: as they are, or an HTML document rendered.

    Returns (view, rendering); rendering is None for a text document.
    """
    head = "\n".join(source.lines[first - 1 : min(last, first + HTML_SNIFF_LINES - 1)])
    if not is_html(head, filename):
        return source.view(first, last), None
    try:
        rendering = render("\n".join(source.lines[first - 1 : last]), first)
    except Exception:  # a bug in the renderer: the layouts still read the document, as the text it is
        return source.view(first, last), None
    return LineView(rendering.lines, 1, len(rendering.lines)), rendering


def _source_evidence(detection: Optional[Detection], rendering: Optional[Rendering]) -> Optional[Detection]:
    """Evidence names rendered lines of an HTML document: name the file's lines instead."""
    if detection is None or rendering is None:
        return detection
    import re

    moved = tuple(re.sub(r"^line (\d+)", lambda m: f"line {rendering.source_line(int(m.group(1)))}", e)
                  for e in detection.evidence)
    return attrs.evolve(detection, evidence=moved)


def choose_layouts(source: SourceText, slices, format: Optional[str] = None) -> list[LayoutChoice]:
    """Each document holding text, with its layout: `format` if given, else the best detected above MIN_CONFIDENCE."""
    choices = []
    for index, piece in enumerate(slices):
        first, last = (piece.first_line, piece.last_line) if piece is not None else (1, len(source.lines))
        filename = piece.filename.value if piece is not None and piece.filename is not None else None
        view, rendering = document_view(source, first, last, filename)
        if not any(text.strip() for _n, text in view):
            continue
        if format is not None:
            registry = layouts()
            detection = registry[format].detect(view) if format in registry else None
            layout_id = format
        else:
            ranked = detect(view)
            claimed = next((d for d in ranked if claims(d)), None)
            detection = claimed or (ranked[0] if ranked else None)
            layout_id = claimed.layout if claimed is not None else None
            if layout_id is None:  # no layout claims it: the generic reader, if it is a statement
                generic = layouts()[GENERIC].assess(view)
                if generic.confidence > 0:
                    detection, layout_id = generic, GENERIC
        meta = attrs.evolve(_document_meta(piece, first, last, layout_id),
                            content="html" if rendering is not None else "text")
        choices.append(LayoutChoice(index, view, meta, _source_evidence(detection, rendering),
                                    format is not None, rendering))
    return choices


def claims(detection: Detection) -> bool:
    """Whether a layout's evidence is enough to compile a document with it (MIN_CONFIDENCE, SOLE_EVIDENCE)."""
    if detection.confidence < MIN_CONFIDENCE:
        return False
    return len(detection.evidence) >= 2 or detection.confidence >= SOLE_EVIDENCE


def detect_source(source: SourceText, format: Optional[str] = None) -> list[LayoutChoice]:
    _envelope, slices = _split_documents(source)
    if slices is None:
        slices = [None] if source.lines else []
    return choose_layouts(source, slices, format)


@attrs.define
class CompiledPart:
    """What one document, or one statement of a long document, compiled to; handed out before the next is compiled."""

    cover: Optional[Cover] = None
    statements: list[Statement] = attrs.field(factory=list)
    signatures: list[Signature] = attrs.field(factory=list)


class CompilationStream:
    """A filing compiled a piece at a time, so memory follows the largest statement, not the file.

    What comes before the statements in a Compilation (source, envelope, documents)
    is known at once; `parts()` compiles the documents in order (a layout that
    declares where its statements end, one statement at a time) and yields each
    part as it is done; once it is exhausted, `cover`, `signatures`, `diagnostics`
    and `unparsed` hold what `compile_source` would return. `compile_source` is
    this stream collected, so both give the same Compilation.
    """

    def __init__(self, source: SourceText, format: Optional[str] = None):
        self._source, self._format = source, format
        self.info: SourceInfo = source.info
        self.cover: Optional[Cover] = None
        self.signatures: list[Signature] = []
        self.diagnostics: list[Diagnostic] = list(source.diagnostics)
        self.unparsed: list[UnparsedLine] = []
        self.facts = 0  # facts of the statements handed out so far
        self._quiet: set[int] = set()  # unparsed lines of a document one error reports whole
        try:
            self.envelope, slices = _split_documents(source)
        except Exception as exc:  # a bug reading the envelope: the file is still compiled, as one document
            self.diagnostics.append(error("internal-error", "the EDGAR envelope could not be read: "
                                          f"{type(exc).__name__}: {exc}", Span(1, 1, 1, 1)))
            self.envelope, slices = None, None
        if slices is None:
            slices = [None] if source.lines else []
        if self.envelope is not None:
            for number in self.envelope.unknown_lines:
                line, diag = unparsed_line(number, source.lines[number - 1])
                self.unparsed.append(line)
                self.diagnostics.append(diag)
        if not source.lines or not any(line.strip() for line in source.lines):
            self.diagnostics.append(error("empty-input", "input holds no text to compile", None))
        self._choices = choose_layouts(source, slices, format)
        self.documents: tuple[Document, ...] = (tuple(c.document for c in self._choices)
                                                if self.envelope is not None else ())

    def parts(self) -> Iterator[CompiledPart]:
        for choice in self._choices:
            yield from self._document(choice)
        source = self._source
        if not source.ends_with_newline and source.lines:
            self.diagnostics = [_at_the_cut(d, source) for d in self.diagnostics]
        self.unparsed.sort(key=lambda u: u.line)
        self.diagnostics = _cap_line_errors(self.diagnostics, self.unparsed, self._quiet)

    def _document(self, choice: LayoutChoice) -> Iterator[CompiledPart]:
        view, meta = choice.view, choice.document
        if meta.layout is None:
            self.diagnostics.append(error("unknown-layout", f"lines {meta.first_line}-{meta.last_line}: no registered "
                                          "layout recognises this document", Span(meta.first_line, 1, meta.first_line, 1)))
            self._unparsed_whole(view, choice.rendering)
            return
        # A document's diagnostics keep the order of a one-piece compile: the parser's, the layout's, the checks'.
        parsed: list[Diagnostic] = []
        assembled: list[Diagnostic] = []
        checked: list[Diagnostic] = []
        layout = get_layout(meta.layout)()
        layout.line_kinds = {}  # the lexer's memo, for this document of this compile only
        for piece in layout.statement_views(view):
            try:
                outcome = layout.parse(piece)
                result = layout.assemble(outcome.pieces, piece)
                if meta.layout != GENERIC and (outcome.unparsed or result.unparsed):
                    get_layout(GENERIC).read_leftovers(outcome, result, piece)  # lines it left may be a statement
                result.diagnostics.extend(unread_figures(type(layout), outcome, result, piece))  # nothing lost
                if choice.rendering is not None:  # spans of rendered lines back onto the HTML source
                    outcome = attrs.evolve(outcome, unparsed=relocate(outcome.unparsed, choice.rendering),
                                           diagnostics=relocate(outcome.diagnostics, choice.rendering))
                    result = relocate(result, choice.rendering)
                statements = [s if s.document is not None else _with_document(s, choice.index)
                              for s in result.statements]
                found = check_statements(statements)
            except Exception as exc:  # a compiler bug must cost one document (or statement), not the file or the batch
                first = piece.first if choice.rendering is None else choice.rendering.source_line(piece.first)
                last = piece.last if choice.rendering is None else choice.rendering.source_line(piece.last)
                self.diagnostics.append(error("internal-error", f"lines {first}-{last}: {meta.layout} "
                                              f"failed: {type(exc).__name__}: {exc}", Span(first, 1, first, 1)))
                self._unparsed_whole(piece, choice.rendering)
                continue
            parsed.extend(outcome.diagnostics)
            assembled.extend(result.diagnostics)
            checked.extend(found)
            self.unparsed.extend(result.unparsed)
            self.unparsed.extend(outcome.unparsed)
            if result.cover is not None and self.cover is None:
                self.cover = result.cover
            self.signatures.extend(result.signatures)
            self.facts += sum(len(s.facts) for s in statements)
            yield CompiledPart(result.cover, statements, list(result.signatures))
        self.diagnostics.extend(parsed + assembled + checked)

    def _unparsed_whole(self, view: LineView, rendering: Optional[Rendering] = None) -> None:
        for number, text in view:
            if text.strip():
                line = rendering.source_line(number) if rendering is not None else number
                self.unparsed.append(UnparsedLine(line, text))
                self._quiet.add(line)

    def compilation(self, statements: Sequence[Statement] = ()) -> Compilation:
        """The Compilation, once `parts()` is exhausted, with the statements the caller kept."""
        return Compilation(
            source=self.info,
            cover=self.cover,
            statements=tuple(statements),
            signatures=tuple(self.signatures),
            diagnostics=tuple(self.diagnostics),
            unparsed=tuple(self.unparsed),
            envelope=self.envelope,
            documents=self.documents,
        )


def compile_source(source: SourceText, format: Optional[str] = None) -> Compilation:
    stream = CompilationStream(source, format)
    statements = [s for part in stream.parts() for s in part.statements]
    return stream.compilation(statements)


def stream_source(source: SourceText, format: Optional[str] = None) -> CompilationStream:
    """The filing compiled as emitters consume it: one document, or one statement, at a time."""
    return CompilationStream(source, format)


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


def read_source(path: "str | os.PathLike[str]", max_bytes: int = MAX_BYTES) -> SourceText:
    """Read one file to compile. Raises CompileError when there is nothing to compile."""
    path = os.fspath(path)
    try:
        return read_path(path, max_bytes)
    except NotText as exc:
        raise CompileError(error("not-text", str(exc)), path) from None
    except Refused as exc:
        raise CompileError(error(exc.code, str(exc)), path) from None
    except MemoryError:
        raise CompileError(error("out-of-memory", f"{path}: out of memory reading it; --max-bytes sets how large "
                                 "an input may be"), path) from None
    except OSError as exc:
        raise CompileError(error(os_error_code(exc), f"{path}: {exc.strerror or exc}"), path) from None


def os_error_code(exc: OSError, otherwise: str = "unreadable") -> str:
    """What a failed read or write says to a user: a full disk or a permission is named as such."""
    import errno

    return {errno.ENOSPC: "disk-full", errno.EDQUOT: "disk-full", errno.EACCES: "permission-denied",
            errno.EPERM: "permission-denied", errno.EROFS: "read-only-filesystem"}.get(exc.errno, otherwise)


def compile_file(path: "str | os.PathLike[str]", format: Optional[str] = None, max_bytes: int = MAX_BYTES) -> Compilation:
    """Compile one file. Raises CompileError when there is nothing to compile."""
    return compile_source(read_source(path, max_bytes), format)
