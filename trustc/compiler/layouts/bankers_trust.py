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
from ..statement import header_columns, norm
from .. import tables as engine
from ..tables import Row, Tables, group_dim, key, real

# Class tables: column title (stacked lines joined) -> concept. The distribution table's
# labels declare the classes; a REMIC's TOTALS row is the REMIC as a whole (no class).
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
CLASS_TABLES = {kind: engine.ClassTable(columns, declares=kind == "distribution", totals="scope")
                for kind, columns in CLASS_COLUMNS.items()}
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
DEAL_ITEMS = engine.Items(label="leading", labels={
    "capitalized interest deposit for certificate account": "capitalized_interest_deposit",
    "prefunding deposit for certificate account": "prefunding_deposit",
    "total remittance due": "total_remittance_due",
    "mbia premium paid": "insurer_premium_paid",
    "insured amounts": "insured_amounts",
    "unpaid insured amounts and interest on the amounts": "unpaid_insured_amounts",
    "supplemental interest amount (paid)": "supplemental_interest_paid",
    "supplemental interest amount (remaining unpaid)": "supplemental_interest_unpaid",
})
GROUP_TABLES = {title: engine.GroupTable(rows, label="leading") for title, rows in GROUP_ROWS.items()}
NO_GROUP_TABLE = engine.GroupTable({}, label="leading")
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


def titled_columns(token: Token) -> tuple[str, list[Column]]:
    """"SOURCES OF PRINCIPAL   FIXED GROUP   ADJ GROUP   TOTAL": the title and the columns after it."""
    cells = split_cells(token.value)
    if not cells:  # an empty line closing a table cut short (Layout.parse)
        return "", []
    return cells[0].text, [Column(c.text, c.start, c.end) for c in cells[1:]]


@attrs.define
class BankersTrustAssembler:
    tables: Tables = attrs.field(factory=Tables)
    title: Optional[PageTitle] = None
    remic: dict = attrs.field(factory=dict)  # the class tables' context: the REMIC of the page
    group_columns: list[Column] = attrs.field(factory=list)
    status_columns: list[Column] = attrs.field(factory=list)
    status: str = "delinquent"

    def page_title(self, piece: PageTitle) -> None:
        if self.title is None:
            self.title = piece
        words = piece.remic.value.split() if piece.remic is not None else []
        self.remic = {"remic": words[-1]} if words else {}

    def class_table(self, piece: ClassTable) -> None:
        self.tables.dims = self.remic  # class facts carry the REMIC; the parties on the same page do not
        self.tables.class_table(CLASS_TABLES[piece.kind], piece.headers, piece.rows, piece.totals)
        self.tables.dims = {}

    def period_table(self, piece: PeriodTable) -> None:
        """Classes by row, PRIOR / CURRENT by column: the concept is the table's title and the column."""
        title, columns = titled_columns(piece.header)
        known = PERIOD_TABLES.get(key(title), {})
        for row in (Row.split(t, "leading") for t in real(piece.rows)):
            printed = re.sub(r"^CLASS\s+", "", row.label_text, flags=re.I)
            name = self.classes.resolve(printed) or self.classes.declare(printed) if printed else None
            if name is None:
                self.tables.unknown(row, "its class is not known")
                continue
            self.tables.place(row, ((cell, known.get(key(column.name)) if column else None,
                                     f"{title} {column.name}" if column else title, {"class": name})
                                    for cell, column in assign(row.values, columns)), record=name)

    @property
    def classes(self):
        return self.tables.classes

    def group_table(self, piece: GroupTable) -> None:
        if piece.continued:
            title = piece.header.value.strip()
        else:
            title, self.group_columns = titled_columns(piece.header)
        table = GROUP_TABLES.get(key(title), NO_GROUP_TABLE)
        self.tables.group_table(table, self.group_columns, piece.rows, table.rows.get(""), title)

    def payment_columns(self, piece: PaymentColumns) -> None:
        columns = header_columns(piece.lines)
        self.status_columns = columns[1:]  # the first is the table's title
        self.status = "delinquent"

    def status_heading(self, piece: StatusHeading) -> None:
        self.status = norm(piece.token.value).split()[0]

    def group_block(self, piece: GroupBlock) -> None:
        """Rows are concepts, columns the payments-delinquent buckets; the first row names the group."""
        cells = split_cells(piece.first.value)
        group = group_dim(Column(cells[0].text, 0, 0)) if cells else None
        section = "delinquent" if self.status == "delinquent" else "status"
        rows = [Row.split(piece.first, "leading", skip=1)] + [Row.split(t, "leading") for t in real(piece.rows)]
        status = {"status": self.status} if section == "status" else {}
        for row in rows:
            concept = STATUS_ROWS[section].get(key(row.label_text)) if row.label is not None else None
            placed = []
            for cell, column in assign(row.values, self.status_columns):
                bucket = PAYMENT_BUCKETS.get(key(column.name).split()[0]) if column else None
                known = concept is not None and bucket is not None and group is not None
                placed.append((cell, concept if known else None, column.name if column else "",
                               {"group": group, "bucket": bucket, **status}))
            self.tables.place(row, placed)

    def deal_items(self, piece: DealItems) -> None:
        self.tables.items(DEAL_ITEMS, piece.lines)

    def parties(self, piece: Parties) -> None:
        placed: list[tuple[str, Cell]] = []  # (key, value cell) in print order, for continuation lines
        counts: dict[str, int] = {}
        for token in piece.lines:
            cells = split_cells(token.value)
            index = 0
            while index < len(cells):
                cell = cells[index]
                if cell.text.endswith(":") and index + 1 < len(cells) and not cells[index + 1].text.endswith(":"):
                    value = cells[index + 1]
                    self.party(PARTIES.get(key(cell.text)), Row(token, cell, [value]), cell.text, {})
                    placed.append((cell.text, value))
                    index += 2
                    continue
                above = next((k for k, c in reversed(placed) if c.overlaps(cell.start, cell.end)), "")
                concept = CONTINUED.get(key(above))
                counts[concept] = counts.get(concept, 0) + 1
                self.party(concept, Row(token, None, [cell]), above, {"line": str(counts[concept])})
                placed.append((above, cell))
                index += 1

    def party(self, concept: Optional[str], row: Row, label: str, dims: dict) -> None:
        self.tables.place(row, [(row.values[0], concept, label, dims)])


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
        if build.title is None and not build.tables.facts.facts:
            return result
        lines = build.title.lines if build.title else ()
        title = " / ".join(t.value.strip() for t in lines)
        if build.title is not None:
            title = " / ".join(filter(None, (title, "STATEMENT TO CERTIFICATEHOLDERS")))
        series = re.search(r"SERIES\s+(\S+)", title, re.I)
        date = next((f for f in build.tables.facts.facts if f.concept == "distribution_date" and f.value is not None), None)
        result.statements.append(
            Statement(self.id, title, Field(date.value, date.raw, date.span) if date else None,
                      build.tables.classes.balances(), tuple(build.tables.facts.facts), series=series.group(1) if series else None)
        )
        result.diagnostics.extend(build.tables.facts.diagnostics)
        return result
