"""No line pattern backtracks catastrophically: long adversarial lines cost linear time.

Every layout's line kinds (the terminals its LineLexer classifies with, one
by one and combined), the cell, number and date patterns and the cover
reader get lines of 50,000 to 100,000 characters built to make a badly
written regex backtrack (`9,9,9,…`, `- - - …`, 100k spaces, digit runs,
`((((…`). Python's re has no step counter, so the bound is wall time, as
issue 7 asks: each call gets BOUND seconds per 100k characters, about a
hundred times what a linear pattern needs on a loaded machine, while a
quadratic one needs minutes (the old RULE pattern took 235 s on 4,000
dashes and a letter). Cuts of 1,000 and 10,000 characters are tried first,
so a bad pattern fails in seconds rather than hanging; no call gets less
than 0.25 s. A call over the bound is timed twice more before it fails: a
machine busy with other work is not a failure.
"""
from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark import Token

import trustc
from trustc.compiler.columns import is_figure, split_cells
from trustc.compiler.cover import CoverReader, segments
from trustc.compiler.layout import layouts
from trustc.compiler.lines import LineLexer
from trustc.compiler.numbers import NotAFigure, find_date, parse_date, parse_number

from .conftest import CUT_SHORT, REFERENCE

BOUND = 2.0  # seconds per 100k characters, per call

UNITS = [
    "9,", "- ", "-", " ", "9", "(", "((", "=", "_ ", "\t", "9.", "1,000  ", "(1)  ", "$(", "N/A  ", "a ", "| ",
    "  9", "9 ", ". ", "of ", ":", "Date of Report ", "(Commission ", "(State or ", "Item 5. ", "By: ", "12/15/98 ",
    "December 15, ", "333-", "13-", "- -- ", "  ", "%",
]
SUFFIXES = ["", "x", ")", "%", " ", "  x", "9", ":"]


def lexers():
    return {layout_id: LineLexer(cls.parser().lexer_conf) for layout_id, cls in layouts().items()}


LEXERS = lexers()


def within_bound(what: str, line: str, call) -> None:
    bound = max(BOUND * len(line) / 100_000, 0.25)
    for _attempt in range(3):
        start = time.perf_counter()
        call()
        spent = time.perf_counter() - start
        if spent <= bound:
            return
    pytest.fail(f"{what}: {spent:.2f} s on a {len(line)}-character line {line[:40]!r}… (bound {bound:.2f} s)")


def check_line(line: str) -> None:
    # Shorter cuts of the line first (keeping its end): a cubic pattern fails on 1,000
    # characters in seconds instead of hanging for hours on 100,000.
    for size in (1_000, 10_000):
        if len(line) > size:
            check_one(line[: size - 3] + line[-3:])
    check_one(line)


def check_one(line: str) -> None:
    for layout_id, lexer in LEXERS.items():
        within_bound(f"{layout_id} line kinds combined", line, lambda: lexer.classify(line, None))
        for name, pattern in lexer.kinds:
            within_bound(f"{layout_id} {name}", line, lambda: pattern.fullmatch(line))
    token = Token("TEXT", line, 0, 1, 1, 1, len(line) + 1, 0)
    within_bound("split_cells", line, lambda: split_cells(line))
    within_bound("is_figure", line, lambda: is_figure(line))
    within_bound("find_date", line, lambda: find_date(line))
    within_bound("parse_date", line, lambda: parse_date(line))
    within_bound("parse_number", line, lambda: _number(line))
    within_bound("cover segments", line, lambda: segments(token))
    within_bound("cover reader", line, lambda: CoverReader([token]).read())


def _number(line: str) -> None:
    try:
        parse_number(line)
    except NotAFigure:
        pass


@pytest.mark.parametrize("line", [
    "9," * 50_000,
    "- " * 50_000,
    " " * 100_000,
    " " * 100_000 + "x",
    "9" * 100_000 + "x",
    "(" * 100_000,
    "-" * 100_000 + "x",
    "1,000  " * 14_000 + "x",
], ids=["nines", "dashes", "spaces", "spaces-x", "digits", "parens", "rule-x", "cells-x"])
def test_named_adversarial_lines(line):
    check_line(line)


@st.composite
def adversarial_lines(draw):
    units = draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3))
    size = draw(st.integers(50_000, 100_000))
    unit = "".join(units)
    return draw(st.sampled_from(["", "x ", "(", "|"])) + unit * (size // len(unit)) + draw(st.sampled_from(SUFFIXES))


# Derandomized: the same 15 lines every run, so CI does not flake on the known quadratic case below.
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(adversarial_lines())
def test_adversarial_lines_cost_linear_time(line):
    check_line(line)


# rfmsi's ROW was quadratic here (0.95 s on 4,000 characters): its label cells could also be
# the figures that end the row, so every label cell restarted a scan of the figures to the end.
def test_rfmsi_row_over_cells_that_are_values_costs_linear_time():
    line = ("9 N/A  " * 1_500)[:9_997] + "x  "
    within_bound("rfmsi ROW", line, lambda: LEXERS["rfmsi"].classify(line, None))


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(adversarial_lines(), st.sampled_from([REFERENCE, CUT_SHORT]), st.floats(0, 1))
def test_an_adversarial_line_inside_a_filing_compiles_in_linear_time(line, path, where):
    # Through the whole compiler: cover reader, items, statement assembler, emitters.
    lines = path.read_text(encoding="utf-8").split("\n")
    at = int(where * len(lines))
    text = "\n".join(lines[:at] + [line] + lines[at:])
    start = time.perf_counter()
    compilation = trustc.compile_text(text, name="adversarial.txt")
    trustc.emit(compilation, "json")
    spent = time.perf_counter() - start
    assert spent < 10 * BOUND, f"{spent:.1f} s"
