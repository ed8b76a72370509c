"""Bankers Trust Company: "DISTRIBUTIONS IN DOLLARS / FACTOR INFORMATION PER $1000" (grammar: bankers_trust.lark).

Choices, so that they are stated once:
- One statement per report, however many REMICs it prints: the REMICs share
  the distribution date, the collateral and the parties, and their classes
  are distinct (I-1F, R-I / A-1F, R-II). Facts of a class table printed under
  a "REMIC I" heading carry the dimension `remic` ("I"); the TOTALS row of
  such a table is not a class: its facts carry only `remic` (the REMIC as a
  whole), so `classes` lists certificate classes only.
- A table whose columns are the groups (FIXED GROUP / ADJ GROUP / TOTAL)
  gives each figure the dimension `group`: "fixed", "adj", "total" (a
  "GROUP 2" column gives "2", as in the US Bank layout).
- Delinquency columns count missed payments; they are given the US Bank
  layout's day buckets (one payment missed is 30-59 days delinquent, two
  60-89, three or more 90+) so one query reads both layouts; the fact's label
  keeps the printed column title ("1 Payment").
- The parties block is printed on every class page: each copy is a fact of
  its own, with its span (a figure printed twice keeps both spans).
"""
from __future__ import annotations

import re
from typing import Any, Optional

import attrs
from lark import Token, Transformer

from ..ast import Field, Statement
from ..columns import Cell, Column, assign, split_cells
from ..layout import Layout, LayoutResult
from ..numbers import parse_boolean
from ..statement import ClassRegistry, FactBuilder, header_columns, norm

# Class tables: column title (stacked lines joined) -> concept.
CLASS_COLUMNS = {
    "distribution": {
        "original face value": "original_balance", "prior principal balance": "beginning_balance",
        "interest": "interest_distribution", "principal": "principal_distribution", "total": "total_distribution",
        "realized losses": "realized_loss", "deferred interest": "deferred_interest",
        "current principal balance": "ending_balance",
    },
    "factor": {
        "cusip": "cusip", "prior principal balance": "beginning_balance_per_1000", "interest": "interest_per_1000",
        "principal": "principal_per_1000", "total": "total_per_1000",
        "current principal balance": "ending_balance_per_1000", "rates current": "pass_through_rate",
        "estimated next": "next_pass_through_rate",
    },
}
# PRIOR / CURRENT class tables: table title -> {column -> concept}.
PERIOD_TABLES = {
    "accrued certificate interest": {
        "prior": "prior_accrued_certificate_interest", "current": "accrued_certificate_interest"},
    "interest carry forward amount": {
        "prior": "prior_interest_carryforward", "current": "interest_carryforward"},
}
# Group tables: table (or sub-heading) title -> {row label -> concept}; "" is a row printed without a label.
GROUP_ROWS = {
    "sources of principal": {
        "scheduled principal received": "scheduled_principal", "prepayments & curtailments": "prepaid_principal",
        "repurchases/substitutions": "repurchased_principal", "net liquidation proceeds": "net_liquidation_proceeds",
        "insurance proceeds": "insurance_proceeds_principal", "other principal": "other_principal",
        "prefunding account termination": "prefunding_account_termination",
        "less: realized losses": "principal_realized_losses", "total principal": "total_principal_remittance",
    },
    "sources of interest": {
        "scheduled interest": "gross_scheduled_interest", "repurchases/substitutions": "repurchased_interest",
        "liquidation proceeds": "liquidation_proceeds_interest", "insurance proceeds": "insurance_proceeds_interest",
        "other interest": "other_interest", "less: delinquent interest": "delinquent_interest",
        "less: ppis": "pool_prepayment_interest_shortfall", "less: ppis civil relief shortfall": "civil_relief_interest_shortfall",
        "less: current servicing fees": "current_servicing_fees", "less: realized losses": "interest_realized_losses",
        "plus: compensating interest": "compensating_interest", "plus: interest advanced amount": "interest_advanced",
        "plus: capitalized interest amount": "capitalized_interest", "plus: closing date deposit": "closing_date_deposit",
        "total interest": "interest_remittance",
    },
    "permitted withdrawals": {"": "permitted_withdrawals"},
    "total sources": {"": "total_sources"},
    "servicing fees": {
        "accrued servicing fee for the current period": "accrued_servicing_fee",
        "less:~ amounts to cover interest shortfalls": "servicing_fee_shortfall_cover",
        "less:~ delinquent service fees": "delinquent_servicing_fees",
        "collected servicing fees for current period": "servicing_fee",
        "amount per $1000 certificate": "servicing_fee_per_1000",
    },
    "pool information": {
        "prior principal balance of pool": "pool_beginning_balance",
        "current principal balance of pool": "pool_ending_balance", "group factor": "pool_factor",
        "prior number of loans": "pool_beginning_loan_count", "current number of loans": "pool_ending_loan_count",
        "number of loans purchased from mortgage replacement": "replacement_loans_purchased",
        "current principal bal. of loans purchased from mort replacement": "replacement_loans_purchased_balance",
        "number of loans paid in full": "loans_paid_in_full",
        "current weighted average mortgage rate": "weighted_average_gross_coupon",
        "next weighted average mortgage rate": "next_weighted_average_gross_coupon",
        "weighted average term to maturity": "weighted_average_remaining_term",
    },
    "trigger events": {
        "has a rolling loss rate event occurred?": "rolling_loss_trigger_event",
        "has a cumulative loss rate event occurred?": "cumulative_loss_trigger_event",
        "has a delinquency rate event occurred?": "delinquency_trigger_event",
    },
    "overcollateralization": {
        "extra principal distribution amount": "extra_principal_distribution",
        "overcollateralization amount": "overcollateralization_amount",
        "target overcollateralization amount": "overcollateralization_target",
    },
}
# Single-figure lines: deal-level facts.
DEAL_ITEMS = {
    "capitalized interest deposit for certificate account": "capitalized_interest_deposit",
    "prefunding deposit for certificate account": "prefunding_deposit",
    "total remittance due": "total_remittance_due",
    "mbia premium paid": "insurer_premium_paid",
    "insured amounts": "insured_amounts",
    "unpaid insured amounts and interest on the amounts": "unpaid_insured_amounts",
    "supplemental interest amount (paid)": "supplemental_interest_paid",
    "supplemental interest amount (remaining unpaid)": "supplemental_interest_unpaid",
}
# Delinquency tables: row label -> concept, for the delinquent section and for the status sections.
STATUS_ROWS = {
    "delinquent": {
        "principal balance": "delinquent_balance", "percentage of pool balance": "delinquent_balance_percentage",
        "number of loans": "delinquent_loan_count", "percentage of pool loans": "delinquent_loan_count_percentage",
    },
    "status": {
        "principal balance": "loan_balance", "percentage of pool balance": "loan_balance_percentage",
        "number of loans": "loan_count", "percentage of pool loans": "loan_count_percentage",
    },
}
PAYMENT_BUCKETS = {"1": "30-59", "2": "60-89", "3+": "90+", "total": "total"}
# Parties block: key -> concept; a line with a value but no key continues the key above it.
PARTIES = {
    "seller": "seller", "servicer": "servicer", "lead underwriter": "underwriter", "underwriter": "underwriter",
    "record date": "record_date", "distribution date": "distribution_date", "administrator": "administrator",
    "factor information": "factor_information_phone",
}
CONTINUED = {"administrator": "administrator_address"}
GROUP_NAME = re.compile(r"(FIXED|ADJ|ADJUSTABLE|ARM)\s+GROUP|GROUP\s+(\w+)|(TOTAL)", re.I)


@attrs.frozen
class PageTitle:
    lines: tuple[Token, ...]
    remic: Optional[Token]


@attrs.frozen
class ClassTable:
    kind: str
    headers: tuple[Token, ...]
    rows: tuple[Token, ...]
    totals: Optional[Token] = None


@attrs.frozen
class Parties:
    lines: tuple[Token, ...]


@attrs.frozen
class PaymentColumns:
    lines: tuple[Token, Token]


@attrs.frozen
class GroupBlock:
    first: Token
    rows: tuple[Token, ...]


@attrs.frozen
class StatusHeading:
    token: Token


@attrs.frozen
class GroupTable:
    header: Token
    rows: tuple[Token, ...]
    continued: bool  # a sub-heading under the columns of the table before it


@attrs.frozen
class PeriodTable:
    header: Token
    rows: tuple[Token, ...]


@attrs.frozen
class DealItems:
    lines: tuple[Token, ...]


def _kind(token: Token) -> str:
    return token.type.rsplit("__", 1)[-1]


class BankersTrustTransformer(Transformer):
    def start(self, children):
        return children

    def page(self, children):
        return children

    def edgar_table(self, children):
        return [c for c in children if not isinstance(c, Token)]

    def section(self, children):
        return children[1:]

    def page_title(self, children):
        remic = next((c for c in children if isinstance(c, tuple)), None)
        lines = tuple(c for c in children if isinstance(c, Token) and _kind(c) == "WORDS")
        return PageTitle(lines, remic[0] if remic else None)

    def remic_heading(self, children):
        return (children[0],)

    def distribution_table(self, children):
        headers = children[1]
        rows = tuple(c for c in children[2:] if isinstance(c, Token) and _kind(c) == "ROW")
        return ClassTable("distribution", headers, rows, children[-1])

    def factor_table(self, children):
        rows = tuple(c for c in children[2:] if isinstance(c, Token) and _kind(c) == "ROW")
        return ClassTable("factor", children[1], rows)

    def column_headers(self, children):
        return tuple(children)

    def totals(self, children):
        return children[0]

    def parties(self, children):
        return Parties(tuple(children))

    def payment_columns(self, children):
        return PaymentColumns((children[0], children[1]))

    def loan_status_table(self, children):
        return [c for c in children if not isinstance(c, Token)]

    def group_block(self, children):
        return GroupBlock(children[0], tuple(c for c in children[1:] if _kind(c) == "ROW"))

    def status_heading(self, children):
        return StatusHeading(children[0])

    def group_table(self, children):
        return GroupTable(children[0], tuple(c for c in children[1:] if _kind(c) not in ("RULE", "CELL_MARKS")), False)

    def group_subtable(self, children):
        return GroupTable(children[0], tuple(c for c in children[1:] if _kind(c) != "RULE"), True)

    def class_period_table(self, children):
        return PeriodTable(children[0], tuple(c for c in children[1:] if _kind(c) == "ROW"))

    def deal_items(self, children):
        return DealItems(tuple(children))

    def exhibit_title(self, children):
        return None

    notice = rules = page_footer = heading = exhibit_title


def is_value(cell: Cell) -> bool:
    return cell.is_figure or parse_boolean(cell.text) is not None


def label_and_values(token: Token, skip: int = 0) -> tuple[Optional[Cell], list[Cell]]:
    """A row's label is every cell before its first figure ("TOTAL  PRINCIPAL" is one label)."""
    cells = split_cells(token.value)[skip:]
    count = next((i for i, c in enumerate(cells) if is_value(c)), len(cells))
    if count == 0:
        return None, cells
    head = cells[:count]
    start, end = head[0].start, head[-1].end
    return Cell(token.value[start:end], start, end), cells[count:]


def titled_columns(token: Token) -> tuple[str, list[Column]]:
    """"SOURCES OF PRINCIPAL   FIXED GROUP   ADJ GROUP   TOTAL": the title and the columns after it."""
    cells = split_cells(token.value)
    if not cells:  # an empty line closing a table cut short (Layout.parse)
        return "", []
    return cells[0].text, [Column(c.text, c.start, c.end) for c in cells[1:]]


def group_dim(name: str) -> Optional[str]:
    m = GROUP_NAME.fullmatch(name.strip())
    if not m:
        return None
    if m.group(1):
        return m.group(1).lower()
    return m.group(2) if m.group(2) else "total"


def table_key(title: str) -> str:
    return norm(title).rstrip(":").strip()


@attrs.define
class BankersTrustAssembler:
    facts: FactBuilder = attrs.field(factory=FactBuilder)
    classes: ClassRegistry = attrs.field(factory=ClassRegistry)
    title: Optional[PageTitle] = None
    remic: Optional[str] = None
    group_columns: list[Column] = attrs.field(factory=list)
    status_columns: list[Column] = attrs.field(factory=list)
    status: str = "delinquent"

    def page_title(self, piece: PageTitle) -> None:
        if self.title is None:
            self.title = piece
        words = piece.remic.value.split() if piece.remic is not None else []
        self.remic = words[-1] if words else None

    def class_dims(self, name: Optional[str]) -> dict:
        dims = {"class": name} if name else {}
        return {**dims, "remic": self.remic} if self.remic else dims

    def class_table(self, piece: ClassTable) -> None:
        columns = header_columns(piece.headers)
        if columns and norm(columns[0].name) == "class":
            columns = columns[1:]
        known = CLASS_COLUMNS[piece.kind]
        for row in piece.rows:
            cells = split_cells(row.value)
            if not cells:
                continue  # an empty synthetic row: it closed a table the input cut short
            label, values = cells[0], cells[1:]
            if piece.kind == "distribution":
                name = self.classes.declare(label.text)
            else:
                name = self.classes.resolve(label.text) or self.classes.declare(label.text)
            self.class_cells(known, name, label, values, columns, row, record=True)
        if piece.totals is not None:
            label, values = label_and_values(piece.totals)
            self.class_cells(known, None, label, values, columns, piece.totals, record=False)

    def class_cells(self, known, name, label, values, columns, row: Token, record: bool) -> None:
        for cell, column in assign(values, columns):
            concept = known.get(norm(column.name)) if column else None
            if concept is None:
                self.facts.unplaced(cell, row.line, f"under column {column.name if column else ''!r} has no known meaning here")
                continue
            fact = self.facts.add(concept, column.name, cell, row.line, self.class_dims(name), label.span(row.line))
            if record:
                self.classes.record(name, fact)

    def period_table(self, piece: PeriodTable) -> None:
        title, columns = titled_columns(piece.header)
        known = PERIOD_TABLES.get(table_key(title), {})
        for row in piece.rows:
            label, values = label_and_values(row)
            printed = re.sub(r"^CLASS\s+", "", label.text, flags=re.I) if label else ""
            name = self.classes.resolve(printed) or self.classes.declare(printed) if printed else None
            for cell, column in assign(values, columns):
                concept = known.get(norm(column.name)) if column else None
                if concept is None or name is None:
                    self.facts.unplaced(cell, row.line, f"in {title!r} has no known meaning here")
                    continue
                fact = self.facts.add(concept, f"{title} {column.name}", cell, row.line, {"class": name},
                                      label.span(row.line))
                self.classes.record(name, fact)

    def group_table(self, piece: GroupTable) -> None:
        if piece.continued:
            title = piece.header.value.strip()
        else:
            title, self.group_columns = titled_columns(piece.header)
        known = GROUP_ROWS.get(table_key(title), {})
        for row in piece.rows:
            label, values = label_and_values(row)
            key = table_key(label.text) if label else ""
            concept = known.get(key)
            for cell, column in assign(values, self.group_columns):
                group = group_dim(column.name) if column else None
                if concept is None or group is None:
                    self.facts.unplaced(cell, row.line, f"in row {key or title!r} has no known meaning here")
                    continue
                self.facts.add(concept, label.text if label else title, cell, row.line, {"group": group},
                               label.span(row.line) if label else None)

    def payment_columns(self, piece: PaymentColumns) -> None:
        columns = header_columns(piece.lines)
        self.status_columns = columns[1:]  # the first is the table's title
        self.status = "delinquent"

    def status_heading(self, piece: StatusHeading) -> None:
        self.status = norm(piece.token.value).split()[0]

    def group_block(self, piece: GroupBlock) -> None:
        cells = split_cells(piece.first.value)
        group = group_dim(cells[0].text) if cells else None  # the first row names the group
        section = "delinquent" if self.status == "delinquent" else "status"
        rows = [(piece.first, *label_and_values(piece.first, skip=1))]
        rows += [(row, *label_and_values(row)) for row in piece.rows]
        for row, label, values in rows:
            concept = STATUS_ROWS[section].get(table_key(label.text)) if label else None
            for cell, column in assign(values, self.status_columns):
                bucket = PAYMENT_BUCKETS.get(norm(column.name).split()[0]) if column else None
                if concept is None or bucket is None or group is None:
                    self.facts.unplaced(cell, row.line, f"in row {label.text if label else ''!r} has no known meaning here")
                    continue
                dims = {"group": group, "bucket": bucket}
                if section == "status":
                    dims["status"] = self.status
                self.facts.add(concept, column.name, cell, row.line, dims, label.span(row.line))

    def deal_items(self, piece: DealItems) -> None:
        for row in piece.lines:
            label, values = label_and_values(row)
            concept = DEAL_ITEMS.get(table_key(label.text)) if label else None
            for cell in values:
                if concept is None:
                    self.facts.unplaced(cell, row.line, f"in row {row.value.strip()!r} has no known meaning")
                else:
                    self.facts.add(concept, label.text, cell, row.line, {}, label.span(row.line))

    def parties(self, piece: Parties) -> None:
        placed: list[tuple[str, Cell]] = []  # (key, value cell) in print order, for continuation lines
        counts: dict[str, int] = {}
        for row in piece.lines:
            cells = split_cells(row.value)
            index = 0
            while index < len(cells):
                cell = cells[index]
                if cell.text.endswith(":") and index + 1 < len(cells) and not cells[index + 1].text.endswith(":"):
                    value = cells[index + 1]
                    self.party(PARTIES.get(table_key(cell.text)), cell.text, value, row.line, cell, {})
                    placed.append((cell.text, value))
                    index += 2
                    continue
                above = next((k for k, c in reversed(placed) if c.overlaps(cell.start, cell.end)), "")
                concept = CONTINUED.get(table_key(above))
                counts[concept] = counts.get(concept, 0) + 1
                self.party(concept, above, cell, row.line, None, {"line": str(counts[concept])})
                placed.append((above, cell))
                index += 1

    def party(self, concept, label, cell: Cell, line: int, label_cell: Optional[Cell], dims) -> None:
        if concept is None:
            self.facts.unplaced(cell, line, f"after {label!r} has no known meaning in the parties block")
            return
        self.facts.add(concept, label, cell, line, dims, label_cell.span(line) if label_cell else None)


class BankersTrust(Layout):
    id = "bankers-trust"
    description = "Bankers Trust Company trustee: DISTRIBUTIONS IN DOLLARS / FACTOR INFORMATION PER $1000 (EDGAR text exhibit)"
    grammar = "bankers_trust.lark"
    transformer = BankersTrustTransformer
    evidence = (
        (r"(?m)^\s*STATEMENT\s+TO\s+CERTIFICATEHOLDERS\s*$", 0.1, "statement title on a line of its own"),
        (r"(?m)^\s*DISTRIBUTIONS\s+IN\s+DOLLARS\s*$", 0.3, "DISTRIBUTIONS IN DOLLARS heading"),
        (r"(?m)^\s*FACTOR\s+INFORMATION\s+PER\s+\$1,?000\b", 0.3, "FACTOR INFORMATION PER $1000 heading"),
        (r"(?m)^.*COPYRIGHT\s+\d{4}\s+Bankers\s+Trust\s+Company", 0.3, "Bankers Trust page footer"),
    )

    def assemble(self, pieces: list[Any], view) -> LayoutResult:
        result = LayoutResult()
        build = BankersTrustAssembler()
        handlers = {
            PageTitle: build.page_title, ClassTable: build.class_table, Parties: build.parties,
            PaymentColumns: build.payment_columns, GroupBlock: build.group_block,
            StatusHeading: build.status_heading, GroupTable: build.group_table,
            PeriodTable: build.period_table, DealItems: build.deal_items,
        }
        for piece in pieces:
            handlers[type(piece)](piece)
        if build.title is None and not build.facts.facts:
            return result
        lines = build.title.lines if build.title else ()
        title = " / ".join(t.value.strip() for t in lines)
        if build.title is not None:
            title = " / ".join(filter(None, (title, "STATEMENT TO CERTIFICATEHOLDERS")))
        series = re.search(r"SERIES\s+(\S+)", title, re.I)
        date = next((f for f in build.facts.facts if f.concept == "distribution_date" and f.value is not None), None)
        result.statements.append(
            Statement(self.id, title, Field(date.value, date.raw, date.span) if date else None,
                      build.classes.balances(), tuple(build.facts.facts), series=series.group(1) if series else None)
        )
        result.diagnostics.extend(build.facts.diagnostics)
        return result
