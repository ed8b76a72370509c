"""The HTML front end: HTML documents rendered to the text lines the grammars read, spans mapped back."""
from __future__ import annotations

import html as html_lib
import json
import re

import pytest

import trustc
from trustc.cli import main
from trustc.compiler.ast import Span
from trustc.compiler.driver import detect_source, read_source
from trustc.compiler.html import is_html, render

from .conftest import FILINGS, REFERENCE

TEN_D = FILINGS / "cgcmt-2016-p5_10-d_2025-01-13.html.txt"


@pytest.fixture(scope="module")
def ten_d():
    return trustc.compile_file(TEN_D)


def source_text(source: str, span: Span) -> str:
    """The text of `source` (1-based lines and columns, end exclusive) a span covers."""
    lines = source.split("\n")
    if span.line == span.end_line:
        return lines[span.line - 1][span.column - 1 : span.end_column - 1]
    parts = [lines[span.line - 1][span.column - 1 :]] + lines[span.line : span.end_line - 1]
    return "\n".join(parts + [lines[span.end_line - 1][: span.end_column - 1]])


def printed(source: str) -> list[str]:
    """The rendered lines with text (a table ends in a blank line)."""
    return [line for line in render(source).lines if line.strip()]


def find(rendering, needle: str) -> Span:
    for number, line in enumerate(rendering.lines, 1):
        at = line.find(needle)
        if at >= 0:
            return Span(number, at + 1, number, at + 1 + len(needle))
    raise AssertionError(f"{needle!r} not rendered: {rendering.lines}")


def test_html_is_told_from_text():
    assert is_html("<html>\n<body>")
    assert is_html("\n  <!DOCTYPE html PUBLIC>\n<html>")
    assert is_html("<?xml version='1.0'?>\n<!-- made by x -->\n<HTML>")
    assert is_html("<P>One</P><TABLE>", filename="d8k.htm")
    # EDGAR's text-table markup inside a plain-text filing is not HTML
    assert not is_html("<TABLE>\n<CAPTION>\n<S>          <C>\nCLASS    1,000\n</TABLE>")
    assert not is_html("<TABLE>\n<S>", filename="exhibit.txt")


def test_entities_are_decoded_and_map_to_where_they_were_written():
    source = "<html><body>\n<p>Caf&eacute;&nbsp;&amp;&#160;Bar &lt;b&gt; &#150; A&#x2d;1\n   and   more</p>\n</body></html>"
    rendering = render(source)
    assert rendering.lines == ["Café & Bar <b> – A-1 and more"]
    for needle, printed in (("Café", "Caf&eacute;"), ("<b>", "&lt;b&gt;"), ("–", "&#150;"), ("more", "more")):
        assert source_text(source, rendering.source_span(find(rendering, needle))) == printed
    # text on the second source line keeps its own line number
    assert rendering.source_span(find(rendering, "more")).line == 3


def test_table_rows_become_aligned_lines_with_colspan_and_rowspan():
    source = """<html><body><table>
<tr><td rowspan=2>Class</td><td colspan=2 align=center>Balance</td><td>&nbsp;</td><td>Rate</td></tr>
<tr><td>Prior</td><td>Current</td><td></td><td></td></tr>
<tr><td>A-1</td><td>1,000.00</td><td>900.00</td><td>&nbsp;&nbsp;</td><td>5.25</td><td>%</td></tr>
<tr><td>A-2</td><td>(12.50</td><td>)</td><td></td><td>$</td><td>7</td></tr>
</table></body></html>"""
    lines = render(source).lines
    assert lines[0].split() == ["Class", "Balance", "Rate"]
    # the rowspan cell keeps its column: Prior and Current stay under Balance
    assert lines[1].split() == ["Prior", "Current"]
    assert lines[1].index("Prior") >= len("Class") + 2
    assert lines[2].split() == ["A-1", "1,000.00", "900.00", "5.25%"]
    assert lines[3].split() == ["A-2", "(12.50)", "$7"]
    # figures right-aligned: the two amounts of the Prior column end at the same place
    assert lines[2].index("1,000.00") + len("1,000.00") == lines[3].index("(12.50)") + len("(12.50)")
    # columns at least two spaces apart, blank spacer columns left out
    assert "900.00  " in lines[2] and "  5.25%" in lines[2]


def test_cells_of_several_paragraphs_print_over_several_lines():
    source = "<html><body><table><tr><td><p>c/o Bank</p><p>New York</p></td><td>10013</td></tr>" \
             "<tr><td>(Address)</td><td>(Zip Code)</td></tr></table></body></html>"
    lines = render(source).lines
    assert lines[0].split("  ")[0] == "c/o Bank" and lines[0].rstrip().endswith("10013")
    assert lines[1] == "New York"
    assert lines[2].split() == ["(Address)", "(Zip", "Code)"]


@pytest.mark.parametrize("source", [
    "<html><body><table><tr><td>1<td>2<tr><td>3",  # no end tags at all
    "<html><body><p>one<div>two</p></div></span></table>three",
    "<html><body><td>cell outside a table</td><tr><td>row</td></tr>",
    "<html><body><table><tr><td colspan=99999999 rowspan=-3>x</td><td colspan=abc>y</td></tr></table>",
    "<html><body><p>unterminated <b attr='x>y'>tag <!-- open comment",
    "<html><body>&#0; &#xFFFFFFFF; &#99999999; &bogus; & &amp",
    "<html>" + "<div>" * 3000 + "deep" + "</div>" * 10,
    "<html><body>\x0c\x1b<p>\ufffd control</p>",
    "<html>",
    "",
])
def test_broken_markup_is_read_never_a_crash(source):
    rendering = render(source)
    for number, line in enumerate(rendering.lines, 1):
        span = rendering.source_span(Span(number, 1, number, len(line) + 1))
        assert span.line >= 1 and span.column >= 1
    compiled = trustc.compile_text(source, name="broken.htm")
    assert not [d for d in compiled.diagnostics if d.code == "internal-error"]


def test_broken_markup_keeps_its_text():
    assert printed("<html><body><table><tr><td>1<td>2<tr><td>3") == ["1  2", "3"]
    assert printed("<html><body><p>one<div>two</p></div>three") == ["one", "two", "three"]


def test_script_style_and_comments_are_never_copied():
    source = """<html><head><title>t</title><style>p { color: red } .Class { }</style></head><body>
<script>var total = "Class A-1 1,000"; document.write("<p>injected</p>")</script>
<p>kept<!-- a comment 9,999 --> text</p><noscript>no script</noscript>
<table><tr><td><script>alert(1)</script>A-1</td><td>5</td></tr></table></body></html>"""
    assert printed(source) == ["kept text", "A-1  5"]
    out = trustc.emit(trustc.compile_text(source, name="s.htm"), "json")
    for leaked in ("var total", "injected", "color: red", "a comment", "alert(1)", "no script"):
        assert leaked not in out


def test_hostile_markup_never_reaches_an_output_unescaped():
    source = """<html><body>
<p>&lt;script&gt;alert("x")&lt;/script&gt; <img src=x onerror="alert(2)"> <a href="javascript:alert(3)">link</a></p>
<p>FORM 10-D</p><p>&lt;b onmouseover=alert(4)&gt;Trust&lt;/b&gt;</p><p>(Exact name of issuing entity as specified in its charter)</p>
</body></html>"""
    compiled = trustc.compile_text(source, name="hostile.htm")
    page = trustc.emit(compiled, "html")
    assert "<script>alert" not in page and "<b onmouseover" not in page
    assert "onerror" not in page and "javascript:" not in page
    data = trustc.emit(compiled, "json")
    assert "onerror" not in data and "javascript:" not in data  # attributes are never text
    # what the filer wrote as text stays text, escaped wherever it is shown
    if compiled.cover is not None and "registrant" in compiled.cover.fields:
        assert compiled.cover.fields["registrant"].value == "<b onmouseover=alert(4)>Trust</b>"
        assert "&lt;b onmouseover=alert(4)&gt;Trust" in page or "Trust" not in page


def test_a_pre_statement_inside_html_compiles_as_the_text_does():
    text = REFERENCE.read_text(encoding="utf-8")
    wrapped = "<html>\n<head><title>8-K</title></head>\n<body>\n<pre>\n" + html_lib.escape(text, quote=False) \
        + "</pre>\n</body>\n</html>\n"
    plain = trustc.compile_text(text, name="ref.txt")
    rich = trustc.compile_text(wrapped, name="ref.htm")
    facts = lambda c: [(f.concept, f.value, dict(f.dims)) for f in c.facts()]  # noqa: E731
    assert facts(rich) == facts(plain) and len(facts(plain)) > 100
    assert [d.code for d in rich.diagnostics] == [d.code for d in plain.diagnostics]
    # every span points at the figure as written in the HTML file: four lines further down
    for a, b in zip(plain.facts(), rich.facts()):
        assert (b.span.line, b.span.column) == (a.span.line + 4, a.span.column) or \
            source_text(wrapped, b.span) == html_lib.escape(a.raw, quote=False)
        assert source_text(wrapped, b.span) == html_lib.escape(a.raw, quote=False)


def test_an_unread_figure_names_no_other_line_than_its_span():
    # The reference with its A-2 row moved under SIGNATURES (read as text: its figure becomes no fact),
    # inside <pre>, with a tag that breaks the row's source line after "A-2": the rendered row starts on
    # one line of the file and its figure is written on the next.
    lines = REFERENCE.read_text(encoding="utf-8").split("\n")
    lines[154], lines[344] = lines[344], lines[154]
    escaped = [html_lib.escape(t, quote=False) for t in lines]
    escaped[344] = escaped[344].replace("A-2", "A-2<b\n>", 1)
    wrapped = "<html>\n<body>\n<pre>\n" + "\n".join(escaped) + "</pre>\n</body>\n</html>\n"
    compiled = trustc.compile_text(wrapped, name="ref.htm")
    unread = [d for d in compiled.diagnostics if d.code == "unread-figure"]
    (moved,) = [d for d in unread if "'25.41513'" in d.message]
    assert source_text(wrapped, moved.span) == "25.41513"
    assert "A-2" in wrapped.split("\n")[moved.span.line - 2]  # the row starts a line above its figure
    for d in unread:  # a line a message named would contradict the span, not just repeat it
        assert all(int(n) == d.span.line for n in re.findall(r"\blines? (\d+)", d.message)), d.message


def test_detect_says_which_documents_are_html(capsys):
    choices = detect_source(read_source(TEN_D))
    assert [c.document.content for c in choices] == ["html", "html"]
    assert main(["detect", str(TEN_D)]) == 0
    out = capsys.readouterr().out
    # evidence names lines of the file, not of the rendered text
    assert "line 58: form type" in out
    data = json.loads(trustc.emit(trustc.compile_text("plain text\n"), "json"))
    assert "documents" not in data or all(d["content"] == "text" for d in data["documents"])


def test_every_span_of_the_10d_points_into_the_html_source(ten_d):
    compiled = ten_d
    source = TEN_D.read_text(encoding="utf-8")
    cover = compiled.cover
    for name, field in cover.fields.items():
        printed = source_text(source, field.span)
        # the span covers the value as written (tags and entities between pieces aside)
        first = str(field.value[0] if isinstance(field.value, list) else field.raw).split()[0]
        assert printed.startswith(first.replace("&", "&amp;")[:4]) or html_lib.unescape(printed).startswith(first[:4]), name
    for item in cover.items:
        assert 49 <= item["line"] <= 537
    for d in compiled.diagnostics:
        if d.span is not None:
            assert d.span.line <= len(source.split("\n"))


def test_the_10d_cover_envelope_and_items(ten_d):
    compiled = ten_d
    cover = {name: field.value for name, field in compiled.cover.fields.items()}
    assert cover == {
        "form_type": "10-D",
        "distribution_period_start": __import__("datetime").date(2024, 12, 13),
        "distribution_period_end": __import__("datetime").date(2025, 1, 13),
        "registrant": "Citigroup Commercial Mortgage Trust 2016-P5",
        "commission_file_number": "333-207132-07",
        "issuing_entity_cik": "0001684093",
        "depositor": "Citigroup Commercial Mortgage Securities Inc.",
        "depositor_file_number": "333-207132",
        "depositor_cik": "0001258361",
        "sponsors": ["Citigroup Global Markets Realty Corp.", "Barclays Bank PLC", "Starwood Mortgage Funding V LLC",
                     "Macquarie US Trading LLC d/b/a Principal Commercial Capital"],
        "sponsor_ciks": ["0001541001", "0000312070", "0001682509", "0001634437"],
        "contact_name": "Richard Simpson",
        "contact_phone": "(212) 816-5343",
        "state_of_incorporation": "New York",
        "irs_employer_id": "35-7158173",
        "other_irs_employer_ids": ["81-4184971", "81-4208950"],
        "address": "c/o Citibank, N.A., 388 Greenwich Street, 14th Floor, New York, New York",
        "zip": "10013",
        "phone": "(212) 816-5693",
    }
    assert compiled.cover.missing == ()
    for field in compiled.cover.fields.values():
        assert "<" not in str(field.value) and "&" not in str(field.value)
    items = [(i["part"], i["item"], i["title"]) for i in compiled.cover.items if i["item"]]
    assert items[0] == ("I", "1", "Distribution and Pool Performance Information.")
    assert items[3] == ("II", "2", "Legal Proceedings.")
    assert [i for i in compiled.cover.items if i["item"] == "1B"][0]["text"] == "Not applicable"
    assert compiled.cover.exhibits[0]["number"] == "99.1"
    signature = {k: f.value for k, f in compiled.signatures[0].fields.items()}
    assert signature["signed_by"] == "Richard Simpson" and str(signature["date"]) == "2025-01-27"
    env = {k: f.value for k, f in compiled.envelope.fields.items()}
    assert str(env["acceptance_datetime"]) == "2025-01-27 17:46:24"
    assert (env["depositor_cik"], env["sponsor_cik"]) == ("0001258361", "0001541001")
    assert env["abs_asset_class"] == "Commercial mortgages"
    assert env["organization_name"] == "Office of Structured Finance"
    # nothing of the header (lines 1-43) or of the 10-D document unparsed; no false truncation
    assert [u.line for u in compiled.unparsed if u.line <= 539] == []
    assert not [d for d in compiled.diagnostics if d.code == "truncated-input" and d.span.line <= 539]


TEXT_10D = """\
                       UNITED STATES
             SECURITIES AND EXCHANGE COMMISSION
                   Washington, D.C. 20549

                         FORM 10-D

                 ASSET-BACKED ISSUER DISTRIBUTION REPORT

        For the monthly distribution period from: June 1, 2007 to June 30, 2007

         Commission File Number of issuing entity: 333-131136-04

                  Sample Home Equity Loan Trust 2007-1
     (Exact name of issuing entity as specified in its charter)

              Commission File Number of depositor: ____________

                        Sample Depositor Corp.
       (Exact name of depositor as specified in its charter)

                            Sample Bank, N.A.
        (Exact name of sponsor as specified in its charter)

          New York                                   N/A
(State or other jurisdiction of            (I.R.S. Employer
incorporation or organization              Identification No.)
of the issuing entity)

    1 Main Street, New York, New York                  10005
(Address of principal executive offices             (Zip Code)
of the issuing entity)

                            (212) 555-0100
       (Telephone number, including area code)

PART I - DISTRIBUTION INFORMATION

Item 1. Distribution and Pool Performance Information.

The response to Item 1 is set forth in Exhibit 99.1.

SIGNATURES

By: /s/ Jane Doe
Name: Jane Doe
"""


def test_a_text_10d_cover_with_blank_form_fields():
    compiled = trustc.compile_text(TEXT_10D, name="10d.txt")
    cover = {name: field.value for name, field in compiled.cover.fields.items()}
    assert cover["form_type"] == "10-D"
    assert str(cover["distribution_period_start"]) == "2007-06-01"
    assert str(cover["distribution_period_end"]) == "2007-06-30"
    assert cover["commission_file_number"] == "333-131136-04"
    assert cover["registrant"] == "Sample Home Equity Loan Trust 2007-1"
    assert cover["depositor"] == "Sample Depositor Corp."
    assert cover["sponsors"] == ["Sample Bank, N.A."]
    assert cover["state_of_incorporation"] == "New York"
    assert cover["address"] == "1 Main Street, New York, New York" and cover["zip"] == "10005"
    assert cover["phone"] == "(212) 555-0100"
    # underscores and N/A are blank form fields: missing, never a value
    assert "depositor_file_number" in compiled.cover.missing and "irs_employer_id" in compiled.cover.missing
    assert compiled.cover.items[0]["part"] == "I"
    span = compiled.cover.fields["commission_file_number"].span
    assert TEXT_10D.split("\n")[span.line - 1][span.column - 1:span.end_column - 1] == "333-131136-04"
