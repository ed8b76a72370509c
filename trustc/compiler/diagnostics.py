"""Building diagnostics, and reading a compilation's outcome the way the CLI reports it."""
from __future__ import annotations

from typing import Iterable, Optional

from .ast import Diagnostic, Span, UnparsedLine

ERROR, WARNING, INFO = "error", "warning", "info"
# Per-line unparsed-line errors per compilation; past it one error counts the rest
# (every line stays in `unparsed`). Producers of many lines may stop making them here.
MAX_LINE_ERRORS = 1000


def error(code: str, message: str, span: Optional[Span] = None, related: Iterable[Span] = ()) -> Diagnostic:
    return Diagnostic(ERROR, code, message, span, tuple(related))


def warning(code: str, message: str, span: Optional[Span] = None, related: Iterable[Span] = ()) -> Diagnostic:
    return Diagnostic(WARNING, code, message, span, tuple(related))


def unparsed_line(number: int, text: str) -> tuple[UnparsedLine, Diagnostic]:
    return UnparsedLine(number, text), error(
        "unparsed-line",
        f"line {number} could not be placed by the grammar: {text.strip()[:80]!r}",
        Span(number, 1, number, len(text) + 1),
    )
