"""CMBS certificate administrator's statement, CREFC style (grammar cmbs_crefc.lark, spec data/cmbs_crefc.toml).

Citibank's "STATEMENT TO NOTEHOLDERS" is a run of pages, one section each: class tables
(distribution summary, factors, interest, shortfalls, principal), "label   figure" pages
(reconciliation, other information), stratification tables, loan-level tables (current
and historical) and a delinquency history. It is filed as HTML; compiler/html.py renders
each table with its columns aligned, and this layout reads a table's columns from its
rows with the engine's column model from cell extents (columns.extent_columns: the
character extents its cells occupy, row by row, merged where they overlap; a rendered
column never shares a character with the next). Column titles are the header cells over
one extent; a header cell over several (``Rate`` over Uncapped / Capped / Next, ``30 Day``
over Count / Balance) titles them as a group (columns.title_extents). Why not the engine's
`stack_headers`: it merges every chain of overlapping header cells, and HTML group titles
overlap all the columns under them.

What each column means is data (the spec): per section, the kind of table, the column
title of its key and a map from column titles to concepts of the dictionary
(data/concepts/cmbs.toml beside the shared names: original_balance, beginning_balance,
pass_through_rate, ...). Classes get a `class` dimension, loans a `loan` dimension (the
prospectus loan ID, CREFC's OMCR) and `note` (a pari passu note, "A2"), history rows a
`distribution_date`, stratification rows `table` and `bucket`.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Optional

import attrs
from lark import Token, Transformer

from ..ast import Field, Span, Statement
from ..columns import Cell, Column, extent_columns, is_figure, split_cells, title_extents
from ..concepts import tomllib
from ..layout import Layout, LayoutResult, real
from ..concepts import concept
from ..numbers import NOT_AVAILABLE, find_date
from ..tables import Row, Tables, key

SPEC = tomllib.loads((Path(__file__).resolve().parent.parent / "data" / "cmbs_crefc.toml").read_text(encoding="utf-8"))
# A line of figures: an amount, a rate, a date or a dash, not only small numbers ("(1)" codes, "30 Day").
AMOUNT = re.compile(r"[($-]*\$?\d[\d,]*\.\d+%?\)?|[($-]*\d{1,3}(?:,\d{3})+\)?|\d+(?:\.\d+)?%|\d{1,2}/\d{1,2}(?:/\d{2,4})?(?:-\d{1,2}/\d{1,2})?|-")
COUNT = re.compile(r"Count\s*=\s*(\d+)")
TOTAL = {"total", "grand total"}


class CmbsTransformer(Transformer):
    def start(self, children):
        return list(children)


DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4}")
NOTE = re.compile(r"[A-Z]\d+[A-Z]?\d*[A-Z]?\d*")  # a pari passu note of a split loan: A2, A31, A2B2


def fits(name: str, text: str) -> bool:
    """Whether a printed cell has the shape of the concept's unit (a column title can stand over two columns)."""
    unit = concept(name).unit
    if text in NOT_AVAILABLE or text == "Not Available":
        return True
    if unit == "date":
        return bool(DATE.fullmatch(text))
    if unit in ("months", "count"):
        return text.isdigit()
    if unit == "text":
        return True
    return bool(AMOUNT.fullmatch(text)) and not DATE.fullmatch(text)


def meaning(found, text: str) -> Optional[str]:
    """A title's concept, or the first of its concepts the cell's shape fits."""
    if found is None or isinstance(found, str):
        return found
    return next((name for name in found if fits(name, text)), None)


CUSIP_WORD = re.compile(r"[^\s/]+")  # a class's CUSIPs are printed a space or a "/" apart


def class_cusips(cells: list[Cell]) -> list[Cell]:
    """The CUSIPs a class row prints in these cells: "17325" "DAA1" (a CUSIP cut in two cells) is one,
    "17325DAN3 U1737EAB0" two (144A and Reg S); a CUSIP printed again is the same one. A word that is
    no CUSIP ("U1737EAB0 / 173": one cut short) stays a CUSIP fact, and its form check says so."""
    words: list[Cell] = []
    for cell in cells:
        for m in CUSIP_WORD.finditer(cell.text):
            if all(m.group() != w.text for w in words):
                words.append(Cell(m.group(), cell.start + m.start(), cell.start + m.end()))
    whole = "".join(w.text for w in words)
    if len(words) > 1 and len(whole) == 9:
        return [Cell(whole, words[0].start, words[-1].end)]
    return words


def kind_of(token: Token) -> str:
    return token.type.rsplit("__", 1)[-1]


def is_data(cells: list[Cell]) -> bool:
    return any(AMOUNT.fullmatch(c.text) for c in cells)


@attrs.define
class Page:
    section: str = ""
    title_lines: list[Token] = attrs.field(factory=list)
    date: Optional[Token] = None
    lines: list[Token] = attrs.field(factory=list)


def pages(tokens: list[Token]) -> list[Page]:
    out: list[Page] = [Page()]
    for token in tokens:
        k = kind_of(token)
        page = out[-1]
        if k == "PAGE_FOOTER":
            out.append(Page())
        elif k == "SECTION_TITLE" and not page.section:
            page.section = " ".join(token.value.split()).replace("®", "")
        elif k == "DATE_LINE" and page.date is None:
            page.date = token
        elif not page.section and not page.lines:
            page.title_lines.append(token)
        else:
            page.lines.append(token)
    return [p for p in out if p.section or p.lines]


class Reader:
    def __init__(self):
        self.tables = Tables()
        self.notional = False
        self.totals: list = []  # facts of the class "Total" rows (regular first, then notional)
        # Lines read as text (LayoutResult.text_lines): pages the spec reads as none (contents,
        # legends) and column titles ("(1)" legend codes, "30 Day" over Count / Balance).
        self.text_lines: set[int] = set()

    def close(self) -> None:
        """The class "Total" comes last, as other layouts declare it; its figures are the first Total row's."""
        if self.totals:
            name = self.tables.classes.declare("Total")
            for fact in self.totals:
                self.tables.classes.record(name, fact)

    def page(self, page: Page) -> None:
        spec = SPEC["sections"].get(page.section.lower())
        if spec is None or spec["read"] == "none":
            if spec is not None:  # a page no spec names keeps its figures to account for
                self.text_lines.update(t.line for t in page.lines)
            return
        if spec["read"] == "items":
            self.items(spec, page.lines)
            return
        if spec["read"] == "delinquency_history":
            self.delinquency_history(spec, page.lines)
            return
        runs: list[tuple[bool, list[Token]]] = []  # (rows?, lines): header runs and row runs alternate
        previous = None
        for token in page.lines:
            cells = split_cells(token.value)
            data = is_data(cells) or bool(runs and runs[-1][0] and COUNT.search(token.value))
            # a blank line ends a rendered table: rows after it are another table's, aligned their own way
            joined = previous is not None and token.line == previous.line + 1
            if runs and runs[-1][0] == data and (joined or not data):
                runs[-1][1].append(token)
            else:
                runs.append((data, [token]))
            previous = token
        headers: list[Token] = []
        title = ""
        self.last_columns: list[Column] = []
        after_rows = False
        for data, lines in runs:
            if data:
                self.table(spec, headers, lines, title, page.section, continued=after_rows)
                after_rows = True
                continue
            after_rows = False
            self.text_lines.update(t.line for t in lines)
            first = split_cells(lines[0].value)
            if len(lines) == 1 and len(first) == 1 and key(first[0].text) == "notional":
                self.notional = True  # the notional classes follow under the same column titles
            elif len(lines) > 1 and len(first) == 1:
                title, headers = first[0].text, lines[1:]  # a table's own title over its column titles
            else:
                title, headers = "", lines
        self.notional = False

    def items(self, spec: dict, lines: list[Token]) -> None:
        """"label   figure" pairs, one or two to a line (reconciliation: source and allocation of funds).
        A label printed over two lines ("... Interest Reserve" / "Account   -") is read whole."""
        labels = {key(k): v for k, v in spec["labels"].items()}
        above: dict[int, Cell] = {}  # label-only cells of the line before, by their start
        for token in lines:
            cells = split_cells(token.value)
            label: Optional[Cell] = None
            texts: dict[int, Cell] = {}
            for cell in cells:
                if not (is_figure(cell.text) or cell.text in NOT_AVAILABLE):  # "-" is a zero here
                    label = cell
                    texts[cell.start] = cell
                    continue
                if label is None:
                    continue
                printed = label.text
                if key(printed) not in labels and label.start in above:
                    printed = above[label.start].text + " " + printed
                row = Row(token, label, [cell])
                self.tables.place(row, [(cell, labels.get(key(printed)), printed, {})])
                texts.pop(label.start, None)
                label = None
            above = texts

    def delinquency_history(self, spec: dict, lines: list[Token]) -> None:
        """Records of three lines: counts and balances, the distribution date alone, their percentages.
        The columns are `columns` in order (status groups of Count / Balance)."""
        columns = spec["columns"]
        rows = [(t, split_cells(t.value)) for t in lines]
        self.text_lines.update(t.line for t, cells in rows if not is_data(cells))  # the status titles
        for index, (token, cells) in enumerate(rows):
            if len(cells) != 1 or not DATE.fullmatch(cells[0].text):
                continue
            date = cells[0]
            self.tables.place(Row(token, date, [date]), [(date, "history_distribution_date", "Distribution Date",
                                                          {"distribution_date": date.text})])
            for offset, percent in ((-1, False), (1, True)):
                if not 0 <= index + offset < len(rows):
                    continue
                other, values = rows[index + offset]
                if len(values) != len(columns) or not is_data(values):
                    continue
                placed = []
                for cell, column in zip(values, columns):
                    name = column["percent"] if percent else column["concept"]
                    placed.append((cell, name, column["title"], {**column["dims"], "distribution_date": date.text}))
                self.tables.place(Row(other, date, values), placed)

    def table(self, spec: dict, headers: list[Token], rows: list[Token], title: str, section: str = "",
              continued: bool = False) -> None:
        """`continued`: rows of a table printed with no titles of its own right after another (the rest of it)."""
        cells = [split_cells(t.value) for t in rows]
        spans = extent_columns(c for row_cells in cells for c in row_cells)
        if continued and len(spans) == len(self.last_columns):  # the same columns, in order
            columns = [Column(c.name, s.start, s.end, c.group) for s, c in zip(spans, self.last_columns)]
        else:
            columns = title_extents(spans, [t.value for t in headers])
        self.last_columns = columns
        read = spec["read"]
        if read == "class_table":
            self.class_rows(spec, columns, rows, cells)
            return
        names = {key(k): v for k, v in spec.get("columns", {}).items()}
        keys = {key(k): v for k, v in spec.get("keys", {}).items()}
        for token, row_cells in zip(rows, cells):
            dims: dict[str, str] = {"table": title} if title else {}
            placed = []
            label: Optional[Cell] = None
            for cell in row_cells:
                column = next((c for c in columns if c.holds(cell)), None)
                full = key(" ".join(filter(None, (column.group, column.name)))) if column else ""
                bare = key(column.name) if column else ""
                role = keys.get(bare) or keys.get(full)
                if key(cell.text) in TOTAL:
                    label = label or cell
                    dims["loan" if read == "loans" else "bucket"] = "Total"
                    if read == "loans":  # every loan table has its Total row: which one
                        dims["table"] = section
                    continue
                count = COUNT.fullmatch(cell.text)
                if count:  # "Count = 47" under a total
                    start = cell.start + count.start(1)
                    placed.append((Cell(count.group(1), start, start + len(count.group(1))), "loans_listed", "Count"))
                    continue
                if read == "buckets" and column is columns[0]:
                    label = label or cell
                    dims["bucket"] = cell.text
                    placed.append((cell, "strat_bucket", column.name))
                    continue
                # Key columns are dimensions of the row's facts, and facts themselves (so every
                # figure printed is one, with its span).
                if role == "loan":  # the prospectus loan ID, and the note of a split loan ("6  A2")
                    label = label or cell
                    which = "note" if "loan" in dims else "loan"
                    dims[which] = cell.text
                    placed.append((cell, "loan_note" if which == "note" else "prospectus_loan_id", column.name))
                    continue
                if role == "distribution_date":
                    date, _, rest = cell.text.partition(" ")
                    dims["distribution_date"] = date
                    placed.append((Cell(date, cell.start, cell.start + len(date)), "history_distribution_date",
                                   "Distribution Date"))
                    if rest.strip():  # "02/12/2024 30311668": the date and the Loan ID one space apart
                        start = cell.start + len(cell.text) - len(rest.strip())
                        placed.append((Cell(rest.strip(), start, cell.end), "servicer_loan_id", "Loan ID"))
                    continue
                if role is not None:
                    placed.append((cell, role, column.name))
                    continue
                if "loan" in dims and "note" not in dims and NOTE.fullmatch(cell.text) and \
                        placed and placed[-1][1] == "prospectus_loan_id":
                    dims["note"] = cell.text  # beside OMCR, whatever title the rendering gave its column
                    placed.append((cell, "loan_note", "OMCR"))
                    continue
                found = names.get(full) if full in names else names.get(bare)
                placed.append((cell, meaning(found, cell.text), column.name if column else cell.text))
            row = Row(token, label, [c for c, *_ in placed])
            self.tables.place(row, [(c, concept, printed, dims) for c, concept, printed in placed])

    def class_rows(self, spec: dict, columns: list[Column], rows: list[Token], cells: list[list[Cell]]) -> None:
        """Class rows: the first column names the class, the others are `order`'s concepts left to right."""
        order = spec["order"]
        by_title = {key(k): v for k, v in spec.get("columns", {}).items()}
        positional = len(columns) == len(order) + 1
        if not positional:  # a CUSIP printed in several cells: the text columns before the figures are one
            figures = [c for c in columns[1:] if any(AMOUNT.fullmatch(x.text) for row in cells for x in row
                                                     if c.holds(x))]
            positional = len(figures) == len(order) - 1 and order[0] == "cusip"
        for token, row_cells in zip(rows, cells):
            if not row_cells:
                continue
            label = row_cells[0] if columns and columns[0].holds(row_cells[0]) and not AMOUNT.fullmatch(
                row_cells[0].text) else None
            if label is None:
                self.tables.unknown(Row(token, None, row_cells), "its class is not known")
                continue
            name = label.text
            dims = {"class": name}
            if key(name) == "grand total":  # the regular and the notional totals together: no class
                dims = {"class_group": "all"}
            elif key(name) == "total":
                dims = {"class": "Total", "class_group": "notional" if self.notional else "regular"}
            elif self.notional:
                dims["class_group"] = "notional"
            record = None if dims.get("class", "Total") == "Total" else self.tables.classes.declare(name)
            placed = []
            cusip: list[Cell] = []
            for cell in row_cells[1:]:
                index = next((i for i, c in enumerate(columns) if c.holds(cell)), None)
                if len(columns) == len(order) + 1 and index is not None and order[index - 1] != "cusip":
                    concept = order[index - 1]
                elif order[0] == "cusip" and not AMOUNT.fullmatch(cell.text):
                    cusip.append(cell)
                    continue
                elif positional and index is not None:
                    figure_columns = [i for i, c in enumerate(columns) if i and any(
                        AMOUNT.fullmatch(x.text) for row in cells for x in row if c.holds(x))]
                    concept = order[1 + figure_columns.index(index)] if index in figure_columns else None
                else:
                    column = columns[index] if index is not None else None
                    concept = by_title.get(key(column.name)) if column else None
                placed.append((cell, concept, columns[index].name if index is not None else "", dims))
            found = class_cusips(cusip)
            for index, cell in enumerate(found):  # the class's CUSIPs first, in print order
                # two (144A and Reg S): one fact each, told apart by `cusip_index` "1", "2"
                placed.insert(index, (cell, "cusip", "CUSIP", {**dims, "cusip_index": str(index + 1)} if len(found) > 1
                                      else dims))
            row = Row(token, label, [c for c, *_ in placed])
            before = len(self.tables.facts.facts)
            self.tables.place(row, placed, record=record)
            if dims.get("class") == "Total":
                self.totals.extend(self.tables.facts.facts[before:])


class CmbsCrefc(Layout):
    id = "cmbs-crefc"
    description = "CMBS certificate administrator's statement, CREFC style (Citibank STATEMENT TO NOTEHOLDERS)"
    grammar = "cmbs_crefc.lark"
    transformer = CmbsTransformer
    evidence = (
        (r"(?m)^[ \t]*STATEMENT\s+TO\s+NOTEHOLDERS[ \t]*$", 0.3, "statement title"),
        (r"Commercial\s+Mortgage\s+Pass-Through\s+Certificates", 0.2, "CMBS certificates"),
        (r"(?m)^[ \t]*DISTRIBUTION\s+SUMMARY\s+-\s+FACTORS[ \t]*$", 0.2, "DISTRIBUTION SUMMARY - FACTORS page"),
        (r"(?m)^[ \t]*RECONCILIATION\s+DETAIL[ \t]*$", 0.2, "RECONCILIATION DETAIL page"),
        (r"CREFC®?\s+Investor\s+Reporting", 0.2, "CREFC legends"),
    )

    def assemble(self, pieces: list[Any], view) -> LayoutResult:
        tokens = [t for t in pieces if isinstance(t, Token) and t.value]
        reader = Reader()
        found = pages(tokens)
        for page in found:
            reader.page(page)
        reader.close()
        result = LayoutResult()
        first = next((p for p in found if p.title_lines), None)
        date_token = next((p.date for p in found if p.date is not None), None)
        date = None
        if date_token is not None:
            value = find_date(date_token.value)
            if value is not None:
                d, s, e = value
                date = Field(d, date_token.value[s:e], Span(date_token.line, s + 1, date_token.line, e + 1))
        series = None
        title = "STATEMENT TO NOTEHOLDERS"
        for token in (first.title_lines if first else []):
            m = re.search(r"Series\s+(\S+)", token.value)
            if m:
                series = m.group(1)
        result.statements.append(Statement(self.id, title, date, reader.tables.classes.balances(),
                                           tuple(reader.tables.facts.facts), series=series))
        result.diagnostics.extend(reader.tables.facts.diagnostics)
        result.text_lines.update(reader.text_lines)
        return result
