"""Nothing lost: every figure on a line a layout consumed is a fact, declared text, or reported.

A grammar can consume a line without reading its figures: a prose line swapped into a
table ends the statement, and the rows after it parse as the 8-K's free text. This pass,
run by the driver on every document whatever its layout, walks the figures of the lines
the grammar consumed once and asks each for something that accounts for it:

- a fact's span (or its label's: a figure inside a label is part of it), a field of the
  cover, signature or statement date, or a diagnostic already naming it;
- a line the layout declares as text: a line kind in `Layout.text_kinds` (page numbers,
  exhibit numbers, headings that number a pool), or a line in `LayoutResult.text_lines`
  (the cover page, whose fields are read as text);
- free text (`Layout.prose_kinds`) in which the figure is a word of a sentence: words
  follow it on the line, or it ends in a comma or a full stop ("Act of 1934,").

Any other figure is reported: one `unread-figure` warning per line, naming its figures, its
span giving the line (a warning, as `unplaced-figure` and `unknown-label` are: the input is read,
a figure of it has no meaning). A figure is what the grammars call one (`columns.is_figure`, lines.lark's _FIG),
taken as a cell of the line (`columns.split_cells`), so "GROUP 1" or "Series 2003-HE2"
hold no figure, as they hold none for the grammars.
"""
from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable, Mapping, Optional

import attrs

from .ast import Diagnostic, Field, Span
from .columns import CELL, is_figure, split_cells
from .diagnostics import MAX_LINE_ERRORS, warning
from .layout import Layout, LayoutResult, ParseOutcome
from .source import LineView

DIGIT = re.compile(r"\d")
# after a figure inside a sentence: more words on the line
WORDS_AFTER = re.compile(r"\s*[A-Za-z(]")


def _fields(fields: Mapping[str, object]) -> Iterable[Span]:
    for value in fields.values():
        if isinstance(value, Field):
            yield value.span


@attrs.define
class Accounted:
    """What accounts for a figure, by line: the extents (1-based columns) of spans on one line, and
    spans over several lines (a label printed on two)."""

    extents: dict[int, list[tuple[int, int]]] = attrs.field(factory=dict)
    wide: dict[int, list[Span]] = attrs.field(factory=lambda: defaultdict(list))

    @classmethod
    def of(cls, result: LayoutResult) -> "Accounted":
        found = cls()
        extents, wide = found.extents, found.wide

        def add(span: Span) -> None:
            if span.line == span.end_line:
                on_line = extents.get(span.line)
                if on_line is None:
                    extents[span.line] = [(span.column, span.end_column)]
                else:
                    on_line.append((span.column, span.end_column))
            else:
                for line in range(span.line, span.end_line + 1):
                    wide[line].append(span)

        label = None  # the facts of a row share their label's span: added once
        for statement in result.statements:
            if statement.distribution_date is not None:
                add(statement.distribution_date.span)
            for fact in statement.facts:
                add(fact.span)
                if fact.label_span is not label and fact.label_span is not None:
                    label = fact.label_span
                    add(label)
        if result.cover is not None:
            for span in _fields(result.cover.fields):
                add(span)
        for signature in result.signatures:
            for span in _fields(signature.fields):
                add(span)
        for d in result.diagnostics:
            if d.span is not None:
                add(d.span)
        return found

    def whole(self, number: int, text: str) -> bool:
        """Whether every digit of the line lies in a span that accounts for it: a digit looked for
        only between the extents, left to right."""
        if number in self.wide:
            return False
        at = 0  # 0-based: the text before `at` is accounted for
        for column, end_column in sorted(self.extents.get(number, ())):
            if column - 1 > at and DIGIT.search(text, at, column - 1):
                return False
            if end_column - 1 > at:
                at = end_column - 1
        return DIGIT.search(text, at) is None

    def covers(self, number: int, column: int, end_column: int) -> bool:
        if any(c <= column and end_column <= e for c, e in self.extents.get(number, ())):
            return True
        span = Span(number, column, number, end_column)
        return any(s.covers(span) for s in self.wide.get(number, ()))


def unread_figures(layout: type[Layout], outcome: ParseOutcome, result: LayoutResult,
                   view: LineView) -> list[Diagnostic]:
    """One `unread-figure` warning per consumed line holding a figure nothing accounts for.

    One pass over the consumed lines. A line whose digits all lie in facts (the common line of
    a table) costs one blanking of their extents; only the others are split into cells
    (`columns.split_cells`) and each figure looked for.
    """
    skipped = {u.line for u in outcome.unparsed}
    skipped.update(u.line for u in result.unparsed)
    skipped.update(result.text_lines)
    text_kinds, prose_kinds = layout.text_kinds, layout.prose_kinds
    roles: dict[str, Optional[bool]] = {}  # a line kind -> None (text), True (prose), False (figures)
    accounted = Accounted.of(result)
    found: list[Diagnostic] = []
    lines = view.lines
    for number, kind in outcome.kinds.items():
        if number in skipped:
            continue
        text = lines[number - 1]
        if not DIGIT.search(text):
            continue
        if kind not in roles:
            base = kind.rsplit("__", 1)[-1]
            roles[kind] = None if base in text_kinds else base in prose_kinds
        prose = roles[kind]
        if prose is None or accounted.whole(number, text):
            continue
        unread = []
        for m in CELL.finditer(text):
            start, chunk = m.start(), m.group()
            if is_figure(chunk):
                cells = [(chunk, 0, len(chunk))]
            elif " " in chunk:  # figures one space apart ("386,100,000.00 383,371,981.77"), or words
                cells = [(c.text, c.start, c.end) for c in split_cells(chunk) if c.is_figure]
            else:
                continue
            for figure, offset, stop in cells:
                column, end_column = start + offset + 1, start + stop + 1
                if not DIGIT.search(figure):  # N/A
                    continue
                if prose and (figure[-1] in ",." or WORDS_AFTER.match(text, end_column - 1)):
                    continue
                if not accounted.covers(number, column, end_column):
                    unread.append((figure, Span(number, column, number, end_column)))
        if unread:
            found.append(_unread(number, kind.rsplit("__", 1)[-1], unread))
            if len(found) >= MAX_LINE_ERRORS:
                break
    return found


def _unread(number: int, kind: str, unread: list) -> Diagnostic:
    first, last = unread[0][1], unread[-1][1]
    shown = ", ".join(repr(text) for text, _span in unread[:6]) + (", ..." if len(unread) > 6 else "")
    figures = "a figure" if len(unread) == 1 else f"{len(unread)} figures"
    # The message names no line: the span does, and an HTML source's relocation moves the span to the line
    # the figure is written on, which need not be where its rendered line starts.
    return warning("unread-figure", f"{figures} ({shown}) on a line the grammar read as {kind} became no fact",
                   Span(number, first.column, number, last.end_column))
