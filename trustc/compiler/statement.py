"""Building statement facts from table pieces, shared by every statement layout.

A cell's meaning is the union of what its row says and what its column says:
in a class table the row names the class and the column the concept; in a
group table the row names the concept and the column the group; in a
delinquency table the row names the bucket and the column the concept (and,
through a spanning header, the group). Layouts state those meanings as data
(maps keyed by normalised printed labels); this module builds the facts.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Mapping, Optional, Sequence

import attrs
from lark import Token

from .ast import ClassBalance, Diagnostic, Fact, Span
from .columns import Cell, Column, stack_headers
from .concepts import concept, concepts
from .diagnostics import warning
from .numbers import NOT_AVAILABLE, PLAIN_NUMBER, NotAFigure, parse_boolean, parse_date, parse_number


def norm(label: str) -> str:
    """Lower case, single spaces: the key layouts' label maps use."""
    # str.split() splits where \s+ matches and drops the ends as strip() does
    return " ".join(label.split()).lower()


_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def class_key(label: str) -> str:
    """B-IO, BIO and B IO are one class."""
    return _NOT_ALNUM.sub("", label).upper()


def figure_value(raw: str, unit: str):
    """A printed figure to its exact value for `unit`. Raises NotAFigure."""
    if unit not in _NOT_NUMBERS:  # the usual case first: parse_number strips the text itself
        return parse_number(raw)[0]
    text = raw.strip()
    if unit == "text":
        return text
    if unit == "date":
        value = parse_date(text)
        if value is None and text not in NOT_AVAILABLE:
            raise NotAFigure(raw)
        return value
    if unit == "boolean":
        value = parse_boolean(text)
        if value is None:
            raise NotAFigure(raw)
        return value
    value, _percent = parse_number(text)
    return value


def printed_unit(raw: str) -> str:
    """The unit a figure shows by itself, for a fact no concept names: YES/NO a boolean, a percent
    sign a percent, a dollar sign usd, else a pure number (as the generic reader reads one)."""
    text = raw.strip()
    if parse_boolean(text) is not None:
        return "boolean"
    return "percent" if "%" in text else "usd" if "$" in text else "pure"


_NOT_NUMBERS = frozenset({"text", "date", "boolean"})


@attrs.define
class FactBuilder:
    """Collects a statement's facts and the diagnostics about them."""

    facts: list[Fact] = attrs.field(factory=list)
    diagnostics: list[Diagnostic] = attrs.field(factory=list)

    def add(self, name: str, label: str, cell: Cell, line: int, dims: Mapping[str, str],
            label_span: Optional[Span] = None) -> Optional[Fact]:
        """`name` "": a figure a spec keeps under its printed label with no concept yet (a drafted
        layout's TODO entry), its unit as printed (see printed_unit)."""
        return self.owned(name, label, cell, line, dict(dims), label_span)

    def owned(self, name: str, label: str, cell: Cell, line: int, dims: dict[str, str],
              label_span: Optional[Span] = None) -> Fact:
        """`add` keeping `dims` itself, not a copy: for a caller that hands each mapping over for good
        (Tables.place shares one among the facts of a row)."""
        if not name:
            return self._unnamed(label, cell, line, dims, label_span)
        meaning = concepts().get(name) or concept(name)  # concept() raises the error naming an unknown one
        unit = meaning.unit
        raw = cell.text
        span = Span(line, cell.start + 1, line, cell.end + 1)
        if unit not in _NOT_NUMBERS and PLAIN_NUMBER.fullmatch(raw) is not None:
            value = Decimal(raw.replace(",", ""))  # the usual figure: figure_value's first case, without the calls
        else:
            try:
                value = figure_value(raw, unit)
            except NotAFigure:
                self.diagnostics.append(warning("bad-figure", f"{label.strip()!r}: {raw!r} is not a {unit} figure", span))
                value = None
            else:
                if value.__class__ is str and meaning.form is not None and not meaning.fits(value):
                    if value not in NOT_AVAILABLE:  # N/A under a CUSIP says there is none: no finding
                        self.diagnostics.append(warning(
                            "bad-figure", f"{label.strip()!r}: {raw!r} is not a {meaning.form_name}", span))
                    value = None
        fact = Fact(name, label.strip(), value, unit, raw, span, dims, label_span)
        self.facts.append(fact)
        return fact

    def _unnamed(self, label: str, cell: Cell, line: int, dims: Mapping[str, str],
                 label_span: Optional[Span]) -> Fact:
        unit = printed_unit(cell.text)
        span = cell.span(line)
        try:
            value = figure_value(cell.text, unit)
        except NotAFigure:  # an overflow mark ("##########"): the value is unknown, and said so
            self.diagnostics.append(warning("bad-figure", f"{label.strip()!r}: {cell.text!r} is not a figure", span))
            value = None
        fact = Fact(None, label.strip(), value, unit, cell.text, span, dict(dims), label_span)
        self.facts.append(fact)
        return fact

    def unplaced(self, cell: Cell, line: int, why: str) -> None:
        self.diagnostics.append(warning("unplaced-figure", f"{cell.text!r} {why}", cell.span(line)))


@attrs.define
class ClassRegistry:
    """The classes of a statement in printed order, keyed for label resolution."""

    order: list[str] = attrs.field(factory=list)
    figures: dict[str, dict[str, Fact]] = attrs.field(factory=dict)
    printed: dict[str, list[str]] = attrs.field(factory=dict)
    keys: dict[str, str] = attrs.field(factory=dict)

    def declare(self, label: str) -> str:
        key = class_key(label)
        if key not in self.keys:
            self.keys[key] = label
            self.order.append(label)
            self.figures[label] = {}
            self.printed[label] = []
        return self.keys[key]

    def resolve(self, label: str) -> Optional[str]:
        name = self.keys.get(class_key(label))
        if name is not None and label != name and label not in self.printed[name]:
            self.printed[name].append(label)
        return name

    def record(self, name: str, fact: Fact) -> None:
        if fact.concept is None:  # a figure kept with no concept yet is no figure of the class
            return
        # A figure a class table prints twice keeps the first as the class's value;
        # both stay in `facts` with their spans.
        self.figures[name].setdefault(fact.concept, fact)

    def balances(self) -> tuple[ClassBalance, ...]:
        return tuple(ClassBalance(n, dict(self.figures[n]), tuple(self.printed[n])) for n in self.order)


def header_columns(tokens: Sequence[Token]) -> list[Column]:
    return stack_headers([t.value for t in tokens])


def row_cells(token: Token) -> tuple[Optional[Cell], list[Cell]]:
    """A row's first cell as its label unless it is a figure, and the cells after it (kept for layout
    plugins; the built-in layouts read rows through tables.Row)."""
    from .tables import Row  # tables builds on this module

    row = Row.split(token)
    return row.label, row.values
