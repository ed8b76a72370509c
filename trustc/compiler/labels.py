"""Full labels of concepts as regenerated statements print them, and back.

A label two concepts share is told apart by the concept's name in brackets,
so a label read back always names one concept.
"""
from __future__ import annotations

import functools
import re
from collections import Counter

from .concepts import concepts


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=1)
def _label_counts() -> Counter:
    return Counter(squash(c.label).lower() for c in concepts().values())


def display_label(concept: str) -> str:
    label = squash(concepts()[concept].label)
    return f"{label} [{concept}]" if _label_counts()[label.lower()] > 1 else label


@functools.lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    return {display_label(name).lower(): name for name in concepts()}


def concept_for_label(label: str) -> "str | None":
    return _index().get(squash(label).lower())
