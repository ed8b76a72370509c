"""The regenerated statement as a standalone HTML page.

Same tables as the text statement; inline CSS, no external assets, every
string autoescaped by Jinja2. Each figure's tooltip gives the line and column
it was printed at, and the text as printed.
"""
from __future__ import annotations

from ..compiler.ast import Compilation
from . import Emitter
from .statement import environment, statement_context
from .tables import format_value, statement_tables


def html_table(table) -> dict:
    rows = []
    for row in table.rows:
        cells = [None if f is None else {"text": format_value(f), "title": (
            f"source line:column {f.span.line}:{f.span.column}, printed {f.raw!r}")} for f in row.cells]
        rows.append({"key": table.key_texts(row), "cells": cells})
    return {"heading": table.heading.capitalize(), "name": table.name, "key_titles": table.key_titles,
            "titles": [table.column_title(c) for c in table.columns], "rows": rows}


class HTMLEmitter(Emitter):
    name = "html"
    description = "the regenerated statement as a standalone HTML page; hover a figure for its source line:column"
    extension = ".html"

    def emit(self, compilation: Compilation) -> str:
        cover = {}
        if compilation.cover is not None:
            cover = {k: f.value for k, f in compilation.cover.fields.items()}
        statements = [dict(statement_context(s), tables=[html_table(t) for t in statement_tables(s)])
                      for s in compilation.statements]
        errors = [d for d in compilation.diagnostics if d.severity == "error"]
        return environment(True).get_template("statement.html.j2").render(
            source=compilation.source, cover=cover, statements=statements, errors=errors,
            unparsed=compilation.unparsed)
