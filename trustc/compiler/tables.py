"""The table engine: the four kinds of table trustee reports print, read one way for every layout.

A cell's meaning is its row's meaning plus its column's plus the context the
table is printed in (section, REMIC, pool, group):

- class table: a row per class (joined by its label, or by its position to the
  table printed before it), a column per concept; a totals row is the class
  "Total" or, where a layout says so, the scope as a whole;
- group table: a row per concept, a column per group (GROUP 1 / FIXED GROUP /
  TOTAL);
- matrix: a row per dimension value (delinquency bucket, loan status), a column
  per concept, groups from a title spanning the columns;
- items: "label   figure" lines, one fact per figure;
- key/values: "KEY:  value   KEY2:  value" lines, a value printed without a
  key continuing the key above it (an address under its name);
- transposed matrix: a row per concept, a column per dimension value (payment
  buckets), the group named by the first cell of the block.

Each kind is declared with data (`ClassTable`, `GroupTable`, `Matrix`, `Items`,
`KeyValues`, `TransposedMatrix`: label and column maps keyed by `key(printed)`)
and read by `Tables`, which
collects the facts and classes of one statement. A figure that no map places
gives ONE diagnostic for its row, the same in every layout: `unknown-label`,
naming the whole row and what it did not know; the row's other figures are
still facts.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable, Mapping, Optional, Sequence

import attrs
from lark import Token

from .ast import Fact, Span
from .concepts import concept
from .columns import Cell, Column, assign, is_figure, spanning_columns, split_cells, stack_headers
from .diagnostics import warning
from .numbers import parse_boolean
from .statement import ClassRegistry, FactBuilder

TOTAL = "Total"


@functools.lru_cache(maxsize=8192)  # called per cell with the few hundred titles and labels a layout prints
def key(printed: str) -> str:
    """A printed label or column title as the maps are keyed: lower case, single spaces, no final colon."""
    return " ".join(printed.split()).lower().rstrip(":").rstrip()


def real(tokens: Iterable[Token]) -> tuple[Token, ...]:
    """Lines of the input, without the empty synthetic ones error recovery adds to close a cut-short structure."""
    return tuple(t for t in tokens if t.value)


# -- rows: a label and the figures after it -----------------------------------------------------------------

def is_value(text: str) -> bool:
    """A cell that is a figure or a YES/NO answer: what a row's label stops at."""
    return is_figure(text) or parse_boolean(text) is not None


def is_value_or_overflow(text: str) -> bool:
    """A value, or a field too narrow for its figure, printed as stars ("***.******** %"): its fact is null,
    with a bad-figure warning, where it stands."""
    return is_value(text) or text.startswith("*")


def printed(label: str) -> str:
    """A label as printed, on one line: single spaces, no final colon (what label patterns match)."""
    return " ".join(label.split()).rstrip(" :")


def first_label(cells: list[Cell], text: str) -> tuple[Optional[Cell], list[Cell]]:
    """The first cell is the label unless it is a figure ("A-1  1,000  2,000")."""
    if cells and not is_figure(cells[0].text):
        return cells[0], cells[1:]
    return None, cells


def leading_label(cells: list[Cell], text: str, value=is_value) -> tuple[Optional[Cell], list[Cell]]:
    """Every cell before the first value is one label ("TOTAL  PRINCIPAL  1,000")."""
    count = next((i for i, c in enumerate(cells) if value(c.text)), len(cells))
    if count == 0:
        return None, cells
    start, end = cells[0].start, cells[count - 1].end
    return Cell(text[start:end], start, end), cells[count:]


LABELS = {"first": first_label, "leading": leading_label}


@attrs.define(unsafe_hash=True)  # read only by convention: built per table line, see columns.Cell
class Row:
    token: Token
    label: Optional[Cell]
    values: list[Cell]
    # the lines a label starts on when it runs over several lines ("SCHEDULED PRINCIPAL BALANCE ... AFTER" /
    # "DISTRIBUTION   4,781,024.27"): the label is their words and the label cell's, its span runs from the first
    above: tuple[Token, ...] = attrs.field(default=(), kw_only=True)  # keyword only: subclasses add fields

    @classmethod
    def split(cls, token: Token, label: str = "first", cells=split_cells, skip: int = 0, value=is_value) -> "Row":
        """`label`: "first" or "leading" (`value` says where a leading label stops); `skip`: cells at the
        start of the line that belong to neither (a group name)."""
        found_cells = cells(token.value)
        if skip:
            found_cells = found_cells[skip:]
        if label == "leading":
            found, values = leading_label(found_cells, token.value, value)
        else:
            found, values = LABELS[label](found_cells, token.value)
        return cls(token, found, values)

    @property
    def line(self) -> int:
        return self.token.line

    @property
    def label_text(self) -> str:
        if self.above:
            return " ".join(w for w in [*(t.value.strip() for t in self.above), self.label_text_here] if w)
        return self.label_text_here

    @property
    def label_text_here(self) -> str:
        return self.label.text if self.label is not None else ""

    @property
    def label_span(self) -> Optional[Span]:
        if self.label is None:
            return None
        if self.above:
            first = self.above[0]
            indent = len(first.value) - len(first.value.lstrip())
            return Span(first.line, indent + 1, self.token.line, self.label.end + 1)
        return self.label.span(self.token.line)


def whole_row(token: Token) -> Span:
    text = token.value
    return Span(token.line, len(text) - len(text.lstrip()) + 1, token.line, len(text.rstrip()) + 1)


# -- groups named by column titles ---------------------------------------------------------------------------

GROUP_NAME = re.compile(r"(FIXED|ADJ|ADJUSTABLE|ARM)\s+GROUP|GROUP\s+(\w+)|(TOTAL)", re.I)


def group_dim(column: Optional[Column]) -> Optional[str]:
    """GROUP 1 -> "1", FIXED GROUP -> "fixed", TOTAL -> "total"; other titles name no group."""
    if column is None:
        return None
    m = GROUP_NAME.fullmatch(column.name.strip())
    if not m:
        return None
    if m.group(1):
        return m.group(1).lower()
    return m.group(2) if m.group(2) else "total"


# -- the table kinds, as data ----------------------------------------------------------------------------------

def _keyed(mapping: Mapping[str, str]) -> dict[str, str]:
    return {key(k): v for k, v in mapping.items()}


@attrs.frozen
class ClassTable:
    """Rows are classes, columns are concepts."""

    columns: Mapping[str, str] = attrs.field(factory=dict, converter=_keyed)
    # True: row labels introduce the statement's classes (in print order); else a label is
    # looked up first (another spelling of a class seen before keeps the first one's name)
    declares: bool = False
    # where the row position join remembers its classes; tables sharing it join by position
    position: str = ""
    # an unlabelled last row as wide as the labelled rows above it is the class "Total"
    unlabelled_total: bool = False
    # a totals row printed apart: "class" (the class "Total") or "scope" (facts of the scope, no class)
    totals: str = "class"
    # the class of a table's one row printed without a label, before any class is known
    unnamed: str = ""
    # printed before a class's name in its row label and not part of it ('(?i)^CLASS\s+': "CLASS A-1F")
    strip: Optional[re.Pattern] = attrs.field(default=None, converter=lambda p: re.compile(p) if p else None)


@attrs.frozen
class GroupTable:
    """Rows are concepts, columns are groups."""

    rows: Mapping[str, str] = attrs.field(factory=dict, converter=_keyed)
    label: str = "first"


@attrs.frozen
class RowPattern:
    """A row label searched for `pattern`; its dims are `dims` filled with the match's groups ("{1}-{2}")."""

    pattern: re.Pattern = attrs.field(converter=re.compile)
    dims: Mapping[str, str] = attrs.field(factory=dict)
    concept: Optional[str] = None  # where the row or item names the concept too
    record: bool = False  # its fact is one of its class's figures (the class it names, when known)

    def match(self, label: str) -> Optional[dict[str, str]]:
        m = self.pattern.search(label)
        if not m:
            return None
        return {name: value.format(*(m.group(0),) + m.groups()) for name, value in self.dims.items()}

    def meaning(self, label: str) -> Optional["Meaning"]:
        dims = self.match(label)
        return Meaning(self.concept, dims, self.record) if dims is not None else None


@attrs.frozen
class Meaning:
    """What a label says: a concept (None: the column says it), dims, and whether its fact is its class's."""

    concept: Optional[str]
    dims: Mapping[str, str] = attrs.field(factory=dict)
    record: bool = False

    @classmethod
    def of(cls, entry) -> "Meaning":
        """A map's entry: a concept, or { concept = ..., dim = value, ... }."""
        if isinstance(entry, str):
            return cls(entry)
        return cls(entry.get("concept"), {k: v for k, v in entry.items() if k != "concept"})


def _meanings(mapping: Mapping[str, object]) -> dict[str, Meaning]:
    return {key(k): Meaning.of(v) for k, v in mapping.items()}


def _patterns(entries) -> tuple[RowPattern, ...]:
    return tuple(p if isinstance(p, RowPattern) else RowPattern(**p) for p in entries)


@attrs.frozen
class Matrix:
    """Rows are dimension values (by label, or by patterns), columns are concepts, groups span the columns."""

    columns: Mapping[str, str] = attrs.field(converter=_keyed)
    rows: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict, converter=lambda m: {key(k): v for k, v in m.items()})
    patterns: tuple[RowPattern, ...] = ()

    def row_dims(self, label: str) -> Optional[dict[str, str]]:
        found = self.rows.get(key(label))
        if found is not None:
            return dict(found)
        return next((d for p in self.patterns for d in [p.match(label)] if d is not None), None)


@attrs.frozen
class Items:
    """"label   figure" lines: the label names the concept (and dims: { concept = ..., status = "reo" }),
    by the whole label (its lines joined), or by `patterns` over it ("CLASS (\\S+) SHORTFALL" -> a dim from
    the match, as printed); under a section heading (`Rule` read = "section"), by that section's map first."""

    labels: Mapping[str, Meaning] = attrs.field(converter=_meanings)
    label: str = "first"
    patterns: tuple[RowPattern, ...] = attrs.field(default=(), converter=_patterns)
    sections: Mapping[str, Mapping[str, Meaning]] = attrs.field(
        factory=dict, converter=lambda m: {name: _meanings(labels) for name, labels in m.items()})
    overflow: bool = False  # a field printed as stars is a value (see is_value_or_overflow)

    def meaning(self, label: str, section: Optional[str] = None) -> Optional[Meaning]:
        keyed = key(label)
        found = (self.sections[section].get(keyed) if section in self.sections else None) or self.labels.get(keyed)
        if found is not None or not self.patterns:
            return found
        as_printed = printed(label)
        return next((m for p in self.patterns for m in [p.meaning(as_printed)] if m is not None), None)

    @property
    def value(self):
        return is_value_or_overflow if self.overflow else is_value


@attrs.frozen
class RowMatrix:
    """Rows named by their label, columns by their titles: a row gives dims, or a concept and dims (a map,
    or `patterns` over the printed label); a column gives the concept (`columns`) or a dim (`column_dim`:
    "SENIOR" -> tranche "senior"; as printed with `column_printed`)."""

    columns: Mapping[str, str] = attrs.field(factory=dict, converter=_keyed)
    rows: Mapping[str, Meaning] = attrs.field(factory=dict, converter=_meanings)
    patterns: tuple[RowPattern, ...] = attrs.field(default=(), converter=_patterns)
    column_dim: Optional[str] = None
    column_printed: bool = False
    # the header cells `columns` does not name are a caption, not columns ("DELINQUENCIES:")
    known_columns: bool = False
    # only the last header line names the columns; those above are a caption ("COMPONENTS")
    last_header: bool = False
    overflow: bool = False

    def meaning(self, label: str) -> Optional[Meaning]:
        found = self.rows.get(key(label))
        if found is not None or not self.patterns:
            return found
        as_printed = printed(label)
        return next((m for p in self.patterns for m in [p.meaning(as_printed)] if m is not None), None)

    def cell(self, meaning: Meaning, column: Optional[Column]) -> tuple[Optional[str], dict]:
        if column is None:
            return None, {}
        if self.column_dim is None:
            return self.columns.get(key(column.name)), dict(meaning.dims)
        title = column.name.strip() if self.column_printed else key(column.name)
        return meaning.concept, {self.column_dim: title, **meaning.dims}


def _keyed_dims(mapping: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    return {key(k): dict(v) for k, v in mapping.items()}


@attrs.frozen
class KeyValues:
    """"KEY:  value   KEY2:  value" lines: a key names the concept of the value after it. A value printed
    without a key continues the key whose value it sits under; `continued` maps that key to the concept of
    its continuation lines, whose facts carry `line` = "1", "2", ... (an address under a name)."""

    keys: Mapping[str, str] = attrs.field(converter=_keyed)
    continued: Mapping[str, str] = attrs.field(factory=dict, converter=_keyed)


@attrs.frozen
class TransposedMatrix:
    """Rows are concepts, columns are dimension values (payment buckets), and the block's first cell names
    its group ("Fixed Group   PRINCIPAL BALANCE   1,000 ..."). `rows_with`: the row map to use instead of
    `rows` while a context value is set (a status heading: FORECLOSURE rows are loan_*, not delinquent_*)."""

    rows: Mapping[str, str] = attrs.field(converter=_keyed)
    columns: Mapping[str, Mapping[str, str]] = attrs.field(converter=_keyed_dims)
    rows_with: Mapping[str, Mapping[str, str]] = attrs.field(
        factory=dict, converter=lambda m: {name: _keyed(rows) for name, rows in m.items()})


def column_heads(spec: ClassTable, columns: Sequence[Column], title: str = "") -> dict[Optional[str], tuple[Optional[str], str]]:
    """A class table's column titles -> (the concept, the label its facts carry: the table's title, if printed
    on the table's first line, and the column's), found once per table rather than per figure; None: a figure
    under no column (the table has none)."""
    heads = {c.name: (spec.columns.get(key(c.name)), " ".join(filter(None, (title, c.name)))) for c in columns}
    heads[None] = (None, title)
    return heads


# -- reading tables ----------------------------------------------------------------------------------------------

@attrs.define
class Tables:
    """Reads the tables of one statement into its facts and classes."""

    facts: FactBuilder = attrs.field(factory=FactBuilder)
    classes: ClassRegistry = attrs.field(factory=ClassRegistry)
    dims: dict[str, str] = attrs.field(factory=dict)  # the context: every fact of a table carries them
    positions: dict[str, list[Optional[str]]] = attrs.field(factory=dict)

    def unknown(self, row: Row, what: str) -> None:
        """The one diagnostic for figures no map places: the whole row is named, with what was not known.
        A row without figures loses nothing: no diagnostic."""
        if not row.values:
            return
        token = row.token
        self.facts.diagnostics.append(warning(
            "unknown-label", f"row {token.value.strip()!r}: {what}; its figures there are not facts",
            whole_row(token)))

    def place(self, row: Row, placed: Iterable[tuple[Cell, Optional[str], str, Mapping[str, str]]],
              record: Optional[str] = None) -> None:
        """Facts for (cell, concept, label, dims); cells without a concept give the row's one diagnostic."""
        unknown: list[str] = []
        add, line, label_span, context = self.facts.owned, row.token.line, row.label_span, self.dims
        # A row's cells usually carry equal dims: its facts share one mapping, merged with the context once
        # (facts are read only; compared by value, as a caller may reuse one dict it changes between cells).
        given: Optional[dict[str, str]] = None
        merged: dict[str, str] = {}
        for cell, concept, label, dims in placed:
            if concept is None:
                if label not in unknown:
                    unknown.append(label)
                continue
            if given is None or dims != given:
                given, merged = dict(dims), {**dims, **context}
            fact = add(concept, label, cell, line, merged, label_span)
            if record is not None:
                self.classes.record(record, fact)
        if unknown:
            self.unknown(row, ", ".join(f"{u!r}" for u in unknown) + " has no known meaning here")

    def class_table(self, spec: ClassTable, headers: Sequence[Token], rows: Sequence[Token],
                    totals: Optional[Token] = None, cells=split_cells) -> None:
        """`totals`: a totals row printed apart from the class rows; `cells`: how a line splits into cells."""
        columns = stack_headers([t.value for t in headers])
        labelled = bool(columns) and key(columns[0].name) == "class"
        if labelled:
            columns = columns[1:]
        # a first cell under a text column (a CUSIP) is a value, not the row's label
        text = [c for c in columns if (name := spec.columns.get(key(c.name))) and concept(name).unit == "text"]
        split = [self.class_cells(t, text, cells) for t in real(rows)]
        labelled = labelled or any(r.label is not None for r in split)
        # A totals row prints as many figures as the class rows above it.
        width = max((len(r.values) for r in split if r.label is not None), default=0)
        previous = self.positions.get(spec.position, [])
        names: list[Optional[str]] = []
        heads = column_heads(spec, columns)
        for index, row in enumerate(split):
            if row.label is not None:
                name = self.class_named(spec, row.label.text)
            elif spec.unlabelled_total and labelled and index == len(split) - 1 and len(row.values) == width:
                name = self.classes.declare(TOTAL)
            elif index < len(previous):
                name = previous[index]
            elif spec.unnamed and len(split) == 1 and not self.classes.order:
                name = self.classes.declare(spec.unnamed)
                self.classes.printed[name].append("")  # printed as nothing
            else:
                name = None
            names.append(name)
            self.class_row(row, name, columns, heads)
        if totals is not None and totals.value:
            row = Row.split(totals, "leading", cells)
            if spec.totals == "scope":
                self.class_row(row, None, columns, heads, whole=True)
            else:
                self.class_row(row, self.classes.declare(TOTAL), columns, heads)
        if labelled or any(n is not None for n in names):
            self.positions[spec.position] = names

    def class_named(self, spec: ClassTable, label: str) -> str:
        """The class a row label names: a new one where the table declares its classes, else the class
        of that name seen before (another spelling keeps the first one's name) or a new one."""
        if spec.declares:
            return self.classes.declare(label)
        return self.classes.resolve(label) or self.classes.declare(label)

    @staticmethod
    def class_cells(token: Token, text_columns: Sequence[Column], cells) -> Row:
        row = Row.split(token, "first", cells)
        if text_columns and row.label is not None and any(row.label.overlaps(c.start, c.end) for c in text_columns):
            return Row(token, None, [row.label, *row.values])
        return row

    def class_row(self, row: Row, name: Optional[str], columns: Sequence[Column],
                  heads: Mapping[str, tuple[Optional[str], str]], whole: bool = False) -> None:
        """One row of a class table: `name` its class (None: no class known), `whole` a totals row of the scope;
        `heads`: each column's concept and the label its facts carry (see column_heads)."""
        if name is None and not whole:
            self.unknown(row, "its class is not known")
            return
        dims = {"class": name} if name is not None else {}
        self.place(row, [(cell, *heads[column.name if column is not None else None], dims)
                         for cell, column in assign(row.values, columns)],
                   record=None if whole else name)

    def titled_class_table(self, spec: ClassTable, title: str, columns: Sequence[Column],
                           rows: Sequence[Token]) -> None:
        """A class table whose title and columns share its first line ("ACCRUED CERTIFICATE INTEREST   PRIOR
        CURRENT"): every row is a class, named by its label less `spec.strip`; a fact's label is the title
        and its column ("ACCRUED CERTIFICATE INTEREST PRIOR")."""
        heads = column_heads(spec, columns, title)
        for row in (Row.split(t, "leading") for t in real(rows)):
            printed = spec.strip.sub("", row.label_text) if spec.strip else row.label_text
            self.class_row(row, self.class_named(spec, printed) if printed else None, columns, heads)

    def group_table(self, spec: GroupTable, columns: Sequence[Column], rows: Sequence[Token],
                    unlabelled: Optional[str] = None, title: str = "") -> None:
        """`unlabelled`: the concept of a row printed without a label; `title`: such a row's fact label."""
        groups = {c.name: group_dim(c) for c in columns}  # once per table, not per figure
        for row in (Row.split(t, spec.label) for t in real(rows)):
            concept = spec.rows.get(key(row.label.text)) if row.label is not None else unlabelled
            if concept is None:
                self.unknown(row, f"label {row.label_text or title!r} has no known meaning here")
                continue
            label = row.label.text if row.label is not None else title
            placed = []
            for cell, column in assign(row.values, columns):
                group = groups[column.name] if column is not None else None
                if group:
                    placed.append((cell, concept, label, {"group": group}))
                else:  # a column naming no group: its figure has no meaning here
                    placed.append((cell, None, column.name if column else "", {"group": group}))
            self.place(row, placed)

    def matrix(self, spec: Matrix, groups: Optional[Token], headers: Sequence[Token], rows: Sequence[Token]) -> None:
        spans = spanning_columns(groups.value) if groups is not None else []
        columns = stack_headers([t.value for t in headers])
        heads: dict[Column, tuple[Optional[str], Optional[str]]] = {}  # column -> (concept, group): once per table
        for column in columns:
            owner = next((s for s in spans if s.start <= column.end and column.start < s.end), None)
            group = group_dim(owner) if spans else None
            concept = spec.columns.get(key(column.name))
            heads[column] = (concept if concept is not None and (group is not None or not spans) else None, group)
        for row in (Row.split(t) for t in real(rows)):
            dims = spec.row_dims(row.label_text) if row.label is not None else None
            if dims is None:
                self.unknown(row, f"label {row.label_text!r} has no known meaning here")
                continue
            placed = []
            for cell, column in assign(row.values, columns):
                concept, group = heads[column] if column is not None else (None, None)
                placed.append((cell, concept, column.name if column else "",
                               {"group": group, **dims} if group is not None else dims))
            self.place(row, placed)

    def items(self, spec: Items, rows: Sequence[Token], split=None, above: Sequence[Token] = (),
              section: Optional[str] = None) -> None:
        """`split`: how a line becomes a Row, if not by `spec.label` over lines.lark's cells (shaped_tables);
        `above`: the first lines of the (one) row's label; `section`: the heading the rows are under."""
        above = real(above)
        value = spec.value
        for row in (split(t) if split is not None else Row.split(t, spec.label, value=value) for t in real(rows)):
            if above:
                row = attrs.evolve(row, above=above)
            label = row.label_text
            meaning = spec.meaning(label, section) if row.label is not None else None
            if meaning is None:
                self.unknown(row, f"label {label!r} has no known meaning here")
                continue
            owner = self.classes.resolve(meaning.dims["class"]) if meaning.record and "class" in meaning.dims else None
            self.place(row, [(cell, meaning.concept, label, meaning.dims) for cell in row.values], record=owner)

    def key_values(self, spec: KeyValues, lines: Sequence[Token]) -> None:
        above: list[tuple[str, Cell]] = []  # (key, value cell) in print order: what a lone value continues
        counts: dict[Optional[str], int] = {}
        for token in real(lines):
            cells = split_cells(token.value)
            index = 0
            while index < len(cells):
                cell = cells[index]
                if cell.text.endswith(":") and index + 1 < len(cells) and not cells[index + 1].text.endswith(":"):
                    value = cells[index + 1]
                    self.place(Row(token, cell, [value]), [(value, spec.keys.get(key(cell.text)), cell.text, {})])
                    above.append((cell.text, value))
                    index += 2
                    continue
                owner = next((k for k, c in reversed(above) if c.overlaps(cell.start, cell.end)), "")
                concept = spec.continued.get(key(owner))
                counts[concept] = counts.get(concept, 0) + 1
                self.place(Row(token, None, [cell]), [(cell, concept, owner, {"line": str(counts[concept])})])
                above.append((owner, cell))
                index += 1

    def transposed(self, spec: TransposedMatrix, columns: Sequence[Column], first: Optional[Token],
                   rows: Sequence[Token]) -> None:
        """`first`: the block's first line, whose first cell names the group; `columns`: the columns printed
        above the block (a block may stand apart from its column titles, between rules)."""
        cells = split_cells(first.value) if first is not None else []
        group = group_dim(Column(cells[0].text, 0, 0)) if cells else None
        concepts = next((m for name, m in spec.rows_with.items() if name in self.dims), spec.rows)
        lines = ([Row.split(first, "leading", skip=1)] if first is not None else []) + [
            Row.split(t, "leading") for t in real(rows)]
        for row in lines:
            concept = concepts.get(key(row.label_text)) if row.label is not None else None
            placed = []
            for cell, column in assign(row.values, columns):
                dims = spec.columns.get(key(column.name)) if column else None
                known = concept is not None and dims is not None and group is not None
                placed.append((cell, concept if known else None, column.name if column else "",
                               {"group": group, **(dims or {})}))
            self.place(row, placed)

    def text_item(self, spec: Items, token: Token, continuation: Sequence[Token]) -> None:
        """"LABEL:   a value in words" and the indented lines finishing it: one text fact spanning them."""
        colon = token.value.index(":")
        start = len(token.value) - len(token.value[colon + 1:].lstrip())
        lines = (token, *real(continuation))
        end = len(lines[-1].value.rstrip())
        joined = "\n".join(t.value for t in lines)  # the exact text between the span's ends
        raw = joined[start: len(joined) - len(lines[-1].value) + end]
        indent = len(token.value) - len(token.value.lstrip())
        label = Cell(token.value[indent: colon + 1], indent, colon + 1)
        meaning = spec.meaning(label.text)
        if meaning is None:
            self.unknown(Row(token, label, [Cell(raw, start, end)]), f"label {label.text!r} has no known meaning here")
            return
        self.facts.facts.append(Fact(meaning.concept, label.text, " ".join(raw.split()), "text", raw,
                                     Span(token.line, start + 1, lines[-1].line, end + 1),
                                     {**meaning.dims, **self.dims}, label.span(token.line)))

    def row_matrix(self, spec: RowMatrix, headers: Sequence[Token], rows: Sequence[Token]) -> None:
        titles = list(real(headers))[-1:] if spec.last_header else real(headers)
        columns = stack_headers([t.value for t in titles])
        if spec.known_columns:
            columns = [c for c in columns if key(c.name) in spec.columns]
        for row in (Row.split(t, "leading", value=is_value_or_overflow if spec.overflow else is_value)
                    for t in real(rows)):
            meaning = spec.meaning(row.label_text)
            if meaning is None:
                self.unknown(row, f"label {row.label_text!r} has no known meaning here")
                continue
            placed = []
            for cell, column in assign(row.values, columns):
                concept, dims = spec.cell(meaning, column)
                placed.append((cell, concept, row.label_text if concept else (column.name if column else ""), dims))
            self.place(row, placed)
