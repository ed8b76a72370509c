"""Parquet: every fact of a batch in one dataset, for DuckDB, pandas, Spark (needs pyarrow: `trustc[parquet]`).

`trustc compile DIR -o OUT --to parquet` writes OUT/facts/layout=<layout>/year=<distribution year>/<stem>.parquet,
one file per input and partition (Hive-style: `read_parquet('OUT/facts/**/*.parquet', hive_partitioning=true)`
in DuckDB, `pyarrow.dataset.dataset('OUT/facts', partitioning='hive')`). One file per input keeps every
write atomic and a resumed batch byte-identical to a clean one.

Values are exact. Parquet decimals have one scale per column while filings print 12,572,214, 5857826.76
and 1.50000 side by side, so `value` holds the exact printed value as text (`1.50000` keeps its zeros) and
`value_decimal` the same number as decimal128(38, 12), null only for a figure with more than 12 decimals or
26 integer digits, where the text stays exact. Booleans are in `value_bool`.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Optional

from ..compiler.ast import Compilation, Span
from . import Emitter

DATASET = "facts"
SCALE = 12
_QUANTUM = Decimal(1).scaleb(-SCALE)
_LIMIT = Decimal(10) ** (38 - SCALE)
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"  # what pyarrow and DuckDB read back as null


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ImportError("--to parquet needs pyarrow: pip install 'trustc[parquet]'") from None
    return pyarrow


@lru_cache(maxsize=1)
def schema():
    pa = _pyarrow()
    # `col`, not `column`: that is an SQL keyword an analyst would have to quote in every query
    span = [pa.field(n, pa.int32()) for n in ("line", "col", "end_line", "end_col")]
    label = [pa.field(f"label_{n}", pa.int32()) for n in ("line", "col", "end_line", "end_col")]
    return pa.schema([
        pa.field("source_path", pa.string()), pa.field("sha256", pa.string()), pa.field("accession", pa.string()),
        pa.field("document", pa.int32()), pa.field("statement", pa.int32()), pa.field("title", pa.string()),
        pa.field("series", pa.string()), pa.field("pool", pa.string()), pa.field("distribution_date", pa.date32()),
        pa.field("fact", pa.int32()), pa.field("concept", pa.string()), pa.field("label", pa.string()),
        pa.field("unit", pa.string()), pa.field("dims", pa.map_(pa.string(), pa.string())),
        pa.field("value", pa.string()), pa.field("value_decimal", pa.decimal128(38, SCALE)),
        pa.field("value_bool", pa.bool_()), pa.field("raw", pa.string()), *span, *label,
    ])


def _decimal(value) -> Optional[Decimal]:
    if not isinstance(value, Decimal) or isinstance(value, bool):
        return None
    if value.as_tuple().exponent < -SCALE or abs(value) >= _LIMIT:
        return None  # not exact at this scale: the text column is
    return value.quantize(_QUANTUM)


def _text(value) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _span(s: Optional[Span]) -> tuple:
    return (s.line, s.column, s.end_line, s.end_column) if s is not None else (None, None, None, None)


def rows(compilation: Compilation) -> dict[tuple[str, str], list[tuple]]:
    """Fact rows grouped by partition (layout, year)."""
    envelope = compilation.envelope
    accession = None
    if envelope is not None and "accession_number" in getattr(envelope, "fields", {}):
        accession = envelope.fields["accession_number"].value
    source = compilation.source
    groups: dict[tuple[str, str], list[tuple]] = {}
    for index, st in enumerate(compilation.statements, start=1):
        date = st.distribution_date.value if st.distribution_date is not None else None
        key = (st.format, str(date.year) if date is not None else NULL_PARTITION)
        out = groups.setdefault(key, [])
        for number, f in enumerate(st.facts, start=1):
            out.append((source.path, source.sha256, accession, st.document, index, st.title, st.series, st.pool,
                        date, number, f.concept, f.label, f.unit, list(f.dims.items()), _text(f.value),
                        _decimal(f.value), f.value if isinstance(f.value, bool) else None, f.raw,
                        *_span(f.span), *_span(f.label_span)))
    return {key: group for key, group in groups.items() if group}


class ParquetEmitter(Emitter):
    name = "parquet"
    description = "every fact of a batch as one Parquet dataset (facts/layout=…/year=…/), for DuckDB or pandas"
    extension = ".parquet"
    needs_directory = True  # a dataset, not a stream

    def __init__(self):
        _pyarrow()  # fail before any work when pyarrow is missing

    def emit(self, compilation: Compilation) -> str:
        raise TypeError("Parquet is a dataset: write it into a folder (trustc compile ... -o DIR --to parquet)")

    def write(self, compilation: Compilation, directory: str, stem: str) -> list[str]:
        from ..compiler.output import atomic_write, safe_stem

        pa = _pyarrow()
        written = []
        names = schema().names
        for (layout, year), group in sorted(rows(compilation).items()):
            table = pa.Table.from_pydict({n: list(col) for n, col in zip(names, zip(*group))}, schema=schema())
            sink = pa.BufferOutputStream()
            pa.parquet.write_table(table, sink, compression="zstd")
            path = f"{directory}/{DATASET}/layout={safe_stem(layout)}/year={year}/{stem}{self.extension}"
            atomic_write(path, sink.getvalue().to_pybytes())
            written.append(path)
        return written
