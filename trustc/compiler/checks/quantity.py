"""Printed figures as values with a tolerance, and the arithmetic that propagates it.

A figure printed to whole dollars stands for anything within half a dollar of it,
one printed to cents within half a cent: the tolerance is half a unit of the last
printed digit (a whole unit for figures report writers truncate, such as
per-$1,000 factors). A sum carries the sum of its terms' tolerances; a ratio the
first-order bound of its numerator's and denominator's. A difference inside the
combined tolerance of the two sides is rounding, not a finding.
"""
from __future__ import annotations

import functools
from decimal import Decimal
from typing import Iterable, Optional

import attrs

HALF = Decimal("0.5")
THOUSAND = Decimal(1000)


# Read only by convention, not frozen: a frozen attrs class costs ~3x as much to build, and the
# checks build one per figure and per partial result.
@attrs.define(unsafe_hash=True)
class Quantity:
    value: Decimal
    tolerance: Decimal
    places: int  # decimal places to show it with

    def __add__(self, other: "Quantity") -> "Quantity":
        return Quantity(self.value + other.value, self.tolerance + other.tolerance, max(self.places, other.places))

    def __neg__(self) -> "Quantity":
        return Quantity(-self.value, self.tolerance, self.places)

    def __sub__(self, other: "Quantity") -> "Quantity":
        return self + (-other)

    def ratio(self, base: "Quantity", scale: Decimal, places: int) -> "Quantity":
        """self / base × scale (base must be non-zero): per $1,000, per cent."""
        ratio = self.value / base.value * scale
        # d(a/b) = da/|b| + |a|·db/b², to first order
        tolerance = (self.tolerance / abs(base.value) + abs(self.value) * base.tolerance / base.value ** 2) * scale
        return Quantity(ratio, tolerance, places)


ZERO = Quantity(Decimal(0), Decimal(0), 0)


def printed(value: Decimal, exact: bool = False, truncated: bool = False) -> Quantity:
    """A printed figure: half a unit of its last digit, a whole one if it may be truncated."""
    places = shape(value)[0] if value.is_finite() else 0
    return Quantity(value, tolerance(places, exact, truncated), places)


def shape(value: Decimal) -> tuple[int, int]:
    """(decimal places, digits) of a finite Decimal: places = max(0, −exponent), digits = its coefficient's
    digits plus a positive exponent (what `Context.digits` needs). Read off `str`, which writes
    `[-]int[.frac]` whenever the exponent is not positive and the value not tiny, at a third of
    the cost of `as_tuple` (the checks take every figure's shape)."""
    text = str(value)
    if "E" in text:  # 1E+3, 1.5E-8: scientific notation
        _sign, figures, exponent = value.as_tuple()
        return max(0, -exponent), len(figures) + max(exponent, 0)
    dot = text.find(".")
    places = len(text) - dot - 1 if dot >= 0 else 0
    return places, value.adjusted() + 1 + places  # adjusted() = exponent + coefficient digits − 1


@functools.lru_cache(maxsize=None)  # a few dozen (places, exact, truncated) ever occur
def tolerance(places: int, exact: bool, truncated: bool) -> Decimal:
    return Decimal(0) if exact else (Decimal(1) if truncated else HALF).scaleb(-places)


def total(quantities: Iterable[Quantity]) -> Quantity:
    """The sum, as adding them one by one to ZERO gives it, without a Quantity per partial sum."""
    value, tolerance, places = ZERO.value, ZERO.tolerance, ZERO.places
    for q in quantities:
        value += q.value
        tolerance += q.tolerance
        if q.places > places:
            places = q.places
    return Quantity(value, tolerance, places)


def mismatch(expected: Quantity, actual: Quantity) -> Optional[tuple[Decimal, Decimal]]:
    """(difference, tolerance) when the two differ by more than rounding explains, else None."""
    difference = actual.value - expected.value
    tolerance = expected.tolerance + actual.tolerance
    return (difference, tolerance) if abs(difference) > tolerance else None


def show(value: Decimal, places: int) -> str:
    """A value the way a report prints it: thousands separators, `places` decimals."""
    return f"{value.quantize(Decimal(1).scaleb(-places)):,f}"


def show_tolerance(value: Decimal) -> str:
    """±tolerance to two significant digits (0.5, 4.5, 0.0000063)."""
    if not value:
        return "0"
    rounded = value.quantize(Decimal(1).scaleb(min(0, value.adjusted() - 1)))
    return f"{rounded.normalize():f}" if rounded != rounded.to_integral() else f"{rounded.to_integral():,}"
