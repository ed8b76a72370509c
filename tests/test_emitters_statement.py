"""The regenerated statement, as plain text and as a standalone HTML page."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import trustc
from trustc.cli import main

from .helpers import compiled


@pytest.fixture(scope="module")
def reference(reference_path):
    return compiled(reference_path)


@pytest.fixture(scope="module")
def text(reference):
    return trustc.emit(reference, "statement")


def section(text, heading):
    return text.split(f"\n{heading}\n", 1)[1].split("\n\n", 1)[0].split("\n")


def test_one_wide_class_table_with_full_labels(text):
    titles, *rows = section(text, "CLASSES")
    assert re.split(r"\s{2,}", titles)[:4] == ["Class", "Original balance", "Beginning balance",
                                               "Principal distribution"]
    assert "Interest carry-forward per $1,000" in titles and "Beg Bal" not in titles
    # one row per class, every block re-joined: 20 figures on A-1's row
    assert [r.split()[0] for r in rows] == ["A-1", "A-2", "A-IO", "A-IO-INV", "M-1", "M-2", "M-3", "M-4", "M-5",
                                            "P", "X", "R", "B-IO", "Total"]
    assert len(re.split(r"\s{2,}", rows[0])) == 21


def test_groups_side_by_side_one_number_style(text):
    titles, *rows = section(text, "GROUPS")
    assert re.split(r"\s{2,}", titles) == ["Item", "Group 1", "Group 2", "Group total"]
    net_liq = next(r for r in rows if r.startswith("Net liquidation proceeds"))
    assert re.split(r"\s{2,}", net_liq)[1:] == ["(779)", "10,047", "9,268"]
    bucket_rows = section(text, "GROUPS BY BUCKET")
    assert "5,857,826.76" in bucket_rows[2] and "3,042,968.8" in bucket_rows[6]


def test_figures_right_aligned_under_their_titles(text):
    titles, *rows = section(text, "DEAL")
    edge = len(titles)
    assert all(len(r) == edge for r in rows)


def test_statement_cli(reference_path, capsys):
    assert main(["compile", "--to", "statement", reference_path]) == 0
    out = capsys.readouterr().out
    assert out.startswith("TRUSTC NORMALIZED STATEMENT\nTitle: Asset Backed Securities Corporation")


def test_no_statement_no_text():
    empty = trustc.compile_text("FORM 8-K\n\nnothing else here\n")
    assert trustc.emit(empty, "statement") == ""
    assert "No statement was compiled" in trustc.emit(empty, "html")


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.titled, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        attrs = dict(attrs)
        if tag in ("link", "script", "img"):
            self.tags.append("external:" + tag)
        if tag == "td" and "title" in attrs:
            self.titled.append(attrs["title"])

    def handle_data(self, data):
        self.text.append(data)


def test_html_standalone_every_figure_has_its_source_position(reference):
    page = trustc.emit(reference, "html")
    parser = Collect()
    parser.feed(page)
    assert "style" in parser.tags and not any(t.startswith("external:") for t in parser.tags)
    assert len(parser.titled) == len(reference.statements[0].facts)
    assert "source line:column 81:18, printed '397,000,000'" in parser.titled


def test_script_in_registrant_is_escaped(reference_path, tmp_path):
    text = open(reference_path, encoding="utf-8").read().replace(
        "Asset Backed Securities Corporation, Home Equity", "<script>alert(1)</script> & Co, Home Equity", 1)
    filing = tmp_path / "evil.txt"
    filing.write_text(text, encoding="utf-8")
    page = trustc.emit(trustc.compile_file(filing), "html")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co, Home Equity" in page
    parser = Collect()
    parser.feed(page)
    assert "script" not in parser.tags
    assert any("<script>alert(1)</script> & Co" in t for t in parser.text)


def test_statement_snapshot(text, snapshot):
    assert text == snapshot


def test_html_snapshot(reference, snapshot):
    assert trustc.emit(reference, "html") == snapshot


def test_html_marks_warnings_and_notes_beside_the_figures_they_concern(reference):
    page = trustc.emit(reference, "html")
    # per-1000 warns about P's ending balance per $1,000 (line 197, column 35): the cell says so
    cell = re.search(r'<td class="warning" title="source line:column 197:35[^"]*">0.00000<sup>(.*?)</sup></td>', page)
    assert cell, "the figure a warning names is marked"
    number = re.search(r'href="#d(\d+)"', cell.group(1)).group(1)
    item = re.search(rf'<li id="d{number}" value="{number}" class="warning">(.*?)</li>', page).group(1)
    assert item.startswith("Warning, line 197, column 35: P: ending balance per $1,000") and "[per-1000]" in item
    assert 'class="info"' in page and "Note, line 94, column 18" in page  # notes too, not only errors


def test_html_labels_are_for_people(reference):
    page = trustc.emit(reference, "html")
    assert '<th scope="row">REO</th>' in page and '<th scope="row">reo</th>' not in page
    assert '<th scope="row">30-59 days</th>' in page
    assert "<h3>Loan status by group</h3>" in page and "Groups by status" not in page


def test_html_table_of_contents_for_several_statements():
    filing = compiled("corpus/filings/rfmsi-conduit_8k_2000-12-26.excerpt.txt")
    page = trustc.emit(filing, "html")
    contents = page[page.index("<nav>"):page.index("</nav>")]
    links = re.findall(r'<a href="#statement-(\d+)">', contents)
    assert links == [str(n) for n in range(1, len(filing.statements) + 1)] and len(links) == 60
    assert all(f'<section id="statement-{n}">' in page for n in links)
    assert '<th scope="row">(class without a name)</th>' in page and '<th scope="row">(unnamed)</th>' not in page
    single = trustc.emit(compiled("corpus/filings/absc-2003-he2_8k_2003-12-15.txt"), "html")
    assert "<nav>" not in single
