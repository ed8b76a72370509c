"""US Bank, NA: "STATEMENT TO CERTIFICATEHOLDERS / DISTRIBUTION SUMMARY" (grammar: us_bank.lark).

The class table is printed as stacked column blocks; a block with a Class
column joins its rows to classes by label, a block without one by row position
(to the block printed before it in the same section). Labels are cut at 16
characters by the report writer: the maps below are keyed by what is printed.
"""
from __future__ import annotations

import re
from typing import Any, Optional

import attrs
from lark import Token

from ..ast import Statement
from ..columns import Column, assign, spanning_columns
from ..layout import Layout, LayoutResult, real
from ..statement import ClassRegistry, FactBuilder, header_columns, norm, row_cells
from .form8k import Form8KTransformer, assemble_form, date_field

# What a column title means, per section of the statement.
CLASS_COLUMNS = {
    "summary": {
        "orig bal": "original_balance", "beg bal": "beginning_balance", "prin": "principal_distribution",
        "rate": "pass_through_rate", "int": "interest_distribution", "loss": "realized_loss",
        "total dist": "total_distribution", "int short": "interest_shortfall", "end bal": "ending_balance",
    },
    "per_1000": {
        "cusip": "cusip", "prin": "principal_per_1000", "int": "interest_per_1000", "total": "total_per_1000",
        "interest carry-forward amount": "interest_carryforward_per_1000", "end bal": "ending_balance_per_1000",
    },
    "shortfall": {
        "tot unpaid": "unpaid_interest_shortfall", "real losses": "realized_loss_interest_shortfall",
        "prep int shortfall": "prepayment_interest_shortfall", "raisf": "relief_act_interest_shortfall",
        "net wac rate carryover": "net_wac_rate_carryover",
    },
}
# What a row label means in the group tables (the columns give the group).
GROUP_ROWS = {
    "beginning balanc": "pool_beginning_balance", "scheduled p": "scheduled_principal",
    "prep (incls": "prepaid_principal", "net liq pro": "net_liquidation_proceeds",
    "loan purch.": "repurchased_principal", "total prin": "total_principal_remittance",
    "net realize": "net_realized_losses", "ending balance": "pool_ending_balance",
    "ending count": "pool_ending_loan_count", "sched in(net ser": "scheduled_interest",
    "less rais": "relief_act_shortfall", "less net ppis": "net_prepayment_interest_shortfall",
    "less nonrecov ad": "nonrecoverable_advances",
}
INTEREST_TOTAL = "interest_remittance"
# Single-figure lines: deal-level facts.
DEAL_ITEMS = {
    "aggregate end coll bal": "aggregate_collateral_balance",
    "ending overcollateralization amount": "overcollateralization_amount",
    "number of liquidated loans": "liquidated_loan_count",
    "servicing fee": "servicing_fee",
    "curr agg adv as of determ. date": "current_advances",
    "out. agg. adv as of end of prior calendar mont": "outstanding_advances",
    "has fairbanks failed the termination test": "termination_test_failed",
    "num. of loans for which prep.prem. were collec": "prepayment_premium_loans_collected",
    "number of loans for which prepayment premiums": "prepayment_premium_loans",
    "prin. bal. of loans for which prep. prem. were": "prepayment_premium_loan_balance",
    "curr. amt of prep. prems": "prepayment_premiums",
    "real. losses incurred during the related due p": "realized_losses",
    "cum. real. losses since startup day": "cumulative_realized_losses",
    "weighted avg term to mat. of mortg. loans": "weighted_average_remaining_term",
    "weighted avg. gross coup. of mortg. loans": "weighted_average_gross_coupon",
    "weighted avg. net coupon of mortg. loans": "weighted_average_net_coupon",
    "agg. num. of mortg. loans in the pool": "loan_count_total",
    "o/c target amt": "overcollateralization_target",
    "credit enhancement %": "credit_enhancement_percentage",
    "o/c increase amount": "overcollateralization_increase",
    "o/c release amt": "overcollateralization_release",
    "o/c deficiency amt": "overcollateralization_deficiency",
    "excess o/c amt": "excess_overcollateralization",
    "pmt from yield maint. agreement": "yield_maintenance_payment",
    "net monthly excess cash flow": "net_monthly_excess_cash_flow",
    "extra ordinary trust fund expenses": "extraordinary_trust_expenses",
    "trigger event occurance": "trigger_event",
    "step down date occurred": "stepdown_date_occurred",
}
MATRIX_COLUMNS = {
    "delinquency": {"count": "delinquent_loan_count", "balance": "delinquent_balance"},
    "status": {"count": "loan_count", "balance": "loan_balance", "market value (reo)": "reo_market_value"},
}
STATUSES = {"outstanding loan": "outstanding", "foreclosure": "foreclosure", "bankruptcy": "bankruptcy", "reo": "reo"}
BUCKET = re.compile(r"(\d+)\s*(?:-\s*(\d+)|\+)")


@attrs.frozen
class Heading:
    title: tuple[Token, ...]
    date: Token


@attrs.frozen
class Block:
    section: str
    headers: tuple[Token, ...]
    rows: tuple[Token, ...]


@attrs.frozen
class GroupHeading:
    token: Token


@attrs.frozen
class GroupRows:
    heading: Token
    rows: tuple[Token, ...]


@attrs.frozen
class Items:
    tokens: tuple[Token, ...]


@attrs.frozen
class Matrix:
    section: str
    group: Token
    headers: tuple[Token, ...]
    rows: tuple[Token, ...]


class USBankTransformer(Form8KTransformer):
    def statement(self, children):
        return children

    def statement_heading(self, children):
        *title, _marker, date = children
        return Heading(real(title), date)

    def distribution_date(self, children):
        return children[0]

    def column_headers(self, children):
        return real(children)

    def column_block(self, children):
        return Block("", children[0], real(children[1:]))

    def distribution_summary(self, children):
        return [attrs.evolve(block, section="summary") for block in children[1:]]

    def amounts_per_1000(self, children):
        return [attrs.evolve(block, section="per_1000") for block in children[1:]]

    def interest_shortfall(self, children):
        return [attrs.evolve(block, section="shortfall") for block in children[1:]]

    def group_header(self, children):
        return GroupHeading(children[0])

    def principal_distributions(self, children):
        return GroupRows(children[0], real(children[1:]))

    interest_distributions = principal_distributions

    def deal_item(self, children):
        return Items(real(children))

    def bucket_table(self, children):
        group, headers, *rows = children
        return Matrix("delinquency", group, headers, real(r for r in rows if isinstance(r, Token)))

    def status_table(self, children):
        group, headers, *rows = children
        return Matrix("status", group, headers, real(rows))

    def note(self, children):
        return None

    def advances(self, children):
        return None

    delinquency_heading = advances


def group_dim(column: Optional[Column]) -> Optional[str]:
    if column is None:
        return None
    m = re.fullmatch(r"GROUP\s+(\w+)", column.name.strip(), re.I)
    if m:
        return m.group(1)
    return "total" if column.name.strip().upper() == "TOTAL" else None


@attrs.define
class USBankAssembler:
    facts: FactBuilder = attrs.field(factory=FactBuilder)
    classes: ClassRegistry = attrs.field(factory=ClassRegistry)
    group_columns: list[Column] = attrs.field(factory=list)
    last_labels: dict[str, list[Optional[str]]] = attrs.field(factory=dict)

    def class_block(self, block: Block) -> None:
        columns = header_columns(block.headers)
        labelled = bool(columns) and norm(columns[0].name) == "class"
        if labelled:
            columns = columns[1:]
        known = CLASS_COLUMNS[block.section]
        names: list[Optional[str]] = []
        rows = [row_cells(row) for row in block.rows]
        labelled = labelled or any(label is not None for label, _values in rows)
        # A totals row prints as many figures as the class rows above it.
        width = max((len(v) for label, v in rows if label is not None), default=0)
        for index, (row, (label, values)) in enumerate(zip(block.rows, rows)):
            name = self.row_class(block, index, label, values, labelled, len(rows), width)
            names.append(name)
            label_span = label.span(row.line) if label else None  # one per row, shared by its facts
            for cell, column in assign(values, columns):
                title = column.name if column else ""
                concept = known.get(norm(title))
                if concept is None or name is None:
                    self.facts.unplaced(cell, row.line, f"under column {title!r} has no known meaning here")
                    continue
                fact = self.facts.add(concept, title, cell, row.line, {"class": name}, label_span)
                self.classes.record(name, fact)
        if labelled or any(n is not None for n in names):
            self.last_labels[block.section] = names

    def row_class(self, block: Block, index: int, label, values, labelled: bool, count: int,
                  width: int) -> Optional[str]:
        if label is not None:
            if block.section == "summary":
                return self.classes.declare(label.text)
            return self.classes.resolve(label.text) or self.classes.declare(label.text)
        if labelled and index == count - 1 and len(values) == width:
            return self.classes.declare("Total")  # the unlabelled last row of a class table
        previous = self.last_labels.get(block.section, [])
        return previous[index] if index < len(previous) else None

    def group_rows(self, piece: GroupRows) -> None:
        for row in piece.rows:
            label, values = row_cells(row)
            concept = GROUP_ROWS.get(norm(label.text)) if label else INTEREST_TOTAL
            if concept is None:
                self.facts.unknown_row(row)
                continue
            self.group_cells(concept, label.text if label else "", label, values, row)

    def group_cells(self, concept, title, label, values, row: Token) -> None:
        for cell, column in assign(values, self.group_columns):
            group = group_dim(column)
            if concept is None or group is None:
                self.facts.unplaced(cell, row.line, f"in row {title!r} has no known meaning here")
                continue
            self.facts.add(concept, title, cell, row.line, {"group": group}, label.span(row.line) if label else None)

    def items(self, piece: Items) -> None:
        for row in piece.tokens:
            label, values = row_cells(row)
            concept = DEAL_ITEMS.get(norm(label.text)) if label else None
            if concept is None:
                self.facts.unknown_row(row)
                continue
            for cell in values:
                self.facts.add(concept, label.text, cell, row.line, {}, label.span(row.line))

    def matrix(self, piece: Matrix) -> None:
        spans = spanning_columns(piece.group.value)
        columns = header_columns(piece.headers)
        known = MATRIX_COLUMNS[piece.section]
        for row in piece.rows:
            label, values = row_cells(row)
            dims = self.row_dims(piece.section, label.text)
            if dims is None:
                self.facts.unknown_row(row)
                continue
            for cell, column in assign(values, columns):
                concept = known.get(norm(column.name)) if column else None
                owner = next((s for s in spans if column and s.start <= column.end and column.start < s.end), None)
                group = group_dim(owner)
                if concept is None or group is None:
                    self.facts.unplaced(cell, row.line, f"in row {label.text!r} has no known meaning here")
                    continue
                self.facts.add(concept, column.name, cell, row.line, {"group": group, **dims},
                               label.span(row.line))

    @staticmethod
    def row_dims(section: str, label: str) -> Optional[dict]:
        if section == "delinquency":
            m = BUCKET.search(label)
            if not m:
                return None
            return {"bucket": f"{m.group(1)}-{m.group(2)}" if m.group(2) else f"{m.group(1)}+"}
        status = STATUSES.get(norm(label))
        return {"status": status} if status else None


class USBank(Layout):
    id = "us-bank"
    description = "US Bank, NA trustee: STATEMENT TO CERTIFICATEHOLDERS / DISTRIBUTION SUMMARY inside a Form 8-K"
    grammar = "us_bank.lark"
    transformer = USBankTransformer
    evidence = (
        (r"(?i)STATEMENT\s+TO\s+CERTIFICATEHOLDERS", 0.2, "statement title"),
        (r"(?m)^\s*DISTRIBUTION\s+SUMMARY\s*$", 0.3, "DISTRIBUTION SUMMARY heading"),
        (r"(?m)^\s*AMOUNTS\s+PER\s+\$1,000\s+UNIT\s*$", 0.3, "AMOUNTS PER $1,000 UNIT heading"),
        (r"(?m)^\s*Class\s+Orig\s+Bal\s+Beg\s+Bal", 0.2, "Class / Orig Bal / Beg Bal column block"),
    )

    def assemble(self, pieces: list[Any], view) -> LayoutResult:
        result = assemble_form(pieces)
        build = USBankAssembler()
        heading: Optional[Heading] = None
        for piece in pieces:
            if isinstance(piece, Heading):
                heading = piece
            elif isinstance(piece, Block):
                build.class_block(piece)
            elif isinstance(piece, GroupHeading):
                build.group_columns = spanning_columns(piece.token.value)
            elif isinstance(piece, GroupRows):
                build.group_rows(piece)
            elif isinstance(piece, Items):
                build.items(piece)
            elif isinstance(piece, Matrix):
                build.matrix(piece)
        if heading is None and not build.facts.facts:
            return result
        title = " / ".join(t.value.strip() for t in heading.title) if heading else ""
        series = re.search(r"Series\s+(\S+)", title)
        date = None
        if heading is not None:
            colon = heading.date.value.find(":")
            date = date_field(heading.date, colon + 1)
        result.statements.append(
            Statement(self.id, title, date, build.classes.balances(), tuple(build.facts.facts),
                      series=series.group(1) if series else None)
        )
        result.diagnostics.extend(build.facts.diagnostics)
        return result
