"""The CMBS certificate administrator's statement (CREFC style), on the corpus 10-D's HTML EX-99.1."""
from __future__ import annotations

import collections
import re
from decimal import Decimal

import pytest

import trustc
from trustc.compiler.ast import Span
from trustc.compiler.driver import detect_source, read_source

from .conftest import FILINGS

TEN_D = FILINGS / "cgcmt-2016-p5_10-d_2025-01-13.html.txt"
# A figure as the statement prints it: amounts, rates, dates, codes, a dash for zero.
TOKEN = re.compile(r"(?<![\w/.])[($-]?\$?\d[\d,]*(?:\.\d+)?%?\)?(?![\w/])|(?<!\S)-(?!\S)")


@pytest.fixture(scope="module")
def compiled():
    return trustc.compile_file(TEN_D)


@pytest.fixture(scope="module")
def statement(compiled):
    return next(s for s in compiled.statements if s.format == "cmbs-crefc")


def facts(statement, concept, **dims):
    return [f for f in statement.facts if f.concept == concept and all(f.dims.get(k) == v for k, v in dims.items())]


def one(statement, concept, **dims) -> Decimal:
    """The value of a figure (printed once, or on several pages with the same value)."""
    found = {f.value for f in facts(statement, concept, **dims)}
    assert len(found) == 1, (concept, dims, found)
    return found.pop()


def test_the_statement_is_detected_and_compiles_without_errors(compiled, statement):
    assert [d.layout for d in compiled.documents] == ["form-8k", "cmbs-crefc"]
    assert not compiled.has_errors, [d for d in compiled.diagnostics if d.severity == "error"]
    assert statement.series == "2016-P5" and str(statement.distribution_date.value) == "2025-01-13"
    assert compiled.unparsed == ()


def test_class_figures_use_the_shared_concepts(statement):
    assert one(statement, "original_balance", **{"class": "A-3"}) == Decimal("220000000.00")
    assert one(statement, "pass_through_rate", **{"class": "A-3"}) == Decimal("2.684000")
    assert one(statement, "interest_distribution", **{"class": "A-3"}) == Decimal("475952.34")
    assert one(statement, "principal_distribution", **{"class": "A-AB"}) == Decimal("889607.36")
    assert one(statement, "ending_balance", **{"class": "A-AB"}) == Decimal("10055979.59")
    assert one(statement, "non_cash_balance_change", **{"class": "X-A"}) == Decimal("-889607.36")
    assert one(statement, "principal_per_1000", **{"class": "A-AB"}) == Decimal("19.89194043")
    assert one(statement, "cusip", **{"class": "A-1"}) == "17325DAA1"  # printed in two cells
    # the beginning balance is printed in the summary and the principal detail: the same value
    assert {f.value for f in facts(statement, "beginning_balance", **{"class": "A-3"})} == {Decimal("212795383.23")}
    names = [c.name for c in statement.classes]
    assert names[:3] == ["A-1", "A-2", "A-3"] and "X-A" in names
    assert facts(statement, "ending_balance", class_group="all")[0].value == Decimal("1376963972.76")


def test_a_class_printing_two_cusips_gives_one_fact_for_each(compiled, statement):
    # "17325DAL7 U1737EAA2": the 144A and the Reg S CUSIP of class D, in print order
    assert [(f.value, f.dims["cusip_index"]) for f in facts(statement, "cusip", **{"class": "D"})] == [
        ("17325DAL7", "1"), ("U1737EAA2", "2")]
    assert [f.value for f in facts(statement, "cusip", **{"class": "S"})] == ["17325DAW3", "17325DAX1"]
    assert "cusip_index" not in facts(statement, "cusip", **{"class": "A-3"})[0].dims  # one CUSIP: no index
    assert next(c for c in statement.classes if c.name == "D").figures["cusip"].value == "17325DAL7"
    # classes E, F and G print "17325DAN3 U1737EAB0 U1737EAB0 / 173": the repeat is the same CUSIP,
    # "173" one cut short, which stays a fact of no value and the one warning left
    bad = [d for d in compiled.diagnostics if d.code == "bad-figure"]
    assert [d.message for d in bad] == ["'CUSIP': '173' is not a CUSIP (nine letters and digits)"] * 3
    assert [f.raw for f in facts(statement, "cusip", **{"class": "E"})] == ["17325DAN3", "U1737EAB0", "173"]


def test_loan_tables_carry_the_prospectus_loan_id(statement):
    # loan 11 is split: note A31 of it is in the trust (MORTGAGE LOAN DETAIL, servicer loan 30311379)
    ending = [f for f in facts(statement, "loan_ending_balance", loan="11") if "distribution_date" not in f.dims]
    assert {f.value for f in ending} == {Decimal("27003428.88")}
    assert one(statement, "loan_appraisal_reduction_amount", loan="10", distribution_date="1/13/2025") == \
        Decimal("20575821.41")
    assert one(statement, "loans_listed", loan="Total", table="MORTGAGE LOAN DETAIL") == 47
    assert one(statement, "strat_loan_count", bucket="Total", table="State") == 48
    assert one(statement, "delinquent_balance", bucket="120+", distribution_date="01/13/2025") == Decimal("48307653")
    assert one(statement, "funds_total_funds_available") == Decimal("3360290.03")
    assert one(statement, "funds_withdrawal_of_withheld_amounts_from_the_interest_reserve_account") is None


def test_every_figure_of_the_statement_is_a_fact(compiled):
    """A numeric token walk over the rendered statement: each token is a fact's span, or one of the exceptions."""
    choice = next(c for c in detect_source(read_source(TEN_D)) if c.document.layout == "cmbs-crefc")
    rendering = choice.rendering
    covered = collections.defaultdict(list)
    for fact in compiled.facts():
        covered[fact.span.line].append((fact.span.column, fact.span.end_column))
    missed = []
    for number, line in enumerate(rendering.lines, 1):
        for m in TOKEN.finditer(line):
            span = rendering.source_span(Span(number, m.start() + 1, number, m.end() + 1))
            if not any(a <= span.column < b for a, b in covered[span.line]):
                missed.append((line, m.group()))
    exceptions = {
        "page footers (version, page n of 45, copyright year)": lambda line, t: "Reports Available at" in line,
        "title lines (2016-P5) and the date under each title": lambda line, t: bool(
            re.search(r"Trust 2016-P5|Series 2016-P5|^\s*[A-Z][a-z]+ \d{1,2}, \d{4}\s*$", line)),
        "section titles (the dash of 'DISTRIBUTION SUMMARY - FACTORS')": lambda line, t: t == "-" and line.isupper(),
        "column-title legend codes (1)-(5)": lambda line, t: bool(re.fullmatch(r"\(\d\)", t)),
        "class names (the 1 of A-1: a label, the class dimension)": lambda line, t: bool(
            re.match(r"\s*[A-Z]+-?[A-Z0-9]*\s", line)) and t.isdigit() and len(t) <= 2,
        "page 1: table of contents, phone numbers, addresses": lambda line, t: bool(
            re.match(r"\s*\d+(\.\d)?\s+\.\s|\s*\(212\)|.*Greenwich|.*NY 10013", line)),
        "legends and notes pages": lambda line, t: bool(re.match(r"\s*(1\||[A-Z]{2}\s+[A-Z]|\d+\s+[A-Z])", line)),
    }
    unexplained = [(line.strip()[:100], t) for line, t in missed
                   if not any(rule(line, t) for rule in exceptions.values())]
    total = sum(1 for line in rendering.lines for _ in TOKEN.finditer(line))
    assert total > 5000
    assert len(unexplained) <= 40, unexplained[:20]  # see the closing note of issue 12: one rendered page


def test_snapshot_of_the_class_figures_and_the_facts_per_concept(statement, snapshot):
    """The classes' figures in full, and how many facts of each concept (with which dimensions) the rest has."""
    lines = []
    for fact in statement.facts:
        if "class" in fact.dims or "class_group" in fact.dims:
            dims = ",".join(f"{k}={v}" for k, v in sorted(fact.dims.items()))
            lines.append(f"{fact.span.line}:{fact.span.column} {fact.concept} [{dims}] {fact.raw!r} = {fact.value}")
    counts = collections.Counter(
        (f.concept, ",".join(sorted(f.dims))) for f in statement.facts if "class" not in f.dims
        and "class_group" not in f.dims)
    lines += [f"{concept} [{dims}]: {n}" for (concept, dims), n in sorted(counts.items())]
    assert "\n".join(lines) == snapshot
