"""Nothing lost under faults: a bug or an absurd figure costs a diagnostic, never the file."""
from __future__ import annotations

from decimal import Decimal

import pytest

import trustc
from trustc.compiler.checks import registry
from trustc.compiler.checks.registry import Check

from .conftest import REFERENCE

LONG = "397,000,000,000,000,000,000,000,000,000"


@pytest.fixture(scope="module")
def long_figure() -> str:
    """The reference with a 30-digit original balance for class A-1 (quantize stops at 28 digits)."""
    text = REFERENCE.read_text(encoding="utf-8")
    assert text.count("397,000,000    328") == 1
    return text.replace("397,000,000    328", f"{LONG}    328")


@pytest.mark.parametrize("to", ["json", "csv", "xml", "html", "statement"])
def test_a_thirty_digit_figure_compiles_exactly(long_figure, to):
    compilation = trustc.compile_text(long_figure, name="long.txt")
    assert not [d for d in compilation.diagnostics if d.code == "internal-error"]
    (fact,) = [f for f in compilation.facts() if f.raw == LONG]
    assert fact.value == Decimal(LONG.replace(",", ""))
    assert LONG.replace(",", "") in trustc.emit(compilation, to).replace(",", "")


def test_a_thirty_digit_figure_is_summed_exactly_by_the_checks(long_figure):
    compilation = trustc.compile_text(long_figure, name="long.txt")
    (totals,) = [d for d in compilation.diagnostics if d.code == "class-totals" and "original balance" in d.message]
    # 397e27 + the other classes' 338,630,000: 28 digits of precision would round the sum
    assert "expected 397,000,000,000,000,000,000,338,630,000" in totals.message


def test_a_check_that_raises_costs_only_its_own_findings():
    def broken(ctx):
        raise ZeroDivisionError("a bug")

    statement = trustc.compile_file(REFERENCE).statements[0]
    expected = list(registry.check_statement(statement))
    found = list(registry.check_statement(statement, registry.CHECKS + (Check("broken", "raises", "warning", broken),)))
    (error,) = [d for d in found if d.code == "internal-error"]
    assert "check broken failed" in error.message and "ZeroDivisionError: a bug" in error.message
    assert error.span == statement.facts[0].span
    assert [d for d in found if d is not error] == expected


def test_a_failure_after_the_layout_ran_costs_that_document_only(monkeypatch):
    # the checks run after the layout: an exception there was outside the driver's guard
    from trustc.compiler import driver

    def broken(statements):
        raise ArithmeticError("boom")

    monkeypatch.setattr(driver, "check_statements", broken)
    compilation = trustc.compile_file(REFERENCE)
    (error,) = [d for d in compilation.diagnostics if d.code == "internal-error"]
    assert "ArithmeticError: boom" in error.message
    assert compilation.unparsed  # the document's lines are reported, with their numbers


def test_a_failure_reading_the_envelope_still_compiles_the_file(monkeypatch):
    from trustc.compiler import driver

    def broken(source):
        raise KeyError("envelope")

    monkeypatch.setattr(driver, "_split_documents", broken)
    compilation = trustc.compile_file(REFERENCE)
    assert [d.code for d in compilation.diagnostics if d.severity == "error"] == ["internal-error"]
    assert len(list(compilation.facts())) > 300
