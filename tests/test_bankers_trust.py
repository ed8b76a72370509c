"""The Bankers Trust layout on Aames Capital 1998-C (EDGAR submission, EX-20.1, six pages)."""
from __future__ import annotations

import datetime
import random
import re
from decimal import Decimal

import pytest

import trustc

from .conftest import FILINGS, ROOT
from .helpers import numeric_tokens, unaccounted_tokens

AAMES = str((FILINGS / "aames-1998-c_8k_1998-12-15.sgml.txt").relative_to(ROOT))


@pytest.fixture(scope="module")
def compiled():
    return trustc.compile_file(AAMES)


@pytest.fixture(scope="module")
def exhibit(compiled):
    (doc,) = [d for d in compiled.documents if d.type == "EX-20.1"]
    return doc


@pytest.fixture(scope="module")
def statement(compiled):
    (statement,) = compiled.statements
    return statement


def facts(statement, concept, **dims):
    return [f for f in statement.facts if f.concept == concept and all(f.dims.get(k) == v for k, v in dims.items())]


def the(statement, concept, **dims):
    (fact,) = facts(statement, concept, **dims)
    return fact


def test_exhibit_is_compiled_by_this_layout(compiled, exhibit, statement):
    assert exhibit.layout == "bankers-trust"
    assert statement.format == "bankers-trust" and statement.document == 2
    assert statement.series == "1998-C"
    assert statement.distribution_date.value == datetime.date(1998, 12, 15)


def test_exhibit_compiles_clean(compiled, exhibit):
    inside = lambda line: exhibit.first_line <= line <= exhibit.last_line  # noqa: E731
    assert [u for u in compiled.unparsed if inside(u.line)] == []
    assert [d for d in compiled.diagnostics if d.span is None or inside(d.span.line)] == []


def test_classes_of_both_remics_in_printed_order(statement):
    assert [c.name for c in statement.classes] == [
        "I-1F", "I-2F", "I-3F", "I-4F", "I-5F", "I-6F", "I-MF", "I-1A", "I-2A", "I-MA", "R-I",
        "A-1F", "A-2F", "A-3F", "A-4F", "A-5F", "A-6F", "A-1A", "A-2A", "C", "R-II",
    ]


def test_class_rejoined_from_distribution_factor_and_interest_tables(statement):
    a1f = {k: f.value for k, f in next(c for c in statement.classes if c.name == "A-1F").figures.items()}
    assert a1f == {
        "original_balance": Decimal("118400000.00"), "beginning_balance": Decimal("113781143.26"),
        "interest_distribution": Decimal("591567.13"), "principal_distribution": Decimal("3600398.47"),
        "total_distribution": Decimal("4191965.60"), "realized_loss": Decimal("0.00"),
        "deferred_interest": Decimal("0.00"), "ending_balance": Decimal("110180744.79"), "cusip": "00253CFD4",
        "beginning_balance_per_1000": Decimal("960.989386"), "interest_per_1000": Decimal("4.996344"),
        "principal_per_1000": Decimal("30.408771"), "total_per_1000": Decimal("35.405115"),
        "ending_balance_per_1000": Decimal("930.580615"), "pass_through_rate": Decimal("6.239000"),
        "next_pass_through_rate": Decimal("6.239000"),
        "prior_accrued_certificate_interest": Decimal("606282.02"),
        "accrued_certificate_interest": Decimal("591567.13"),
        "prior_interest_carryforward": Decimal("0.00"), "interest_carryforward": Decimal("0.00"),
    }


def test_remic_dimension_and_totals_rows(statement):
    assert the(statement, "ending_balance", **{"class": "I-MF"}).dims == {"class": "I-MF", "remic": "I"}
    assert the(statement, "cusip", **{"class": "A-2A"}).dims == {"class": "A-2A", "remic": "II"}
    assert the(statement, "deferred_interest", **{"class": "C"}).value == Decimal("1833007.72")
    totals = [f for f in statement.facts if f.concept == "ending_balance" and "class" not in f.dims]
    assert [(f.dims, f.value) for f in totals] == [
        ({"remic": "I"}, Decimal("640191948.34")), ({"remic": "II"}, Decimal("640393402.90"))]
    # REMIC I classes print no CUSIP: the factor columns are still placed by position
    assert facts(statement, "cusip", remic="I") == []
    assert the(statement, "beginning_balance_per_1000", **{"class": "I-2F"}).raw == "1,000.000000"


def test_delinquency_by_group_bucket_and_status(statement):
    assert the(statement, "delinquent_balance", group="fixed", bucket="30-59").value == Decimal("8802302.47")
    assert the(statement, "delinquent_loan_count", group="adj", bucket="total").value == Decimal("104")
    assert the(statement, "delinquent_balance_percentage", group="fixed", bucket="90+").raw == "0.01419%"
    assert the(statement, "loan_count", group="fixed", bucket="60-89", status="foreclosure").value == 33
    assert the(statement, "loan_balance", group="adj", bucket="90+", status="bankruptcy").value == Decimal("35973.90")
    assert the(statement, "loan_count_percentage", group="adj", bucket="total", status="total").raw == "5.88466%"
    assert len(facts(statement, "loan_balance", status="reo")) == 8


def test_group_tables(statement):
    assert the(statement, "delinquent_interest", group="total").value == Decimal("-838007.00")
    assert the(statement, "total_principal_remittance", group="adj").value == Decimal("2242465.40")
    assert the(statement, "total_sources", group="total").value == Decimal("9835561.08")
    assert the(statement, "pool_ending_loan_count", group="total").value == Decimal("8345")
    assert the(statement, "pool_factor", group="adj").raw == "98.27751%"
    # printed under FIXED GROUP and ADJ GROUP only
    assert {f.dims["group"] for f in facts(statement, "weighted_average_remaining_term")} == {"fixed", "adj"}
    assert the(statement, "delinquency_trigger_event", group="adj").value is False
    assert the(statement, "overcollateralization_target", group="adj").value == Decimal("16510000.00")
    assert the(statement, "total_remittance_due").value == Decimal("9835561.08")
    assert the(statement, "insurer_premium_paid").value == Decimal("74855.52")


def test_parties_block_printed_twice_keeps_both(statement):
    sellers = facts(statement, "seller")
    assert [f.value for f in sellers] == ["Aames Capital Corporation"] * 2
    assert [f.span.line for f in sellers] == [242, 327]
    assert {f.value for f in facts(statement, "underwriter")} == {"NationsBanc Montgomery Securities LLC"}
    assert [f.value for f in facts(statement, "record_date")] == [datetime.date(1998, 11, 30)] * 2
    assert [f.value for f in facts(statement, "administrator_address") if f.span.line < 250] == [
        "Bankers Trust Company", "3 Park Plaza", "Irvine, CA 92614"]
    assert facts(statement, "factor_information_phone")[0].value == "(800) 735-7777"
    # the page headers of pages 3-6 print the distribution date again
    assert len(facts(statement, "distribution_date")) == 6


def test_every_numeric_token_of_the_exhibit_is_a_fact(compiled, exhibit):
    lines = open(AAMES, encoding="utf-8").read().split("\n")
    tokens = list(numeric_tokens(lines, exhibit.first_line, exhibit.last_line))
    assert len(tokens) > 650
    exact = {f.span for f in compiled.facts()}
    leftovers = [(s.line, t) for s, t in tokens if s not in exact]
    # digits of headings, page footers, and of the dates, addresses and phone numbers of text facts
    headings = [(166, "20.1"), (214, "$1000"), (299, "$1000"), (355, "1"), (355, "2"), (535, "$1000")]
    footers = [(n, t) for n in (248, 333, 428, 505, 585, 666) for t in (lines[n - 1].split()[1], lines[n - 1].split()[3], "1998")]
    in_text_facts = {(s.line, t) for s, t in tokens for f in compiled.facts()
                     if f.unit in ("text", "date") and f.span.covers(s)}
    assert sorted(t for t in leftovers if t not in in_text_facts) == sorted(headings + footers)
    assert list(unaccounted_tokens(compiled, lines, exhibit.first_line, exhibit.last_line)) == [
        (s, t) for s, t in tokens if (s.line, t) in set(headings + footers)]


@pytest.mark.parametrize("cut", [179, 214, 263, 305, *range(190, 668, 40)])
def test_cut_short_keeps_what_came_before(cut):
    lines = open(AAMES, encoding="utf-8").read().split("\n")[:cut]
    compiled = trustc.compile_text("\n".join(lines), name="cut.txt")
    # a cut between two pages is a complete report; elsewhere the cut is the one error
    assert {d.code for d in compiled.diagnostics if d.severity == "error"} <= {"truncated-input"}
    headings = {(166, "20.1"), (214, "$1000"), (299, "$1000"), (355, "1"), (355, "2"), (535, "$1000")}
    lost = [(s.line, t) for s, t in unaccounted_tokens(compiled, lines, 161, cut)
            if (s.line, t) not in headings and "Page" not in lines[s.line - 1]]
    assert lost == []


# 23, 34, 45 and 49 once lost figures: a damaged table let its rows be read as title text
@pytest.mark.parametrize("seed", [*range(8), 23, 34, 45, 49])
def test_damaged_exhibit_loses_no_figure(seed):
    """Lines of the exhibit deleted, duplicated, swapped or cut: every figure is still a fact,
    part of a label, named by a diagnostic, or in an unparsed line (never swallowed as text)."""
    rng = random.Random(seed)
    lines = open(AAMES, encoding="utf-8").read().split("\n")
    for _ in range(rng.randint(1, 3)):
        i, j = rng.randrange(165, 660), rng.randrange(165, 660)
        kind = rng.choice(["swap", "delete", "duplicate", "cut"])
        if kind == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        else:
            lines[i] = lines[i][: len(lines[i]) // 2]
    compiled = trustc.compile_text("\n".join(lines), name="damaged.txt")
    assert "internal-error" not in {d.code for d in compiled.diagnostics}
    headings = re.compile(r"EXHIBIT|\$1000|Page\s+\d+\s+of|COPYRIGHT|^\s*1\s+2\s+3\+")
    lost = [(s.line, t) for s, t in unaccounted_tokens(compiled, lines, 161, len(lines))
            if not headings.search(lines[s.line - 1])]
    assert lost == []


def test_edgar_markup_does_not_break_a_table(statement):
    # line 182 is "<S> <C> ..." between the column titles and the rows of the REMIC I table
    assert the(statement, "original_balance", **{"class": "I-1F"}).span.line == 183


def test_json_snapshot(compiled, snapshot):
    assert trustc.emit(compiled, "json") == snapshot
