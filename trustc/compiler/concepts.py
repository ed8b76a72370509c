"""The concept dictionary: what each fact's `concept` means, and its unit.

Kept as data (`data/concepts*.toml`) so a layout adds its concepts in a file of
its own; every `concepts*.toml` in the folder is read and merged.
"""
from __future__ import annotations

import functools
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from attrs import frozen

DATA_DIR = Path(__file__).resolve().parent / "data"
UNITS = ("usd", "usd_per_1000", "percent", "count", "months", "boolean", "date", "text", "pure")


@frozen
class Concept:
    name: str
    unit: str
    label: str
    description: str


@functools.lru_cache(maxsize=1)
def concepts() -> dict[str, Concept]:
    merged: dict[str, Concept] = {}
    for path in sorted(DATA_DIR.glob("concepts*.toml")):
        with open(path, "rb") as handle:
            table = tomllib.load(handle)
        for name, entry in table.items():
            if name in merged:
                raise ValueError(f"concept {name!r} defined twice ({path.name})")
            if entry["unit"] not in UNITS:
                raise ValueError(f"concept {name!r}: unknown unit {entry['unit']!r}")
            merged[name] = Concept(name, entry["unit"], entry["label"], entry["description"])
    return merged


def concept(name: str) -> Concept:
    try:
        return concepts()[name]
    except KeyError:
        raise KeyError(f"concept {name!r} is not in the concept dictionary") from None
