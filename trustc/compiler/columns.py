"""Cells inside a line, and the column model that places them.

A cell is a run of text separated from its neighbours by two or more spaces or
a tab ("Beginning Balanc", "12,572,214", "Market Value (REO)"). Figures printed
with a single space between them ("386,100,000.00 383,371,981.77") are split
again, since a label never consists of figures only. Columns are 0-based
offsets into the line as given; spans add 1 to be Lark's 1-based columns.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from attrs import frozen

from .ast import Span
from .numbers import NOT_AVAILABLE, is_number

CELL = re.compile(r"[^ \t\f\v]+(?: [^ \t\f\v]+)*")


@frozen
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


def is_figure(text: str) -> bool:
    return text in NOT_AVAILABLE or is_number(text)


def split_cells(text: str) -> list[Cell]:
    cells: list[Cell] = []
    append = cells.append
    for m in CELL.finditer(text):
        chunk = m.group()
        if " " in chunk:
            words = chunk.split(" ")  # a cell's words are joined by exactly one space
            if all(is_figure(w) for w in words):
                offset = m.start()
                for word in words:
                    append(Cell(word, offset, offset + len(word)))
                    offset += len(word) + 1
                continue
        start, end = m.span()
        append(Cell(chunk, start, end))
    return cells


@frozen
class Column:
    name: str
    start: int
    end: int


def stack_headers(lines: Sequence[str]) -> list[Column]:
    """Merge a multi-line column header into columns named by all its lines.

    Cells of different lines that overlap horizontally belong to one column
    ("Interest" / "Carry-forward" / "Amount"; "Tot" / "Unpaid"); the column is
    named by its cells from top to bottom and spans all of them.
    """
    clusters: list[list] = []  # [start, end, [texts]]
    for text in lines:
        for cell in split_cells(text):
            hits = [c for c in clusters if cell.start < c[1] and c[0] < cell.end]
            if not hits:
                clusters.append([cell.start, cell.end, [cell.text]])
                continue
            merged = hits[0]
            for other in hits[1:]:
                merged[0], merged[1] = min(merged[0], other[0]), max(merged[1], other[1])
                merged[2].extend(other[2])
                clusters.remove(other)
            merged[0], merged[1] = min(merged[0], cell.start), max(merged[1], cell.end)
            merged[2].append(cell.text)
    clusters.sort(key=lambda c: c[0])
    return [Column(" ".join(texts), start, end) for start, end, texts in clusters]


def spanning_columns(text: str, width: int = 10_000) -> list[Column]:
    """A header whose labels span the columns under them (GROUP 1 ... GROUP 2 ...)."""
    cells = split_cells(text)
    return [
        Column(c.text, c.start, cells[i + 1].start if i + 1 < len(cells) else width)
        for i, c in enumerate(cells)
    ]


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
