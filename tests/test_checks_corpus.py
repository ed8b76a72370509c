"""What the checks say about every complete corpus filing, each finding investigated by hand.

The reference: the two per-$1,000 anomalies (P, R). Aames 1998-C: nothing. RFMSI: two
subordinate classes whose balance falls by more than principal with no loss printed, five
pools whose collateral differs from the certificates by a few cents, and subordinate
classes whose per-$1,000 principal and interest split the distribution a few cents
differently from the amounts. docs/checks.md gives the arithmetic of each.
"""
from __future__ import annotations

from collections import Counter

import pytest

from trustc.compiler.checks import CHECKS

from .helpers import compiled

CODES = {check.id for check in CHECKS}
FILINGS = ["corpus/filings/absc-2003-he2_8k_2003-12-15.txt", "corpus/filings/aames-1998-c_8k_1998-12-15.sgml.txt",
           "corpus/filings/rfmsi-conduit_8k_2000-12-26.excerpt.txt"]


def findings(path):
    return [d for d in compiled(path).diagnostics if d.code in CODES]


@pytest.mark.parametrize("path", FILINGS)
def test_check_findings_snapshot(path, snapshot):
    assert [(d.severity, d.code, d.span.line, d.span.column, d.message) for d in findings(path)] == snapshot


def test_what_the_checks_find_in_the_residential_funding_excerpt():
    found = [d for d in findings(FILINGS[2]) if d.severity == "warning"]
    by_code = Counter(d.code for d in found)
    assert by_code == {"per-1000": 26, "overcollateralization": 5, "class-roll-forward": 4}
    # Only subordinate classes print per-$1,000 figures that their amounts do not give.
    assert {d.message.split(":")[0] for d in found if d.code == "per-1000"} == {"B", "B-1", "B-2", "B-3"}
    roll = [d.message.split(":")[0] for d in found if d.code == "class-roll-forward"]
    assert roll == ["B", "Total", "B-2", "Total"]


def test_the_bankers_trust_filing_adds_up():
    assert [d for d in findings(FILINGS[1]) if d.severity != "info"] == []
