"""Residential Funding Corporation (master servicer): one statement per pool (grammar: rfmsi.lark).

Residential Funding prints the monthly report of every pool it master-services
in one exhibit, each pool on two or three fixed-width pages. A pool becomes one
`Statement` with its `pool` number and `series`; its classes are re-joined
from the two stacked summary tables and the per-$1,000 table (a row without a
class label takes the class of the same row in the table before it: the
single-class pools of 1989-90 print no class name at all: their class is
"(unnamed)", printed as ""). Totals rows are the class "Total", as in the reference
layout.

Delinquencies are printed by number of missed monthly payments and kept that
way: buckets "1-payment", "2-payments", "3+-payments". Turning them into day
ranges (one payment = 30-59 days) assumes a delinquency convention (MBA or
OTS) that the report does not state, so that mapping is left to the reader.
"""
from __future__ import annotations

import re
from typing import Any, Optional

import attrs
from lark import Token, Transformer

from ..ast import Fact, Field, Span, Statement
from ..columns import Column, assign, is_figure, split_cells, stack_headers
from ..diagnostics import warning
from ..layout import Layout, LayoutResult
from ..numbers import parse_date
from ..statement import header_columns, norm
from .. import tables as engine
from ..tables import Row, Tables, key, real

# Column titles of the class tables, stacked over their header lines.
SUMMARY_COLUMNS = {
    "cusip": "cusip",
    "original face value": "original_balance",
    "principal balance before distribution": "beginning_balance",
    "current pass-through rate": "pass_through_rate",
    "principal distribution": "principal_distribution",
    "interest distribution": "interest_distribution",
    "total distribution": "total_distribution",
    "deferred interest": "deferred_interest",
    "realized losses": "realized_loss",
    "remaining principal balance": "ending_balance",
}
PER_1000_COLUMNS = {
    "beginning balance factor": "beginning_balance_per_1000",
    "principal factor": "principal_per_1000",
    "interest factor": "interest_per_1000",
    "total distribution": "total_per_1000",
    "deferred interest": "deferred_interest_per_1000",
    "ending balance factor": "ending_balance_per_1000",
}
UNNAMED = "(unnamed)"  # a class key must not be empty: the normalized statement reads classes back by it
SUMMARY = engine.ClassTable(SUMMARY_COLUMNS, unnamed=UNNAMED)
PER_1000 = engine.ClassTable(PER_1000_COLUMNS, unnamed=UNNAMED)

# Single-figure items of the additional information page, keyed by the whole
# label (the lines of a multi-line label joined by a space), lower case, without
# a final colon.
SUB, MASTER = {"servicer": "sub-servicer"}, {"servicer": "master servicer"}
ITEMS: dict[str, tuple[str, dict]] = {
    "servicing compensation received by sub-servicer": ("servicing_compensation", SUB),
    "servicing compensation received by master servicer": ("servicing_compensation", MASTER),
    "spread": ("spread", {}),
    "subservicer advances this month": ("servicer_advances", SUB),
    "master servicer advances this month": ("servicer_advances", MASTER),
    "scheduled principal balance of mortgage loans after distribution": ("pool_ending_balance", {}),
    "aggregate number of loans in the pool as of the determination date": ("loan_count_total", {}),
    "number of reo loans acquired including any pending cash liquidations": ("loan_count", {"status": "reo"}),
    "book value of real estate acquired through foreclosure or grant of a deed in lieu of foreclosure, "
    "including any pending cash liquidations": ("reo_book_value", {}),
    "remaining subclass interest shortfall": ("subclass_interest_shortfall", {}),
    "total prepayments included in this distribution": ("prepaid_principal", {}),
    "total repurchases included in this distribution": ("repurchased_principal", {}),
    "letter of credit - total available amount": ("letter_of_credit_available", {}),
    "bankruptcy amount available": ("loss_coverage_available", {"coverage": "bankruptcy"}),
    "fraud amount available": ("loss_coverage_available", {"coverage": "fraud"}),
    "special hazard amount available": ("loss_coverage_available", {"coverage": "special hazard"}),
    "ending gross weighted average interest rate": ("weighted_average_gross_coupon", {}),
    "ending weighted average maturity, in months": ("weighted_average_remaining_term", {}),
    "pool trading factor": ("pool_factor", {}),
    "pass through rate for next distribution": ("next_pass_through_rate", {}),
    "total balance of converted loans remaining in pool": ("converted_loan_balance", {}),
    "total repurchase of converting and converted loans in this distribution": ("converted_loan_repurchases", {}),
    "amount on deposit in special reserve account": ("special_reserve_balance", {}),
    "optimal percentage": ("optimal_percentage", {}),
}
# Labels that name a class or an index: (pattern, concept, the dimension its group fills).
# "CLASS A SHORTFALL" is the Class A certificates taken together (A-1, A-2, ...), not a class.
ITEM_PATTERNS = [
    (re.compile(r"class (\S+) shortfall \(principal\)"), "principal_shortfall", "class_group"),
    (re.compile(r"class (\S+) shortfall \(interest\)"), "interest_shortfall", "class_group"),
    (re.compile(r"class (\S+) - strip pass-through for next distribution"), "next_pass_through_rate", "class"),
    (re.compile(r"amount paid from special reserve acct for (\S+) shortfall"), "special_reserve_payment", "class"),
    (re.compile(r"amount paid to class (\S+) from earnings on reserve account"), "reserve_earnings_paid", "class"),
    (re.compile(r"(.+) index"), "index_rate", "index"),
]
# Items printed indented under a heading line take their meaning from it.
SECTION_ITEMS = {
    "foreclosures": {
        "number of loans": ("loan_count", {"status": "foreclosure"}),
        "aggregate principal balance": ("loan_balance", {"status": "foreclosure"}),
    },
}
DELINQUENCY_COLUMNS = {"number of loans": "delinquent_loan_count", "principal balance": "delinquent_balance"}
PAYMENTS = re.compile(r"\b(one|two|three|four|five|six|\d+)( or more)? monthly payments?\b")
NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6"}
CURRENT, NEXT = {"distribution": "current"}, {"distribution": "next"}
PERCENT_ROWS = {
    "percentage for current distribution": ("distribution_percentage", CURRENT),
    "current distribution": ("distribution_percentage", CURRENT),
    "percentage for next distribution": ("distribution_percentage", NEXT),
    "next distribution": ("distribution_percentage", NEXT),
    "current prepayment percentage": ("prepayment_percentage", {}),
    "prepayment percent": ("prepayment_percentage", {}),
}
# "CLASS A-6 PRIN DIST:", "CLASS A-8 ENDING BALANCE:", "ENDING A-7 PRINCIPAL COMPONENT:"
COMPONENT_ROW = re.compile(
    r"class (?P<c1>\S+) (?P<m1>prin dist|principal distribution|ending bal|ending balance)"
    r"|ending (?P<c2>\S+) principal component"
)
SERIES = re.compile(r"SERIES\s+([^\s(]+)")
POOL = re.compile(r"POOL\s*#?\s*([^\s)]+)")
PAGE = re.compile(r"Page:\s*(\d+)\s+of\s+(\d+)")


def is_value(text: str) -> bool:
    return is_figure(text) or text.startswith("*")  # "***.******** %": a field too narrow for its figure


def whole_line(token: Token) -> Span:
    return Span(token.line, 1, token.line, len(token.value) + 1)


@attrs.frozen
class PageHeader:
    run: Token
    page: Token
    lines: tuple[Token, ...]
    title: Token


@attrs.frozen
class ClassTable:
    section: str
    headers: tuple[Token, ...]
    rows: tuple[Token, ...]
    totals: Optional[Token]


@attrs.frozen
class Item:
    labels: tuple[Token, ...]
    token: Token


@attrs.frozen
class TextItem:
    token: Token
    continuation: tuple[Token, ...]


@attrs.frozen
class SectionHeading:
    name: str
    token: Token


@attrs.frozen
class Matrix:
    kind: str
    headers: tuple[Token, ...]
    rows: tuple[Token, ...]


@attrs.frozen
class Page:
    header: PageHeader
    heading: Token
    parts: tuple[Any, ...]


@attrs.frozen
class Pool:
    pages: tuple[Page, ...]


class RFMSITransformer(Transformer):
    def start(self, children):
        return list(children)

    def pool(self, children):
        return Pool(tuple(children[:-1]))

    def page(self, children):
        header, (heading, parts) = children
        return Page(header, heading, parts)

    def page_header(self, children):
        run, page, *lines, title = children
        return PageHeader(run, page, tuple(lines), title)

    def summary(self, children):
        heading, *rest = children
        return heading, tuple(c for c in rest if not isinstance(c, Token))

    additional = summary

    def column_headers(self, children):
        return tuple(children)

    def class_row(self, children):
        return children[0]

    def totals(self, children):
        return ("totals", children[1])

    def table_end(self, children):
        return None

    def class_table(self, children):
        headers, *rest = children
        # a ROW with no text is a synthetic line closing a cut-short input
        rows = tuple(c for c in rest if isinstance(c, Token) and c.type == "ROW" and c.value)
        totals = next((c[1] for c in rest if isinstance(c, tuple)), None)
        return ClassTable("summary", headers, rows, totals)

    def per_1000(self, children):
        return attrs.evolve(children[-1], section="per_1000")

    def date_line(self, children):
        return Matrix("dates", (), tuple(children))

    def item(self, children):
        *labels, token = children
        return Item(tuple(labels), token)

    def text_item(self, children):
        token, *rest = children
        return TextItem(token, tuple(rest))

    def foreclosures(self, children):
        return SectionHeading("foreclosures", children[0])

    def delinquencies(self, children):
        headers = children[0] if isinstance(children[0], tuple) else ()
        at = len(headers and (0,))
        return Matrix("delinquencies", headers + (children[at],), tuple(children[at + 1 :]))

    def percentages(self, children):
        return Matrix("percentages", children[1], tuple(children[2:]))

    def components(self, children):
        return Matrix("components", children[0], tuple(children[1:]))


@attrs.define
class PoolAssembler:
    tables: Tables = attrs.field(factory=Tables)
    section: Optional[str] = None
    distribution_date: Optional[Field] = None

    @property
    def facts(self):
        return self.tables.facts

    @property
    def classes(self):
        return self.tables.classes

    # -- page 1 (and 2): class tables and dates ------------------------------
    def class_table(self, table: ClassTable) -> None:
        spec = SUMMARY if table.section == "summary" else PER_1000
        self.tables.class_table(spec, table.headers, table.rows, table.totals)

    def dates(self, piece: Matrix) -> None:
        for token in piece.rows:
            label, *_, value = split_cells(token.value)
            if token.type == "DISTRIBUTION_DATE":
                # "26-December-00": find_date's search takes three-letter months only
                date = Field(parse_date(value.text), value.text, value.span(token.line))
                self.distribution_date = self.distribution_date or date
                continue
            self.facts.add("determination_date", label.text, value, token.line, {}, label.span(token.line))

    # -- the additional information page -------------------------------------
    def item(self, piece: Item) -> None:
        token = piece.token
        row = Row.split(token, "leading", value=is_value)
        label, values = row.label, row.values
        if piece.labels or not token.value[:1].isspace():
            self.section = None  # an unindented label leaves the heading's section
        words = [t.value.strip() for t in piece.labels] + [label.text if label else ""]
        text = " ".join(w for w in words if w)
        meaning = self.item_meaning(text)
        span = label.span(token.line) if label else None
        if piece.labels and label is not None:
            first = piece.labels[0]
            span = Span(first.line, len(first.value) - len(first.value.lstrip()) + 1, token.line, label.end + 1)
        if meaning is None:
            self.tables.unknown(row, f"item {text!r} has no known meaning")
            return
        concept, dims = meaning
        for cell in values:
            fact = self.facts.add(concept, text, cell, token.line, dims, span)
            owner = self.classes.resolve(dims["class"]) if "class" in dims else None
            if owner is not None and concept == "next_pass_through_rate":
                self.classes.record(owner, fact)

    def item_meaning(self, label: str) -> Optional[tuple[str, dict]]:
        printed = " ".join(label.split()).rstrip(" :")
        key = printed.lower()
        if self.section is not None and key in SECTION_ITEMS[self.section]:
            return SECTION_ITEMS[self.section][key]
        if key in ITEMS:
            return ITEMS[key]
        for pattern, concept, dim in ITEM_PATTERNS:
            m = pattern.fullmatch(key)
            if m:  # the dimension as printed: "A-18", "1 YEAR TREASURY"
                return concept, {dim: printed[m.start(1) : m.end(1)]}
        return None

    def text_item(self, piece: TextItem) -> None:
        """A value in words, perhaps finished on the lines below: one text fact spanning them."""
        self.section = None
        token = piece.token
        colon = token.value.index(":")
        start = len(token.value) - len(token.value[colon + 1 :].lstrip())
        lines = (token,) + piece.continuation
        end = len(lines[-1].value.rstrip())
        joined = "\n".join(t.value for t in lines)  # the exact text between the span's ends
        raw = joined[start : len(joined) - len(lines[-1].value) + end]
        label = token.value[: colon + 1].strip()
        indent = len(token.value) - len(token.value.lstrip())
        label_span = Span(token.line, indent + 1, token.line, colon + 2)
        span = Span(token.line, start + 1, lines[-1].line, end + 1)
        meaning = self.item_meaning(label)
        if meaning is None:
            self.facts.diagnostics.append(warning("unplaced-figure", f"{label!r}: text item has no known meaning", span))
            return
        concept, dims = meaning
        self.facts.facts.append(Fact(concept, label, " ".join(raw.split()), "text", raw, span, dims, label_span))

    def matrix(self, piece: Matrix) -> None:
        self.section = None
        if piece.kind == "components":
            # "COMPONENTS" over "ACCRUAL  NON-ACCRUAL" is a caption; the last line names the columns.
            columns = stack_headers([piece.headers[-1].value])
        else:
            columns = header_columns(piece.headers)
        if piece.kind == "delinquencies":
            columns = [c for c in columns if norm(c.name) in DELINQUENCY_COLUMNS]
        for token in real(piece.rows):
            row = Row.split(token, "leading", value=is_value)
            meaning = self.row_meaning(piece.kind, key(row.label_text))
            if meaning is None:
                self.tables.unknown(row, f"label {row.label_text!r} has no known meaning here")
                continue
            placed = []
            for cell, column in assign(row.values, columns):
                concept, dims = self.column_meaning(piece.kind, meaning, column) or (None, {})
                placed.append((cell, concept, row.label_text if concept else (column.name if column else ""), dims))
            self.tables.place(row, placed)

    @staticmethod
    def row_meaning(kind: str, key: str) -> Optional[dict]:
        if kind == "delinquencies":
            m = PAYMENTS.search(key)
            if not m:
                return None
            count = NUMBERS.get(m.group(1), m.group(1))
            more = "+" if m.group(2) else ""
            return {"bucket": f"{count}{more}-payment{'' if count == '1' and not more else 's'}"}
        if kind == "percentages":
            found = PERCENT_ROWS.get(key)
            return {"concept": found[0], **found[1]} if found else None
        m = COMPONENT_ROW.fullmatch(key)
        if not m:
            return None
        measure = m.group("m1") or "ending"
        concept = "principal_distribution" if measure.startswith("prin") else "ending_balance"
        return {"concept": concept, "class": (m.group("c1") or m.group("c2")).upper()}

    @staticmethod
    def column_meaning(kind: str, meaning: Optional[dict], column: Optional[Column]):
        if meaning is None or column is None:
            return None
        title = norm(column.name)
        if kind == "delinquencies":
            return DELINQUENCY_COLUMNS[title], dict(meaning)
        dims = {k: v for k, v in meaning.items() if k != "concept"}
        if kind == "percentages":
            return meaning["concept"], {"tranche": title, **dims}
        return meaning["concept"], {**dims, "component": column.name.strip()}

    def add(self, part: Any) -> None:
        if isinstance(part, ClassTable):
            self.class_table(part)
        elif isinstance(part, Item):
            self.item(part)
        elif isinstance(part, TextItem):
            self.text_item(part)
        elif isinstance(part, SectionHeading):
            self.section = part.name
        elif isinstance(part, Matrix):
            self.dates(part) if part.kind == "dates" else self.matrix(part)


class RFMSI(Layout):
    id = "rfmsi"
    description = ("Residential Funding Corporation (master servicer): DISTRIBUTION SUMMARY FOR POOL# / "
                   "AMOUNTS PER $1,000 UNIT / ADDITIONAL RELATED INFORMATION, one statement per pool")
    grammar = "rfmsi.lark"
    transformer = RFMSITransformer
    statement_end = r"[ \t]*\.{10,}[ \t]*"  # END_OF_POOL: the dotted line under a pool's last page
    # "DISTRIBUTION SUMMARY FOR POOL# 2000": the number is the statement's `pool`, not a figure
    text_kinds = Layout.text_kinds | {"POOL_SUMMARY_HEADING"}
    evidence = (
        (r"(?m)^[ \t]*RESIDENTIAL\s+FUNDING\s+CORPORATION\s+\(MASTER\s+SERVICER\)[ \t]*$", 0.3, "master servicer line"),
        (r"(?m)^[ \t]*DISTRIBUTION\s+SUMMARY\s+FOR\s+POOL\s*#", 0.3, "DISTRIBUTION SUMMARY FOR POOL# heading"),
        (r"(?m)^[ \t]*ADDITIONAL\s+RELATED\s+INFORMATION\s+FOR\s+POOL", 0.2, "ADDITIONAL RELATED INFORMATION heading"),
        (r"(?m)^[ \t]*Run:\s+\d\d/\d\d/\d\d\s+\d\d:\d\d:\d\d", 0.1, "run header"),
        (r"(?m)^[ \t]*AMOUNTS\s+PER\s+\$1,000\s+UNIT[ \t]*$", 0.1, "AMOUNTS PER $1,000 UNIT heading"),
    )

    def assemble(self, pieces: list[Any], view) -> LayoutResult:
        result = LayoutResult()
        for pool in (p for p in pieces if isinstance(p, Pool)):
            build = PoolAssembler()
            for page in pool.pages:
                for part in page.parts:
                    build.add(part)
            result.statements.append(self.statement(pool, build))
            result.diagnostics.extend(build.facts.diagnostics)
            result.diagnostics.extend(self.check_pages(pool))
        return result

    def statement(self, pool: Pool, build: PoolAssembler) -> Statement:
        first = pool.pages[0].header
        title = " / ".join(t.value.strip() for t in first.lines + (first.title,))
        series = next((m.group(1) for p in pool.pages for t in p.header.lines for m in [SERIES.search(t.value)] if m),
                      None)
        numbers = self.pool_numbers(pool)
        return Statement(self.id, title, build.distribution_date, build.classes.balances(), tuple(build.facts.facts),
                         pool=numbers[0][0] if numbers else None, series=series)

    @staticmethod
    def pool_numbers(pool: Pool) -> list[tuple[str, Token]]:
        """Every pool number the pages print, the summary heading's first: it names the pool."""
        found = []
        for page in pool.pages:
            for token in (page.heading,) + page.header.lines:
                m = POOL.search(token.value)
                if m:
                    found.append((m.group(1), token))
        return found

    def check_pages(self, pool: Pool) -> list:
        out = []
        numbers = self.pool_numbers(pool)
        odd = next(((n, t) for n, t in numbers if n != numbers[0][0]), None)
        if odd is not None:
            out.append(warning("pool-mismatch", f"pool {numbers[0][0]}: a page names pool {odd[0]}",
                               whole_line(odd[1]), [whole_line(numbers[0][1])]))
        printed = [(PAGE.search(p.header.page.value), p.header.page) for p in pool.pages]
        seen = [int(m.group(1)) for m, _t in printed if m]
        total = next((int(m.group(2)) for m, _t in printed if m), len(seen))
        if seen != list(range(1, total + 1)):
            out.append(warning("page-sequence", f"pool prints pages {', '.join(map(str, seen))} of {total}; "
                               "the figures of a repeated page are kept twice, each with its span",
                               whole_line(printed[-1][1])))
        return out
