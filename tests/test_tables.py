"""The table engine: one behaviour in every layout (an unknown label or column is one diagnostic naming the
whole row), and a layout as data (us-bank is a grammar plus a spec, no Python)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from lark import Token

import trustc
from trustc.compiler.layout import get_layout
from trustc.compiler.spec import SpecLayout
from trustc.compiler.tables import Row

FILINGS = Path(__file__).resolve().parent.parent / "corpus" / "filings"
US_BANK = FILINGS / "absc-2003-he2_8k_2003-12-15.txt"
BANKERS = FILINGS / "aames-1998-c_8k_1998-12-15.sgml.txt"
RFMSI = FILINGS / "rfmsi-conduit_8k_2000-12-26.excerpt.txt"


def damaged(path: Path, line: int, old: str, new: str) -> tuple[str, str]:
    """The filing with `old` replaced by `new` on 1-based `line`; the damaged line."""
    lines = path.read_text(encoding="latin-1").split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines), lines[line - 1]


@pytest.mark.parametrize("path, line, old, new, concept", [
    (US_BANK, 211, "Ending Count", "Ending Kount", "pool_ending_loan_count"),                   # group table
    (BANKERS, 453, "SCHEDULED PRINCIPAL RECEIVED", "SCHEDULED PRINCIPAL RECEIVEX", "scheduled_principal"),
    (RFMSI, 343, "POOL TRADING FACTOR:", "POOL TRADING FACTUM:", "pool_factor"),                   # item
], ids=["us-bank", "bankers-trust", "rfmsi"])
def test_an_unknown_label_is_one_diagnostic_naming_the_whole_row(path, line, old, new, concept):
    text, row = damaged(path, line, old, new)
    compiled = trustc.compile_text(text)
    found = [d for d in compiled.diagnostics if d.span is not None and d.span.line == line]
    assert [d.code for d in found] == ["unknown-label"]
    span = found[0].span
    assert (span.column, span.end_column) == (len(row) - len(row.lstrip()) + 1, len(row.rstrip()) + 1)
    assert row.strip() in found[0].message
    assert not any(f.span.line == line for f in compiled.facts())
    assert not any(d.code == "unplaced-figure" for d in compiled.diagnostics)


def test_an_unknown_column_is_one_diagnostic_per_row_and_the_other_columns_still_give_facts():
    original = US_BANK.read_text(encoding="latin-1").split("\n")
    at = next(i for i, t in enumerate(original) if t.split()[:3] == ["Class", "Loss", "Total"])
    text, _row = damaged(US_BANK, at + 1, "Loss", "Lass")
    compiled = trustc.compile_text(text)
    rows = [d for d in compiled.diagnostics if d.code == "unknown-label"]
    assert rows and all("'Lass' has no known meaning" in d.message for d in rows)
    assert len({d.span.line for d in rows}) == len(rows)  # one per row
    lines = {d.span.line for d in rows}
    assert all(f.concept == "total_distribution" for f in compiled.facts() if f.span.line in lines)
    assert not any(f.concept == "realized_loss" for f in compiled.facts())


def test_us_bank_is_a_spec_without_python():
    assert issubclass(get_layout("us-bank"), SpecLayout)
    assert importlib.util.find_spec("trustc.compiler.layouts.us_bank") is None


@pytest.mark.parametrize("text, label, values", [
    ("  A-1   1,000   2.5%", "A-1", ["1,000", "2.5%"]),
    ("  TOTAL  PRINCIPAL   1,000  NO", "TOTAL", ["PRINCIPAL", "1,000", "NO"]),
    ("  1,000   2,000", None, ["1,000", "2,000"]),
])
def test_a_row_splits_into_its_first_label_and_values(text, label, values):
    row = Row.split(Token("ROW", text, line=1))
    assert (row.label.text if row.label else None, [c.text for c in row.values]) == (label, values)


def test_a_leading_label_stops_at_the_first_value():
    row = Row.split(Token("ROW", "  TOTAL  PRINCIPAL   1,000  NO", line=1), "leading")
    assert row.label.text == "TOTAL  PRINCIPAL" and [c.text for c in row.values] == ["1,000", "NO"]
    assert (row.label.start, row.label.end) == (2, 18)
