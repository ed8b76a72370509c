"""The concept dictionary: one dictionary by topic, synonyms beside each concept, match_label."""
from __future__ import annotations

import pytest

from trustc.compiler.concepts import CONCEPTS_DIR, DATA_DIR, concept, concepts, match_label, normalize_label


def test_one_dictionary_by_topic_no_file_per_layout():
    topics = {path.stem for path in CONCEPTS_DIR.glob("*.toml")}
    assert {"classes", "collateral", "delinquency", "credit_enhancement", "fees", "cover"} <= topics
    assert not list(DATA_DIR.glob("concepts*.toml"))  # the per-layout files are gone
    assert {c.topic for c in concepts().values()} == topics


@pytest.mark.parametrize("printed, expected", [
    ("Beg Bal", "beginning_balance"),             # us-bank column titles, abbreviations spelled out
    ("ORIG. BAL.", "original_balance"),
    ("Prin  Dist", "principal_distribution"),
    ("Int Short", "interest_shortfall"),
    ("Total Dist", "total_distribution"),
    ("Beginning Balanc", "pool_beginning_balance"),  # a 16-character cut
    ("Sched In(Net Ser", "scheduled_interest"),
    ("O/C Target Amt", "overcollateralization_target"),
    ("Curr. Amt of Prep. Prems", "prepayment_premiums"),
    ("PRIOR PRINCIPAL BALANCE", "beginning_balance"),  # bankers-trust
    ("Prepayments & Curtailments", "prepaid_principal"),
    ("Principal per $1,000", "principal_per_1000"),   # a label, thousands separator aside
    ("principal per 1000", "principal_per_1000"),
    ("Pool Trading Factor:", "pool_factor"),           # rfmsi, final colon aside
    ("SERVICING COMPENSATION RECEIVED BY SUB-SERVICER", "servicing_compensation"),
])
def test_match_label(printed, expected):
    assert match_label(printed) == expected


@pytest.mark.parametrize("printed", ["", "   ", "Class", "GROUP 1", "1,234.56", "Total Dist Per Widget"])
def test_no_match(printed):
    assert match_label(printed) is None


def test_every_label_and_synonym_names_its_concept():
    for c in concepts().values():
        for printed in c.synonyms:
            assert match_label(printed) == c.name, (c.name, printed)
        assert match_label(c.label) in (c.name, None), c.name  # None: two concepts' labels alike


def test_normalize_label():
    assert normalize_label("  Prin. Bal.  (Beg) ") == "principal balance beginning"
    assert normalize_label("Num. of Loans") == normalize_label("NUMBER OF LOANS")
    assert normalize_label("Amt/Pmt") == "amount payment"
    assert normalize_label("$1,000") == "1000"


def test_concept_lookup_unchanged():
    assert concept("original_balance").unit == "usd"
    with pytest.raises(KeyError):
        concept("no_such_concept")


def test_a_text_figure_must_have_its_concepts_form():
    """The reference's Total row prints 0.00 under Cusip: kept as printed, with no value and a warning."""
    from pathlib import Path

    import trustc

    compiled = trustc.compile_file(Path(__file__).parent.parent / "corpus/filings/absc-2003-he2_8k_2003-12-15.txt")
    total = next(c for c in compiled.statements[0].classes if c.name == "Total")
    cusip = total.figures["cusip"]
    assert (cusip.value, cusip.raw, cusip.span.line, cusip.span.column) == (None, "0.00", 167, 21)
    a1 = next(c for c in compiled.statements[0].classes if c.name == "A-1")
    assert a1.figures["cusip"].value == "04541GDP4"
    assert [d.code for d in compiled.diagnostics if d.span == cusip.span] == ["bad-figure"]
