"""Cells inside a line, and the column model that places them.

A cell is a run of text separated from its neighbours by two or more spaces or
a tab ("Beginning Balanc", "12,572,214", "Market Value (REO)"). Figures printed
with a single space between them ("386,100,000.00 383,371,981.77") are split
again, since a label never consists of figures only. Columns are 0-based
offsets into the line as given; spans add 1 to be Lark's 1-based columns.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable, Optional, Sequence

import attrs
from attrs import frozen

from .ast import Span

CELL = re.compile(r"[^ \t\f\v]+(?: [^ \t\f\v]+)*")


# Read only by convention, not frozen: a frozen attrs class sets each field through object.__setattr__,
# ~3x the cost of building this one, and every table line is split into cells (~600 a filing).
@attrs.define(unsafe_hash=True)
class Cell:
    text: str
    start: int  # 0-based, inclusive
    end: int  # 0-based, exclusive

    def span(self, line: int) -> Span:
        return Span(line, self.start + 1, line, self.end + 1)

    @property
    def is_figure(self) -> bool:
        return is_figure(self.text)

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


def _figure_pattern() -> re.Pattern:
    """The grammars' one definition of a figure, `_FIG` of lines.lark, read from that file."""
    grammar = (Path(__file__).resolve().parent.parent / "grammar" / "lines.lark").read_text(encoding="utf-8")
    return re.compile(re.search(r"^_FIG: /(.*)/$", grammar, re.M).group(1).replace("\\/", "/"))


FIGURE = _figure_pattern()


def is_figure(text: str) -> bool:
    """A figure as the grammars see one (lines.lark's _FIG): what splits a row into its label and values."""
    return FIGURE.fullmatch(text) is not None


# What a figure (lines.lark's _FIG) can start with: a chunk starting otherwise is no run of figures.
_FIGURE_FIRST = frozenset("0123456789.()-+$N")


def split_cells(text: str) -> list[Cell]:
    """The cells of a line, as the grammars' line kinds see them (lines.lark: `_CELL`, `_SEP`, `_FIG`)."""
    cells: list[Cell] = []
    append = cells.append
    for m in CELL.finditer(text):
        chunk = m.group()
        start, end = m.span()
        if chunk == "%" and cells and cells[-1].is_figure:  # a percent sign printed apart: "7.041267  %"
            last = cells.pop()
            append(Cell(text[last.start:end], last.start, end))
            continue
        if " " in chunk and chunk[0] in _FIGURE_FIRST:  # else its first word is no figure: a label
            words = _figure_words(text, chunk, start)
            if words is not None:
                cells.extend(words)
                continue
        append(Cell(chunk, start, end))
    return cells


def _figure_words(text: str, chunk: str, offset: int) -> Optional[list[Cell]]:
    """A chunk of figures one space apart ("386,100,000.00 383,371,981.77"), one cell each, a percent sign
    joined to the figure before it; None if a word of it is not a figure."""
    out: list[Cell] = []
    for word in chunk.split(" "):  # a cell's words are joined by exactly one space
        end = offset + len(word)
        if word == "%" and out:
            out[-1] = Cell(text[out[-1].start:end], out[-1].start, end)
        elif is_figure(word):
            out.append(Cell(word, offset, end))
        else:
            return None
        offset = end + 1
    return out


@frozen
class Column:
    name: str
    start: int
    end: int
    group: str = ""  # a title printed over this column and its neighbours ("Rate" over Uncapped / Capped / Next)

    def holds(self, cell: Cell) -> bool:
        """Whether the cell shares a character with the column."""
        return cell.start < self.end and self.start < cell.end


def stack_headers(lines: Sequence[str]) -> list[Column]:
    """Merge a multi-line column header into columns named by all its lines.

    Cells of different lines that overlap horizontally belong to one column
    ("Interest" / "Carry-forward" / "Amount"; "Tot" / "Unpaid"); the column is
    named by its cells from top to bottom and spans all of them.
    """
    # Overlap chains are the connected components of the cells' intervals: one
    # sweep over the cells sorted by start finds them (n log n, where comparing
    # every cell with every column was quadratic on a hostile line of 10k cells).
    cells = sorted(
        (cell.start, cell.end, row, cell.text) for row, text in enumerate(lines) for cell in split_cells(text)
    )
    columns: list[Column] = []
    group: list[tuple[int, int, int, str]] = []
    start = end = 0
    for cell in cells:
        if group and cell[0] >= end:
            columns.append(_column(group, start, end))
            group = []
        if not group:
            start, end = cell[0], cell[1]
        group.append(cell)
        end = max(end, cell[1])
    if group:
        columns.append(_column(group, start, end))
    return columns


def _column(cells: list[tuple[int, int, int, str]], start: int, end: int) -> Column:
    """A column named by its cells from the top line down."""
    if len(cells) == 1:  # the usual column: one title cell
        return Column(cells[0][3], start, end)
    return Column(" ".join(text for _s, _e, _row, text in sorted(cells, key=lambda c: (c[2], c[0]))), start, end)


def spanning_columns(text: str, width: int = 10_000) -> list[Column]:
    """A header whose labels span the columns under them (GROUP 1 ... GROUP 2 ...)."""
    cells = split_cells(text)
    return [
        Column(c.text, c.start, cells[i + 1].start if i + 1 < len(cells) else width)
        for i, c in enumerate(cells)
    ]


def extent_columns(cells: Iterable[Cell]) -> list[Column]:
    """The columns of aligned rows where their cells stand: cells whose character extents overlap, row to row,
    share one (right-aligned figures of different widths overlap at the right edge; a rendered column never
    shares a character with the next). Unnamed: `title_extents` names them by the header cells over them."""
    columns: list[Column] = []
    for start, end in sorted((c.start, c.end) for c in cells):
        if columns and start < columns[-1].end:
            last = columns[-1]
            columns[-1] = Column("", last.start, max(last.end, end))
        else:
            columns.append(Column("", start, end))
    return columns


def title_extents(columns: Sequence[Column], headers: Sequence[str]) -> list[Column]:
    """Name each column by the header cells over it, top line first; a header cell over several columns is
    their `group`, not part of their names (unlike `stack_headers`, which merges every chain of overlapping
    titles: an HTML group title overlaps all the columns under it). A title over no column, left of the
    figures it heads, names the first column ending right of its start (figures are right-aligned under it)."""
    names: list[list[str]] = [[] for _ in columns]
    groups: list[list[str]] = [[] for _ in columns]
    for text in headers:
        for cell in split_cells(text):
            over = [i for i, c in enumerate(columns) if c.holds(cell)]
            if not over and columns:
                over = [next((i for i, c in enumerate(columns) if c.end > cell.start), len(columns) - 1)]
            target = names if len(over) == 1 else groups
            for i in over:
                target[i].append(cell.text)
    return [Column(" ".join(n), c.start, c.end, " ".join(g)) for c, n, g in zip(columns, names, groups)]


def titled_columns(text: str) -> tuple[str, list[Column]]:
    """"SOURCES OF PRINCIPAL   FIXED GROUP   ADJ GROUP   TOTAL": a table's title (its first cell) and the
    columns printed after it on the same line."""
    cells = split_cells(text)
    if not cells:  # an empty line closing a table cut short (Layout.parse)
        return "", []
    return cells[0].text, [Column(c.text, c.start, c.end) for c in cells[1:]]


def assign(values: Sequence[Cell], columns: Sequence[Column]) -> list[tuple[Cell, Optional[Column]]]:
    """Place each value cell under a column.

    Same count: in order (the report's own alignment drifts by a character or
    two between blocks). Otherwise by overlap, then by the nearest right edge,
    since trustee report writers right-align figures.
    """
    if len(values) == len(columns):
        return list(zip(values, columns))
    placed = []
    for cell in values:
        best = None
        best_key = None
        for col in columns:
            overlap = min(cell.end, col.end) - max(cell.start, col.start)
            key = (overlap > 0, -abs(cell.end - col.end))
            if best_key is None or key > best_key:
                best, best_key = col, key
        placed.append((cell, best))
    return placed
