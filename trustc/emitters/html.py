"""The regenerated statement as a standalone HTML page (or, in a notebook, its body).

Same tables as the text statement, for people: dimensions and their members by
their names (`Class group`, `REO`, `30-59 days`), not the keys the data uses.
Inline CSS scoped to the page's own `.trustc` block, no external assets, every
string autoescaped by Jinja2. Each figure's tooltip gives the line and column it
was printed at and the text as printed. Every diagnostic (error, warning, note)
is listed with the statement it concerns and marked beside each figure it names
(a numbered link to it), so a reader sees at the figure that a check questions it.
A filing with several statements gets a table of contents.
"""
from __future__ import annotations

import re
from collections import defaultdict

from ..compiler.ast import Compilation, Diagnostic, Span, Statement
from . import Emitter
from .statement import environment, statement_context
from .tables import CLASSES, GROUPS, Table, format_value, statement_tables

# Dimension names and members as a reader says them.
DIMENSION_TITLES = {"class_group": "Class group", "remic": "REMIC"}
MEMBER_LABELS = {"reo": "REO", "adj": "Adjustable rate", "fixed": "Fixed rate", "total": "Total",
                 "(unnamed)": "(class without a name)"}
TABLE_HEADINGS = {"delinquency": "Delinquency", "loan-status": "Loan status", "figures": "Figures printed twice",
                  "deal": "Deal"}
SEVERITY_TITLES = {"error": "Error", "warning": "Warning", "info": "Note"}
_DAYS = re.compile(r"\d+(?:-\d+|\+)")


def dimension_title(dim: str) -> str:
    return DIMENSION_TITLES.get(dim, dim.replace("_", " ").capitalize())


def member_label(dim: str, value: str) -> str:
    """`reo` -> REO, `30-59` -> 30-59 days, `3+-payments` -> 3+ payments, `class b` -> Class B."""
    if value in MEMBER_LABELS:
        return MEMBER_LABELS[value]
    if dim == "bucket":
        if _DAYS.fullmatch(value):
            return f"{value} days"
        return value.replace("-payment", " payment")
    if value.islower():  # a key the layout wrote (`master servicer`), not a name as printed
        text = " ".join(w.upper() if len(w) == 1 else w for w in value.split())
        return text[:1].upper() + text[1:]
    return value


def table_heading(table: Table) -> str:
    if table.name in TABLE_HEADINGS:
        heading = TABLE_HEADINGS[table.name]
        return heading if not table.dims or table.kind != GROUPS else f"{heading} by group"
    return table.heading.capitalize().replace("_", " ")


class Marks:
    """Diagnostics numbered in order, and which figures (by span) each one names."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]):
        self.numbered = list(enumerate(diagnostics, 1))
        self.at: dict[Span, list[tuple[int, str]]] = defaultdict(list)
        for number, d in self.numbered:
            for span in dict.fromkeys(s for s in (d.span, *d.related) if s is not None):
                self.at[span].append((number, d.severity))

    def of(self, statement: Statement) -> list[tuple[int, Diagnostic]]:
        """The diagnostics naming a figure of this statement."""
        spans = {f.span for f in statement.facts}
        return [(n, d) for n, d in self.numbered if any(s in spans for s in (d.span, *d.related))]


def html_table(table: Table, marks: Marks) -> dict:
    rows = []
    for row in table.rows:
        cells = []
        for fact in row.cells:
            if fact is None:
                cells.append(None)
                continue
            found = marks.at.get(fact.span, [])
            severity = next((s for s in ("error", "warning", "info") if any(m[1] == s for m in found)), None)
            cells.append({"text": format_value(fact), "marks": [n for n, _ in found], "severity": severity,
                          "title": f"source line:column {fact.span.line}:{fact.span.column}, printed {fact.raw!r}"})
        key = [member_label(d, k) for d, k in zip(table.dims, row.key)] + table.key_texts(row)[len(table.dims):]
        if table.kind == CLASSES:
            key[-1] = member_label("class", row.key[-1])
        rows.append({"key": key, "cells": cells})
    titles = [f"Group {member_label('group', c)}" if table.kind == GROUPS and c != "total" else
              ("Total" if table.kind == GROUPS else table.column_title(c)) for c in table.columns]
    key_titles = [dimension_title(d) for d in table.dims] + list(table.key_titles[len(table.dims):])
    return {"heading": table_heading(table), "name": table.name, "key_titles": key_titles, "titles": titles,
            "rows": rows}


class HTMLEmitter(Emitter):
    name = "html"
    description = "the regenerated statement as a standalone HTML page; hover a figure for its source line:column"
    extension = ".html"
    streams = False  # one page is one HTML document

    def emit(self, compilation: Compilation) -> str:
        return self._render(compilation, page=True)

    def fragment(self, compilation: Compilation) -> str:
        """The page's body and its scoped style, for a notebook (`Compilation._repr_html_`)."""
        return self._render(compilation, page=False)

    def _render(self, compilation: Compilation, page: bool) -> str:
        cover = {}
        if compilation.cover is not None:
            cover = {k: f.value for k, f in compilation.cover.fields.items()}
        marks = Marks(compilation.diagnostics)
        statements = [dict(statement_context(s), tables=[html_table(t, marks) for t in statement_tables(s)],
                           diagnostics=marks.of(s))
                      for s in compilation.statements]
        placed = {n for s in statements for n, _ in s["diagnostics"]}
        others = [(n, d) for n, d in marks.numbered if n not in placed]
        return environment(True).get_template("statement.html.j2").render(
            source=compilation.source, cover=cover, statements=statements, others=others,
            severity_titles=SEVERITY_TITLES, unparsed=compilation.unparsed, page=page)
