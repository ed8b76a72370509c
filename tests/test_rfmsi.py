"""Residential Funding (RFMSI conduit, December 2000): one statement per pool, compiled end to end."""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from decimal import Decimal

import orjson
import pytest

import trustc
from trustc.emitters.json import statement as statement_data

from .conftest import FILINGS, ROOT
from .helpers import HEADING_DIGITS, numeric_tokens, unaccounted_tokens

LAYOUT_CODES = {"unparsed-line", "truncated-input", "bad-figure", "unplaced-figure", "unknown-label", "page-sequence", "pool-mismatch"}
RFMSI = str((FILINGS / "rfmsi-conduit_8k_2000-12-26.excerpt.txt").relative_to(ROOT))


@pytest.fixture(scope="module")
def compiled():
    return trustc.compile_file(RFMSI)


@pytest.fixture(scope="module")
def lines():
    return open(ROOT / RFMSI, encoding="utf-8").read().split("\n")


@pytest.fixture(scope="module")
def exhibit(compiled):
    (doc,) = [d for d in compiled.documents if d.layout == "rfmsi"]
    return doc


@pytest.fixture(scope="module")
def pools(compiled):
    return {s.pool: s for s in compiled.statements if s.format == "rfmsi"}


def facts_of(statement, concept, **dims):
    return [f for f in statement.facts if f.concept == concept and all(f.dims.get(k) == v for k, v in dims.items())]


def test_exhibit_detected_and_cover_left_to_form8k(compiled, exhibit):
    assert (exhibit.type, exhibit.sequence) == ("EX-1", 2)
    assert [d.layout for d in compiled.documents] == ["form-8k", "rfmsi"]


def test_exhibit_compiles_clean(compiled, exhibit):
    inside = lambda line: exhibit.first_line <= line <= exhibit.last_line  # noqa: E731
    assert [u for u in compiled.unparsed if inside(u.line)] == []
    assert [d for d in compiled.diagnostics if d.severity == "error" and d.span and inside(d.span.line)] == []


def test_one_statement_per_pool_heading(compiled, lines, exhibit):
    headings = [m.group(1) for t in lines[exhibit.first_line - 1 : exhibit.last_line]
                for m in [re.match(r"DISTRIBUTION SUMMARY FOR POOL#\s+(\d+)", t)] if m]
    # A pool printed on three pages repeats its summary heading on page 2.
    assert [s.pool for s in compiled.statements] == list(dict.fromkeys(headings))
    assert len(compiled.statements) == 60
    assert all(s.series and s.pool and s.format == "rfmsi" and s.document == 2 for s in compiled.statements)


def test_every_pool_goes_through_the_same_rules(compiled):
    # What every page 1 and every additional-information page prints, whatever the pool.
    always = {
        "original_balance", "beginning_balance", "principal_distribution", "interest_distribution",
        "total_distribution", "deferred_interest", "realized_loss", "ending_balance", "pass_through_rate",
        "beginning_balance_per_1000", "principal_per_1000", "interest_per_1000", "total_per_1000",
        "deferred_interest_per_1000", "ending_balance_per_1000", "determination_date", "servicing_compensation",
        "servicer_advances", "delinquent_loan_count", "delinquent_balance", "loan_count", "loan_balance",
        "pool_ending_balance", "loan_count_total", "reo_book_value", "subclass_interest_shortfall",
        "principal_shortfall", "interest_shortfall", "prepaid_principal", "repurchased_principal",
        "distribution_percentage", "prepayment_percentage", "loss_coverage_available",
        "weighted_average_gross_coupon", "weighted_average_remaining_term", "pool_factor",
    }
    for s in compiled.statements:
        assert always <= {f.concept for f in s.facts}, s.pool
        assert s.distribution_date is not None and s.distribution_date.value.year == 2000
        buckets = {f.dims["bucket"] for f in facts_of(s, "delinquent_balance")}
        assert buckets == {"1-payment", "2-payments", "3+-payments"}
        assert s.classes[-1].name == "Total"
        # every class row is re-joined from the three tables
        for balance in s.classes[:-1]:
            assert {"original_balance", "ending_balance", "ending_balance_per_1000"} <= set(balance.figures)


def test_single_class_pool_prints_no_class_name(pools):
    s = pools["2000"]
    assert s.series == "1989-SW1A" and str(s.distribution_date.value) == "2000-12-26"
    (only, total) = s.classes
    assert (only.name, only.printed_as, total.name) == ("(unnamed)", ("",), "Total")
    f = {k: v.value for k, v in only.figures.items()}
    assert f["cusip"] == "760920BK3" and f["original_balance"] == Decimal("42805537.40")
    assert f["ending_balance"] == Decimal("4781024.27") and f["ending_balance_per_1000"] == Decimal("111.691724")
    assert f["deferred_interest"] == Decimal("0.00") and f["beginning_balance_per_1000"] == Decimal("112.065355")


def test_percent_printed_apart_is_one_figure(pools, lines):
    rate = pools["2000"].classes[0].figures["pass_through_rate"]
    assert rate.value == Decimal("7.041267") and rate.raw == "7.041267  %" and rate.unit == "percent"
    s = rate.span
    assert lines[s.line - 1][s.column - 1 : s.end_column - 1] == "7.041267  %"


def test_three_page_pool_keeps_classes_across_pages(pools):
    s = pools["4052"]
    names = [c.name for c in s.classes]
    assert names[:3] == ["A-1", "A-2", "A-3"] and names[-3:] == ["M", "B", "Total"] and len(names) == 23
    b = s.classes[-2].figures
    assert b["ending_balance_per_1000"].value == Decimal("583.159479") and b["ending_balance_per_1000"].span.line > 1652
    assert "cusip" not in b  # class B prints no CUSIP
    assert s.classes[17].figures["next_pass_through_rate"].value == Decimal("0.1570")  # A-18's strip rate
    m = facts_of(s, "prepayment_percentage", tranche="class m")
    assert [f.value for f in m] == [Decimal("31.03448280")]


def test_additional_information(pools):
    s = pools["2000"]
    one = lambda c, **d: [f.value for f in facts_of(s, c, **d)]  # noqa: E731
    assert one("servicing_compensation", servicer="sub-servicer") == [Decimal("1996.34")]
    assert one("delinquent_loan_count", bucket="1-payment") == [Decimal("2")]
    assert one("delinquent_balance", bucket="2-payments") == [Decimal("71570.39")]
    assert one("loan_balance", status="foreclosure") == [Decimal("92666.18")]
    assert one("loan_count", status="reo") == [Decimal("0")]
    assert one("pool_ending_balance") == [Decimal("4781024.27")]
    assert one("loan_count_total") == [Decimal("46")]
    assert one("prepayment_percentage", tranche="subordinate") == [Decimal("100.00000000")]
    assert one("letter_of_credit_available") == [Decimal("7574948.12")]
    assert one("loss_coverage_available", coverage="special hazard") == [Decimal("715481.00")]
    assert one("weighted_average_remaining_term") == [Decimal("216.22")]
    assert one("pool_factor") == [Decimal("11.16917240")]
    (label,) = [f for f in s.facts if f.concept == "reo_book_value"]
    assert label.label.startswith("BOOK VALUE OF REAL ESTATE") and label.label_span.line < label.span.line


def test_components_indices_and_words(pools):
    pac = facts_of(pools["4080"], "principal_distribution", component="PAC II", **{"class": "A-8"})
    assert [(f.value, f.raw) for f in pac] == [(None, "N/A")]
    accrual = facts_of(pools["4083"], "ending_balance", component="NON-ACCRUAL")
    assert [f.value for f in accrual] == [Decimal("374007.54")]
    assert [f.dims["index"] for f in facts_of(pools["4090"], "index_rate")] == [
        "LIBOR", "1 YEAR TREASURY", "5 YEAR TREASURY"]
    (optimal,) = facts_of(pools["4059"], "optimal_percentage")
    assert optimal.value == "NOT APPLICABLE UNTIL CREDIT SUPPORT DEPLETION DATE"
    assert optimal.span.end_line == optimal.span.line + 1


def test_overflowed_field_is_null_with_a_warning(compiled, pools):
    overflow = facts_of(pools["2014"], "prepayment_percentage")
    assert [(f.value, f.raw) for f in overflow] == [(None, "***.******** %")] * 2
    warned = {d.span for d in compiled.diagnostics if d.code == "bad-figure"}
    assert {f.span for f in overflow} == warned


def test_repeated_page_keeps_both_copies(compiled, pools):
    factors = facts_of(pools["8013"], "pool_factor")
    assert [f.value for f in factors] == [Decimal("13.03810020")] * 2 and factors[0].span != factors[1].span
    repeated = [d for d in compiled.diagnostics if d.code == "page-sequence"]
    assert [d.severity for d in repeated] == ["warning", "warning"]


def test_every_numeric_token_of_the_exhibit_is_a_fact(compiled, lines, exhibit):
    tokens = list(numeric_tokens(lines, exhibit.first_line, exhibit.last_line))
    assert len(tokens) > 15000
    facts = list(compiled.facts())
    exact = {f.span for f in facts}
    # a percent printed apart, or a digit inside a label ("1 YEAR TREASURY INDEX:")
    wider = [f.span for f in facts if " " in f.raw] + [f.label_span for f in facts if f.label_span]
    left = [(s.line, t) for s, t in tokens if s not in exact and not any(w.covers(s) for w in wider)]
    headings = [(n, t) for n, t in left if not HEADING_DIGITS.search(lines[n - 1])]
    assert headings == []
    # what the heading exception takes: the run header's page numbers, the pool numbers, $1,000
    assert {re.sub(r"\d+", "N", " ".join(lines[n - 1].split())) for n, _t in left} == {
        "Page: N of N", "DISTRIBUTION SUMMARY FOR POOL# N", "ADDITIONAL RELATED INFORMATION FOR POOL N",
        "AMOUNTS PER $N,N UNIT"}
    assert list(unaccounted_tokens(compiled, lines, exhibit.first_line, exhibit.last_line)) == []


def test_truncated_exhibit_keeps_what_came_before_the_cut(lines):
    cut = next(i for i, t in enumerate(lines) if "DISTRIBUTION SUMMARY FOR POOL#   4027" in t) + 8
    again = trustc.compile_text("\n".join(lines[:cut]) + "\n", name="cut.txt")
    assert [s.pool for s in again.statements] == ["2000", "2001", "3118", "3119", "4027"]
    assert [c.name for c in again.statements[-1].classes] == ["A", "I"]  # the two rows printed before the cut
    assert [d.span.line for d in again.diagnostics if d.code == "truncated-input"][-1] == cut


def test_snapshot(compiled, exhibit, snapshot):
    """One line per pool with a hash of its whole JSON, the first pool in full, and the totals.

    The full JSON is 16,000 facts (about 9 MB); a pool's hash changes with any of its
    facts, and the pool lines say which pools a change touched.
    """
    lines = []
    for s in compiled.statements:
        data = orjson.dumps(statement_data(s), default=_default, option=orjson.OPT_SORT_KEYS)
        lines.append(f"{s.pool} {s.series} {s.distribution_date.value} classes={len(s.classes)} "
                     f"facts={len(s.facts)} sha256={hashlib.sha256(data).hexdigest()[:16]}")
    concepts = Counter(f.concept for f in compiled.facts())
    # the layout's own diagnostics; what the checks find in these figures is theirs to snapshot
    diagnostics = sorted(f"{d.severity} {d.code} line {d.span.line}" for d in compiled.diagnostics
                         if d.code in LAYOUT_CODES and exhibit.first_line <= d.span.line <= exhibit.last_line)
    summary = {
        "pools": lines,
        "facts": sum(concepts.values()),
        "concepts": dict(sorted(concepts.items())),
        "diagnostics": diagnostics,
        "first_pool": json.loads(orjson.dumps(statement_data(compiled.statements[0]), default=_default),
                                 parse_float=Decimal),
    }
    assert summary == snapshot


def _default(value):
    from trustc.emitters.json import _default as emit_default

    return emit_default(value)
