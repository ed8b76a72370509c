"""The generic reader: every figure of a report no layout knows, as a located fact (grammar: generic.lark).

It runs when no layout claims a document (driver.choose_layouts) and with
`--format generic`. The grammar groups the lines into sections (words, then
figures); shapes.py says what each line is and where its cells stand; this
module reads the sections as a person reads a report:

- A block is a run of figure lines (rule lines and blank lines inside it, no
  words). Its columns come from the figures' positions; its column titles
  from the header lines right above it (stopping at a blank line, or at a
  rule above a header line), each title the header cells over the column,
  top line first.
- A row's label is the text before its first figure. Lines of words right
  above a block's first row, starting where its label starts, continue that
  label ("SCHEDULED PRINCIPAL BALANCE OF MORTGAGE LOANS AFTER" / "DISTRIBUTION
  4,781,024.27"), unless the row is numbered or lettered, or the line is short
  or ends with a colon (a heading).
- A block of figures only, as many rows as the labelled block before it, is
  a further column block of that table ("Rate  Int" under "Class  Orig Bal"):
  its rows take those labels.
- Other lines of words are headings; the last one gives context (REMIC,
  pool, group, loan status).
- Dimensions come from the row label, the column title and the heading:
  class, group, pool, remic, series (columns), delinquency bucket (30-59,
  60-89, 90+, "1 payment"), loan status and a date printed in a column title.
- The concept is the shared dictionary's (concepts.match_label) for the row
  label, else the column title, else both; None when none is known, with
  the printed label kept.

A document is a statement when enough of its lines bear figures in tables
or items (STATEMENT_RULE below); otherwise the reader makes no statement, so
a prospectus, legal text or a cover page is not taken for one.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

import attrs
from lark import Transformer

from ..ast import Diagnostic, Fact, Field, Span, Statement
from ..columns import Cell, Column
from ..concepts import concepts, match_label_words
from ..diagnostics import INFO, warning
from ..layout import Detection, Layout, LayoutResult, ParseOutcome, real
from ..numbers import NotAFigure, find_date, parse_number
from ..shapes import FLAGS, GLUE_KINDS, OVERFLOW, Shape, column_of, column_titles, figure_columns, shape
from ..source import LineView

# A document is a statement when at least MIN_FIGURE_LINES of its lines bear figures as table
# rows or items, they are at least MIN_SHARE of its lines with text, and MIN_RUN of them stand
# together (blank lines, rules, titles and column headers between them aside; prose breaks a run):
# prose quotes numbers, but not line after line. A figure line counts when one of its figures is
# printed as an amount or rate ("1,234", "0.00", "4.1%"): a contents page's page numbers do not.
MIN_FIGURE_LINES = 4
MIN_SHARE = 0.2
MIN_RUN = 3
STATEMENT_RULE = (f"at least {MIN_FIGURE_LINES} table or item lines bearing amounts, at least {MIN_SHARE:.0%} "
                  f"of the lines with text, {MIN_RUN} of them in a run unbroken by prose")

_CLASS_LABEL = re.compile(
    r"(?:Class(?:es)?\s+)?([A-Z]{1,3}(?:-?[0-9]{1,2}[A-Z]{0,2})?(?:-[A-Z0-9]{1,4}){0,3})"
    r"(?:\s+(?:Notes?|Certificates?|Certs?\.?))?")
_CLASS_IN = re.compile(r"\bClass\s+([A-Z0-9]{1,4}(?:-[A-Z0-9]{1,4}){0,3})\b")
_NOT_CLASS = frozenset({"TOTAL", "TOTALS", "N/A", "NA", "OF", "AND", "THE"})
_GROUP = re.compile(r"\b(?:(FIXED|ADJ|ADJUSTABLE|ARM)\s+GROUP|GROUP\s+([A-Z0-9]{1,4}|[IVX]{1,5})\b)", re.I)
_POOL = re.compile(r"\bPOOL\s*#?\s*(\d+)", re.I)
_REMIC = re.compile(r"\bREMIC\s+([IVX]{1,5}|\d{1,2})\b", re.I)
_SERIES = re.compile(r"\bSeries\s+(\d{4}-[A-Z0-9]+|[A-Z0-9]{1,4}-\d{1,2})\b", re.I)
_DAYS = re.compile(r"\b(\d{1,3})\s*(?:-|to)\s*(\d{1,3})\s*days?\b|\b(\d{2,3})\s*-\s*(\d{2,3})\b|\b(\d{2,3})\s*(?:\+|or\s+more|and\s+over)",
                   re.I)
_PAYMENTS = re.compile(r"\b(1|one|2|two|3|three)(\+)?\s+(?:or\s+more\s+)?(?:monthly\s+)?payments?\b", re.I)
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3"}
_STATUS = re.compile(r"\b(foreclosure|reo|bankruptcy)", re.I)
# a figure as amounts, rates and balances are printed; whole numbers alone are page and item numbers
_AMOUNT = re.compile(r"[.,%$]")
_PER_1000 = re.compile(r"\bper\s+\$?1,?000\b|\bfactor\b", re.I)
_TOTAL_LABEL = re.compile(r"(?:grand\s+|sub-?\s*)?totals?:?", re.I)
_DISTRIBUTION_DATE = re.compile(r"(?:distribution|payment)\s+date", re.I)
_ENUMERATION = re.compile(r"[ \t|]*\(?(?:\d{1,2}|[A-Za-z]|[ivxIVX]{1,5})[.)]{1,2}\s")
_DELIMITERS = " \t|:.-"


def _dims(row: str, column: str, heading: str) -> dict[str, str]:
    dims: dict[str, str] = {}
    bare = _first_cell(row)
    m = _CLASS_LABEL.fullmatch(bare)
    if m and m.group(1).upper() not in _NOT_CLASS:
        dims["class"] = m.group(1)
    else:
        m = _CLASS_IN.search(row) or _CLASS_IN.search(column)
        if m:
            dims["class"] = m.group(1)
    for text in (row, column, heading):
        m = _GROUP.search(text)
        if m and "group" not in dims:
            dims["group"] = (m.group(1) or m.group(2)).lower()
        for key, pattern in (("pool", _POOL), ("remic", _REMIC)):
            m = pattern.search(text)
            if m and key not in dims:
                dims[key] = m.group(1).upper()
        m = _STATUS.search(text)
        if m and "status" not in dims:  # a delinquent loan's status is its bucket (the schema's statuses)
            dims["status"] = m.group(1).lower()
    m = _SERIES.search(column)
    if m:
        dims["series"] = m.group(1)
    for text in (row, column):
        bucket = _bucket(text)
        if bucket:
            dims["bucket"] = bucket
            break
    found = find_date(column)
    if found:
        dims["date"] = found[0].isoformat()
    return dims


def _bucket(text: str) -> Optional[str]:
    m = _PAYMENTS.search(text)
    if m:
        count = _NUMBER_WORDS.get(m.group(1).lower(), m.group(1))
        plus = "+" if m.group(2) or "more" in m.group(0).lower() else ""
        return f"{count}{plus}-payment{'s' if count != '1' else ''}"
    m = _DAYS.search(text)
    if m:
        if m.group(1):
            return f"{m.group(1)}-{m.group(2)}"
        if m.group(3) and int(m.group(3)) < int(m.group(4)) <= 360:
            return f"{m.group(3)}-{m.group(4)}"
        if m.group(5):
            return f"{m.group(5)}+"
    return None


def _first_cell(row: str) -> str:
    """The row label without its enumerator, up to a gap of two spaces ("A-1" of "A-1   04541GDP4")."""
    return re.split(r"\s{2,}", _ENUMERATION.sub("", row).strip(_DELIMITERS), maxsplit=1)[0]


def _concept(row: str, column: str, dims: dict, context: str) -> Optional[str]:
    """The concept the row label names, else the column title, else both; refined by the context.

    A row that names a class or a total names no figure: its column does. A label is tried
    whole, then without its first words ("DISTRIBUTIONS IN DOLLARS ORIGINAL FACE VALUE", "CLASS A-7
    PRIN DIST:"), down to its last word.
    """
    bare = _ENUMERATION.sub("", row).strip(_DELIMITERS)
    first = _first_cell(row)
    names_no_figure = ("class" in dims and _CLASS_LABEL.fullmatch(first)) or _TOTAL_LABEL.fullmatch(first)
    candidates = [column, bare] if names_no_figure else [bare, column]
    candidates.append(f"{bare} {column}")
    context = f"{context} {column} {row}"
    if _PER_1000.search(context):  # "INTEREST" in a per-$1,000 table: "Interest per $1,000"
        for text in candidates:
            name = match_label_words(text, " per $1,000")
            if name is not None:
                return name
    for text in candidates:
        name = match_label_words(text)
        if name is not None:
            return _in_context(name, dims, context)
    return None


def _in_context(name: str, dims: dict, context: str) -> str:
    """A figure of a per-$1,000 table is the concept's per-$1,000 form; a balance or count in a
    delinquency bucket (not foreclosure, REO or bankruptcy) is a delinquent one."""
    known = concepts()
    if _PER_1000.search(context) and f"{name}_per_1000" in known:
        return f"{name}_per_1000"
    if "bucket" in dims and dims.get("status", "delinquent") == "delinquent":
        delinquent = name.replace("loan_balance", "delinquent_balance").replace("loan_count", "delinquent_loan_count")
        if delinquent in known:
            return delinquent
    return name


@attrs.frozen
class Section:
    """A section of the grammar: its lines in order (caption, then body)."""

    tokens: tuple


class GenericTransformer(Transformer):
    def section(self, children):
        tokens = []
        for child in children:
            tokens.extend(child if isinstance(child, list) else [child])
        return Section(real(tokens))

    def caption(self, children):
        return list(children)

    def body(self, children):
        return list(children)

    def start(self, children):
        return [c if isinstance(c, Section) else Section(real(c)) for c in children if isinstance(c, (Section, list))]


@attrs.define
class Block:
    """A run of figure lines and the lines of words right above it."""

    above: list[Shape]
    rows: list[Shape] = attrs.field(factory=list)


@attrs.define
class Reader:
    """Reads the shapes of a document in order, block by block, into facts."""

    view: LineView
    facts: list[Fact] = attrs.field(factory=list)
    diagnostics: list = attrs.field(factory=list)
    heading: str = ""
    previous_labels: Optional[list[Optional[str]]] = None
    previous_columns: Optional[tuple[list[Column], list[str]]] = None
    scope: dict = attrs.field(factory=dict)  # dims the headings give what follows (remic, pool)

    def read(self, shapes: Sequence[Shape]) -> None:
        words: list[Shape] = []  # lines of words since the last block, blank lines and rules kept
        block: Optional[Block] = None
        for line in shapes:
            if line.has_figures:
                if block is not None and any(r.kind == "blank" for r in block.rows[-2:]) \
                        and _changes_columns(block, line):
                    # after a blank line, figures of other columns are the next block ("Int Short  End Bal"
                    # then the per-$1,000 figures), even with no title between
                    self.close(block)
                    block = None
                if block is None:
                    block = Block(words)
                    words = []
                block.rows.append(line)
            elif line.kind in GLUE_KINDS or line.kind == "blank":
                (block.rows if block is not None else words).append(line)
            else:
                if block is not None and _column_numbers(block, line):
                    # "1  2  3+" over "Payment  Payments  Payments": numbers that title columns
                    row = block.rows[0]
                    words = block.above + [Shape(row.number, "header", row.text, row.cells)]
                    block = None
                if block is not None:
                    self.close(block)
                    block = None
                words.append(line)
        if block is not None:
            self.close(block)
        for line in words:
            self._heading(line)

    def _heading(self, line: Shape) -> None:
        if line.kind in ("title", "header") and len(line.text.split()) < 12:
            self.heading = " ".join(line.text.replace("|", " ").split())
            # a REMIC or pool heading holds for what follows, up to the next one
            for key, pattern in (("remic", _REMIC), ("pool", _POOL)):
                m = pattern.search(self.heading)
                if m:
                    self.scope[key] = m.group(1).upper()

    def close(self, block: Block) -> None:
        rows = [r for r in block.rows if r.has_figures]
        columns = figure_columns(rows)
        headers, continued = self._above(block.above, rows, columns)
        edge = _label_edge(rows, columns)
        titles = column_titles(headers, columns, edge)
        stub = " ".join(c.text for h in headers for c in h.cells if c.start < edge and len(c.text.split()) >= 3)
        if stub:  # "ACCRUED CERTIFICATE INTEREST   PRIOR   CURRENT": the stub names the table's figures
            titles = [f"{stub} {t}".strip() for t in titles]
        table = " ".join(h.text for h in headers)  # the table's header text: context ("PER $1000")
        if not headers and len(columns) > 1 and self.previous_columns and _aligned(columns, self.previous_columns[0]):
            # the table goes on under a heading ("TOTAL") or past a page: the columns it had
            old_columns, old_titles = self.previous_columns
            titles = [old_titles[column_of(Cell("", c.start, c.end), old_columns)] for c in columns]
        elif any(titles):
            self.previous_columns = (columns, titles)
        labels: list[Optional[str]] = [r.label.text.strip(" \t|") if r.label is not None else None for r in rows]
        named_by: Optional[Shape] = None  # a title line that names the block's one row
        if continued and labels[0] is not None:
            labels[0] = " ".join([" ".join(c.text.replace("|", " ").split()) for c in continued] + [labels[0]])
        if all(label is None for label in labels):
            heading = _heading_above(block) if len(labels) == 1 else None
            if heading is not None:  # "PERMITTED WITHDRAWALS" / rule / the figures
                labels = [" ".join(heading.text.replace("|", " ").split())]
                named_by = heading
                titles = ["" if t == labels[0] else t for t in titles]  # the title names the row, not a column
            elif self.previous_labels is not None and len(self.previous_labels) == len(labels):
                labels = list(self.previous_labels)
        else:
            self.previous_labels = labels
        for row, label in zip(rows, labels):
            for cell in row.figures:
                title = titles[column_of(cell, columns)] if columns else ""
                self.add(row, label, cell, title, continued if row is rows[0] else (), table, named_by)

    def _above(self, above: list[Shape], rows: list[Shape], columns: list[Column]):
        """The header lines over a block and the lines continuing its first label; the rest are headings."""
        first = rows[0]
        left = _label_edge(rows, columns)
        lines = list(above)
        headers: list[Shape] = []
        continued: list[Shape] = []
        at = first.number
        # lines of a label's first part: directly above, where the label starts
        if first.label is not None and not _ENUMERATION.match(first.text):
            while lines and lines[-1].kind == "title" and lines[-1].number == at - 1 \
                    and lines[-1].indent == first.indent and len(lines[-1].text.split()) > 3 \
                    and not lines[-1].text.rstrip().endswith(":") and len(lines[-1].cells) == 1:
                continued.insert(0, lines.pop())
                at -= 1
        # header lines: up from the block, over the figures, through rules and markup, to a blank line
        # (blank lines between the block and its first rule or markup line aside)
        seen_rule = False
        while lines:
            line = lines[-1]
            if line.kind == "blank" and not headers and any(x.kind in ("rule", "markup") for x in lines[-3:]):
                lines.pop()
                continue
            if line.kind == "blank" or line.kind == "page":
                break
            if line.kind in ("rule", "markup"):
                if headers and line.kind == "rule":
                    seen_rule = True
                lines.pop()
                continue
            over = [c for c in line.cells if c.end > left]
            # a title from the label column across the figures ("Distribution Date: 12/15/95") is no column title
            if seen_rule or line.kind == "prose" or not over or (len(line.cells) == 1 and line.cells[0].start < left):
                break
            headers.insert(0, lines.pop())
        for line in lines:
            self._heading(line)
        return headers, continued

    def add(self, row: Shape, label: Optional[str], cell, title: str, continued: Sequence[Shape],
            table: str = "", named_by: Optional[Shape] = None) -> None:
        row_label = label or ""
        dims = {**self.scope, **_dims(row_label, title, self.heading)}
        name = _concept(row_label, title, dims, f"{self.heading} {table}")
        unit = concepts()[name].unit if name is not None else None
        percent = "%" in cell.text
        if unit in ("text", "date") or (unit == "boolean") != (cell.text in FLAGS):
            name, unit = None, None
        if unit is None:
            unit = "percent" if percent else "usd" if "$" in cell.text else "pure"
        span = cell.span(row.number)
        if OVERFLOW.fullmatch(cell.text):
            self.diagnostics.append(warning("overflow-figure", f"{cell.text!r}: the figure was too wide for its "
                                            "field and is printed as marks; its value is unknown", span))
        if cell.text in FLAGS:
            name, unit = (name if unit == "boolean" else None), "boolean"
        try:
            value = (FLAGS[cell.text] if cell.text in FLAGS else None if cell.text == "N/A" or OVERFLOW.fullmatch(cell.text)
                     else parse_number(cell.text)[0])
        except NotAFigure:  # pragma: no cover - shapes.py makes figures of numbers only
            self.diagnostics.append(warning("bad-figure", f"{cell.text!r} is not a figure", span))
            value = None
        label_span = None
        if named_by is not None and named_by.cells:
            label_span = Span(named_by.number, named_by.cells[0].start + 1, named_by.number, named_by.cells[-1].end + 1)
        elif row.label is not None:
            start = continued[0] if continued else row
            label_span = Span(start.number, (continued[0].indent if continued else row.label.start) + 1,
                              row.number, row.label.end + 1)
        # a class table's row names the class, its column the figure; elsewhere the row names the figure
        is_class_row = "class" in dims and _CLASS_LABEL.fullmatch(_ENUMERATION.sub("", row_label).strip(_DELIMITERS))
        printed = (title or row_label) if is_class_row else (row_label or title)
        self.facts.append(Fact(name, printed, value, unit, cell.text, span, dims, label_span,
                               row_label=label, column_header=title or None))


def _label_edge(rows: Sequence[Shape], columns: Sequence[Column]) -> int:
    """Where the row labels end (or the figures begin, if sooner): header cells left of it title the labels."""
    first = columns[0].start if columns else len(rows[0].text)
    return max((r.label.end for r in rows if r.label is not None and r.label.end < first), default=first)


def _heading_above(block: Block) -> Optional[Shape]:
    """The title line right above a block, through rules, markup and blank lines only."""
    for line in reversed(block.above):
        if line.kind in ("rule", "markup", "blank"):
            continue
        return line if line.kind == "title" else None
    return None


def _changes_columns(block: Block, line: Shape) -> bool:
    """A figure line whose figures stand in no column of the block so far."""
    rows = [r for r in block.rows if r.has_figures]
    columns = figure_columns(rows)
    return not all(any(c.overlaps(col.start, col.end) for col in columns) for c in line.figures)


def _column_numbers(block: Block, line: Shape) -> bool:
    """A block of one line of small whole numbers right above a header line: column titles, not figures."""
    rows = [r for r in block.rows if r.kind != "blank"]
    return (len(rows) == 1 and rows[0].kind == "values" and rows[0].number == line.number - 1
            and line.kind == "header" and all(c.text.isdigit() and len(c.text) <= 2 for c in rows[0].figures))


def _aligned(columns: Sequence[Column], before: Sequence[Column]) -> bool:
    """Every column ends where one of `before` ends (right-aligned figures), give or take a character."""
    return bool(columns) and all(any(abs(c.end - b.end) <= 1 for b in before) for c in columns)


def figure_share(shapes: Sequence[Shape]) -> tuple[int, int, int]:
    """(figure lines, lines with text, longest run of figure lines): what STATEMENT_RULE weighs."""
    figures = text = run = best = 0
    for line in shapes:
        if line.has_figures and any(_AMOUNT.search(c.text) for c in line.figures):
            figures += 1
            text += 1
            run += 1
            best = max(best, run)
        elif line.kind in ("title", "header", "prose") or line.has_figures:
            text += 1
            if line.kind == "prose":  # a label on a line of its own, over its figure, goes on with the run
                run = 0
    return figures, text, best


def is_statement(shapes: Sequence[Shape]) -> bool:
    figures, text, run = figure_share(shapes)
    return figures >= MIN_FIGURE_LINES and figures >= MIN_SHARE * text and run >= MIN_RUN


class GenericLayout(Layout):
    id = "generic"
    description = "any report no layout knows: titles, items and fixed-width tables read from their positions"
    grammar = "generic.lark"
    transformer = GenericTransformer
    # Detection never claims a document: the driver falls back to this layout (assess) when no
    # other layout is confident enough.
    evidence = ()

    @classmethod
    def detect(cls, view: LineView) -> Detection:
        return Detection(cls.id, 0.0, ("the fallback: used when no layout claims a document",))

    @classmethod
    def assess(cls, view: LineView) -> Detection:
        """How surely the document is a statement the generic reader can read (STATEMENT_RULE)."""
        from ..shapes import classify

        shapes = classify(view.lines[view.first - 1:view.last], view.first)
        figures, text, run = figure_share(shapes)
        share = figures / text if text else 0.0
        statement = is_statement(shapes)
        why = (f"{figures} of {text} lines with text bear figures ({share:.0%}), longest run {run}: "
               f"{'a statement' if statement else 'not a statement'} ({STATEMENT_RULE})")
        return Detection(cls.id, round(share, 3) if statement else 0.0, (why,))

    @classmethod
    def read_leftovers(cls, outcome: ParseOutcome, result: LayoutResult, view: LineView) -> None:
        """The lines another layout left unparsed, read generically when they make a statement.

        A cover page layout stops where a statement no layout knows begins (an 8-K with the
        trustee's report inline); a layout that knows a report's title may not know its body.
        When the layout made no fact, those lines become a generic statement of their own
        (added to `result`); the ones that became facts or labels leave `unparsed` (of the parse
        `outcome` or of `result`) with their unparsed-line errors. A layout that read its
        statement keeps its unplaced lines as errors: there they are damage, not another report.
        """
        from ..shapes import classify

        if any(s.facts for s in result.statements):
            return
        leftovers = sorted(outcome.unparsed + result.unparsed, key=lambda u: u.line)
        shapes = []
        for u in leftovers:
            shapes.extend(classify([u.text], u.line))
        shapes = _with_blanks(shapes, view)
        if not is_statement(shapes):
            return
        reader = Reader(view)
        reader.read(shapes)
        if not reader.facts:
            return
        figures, text, _run = figure_share(shapes)
        result.statements.append(Statement(
            format=cls.id, title=_title(shapes), distribution_date=_distribution_date(shapes), classes=(),
            facts=tuple(reader.facts), series=_series(shapes), confidence=round(figures / text, 3) if text else 0.0))
        # lines that became facts or their labels leave `unparsed`; titles, prose and dates stay there
        read = {f.span.line for f in reader.facts}
        for f in reader.facts:
            if f.label_span is not None:
                read.update(range(f.label_span.line, f.label_span.end_line + 1))
        for holder in (outcome, result):
            holder.unparsed = [u for u in holder.unparsed if u.line not in read]
            holder.diagnostics = [d for d in holder.diagnostics
                                  if not (d.code == "unparsed-line" and d.span is not None and d.span.line in read)]
        first, last = leftovers[0].line, leftovers[-1].line
        result.diagnostics.append(Diagnostic(
            INFO, "generic-region", f"lines {first}-{last}: lines no layout placed are a statement; the generic "
            f"reader made {len(reader.facts)} facts of {len(read)} of them", Span(first, 1, first, 1)))
        result.diagnostics.extend(reader.diagnostics)

    def assemble(self, pieces, view: LineView) -> LayoutResult:
        result = LayoutResult()
        shapes = []
        for section in pieces:
            for token in section.tokens:
                shapes.append(shape(token.line, token.value, token.type))
        shapes = _with_blanks(shapes, view)
        if not is_statement(shapes):
            figures, text, run = figure_share(shapes)
            result.diagnostics.append(Diagnostic(
                INFO, "not-a-statement", f"lines {view.first}-{view.last}: {figures} of {text} lines with text bear "
                f"figures, longest run {run}; a statement needs {STATEMENT_RULE}", Span(view.first, 1, view.first, 1)))
            result.text_lines.update(range(view.first, view.last + 1))  # said so: its figures are words
            return result
        reader = Reader(view)
        reader.read(shapes)
        figures, text, _run = figure_share(shapes)
        result.statements.append(Statement(
            format=self.id, title=_title(shapes), distribution_date=_distribution_date(shapes),
            classes=(), facts=tuple(reader.facts), series=_series(shapes),
            confidence=round(figures / text, 3) if text else 0.0))
        result.diagnostics.extend(reader.diagnostics)
        return result


def _with_blanks(shapes: list[Shape], view: LineView) -> list[Shape]:
    """The shapes with a blank shape wherever lines were skipped (blank lines are no tokens)."""
    out: list[Shape] = []
    previous = view.first - 1
    for line in shapes:
        if line.number > previous + 1:
            out.append(Shape(line.number - 1, "blank", ""))
        out.append(line)
        previous = line.number
    return out


def _title(shapes: Sequence[Shape]) -> str:
    for line in shapes:
        if line.kind == "title" and len(line.text.split()) < 12:
            return " ".join(line.text.replace("|", " ").split())
    return ""


def _series(shapes: Sequence[Shape]) -> Optional[str]:
    for line in shapes[:60]:
        if line.kind in ("title", "header"):
            m = _SERIES.search(line.text)
            if m:
                return m.group(1)
    return None


def _distribution_date(shapes: Sequence[Shape]) -> Optional[Field]:
    for index, line in enumerate(shapes):
        m = _DISTRIBUTION_DATE.search(line.text) if line.kind != "blank" else None
        if not m:
            continue
        for candidate in [line] + [s for s in shapes[index + 1:index + 4] if s.kind != "blank"]:
            start = m.end() if candidate is line else 0
            found = find_date(candidate.text[start:])
            if found:
                value, s, e = found
                s, e = s + start, e + start
                return Field(value, candidate.text[s:e], Span(candidate.number, s + 1, candidate.number, e + 1))
    return None
