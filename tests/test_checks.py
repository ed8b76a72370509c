"""Checks: each one on the reference filing as printed (passing) and with one figure changed (failing)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import trustc
from trustc.compiler.checks import CHECKS
from trustc.compiler.checks.quantity import printed, shape, show_tolerance

from .conftest import REFERENCE

TEXT = REFERENCE.read_text(encoding="utf-8")
LINES = TEXT.split("\n")


def changed(line: int, old: str, new: str) -> str:
    """The reference filing with one figure of one line (1-based) changed, same width."""
    assert len(old) == len(new) and LINES[line - 1].count(old) == 1, (line, old)
    lines = list(LINES)
    lines[line - 1] = lines[line - 1].replace(old, new)
    return "\n".join(lines)


def diagnostics(text: str = TEXT, severity: str = "warning"):
    compiled = trustc.compile_text(text, name="reference.txt")
    return [d for d in compiled.diagnostics if d.severity == severity]


@pytest.fixture(scope="module")
def reference():
    return trustc.compile_file(REFERENCE)


def test_reference_findings_are_exactly_the_per_1000_anomalies(reference):
    warnings = [d for d in reference.diagnostics if d.severity != "info"]
    assert [(d.code, d.span.line, d.span.column) for d in warnings] == [
        ("bad-figure", 167, 21),  # the Total row prints 0.00 under Cusip: not a CUSIP
        ("per-1000", 197, 35),  # P: 0.00000, though its ending balance 100 is its original balance 100
        ("per-1000", 199, 33),  # R: 1000.00000 with no balance at all
    ]
    cusip, p, r = (d.message for d in warnings)
    assert "'0.00' is not a CUSIP" in cusip
    assert "expected 1,000.000000, printed 0.00000" in p and "difference -1,000.000000" in p
    assert "printed 1,000.00000" in r and "no original balance (0)" in r


def test_reference_notes_say_what_was_not_a_finding_and_why(reference):
    infos = [d for d in reference.diagnostics if d.severity == "info"]
    notes = {(d.code, d.span.line): d.message for d in infos}
    # A-IO and A-IO-INV step down without principal: notional, recognised by name.
    assert "interest-only" in notes[("class-roll-forward", 135)]
    assert "interest-only" in notes[("class-roll-forward", 136)]
    assert not any("B-IO is notional" in m for m in notes.values())  # its balance does not move
    # The Total row's per-$1,000 cells are printed as zero by convention.
    assert "printed as zero" in notes[("per-1000", 167)]
    # Which classes the Total row covers, column by column.
    covers = [d.message for d in infos if d.code == "class-totals"]
    assert any("original balance" in m and "notional ones (A-IO, A-IO-INV, B-IO)" in m for m in covers)
    assert any("beginning balance, ending balance" in m and "(A-IO, A-IO-INV, X, B-IO)" in m for m in covers)
    assert any("interest distribution, total distribution" in m and "every class but B-IO" in m for m in covers)


# (check, line, printed figure, changed figure): the change breaks the check at that figure.
FAILING = [
    ("class-roll-forward", 142, "100", "110"),  # P's ending balance
    ("distribution-total", 124, "401,118", "401,128"),  # P's total distribution
    ("per-1000", 178, "4.37110 ", "4.37210 "),  # M-5's interest per $1,000
    ("class-totals", 94, "735,630,000", "735,630,900"),  # Total original balance
    ("group-roll-forward", 210, "217,781,741", "217,781,791"),  # group 2 ending balance
    ("remittance-total", 208, "14,301,161", "14,301,261"),  # group 1 total principal
    ("group-total", 204, "539,148", "539,158"),  # TOTAL scheduled principal
    ("loan-status", 252, "2,777", "2,778"),  # group 1 outstanding loans
    ("collateral-balance", 213, "622,542,681", "622,542,781"),  # aggregate collateral balance
    ("overcollateralization", 215, "14,344,337", "14,344,437"),  # OC amount
]


@pytest.mark.parametrize("check, line, old, new", FAILING, ids=[f[0] for f in FAILING])
def test_one_changed_figure_is_found(check, line, old, new):
    column = LINES[line - 1].index(old) + 1
    at = lambda found: [d for d in found if d.code == check and (d.span.line, d.span.column) == (line, column)]  # noqa: E731
    assert not at(diagnostics())
    hit = at(diagnostics(changed(line, old, new)))
    assert hit, f"{check} missed the change on line {line}"
    message = hit[0].message
    assert re.search(r"expected [-\d,.]+, printed [-\d,.]+; difference [-\d,.]+, tolerance ±[\d.,]+", message)
    assert hit[0].related  # the other figures of the arithmetic


AAMES = REFERENCE.parent / "aames-1998-c_8k_1998-12-15.sgml.txt"
AAMES_LINES = AAMES.read_text(encoding="utf-8").split("\n")
# The same on the Bankers Trust filing, which prints what the reference does not.
AAMES_FAILING = [
    ("pool-percentage", 361, "2.28827%", "2.28837%"),  # fixed group 1-payment delinquent balance, % of pool
    ("group-roll-forward", 548, "5,796", "5,797"),  # fixed group current number of loans
    ("delinquency-total", 361, "2.80173%", "2.80183%"),  # fixed group total delinquent balance, % of pool
    ("class-totals", 205, "640,191,948.34", "640,191,948.94"),  # REMIC I TOTALS current principal balance
]


@pytest.mark.parametrize("check, line, old, new", AAMES_FAILING, ids=[f[0] for f in AAMES_FAILING])
def test_one_changed_figure_of_the_bankers_trust_filing_is_found(check, line, old, new):
    assert AAMES_LINES[line - 1].count(old) == 1
    column = AAMES_LINES[line - 1].index(old) + 1
    at = lambda found: [d for d in found if d.code == check and (d.span.line, d.span.column) == (line, column)]  # noqa: E731
    assert not at(diagnostics("\n".join(AAMES_LINES)))
    lines = list(AAMES_LINES)
    lines[line - 1] = lines[line - 1].replace(old, new)
    hit = at(diagnostics("\n".join(lines)))
    assert hit and re.search(r"expected [-\d,.]+, printed [-\d,.]+; difference [-\d,.]+, tolerance ±[\d.,]+", hit[0].message)


def test_a_difference_inside_rounding_is_not_a_finding():
    # A-1's ending balance one dollar off: beginning − principal has ±1 of rounding in it.
    text = changed(133, "314,665,768", "314,665,769")
    assert not [d for d in diagnostics(text) if d.code == "class-roll-forward"]
    text = changed(133, "314,665,768", "314,665,770")
    (finding,) = [d for d in diagnostics(text) if d.code == "class-roll-forward"]
    assert "expected 314,665,768, printed 314,665,770; difference 2, tolerance ±1.5" in finding.message


def test_every_check_is_registered_once_with_a_description_and_is_tested():
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    assert all(c.description and c.severity in ("error", "warning", "info") for c in CHECKS)
    tested = {f[0] for f in FAILING + AAMES_FAILING} | {"repeated-figure", "pool-factor"}  # in test_checks_units
    assert set(ids) == tested


def test_printed_figures_carry_half_a_unit_of_their_last_digit():
    assert printed(Decimal("314665768")).tolerance == Decimal("0.5")
    assert printed(Decimal("5857826.76")).tolerance == Decimal("0.005")
    assert printed(Decimal("3042968.8")).tolerance == Decimal("0.05")
    assert printed(Decimal("100"), exact=True).tolerance == 0
    assert printed(Decimal("0.96677"), truncated=True).tolerance == Decimal("0.00001")
    ratio = printed(Decimal("383810")).ratio(printed(Decimal("397000000"), exact=True), Decimal(1000), 6)
    assert ratio.value.quantize(Decimal("0.000001")) == Decimal("0.966776")
    assert ratio.tolerance == Decimal("0.5") / Decimal("397000")
    assert show_tolerance(Decimal("4.5")) == "4.5" and show_tolerance(Decimal("0.00000626")) == "0.0000063"


@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_a_figures_shape_is_what_as_tuple_says(value):
    # shape() reads places and digits off str(value); as_tuple is the definition
    _sign, figures, exponent = value.as_tuple()
    assert shape(value) == (max(0, -exponent), len(figures) + max(exponent, 0))


@pytest.mark.parametrize("text", ["0", "-0.00", "0.05", "1E+3", "0E+2", "1.5E-8", "0.0000001", "123456789012345678901234.5",
                                  "1000", "-314665768", "0.96677"])
def test_a_figures_shape_in_every_notation(text):
    value = Decimal(text)
    _sign, figures, exponent = value.as_tuple()
    assert shape(value) == (max(0, -exponent), len(figures) + max(exponent, 0))


def test_json_carries_the_check_diagnostics(reference):
    import json

    data = json.loads(trustc.emit(reference, "json"))
    codes = [(d["severity"], d["code"]) for d in data["diagnostics"]]
    assert codes.count(("warning", "per-1000")) == 2
    p = next(d for d in data["diagnostics"] if d["code"] == "per-1000" and d["severity"] == "warning")
    assert p["span"] == {"line": 197, "column": 35, "end_line": 197, "end_column": 42}
    assert {"line": 142, "column": 22, "end_line": 142, "end_column": 25} in p["related"]


def test_the_knowledge_is_data(reference):
    from trustc.compiler.checks import check_statement
    from trustc.compiler.checks.knowledge import DATA_FILE, parse, tomllib

    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["notional"].update(name="^$", falls_without_principal=False)  # a reader who knows no notional class
    found = [d for d in check_statement(reference.statements[0], known=parse(data)) if d.code == "class-roll-forward"]
    assert [(d.severity, d.message.split(":")[0]) for d in found] == [("warning", "A-IO"), ("warning", "A-IO-INV")]
