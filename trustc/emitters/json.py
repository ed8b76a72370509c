"""JSON: the whole AST, numbers with exactly the printed digits (schema: trustc-json.schema.json)."""
from __future__ import annotations

import datetime as _dt
import shutil
import tempfile
from decimal import Decimal
from typing import Any, Callable, Optional

import attrs
import orjson
from orjson import Fragment  # written verbatim: str or bytes

from ..compiler.ast import Compilation, Cover, Fact, Span, Statement
from . import Emitter


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # A Fragment is written verbatim: 5857826.76 stays 5857826.76, 1.50000 stays 1.50000.
        return Fragment(str(value))
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot serialise {type(value).__name__}")


def span(s: Optional[Span]) -> Optional[dict]:
    return None if s is None else {"line": s.line, "column": s.column, "end_line": s.end_line, "end_column": s.end_column}


def fields(mapping) -> dict:
    out: dict[str, Any] = {name: f.value for name, f in mapping.items()}
    out["spans"] = {name: span(f.span) for name, f in mapping.items()}
    return out


def fact(f: Fact) -> dict:
    # The commonest dict of the document (every figure): built inline, without a call per value or span.
    # A Decimal value is made a Fragment of its printed digits here, not through `_default` (a call back
    # into Python per figure).
    value, s = f.value, f.span
    out = {"concept": f.concept, "label": f.label,
           "value": Fragment(str(value)) if value.__class__ is Decimal else value,
           # a layout's facts share dims dicts, which orjson writes as they are (the document shares them, read only)
           "unit": f.unit, "dims": f.dims if f.dims.__class__ is dict else dict(f.dims), "raw": f.raw,
           "span": {"line": s.line, "column": s.column, "end_line": s.end_line, "end_column": s.end_column}}
    # the generic reader's printed row label and column title (layouts that know their report have none)
    if f.row_label is not None:
        out["row_label"] = f.row_label
    if f.column_header is not None:
        out["column_header"] = f.column_header
    return out


def cover(c: Optional[Cover]) -> Optional[dict]:
    if c is None:
        return None
    out = fields(c.fields)
    out["items"] = [dict(i) for i in c.items]
    out["exhibits"] = [dict(e) for e in c.exhibits]
    out["missing"] = list(c.missing)
    return out


def statement(s: Statement) -> dict:
    classes = []
    for balance in s.classes:
        entry: dict[str, Any] = {"class": balance.name}
        if balance.printed_as:
            entry["printed_as"] = list(balance.printed_as)
        entry.update({name: Fragment(str(v)) if (v := f.value).__class__ is Decimal else v
                      for name, f in balance.figures.items()})  # as fact() writes a value
        classes.append(entry)
    return {
        "format": s.format,
        "title": s.title,
        "series": s.series,
        "pool": s.pool,
        "document": s.document,
        "distribution_date": s.distribution_date.value if s.distribution_date else None,
        "distribution_date_span": span(s.distribution_date.span) if s.distribution_date else None,
        "classes": classes,
        "facts": [fact(f) for f in s.facts],
        **({"confidence": s.confidence} if s.confidence is not None else {}),
    }


def to_data(c: Compilation) -> dict:
    out: dict[str, Any] = {
        "source": {"path": c.source.path, "sha256": c.source.sha256, "bytes": c.source.bytes},
    }
    if c.envelope is not None:
        env = c.envelope
        out["envelope"] = {
            "form": env.form,
            **fields(env.fields),
            "addresses": {kind: fields(a) for kind, a in env.addresses.items()},
            "former_names": [fields(n) for n in env.former_names],
        }
        out["documents"] = [
            {"sequence": d.sequence, "type": d.type, "filename": d.filename, "description": d.description,
             "first_line": d.first_line, "last_line": d.last_line, "layout": d.layout, "content": d.content}
            for d in c.documents
        ]
    out["cover"] = cover(c.cover)
    out["statements"] = [statement(s) for s in c.statements]
    out["signatures"] = [fields(s.fields) for s in c.signatures]
    out["diagnostics"] = [
        {"severity": d.severity, "code": d.code, "message": d.message, "span": span(d.span),
         "related": [span(r) for r in d.related]}
        for d in c.diagnostics
    ]
    out["unparsed"] = [{"line": u.line, "text": u.text} for u in c.unparsed]
    return out


def dumps(data: Any) -> str:
    # the final newline written by orjson: no second copy of the document to add it
    return orjson.dumps(data, default=_default, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE).decode()


def dumps_line(data: Any) -> str:
    """One compact document on one line (JSON Lines): orjson escapes every newline inside strings."""
    return orjson.dumps(data, default=_default, option=orjson.OPT_APPEND_NEWLINE).decode()


def _nested(text: str, indent: str) -> str:
    """A pretty document placed `indent` deeper: orjson writes no raw line end inside a string."""
    return text.replace("\n", "\n" + indent)


def _pretty(value: Any) -> str:
    return orjson.dumps(value, default=_default, option=orjson.OPT_INDENT_2).decode()


@attrs.frozen
class _Style:
    """How one document is laid out: pretty (`dumps`, 2-space indent) or compact (`dumps_line`, one line).

    `member(key, value, depth)` writes `"key": value` at the document's top level; `item(value, first)`
    one statement of the statements array. The two must give byte for byte what orjson gives for the
    whole document in that style (tests/test_stream.py compares them on every corpus file).
    """

    pretty: bool

    def encode(self, value: Any, indent: str) -> str:
        if not self.pretty:
            return orjson.dumps(value, default=_default).decode()
        return _nested(_pretty(value), indent)

    def member(self, key: str, value: Any) -> str:
        return f'  "{key}": {self.encode(value, "  ")}' if self.pretty else f'"{key}":{self.encode(value, "")}'

    def open(self) -> str:
        return "{\n" if self.pretty else "{"

    def separator(self) -> str:
        return ",\n" if self.pretty else ","

    def statements(self) -> str:
        return '  "statements": [' if self.pretty else '"statements":['

    def item(self, value: Any, first: bool) -> str:
        if not self.pretty:
            return ("" if first else ",") + self.encode(value, "")
        return ("\n    " if first else ",\n    ") + self.encode(value, "    ")

    def close_statements(self, count: int) -> str:
        return ("\n  ]" if count else "]") if self.pretty else "]"

    def close(self) -> str:
        return "\n}\n" if self.pretty else "}\n"


PRETTY, COMPACT = _Style(True), _Style(False)


def write_stream(stream, write: Callable[[str], Any], style: _Style = PRETTY) -> None:
    """The document `dumps(to_data(...))` gives (`dumps_line`'s with style COMPACT), byte for byte,
    written while the filing compiles.

    `stream` is a driver.CompilationStream. Each statement is written as soon as it
    is compiled and then dropped; only the cover must come first, so statements
    compiled before any document gave one wait in a spooled file (in memory while
    small). Diagnostics and unparsed lines are written once compiling has ended.
    """
    head: dict[str, Any] = {"source": {"path": stream.info.path, "sha256": stream.info.sha256,
                                       "bytes": stream.info.bytes}}
    if stream.envelope is not None:
        head.update((k, v) for k, v in to_data(stream.compilation()).items() if k in ("envelope", "documents"))
    write(style.open() + "".join(style.member(key, value) + style.separator() for key, value in head.items()))
    parts = stream.parts()
    waiting = tempfile.SpooledTemporaryFile(max_size=16 << 20, mode="w+", encoding="utf-8")
    sink: Callable[[str], Any] = waiting.write
    count = 0

    def cover_known() -> None:
        nonlocal sink
        write(style.member("cover", cover(stream.cover)) + style.separator() + style.statements())
        waiting.seek(0)
        shutil.copyfileobj(waiting, _Writer(write))
        waiting.close()
        sink = write

    with waiting:
        for part in parts:
            if stream.cover is not None and sink is not write:
                cover_known()
            for s in part.statements:
                sink(style.item(statement(s), count == 0))
                count += 1
        if sink is not write:
            cover_known()
    tail = to_data(stream.compilation())
    write(style.close_statements(count) + style.separator() + style.separator().join(
        style.member(key, tail[key]) for key in ("signatures", "diagnostics", "unparsed")) + style.close())


@attrs.frozen
class _Writer:
    """A file-like `write` for shutil.copyfileobj."""

    write: Callable[[str], Any]


class JSONEmitter(Emitter):
    name = "json"
    description = "the whole AST as JSON: cover, statements with classes and facts, spans, diagnostics"
    extension = ".json"
    writes_parts = True

    def write_parts(self, stream, write):
        write_stream(stream, write)

    def emit(self, compilation: Compilation) -> str:
        return dumps(to_data(compilation))

    def line(self, compilation: Compilation) -> str:
        return dumps_line(to_data(compilation))

    def stream(self, compilations):
        """Several inputs: JSON Lines, one compact document per line (pretty documents back to back
        would be neither one JSON text nor JSON Lines)."""
        return map(self.line, compilations)


class JSONLinesEmitter(JSONEmitter):
    name = "jsonl"
    description = "the JSON document on one line (JSON Lines); several inputs give one line each"
    extension = ".jsonl"
    emit = JSONEmitter.line

    def write_parts(self, stream, write):
        write_stream(stream, write, COMPACT)


SCHEMA_FILE = "trustc-json.schema.json"


def schema_text() -> str:
    from importlib.resources import files

    return files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
