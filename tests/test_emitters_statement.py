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
