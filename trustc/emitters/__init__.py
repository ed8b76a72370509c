"""Emitters: each consumes a Compilation (the AST) and writes one output format.

Built-in and third-party emitters register through the entry-point group
`trustc.emitters`; an emitter is a class with `name`, `description`,
`extension` and `emit(compilation) -> str`. Emitters never read source text.
"""
from __future__ import annotations

import warnings
from importlib.metadata import entry_points
from typing import ClassVar

from ..compiler.ast import Compilation


class Emitter:
    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    extension: ClassVar[str] = ".txt"

    def emit(self, compilation: Compilation) -> str:
        raise NotImplementedError

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
}


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
