"""What a check says: a finding (the check's severity) or a note (always info)."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Optional

from attrs import frozen

from ..ast import Fact, Span
from .quantity import Quantity, printed, show, show_tolerance


@frozen
class Report:
    message: str
    span: Optional[Span]
    related: tuple[Span, ...] = ()
    note: bool = False


def spans(facts: Iterable[Optional[Fact]], but: Optional[Fact] = None) -> tuple[Span, ...]:
    return tuple(f.span for f in facts if f is not None and f is not but)


def figure(fact: Fact) -> str:
    """A figure in a message, written one way whatever the layout printed (`1,000.00000`, `N/A`)."""
    if isinstance(fact.value, Decimal):
        return show(fact.value, printed(fact.value).places)
    return fact.raw


def arithmetic(expected: Quantity, actual: Quantity, difference, tolerance, places: int) -> str:
    """The tail every finding ends with: expected, printed, difference, tolerance."""
    return (f"expected {show(expected.value, places)}, printed {show(actual.value, actual.places)}; "
            f"difference {show(difference, places)}, tolerance ±{show_tolerance(tolerance)}")


def finding(message: str, main: Fact, related: Iterable[Optional[Fact]] = ()) -> Report:
    return Report(message, main.span, spans(related, but=main))


def note(message: str, main: Optional[Fact], related: Iterable[Optional[Fact]] = ()) -> Report:
    return Report(message, main.span if main else None, spans(related, but=main), note=True)
