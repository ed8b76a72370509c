"""Tables read through shapes.py's model of a line, and items whose label is printed above the figure.

The table engine (tables.py) splits a line into cells as lines.lark's line kinds
do: two spaces or a tab apart, columns from the column titles' positions. Many
reports print otherwise: figures one space apart ("A1 115,166,000.00
113,814,831.86 ..."), flattened HTML cells ("Class A-1 Notes | | $ | 133,000,000.00
|"), column titles one space apart over their figures. A spec rule with
`cells = "generic"` reads them as the generic reader does (shapes.py): a line's
label is the text before its first figure, a table's columns come from the
figures' character positions (`figure_columns`) and each column's title from the
header cells over it (`column_titles`).

`read = "label_above"` reads items whose label may be printed on the line above
its figure ("Principal Collections" / "|" / "23,414,822.75"): a line of words is
the label of the figure lines under it, up to the next line of words; a figure
line with a label of its own is an item as usual.

Facts, classes and the one unknown-label diagnostic stay the engine's
(`Tables.place`, `Tables.unknown`), so a row reads the same once split.
"""
from __future__ import annotations

import re
from typing import Callable, Iterator, Optional, Sequence

import attrs
from lark import Token

from .columns import Cell, Column
from .shapes import column_of, column_titles, figure_columns, shape
from .tables import ClassTable, Items, Row, Tables, key, real

CELLS = ("lines", "generic")  # how a spec rule splits its lines: lines.lark's cells, or shapes.py's
_MARKS = " \t|:$"  # around a label in flattened HTML: "| | Class A-1 Notes | |"
_WORDS = re.compile(r"[A-Za-z]")


def trimmed(text: str, start: int, end: int) -> Optional[Cell]:
    """The cell of text[start:end] without the marks around it, its words single-spaced (None if nothing is left)."""
    chunk = text[start:end]
    left = len(chunk) - len(chunk.lstrip(_MARKS))
    right = len(chunk.rstrip(_MARKS))
    if right <= left:
        return None
    words = " ".join(chunk[left:right].replace("|", " ").split())
    return Cell(words, start + left, start + right)


def generic_row(token: Token) -> Row:
    """A line as shapes.py reads it: the label is the text before the first figure, the figures after it."""
    found = shape(token.line, token.value, "FIGURES")
    label = trimmed(token.value, found.label.start, found.label.end) if found.label is not None else None
    return Row(token, label, list(found.figures))


def lines_row(token: Token) -> Row:
    """A line as the table engine reads it (lines.lark's cells), every cell before the first figure the label."""
    return Row.split(token, "leading")


ROW_READERS: dict[str, Callable[[Token], Row]] = {"lines": lines_row, "generic": generic_row}


@attrs.frozen
class LabelledAbove(Row):
    """A figure line whose label is printed on a line above it: the label's span is on that line."""

    label_line: int = 0

    @property
    def label_span(self):
        return self.label.span(self.label_line) if self.label is not None else None


def labelled_rows(lines: Sequence[Token], row_of: Callable[[Token], Row] = lines_row) -> Iterator[Row]:
    """The figure lines of `lines`, each labelled by its own label or else by the last line of words above it
    (label None when there is neither)."""
    above: Optional[tuple[int, Cell]] = None  # the last line of words: (its line number, the label)
    for token in real(lines):
        row = row_of(token)
        if not row.values:
            label = trimmed(token.value, 0, len(token.value)) if _WORDS.search(token.value) else None
            above = (token.line, label) if label is not None else above
        elif row.label is None and above is not None:
            yield LabelledAbove(token, above[1], row.values, above[0])
        else:
            yield row


def label_above(tables: Tables, spec: Items, lines: Sequence[Token], row_of: Callable[[Token], Row] = lines_row) -> None:
    """Items whose label is the figure line's own, or the line of words above it."""
    for row in labelled_rows(lines, row_of):
        if row.label is None:
            tables.unknown(row, "no label is printed beside it or above it")
            continue
        meaning = spec.meaning(row.label.text)
        if meaning is None:
            tables.unknown(row, f"label {row.label.text!r} has no known meaning here")
            continue
        tables.place(row, ((cell, meaning.concept, row.label.text, meaning.dims) for cell in row.values))


def column_model(headers: Sequence[Token], rows: Sequence[Row]) -> tuple[list[Column], list[str]]:
    """The columns of rows read by `generic_row` (where their figures stand) and each one's printed title."""
    columns = figure_columns([shape(r.token.line, r.token.value, "FIGURES") for r in rows])
    # header cells left of where the figures begin title the row labels, not a column
    first = columns[0].start if columns else 0
    edge = max((r.label.end for r in rows if r.label is not None and r.label.end < first), default=first)
    header_shapes = [shape(t.line, t.value, "HEADER") for t in real(headers)]
    return columns, column_titles(header_shapes, columns, edge)


def class_table(tables: Tables, spec: ClassTable, headers: Sequence[Token], rows: Sequence[Token]) -> None:
    """A class table whose columns are where its figures stand, titled by the header cells over them.

    A labelled row names its class; an unlabelled row takes the class of the row at its position in
    the last table sharing `spec.position` (a further block of columns printed under the first).
    """
    split = [r for r in map(generic_row, real(rows)) if r.values]  # lines of marks ("|") carry no figure
    columns, titles = column_model(headers, split)
    previous = tables.positions.get(spec.position, [])
    names: list[Optional[str]] = []
    for index, row in enumerate(split):
        if row.label is not None:
            name = tables.class_named(spec, row.label.text)
        else:
            name = previous[index] if index < len(previous) else None
        names.append(name)
        if name is None:
            tables.unknown(row, "its class is not known")
            continue
        placed = []
        for cell in row.values:
            title = titles[column_of(cell, columns)] if columns else ""
            placed.append((cell, spec.columns.get(key(title)), title, {"class": name}))
        tables.place(row, placed, record=name)
    if any(n is not None for n in names):
        tables.positions[spec.position] = names
