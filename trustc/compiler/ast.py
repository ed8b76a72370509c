"""The typed AST every layout produces and every emitter consumes.

Spans are 1-based, end-exclusive, counted the way Lark counts tokens: a tab is
one column, lines are numbered in the input file as given (not the document
inside an EDGAR envelope).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Optional, Union

import attrs
from attrs import field, frozen

Value = Union[Decimal, str, bool, None]


@frozen
class Span:
    line: int
    column: int
    end_line: int
    end_column: int

    def covers(self, other: "Span") -> bool:
        return (self.line, self.column) <= (other.line, other.column) and (
            self.end_line,
            self.end_column,
        ) >= (other.end_line, other.end_column)

    def as_dict(self) -> dict:
        return attrs.asdict(self)


@frozen
class SourceInfo:
    path: str
    sha256: str
    bytes: int


@frozen
class Field:
    """A value of the cover page, envelope or signature block, with where it came from."""

    value: Value
    raw: str
    span: Span


@frozen
class Fact:
    """One figure of a statement: what it means (concept, dims) and what was printed.

    `concept` is None when the printed label names no concept of the dictionary
    (the generic reader keeps such figures, with their label). The generic
    reader also keeps the row's printed label and the column's printed title
    (header lines joined); layouts that know their report leave them None.
    """

    concept: Optional[str]
    label: str
    value: Value
    unit: str
    raw: str
    span: Span
    dims: Mapping[str, str] = field(factory=dict)
    label_span: Optional[Span] = None
    row_label: Optional[str] = None
    column_header: Optional[str] = None


@frozen
class ClassBalance:
    """One class of certificates, its figures re-joined from every block that prints it.

    `figures` maps a concept (original_balance, interest_per_1000, ...) to the fact;
    `printed_as` lists other spellings of the class label seen in the statement.
    """

    name: str
    figures: Mapping[str, Fact]
    printed_as: tuple[str, ...] = ()


@frozen
class Statement:
    format: str
    title: str
    distribution_date: Optional[Field]
    classes: tuple[ClassBalance, ...]
    facts: tuple[Fact, ...]
    pool: Optional[str] = None
    series: Optional[str] = None
    document: Optional[int] = None
    confidence: Optional[float] = None  # the generic reader's: how surely this is a statement


@frozen
class Diagnostic:
    severity: str  # error | warning | info
    code: str
    message: str
    span: Optional[Span] = None
    related: tuple[Span, ...] = ()


@frozen
class UnparsedLine:
    line: int
    text: str


@frozen
class Signature:
    fields: Mapping[str, Field]


@frozen
class Cover:
    """The Form 8-K / 10-D cover page; `fields` holds only what the filing prints."""

    fields: Mapping[str, Field]
    items: tuple[Mapping[str, Any], ...] = ()
    exhibits: tuple[Mapping[str, Any], ...] = ()
    missing: tuple[str, ...] = ()


@frozen
class Document:
    """One document of an EDGAR submission (or the whole file when it has no envelope)."""

    sequence: Optional[int]
    type: Optional[str]
    filename: Optional[str]
    description: Optional[str]
    first_line: int
    last_line: int
    layout: Optional[str]
    content: str = "text"  # "text", or "html" for a document trustc rendered to text lines first


@frozen
class Compilation:
    source: SourceInfo
    cover: Optional[Cover]
    statements: tuple[Statement, ...]
    signatures: tuple[Signature, ...]
    diagnostics: tuple[Diagnostic, ...]
    unparsed: tuple[UnparsedLine, ...]
    envelope: Optional[Mapping[str, Any]] = None
    documents: tuple[Document, ...] = ()

    @property
    def has_errors(self) -> bool:
        return any(d.severity == "error" for d in self.diagnostics)

    def facts(self):
        for statement in self.statements:
            yield from statement.facts

    def facts_frame(self):
        """The facts as a pandas DataFrame, exact Decimal values and spans (see trustc/frame.py)."""
        from ..frame import facts_frame

        return facts_frame(self)

    to_pandas = facts_frame

    def __repr__(self) -> str:  # one line: the attrs repr of a filing is hundreds of kilobytes
        from ..frame import summary

        return summary(self)

    def _repr_html_(self) -> str:
        """A notebook shows the regenerated statement (the html emitter's page, its body only)."""
        from ..emitters.html import HTMLEmitter

        return HTMLEmitter().fragment(self)
