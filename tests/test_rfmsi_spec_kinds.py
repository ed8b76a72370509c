"""The table kinds the Residential Funding spec declares (tables.py: Items with label lines, patterns and
sections, text items, RowMatrix), read line by line as the spec's reader hands them over."""
from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path

from lark import Token

import trustc
from trustc.compiler.layout import get_layout
from trustc.compiler.spec import SpecLayout
from trustc.compiler.tables import Items, RowMatrix, RowPattern, Tables


def line(kind: str, text: str, number: int) -> Token:
    return Token(kind, text, 0, number, 1, number, len(text) + 1, 0)


RFMSI = Path(__file__).resolve().parent.parent / "corpus" / "filings" / "rfmsi-conduit_8k_2000-12-26.excerpt.txt"


def test_rfmsi_is_a_spec_without_python():
    assert issubclass(get_layout("rfmsi"), SpecLayout)
    assert importlib.util.find_spec("trustc.compiler.layouts.rfmsi") is None


def test_a_page_naming_another_pool_is_a_pool_mismatch_on_that_line():
    lines = RFMSI.read_text(encoding="utf-8").split("\n")
    at = [i for i, t in enumerate(lines) if "SERIES 1989-SW1A" in t][1]  # the first pool's second page
    lines[at] = lines[at].replace("2000)", "2009)")
    compiled = trustc.compile_text("\n".join(lines[:400]) + "\n", name="mismatch.txt")
    (found,) = [d for d in compiled.diagnostics if d.code == "pool-mismatch"]
    assert found.span.line == at + 1 and "2009" in found.message
    assert compiled.statements[0].pool == "2000"


ITEMS = Items(
    labels={"scheduled principal balance of mortgage loans after distribution": "pool_ending_balance",
            "number of loans": {"concept": "loan_count_total"}},
    label="leading", overflow=True,
    patterns=[RowPattern(r"(?i)^class (\S+) - strip pass-through$", {"class": "{1}"}, "next_pass_through_rate",
                         record=True),
              RowPattern(r"(?i)^(.+) index$", {"index": "{1}"}, "index_rate")],
    sections={"foreclosures": {"number of loans": {"concept": "loan_count", "status": "foreclosure"}}},
)


def test_a_label_over_two_lines_is_one_label_spanning_both():
    tables = Tables()
    above = line("LABEL_LINE", "SCHEDULED PRINCIPAL BALANCE OF MORTGAGE LOANS AFTER", 7)
    tables.items(ITEMS, [line("ITEM", "DISTRIBUTION                          4,781,024.27", 8)], above=[above])
    (fact,) = tables.facts.facts
    assert (fact.concept, fact.label, fact.value) == ("pool_ending_balance", above.value + " DISTRIBUTION",
                                                      Decimal("4781024.27"))
    assert (fact.label_span.line, fact.label_span.column, fact.label_span.end_line) == (7, 1, 8)
    assert fact.label_span.end_column == len("DISTRIBUTION") + 1


def test_a_pattern_gives_the_concept_and_a_dim_as_printed_and_files_the_fact_under_its_class():
    tables = Tables()
    tables.classes.declare("A-11")
    tables.items(ITEMS, [line("ITEM", "CLASS A-11 - STRIP PASS-THROUGH      0.2803 %", 1),
                         line("ITEM", "1 YEAR TREASURY INDEX:              5.25", 2)])
    strip, index = tables.facts.facts
    assert (strip.concept, strip.dims) == ("next_pass_through_rate", {"class": "A-11"})
    assert tables.classes.figures["A-11"]["next_pass_through_rate"] is strip
    assert (index.concept, index.dims) == ("index_rate", {"index": "1 YEAR TREASURY"})


def test_a_section_map_comes_first_under_its_heading_only():
    tables = Tables()
    tables.items(ITEMS, [line("ITEM", "  NUMBER OF LOANS        3", 1)], section="foreclosures")
    tables.items(ITEMS, [line("ITEM", "NUMBER OF LOANS          9", 2)])
    under, apart = tables.facts.facts
    assert (under.concept, under.dims) == ("loan_count", {"status": "foreclosure"})
    assert (apart.concept, apart.dims) == ("loan_count_total", {})


def test_an_overflowed_field_is_a_value_with_a_warning():
    tables = Tables()
    tables.items(ITEMS, [line("ITEM", "1 YEAR TREASURY INDEX:   ***.****", 1)])
    (fact,) = tables.facts.facts
    assert fact.value is None and fact.raw == "***.****"
    assert [d.code for d in tables.facts.diagnostics] == ["bad-figure"]


def test_an_unknown_item_is_one_diagnostic_naming_the_row():
    tables = Tables()
    tables.items(ITEMS, [line("ITEM", "POOL TRADING FACTUM:     11.16917240", 4)])
    assert not tables.facts.facts
    assert [d.code for d in tables.facts.diagnostics] == ["unknown-label"]
    assert "POOL TRADING FACTUM:" in tables.facts.diagnostics[0].message


def test_a_text_item_is_one_fact_over_its_lines():
    tables = Tables()
    first = line("TEXT_ITEM", "OPTIMAL PERCENTAGE:        NOT APPLICABLE UNTIL CREDIT", 1)
    more = line("CONTINUATION", "                           SUPPORT DEPLETION DATE", 2)
    tables.text_item(Items({"optimal percentage": "optimal_percentage"}), first, [more])
    (fact,) = tables.facts.facts
    assert fact.value == "NOT APPLICABLE UNTIL CREDIT SUPPORT DEPLETION DATE"
    assert fact.raw == "NOT APPLICABLE UNTIL CREDIT\n" + more.value  # the exact text between the span's ends
    span = fact.span
    assert (span.line, span.column, span.end_line, span.end_column) == (1, 28, 2, len(more.value) + 1)
    assert fact.label == "OPTIMAL PERCENTAGE:"


def test_a_row_matrix_takes_its_concept_from_the_row_and_a_dim_from_the_column():
    spec = RowMatrix(rows={"current prepayment percentage": "prepayment_percentage"}, column_dim="tranche")
    tables = Tables()
    tables.row_matrix(spec, [line("COLUMN_HEADER", "                         SENIOR          CLASS M", 1)],
                      [line("ROW", "CURRENT PREPAYMENT PERCENTAGE     79.34710780 %    20.65289220 %", 2)])
    assert [(f.concept, f.dims, f.value) for f in tables.facts.facts] == [
        ("prepayment_percentage", {"tranche": "senior"}, Decimal("79.34710780")),
        ("prepayment_percentage", {"tranche": "class m"}, Decimal("20.65289220"))]


def test_a_row_matrix_leaves_caption_cells_and_caption_lines_out():
    by_payments = RowMatrix(columns={"number of loans": "delinquent_loan_count",
                                     "principal balance": "delinquent_balance"},
                            patterns=[RowPattern(r"(?i)\bone monthly payment\b", {"bucket": "1-payment"})],
                            known_columns=True)
    tables = Tables()
    tables.row_matrix(by_payments, [line("COLUMN_HEADER", "                     NUMBER OF   PRINCIPAL", 1),
                                    line("DELINQUENCY_HEADER", "DELINQUENCIES:         LOANS      BALANCE", 2)],
                      [line("ROW", " (A)  ONE MONTHLY PAYMENT:    2     239,542.04", 3)])
    assert [(f.concept, f.dims) for f in tables.facts.facts] == [
        ("delinquent_loan_count", {"bucket": "1-payment"}), ("delinquent_balance", {"bucket": "1-payment"})]
    ending = RowPattern(r"(?i)^class (\S+) ending balance$", {"class": "{1}"}, "ending_balance")
    components = RowMatrix(patterns=[ending],
                           column_dim="component", column_printed=True, last_header=True)
    tables = Tables()
    tables.row_matrix(components, [line("COLUMN_HEADER", "                               COMPONENTS", 1),
                                   line("COLUMN_HEADER", "                          ACCRUAL        NON-ACCRUAL", 2)],
                      [line("ROW", "CLASS A-8 ENDING BALANCE:  2,205,098.56      374,007.54", 3)])
    assert [f.dims for f in tables.facts.facts] == [{"component": "ACCRUAL", "class": "A-8"},
                                                    {"component": "NON-ACCRUAL", "class": "A-8"}]
