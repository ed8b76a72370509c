"""A statement's facts as tables, shared by the statement, HTML and CSV emitters.

Facts are grouped by which dimensions they carry. Facts with a `class` become
one wide class table (a row per class, a column per concept); facts with a
`group` become a table with the groups side by side (a row per concept and
other dimensions, a column per group); the rest become a table with one value
column. A fact that would take a cell already taken (a figure printed twice)
goes to a list table, so nothing is dropped.
"""
from __future__ import annotations

import datetime as _dt
from decimal import Decimal
from typing import Optional

from attrs import frozen

from ..compiler.ast import Fact, Statement
from ..compiler.concepts import concepts
from ..compiler.labels import display_label, squash

CLASSES, GROUPS, FACTS, LIST = "classes", "groups", "facts", "list"
# Tables by group that have a name of their own.
NAMED_BY = {"bucket": "delinquency", "status": "loan-status"}


@frozen
class Row:
    key: tuple[str, ...]  # values of the table's key dimensions, then the class (class tables) or concept
    cells: tuple[Optional[Fact], ...]


@frozen
class Table:
    kind: str
    dims: tuple[str, ...]  # the extra dimensions that key the rows (class and group excluded)
    columns: tuple[str, ...]  # concepts (class tables), group names (group tables) or ("value",)
    rows: tuple[Row, ...]

    @property
    def name(self) -> str:
        """A file-name-safe name: classes, groups, deal, groups-by-bucket, ..."""
        if self.kind == LIST:
            return "figures"
        if self.kind == GROUPS and len(self.dims) == 1 and self.dims[0] in NAMED_BY:
            return NAMED_BY[self.dims[0]]
        base = {CLASSES: "classes", GROUPS: "groups", FACTS: "deal" if not self.dims else "facts"}[self.kind]
        return base + ("-by-" + "-and-".join(self.dims) if self.dims else "")

    @property
    def heading(self) -> str:
        """The heading the normalized statement prints (and reads back)."""
        if self.kind == LIST:
            return "FIGURES"
        base = {CLASSES: "CLASSES", GROUPS: "GROUPS", FACTS: "DEAL" if not self.dims else "FACTS"}[self.kind]
        return base + (" BY " + " AND ".join(d.upper() for d in self.dims) if self.dims else "")

    @property
    def key_titles(self) -> tuple[str, ...]:
        titles = tuple(dim_title(d) for d in self.dims)
        if self.kind == CLASSES:
            return titles + ("Class",)
        if self.kind == LIST:
            return ("Item", "Dimensions")
        return titles + ("Item",)

    def key_texts(self, row: Row) -> list[str]:
        """A row's key as printed: the concept in it by its full label."""
        at = 0 if self.kind == LIST else len(row.key) - 1
        return [_item_title(k) if i == at and self.kind != CLASSES else k for i, k in enumerate(row.key)]

    def column_title(self, column: str) -> str:
        if self.kind == CLASSES:
            return display_label(column)
        if self.kind == GROUPS:
            return f"Group {column}"
        return "Value"


def _item_title(key: str) -> str:
    """A concept by its full label; a figure the dictionary does not name (generic reader) by its printed label."""
    return display_label(key) if key in concepts() else key


def dim_title(dim: str) -> str:
    return dim[:1].upper() + dim[1:]


def kind_of(dims) -> str:
    if "class" in dims:
        return CLASSES
    if "group" in dims:
        return GROUPS
    return FACTS


def format_dims(dims, none: str = "-") -> str:
    return "; ".join(f"{k}={v}" for k, v in sorted(dims.items())) or none


def statement_tables(statement: Statement) -> list[Table]:
    """The statement's facts as tables, in the order their first fact was printed."""
    order: list[tuple] = []  # (kind, dims) in first-seen order
    cols: dict[tuple, list[str]] = {}
    rows: dict[tuple, dict[tuple, dict[str, Fact]]] = {}
    extra: list[Fact] = []
    for fact in statement.facts:
        if fact.concept is None:  # no concept to make a column or row of: listed by its printed label
            extra.append(fact)
            continue
        kind = kind_of(fact.dims)
        pivot = {CLASSES: "class", GROUPS: "group"}.get(kind)
        dims = tuple(sorted(d for d in fact.dims if d != pivot))
        table = (kind, dims)
        if table not in cols:
            order.append(table)
            cols[table], rows[table] = [], {}
        key = tuple(fact.dims[d] for d in dims)
        if kind == CLASSES:
            key, column = key + (fact.dims["class"],), fact.concept
        else:
            key, column = key + (fact.concept,), fact.dims["group"] if kind == GROUPS else "value"
        cells = rows[table].setdefault(key, {})
        if column in cells:
            extra.append(fact)
            continue
        cells[column] = fact
        if column not in cols[table]:
            cols[table].append(column)
    class_rank = {c.name: i for i, c in enumerate(statement.classes)}
    tables = []
    for table in order:
        kind, dims = table
        keys = list(rows[table])
        if kind == CLASSES:
            # Classes in the statement's own order (its distribution summary's), within each other key.
            prefixes = list(dict.fromkeys(k[:-1] for k in keys))
            keys.sort(key=lambda k: (prefixes.index(k[:-1]), class_rank.get(k[-1], len(class_rank))))
        columns = tuple(cols[table])
        tables.append(Table(kind, dims, columns, tuple(
            Row(k, tuple(rows[table][k].get(c) for c in columns))
            for k in keys)))
    if extra:
        tables.append(Table(LIST, (), ("value",), tuple(
            Row((f.concept or f.label, format_dims(f.dims)), (f,)) for f in extra)))
    return tables


def format_value(fact: Fact) -> str:
    """One number style for every figure: 1,234.50, negatives in parentheses, percent with %."""
    value = fact.value
    if value is None:
        return "N/A"
    if isinstance(value, bool):
        return "YES" if value else "NO"
    if isinstance(value, Decimal):
        text = format(abs(value), ",f")
        text = f"({text})" if value.is_signed() else text
        return text + "%" if fact.unit == "percent" else text
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return squash(str(value))


def where(fact: Fact) -> str:
    return f"line {fact.span.line}, column {fact.span.column}"


