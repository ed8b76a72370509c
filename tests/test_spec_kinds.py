"""The table kinds a spec declares besides class/group tables, matrices and items: key/value lines, transposed
blocks, class tables titled on their first line, and the context a printed heading sets (compiler/spec.py)."""
from __future__ import annotations

from decimal import Decimal

from lark import Token, Tree

from trustc.compiler.columns import Column
from trustc.compiler.spec import Reader, make_rule
from trustc.compiler.tables import ClassTable, KeyValues, Tables, TransposedMatrix


def line(kind: str, text: str, number: int = 1) -> Token:
    return Token(kind, text, line=number)


def facts(tables: Tables) -> list[tuple]:
    return [(f.concept, f.label, f.raw, dict(f.dims)) for f in tables.facts.facts]


def codes(tables: Tables) -> list[tuple[str, int]]:
    return [(d.code, d.span.line) for d in tables.facts.diagnostics]


def test_key_values_and_a_lone_value_continuing_the_key_above_it():
    spec = KeyValues({"seller": "seller", "administrator": "administrator"}, {"administrator": "administrator_address"})
    tables = Tables()
    tables.key_values(spec, [
        line("PARTY", "SELLER:     Aames Capital      ADMINISTRATOR:   David West", 1),
        line("PARTY", "RECORD:     Somebody                          Bankers Trust", 2),
        line("PARTY", "                                               3 Park Plaza", 3),
    ])
    assert facts(tables) == [
        ("seller", "SELLER:", "Aames Capital", {}),
        ("administrator", "ADMINISTRATOR:", "David West", {}),
        ("administrator_address", "ADMINISTRATOR:", "Bankers Trust", {"line": "1"}),
        ("administrator_address", "ADMINISTRATOR:", "3 Park Plaza", {"line": "2"}),
    ]
    assert codes(tables) == [("unknown-label", 2)]  # RECORD: is no key of the map; one diagnostic for its row


def test_a_transposed_block_takes_its_group_from_its_first_cell_and_its_rows_from_the_context():
    spec = TransposedMatrix(rows={"number of loans": "delinquent_loan_count"},
                            columns={"1 Payment": {"bucket": "30-59"}, "Total": {"bucket": "total"}},
                            rows_with={"status": {"number of loans": "loan_count"}})
    columns = [Column("1 Payment", 30, 39), Column("Total", 45, 50)]
    first = line("GROUP_ROW", "  Fixed Group   NUMBER OF LOANS       158        188", 1)
    rows = [line("ROW", "                NUMBER OF LAONS       2          3", 2)]
    tables = Tables()
    tables.transposed(spec, columns, first, rows)
    assert facts(tables) == [
        ("delinquent_loan_count", "1 Payment", "158", {"group": "fixed", "bucket": "30-59"}),
        ("delinquent_loan_count", "Total", "188", {"group": "fixed", "bucket": "total"}),
    ]
    assert codes(tables) == [("unknown-label", 2)]
    under_status = Tables(dims={"status": "reo"})
    under_status.transposed(spec, columns, first, [])
    assert [(c, d) for c, _l, _r, d in facts(under_status)] == [
        ("loan_count", {"group": "fixed", "bucket": "30-59", "status": "reo"}),
        ("loan_count", {"group": "fixed", "bucket": "total", "status": "reo"})]


def test_a_class_table_titled_on_its_first_line_strips_the_class_prefix_and_labels_by_title_and_column():
    spec = ClassTable({"prior": "prior_interest_carryforward", "current": "interest_carryforward"},
                      strip=r"(?i)^CLASS\s+")
    tables = Tables()
    tables.classes.declare("A-1F")
    columns = [Column("PRIOR", 30, 35), Column("CURRENT", 40, 47)]
    tables.titled_class_table(spec, "CARRY FORWARD", columns, [line("ROW", "  CLASS A-1F         1.00     2.00", 3)])
    assert facts(tables) == [
        ("prior_interest_carryforward", "CARRY FORWARD PRIOR", "1.00", {"class": "A-1F"}),
        ("interest_carryforward", "CARRY FORWARD CURRENT", "2.00", {"class": "A-1F"}),
    ]
    assert [c.name for c in tables.classes.balances()] == ["A-1F"]


def test_a_context_rule_sets_a_value_its_tables_take_and_a_later_line_unsets_it():
    rules = {
        "page_title": make_rule("page_title", {"read": "context", "context": {"remic": r"^\s*REMIC\s+(\S+)\s*$"}}),
        "items": make_rule("items", {"read": "items", "lines": ["ITEM"], "takes": ["remic"],
                                     "labels": {"total remittance": "total_remittance_due"}}),
    }
    tree = Tree("start", [
        Tree("page_title", [line("WORDS", "   AAMES", 1), Tree("remic_heading", [line("REMIC_HEADING", "   REMIC II", 2)])]),
        Tree("items", [line("ITEM", "TOTAL REMITTANCE    1.00", 3)]),
        Tree("page_title", [line("WORDS", "   AAMES", 4)]),
        Tree("items", [line("ITEM", "TOTAL REMITTANCE    2.00", 5)]),
    ])
    reader = Reader(rules)
    reader.walk(tree)
    assert [(f.value, dict(f.dims)) for f in reader.tables.facts.facts] == [
        (Decimal("1.00"), {"remic": "II"}), (Decimal("2.00"), {})]


def test_titled_group_tables_and_a_sub_heading_that_keeps_the_columns_above_it():
    rows = ["ROW", "VALUES"]
    rules = {
        "group_table": make_rule("group_table", {"read": "group_table", "label": "leading", "lines": rows,
                                                 "title": "GROUP_COLUMNS"}),
        "group_subtable": make_rule("group_subtable", {"read": "group_table", "label": "leading", "lines": rows,
                                                       "title": "SUBHEADING", "keep_columns": True}),
    }
    titles = {"sources of principal": {"total principal": "total_principal_remittance"},
              "total sources": {"": "total_sources"}}
    tree = Tree("start", [
        Tree("group_table", [line("GROUP_COLUMNS", "   SOURCES OF PRINCIPAL      FIXED GROUP   TOTAL", 1),
                             line("ROW", "   TOTAL  PRINCIPAL              1.00          2.00", 2)]),
        Tree("group_subtable", [line("SUBHEADING", "   TOTAL SOURCES", 3),
                                line("VALUES", "                                3.00          4.00", 4)]),
    ])
    reader = Reader(rules, titles)
    reader.walk(tree)
    assert [(f.concept, f.label, f.raw, dict(f.dims)) for f in reader.tables.facts.facts] == [
        ("total_principal_remittance", "TOTAL  PRINCIPAL", "1.00", {"group": "fixed"}),
        ("total_principal_remittance", "TOTAL  PRINCIPAL", "2.00", {"group": "total"}),
        ("total_sources", "TOTAL SOURCES", "3.00", {"group": "fixed"}),
        ("total_sources", "TOTAL SOURCES", "4.00", {"group": "total"}),
    ]


def test_columns_from_cell_extents_keep_a_group_title_apart_from_the_titles_under_it():
    from trustc.compiler.columns import extent_columns, split_cells, title_extents

    headers = ["               Rate", "Class    Uncapped   Capped"]  # Rate over both rate columns
    rows = ["A-1       1.500%   1.25%", "A-2      12.000%  11.75%"]
    columns = extent_columns(c for text in rows for c in split_cells(text))
    assert [(c.start, c.end) for c in columns] == [(0, 3), (9, 16), (18, 24)]
    assert [(c.name, c.group) for c in title_extents(columns, headers)] == [
        ("Class", ""), ("Uncapped", "Rate"), ("Capped", "Rate")]


def test_subtrees_are_larks_top_down_order():
    """spec.subtrees steps over the lines Lark's iter_subtrees_topdown stacks one by one: same subtrees, same order."""
    from trustc.compiler.spec import subtrees

    tree = Tree("start", [line("A", "a"), Tree("x", [Tree("y", [line("B", "b")]), line("C", "c"), Tree("z", [])]),
                          Tree("w", [Tree("v", [Tree("u", [])])]), line("D", "d")])
    assert [t.data for t in subtrees(tree)] == [t.data for t in tree.iter_subtrees_topdown()] == \
        ["start", "x", "y", "z", "w", "v", "u"]


def test_a_statements_lines_are_searched_by_kind_in_print_order():
    """The statement's fields search its lines once walked (spec.Printed): kinds filter, order kept, recovery's
    empty lines dropped."""
    from trustc.compiler.spec import Printed

    tree = Tree("pool", [line("PAGE_LINE", "Page: 1 of 2", 1), Tree("t", [line("ROW", "A  1", 2), line("ROW", "", 3)]),
                         line("lines__PAGE_LINE", "Page: 2 of 2", 4)])
    printed = Printed.walk(tree)
    assert [t.line for t in printed.of(("PAGE_LINE",))] == [1, 4]
    assert [t.line for t in printed.of(("ROW", "PAGE_LINE"))] == [1, 2, 4]
