"""CSV: tidy facts (one row per fact) to stdout; with -o, also one CSV per table.

RFC 4180 through the csv module (CRLF, quotes doubled). Values are exact: the
printed digits, never a float. A text cell a spreadsheet would run as a
formula (starting with = + - @, tab or CR) gets a leading apostrophe; a cell
that is a plain number, negative or not, stays a number.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import tempfile
from decimal import Decimal
from typing import Callable, Iterable, Optional

import orjson

from ..compiler.ast import Compilation, Fact, Statement
from ..compiler.labels import display_label
from ..compiler.output import atomic_write
from . import Emitter
from .tables import GROUPS, format_dims, statement_tables

FIXED_DIMS = ("class", "group", "bucket", "status")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?%?")


def safe(text: str) -> str:
    """Neutralise a text cell a spreadsheet would evaluate; numbers stay numbers."""
    if text.startswith(FORMULA_START) and not (PLAIN_NUMBER.fullmatch(text) and any(c.isdigit() for c in text)):
        return "'" + text
    return text


def value_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")  # never 0E-7: the digits as printed
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return safe(str(value))


def _date(statement: Statement) -> str:
    d = statement.distribution_date
    return value_text(d.value) if d is not None else ""


def _write(rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue()


def extra_dims(compilation: Compilation) -> list[str]:
    found = {d for f in compilation.facts() for d in f.dims}
    return sorted(found - set(FIXED_DIMS))


def tidy_rows(compilation: Compilation, extra: Optional[list[str]] = None) -> list[list]:
    """The header and one row per fact. `extra`: the dimensions beyond class, group, bucket and
    status that get a column each (default: every one this input has); the others, if any, go
    into a last column `dims` as name=value pairs."""
    rest = extra is not None
    extra = extra_dims(compilation) if extra is None else extra
    dims = list(FIXED_DIMS) + extra
    rows: list[list] = [tidy_header(dims, rest)]
    registrant = cover_value(compilation, "registrant")
    for index, statement in enumerate(compilation.statements, 1):
        where = [index, safe(statement.series or ""), safe(statement.pool or ""), _date(statement), registrant]
        for fact in statement.facts:
            others = [safe(format_dims({d: v for d, v in fact.dims.items() if d not in dims}, ""))] if rest else []
            rows.append([*fact_cells(fact), *(safe(fact.dims.get(d, "")) for d in dims), safe(fact.raw),
                         fact.span.line, fact.span.column, *where, *others])
    return rows


# The tidy table's own columns (`source` with several inputs). A dimension of the same name (the
# `distribution_date` of a history row or of a 10-D's prior account balance) is headed dim_<name>,
# so no two columns share a name.
OWN_COLUMNS = frozenset({"source", "concept", "label", "value", "unit", "raw", "line", "column", "statement",
                         "series", "pool", "distribution_date", "registrant", "dims"})


def tidy_header(dims: list[str], rest: bool = False) -> list[str]:
    return ["concept", "label", "value", "unit", *(f"dim_{d}" if d in OWN_COLUMNS else d for d in dims), "raw",
            "line", "column", "statement", "series", "pool", "distribution_date", "registrant",
            *(["dims"] if rest else [])]


def fact_cells(fact: Fact) -> list[str]:
    """A tidy row's first cells: concept, label, value, unit."""
    label = display_label(fact.concept) if fact.concept is not None else fact.label  # generic: as printed
    return [fact.concept or "", safe(label), value_text(fact.value), fact.unit]


def write_tidy_streamed(stream, write: Callable[[str], object], chunk: int = 2000) -> None:
    """The tidy CSV of a filing being compiled (a driver.CompilationStream), byte for byte `emit`'s.

    Its header names every dimension the filing has and its last column the registrant, both
    known only once the filing is compiled. So each statement's rows wait in a temporary file
    (on disk past 8 MB) as the statement is compiled, and memory follows one statement.
    """
    found: set[str] = set()
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as waiting:
        for index, statement in enumerate((s for part in stream.parts() for s in part.statements), 1):
            where = [index, safe(statement.series or ""), safe(statement.pool or ""), _date(statement)]
            for fact in statement.facts:
                found.update(fact.dims)
                waiting.write(orjson.dumps([fact_cells(fact), dict(fact.dims), safe(fact.raw), fact.span.line,
                                            fact.span.column, where]))
                waiting.write(b"\n")
        dims = list(FIXED_DIMS) + sorted(found - set(FIXED_DIMS))
        registrant = cover_value(stream.compilation(), "registrant")
        write(_write([tidy_header(dims)]))
        waiting.seek(0)
        rows: list[list] = []
        for line in waiting:
            cells, fact_dims, raw, number, column, where = orjson.loads(line)
            rows.append([*cells, *(safe(fact_dims.get(d, "")) for d in dims), raw, number, column, *where, registrant])
            if len(rows) == chunk:
                write(_write(rows))
                rows.clear()
        if rows:
            write(_write(rows))


def cover_value(compilation: Compilation, name: str) -> str:
    field = compilation.cover.fields.get(name) if compilation.cover is not None else None
    return "" if field is None else value_text(field.value)


def cover_rows(compilation: Compilation) -> list[list]:
    rows: list[list] = [["field", "value", "raw", "line", "column"]]
    if compilation.cover is not None:
        for name, field in compilation.cover.fields.items():
            rows.append([name, value_text(field.value), safe(field.raw), field.span.line, field.span.column])
    return rows


def table_rows(compilation: Compilation) -> dict[str, list[list]]:
    """Each table of every statement, by table name; a statement's rows carry its number."""
    gathered: dict[str, tuple[list[str], list[str], list[tuple[list, dict[str, Fact]]]]] = {}
    kinds: dict[str, str] = {}
    for index, statement in enumerate(compilation.statements, 1):
        where = [index, safe(statement.series or ""), safe(statement.pool or "")]
        for table in statement_tables(statement):
            keys, columns, rows = gathered.setdefault(table.name, (list(table.key_titles), [], []))
            for column in table.columns:
                if column not in columns:
                    columns.append(column)
            for row in table.rows:
                rows.append((where + [safe(k) for k in row.key], dict(zip(table.columns, row.cells))))
            kinds[table.name] = table.kind
    out = {}
    for name, (keys, columns, rows) in gathered.items():
        titles = [f"group_{c}" if kinds[name] == GROUPS else c for c in columns]
        out[name] = [["statement", "series", "pool", *[k.lower() for k in keys], *titles]] + [
            key + [_cell(cells.get(c)) for c in columns] for key, cells in rows]
    return out


def _cell(fact: Optional[Fact]) -> str:
    return "" if fact is None else value_text(fact.value)


class CSVEmitter(Emitter):
    name = "csv"
    description = "tidy facts, one row per fact (with -o also one CSV per table: classes, groups, ...)"
    extension = ".csv"
    companion_separators = "."  # with -o also writes STEM.cover.csv, STEM.classes.csv, ...

    writes_parts = True  # the tidy CSV to stdout or -o FILE is written as the filing compiles

    def emit(self, compilation: Compilation) -> str:
        return _write(tidy_rows(compilation))

    def write_parts(self, stream, write):
        write_tidy_streamed(stream, write)

    def write_streamed(self, stream, directory: str, stem: str) -> list[str]:
        """-o DIR/: the tidy CSV and the per-table CSVs, whose columns are the union of every
        statement's, so the filing is compiled whole first (memory follows the filing here)."""
        return self.write(stream.compilation([s for part in stream.parts() for s in part.statements]), directory, stem)

    def stream(self, compilations):
        """Several inputs: one table, one header, a first column `source` naming each row's input.

        The columns cannot depend on inputs not yet compiled, so dimensions beyond class, group,
        bucket and status are written into the last column `dims` as name=value pairs."""
        header = None
        for compilation in compilations:
            rows = tidy_rows(compilation, extra=[])
            if header is None:
                header = ["source", *rows[0]]
                yield _write([header])
            source = safe(compilation.source.path or "-")
            yield _write([source, *row] for row in rows[1:])

    def write(self, compilation: Compilation, directory: str, stem: str) -> list[str]:
        paths = super().write(compilation, directory, stem)
        if compilation.cover is not None:
            atomic_write(f"{directory}/{stem}.cover.csv", _write(cover_rows(compilation)))
            paths.append(f"{directory}/{stem}.cover.csv")
        for name, rows in table_rows(compilation).items():
            path = f"{directory}/{stem}.{name}.csv"
            atomic_write(path, _write(rows))
            paths.append(path)
        return paths
