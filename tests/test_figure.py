"""One definition of a figure: `_FIG` of lines.lark, which every grammar %imports and the Python side
(`columns.is_figure`) reads from that file. Hypothesis shows the grammar's line kinds and the Python
predicates agree on arbitrary tokens (they disagreed on `-`, `NA`, `*`, `1.5 %`, `12,34`, `(5`)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark

from trustc.compiler.columns import is_figure, split_cells
from trustc.compiler.lines import GRAMMAR_DIR

PARSER = Lark("%import .lines (VALUES, ITEM)\nstart: VALUES | ITEM\n", parser="lalr",
              import_paths=[str(GRAMMAR_DIR)])
PATTERNS = {t.name: re.compile(t.pattern.to_regexp()) for t in PARSER.terminals}
VALUES, ITEM = PATTERNS["VALUES"], PATTERNS["ITEM"]

# tokens made of what figures are made of, and a little else
TOKEN = st.text(alphabet="0123456789,.()-+$%N/A*x", min_size=1, max_size=10)


def test_every_grammar_imports_the_figure_it_does_not_define_its_own():
    for path in GRAMMAR_DIR.glob("*.lark"):
        text = path.read_text(encoding="utf-8")
        assert r"\d[\d,]*" not in text or path.name == "lines.lark", path.name


@settings(max_examples=300, deadline=None)
@given(TOKEN)
def test_a_token_is_a_figure_to_the_grammar_iff_to_python(token):
    assert (VALUES.fullmatch(token) is not None) == is_figure(token)


@settings(max_examples=200, deadline=None)
@given(TOKEN, st.sampled_from([" %", "  %", "\t%", ""]))
def test_a_percent_sign_printed_apart_belongs_to_its_figure(token, percent):
    text = token + percent
    assert (VALUES.fullmatch(text) is not None) == all(is_figure(c.text) for c in split_cells(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(TOKEN, min_size=1, max_size=4), st.sampled_from(["  ", "\t", "   "]))
def test_a_line_of_figures_only_is_values_to_both(tokens, gap):
    line = "  " + gap.join(tokens)
    assert (VALUES.fullmatch(line) is not None) == all(is_figure(c.text) for c in split_cells(line))


@settings(max_examples=200, deadline=None)
@given(TOKEN)
def test_a_label_and_one_figure_is_an_item_iff_the_figure_is_one(token):
    line = f"Servicing Fee     {token}"
    flag = re.fullmatch(r"(?:YES|NO|Yes|No|Y|N)\.?", token) is not None
    assert (ITEM.fullmatch(line) is not None) == (is_figure(token) or flag)
