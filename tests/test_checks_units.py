"""Checks on small statements built in the test: what the reference filing does not print."""
from __future__ import annotations

import itertools
from decimal import Decimal

import pytest

from trustc.compiler.ast import Fact, Span, Statement
from trustc.compiler.checks import CHECKS, check_statement
from trustc.compiler.concepts import concepts

_line = itertools.count(1)


def fact(name: str, raw: str, unit: str | None = None, **dims: str) -> Fact:
    line = next(_line)
    value = None if raw == "N/A" else Decimal(raw.replace(",", ""))
    if unit is None:  # concepts other layouts add to the dictionary, named as the checks' data names them
        known = concepts().get(name)
        unit = known.unit if known else ("usd_per_1000" if name.endswith("_per_1000") else "usd")
    return Fact(name, name, value, unit, raw, Span(line, 1, line, len(raw) + 1), dims)


def klass(name: str, **figures: str) -> list[Fact]:
    return [fact(concept_name, raw, **{"class": name}) for concept_name, raw in figures.items()]


def run(*facts: Fact | list[Fact], only: str | None = None):
    flat = [f for item in facts for f in (item if isinstance(item, list) else [item])]
    statement = Statement("test", "", None, (), tuple(flat))
    checks = [c for c in CHECKS if only is None or c.id == only]
    return list(check_statement(statement, checks))


def warnings(diags):
    return [d for d in diags if d.severity == "warning"]


def test_roll_forward_adds_deferred_interest():
    # Aames REMIC II class C: 3,532,291.89 + deferred interest 1,833,007.72 = 5,365,299.61
    c = klass("C", beginning_balance="3,532,291.89", principal_distribution="0.00", realized_loss="0.00",
              deferred_interest="1,833,007.72", ending_balance="5,365,299.61")
    assert run(c, only="class-roll-forward") == []
    bad = klass("C", beginning_balance="3,532,291.89", principal_distribution="0.00",
                deferred_interest="1,833,007.72", ending_balance="5,365,299.71")
    (d,) = run(bad, only="class-roll-forward")
    assert "difference 0.10, tolerance ±0.02" in d.message and len(d.related) == 3


@pytest.mark.parametrize("figures, rule", [
    (dict(original_balance="1,000", beginning_balance="900", principal_distribution="0", ending_balance="800"),
     "its balance falls while no principal is paid"),
    (dict(original_balance="0", beginning_balance="0", principal_distribution="0", interest_distribution="8,068.35",
          ending_balance="5"), "it is paid interest without ever having a balance"),
])
def test_notional_classes_are_recognised_from_their_figures(figures, rule):
    (d,) = run(klass("S", **figures), only="class-roll-forward")
    assert d.severity == "info" and rule in d.message


def test_a_class_with_principal_that_misses_its_balance_is_a_finding_not_a_notional():
    (d,) = run(klass("A", beginning_balance="900", principal_distribution="50", ending_balance="800"),
               only="class-roll-forward")
    assert d.severity == "warning" and "expected 850, printed 800; difference -50, tolerance ±1.5" in d.message


def test_per_1000_of_a_notional_class_without_a_printed_notional_is_not_checked():
    s = klass("S", original_balance="0.00", beginning_balance="0.00", interest_distribution="8,068.35",
              interest_per_1000="0.044621", beginning_balance_per_1000="97.134943")
    assert warnings(run(s, only="per-1000")) == []
    r = klass("R", original_balance="0", ending_balance="0", ending_balance_per_1000="1000.00000")
    (d,) = run(r, only="per-1000")
    assert "no original balance" in d.message


def test_totals_row_coverage_is_found_and_noted():
    rows = [klass("A", ending_balance="100"), klass("B", ending_balance="200"), klass("A-IO", ending_balance="5000"),
            klass("Z", ending_balance="40"), klass("Total", ending_balance="300")]
    (note,) = run(*rows, only="class-totals")
    # A-IO is left out as a notional class (a named coverage), Z because the figures say so
    assert note.severity == "info" and "every class but A-IO, Z" in note.message
    rows[-1] = klass("Total", ending_balance="340")
    (note,) = run(*rows, only="class-totals")
    assert "notional ones (A-IO)" in note.message
    rows[-1] = klass("TOTALS", ending_balance="345")  # off by more than the ±2 of four figures
    (finding,) = warnings(run(*rows, only="class-totals"))
    assert "nor of any set leaving out at most" in finding.message and finding.span == rows[-1][0].span


def test_delinquency_buckets_add_up_to_their_total_bucket():
    def table(total_balance: str, total_percent: str):
        return [fact("delinquent_balance", "8,802,302.47", group="fixed", bucket="30-59"),
                fact("delinquent_balance", "1,920,506.60", group="fixed", bucket="60-89"),
                fact("delinquent_balance", "54,600.00", group="fixed", bucket="90+"),
                fact("delinquent_balance", total_balance, group="fixed", bucket="total"),
                fact("delinquent_percentage", "2.28827", "percent", group="fixed", bucket="30-59"),
                fact("delinquent_percentage", "0.49926", "percent", group="fixed", bucket="60-89"),
                fact("delinquent_percentage", "0.01419", "percent", group="fixed", bucket="90+"),
                fact("delinquent_percentage", total_percent, "percent", group="fixed", bucket="total")]

    assert run(*table("10,777,409.07", "2.80173"), only="delinquency-total") == []
    (d,) = run(*table("10,777,409.17", "2.80173"), only="delinquency-total")
    assert d.message.startswith("bucket total (group fixed): delinquent balance is not the sum of the other buckets")
    assert "difference 0.10" in d.message
    (d,) = run(*table("10,777,409.07", "2.80183"), only="delinquency-total")
    assert "expected 2.80172, printed 2.80183; difference 0.00011, tolerance ±0.00002" in d.message


def test_a_figure_printed_twice_must_agree():
    same = [fact("pool_ending_balance", "4,781,024.27", group="1"), fact("pool_ending_balance", "4,781,024.27", group="1")]
    assert run(*same, only="repeated-figure") == []
    other = [same[0], fact("pool_ending_balance", "4,781,024.72", group="1")]
    (d,) = run(*other, only="repeated-figure")
    assert d.span == other[1].span and d.related == (other[0].span,)


def test_collateral_sums_over_groups_or_matches_an_ungrouped_figure():
    groups = [fact("pool_ending_balance", "404,760,941", group="1"), fact("pool_ending_balance", "217,781,741", group="2"),
              fact("pool_ending_balance", "999", group="total")]  # the total column is group-total's business
    assert run(fact("aggregate_collateral_balance", "622,542,681"), *groups, only="collateral-balance") == []
    (d,) = run(fact("aggregate_collateral_balance", "622,542,699"), *groups, only="collateral-balance")
    assert "group 1 404,760,941 + group 2 217,781,741" in d.message
    lone = fact("pool_ending_balance", "622,542,681")
    assert run(fact("aggregate_collateral_balance", "622,542,681"), lone, only="collateral-balance") == []


def test_checks_apply_only_where_their_figures_are_printed():
    assert run(fact("servicing_fee", "267,501")) == []
    assert run(klass("A", beginning_balance="900")) == []


def test_a_totals_row_printed_without_a_class_is_checked_against_the_classes_of_its_scope():
    # Bankers Trust: the TOTALS row of REMIC I is a fact of {remic: I}, not of a class
    rows = [fact("ending_balance", "1,130,704.28", **{"class": "I-1F", "remic": "I"}),
            fact("ending_balance", "803,000.00", **{"class": "I-2F", "remic": "I"}),
            fact("ending_balance", "0.00", **{"class": "R-I", "remic": "I"}),
            fact("ending_balance", "5.00", **{"class": "A", "remic": "II"})]
    assert run(*rows, fact("ending_balance", "1,933,704.28", remic="I"), only="class-totals") == []
    (d,) = run(*rows, fact("ending_balance", "1,933,714.28", remic="I"), only="class-totals")
    assert d.message.startswith("totals row (remic I): ending balance is not the sum")
    assert "difference 10.00, tolerance ±0.02" in d.message and len(d.related) == 3


def test_the_total_per_1000_is_the_sum_of_its_parts_not_a_ratio_of_its_own():
    # RFMSI pool 2000: 0.373631 + 0.657568 = 1.031199, though 44,141.06 / 42,805.5374 = 1.0311998
    pool = klass("(unnamed)", original_balance="42,805,537.40", principal_distribution="15,993.49",
                 interest_distribution="28,147.57", total_distribution="44,141.06", principal_per_1000="0.373631",
                 interest_per_1000="0.657568", total_per_1000="1.031199")
    assert warnings(run(pool)) == []
    pool[-1] = fact("total_per_1000", "1.031209", **{"class": "(unnamed)"})
    (d,) = warnings(run(pool))
    assert d.code == "distribution-total" and "difference 0.000010" in d.message


def test_pool_factor_is_the_collateral_over_the_certificates_original_balance():
    # RFMSI pool 2000: 4,781,024.27 / 42,805,537.40 × 100 = 11.16917240
    pool = [*klass("(unnamed)", original_balance="42,805,537.40", ending_balance="4,781,024.27"),
            *klass("Total", original_balance="42,805,537.40", ending_balance="4,781,024.27"),
            fact("pool_ending_balance", "4,781,024.27")]
    assert run(*pool, fact("pool_factor", "11.16917240"), only="pool-factor") == []
    (d,) = run(*pool, fact("pool_factor", "11.16917340"), only="pool-factor")
    assert "expected 11.169172402, printed 11.16917340; difference 0.000000998" in d.message


def test_collateral_without_a_printed_overcollateralization_is_the_certificates():
    classes = [*klass("A", ending_balance="17,563,644.47"), *klass("S", original_balance="0.00",
               beginning_balance="0.00", interest_distribution="8,068.35", ending_balance="0.00"),
               *klass("R", ending_balance="0.00")]
    assert run(*classes, fact("pool_ending_balance", "17,563,644.47"), only="overcollateralization") == []
    collateral = fact("pool_ending_balance", "17,563,644.62")
    (d,) = run(*classes, collateral, only="overcollateralization")
    assert d.span == collateral.span and "does not print (taken as 0)" in d.message
    assert "expected 17,563,644.47, printed 17,563,644.62; difference 0.15, tolerance ±0.01" in d.message
