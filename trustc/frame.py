"""A compilation's facts as a pandas DataFrame (`Compilation.facts_frame()`), and its one-line repr.

pandas is an optional dependency (`pip install 'trustc[pandas]'`). Values stay exact:
the `value` column holds the Decimal objects themselves (dtype object), never floats,
so `df.value.sum()` adds exactly; a figure printed N/A is None. Every row keeps where
it was printed (`line`, `column`, `end_line`, `end_column`, `raw`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas

    from .compiler.ast import Compilation

# class, group, bucket and status always have a column (empty when no fact has them), so
# frames of different filings concatenate cleanly; other dimensions get one when present.
FIXED_DIMS = ("class", "group", "bucket", "status")
COLUMNS = ("source", "statement", "series", "pool", "distribution_date", "concept", "label", "value", "unit")
SPAN = ("raw", "line", "column", "end_line", "end_column")


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("facts_frame() needs pandas: pip install 'trustc[pandas]'") from None
    return pandas


def facts_frame(compilation: "Compilation") -> "pandas.DataFrame":
    """One row per fact: where it belongs, what it means, its exact value, where it was printed."""
    pandas = _pandas()
    extra = sorted({d for f in compilation.facts() for d in f.dims} - set(FIXED_DIMS))
    dims = (*FIXED_DIMS, *extra)
    rows = []
    for index, statement in enumerate(compilation.statements, 1):
        date = statement.distribution_date.value if statement.distribution_date is not None else None
        where = (compilation.source.path, index, statement.series, statement.pool, date)
        for fact in statement.facts:
            span = fact.span
            rows.append((*where, fact.concept, fact.label, fact.value, fact.unit,
                         *(fact.dims.get(d) for d in dims),
                         fact.raw, span.line, span.column, span.end_line, span.end_column))
    frame = pandas.DataFrame.from_records(rows, columns=[*COLUMNS, *dims, *SPAN])
    # object, not float64: the Decimals (and None for N/A) are kept as they are
    return frame.astype({"value": object})


def summary(compilation: "Compilation") -> str:
    """`<Compilation FILE: 1 statement (us-bank), 1,004 facts, 0 errors, 2 warnings, 0 unparsed lines>`."""
    layouts = sorted({s.format for s in compilation.statements})
    count = {severity: sum(d.severity == severity for d in compilation.diagnostics) for severity in ("error", "warning")}
    facts = sum(len(s.facts) for s in compilation.statements)
    statements = len(compilation.statements)
    return (f"<Compilation {compilation.source.path}: {statements} statement{'s' if statements != 1 else ''}"
            f"{' (' + ', '.join(layouts) + ')' if layouts else ''}, {facts:,} facts, {count['error']} errors, "
            f"{count['warning']} warnings, {len(compilation.unparsed)} unparsed lines>")
