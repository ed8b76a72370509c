"""Emitters: each consumes a Compilation (the AST) and writes one output format.

Built-in and third-party emitters register through the entry-point group
`trustc.emitters`; an emitter is a class with `name`, `description`,
`extension` and `emit(compilation) -> str`. Emitters never read source text.

Several inputs to one stream (`trustc compile a b` to stdout) go through
`stream`: JSON becomes JSON Lines, CSV one table with a `source` column, and a
format whose documents cannot be concatenated (`streams = False`: XBRL, HTML)
is refused before anything is compiled.
"""
from __future__ import annotations

import os
import warnings
from importlib.metadata import entry_points
from typing import Callable, ClassVar, Iterable, Iterator

from ..compiler.ast import Compilation, Diagnostic


class Emitter:
    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    extension: ClassVar[str] = ".txt"
    streams: ClassVar[bool] = True  # several documents can follow each other on one stream

    def emit(self, compilation: Compilation) -> str:
        raise NotImplementedError

    def stream(self, compilations: Iterable[Compilation]) -> Iterator[str]:
        """Several inputs' outputs on one stream; the default puts each document after the last."""
        for compilation in compilations:
            yield self.emit(compilation)

    def diagnostics(self, compilation: Compilation) -> "list[Diagnostic]":
        """What this format cannot hold as the compilation has it (each written some other way)."""
        return []

    # True when write_parts writes each statement as it is compiled (memory follows one statement)
    writes_parts: ClassVar[bool] = False

    def write_parts(self, stream, write: "Callable[[str], object]") -> None:
        """Write the output of a filing being compiled (a driver.CompilationStream) through `write`.

        The default compiles it all, then writes `emit`'s text; an emitter that can write
        a statement at a time (json) overrides it and sets `writes_parts`. Afterwards
        `stream.compilation()` gives the diagnostics, and `stream.facts` the count of facts.
        """
        write(self.emit(stream.compilation([s for part in stream.parts() for s in part.statements])))

    def write_streamed(self, stream, directory: str, stem: str) -> list[str]:
        """`write` for an emitter that `writes_parts`: the one file written as the filing compiles."""
        from ..compiler.output import atomic_open

        path = f"{directory}/{stem}{self.extension}"
        with atomic_open(path) as handle:
            self.write_parts(stream, handle.write)
        return [path]

    def stdout_note(self, compilation: Compilation) -> "str | None":
        """What a reader of this output on stdout must know (files it refers to), or None."""
        return None

    def write_file(self, compilation: Compilation, path: str) -> list[str]:
        """Write this emitter's output for one input to `path` (`-o FILE`); return the paths written.

        The default writes that one file; an emitter whose document needs files beside it
        (the XBRL instance its schemas) overrides it.
        """
        from ..compiler.output import atomic_write

        atomic_write(path, self.emit(compilation))
        return [path]

    def write(self, compilation: Compilation, directory: str, stem: str) -> list[str]:
        """Write this emitter's output for one input into `directory`; return the paths written.

        The default writes one file; emitters with companion files (XBRL taxonomy,
        per-table CSVs) override it.
        """
        from ..compiler.output import atomic_write

        path = f"{directory}/{stem}{self.extension}"
        atomic_write(path, self.emit(compilation))
        return [path]


_BUILTIN = {
    "json": "trustc.emitters.json:JSONEmitter",
    "csv": "trustc.emitters.csv:CSVEmitter",
    "statement": "trustc.emitters.statement:StatementEmitter",
    "html": "trustc.emitters.html:HTMLEmitter",
    "parquet": "trustc.emitters.parquet:ParquetEmitter",
    "xml": "trustc.emitters.xml:XBRLEmitter",
    "jsonl": "trustc.emitters.json:JSONLinesEmitter",
}
# Other names users know a format by.
ALIASES = {"xbrl": "xml"}
# File extensions `-o FILE` reads a format from, beyond each emitter's own `extension`.
EXTENSIONS = {".xbrl": "xml", ".htm": "html", ".txt": "statement", ".ndjson": "jsonl"}


def emitters() -> dict[str, type[Emitter]]:
    found: dict[str, type[Emitter]] = {}
    specs = dict(_BUILTIN)
    for ep in entry_points(group="trustc.emitters"):
        specs.setdefault(ep.name, ep.value)
        if ep.name not in _BUILTIN:
            specs[ep.name] = ep.value
    for name, spec in specs.items():
        cls = _load(spec)
        if cls is not None:
            found[name] = cls
    return dict(sorted(found.items()))


def _load(spec: str):
    import importlib

    module, _, attr = spec.partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except Exception as exc:  # a broken plugin must not take the compiler down, nor vanish unsaid
        warnings.warn(f"trustc: emitter plugin {spec!r} failed to load: {type(exc).__name__}: {exc}",
                      RuntimeWarning, stacklevel=2)
        return None


def get_emitter(name: str) -> Emitter:
    name = ALIASES.get(name, name)
    # A built-in wins over a plugin of the same name, so it needs no scan of the
    # installed packages' entry points (which costs more than compiling a filing).
    cls = _load(_BUILTIN[name]) if name in _BUILTIN else None
    if cls is not None:
        return cls()
    registry = emitters()
    if name not in registry:
        raise KeyError(f"unknown output format {name!r}; known: {', '.join(registry)}")
    return registry[name]()


def emit(compilation: Compilation, to: str = "json") -> str:
    return get_emitter(to).emit(compilation)


def format_for_file(path: str) -> str:
    """The output format a file name asks for (`out.csv` -> csv); KeyError when none does."""
    name = os.path.basename(path).lower()
    by_extension = {cls.extension: key for key, cls in ((k, _load(v)) for k, v in _BUILTIN.items()) if cls}
    by_extension.update(EXTENSIONS)
    # the longest match first: x.statement.txt is the statement, not plain .txt
    for extension in sorted(by_extension, key=len, reverse=True):
        if name.endswith(extension) and len(name) > len(extension):
            return by_extension[extension]
    known = ", ".join(sorted(by_extension))
    raise KeyError(f"cannot tell the output format from {os.path.basename(path)!r} (known extensions: {known}); "
                   f"give --to FORMAT, or end the path with / for a folder")
