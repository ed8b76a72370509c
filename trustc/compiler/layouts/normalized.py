"""trustc's own regenerated statement, read back (grammar: normalized.lark).

`trustc compile --to statement` writes it; this layout reads it, so the
emitter's output is checked by compiling it again (tests/test_roundtrip*.py).
Every cell sits under its column title: key cells (class, item, dimensions)
start where their title starts, figures end where theirs ends. A cell that
lines up with no title is reported, never guessed.
"""
from __future__ import annotations

import re
from typing import Any, Optional

import attrs
from lark import Token, Transformer

from ..ast import Field, Span, Statement
from ..columns import CELL, Cell
from ..diagnostics import warning
from ..labels import concept_for_label
from ..layout import Layout, LayoutResult
from ..statement import ClassRegistry, FactBuilder
from .form8k import date_field

HEADING = re.compile(r"(CLASSES|GROUPS|DEAL|FACTS|FIGURES)(?: BY (.+))?")
KINDS = {"CLASSES": "classes", "GROUPS": "groups", "DEAL": "facts", "FACTS": "facts", "FIGURES": "list"}


@attrs.frozen
class Meta:
    token: Token


@attrs.frozen
class TablePiece:
    heading: Token
    titles: Token
    rows: tuple[Token, ...]


@attrs.frozen
class StatementPiece:
    mark: Token
    metas: tuple[Meta, ...]
    tables: tuple[TablePiece, ...]


class NormalizedTransformer(Transformer):
    def start(self, children):
        return children

    def statement(self, children):
        mark, *rest = children
        return StatementPiece(mark, tuple(c for c in rest if isinstance(c, Meta)),
                              tuple(c for c in rest if isinstance(c, TablePiece)))

    def meta(self, children):
        return Meta(children[0])

    def table(self, children):
        heading, titles, *rows = children
        return TablePiece(heading, titles, tuple(rows))


def cells(text: str) -> list[Cell]:
    return [Cell(m.group(), m.start(), m.end()) for m in CELL.finditer(text)]




@attrs.define
class NormalizedAssembler:
    facts: FactBuilder = attrs.field(factory=FactBuilder)
    classes: ClassRegistry = attrs.field(factory=ClassRegistry)

    def table(self, piece: TablePiece) -> None:
        m = HEADING.fullmatch(piece.heading.value.strip())
        kind = KINDS[m.group(1)]
        dims = [d.lower() for d in m.group(2).split(" AND ")] if m.group(2) else []
        keys = 2 if kind == "list" else len(dims) + 1
        titles = cells(piece.titles.value)
        key_titles, value_titles = titles[:keys], titles[keys:]
        columns = [self.column(kind, t, piece.titles.line) for t in value_titles]
        for row in piece.rows:
            key: list[Optional[Cell]] = [None] * keys
            values: list[tuple[Cell, int]] = []
            for cell in cells(row.value):
                at_key = next((i for i, t in enumerate(key_titles) if t.start == cell.start), None)
                at_value = next((i for i, t in enumerate(value_titles) if t.end == cell.end), None)
                if at_key is not None:
                    key[at_key] = cell
                elif at_value is not None:
                    values.append((cell, at_value))
                else:
                    self.facts.unplaced(cell, row.line, "lines up with no column title")
            if any(k is None for k in key):
                for cell, _ in values:
                    self.facts.unplaced(cell, row.line, "is in a row without its key")
                continue
            # the row's key cells (its dimensions' values, then the item) are its label, all of them:
            # a bucket "10" printed as a key is no figure left unread (accounting.py)
            label_span = Span(row.line, key[0].start + 1, row.line, key[-1].end + 1)
            self.row(kind, dims, [k.text for k in key], key[-1 if kind != "list" else 0], row.line, values,
                     columns, value_titles, label_span)

    def column(self, kind: str, title: Cell, line: int) -> Optional[str]:
        if kind == "classes":
            found = concept_for_label(title.text)
            if found is None:
                self.facts.diagnostics.append(
                    warning("unknown-concept", f"column {title.text!r} is no concept's label", title.span(line)))
            return found
        if kind == "groups":
            return title.text[len("Group "):] if title.text.startswith("Group ") else title.text
        return "value"

    def row(self, kind, dims, key, label_cell: Cell, line, values, columns, titles, label_span: Span) -> None:
        if kind == "list":
            concept = concept_for_label(key[0]) or (key[0] if _is_concept(key[0]) else None)
            row_dims = dict(part.split("=", 1) for part in key[1].split("; ") if "=" in part)
        else:
            row_dims = dict(zip(dims, key[:-1]))
            concept = None if kind == "classes" else concept_for_label(key[-1])
        if kind != "classes" and concept is None:
            for cell, _ in values:
                self.facts.unplaced(cell, line, f"in row {key[-1]!r}, which is no concept's label")
            return
        for cell, index in values:
            name = columns[index] if kind == "classes" else concept
            if name is None:
                self.facts.unplaced(cell, line, f"under column {titles[index].text!r} has no known meaning")
                continue
            dims_here = dict(row_dims)
            if kind == "classes":
                dims_here["class"] = self.classes.declare(key[-1])
            elif kind == "groups":
                dims_here["group"] = columns[index]
            label = titles[index].text if kind == "classes" else label_cell.text
            fact = self.facts.add(name, label, cell, line, dims_here, label_span)
            if kind == "classes":
                self.classes.record(dims_here["class"], fact)


def _is_concept(name: str) -> bool:
    from ..concepts import concepts

    return name in concepts()


def meta_fields(metas) -> dict[str, Field]:
    out: dict[str, Field] = {}
    for meta in metas:
        token = meta.token
        key, _, rest = token.value.partition(":")
        start = len(key) + 1 + (len(rest) - len(rest.lstrip()))
        value = rest.strip()
        if key == "Distribution date":
            found = date_field(token, start)
            if found is not None:
                out[key] = found
            continue
        out[key] = Field(value, value, Span(token.line, start + 1, token.line, start + len(value) + 1))
    return out


class Normalized(Layout):
    id = "trustc-normalized"
    description = "trustc's regenerated statement (trustc compile --to statement), read back"
    grammar = "normalized.lark"
    transformer = NormalizedTransformer
    evidence = ((r"(?m)^TRUSTC NORMALIZED STATEMENT[ \t]*$", 1.0, "trustc normalized statement mark"),)

    def assemble(self, pieces: list[Any], view) -> LayoutResult:
        result = LayoutResult()
        for piece in pieces:
            if not isinstance(piece, StatementPiece):
                continue
            build = NormalizedAssembler()
            for table in piece.tables:
                build.table(table)
            meta = meta_fields(piece.metas)
            value = lambda key: meta[key].value if key in meta else None  # noqa: E731
            result.statements.append(Statement(
                self.id, value("Title") or "", meta.get("Distribution date"), build.classes.balances(),
                tuple(build.facts.facts), pool=value("Pool"), series=value("Series")))
            result.diagnostics.extend(build.facts.diagnostics)
        return result
