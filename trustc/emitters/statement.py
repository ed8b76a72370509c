"""The regenerated statement as plain text: one wide class table, groups side by side, full labels.

The text is itself a layout trustc reads (`trustc-normalized`, grammar
normalized.lark): compiling it gives back the statement's facts. Cells are
separated by at least two spaces; key columns (class, item, dimensions) are
left-aligned and figures right-aligned, so a reader places every cell by the
edge it shares with its column title.
"""
from __future__ import annotations

import functools
from typing import Optional

import jinja2
from attrs import frozen

from ..compiler.ast import Compilation, Statement
from . import Emitter
from .tables import Table, format_value, statement_tables

MARK = "TRUSTC NORMALIZED STATEMENT"
GAP = "  "


@functools.lru_cache(maxsize=None)
def environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("trustc", "templates"),
        autoescape=autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["rstrip"] = lambda text: str(text).rstrip()
    return env


@frozen
class TextTable:
    heading: str
    lines: tuple[tuple[str, ...], ...]  # padded cells, title line first


def text_table(table: Table) -> TextTable:
    titles = list(table.key_titles) + [table.column_title(c) for c in table.columns]
    body = [table.key_texts(row) + ["" if f is None else format_value(f) for f in row.cells] for row in table.rows]
    widths = [max(len(r[i]) for r in [titles] + body) for i in range(len(titles))]
    keys = len(table.key_titles)

    def pad(cells):
        return tuple(c.ljust(w) if i < keys else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return TextTable(table.heading, tuple(pad(r) for r in [titles] + body))


def statement_context(statement: Statement) -> dict:
    date: Optional[str] = None
    if statement.distribution_date is not None and statement.distribution_date.value is not None:
        value = statement.distribution_date.value
        date = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return {"statement": statement, "date": date}


class StatementEmitter(Emitter):
    name = "statement"
    description = "the statement regenerated as normalized plain text (full labels, one wide class table)"
    extension = ".statement.txt"

    def emit(self, compilation: Compilation) -> str:
        statements = [dict(statement_context(s), tables=[text_table(t) for t in statement_tables(s)])
                      for s in compilation.statements]
        return environment(False).get_template("statement.txt.j2").render(
            mark=MARK, gap=GAP, statements=statements)
