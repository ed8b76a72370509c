"""Layout detection per document, as `compile` and `detect` both choose it, and third-party layouts."""
from __future__ import annotations

import sys
import textwrap
from decimal import Decimal

import pytest

import trustc
from trustc.cli import main
from trustc.compiler import layout as registry
from trustc.compiler.driver import detect_source, read_source
from trustc.compiler.layout import layouts

from .conftest import CORPUS, ROOT
from .helpers import install_distribution

# The layout of each document of each complete corpus filing, in document order.
EXPECTED = {
    "aames-1998-c_8k_1998-12-15.sgml.txt": ["form-8k", "bankers-trust"],
    "absc-2003-he2_8k_2003-12-15.txt": ["us-bank"],
    "rfmsi-conduit_8k_2000-12-26.excerpt.txt": ["form-8k", "rfmsi"],
    "cgcmt-2016-p5_10-d_2025-01-13.html.txt": ["form-8k", "cmbs-crefc"],
}
FILINGS = sorted(str(p.relative_to(ROOT)) for p in (CORPUS / "filings").iterdir())
PARTIAL = sorted(str(p.relative_to(ROOT)) for p in (CORPUS / "partial").iterdir())


@pytest.mark.parametrize("path", FILINGS)
def test_detect_names_the_layout_of_each_document(path):
    name = path.rsplit("/", 1)[-1]
    assert name in EXPECTED, f"add the layouts of {name}'s documents to EXPECTED"
    missing = set(EXPECTED[name]) - set(layouts())
    if missing:
        pytest.skip(f"layout {', '.join(sorted(missing))} is not registered yet")
    choices = detect_source(read_source(path))
    assert [c.document.layout for c in choices] == EXPECTED[name]
    compiled = trustc.compile_file(path)
    # compile uses the same choice for every document
    if compiled.documents:
        assert [d.layout for d in compiled.documents] == EXPECTED[name]
    assert {s.format for s in compiled.statements} <= set(EXPECTED[name])


@pytest.mark.parametrize("path", PARTIAL)
def test_no_bankers_trust_claim_on_other_reports(path):
    assert "bankers-trust" not in [c.document.layout for c in detect_source(read_source(path))]


def test_detect_prints_each_document_with_evidence(capsys):
    path = "corpus/filings/aames-1998-c_8k_1998-12-15.sgml.txt"
    assert main(["detect", path]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: 2 documents"
    assert out[1] == "  document 1 8-K (lines 56-153): form-8k (confidence 0.50)"
    heading = out.index("  document 2 EX-20.1 (lines 161-667): bankers-trust (confidence 1.00)")
    assert "      line 176: DISTRIBUTIONS IN DOLLARS heading" in out[heading:]


def test_format_forces_one_layout_on_detect_and_compile(capsys):
    path = "corpus/filings/aames-1998-c_8k_1998-12-15.sgml.txt"
    choices = detect_source(read_source(path), "bankers-trust")
    assert [(c.document.layout, c.forced) for c in choices] == [("bankers-trust", True)] * 2
    assert [d.layout for d in trustc.compile_file(path, format="bankers-trust").documents] == ["bankers-trust"] * 2
    assert main(["detect", "--format", "us-bank", path]) == 0
    assert "forced by -f/--from" in capsys.readouterr().out


def test_unknown_format_is_a_usage_error(capsys):
    assert main(["detect", "--format", "no-such-layout", "corpus/filings/absc-2003-he2_8k_2003-12-15.txt"]) == 2
    assert main(["compile", "--format", "no-such-layout", "corpus/filings/absc-2003-he2_8k_2003-12-15.txt"]) == 2
    assert "unknown layout 'no-such-layout'" in capsys.readouterr().err


PLUGIN = textwrap.dedent('''
    """A third-party layout: a title line, then "label   figure" lines."""
    from pathlib import Path

    from lark import Transformer

    from trustc.compiler.ast import Statement
    from trustc.compiler.layout import Layout, LayoutResult
    from trustc.compiler.statement import FactBuilder, row_cells


    class FeeTransformer(Transformer):
        def start(self, children):
            return children[1:]


    class FeeReport(Layout):
        id = "fee-report"
        description = "a third-party layout: FEE REPORT and its fees"
        grammar = str(Path(__file__).with_name("fee_report.lark"))  # a grammar outside trustc
        transformer = FeeTransformer
        evidence = ((r"(?m)^FEE REPORT$", 1.0, "FEE REPORT title"),)

        def assemble(self, pieces, view):
            facts = FactBuilder()
            for line in pieces:
                label, (value,) = row_cells(line)
                facts.add("servicing_fee", label.text, value, line.line, {}, label.span(line.line))
            return LayoutResult(statements=[Statement(self.id, "FEE REPORT", None, (), tuple(facts.facts))])
''')
GRAMMAR = textwrap.dedent('''
    // lines.lark is found on trustc's grammar path
    %import lines (ITEM)
    start: TITLE ITEM+
    TITLE.4: /FEE REPORT/
''')


def test_third_party_layout_through_a_real_entry_point(tmp_path, monkeypatch, capsys):
    (tmp_path / "fee_report.lark").write_text(GRAMMAR, encoding="utf-8")
    install_distribution(tmp_path, monkeypatch, "trustc_fee_report", PLUGIN, "trustc.layouts",
                         "fee-report = trustc_fee_report:FeeReport")
    monkeypatch.setattr(registry, "_LOADED", False)  # as in a fresh process
    try:
        assert "fee-report" in layouts()
        assert main(["formats"]) == 0
        assert "a third-party layout: FEE REPORT and its fees" in capsys.readouterr().out
        compiled = trustc.compile_text("FEE REPORT\nServicing fee     1,234.50\nTrustee fee   (12)\n")
        assert compiled.unparsed == () and not compiled.has_errors
        (statement,) = compiled.statements
        assert statement.format == "fee-report"
        assert [(f.label, f.value, f.span.line) for f in statement.facts] == [
            ("Servicing fee", Decimal("1234.50"), 2), ("Trustee fee", Decimal("-12"), 3)]
    finally:
        registry._REGISTRY.pop("fee-report", None)
        sys.modules.pop("trustc_fee_report", None)


def test_a_broken_layout_plugin_is_skipped_with_a_warning(tmp_path, monkeypatch):
    install_distribution(tmp_path, monkeypatch, "trustc_broken_layout", "raise ImportError('no such thing')\n",
                         "trustc.layouts", "broken = trustc_broken_layout:Broken")
    monkeypatch.setattr(registry, "_LOADED", False)  # as in a fresh process
    try:
        with pytest.warns(RuntimeWarning, match="layout plugin 'broken'.*no such thing"):
            found = layouts()
        assert "us-bank" in found and "broken" not in found
    finally:
        sys.modules.pop("trustc_broken_layout", None)


def test_required_text_is_in_every_match():
    """Detection skips a pattern whose literal word is not in the lines; the word must be in every match."""
    assert registry.required_text(r"(?m)^\s*DISTRIBUTION\s+SUMMARY\s*$") == "DISTRIBUTION"
    assert registry.required_text(r"Commercial\s+Mortgage\s+Pass-Through\s+Certificates") == "Pass-Through"
    assert registry.required_text(r"(?i)STATEMENT\s+TO\s+CERTIFICATEHOLDERS") is None  # case folding is wider
    assert registry.required_text(r"Date\s+of|Form") is None  # an alternation: no word every match holds
    heads = []
    for path in FILINGS + PARTIAL:
        lines = read_source(ROOT / path).lines
        heads += ["\n".join(lines[i:i + 400]) for i in range(0, len(lines), 400)][:20]
    found = 0
    for cls in layouts().values():
        for pattern, _weight, _why, needle in cls._compiled_evidence:
            for head in heads:
                m = pattern.search(head)
                if m and needle is not None:
                    found += 1
                    assert needle in m.group(), (cls.id, pattern.pattern)
    assert found > 10  # the corpus exercises it


def test_first_match_is_the_match_search_finds():
    """Detection finds an evidence pattern from its lead word (`match_lead`): the same match `search` gives,
    on every corpus head and on heads built to trip it (blank lines before the heading, the word first
    printed where the pattern does not match, case-insensitive words in a non-ASCII head)."""
    assert registry.match_lead(registry.re.compile(r"(?m)^\s*DISTRIBUTION\s+SUMMARY\s*$")).text == "DISTRIBUTION"
    assert registry.match_lead(registry.re.compile(r"(?i)^[ \t]*Statement\s+to")) == registry.Lead("statement", True)
    assert registry.match_lead(registry.re.compile(r"(?m)^.*COPYRIGHT")) is None  # `.*` may hold anything
    assert registry.match_lead(registry.re.compile(r"Date\s+of|Form")) is None
    heads = ["\n\n  \n   STATEMENT TO CERTIFICATEHOLDERS\n", "DISTRIBUTION\n\n DISTRIBUTION SUMMARY\n\n DISTRIBUTION SUMMARY ",
             "\u017ftatement to certificateholders", "\u212aX statement TO certificateholders\n", "", "AMOUNTS"]
    for path in FILINGS + PARTIAL:
        lines = read_source(ROOT / path).lines
        heads += ["\n".join(lines[i:i + 400]) for i in range(0, len(lines), 400)][:20]
    found = 0
    for cls in layouts().values():
        for pattern, *_rest in cls._compiled_evidence:
            for head in heads:
                expected, got = pattern.search(head), registry.first_match(pattern, head)
                assert (got and got.span()) == (expected and expected.span()), (cls.id, pattern.pattern, head[:60])
                found += expected is not None
    assert found > 10
