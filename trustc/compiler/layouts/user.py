"""Layouts kept outside trustc: every spec (`*.toml`) in the folders TRUSTC_LAYOUTS names.

TRUSTC_LAYOUTS is a list of folders (separated like PATH: `:` on POSIX, `;` on
Windows). A spec's `grammar` is a file beside it; its `%import lines (...)` or
`%import generic (...)` finds trustc's shared line kinds. `trustc new-layout` writes such a folder.
A spec that fails to load is skipped with a RuntimeWarning naming it, as a
broken plugin is; a spec whose id is already registered is skipped too (a
folder cannot silently replace a built-in layout).
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Optional

from ..concepts import tomllib
from ..layout import _REGISTRY
from ..spec import SpecLayout, load

ENV = "TRUSTC_LAYOUTS"


def load_folder(folder, only: Optional[str] = None) -> list[type[SpecLayout]]:
    """Register the specs of one folder (`only`: just the one with this id); the layouts registered."""
    loaded = []
    for path in sorted(Path(folder).glob("*.toml")):
        try:
            with open(path, "rb") as handle:
                layout_id = tomllib.load(handle).get("id")
            if only is not None and layout_id != only:
                continue
            if layout_id in _REGISTRY and only is None:
                warnings.warn(f"trustc: {path}: layout {layout_id!r} is already registered; skipped",
                              RuntimeWarning, stacklevel=2)
                continue
            cls = load(path)
        except Exception as exc:  # a broken spec must not take the compiler down, nor vanish unsaid
            warnings.warn(f"trustc: layout spec {path} failed to load: {type(exc).__name__}: {exc}",
                          RuntimeWarning, stacklevel=2)
            continue
        cls.grammar = str((path.parent / cls.grammar).resolve())
        loaded.append(cls)
    return loaded


LAYOUTS = [cls for folder in os.environ.get(ENV, "").split(os.pathsep) if folder for cls in load_folder(folder)]
