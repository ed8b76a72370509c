"""The generic reader (layouts/generic.py, shapes.py): reports no layout knows, read from their positions."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

import trustc
from trustc.cli import main
from trustc.compiler.shapes import cells_of, classify, column_titles, figure_columns

from .conftest import FILINGS
from .helpers import corpus_files

REPORT = """\
                     ACME AUTO RECEIVABLES TRUST 2004-1
                        MONTHLY SERVICER REPORT

Distribution Date:                       March 15, 2004

                    Beginning        Principal          Ending
   Class              Balance     Distribution         Balance
   -----        -------------    -------------   -------------
   A-1         100,000,000.00     5,000,000.00   95,000,000.00
   A-2          50,000,000.00             0.00   50,000,000.00
   Total       150,000,000.00     5,000,000.00  145,000,000.00

Delinquency                      Count         Balance
30-59 days                          12      345,678.90
60-89 days                           3       45,000.00
90+ days                             1        9,999.99

Servicing Fee ......................................  125,000.00
Pass-Through Rate:                                       4.125 %
Has a Trigger Event occurred?                                 NO
"""


def test_cells_split_labels_figures_dates_and_html_cells():
    assert [c.text for c in cells_of("(b) Class A-1 Interest 702,465.65")] == ["(b) Class A-1 Interest", "702,465.65"]
    # a number inside a label stays there; a date is one cell
    assert [c.text for c in cells_of("Pursuant to Section 4.2 of the Agreement")] == [
        "Pursuant to Section 4.2 of the Agreement"]
    assert [c.text for c in cells_of("Final Maturity   October 20, 2003")] == ["Final Maturity", "October 20, 2003"]
    # '|' separates cells (HTML flattened to text); '%' apart joins its figure
    assert [c.text for c in cells_of("Class A-1 Notes | | $ | 133,000,000.00 |")] == [
        "Class A-1 Notes", "$", "133,000,000.00"]
    assert [(c.text, c.start) for c in cells_of("RATE   7.041267  %")] == [("RATE", 0), ("7.041267  %", 7)]


def test_classify_names_each_line():
    kinds = [s.kind for s in classify(REPORT.splitlines())]
    # a date is no figure: "Distribution Date:  March 15, 2004" is words (the statement's date)
    assert kinds[:8] == ["title", "title", "blank", "header", "blank", "header", "header", "rule"]
    assert kinds[8:11] == ["row", "row", "total"]
    assert kinds[-3:] == ["item", "item", "item"]


def test_columns_from_positions_and_stacked_titles():
    shapes = classify(REPORT.splitlines())
    rows = [s for s in shapes[8:11]]
    columns = figure_columns(rows)
    assert len(columns) == 3
    assert column_titles(shapes[5:7], columns, left=rows[0].label.end) == [
        "Beginning Balance", "Principal Distribution", "Ending Balance"]


def test_a_report_no_layout_knows_becomes_located_facts():
    compilation = trustc.compile_text(REPORT, name="acme.txt")
    (statement,) = compilation.statements
    assert statement.format == "generic" and 0 < statement.confidence <= 1
    assert statement.distribution_date.value.isoformat() == "2004-03-15"
    facts = {(f.row_label, f.column_header): f for f in statement.facts}
    a1 = facts[("A-1", "Beginning Balance")]
    assert (a1.value, a1.raw, a1.dims, a1.concept) == (
        Decimal("100000000.00"), "100,000,000.00", {"class": "A-1"}, "beginning_balance")
    lines = REPORT.splitlines()
    assert lines[a1.span.line - 1][a1.span.column - 1:a1.span.end_column - 1] == "100,000,000.00"
    assert facts[("A-1", "Ending Balance")].concept == "ending_balance"
    assert facts[("30-59 days", "Count")].dims == {"bucket": "30-59"}
    assert facts[("90+ days", "Balance")].dims == {"bucket": "90+"}
    fee = facts[("Servicing Fee ......................................", None)]
    assert fee.value == Decimal("125000.00")
    rate = facts[("Pass-Through Rate:", None)]
    assert (rate.value, rate.unit, rate.raw) == (Decimal("4.125"), "percent", "4.125 %")
    assert facts[("Has a Trigger Event occurred?", None)].value is False
    assert compilation.unparsed == () and not compilation.has_errors


def test_a_label_continued_over_lines_and_numbered_items():
    text = ("1 (a) Amount Available (including Monthly\n"
            "Servicing Fee) 4,568,391.77\n"
            "(b) Class A-4 Interest Deficiency Amount withdrawn 0.00\n"
            "(c) Aggregate Interest (total): 1,463,049.65\n"
            "(d) Class A-1 Interest 702,465.65\n")
    facts = trustc.compile_text(text, format="generic").statements[0].facts
    assert facts[0].row_label == "1 (a) Amount Available (including Monthly Servicing Fee)"
    assert facts[0].label_span.line == 1 and facts[0].span.line == 2
    assert facts[1].dims == {"class": "A-4"}
    assert [f.value for f in facts] == [Decimal("4568391.77"), Decimal("0.00"), Decimal("1463049.65"),
                                        Decimal("702465.65")]


def test_a_further_column_block_takes_the_row_labels_of_the_block_before():
    text = ("     Class         Orig Bal       Beg Bal\n"
            "      A-1        397,000,000    328,979,574\n"
            "      A-2        213,560,000    173,890,231\n"
            "      M-1         44,140,000     44,140,000\n"
            "\n"
            "      Rate           Int\n"
            "    1.50000%       383,810\n"
            "    2.50000%       202,872\n"
            "    2.02000%        69,349\n")
    facts = trustc.compile_text(text, format="generic").statements[0].facts
    rate = [f for f in facts if f.column_header == "Rate"]
    assert [(f.row_label, f.dims, f.value) for f in rate] == [
        ("A-1", {"class": "A-1"}, Decimal("1.50000")), ("A-2", {"class": "A-2"}, Decimal("2.50000")),
        ("M-1", {"class": "M-1"}, Decimal("2.02000"))]


def test_prose_is_no_statement():
    prose = "\n".join(["The Trust issued $350,000,000 of notes on March 1, 2004 under the Indenture, dated",
                       "as of February 1, 2004, between the Issuer and the Indenture Trustee. Interest accrues",
                       "at 4.125% per annum, payable monthly on the 15th day of each month, beginning in April."] * 5)
    compilation = trustc.compile_text(prose + "\n", name="prospectus.txt")
    assert compilation.statements == ()
    assert {d.code for d in compilation.diagnostics} >= {"unknown-layout"}
    forced = trustc.compile_text(prose + "\n", format="generic")
    assert forced.statements == () and [d.code for d in forced.diagnostics] == ["not-a-statement"]


def test_detect_says_generic(tmp_path, capsys):
    path = tmp_path / "acme.txt"
    path.write_text(REPORT, encoding="utf-8")
    assert main(["detect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "generic (confidence" in out and "a statement" in out


def test_the_exact_layouts_are_still_chosen_where_they_claim():
    for path in ["absc-2003-he2_8k_2003-12-15.txt", "aames-1998-c_8k_1998-12-15.sgml.txt",
                 "rfmsi-conduit_8k_2000-12-26.excerpt.txt"]:
        path = FILINGS / path
        assert "generic" not in {s.format for s in trustc.compile_file(path).statements}


def _key(span):
    return span.line, span.column, span.end_line, span.end_column


@pytest.mark.parametrize("name", ["absc-2003-he2_8k_2003-12-15.txt", "aames-1998-c_8k_1998-12-15.sgml.txt"])
def test_generic_places_the_figures_the_exact_layout_places(name):
    """The issue's measure (benchmarks/generic.py, all three filings): the same value at the same span."""
    exact = [f for f in trustc.compile_file(FILINGS / name).facts() if f.unit not in ("text", "date")]
    generic = {_key(f.span): f for f in trustc.compile_file(FILINGS / name, format="generic").facts()}
    placed = [f for f in exact if _key(f.span) in generic and generic[_key(f.span)].value == f.value]
    assert len(placed) >= 0.99 * len(exact)
    # the exact layout's printed label is (inside) the generic row label or column title
    headed = [f for f in placed if any(" ".join(f.label.lower().split()).strip(" :") in " ".join(t.lower().split())
                                       for t in (generic[_key(f.span)].column_header or "",
                                                 generic[_key(f.span)].row_label or ""))]
    assert len(headed) >= 0.95 * len(placed)


def _fact_line(f) -> str:
    dims = ",".join(f"{k}={v}" for k, v in sorted(f.dims.items()))
    return (f"{f.span.line}:{f.span.column}-{f.span.end_column} {f.raw!r} = {f.value} {f.unit} | row {f.row_label!r} "
            f"| column {f.column_header!r} | {f.concept} | {dims}")


@pytest.mark.parametrize("path", [p for p in corpus_files() if "rfmsi" not in p and "cgcmt" not in p])
def test_generic_output_of_every_corpus_file(path, snapshot):
    """`--format generic` on every corpus file, one line per fact (the RFMSI excerpt's 15,000 facts in
    benchmarks/generic.py only; the 10-D's 1.6 MB of HTML neither)."""
    compilation = trustc.compile_file(path, format="generic")
    lines = [f"statement {s.title!r} date {s.distribution_date.value if s.distribution_date else None} "
             f"confidence {s.confidence}" for s in compilation.statements]
    lines += [_fact_line(f) for f in compilation.facts()]
    lines += [f"{d.severity} {d.code} {d.message}" for d in compilation.diagnostics if d.code != "unparsed-line"]
    assert "\n".join(lines) == snapshot


HOUSEHOLD = "corpus/partial/secgov_cik923147_household-hel-trust-2001-2_xhel012_2001-12-20.txt"


def test_one_heading_claims_no_document_the_generic_reader_reads_it():
    # "STATEMENT TO CERTIFICATEHOLDERS" alone is one piece of US Bank's evidence (0.2): not a claim
    compilation = trustc.compile_file(HOUSEHOLD)
    assert [s.format for s in compilation.statements] == ["generic"]
    assert compilation.unparsed == () and not compilation.has_errors
    facts = {f.row_label: f for f in compilation.facts()}
    assert facts["Principal Collections"].value == Decimal("23414822.75")


def test_lines_a_layout_leaves_are_read_generically():
    # US Bank's layout knows the title and a heading (two pieces of evidence: it claims the
    # document); the body (a label line, then its figure) it cannot place
    with open(HOUSEHOLD, encoding="utf-8") as handle:
        lines = handle.read().split("\n")
    lines[2:2] = ["DISTRIBUTION SUMMARY"]
    compilation = trustc.compile_text("\n".join(lines), name="household-with-a-heading.txt")
    assert [s.format for s in compilation.statements] == ["us-bank", "generic"]
    assert "generic-region" in {d.code for d in compilation.diagnostics}
    # what stays unparsed holds no figure: titles, dates
    read = {f.span.line for f in compilation.facts()}
    assert read and not read & {u.line for u in compilation.unparsed}
    assert all(not s.has_figures for s in classify([u.text for u in compilation.unparsed]))
    facts = {f.row_label: f for f in compilation.statements[1].facts}
    assert facts["Principal Collections"].value == Decimal("23414822.75")
    assert facts["Principal Collections"].column_header is None


def test_a_contents_page_is_no_statement():
    # page numbers are whole numbers: no line bears an amount
    compilation = trustc.compile_file(
        "corpus/partial/secgov_cik1288997_lb040208_long-beach-mortgage-loan-trust-2004-2_2004-08-25.txt")
    assert compilation.statements == ()


def test_html_statement_read_generically_with_spans_on_the_source():
    """The 10-D's EX-99.1 (HTML, rendered to text lines by the front end): every figure cell a fact
    whose span points at the figure in the HTML source."""
    path = FILINGS / "cgcmt-2016-p5_10-d_2025-01-13.html.txt"
    compilation = trustc.compile_file(path, format="generic")
    (statement,) = compilation.statements
    lines = path.read_text(encoding="utf-8").split("\n")
    facts = statement.facts
    assert len(facts) > 4000 and compilation.unparsed == ()
    for f in facts[::97]:
        s = f.span
        if s.line == s.end_line:
            assert lines[s.line - 1][s.column - 1:s.end_column - 1] == f.raw
        else:  # a figure the HTML source wraps: its digits, tags aside, are what the span holds
            region = "\n".join(lines[s.line - 1:s.end_line])
            region = region[s.column - 1:len(region) - len(lines[s.end_line - 1]) + s.end_column - 1]
            assert re.sub(r"<[^>]*>|\D", "", region) == re.sub(r"\D", "", f.raw)
