"""The Python API: a DataFrame of facts with exact values and spans, a one-line repr, the
statement as HTML in a notebook, typing information."""
from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

import pytest

import trustc
from trustc.emitters.html import member_label

from .helpers import compiled

pandas = pytest.importorskip("pandas")
RFMSI = "corpus/filings/rfmsi-conduit_8k_2000-12-26.excerpt.txt"


@pytest.fixture(scope="module")
def reference():
    return compiled("corpus/filings/absc-2003-he2_8k_2003-12-15.txt")


def test_facts_frame_has_one_row_per_fact_with_exact_values_and_spans(reference):
    frame = reference.facts_frame()
    facts = list(reference.facts())
    assert len(frame) == len(facts)
    assert frame["value"].dtype == object
    assert list(frame["value"]) == [f.value for f in facts]  # the Decimals themselves: no float anywhere
    a1 = frame[(frame.concept == "ending_balance") & (frame["class"] == "A-1")].iloc[0]
    assert a1.value == Decimal("314665768") and a1.raw == "314,665,768"
    assert (a1.line, a1.column, a1.end_line, a1.end_column) == (133, 18, 133, 29)
    assert frame[frame.concept == "pass_through_rate"].value.dropna().map(type).eq(Decimal).all()  # N/A is None
    rate = frame[(frame.concept == "pass_through_rate") & (frame["class"] == "A-1")].value.iloc[0]
    assert str(rate) == "1.50000"  # printed precision kept
    total = frame[frame.concept == "ending_balance"].value.dropna().sum()
    assert isinstance(total, Decimal)
    assert {"source", "statement", "series", "distribution_date", "unit", "group", "bucket", "status"} <= set(frame)


def test_to_pandas_is_the_same_frame(reference):
    assert reference.to_pandas().equals(reference.facts_frame())


def test_frames_of_several_filings_concatenate():
    frames = [compiled(p).facts_frame() for p in ("corpus/filings/absc-2003-he2_8k_2003-12-15.txt", RFMSI)]
    both = pandas.concat(frames, ignore_index=True)
    assert both.source.nunique() == 2 and len(both) == sum(map(len, frames))


def test_repr_is_one_line(reference):
    text = repr(reference)
    assert "\n" not in text and len(text) < 300
    assert text.startswith("<Compilation corpus/filings/absc-2003-he2_8k_2003-12-15.txt: 1 statement (us-bank), ")
    assert f"{len(list(reference.facts())):,} facts" in text and "3 warnings" in text  # two per-1000 findings, the Total row's CUSIP


def test_repr_html_is_the_statement_without_a_page_around_it(reference):
    html = reference._repr_html_()
    assert "<html" not in html and "<body" not in html
    assert html.lstrip().startswith('<div class="trustc">') and "<style>" in html
    assert "314,665,768" in html


def test_py_typed_ships():
    assert files("trustc").joinpath("py.typed").is_file()


def test_member_labels_are_for_people():
    assert member_label("status", "reo") == "REO"
    assert member_label("bucket", "30-59") == "30-59 days"
    assert member_label("bucket", "3+-payments") == "3+ payments"
    assert member_label("tranche", "class b") == "Class B"
    assert member_label("class", "(unnamed)") == "(class without a name)"
    assert member_label("class", "A-1") == "A-1"
