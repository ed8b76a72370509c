"""A spec's `cells = "generic"` and `read = "label_above"`, and a label mapped to "" (compiler/shaped_tables.py)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from trustc.compiler import layout as registry
from trustc.compiler.driver import compile_text
from trustc.compiler.layouts.user import load_folder
from trustc.compiler.spec import make_rule

GRAMMAR = r"""
%import generic (TITLE, HEADER, FIGURES, RULE, MARKUP, PAGE_MARK)
start: statement
statement: heading classes amounts
heading: TITLE_REPORT
classes: column_headers FIGURES+
column_headers: HEADER+
amounts: TITLE_AMOUNTS (TITLE | FIGURES | RULE)+
TITLE_REPORT.7: /Tiny Trust Report/
TITLE_AMOUNTS.7: /Amounts/
"""

SPEC = r"""
id = "tiny"
description = "a report read the generic way"
grammar = "tiny.lark"
cells = "generic"

[statement]
rule = "statement"
heading = "heading"
title_lines = ["TITLE_REPORT"]

[rules.classes]
read = "class_table"
lines = ["FIGURES"]
[rules.classes.columns]
"beginning" = "beginning_balance"
"ending" = "ending_balance"

[rules.amounts]
read = "label_above"
lines = ["FIGURES"]
[rules.amounts.labels]
"principal collections" = "loan_principal_collections"
"servicing fee" = "servicing_fee"
"mystery amount" = ""
"30-59 days number of loans" = { concept = "delinquent_loan_count", bucket = "30-59" }
"""

REPORT = """Tiny Trust Report
Class         Beginning      Ending
A-1 Notes      1,000.00 900.00
| A-2 Notes | | 2,000.00 | 1,800.00 |
Amounts
Principal Collections
|
23,414,822.75
Servicing Fee 1,234.50
Mystery Amount
5.00
30-59 Days Number of Loans
|
12
"""


@pytest.fixture()
def tiny(tmp_path):
    (tmp_path / "tiny.lark").write_text(GRAMMAR, encoding="utf-8")
    (tmp_path / "tiny.toml").write_text(SPEC, encoding="utf-8")
    saved = registry.layouts()
    load_folder(tmp_path, only="tiny")
    yield compile_text(REPORT, "tiny.txt", format="tiny")
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


def facts(compilation):
    return {(f.concept, f.dims.get("class"), f.label): f for f in compilation.facts()}


def test_generic_cells_read_figures_one_space_apart_and_bar_cells(tiny):
    assert tiny.unparsed == ()
    found = facts(tiny)
    assert found["beginning_balance", "A-1 Notes", "Beginning"].value == Decimal("1000.00")
    assert found["ending_balance", "A-1 Notes", "Ending"].raw == "900.00"
    assert found["ending_balance", "A-2 Notes", "Ending"].value == Decimal("1800.00")
    (statement,) = tiny.statements
    assert [c.name for c in statement.classes] == ["A-1 Notes", "A-2 Notes"]


def test_label_above_takes_the_line_of_words_over_the_figure(tiny):
    found = facts(tiny)
    collections = found["loan_principal_collections", None, "Principal Collections"]
    assert collections.value == Decimal("23414822.75") and collections.span.line == 8
    assert collections.label_span.line == 6  # the label's own line, "|" between them
    fee = found["servicing_fee", None, "Servicing Fee"]
    assert fee.value == Decimal("1234.50") and fee.label_span.line == 9  # a label beside its figure


def test_a_label_mapped_to_nothing_keeps_its_figure_with_no_concept(tiny):
    mystery = facts(tiny)[None, None, "Mystery Amount"]
    assert mystery.value == Decimal("5.00") and mystery.unit == "pure" and mystery.raw == "5.00"
    assert not [d for d in tiny.diagnostics if d.code == "unknown-label"]


def test_label_above_names_a_figure_with_no_label_anywhere():
    from lark import Token

    from trustc.compiler.shaped_tables import generic_row, label_above
    from trustc.compiler.tables import Items, Tables

    tables = Tables()
    label_above(tables, Items({"fee": "servicing_fee"}), [Token("FIGURES", "12.00", 0, 1, 1, 1, 6, 0)], generic_row)
    (diagnostic,) = tables.facts.diagnostics
    assert diagnostic.code == "unknown-label" and "no label" in diagnostic.message


def test_cells_is_checked():
    with pytest.raises(ValueError, match="cells"):
        make_rule("t", {"read": "items", "labels": {}, "cells": "spaces"})
    with pytest.raises(ValueError, match="generic"):
        make_rule("t", {"read": "group_table", "rows": {}, "cells": "generic"})
    # the spec's default reaches the kinds it reads; a group table keeps its cells
    assert make_rule("t", {"read": "group_table", "rows": {}}, cells="generic").cells == "lines"
    assert make_rule("t", {"read": "items", "labels": {}}, cells="generic").cells == "generic"


def test_a_label_meaning_gives_its_figures_dims(tiny):
    (late,) = [f for f in tiny.facts() if f.concept == "delinquent_loan_count"]
    assert late.dims == {"bucket": "30-59"} and late.value == Decimal("12")
    assert all(f.dims == {} for f in tiny.facts() if f.concept in ("servicing_fee", None))
