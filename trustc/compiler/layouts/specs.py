"""Registers the layouts declared as data: every spec file (`*.toml`) in this folder (see compiler/spec.py)."""
from pathlib import Path

from ..spec import load

LAYOUTS = [load(path) for path in sorted(Path(__file__).resolve().parent.glob("*.toml"))]
