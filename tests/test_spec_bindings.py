"""Every spec binds only what its grammar has.

A spec names grammar rules (its `[rules.NAME]` tables, `headers`, `blocks`, `totals_row`, the
statement's `rule` and `heading`) and line kinds (`lines`, `groups`, `title_lines`, ...). A name
the grammar does not have is a binding that never fires: the rule's figures reach no table, and
nothing else says so. Run over every registered spec layout (built-in, or a user's through
TRUSTC_LAYOUTS), so a new spec is checked as soon as it is registered.
"""
from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from trustc.compiler import layout as registry
from trustc.compiler.layout import layouts
from trustc.compiler.lines import build_parser
from trustc.compiler.spec import Rule, SpecLayout, load, make_rule

SPECS = sorted(layout_id for layout_id, cls in layouts().items() if issubclass(cls, SpecLayout))
# Rule fields naming grammar rules, and fields naming line kinds (terminals).
RULE_FIELDS = ("headers", "blocks", "totals_row")
KIND_FIELDS = ("lines", "groups", "title", "group_line", "header_lines", "label_lines", "continuation")
STATEMENT_KIND_FIELDS = ("title_lines", "date_line", "series_lines", "pool_lines", "pool_agrees")
DEFAULTS = {f.name: f.default for f in attrs.fields(Rule)}


def names(value) -> set[str]:
    if value is None:
        return set()
    return {value} if isinstance(value, str) else set(value)


def named(rule: Rule, fields: tuple[str, ...]) -> set[str]:
    """What a rule names in these fields; a default it was not given is no binding of the spec's."""
    return {n for f in fields if hasattr(rule, f) and getattr(rule, f) != DEFAULTS.get(f) for n in names(getattr(rule, f))}


def unbound(cls) -> tuple[list[str], list[str]]:
    """(rules, line kinds) the spec names that its grammar does not have."""
    parser = build_parser(cls.grammar, cls.start, None)
    rules = {str(r.origin.name) for r in parser.rules}
    kinds = {t.name.rsplit("__", 1)[-1] for t in parser.terminals}  # an imported terminal by its own name
    statement = cls.statement_spec
    wanted_rules = set(cls.rules) | {statement.rule} | names(statement.heading)
    wanted_kinds = {n for f in STATEMENT_KIND_FIELDS for n in names(getattr(statement, f, None))}
    if getattr(statement, "pages", None) is not None:
        wanted_kinds |= names(statement.pages.line)
    for rule in cls.rules.values():
        wanted_rules |= named(rule, RULE_FIELDS)
        wanted_kinds |= named(rule, KIND_FIELDS)
    return sorted(wanted_rules - rules), sorted(wanted_kinds - kinds)


def test_the_built_in_layouts_are_specs():
    assert {"us-bank", "bankers-trust", "rfmsi"} <= set(SPECS)


@pytest.mark.parametrize("layout_id", SPECS)
def test_spec_binds_only_rules_and_line_kinds_of_its_grammar(layout_id):
    cls = layouts()[layout_id]
    assert unbound(cls) == ([], []), f"{cls.grammar}: the spec binds names its grammar does not have"


def test_a_misspelt_binding_is_found(tmp_path):
    """The check can fail: us-bank's spec with a rule and a line kind misspelt, under an id of its own
    (loading a spec registers it: under "us-bank" it would replace the built-in for every later test)."""
    text = (Path(__file__).resolve().parent.parent / "trustc/compiler/layouts/us_bank.toml").read_text(encoding="utf-8")
    text = text.replace("[rules.deal_item]", "[rules.deal_items]").replace("[rules.deal_item.labels]", "[rules.deal_items.labels]")
    text = text.replace('lines = ["BUCKET_ROW"]', 'lines = ["BUCKET_ROWS"]').replace('id = "us-bank"', 'id = "us-bank-misspelt"')
    spec = tmp_path / "us_bank.toml"
    spec.write_text(text, encoding="utf-8")
    saved = layouts()
    try:
        cls = load(spec)
        cls.grammar = saved["us-bank"].grammar
        assert unbound(cls) == (["deal_items"], ["BUCKET_ROWS"])
    finally:
        registry._REGISTRY.clear()
        registry._REGISTRY.update(saved)
    assert layouts()["us-bank"] is saved["us-bank"]


def test_a_misspelt_top_level_key_is_refused(tmp_path):
    """A top-level key no spec has ("statment_end") is an error naming it, not a setting ignored unsaid."""
    text = (Path(__file__).resolve().parent.parent / "trustc/compiler/layouts/us_bank.toml").read_text(encoding="utf-8")
    text = text.replace('id = "us-bank"', 'id = "us-bank-misspelt"\nstatment_end = "x"')
    spec = tmp_path / "us_bank.toml"
    spec.write_text(text, encoding="utf-8")
    saved = layouts()
    with pytest.raises(ValueError, match="'statment_end'"):
        load(spec)
    assert layouts() == saved


@pytest.mark.parametrize("entry, named", [
    ({"read": "context", "context": {"remic": r"REMIC\s+(\S+)"}, "rows": {"x": "y"}}, "'rows'"),  # a table's option
    ({"read": "columns", "first_is_title": True, "first_is_titel": True}, "'first_is_titel'"),  # misspelt
    ({"read": "section", "first_is_title": True}, "'first_is_title'"),  # another context kind's option
    ({"read": "group_columns", "takes": ["status"]}, "'takes'"),  # read only by table kinds
    ({"dims": {"group": "1"}, "lines": ["ROW"]}, "'lines'"),  # a rule without `read` is only walked into
    ({"read": "class_table", "colums": {"class": "class"}}, "'colums'"),  # a table kind's misspelt option
    ({"read": "group_table", "dims": {"group": "1"}}, "'dims'"),  # passed down only by a rule without `read`
])
def test_an_option_a_rule_does_not_take_is_refused(entry, named):
    """A misspelt or misplaced option is a ValueError at load naming it and the rule, whatever the rule's kind:
    a rule that only sets context builds no table, so nothing else would notice the option is never read."""
    with pytest.raises(ValueError, match=f"rule 'heading'.*{named}"):
        make_rule("heading", entry)


@pytest.mark.parametrize("entry", [
    {"dims": {"group": "1"}}, {"read": "group_columns"}, {"read": "section"},
    {"read": "context", "context": {"status": {"pattern": r"^\s*(\S+)", "lower": True}}},
    {"read": "columns", "first_is_title": True, "context": {"status": r"(\S+)"}},
])
def test_a_context_rule_takes_its_own_options(entry):
    assert make_rule("heading", entry).table is None
