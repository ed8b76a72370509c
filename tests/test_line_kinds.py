"""The lexer's shortcuts name every line as its rule does: the first kind, by priority, of those the
parser state accepts that matches the whole line (lines.py). The shortcuts: a kind whose line must
begin with certain characters (a heading's first word, a figure's digit) is tried only on lines that
begin with one of them (`first_chars`), and a line met again in the same parser state, within one
document, is not classified twice."""
from __future__ import annotations

import re

import pytest

import trustc
from trustc.compiler.layout import layouts
from trustc.compiler.lines import LineLexer, first_chars
from trustc.compiler.source import read_path

from .conftest import CORPUS


def by_the_rule(lexer: LineLexer, text: str, state: int, accepts, alternations: dict) -> str:
    """The first accepted kind that matches, by one alternation of the accepted kinds in priority order."""
    if state not in alternations:
        names = [(name, pattern.pattern) for name, pattern in lexer.kinds if name in accepts]
        alternations[state] = re.compile("|".join(f"(?P<{n}>{p})" for n, p in names)) if names else None
    m = alternations[state].fullmatch(text) if alternations[state] is not None else None
    return m.lastgroup if m else lexer.classify(text, accepts)


def sample_lines() -> list[str]:
    lines: dict[str, None] = {}
    for path in sorted(CORPUS.glob("*/*.txt")):
        for text in dict.fromkeys(read_path(str(path)).lines):
            if text.strip(" \t\f\v"):
                lines[text] = None
    sample = list(lines)[::11][:800]  # every 11th distinct line: headings, rows, prose of every filing
    stripped = [t.lstrip() for t in sample]
    # lines built to trip a first-character test: other case, a form feed or a non-ASCII letter first
    tricky = [t.swapcase() for t in stripped[:300]] + ["\f" + t for t in stripped[:100]]
    tricky += ["\u017f" + t[1:] for t in stripped[:100] if t] + ["\u212a" + t for t in stripped[:50]]
    tricky += ["\x1c", "  \x1c  ", "STATEMENT TO CERTIFICATEHOLDERS", "s\u0074atement to certificateholders"]
    return sample + tricky


LINES = sample_lines()


@pytest.mark.parametrize("layout_id", sorted(layouts()))
def test_each_parser_state_names_lines_as_the_rule_does(layout_id):
    lark = layouts()[layout_id].parser()
    lexer = lark.parser.lexer
    states = lark.parser.parser.parser.parse_table.states
    alternations: dict = {}
    kinds = {name for name, _pattern in lexer.kinds}
    distinct = {frozenset(kinds.intersection(accepts)): state for state, accepts in states.items()}
    for state in distinct.values():  # one state for each set of kinds a state accepts
        accepts = states[state]
        for text in LINES:
            assert lexer.classify_in(text, state, accepts) == by_the_rule(lexer, text, state, accepts, alternations), \
                (state, text)


def test_first_characters_of_line_kinds():
    assert first_chars(re.compile(r"(?i:\s*Interest\s+Shortfall\s*)")) == frozenset("Ii")
    assert first_chars(re.compile(r"\s*(GROUP\s+\d+|TOTAL)\s*")) == frozenset("GgTt")  # both cases: always safe
    assert first_chars(re.compile(r"[ \t]*[-+]?\$?\d[\d,]*")) == frozenset("-+$0123456789")
    assert first_chars(re.compile(r"[\s|]*Name:.*")) is None  # the prefix is not whitespace only
    assert first_chars(re.compile(r"(?!x).+")) is None
    assert first_chars(re.compile(r"\s*(x\s)?\s*y")) is None  # whitespace after an optional part
    assert first_chars(re.compile(r"(?i)\s*\u017ftate")) is None  # folds to an ASCII letter


def test_a_document_compiles_the_same_with_its_lines_remembered():
    """RFMSI repeats its pools' headers and labels: the remembered kinds give the same compile."""
    from trustc.compiler.layout import get_layout

    path = CORPUS / "filings" / "rfmsi-conduit_8k_2000-12-26.excerpt.txt"
    source = read_path(str(path))
    layout = get_layout("rfmsi")()
    fresh = [layout.parse(v) for v in layout.statement_views(source.view())]
    layout.line_kinds = {}
    remembered = [layout.parse(v) for v in layout.statement_views(source.view())]
    assert [o.kinds for o in remembered] == [o.kinds for o in fresh]
    assert len(layout.line_kinds) < sum(len(o.kinds) for o in fresh) / 2  # most lines are met again
    assert trustc.compile_file(str(path)).statements  # and the driver's compile, memo and all, still reads it


def test_first_characters_with_the_regex_parser_of_python_3_10(monkeypatch):
    """Python 3.10's sre_parse has no POSSESSIVE_REPEAT: the analysis gives the same sets without it."""
    from types import SimpleNamespace

    from trustc.compiler import lines

    patterns = [pattern for cls in layouts().values() for _name, pattern in cls.parser().parser.lexer.kinds]
    expected = [first_chars(p) for p in patterns]
    sre = lines.regex_parser()
    older = SimpleNamespace(**{k: getattr(sre, k) for k in dir(sre) if k != "POSSESSIVE_REPEAT"})
    monkeypatch.setattr(lines, "regex_parser", lambda: older)
    assert [first_chars(p) for p in patterns] == expected
    assert any(e is not None for e in expected)


def test_an_analysis_that_fails_only_costs_speed(monkeypatch):
    """first_chars None: the kind is tried on every line (a regex this Python cannot analyse)."""
    from trustc.compiler import lines

    def broken():
        raise ImportError("no regex parser")

    monkeypatch.setattr(lines, "regex_parser", broken)
    assert first_chars(re.compile(r"\s*Interest\s+Shortfall")) is None


def test_the_memo_of_a_document_stops_growing(monkeypatch):
    """A long document's memo keeps MEMO_LINES lines: memory follows its statements, the kinds are the same."""
    from trustc.compiler import lines
    from trustc.compiler.layout import get_layout

    source = read_path(str(CORPUS / "filings" / "rfmsi-conduit_8k_2000-12-26.excerpt.txt"))
    layout = get_layout("rfmsi")()
    fresh = [layout.parse(v).kinds for v in layout.statement_views(source.view())]
    monkeypatch.setattr(lines, "MEMO_LINES", 50)
    layout.line_kinds = {}
    assert [layout.parse(v).kinds for v in layout.statement_views(source.view())] == fresh
    assert len(layout.line_kinds) == 50
