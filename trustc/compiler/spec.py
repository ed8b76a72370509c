"""Layouts as data: a grammar plus a spec (`compiler/layouts/<id>.toml`) that binds grammar rules to table kinds.

The spec names the layout (id, description, grammar, evidence), says which rule
of the parse tree is one statement and where its title, date and series are
printed, and binds rules to the table kinds of `tables.py`:

    [rules.principal_distributions]
    read = "group_table"   # class_table | group_table | matrix | row_matrix | items | label_above | text
                           # | key_values | transposed | group_columns | columns | context | section
    rows = { "beginning balanc" = "pool_beginning_balance", ... }

A rule (or the whole spec, at the top) may say `cells = "generic"`: its lines are
split as the generic reader splits them (shaped_tables.py: figures one space apart,
`|` cells, columns from the figures' positions), for class_table, items and
label_above. A label mapped to "" keeps its figures as facts with no concept yet
(what `trustc new-layout` writes for a label no concept matched).

The interpreter walks the parse tree once. A rule with `read` is read as that
kind of table; a rule without one is walked into; lines outside any table
(headings, notes, prose) are consumed by the grammar and carry no figure. The
context (`dims` of a rule, the group columns a `group_columns` line sets, the
values a `context` rule reads from a printed heading, the section a `section`
heading opens for the items under it) passes down to the tables inside and after it. See docs/adding-a-layout.md, "The spec".
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator, Optional

import attrs
from lark import Token, Tree

from .ast import Diagnostic, Field, Span, Statement
from .columns import Column, spanning_columns, split_cells, stack_headers, titled_columns
from .concepts import tomllib
from .cover import date_field, kind
from .diagnostics import warning
from .layout import Layout, LayoutResult
from .numbers import parse_date
from . import shaped_tables
from .tables import (ClassTable, GroupTable, Items, KeyValues, Matrix, RowMatrix, RowPattern, Tables,
                     TransposedMatrix, key, real)

# The rules of form8k.lark a statement layout %imports: the 8-K around the statement.
FORM_RULES = ("cover", "items", "signatures", "exhibit_index")


def tokens(node: Any) -> list[Token]:
    """Every real line under a node, in order (the lines `real` keeps: recovery's empty ones dropped).

    A walk with its own stack: a statement's fields each search the whole statement, and a
    recursive walk building a list per subtree cost rfmsi ~8% of its compile."""
    if isinstance(node, Token):
        return [node] if node.value else []
    out: list[Token] = []
    keep = out.append
    stack = [iter(node.children)]
    while stack:
        for child in stack[-1]:
            if isinstance(child, Tree):
                stack.append(iter(child.children))
                break
            if child.value:  # as `real`
                keep(child)
        else:
            stack.pop()
    return out


def subtrees(node: Tree) -> Iterator[Tree]:
    """Every subtree, top down in print order (as Lark's iter_subtrees_topdown), stepping over the lines
    instead of stacking each one."""
    stack = [node]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in reversed(node.children) if isinstance(child, Tree))


@attrs.frozen
class Rule:
    """What a grammar rule is: a table of some kind (`read`), or context for what is inside it."""

    name: str
    read: Optional[str] = None
    table: Any = None
    headers: str = "column_headers"  # the child rule holding a table's column titles
    lines: tuple[str, ...] = attrs.field(default=("ROW", "VALUES"), converter=tuple)  # line kinds of its rows
    blocks: Optional[str] = None  # child rules that are each one table of this kind (stacked blocks)
    groups: Optional[str] = None  # the line kind whose titles span the columns (a matrix's groups)
    unlabelled: Optional[str] = None  # the concept of a group table's row printed without a label
    cells: str = "lines"  # how its lines split into cells: "lines" (lines.lark) or "generic" (shapes.py)
    dims: dict = attrs.field(factory=dict)  # context the facts inside carry
    # context values read from the lines under the rule: name -> pattern whose group 1 is the value (a pattern
    # that does not match unsets it); { pattern = ..., lower = true } gives the value in lower case
    context: dict = attrs.field(factory=dict, converter=lambda m: {n: ContextValue.of(p) for n, p in m.items()})
    takes: tuple[str, ...] = attrs.field(default=(), converter=tuple)  # context values its facts carry as dims
    # the line kind printing the table's title then its columns; its title picks the table in `[titles]`
    title: Optional[str] = None
    keep_columns: bool = False  # the title line prints no columns: the columns above it still hold
    group_line: Optional[str] = None  # the line kind whose first cell names a transposed block's group
    first_is_title: bool = False  # `columns`: the first column title is the table's title, not a column
    totals_row: Optional[str] = None  # the child rule printing a class table's totals row apart (under a rule)
    header_lines: tuple[str, ...] = attrs.field(default=(), converter=tuple)  # line kinds that are column titles too
    label_lines: tuple[str, ...] = attrs.field(default=(), converter=tuple)  # line kinds that begin an item's label
    continuation: tuple[str, ...] = attrs.field(default=(), converter=tuple)  # line kinds finishing a text value


@attrs.frozen
class ContextValue:
    pattern: re.Pattern
    lower: bool = False

    @classmethod
    def of(cls, entry: Any) -> "ContextValue":
        if isinstance(entry, str):
            return cls(re.compile(entry))
        return cls(re.compile(entry["pattern"]), bool(entry.get("lower", False)))

    def read(self, lines: list[Token]) -> Optional[str]:
        found = next((m for t in lines for m in [self.pattern.search(t.value)] if m), None)
        if found is None:
            return None
        return found.group(1).lower() if self.lower else found.group(1)


TABLE_KINDS = {"class_table": ClassTable, "group_table": GroupTable, "matrix": Matrix, "items": Items,
               "label_above": Items, "key_values": KeyValues, "transposed": TransposedMatrix, "text": Items,
               "row_matrix": RowMatrix}
RULE_FIELDS = {"read", "headers", "lines", "blocks", "groups", "unlabelled", "dims", "cells", "context", "takes",
               "title", "keep_columns", "group_line", "first_is_title", "totals_row", "header_lines",
               "label_lines", "continuation"}
GENERIC_KINDS = ("class_table", "items", "label_above")  # the kinds `cells = "generic"` reads


# The options a rule building no table reads (Reader.within, Reader.read): any other it was given would be
# ignored unsaid, so it is refused. A rule without `read` is walked into and passes its `dims` down; one with a
# context kind reads `context` values (per `blocks` child), and `columns` may take its first title as the title.
CONTEXT_OPTIONS = {None: ("dims",), "group_columns": ("read", "context", "blocks"),
                   "columns": ("read", "context", "blocks", "first_is_title"),
                   "context": ("read", "context", "blocks"), "section": ("read", "context", "blocks")}


def stray_options(name: str, entry: dict) -> None:
    """A ValueError naming the options a rule was given that its kind does not take (a misspelling, or an
    option of another kind): a context rule takes CONTEXT_OPTIONS; a table kind the Rule's fields but `dims`
    (only a rule without `read` passes dims down) and the fields of its table class."""
    read = entry.get("read")
    if read in CONTEXT_OPTIONS:
        takes = set(CONTEXT_OPTIONS[read])
    elif read in TABLE_KINDS:
        takes = (RULE_FIELDS - {"dims"}) | {f.name for f in attrs.fields(TABLE_KINDS[read])}
    else:
        raise ValueError(f"rule {name!r}: unknown kind {read!r}")
    stray = sorted(set(entry) - takes)
    if stray:
        kind = f"read = {read!r}" if read is not None else "a rule without `read`"
        raise ValueError(f"rule {name!r}: {kind} does not take {', '.join(map(repr, stray))}; "
                         f"it takes {', '.join(sorted(takes))}")


def make_rule(name: str, entry: dict, cells: str = "lines") -> Rule:
    """`cells`: the spec's default for how lines split into cells (a rule may say otherwise; a kind
    the generic cells do not read keeps "lines")."""
    stray_options(name, entry)
    options = {k: v for k, v in entry.items() if k in RULE_FIELDS}
    options.setdefault("cells", cells if entry.get("read") in (None, *GENERIC_KINDS) else "lines")
    if options["cells"] not in shaped_tables.CELLS:
        raise ValueError(f"rule {name!r}: cells = {options['cells']!r}, not one of {shaped_tables.CELLS}")
    if options["cells"] == "generic" and entry.get("read") not in (None, *GENERIC_KINDS):
        raise ValueError(f"rule {name!r}: cells = \"generic\" reads {', '.join(GENERIC_KINDS)}, not {entry['read']!r}")
    table_options = {k: v for k, v in entry.items() if k not in RULE_FIELDS}
    read = entry.get("read")
    table = None
    if read in TABLE_KINDS:
        if "patterns" in table_options:
            table_options["patterns"] = tuple(RowPattern(**p) for p in table_options["patterns"])
        table = TABLE_KINDS[read](**table_options)
    return Rule(name, table=table, **options)


def _pattern(text: Optional[str]) -> Optional[re.Pattern]:
    return re.compile(text) if text else None


@attrs.frozen
class StatementSpec:
    rule: str  # each tree of this rule is one statement
    heading: Optional[str] = None  # the rule holding the title lines and the date line
    # line kinds of the heading that make the title, joined by " / "
    title_lines: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    date_line: Optional[str] = None  # the line kind printing the distribution date (its first one in the statement)
    date_in: str = "after_colon"  # where on that line: "after_colon" or "last_cell" ("26-December-00")
    series: Optional[re.Pattern] = attrs.field(default=None, converter=_pattern)
    series_lines: tuple[str, ...] = attrs.field(default=(), converter=tuple)  # searched for `series` (else the title)
    pool: Optional[re.Pattern] = attrs.field(default=None, converter=_pattern)  # the pool number, group 1
    pool_lines: tuple[str, ...] = attrs.field(default=(), converter=tuple)  # its first match names the pool
    pool_agrees: tuple[str, ...] = attrs.field(default=(), converter=tuple)  # line kinds printing it again
    # { line = kind, pattern = '(\d+) of (\d+)' }: the statement's pages, numbered 1 of N .. N of N
    pages: Optional["PageNumbers"] = attrs.field(default=None, converter=lambda p: PageNumbers(**p) if p else None)
    date_fact: Optional[str] = None  # else: the concept of the fact giving the date (its first printing)

    def matches(self, pattern: Optional[re.Pattern], printed: "Printed", kinds: tuple[str, ...]) -> Iterator[tuple[str, Token]]:
        if pattern is None:
            return iter(())
        found = ((pattern.search(t.value), t) for t in printed.of(kinds))
        return ((m.group(1), t) for m, t in found if m)

    def first_match(self, pattern: Optional[re.Pattern], printed: "Printed", kinds: tuple[str, ...]) -> Optional[str]:
        return next((value for value, _token in self.matches(pattern, printed, kinds)), None)

    def checks(self, printed: "Printed") -> list[Diagnostic]:
        """`pool-mismatch`: a line names another pool than the one the statement is of; `page-sequence`:
        pages missing, repeated or out of order (a repeated page's figures are kept twice, each with its span)."""
        out = []
        named = next(self.matches(self.pool, printed, self.pool_lines), None)
        odd = next(((v, t) for v, t in self.matches(self.pool, printed, self.pool_lines + self.pool_agrees)
                    if v != named[0]), None) if named is not None else None
        if odd is not None:
            out.append(warning("pool-mismatch", f"pool {named[0]}: a page names pool {odd[0]}",
                               whole_line(odd[1]), [whole_line(named[1])]))
        if self.pages is not None:
            out.extend(self.pages.check(printed))
        return out

    def date(self, printed: "Printed") -> Optional[Field]:
        token = next(printed.of((self.date_line,)), None)
        if token is None:
            return None
        if self.date_in == "last_cell":
            cell = split_cells(token.value)[-1]
            return Field(parse_date(cell.text), cell.text, cell.span(token.line))
        return date_field(token, token.value.find(":") + 1)


@attrs.define
class Printed:
    """A statement's lines (those `tokens` keeps) with their kinds, walked once: the statement's title, date,
    series, pool and page checks each search lines of some kinds."""

    lines: list[tuple[str, Token]]

    @classmethod
    def walk(cls, node: Tree) -> "Printed":
        return cls([(kind(t), t) for t in tokens(node)])

    def of(self, kinds: tuple[str, ...]) -> Iterator[Token]:
        """The lines of these kinds, in order."""
        return (t for k, t in self.lines if k in kinds)


def whole_line(token: Token) -> Span:
    return Span(token.line, 1, token.line, len(token.value) + 1)


@attrs.frozen
class PageNumbers:
    """Page lines of a statement ("Page:  2 of 3"): group 1 the page, group 2 how many."""

    line: str
    pattern: re.Pattern = attrs.field(converter=re.compile)

    def check(self, lines: "Printed") -> list[Diagnostic]:
        printed = [(self.pattern.search(t.value), t) for t in lines.of((self.line,))]
        seen = [int(m.group(1)) for m, _t in printed if m]
        total = next((int(m.group(2)) for m, _t in printed if m), len(seen))
        if not printed or seen == list(range(1, total + 1)):
            return []
        return [warning("page-sequence", f"the statement prints pages {', '.join(map(str, seen))} of {total}; "
                        "the figures of a repeated page are kept twice, each with its span",
                        whole_line(printed[-1][1]))]


@attrs.define
class Reader:
    """Walks one statement's tree, reading its tables in print order."""

    rules: dict[str, Rule]
    titles: dict[str, dict] = attrs.field(factory=dict)  # a table's printed title (keyed) -> its map
    tables: Tables = attrs.field(factory=Tables)
    group_columns: list[Column] = attrs.field(factory=list)  # set by `group_columns`, `columns` and title lines
    context: dict[str, str] = attrs.field(factory=dict)  # values `context` rules read from printed lines
    section: Optional[str] = None  # the `section` heading the items that follow are under

    def walk(self, node: Tree) -> None:
        for child in node.children:
            if isinstance(child, Tree):
                rule = self.rules.get(child.data)
                if rule is None:
                    self.walk(child)
                elif rule.read is None:
                    self.within(rule, child)
                else:
                    self.read(rule, child)

    def within(self, rule: Rule, node: Tree) -> None:
        saved = self.tables.dims
        self.tables.dims = {**saved, **rule.dims}
        self.walk(node)
        self.tables.dims = saved

    def read(self, rule: Rule, node: Tree) -> None:
        if rule.read not in ("items", "section"):
            self.section = None  # a table or a text item ends the section
        if rule.blocks is None:
            self.read_one(rule, node)
            return
        for block in node.children:
            if isinstance(block, Tree) and block.data == rule.blocks:
                self.read_one(rule, block)

    def read_one(self, rule: Rule, node: Tree) -> None:
        """One table of the rule's kind (the rule's tree, or one of its `blocks`), in its context."""
        lines = [c for c in node.children if isinstance(c, Token) and c.value]  # as `real`
        if rule.context:
            printed = tokens(node)
            for name, value in rule.context.items():
                found = value.read(printed)
                if found is None:
                    self.context.pop(name, None)
                else:
                    self.context[name] = found
        if not rule.takes:
            self.table(rule, node, lines)
            return
        saved = self.tables.dims
        self.tables.dims = {**saved, **{name: self.context[name] for name in rule.takes if name in self.context}}
        self.table(rule, node, lines)
        self.tables.dims = saved

    @staticmethod
    def headers(rule: Rule, node: Tree) -> list[Token]:
        """The lines of the rule's column titles (its `headers` child)."""
        return [t for c in node.children if isinstance(c, Tree) and c.data == rule.headers for t in tokens(c)]

    def table(self, rule: Rule, node: Tree, lines: list[Token]) -> None:
        rows = [t for t in lines if kind(t) in rule.lines]
        table, title = rule.table, ""
        if rule.title is not None:
            table, title = self.titled(rule, next((t for t in lines if kind(t) == rule.title), None))
        generic = rule.cells == "generic"
        if rule.read == "group_columns":
            self.group_columns = spanning_columns(lines[0].value) if lines else []
        elif rule.read == "columns":
            columns = stack_headers([t.value for t in lines])
            self.group_columns = columns[1:] if rule.first_is_title else columns
        elif rule.read == "class_table" and generic:
            shaped_tables.class_table(self.tables, table, self.headers(rule, node), rows)
        elif rule.read == "class_table" and rule.title is not None:
            self.tables.titled_class_table(table, title, self.group_columns, rows)
        elif rule.read == "class_table":
            self.tables.class_table(table, self.headers(rule, node), rows, self.totals(rule, node))
        elif rule.read == "label_above":  # its label lines are of other kinds than its rows: every line counts
            lines = [t for c in node.children if not (isinstance(c, Tree) and c.data == rule.headers) for t in tokens(c)]
            shaped_tables.label_above(self.tables, table, lines, shaped_tables.ROW_READERS[rule.cells])
        elif rule.read == "group_table":
            unlabelled = table.rows.get("", rule.unlabelled)
            self.tables.group_table(table, self.group_columns, rows, unlabelled, title)
        elif rule.read == "matrix":
            groups = next((t for t in lines if kind(t) == rule.groups), None)
            self.tables.matrix(table, groups, self.headers(rule, node), rows)
        elif rule.read == "items":
            above = [t for t in lines if kind(t) in rule.label_lines]
            if above or any(not t.value[:1].isspace() for t in rows):
                self.section = None  # an item whose label is not indented under the heading ends its section
            self.tables.items(table, rows, shaped_tables.generic_row if generic else None, above, self.section)
        elif rule.read == "text":
            for token in rows[:1]:  # a text item is one tree: its line and the lines finishing its value
                self.tables.text_item(table, token, [t for t in lines if kind(t) in rule.continuation])
        elif rule.read == "row_matrix":
            titles = [t for c in node.children for t in (tokens(c) if isinstance(c, Tree) and c.data == rule.headers
                      else [c] if isinstance(c, Token) and kind(c) in rule.header_lines else [])]
            self.tables.row_matrix(table, titles, rows)
        elif rule.read == "section":
            self.section = rule.name
        elif rule.read == "key_values":
            self.tables.key_values(table, rows)
        elif rule.read == "transposed":
            first = next((c for c in node.children if isinstance(c, Token) and kind(c) == rule.group_line), None)
            self.tables.transposed(table, self.group_columns, first, rows)

    @staticmethod
    def totals(rule: Rule, node: Tree) -> Optional[Token]:
        """A class table's totals row printed apart: the row (a line of its `lines` kinds) under the child rule
        `totals_row`."""
        if rule.totals_row:
            return next((t for c in node.children if isinstance(c, Tree) and c.data == rule.totals_row
                         for t in tokens(c) if kind(t) in rule.lines), None)
        return None

    def titled(self, rule: Rule, line: Optional[Token]) -> tuple[Any, str]:
        """The table a title line picks from `[titles]`, and the title; the line's columns (unless it prints
        none: `keep_columns`) are the table's."""
        if line is None:
            return rule.table, ""
        if rule.keep_columns:
            title = line.value.strip()
        else:
            title, self.group_columns = titled_columns(line.value)
        found = self.titles.get(key(title), {})
        field = "columns" if isinstance(rule.table, ClassTable) else "rows"
        return attrs.evolve(rule.table, **{field: found}), title


def _evidence(entries: list[dict]) -> tuple[tuple[str, float, str], ...]:
    return tuple((e["pattern"], e["weight"], e["shows"]) for e in entries)


class SpecLayout(Layout):
    """A layout read from its spec: no Python of its own."""

    rules: dict[str, Rule] = {}
    titles: dict[str, dict] = {}
    statement_spec: StatementSpec
    form: bool = False

    def assemble(self, pieces: list[Any], view) -> LayoutResult:
        from .layouts.form8k import CoverLines, ItemLines, SignatureLines, assemble_form

        form_pieces: list[Any] = []
        statements: list[Tree] = []
        for tree in pieces:
            if not isinstance(tree, Tree):
                continue
            for node in subtrees(tree):
                if node.data == self.statement_spec.rule:
                    statements.append(node)
                elif self.form and node.data in FORM_RULES:
                    make = {"cover": CoverLines, "signatures": SignatureLines}.get(node.data, ItemLines)
                    form_pieces.append(make(tuple(tokens(node))))
        result = assemble_form(form_pieces) if self.form else LayoutResult()
        for node in statements:
            statement, diagnostics = self.statement(node)
            if statement is not None:
                result.statements.append(statement)
            result.diagnostics.extend(diagnostics)
        return result

    def statement(self, node: Tree) -> tuple[Optional[Statement], list]:
        spec = self.statement_spec
        reader = Reader(self.rules, self.titles)
        reader.walk(node)
        heading = next((c for c in subtrees(node) if c.data == spec.heading), None)
        tables = reader.tables
        if heading is None and not tables.facts.facts:
            return None, tables.facts.diagnostics
        lines = tokens(heading) if heading is not None else []
        title = " / ".join(t.value.strip() for t in lines if kind(t) in spec.title_lines)
        printed = Printed.walk(node)
        if spec.series_lines:
            series = spec.first_match(spec.series, printed, spec.series_lines)
        else:
            found = spec.series.search(title) if spec.series else None
            series = found.group(1) if found else None
        date = spec.date(printed)
        if spec.date_fact is not None:
            fact = next((f for f in tables.facts.facts if f.concept == spec.date_fact and f.value is not None), None)
            date = Field(fact.value, fact.raw, fact.span) if fact is not None else None
        statement = Statement(self.id, title, date, tables.classes.balances(), tuple(tables.facts.facts),
                              series=series, pool=spec.first_match(spec.pool, printed, spec.pool_lines))
        return statement, tables.facts.diagnostics + spec.checks(printed)


# The top-level keys a spec may have: another one is a misspelling, which would otherwise be ignored unsaid.
SPEC_KEYS = frozenset({"id", "description", "grammar", "evidence", "form", "cells", "statement", "statement_end",
                       "rules", "titles", "text_kinds", "prose_kinds"})


def load(path: Path) -> type[SpecLayout]:
    """The layout a spec file declares, registered under its id."""
    with open(path, "rb") as handle:
        spec = tomllib.load(handle)
    unknown = sorted(set(spec) - SPEC_KEYS)
    if unknown:
        raise ValueError(f"{path}: unknown top-level key(s) {', '.join(map(repr, unknown))}; "
                         f"a spec has {', '.join(sorted(SPEC_KEYS))}")
    rules = {name: make_rule(name, entry, spec.get("cells", "lines")) for name, entry in spec.get("rules", {}).items()}
    statement = spec["statement"]
    attributes = {
        "id": spec["id"], "description": spec["description"], "grammar": spec["grammar"],
        "evidence": _evidence(spec.get("evidence", [])), "form": spec.get("form") == "form8k",
        "rules": rules, "__module__": __name__, "statement_end": spec.get("statement_end"),
        "titles": {key(title): table for title, table in spec.get("titles", {}).items()},
        # line kinds whose figures are text (accounting.py): added to the 8-K's page and exhibit numbers
        "text_kinds": Layout.text_kinds | frozenset(spec.get("text_kinds", ())),
        "prose_kinds": Layout.prose_kinds | frozenset(spec.get("prose_kinds", ())),
        "statement_spec": StatementSpec(**statement),
    }
    name = "".join(part.title() for part in re.split(r"[-_]", spec["id"])) + "Layout"
    return type(name, (SpecLayout,), attributes)
