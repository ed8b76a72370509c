"""Closing a structure the input cuts short (layout.complete) searches on states, not on copies of the parse."""
from __future__ import annotations

from lark.parsers.lalr_parser_state import ParserState

from trustc.compiler.driver import compile_source
from trustc.compiler.source import decode

from .conftest import ROOT

EXCERPT = ROOT / "corpus" / "filings" / "rfmsi-conduit_8k_2000-12-26.excerpt.txt"


def test_a_cut_short_document_is_completed_without_copying_what_was_parsed(monkeypatch):
    lines = EXCERPT.read_text(encoding="utf-8").splitlines(keepends=True)
    # Two pools (each ends with a dotted line), then the third pool's first 30 lines; no closing lines.
    ends = [i for i, line in enumerate(lines) if line.strip().startswith("..........")]
    cut = ends[1] + 31
    last = max(i + 1 for i in range(cut) if lines[i].strip())
    source = decode("".join(lines[:cut]).encode(), "cut.txt")
    copies = []
    whole_copy = ParserState.copy
    monkeypatch.setattr(ParserState, "copy", lambda self, *a, **k: copies.append(1) or whole_copy(self, *a, **k))
    result = compile_source(source)
    assert copies == []
    truncated = [d for d in result.diagnostics if d.code == "truncated-input"]
    assert len(truncated) == 1 and truncated[0].span.line == last
    rfmsi = [s for s in result.statements if s.format == "rfmsi"]
    assert len(rfmsi) == 3 and rfmsi[-1].facts  # two whole pools and the one cut short, with what it printed
