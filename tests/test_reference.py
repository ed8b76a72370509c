"""The reference filing (US Bank, ABSC 2003-HE2) compiled end to end."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

import trustc
from trustc.cli import main

from .helpers import numeric_tokens, unaccounted_tokens


@pytest.fixture(scope="module")
def compiled(reference_path):
    return trustc.compile_file(reference_path)


@pytest.fixture(scope="module")
def statement(compiled):
    assert len(compiled.statements) == 1
    return compiled.statements[0]


def classes(statement):
    return {c.name: c for c in statement.classes}


def test_compiles_clean(compiled):
    assert compiled.unparsed == ()
    assert [d for d in compiled.diagnostics if d.severity == "error"] == []


def test_cli_exit_zero_and_json_on_stdout(reference_path, capsys):
    assert main(["compile", reference_path]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["unparsed"] == []
    assert data["statements"][0]["distribution_date"] == "2003-12-15"


def test_cover(compiled):
    f = {k: v.value for k, v in compiled.cover.fields.items()}
    assert f["form_type"] == "8-K"
    assert str(f["report_date"]) == "2003-12-15"
    assert f["registrant"].startswith("Asset Backed Securities Corporation, Home Equity Loan Trust, Series 2003-HE2")
    assert (f["state_of_incorporation"], f["commission_file_number"], f["irs_employer_id"]) == (
        "New York", "333-86750", "13-3354848")
    assert f["address"] == "11 Madison Avenue, 5th Floor, New York, New York"
    assert (f["zip"], f["phone"]) == ("10010", "(212) 325-2000")
    assert compiled.cover.missing == ()
    answers = {a["letter"]: a["answer"] for a in compiled.cover.items[0]["answers"]}
    assert answers["C"] == "NONE" and answers["F"] == "NOT APPLICABLE"
    assert compiled.cover.exhibits[0]["number"] == "1"


def test_signature(compiled):
    (sig,) = compiled.signatures
    assert sig.fields["name"].value == "Sheryl Christopherson"
    assert sig.fields["title"].value == "Vice President"
    assert sig.fields["capacity"].value == "US Bank, NA, as Trustee"


def test_class_a1_rejoined_from_every_block(statement):
    a1 = {k: f.value for k, f in classes(statement)["A-1"].figures.items()}
    assert a1 == {
        "original_balance": Decimal("397000000"), "beginning_balance": Decimal("328979574"),
        "principal_distribution": Decimal("14313806"), "pass_through_rate": Decimal("1.50000"),
        "interest_distribution": Decimal("383810"), "realized_loss": None,
        "total_distribution": Decimal("14697615"), "interest_shortfall": Decimal("0"),
        "ending_balance": Decimal("314665768"), "cusip": "04541GDP4",
        "principal_per_1000": Decimal("36.05493"), "interest_per_1000": Decimal("0.96677"),
        "total_per_1000": Decimal("37.02170"), "interest_carryforward_per_1000": Decimal("0.00000"),
        "ending_balance_per_1000": Decimal("792.60899"),
        "unpaid_interest_shortfall": Decimal("0.00"), "realized_loss_interest_shortfall": Decimal("0.00"),
        "prepayment_interest_shortfall": Decimal("0.00"), "relief_act_interest_shortfall": Decimal("0.00"),
        "net_wac_rate_carryover": Decimal("0.00"),
    }


def test_realized_loss_na_keeps_raw(statement):
    fact = classes(statement)["A-1"].figures["realized_loss"]
    assert fact.value is None and fact.raw == "N/A"


def test_bio_resolves_to_b_io_and_keeps_printed_form(statement):
    b_io = classes(statement)["B-IO"]
    assert b_io.printed_as == ("BIO",)
    assert "net_wac_rate_carryover" in b_io.figures
    assert "BIO" not in classes(statement)


def test_per_1000_end_block_stops_at_r(statement):
    by_name = classes(statement)
    assert "ending_balance_per_1000" in by_name["R"].figures
    assert "ending_balance_per_1000" not in by_name["B-IO"].figures
    assert "ending_balance_per_1000" not in by_name["Total"].figures


def test_position_joined_block(statement):
    # The Rate/Int block has no class column: its 10th row is P's.
    p = classes(statement)["P"].figures
    assert p["pass_through_rate"].raw == "N/A" and p["interest_distribution"].value == Decimal("401118")


def test_group_and_bucket_dims(statement):
    facts = {(f.concept, tuple(sorted(f.dims.items()))): f for f in statement.facts}
    assert facts[("net_liquidation_proceeds", (("group", "1"),))].value == Decimal("-779")
    assert facts[("delinquent_balance", (("bucket", "30-59"), ("group", "2")))].raw == "5857826.76"
    assert facts[("delinquent_balance", (("bucket", "90+"), ("group", "total")))].value == Decimal("3042968.8")
    assert facts[("reo_market_value", (("group", "1"), ("status", "reo")))].value == Decimal("307000")
    assert facts[("termination_test_failed", ())].value is False


def test_every_numeric_token_of_the_statement_is_a_fact(compiled, reference_path):
    lines = open(reference_path, encoding="utf-8").read().split("\n")
    first = next(i for i, t in enumerate(lines, 1) if "STATEMENT TO CERTIFICATEHOLDERS" in t)
    last = next(i for i, t in enumerate(lines, 1) if t.strip() == "SIGNATURES")
    tokens = list(numeric_tokens(lines, first, last))
    assert len(tokens) > 350
    exact = {f.span for f in compiled.facts()}
    # Every figure is a fact of its own, but digits that are part of a heading or label.
    leftovers = [(s.line, t) for s, t in tokens if s not in exact]
    assert leftovers == [
        (150, "$1,000"),  # AMOUNTS PER $1,000 UNIT
        (201, "1"), (201, "2"), (234, "1"), (234, "2"),  # GROUP 1 / GROUP 2
        (238, "90"), (246, "90"),  # "90 + days delinq"
        (250, "1"), (257, "2"),  # GROUP 1 / GROUP 2
    ]
    assert list(unaccounted_tokens(compiled, lines, first, last)) == []


def test_json_numbers_keep_printed_digits(compiled):
    text = trustc.emit(compiled, "json")
    assert '"value": 5857826.76' in text and '"value": 3042968.8' in text and '"value": -779' in text


def test_compile_text_matches_compile_file(compiled, reference_path):
    text = open(reference_path, encoding="utf-8").read()
    again = trustc.compile_text(text, name=reference_path)
    assert [(f.concept, f.value, f.span) for f in again.facts()] == [
        (f.concept, f.value, f.span) for f in compiled.facts()]


def test_json_snapshot(compiled, snapshot):
    assert trustc.emit(compiled, "json") == snapshot
