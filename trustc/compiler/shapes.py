"""Generic report structure, line by line: what each line is and where its cells stand.

The generic reader (layouts/generic.py) and tools that draft a layout from a
sample (`trustc new-layout`) share this module. Its public functions:

- `classify(lines, first=1) -> list[Shape]`: every line of a report as a
  `Shape`: its kind (below), its cells, the printed label and the figures.
  The grammar's line kinds (grammar/generic.lark: TITLE, HEADER, FIGURES,
  RULE, MARKUP, PAGE_MARK) come first, so the Lark lexer and this function
  agree; position then refines a FIGURES line into an item, a row, a total
  or figures only, and a line whose only "figures" sit inside words or
  dates into text.
- `cells_of(text) -> list[Cell]`: the cells of one line (see below).
- `figure_columns(shapes) -> list[Column]`: the columns of a block of rows,
  found from the figures' character positions.
- `column_titles(headers, columns) -> list[str]`: the printed title of each
  column, header lines joined top to bottom.

Kinds: blank, rule, markup, page, title (one cell of words), header (cells of
words apart: column titles), prose (a dozen words and more), item (a label
and one figure), row (a label and several figures), total (a row whose label
says total), values (figures only).

Cells: runs of text two spaces or a tab apart (columns.split_cells); a `|`
(HTML cells flattened to text) separates cells too. Figures printed one space
after a label ("Class A-1 Interest 702,465.65") are split off it, as are
figures one space apart; a date ("October 20, 2003") stays one cell. A `%`
printed apart from its figure ("7.041267  %") belongs to the figure; a `$`
apart from it is dropped (the unit says it).
"""
from __future__ import annotations

import functools
import re
from typing import Optional, Sequence

from attrs import frozen

from .columns import CELL, Cell, Column, extent_columns
from .numbers import DATE_SEARCH, is_number

FIGURE_KINDS = frozenset({"item", "row", "total", "values"})
TEXT_KINDS = frozenset({"title", "header", "prose"})
GLUE_KINDS = frozenset({"rule", "markup", "page"})
PROSE_WORDS = 12
NEAR = 3  # a column title over no figure names the column this many characters away at most
_TOTAL = re.compile(r"(?:grand\s+|sub-?\s*)?totals?\b", re.I)
# "1", "2.", "(a)", "iv", "A." printed before a label: part of the label, not a figure
_ENUMERATOR = re.compile(r"\(?(?:\d{1,2}|[A-Za-z]|[ivxIVX]{1,5})[.)]{0,2}")


FLAGS = {"YES": True, "NO": False, "Yes": True, "No": False}


def is_value(word: str) -> bool:
    """A figure as reports print them: a number (with $, %, parentheses, commas) or N/A."""
    return word == "N/A" or is_number(word)


# a figure too wide for its field, printed as marks: "***.******** %", "##############"
OVERFLOW = re.compile(r"[*#]{2,}(?:[.,][*#]+)*(?:\s*%)?")


def is_figure_cell(text: str) -> bool:
    """A cell that is a figure: a number, N/A, an overflow mark, or YES/NO standing apart (a trigger's answer)."""
    return is_value(text) or text in FLAGS or OVERFLOW.fullmatch(text) is not None


@frozen
class Shape:
    """One line: its number, kind, text and cells; for a figure line its label and figures."""

    number: int
    kind: str
    text: str
    cells: tuple[Cell, ...] = ()
    label: Optional[Cell] = None  # the text before the first figure, as one cell
    figures: tuple[Cell, ...] = ()

    @property
    def has_figures(self) -> bool:
        return self.kind in FIGURE_KINDS

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" \t|"))


def _words(chunk: str, offset: int) -> list[Cell]:
    words, at = [], offset
    for word in chunk.split(" "):
        words.append(Cell(word, at, at + len(word)))
        at += len(word) + 1
    return words


def _split_chunk(chunk: str, offset: int) -> list[Cell]:
    """A run of single-spaced words as cells: a label, then the figures printed after it."""
    if " " not in chunk:
        return [Cell(chunk, offset, offset + len(chunk))]
    words = _words(chunk, offset)
    dated = [(m.start() + offset, m.end() + offset) for m in DATE_SEARCH.finditer(chunk)]
    figure = [(is_value(w.text) or OVERFLOW.fullmatch(w.text) is not None) and not any(s <= w.start < e for s, e in dated)
              for w in words]
    # The figures end the chunk and start at the first figure after which figures are at least half the words
    # ("A1 115,166,000.00 113,814,831.863.559859% 337,637.30"), so a number inside a label
    # ("Pursuant to Section 4.2 of the Agreement") stays in it.
    start = None
    if not figure[-1]:  # "AMOUNTS PER $1,000 UNIT": figures end a label's chunk, or there are none
        return [Cell(chunk, offset, offset + len(chunk))]
    for i, is_fig in enumerate(figure):
        if is_fig and 2 * sum(figure[i:]) >= len(figure) - i:
            start = i
            break
    if start is None:
        return [Cell(chunk, offset, offset + len(chunk))]
    cells = []
    if start > 0:
        cells.append(Cell(chunk[: words[start - 1].end - offset], offset, words[start - 1].end))
    cells.extend(words[start:])
    return cells


def cells_of(text: str) -> list[Cell]:
    """The cells of one line (see the module's docstring)."""
    plain = text.replace("|", " ") if "|" in text else text
    cells: list[Cell] = []
    for m in CELL.finditer(plain):
        cells.extend(_split_chunk(m.group(), m.start()))
    out: list[Cell] = []
    for cell in cells:
        if cell.text == "%" and out and is_value(out[-1].text) and "|" not in text[out[-1].end:cell.start]:
            prev = out.pop()
            out.append(Cell(text[prev.start:cell.end], prev.start, cell.end))
            continue
        out.append(cell)
    return out


def shape(number: int, text: str, kind: str) -> Shape:
    """One line as a Shape, from the grammar's kind of the line (see `classify`)."""
    if kind in ("MARKUP", "PAGE_MARK", "RULE"):
        return Shape(number, {"MARKUP": "markup", "PAGE_MARK": "page", "RULE": "rule"}[kind], text)
    cells = tuple(cells_of(text))
    first = next((i for i, c in enumerate(cells) if is_figure_cell(c.text)), None)
    # A leading "1" or "(a)" before a label enumerates the item: it is the label's start
    if first == 0 and len(cells) > 1 and not is_value(cells[1].text) and _ENUMERATOR.fullmatch(cells[0].text):
        first = next((i for i, c in enumerate(cells) if i > 1 and is_figure_cell(c.text)), None)
    if not cells:  # "|  |": the empty cells of a flattened HTML row
        return Shape(number, "rule", text)
    if first is None:
        words = len(text.split())
        kind = "prose" if words >= PROSE_WORDS and len(cells) <= 2 else "header" if len(cells) > 1 else "title"
        return Shape(number, kind, text, cells)
    figures = tuple(c for c in cells[first:] if is_figure_cell(c.text))
    label = None
    if first > 0:
        label = Cell(text[cells[0].start:cells[first - 1].end], cells[0].start, cells[first - 1].end)
    if label is None:
        kind = "values"
    elif _TOTAL.match(label.text.strip(" \t|")):
        kind = "total"
    else:
        kind = "item" if len(figures) == 1 else "row"
    return Shape(number, kind, text, cells, label, figures)


@functools.lru_cache(maxsize=1)
def _lexer():
    from .layout import get_layout
    from .lines import LineLexer

    return LineLexer(get_layout("generic").parser().lexer_conf)


def line_kind(text: str) -> str:
    """The grammar's kind of one non-blank line (TITLE, HEADER, FIGURES, RULE, MARKUP, PAGE_MARK)."""
    return _lexer().classify(text, None)


def classify(lines: Sequence[str], first: int = 1) -> list[Shape]:
    """Every line as a Shape; `first` is the number of lines[0] in its file."""
    out = []
    for number, text in enumerate(lines, start=first):
        if not text.strip(" \t\f\v"):
            out.append(Shape(number, "blank", text))
        else:
            out.append(shape(number, text, line_kind(text)))
    return out


def figure_columns(rows: Sequence[Shape]) -> list[Column]:
    """Columns of a block of rows: figures whose character extents overlap, row to row, share one.

    Reports right-align figures of different widths under one column, so their
    extents overlap at the right edge; figures of two columns are at least a
    gutter apart on every row.
    """
    return extent_columns(c for row in rows for c in row.figures)


def column_of(cell: Cell, columns: Sequence[Column]) -> int:
    """The index of the column a figure stands in (the one its extent overlaps most)."""
    best, best_key = 0, None
    for index, col in enumerate(columns):
        overlap = min(cell.end, col.end) - max(cell.start, col.start)
        key = (overlap, -abs(cell.end - col.end))
        if best_key is None or key > best_key:
            best, best_key = index, key
    return best


def column_titles(headers: Sequence[Shape], columns: Sequence[Column], left: Optional[int] = None) -> list[str]:
    """Each column's printed title: the header cells over it, top line first, joined.

    A header cell goes to every column it overlaps (a title spanning two
    columns, "DELINQUENT 30-59 DAYS" over "COUNT  BALANCE", names both); one
    over no column goes to the nearest column, NEAR characters away at most, when
    it stands right of where the figures begin (a title left of every figure
    names the row labels: "Class").
    """
    titles: list[list[str]] = [[] for _ in columns]
    if not columns:
        return []
    left = columns[0].start if left is None else left
    for header in headers:
        for cell in header.cells:
            over = [i for i, col in enumerate(columns) if cell.overlaps(col.start, col.end)]
            if not over:
                if cell.start < left:
                    continue
                gaps = [max(col.start - cell.end, cell.start - col.end) for col in columns]
                nearest = min(range(len(columns)), key=gaps.__getitem__)
                if gaps[nearest] > NEAR:  # over no figures ("CUSIP" over a column printed empty)
                    continue
                over = [nearest]
            for i in over:
                titles[i].append(cell.text.strip())
    return [" ".join(t) for t in titles]
