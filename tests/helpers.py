"""Test helpers: the numeric-token walk used to prove no figure is lost."""
from __future__ import annotations

import re

from trustc.compiler.ast import Compilation, Span
from trustc.compiler.columns import is_figure

TOKEN = re.compile(r"[^\s]+")
# Digits that belong to headings and labels, not figures ("GROUP 1", "PER $1,000", "90 + days";
# Residential Funding's run header "Page: 1 of 2" and "POOL# 2000", whose number is the
# statement's `pool`).
HEADING_DIGITS = re.compile(
    r"GROUP\s+\d+|\$1,000|^\s*\d+\s*\+\s*days|^\s*Page:\s*\d+\s+of\s+\d+|POOL\s*#?\s*\d+", re.I)


def numeric_tokens(lines: list[str], first: int, last: int):
    """(line, Span, text) of every whitespace-delimited token that is a figure, lines first..last."""
    for number in range(first, last + 1):
        text = lines[number - 1]
        for m in TOKEN.finditer(text):
            token = m.group()
            if any(ch.isdigit() for ch in token) and is_figure(token):
                yield Span(number, m.start() + 1, number, m.end() + 1), token


def figure_spans(compilation: Compilation) -> tuple[set[Span], list[Span]]:
    """Exact spans of facts, and the wider spans (labels, diagnostics) that account for a token."""
    exact = {f.span for f in compilation.facts()}
    wider = [f.label_span for f in compilation.facts() if f.label_span is not None]
    # a text or date fact accounts for the digits inside it ("3 Park Plaza", "December 15, 1998")
    wider += [f.span for f in compilation.facts() if f.unit in ("text", "date")]
    # A figure printed as several tokens ("7.041267  %") accounts for each of them.
    wider += [f.span for f in compilation.facts() if any(ch.isspace() for ch in f.raw)]
    wider += [d.span for d in compilation.diagnostics if d.span is not None and d.code != "unparsed-line"]
    return exact, wider


def unaccounted_tokens(compilation: Compilation, lines: list[str], first: int, last: int):
    exact, wider = figure_spans(compilation)
    unparsed = {u.line for u in compilation.unparsed}
    for span, token in numeric_tokens(lines, first, last):
        if span in exact or span.line in unparsed or any(w.covers(span) for w in wider):
            continue
        line = lines[span.line - 1]
        if any(m.start() < span.end_column - 1 and span.column - 1 < m.end() for m in HEADING_DIGITS.finditer(line)):
            continue
        yield span, token


def corpus_files() -> list[str]:
    """Every corpus file, relative to the repository (tests run from its root)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    return sorted(str(p.relative_to(root)) for p in (root / "corpus").glob("*/*") if p.name != "README.md")


_COMPILED: dict = {}


def compiled(path: str):
    """Compile a corpus file once per test session (several emitter tests read the same ones)."""
    if path not in _COMPILED:
        import trustc

        _COMPILED[path] = trustc.compile_file(path)
    return _COMPILED[path]


def install_distribution(directory, monkeypatch, module: str, source: str, group: str, entry: str) -> None:
    """Install a distribution the way pip leaves one: a module and a .dist-info whose
    entry_points.txt puts `entry` ("name = module:Object") in `group`; `directory` goes on sys.path."""
    (directory / f"{module}.py").write_text(source, encoding="utf-8")
    info = directory / f"{module}-0.1.dist-info"
    info.mkdir()
    name = module.replace("_", "-")
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[{group}]\n{entry}\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(directory))
