"""HTML documents as the text lines every grammar reads, with a map back to the source.

Since the 10-D (2006) trustees file their statements as HTML. Rather than give every
layout a second front end, an HTML document is *rendered* to text the way the
plain-text filings print it, and the layouts read those lines as usual:

- ``<PRE>`` blocks: their lines as printed;
- each ``<table>``: an aligned fixed-width block, one text line per row (a cell holding
  several paragraphs prints over several lines), ``colspan`` / ``rowspan`` honoured,
  columns at least two spaces apart, figures right-aligned, columns that are blank in
  every row (EDGAR's spacer cells) left out; a ``%``, ``)`` printed in a cell of its own
  joins the figure before it, a ``(`` or ``$`` the figure after it;
- paragraphs, divs, headings, list items and ``<br>`` end lines; text is entity-decoded
  (``&#160;`` is a space; ``&#150;`` the dash Windows-1252 meant) and its whitespace runs
  collapsed; ``<script>``, ``<style>``, ``<head>`` and comments are dropped, never copied.

lxml (libxml2's HTML parser, with its browser-like recovery) builds the tree. lxml
knows only the line of an element, so a second pass over the source (`_SourceText`:
a small tokenizer that skips tags, comments, scripts and styles and decodes entities)
records the offset of every character of text; each text node of the tree is found in
that stream in document order. Every rendered character then knows the (line, column)
it was printed at in the original file, which `Rendering.source_span` uses to move a
layout's spans back onto the HTML, so provenance, `trustc check` carets and the HTML
emitter's hover point at the source.
"""
from __future__ import annotations

import bisect
import html as _html
import re
from array import array
from decimal import Decimal
from typing import Iterable, Optional

import attrs

from .ast import Diagnostic, Span, UnparsedLine

# How an HTML document announces itself on its first lines (EDGAR's <TEXT> bodies
# begin with one of these; plain-text filings never do).
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_FILENAME = re.compile(r"\.html?$", re.I)

_BLOCK = frozenset("""
    address article aside blockquote body caption center dd div dl dt fieldset figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hr html li main nav ol p section table tbody td tfoot th thead tr ul
""".split())
_DROPPED = frozenset({"script", "style", "head", "title", "noscript", "template", "object", "iframe"})
_WS = re.compile(r"\s+")
_NOT_SPACE = re.compile(r"\S")
_WS_TO_COLLAPSE = re.compile(r"[^\S ]|  ")  # whitespace other than a single space
_SPAN = re.compile(r"\s*(\d{1,6})")
_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{0,31});?")
# What the text stream skips: a comment, a declaration or processing instruction, a tag (each to its
# end, or to the end of the source when it is never closed).
_MARKUP = re.compile(r"<!--.*?(?:-->|\Z)|<[!?][^>]*(?:>|\Z)|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*(?:>|\Z)", re.S)
_RAW_END = {name: re.compile(rf"</{name}\b", re.I) for name in ("script", "style")}
# A figure (amount, rate, count, date) is right-aligned in its column.
_FIGURE = re.compile(r"[($-]*\$?\s?[0-9][0-9,./-]*%?\)?")
_JOIN_BEFORE = frozenset({"%", ")", "%)"})
_JOIN_AFTER = frozenset({"(", "$", "($", "$("})
_LINE_IN_MESSAGE = re.compile(r"\b(lines? )(\d+)\b")
GUTTER = 2
MAX_COLSPAN = 100
MAX_ROWSPAN = 1000
MAX_DEPTH = 60  # elements nested deeper than this are read as one run of text (no recursion)
_C1 = {c: bytes([c]).decode("cp1252", errors="ignore") or chr(c) for c in range(0x80, 0xA0)}


def is_html(text: str, filename: Optional[str] = None) -> bool:
    """Whether a document body is HTML: it opens as an HTML page (or its EDGAR file name says .htm)."""
    if _HTML_START.match(text[:4096]):
        return True
    return bool(filename and _HTML_FILENAME.search(filename) and re.search(r"<(?:p|div|table|br|font)\b",
                                                                           text[:65536], re.I))


class _SourceText:
    """The characters of text in an HTML source, decoded, each with its offset in the source."""

    WINDOW = 4096

    def __init__(self, source: str):
        chars: list[str] = []
        offsets = array("l")
        self.entity_ends: dict[int, int] = {}  # where an entity written at an offset ends
        n, pos = len(source), 0
        while pos < n:
            markup = _MARKUP.search(source, pos)  # a lone '<' is not markup: it stays in the text
            lt = n if markup is None else markup.start()
            self._data(source, pos, lt, chars, offsets)
            if markup is None:
                break
            pos = markup.end()
            name = markup.group(2)
            if name is not None and not markup.group(1) and name.lower() in _RAW_END:
                close = _RAW_END[name.lower()].search(source, pos)
                pos = n if close is None else close.start()
        self.text = "".join(chars)
        self.offsets = offsets
        self.cursor = 0

    def _data(self, source: str, start: int, end: int, chars: list, offsets: array) -> None:
        while start < end:
            amp = source.find("&", start, end)
            stop = end if amp < 0 else amp
            if stop > start:
                chars.append(source[start:stop])
                offsets.extend(range(start, stop))
            if amp < 0:
                return
            m = _ENTITY.match(source, amp, end)
            if m is None:
                chars.append("&")
                offsets.append(amp)
                start = amp + 1
                continue
            decoded = _html.unescape(m.group())
            chars.append(decoded)
            offsets.extend([amp] * len(decoded))
            self.entity_ends[amp] = m.end()
            start = m.end()

    def locate(self, text: str) -> list[int]:
        """Source offsets of each character of `text`, the next text node of the tree (-1: unknown)."""
        core = text.strip()
        out = [-1] * len(text)
        if not core:
            return out
        lead = len(text) - len(text.lstrip())
        stream, cursor = self.text, self.cursor
        gap = _NOT_SPACE.search(stream, cursor)  # \S is what str.isspace() is not
        cursor = gap.start() if gap is not None else len(stream)
        at = cursor if stream.startswith(core, cursor) else stream.find(core, cursor, cursor + self.WINDOW + len(core))
        if at < 0:
            return out
        out[lead:lead + len(core)] = self.offsets[at:at + len(core)]
        self.cursor = at + len(core)
        return out


@attrs.define
class _Run:
    """Text of one rendered line being built, with the source offset of every character."""

    chars: list[str] = attrs.field(factory=list)
    offsets: list[int] = attrs.field(factory=list)

    def add(self, text: str, offsets: list[int]) -> None:
        self.chars.append(text)
        self.offsets.extend(offsets)

    def normalised(self) -> tuple[str, list[int]]:
        """Whitespace runs collapsed to one space, ends trimmed; each kept character keeps its offset."""
        text = "".join(self.chars)
        line = text.strip()
        if _WS_TO_COLLAPSE.search(line) is None:  # the usual run: only its ends to trim, nothing to collapse
            lead = len(text) - len(text.lstrip())
            return line, self.offsets[lead:lead + len(line)]
        out_chars: list[str] = []
        out_offsets: list[int] = []
        position = 0
        for m in _WS.finditer(text):
            out_chars.append(text[position:m.start()])
            out_offsets.extend(self.offsets[position:m.start()])
            out_chars.append(" ")
            out_offsets.append(self.offsets[m.start()])
            position = m.end()
        out_chars.append(text[position:])
        out_offsets.extend(self.offsets[position:])
        line = "".join(out_chars)
        lead = len(line) - len(line.lstrip(" "))
        line = line.strip(" ")
        return line, out_offsets[lead:lead + len(line)]


@attrs.define
class _Cell:
    lines: list[tuple[str, list[int]]]
    row: int
    column: int
    rowspan: int
    colspan: int
    align: str

    @property
    def width(self) -> int:
        return max((len(text) for text, _o in self.lines), default=0)

    @property
    def blank(self) -> bool:
        return not any(text for text, _o in self.lines)

    @property
    def text(self) -> str:
        return " ".join(text for text, _o in self.lines if text)


@attrs.frozen
class Rendering:
    """An HTML document rendered to text lines, and where each rendered character came from."""

    lines: list[str]
    origins: list[array]  # per rendered line, the source offset of each character (-1: padding)
    first_line: int  # the file line the HTML source begins on
    line_starts: list[int]  # offsets in the HTML source where each of its lines begins
    entity_ends: dict[int, int]  # an entity's end, by its start offset (a rendered character's source may be longer)

    def _offset(self, line: int, column: int, forward: bool) -> Optional[int]:
        """The source offset at rendered (line, column), or of the nearest printed character of that line."""
        if not 1 <= line <= len(self.origins):
            return None
        origins = self.origins[line - 1]
        if not origins:
            return None
        index = min(max(column - 1, 0), len(origins) - 1)
        steps = range(index, len(origins)) if forward else range(index, -1, -1)
        for i in steps:
            if origins[i] >= 0:
                return origins[i]
        steps = range(index - 1, -1, -1) if forward else range(index + 1, len(origins))
        for i in steps:
            if origins[i] >= 0:
                return origins[i]
        return None

    def _position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return self.first_line + index, offset - self.line_starts[index] + 1

    def source_line(self, line: int) -> int:
        """The file line a rendered line was printed on (its first printed character)."""
        offset = self._offset(line, 1, True)
        return self._position(offset)[0] if offset is not None else self.first_line

    def source_span(self, span: Span) -> Span:
        start = self._offset(span.line, span.column, True)
        end = self._offset(span.end_line, span.end_column - 1, False)
        if start is None and end is None:
            line = self.source_line(span.line)
            return Span(line, 1, line, 1)
        start = end if start is None else start
        end = start if end is None or end < start else end
        (line, column), (end_line, end_column) = self._position(start), self._position(end)
        return Span(line, column, end_line, end_column + self.entity_ends.get(end, end + 1) - end)


class _Renderer:
    def __init__(self, source: str):
        self.stream = _SourceText(source)
        self.lines: list[str] = []
        self.origins: list[array] = []
        self.run = _Run()

    # -- output ---------------------------------------------------------------------------------------

    def emit(self, text: str, offsets: Iterable[int]) -> None:
        self.lines.append(text)
        self.origins.append(array("l", offsets))

    def flush(self) -> None:
        if self.run.chars:
            text, offsets = self.run.normalised()
            if text:
                self.emit(text, offsets)
            self.run = _Run()

    def text(self, value: Optional[str], run: _Run) -> None:
        if value:
            value = value.translate(_C1)
            run.add(value, self.stream.locate(value))

    # -- the tree -------------------------------------------------------------------------------------

    def flat(self, element, run_owner) -> None:
        """Render `element`'s content as one run of text, without recursion (markup nested too deep)."""
        from lxml import etree

        walker = etree.iterwalk(element, events=("start", "end"))
        for event, node in walker:
            tag = node.tag.lower() if isinstance(node.tag, str) else None
            if node is element:
                continue
            if event == "start":
                if tag is None or tag in _DROPPED:
                    walker.skip_subtree()
                else:
                    self.text(node.text, run_owner.run)
            else:
                self.text(node.tail, run_owner.run)

    def walk(self, element, run_owner, depth: int = 0) -> None:
        """Render `element`'s content; inline text goes to run_owner.run, finished lines to run_owner."""
        if depth > MAX_DEPTH:
            self.flat(element, run_owner)
            return
        for child in element:
            tag = child.tag.lower() if isinstance(child.tag, str) else None
            if tag is None or tag in _DROPPED:
                pass  # a comment, processing instruction or dropped element: its text is never copied
            elif tag == "br":
                run_owner.flush()
            elif tag == "pre":
                run_owner.flush()
                self.pre(child, run_owner)
            elif tag == "table":
                run_owner.flush()
                self.table(child, run_owner, depth + 1)
            elif tag in _BLOCK:
                run_owner.flush()
                self.text(child.text, run_owner.run)
                self.walk(child, run_owner, depth + 1)
                run_owner.flush()
            else:
                self.text(child.text, run_owner.run)
                self.walk(child, run_owner, depth + 1)
            self.text(child.tail, run_owner.run)

    def pre(self, element, owner) -> None:
        """A <PRE> block: its lines as printed (tags inside it keep their text, nothing else)."""
        chars: list[str] = []
        offsets: list[int] = []

        from lxml import etree

        def add(value: Optional[str]) -> None:
            if value:
                value = value.translate(_C1)
                chars.append(value)
                offsets.extend(self.stream.locate(value))

        walker = etree.iterwalk(element, events=("start", "end"))
        for event, node in walker:
            tag = node.tag.lower() if isinstance(node.tag, str) else None
            if event == "start":
                if node is not element and (tag is None or tag in _DROPPED):
                    walker.skip_subtree()
                    continue
                if tag == "br":
                    chars.append("\n")
                    offsets.append(-1)
                add(node.text)
            elif node is not element:
                add(node.tail)

        text = "".join(chars)
        if text.startswith("\n"):  # the line end right after <PRE> is not content
            text, offsets = text[1:], offsets[1:]
        position = 0
        for piece in text.split("\n"):
            line = piece.replace("\xa0", " ").rstrip()
            owner.emit(line, offsets[position:position + len(line)])
            position += len(piece) + 1

    def cell_lines(self, cell, depth: int) -> list[tuple[str, list[int]]]:
        collector = _Collector()
        self.text(cell.text, collector.run)
        self.walk(cell, collector, depth + 1)
        collector.flush()
        return collector.lines

    def table(self, table, owner, depth: int) -> None:
        rows = [row for row in table.iter("tr") if _nearest_table(row) is table]
        cells: list[_Cell] = []
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            c = 0
            for td in row:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                colspan = _span(td.get("colspan"), MAX_COLSPAN)
                rowspan = min(_span(td.get("rowspan"), MAX_ROWSPAN), len(rows) - r)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken.add((r + dr, c + dc))
                align = (td.get("align") or "").lower()
                cells.append(_Cell(self.cell_lines(td, depth), r, c, rowspan, colspan, align))
                c += colspan
        _join_signs(cells)
        cells = [cell for cell in cells if not cell.blank]
        if not cells:
            return
        used = sorted({cell.column for cell in cells if cell.colspan == 1}
                      | {cell.column for cell in cells if cell.colspan > 1})
        # a column that only spanning cells start in still gets a place; blank spacer columns do not
        widths = [0] * len(used)

        # the indexes (into `used`) of the columns each cell spans; `used` is sorted, so they are a range
        spans = {id(cell): range(bisect.bisect_left(used, cell.column),
                                 bisect.bisect_right(used, cell.column + cell.colspan - 1)) for cell in cells}

        for cell in sorted(cells, key=lambda cl: len(spans[id(cl)])):
            spanned = spans[id(cell)]
            room = sum(widths[i] for i in spanned) + GUTTER * (len(spanned) - 1)
            if cell.width > room:
                widths[spanned[-1]] += cell.width - room
        starts, position = [], 0
        for width in widths:
            starts.append(position)
            position += width + GUTTER
        by_row: dict[int, list[_Cell]] = {}
        for cell in cells:
            by_row.setdefault(cell.row, []).append(cell)
        for r in sorted(by_row):
            row_cells = by_row[r]
            height = max(len(cell.lines) for cell in row_cells)
            for k in range(height):
                pieces: list[str] = []
                offsets: list[int] = []
                printed = 0  # characters in the line so far
                for cell in row_cells:
                    if k >= len(cell.lines):
                        continue
                    text, origin = cell.lines[k]
                    spanned = spans[id(cell)]
                    left = starts[spanned[0]]
                    width = starts[spanned[-1]] + widths[spanned[-1]] - left
                    if cell.align == "right" or (cell.align != "left" and _FIGURE.fullmatch(text)):
                        left += width - len(text)
                    elif cell.align == "center":
                        left += (width - len(text)) // 2
                    pad = left - printed
                    if pad < GUTTER and printed:
                        pad = GUTTER
                    if pad > 0:
                        pieces.append(" " * pad)
                        offsets.extend([-1] * pad)
                        printed += pad
                    pieces.append(text)
                    offsets.extend(origin)
                    printed += len(text)
                line = "".join(pieces).rstrip()
                if line:
                    owner.emit(line, offsets[:len(line)])
        owner.emit("", [])  # a table ends in a blank line: the next table has columns of its own


class _Collector:
    """The lines of one table cell, rendered as a small document of their own."""

    def __init__(self):
        self.lines: list[tuple[str, list[int]]] = []
        self.run = _Run()

    def emit(self, text: str, offsets) -> None:
        self.lines.append((text, list(offsets)))

    def flush(self) -> None:
        if self.run.chars:
            text, offsets = self.run.normalised()
            if text:
                self.lines.append((text, offsets))
            self.run = _Run()


def _nearest_table(element):
    parent = element.getparent()
    while parent is not None and not (isinstance(parent.tag, str) and parent.tag.lower() == "table"):
        parent = parent.getparent()
    return parent


def _span(raw: Optional[str], limit: int) -> int:
    m = _SPAN.match(raw) if raw else None
    return min(max(int(m.group(1)), 1), limit) if m else 1


def _join_signs(cells: list[_Cell]) -> None:
    """A '%' or ')' in a cell of its own joins the figure before it; a '(' or '$' the figure after it."""
    by_row: dict[int, list[_Cell]] = {}
    for cell in cells:
        by_row.setdefault(cell.row, []).append(cell)
    for row in by_row.values():
        printed = [cell for cell in row if not cell.blank]
        for i, cell in enumerate(printed):
            if len(cell.lines) != 1:
                continue
            sign, origin = cell.lines[0]
            if sign in _JOIN_BEFORE and i > 0 and len(printed[i - 1].lines) == 1 and printed[i - 1].lines[0][0]:
                text, offsets = printed[i - 1].lines[0]
                printed[i - 1].lines[0] = (text + sign, offsets + origin)
                cell.lines = [("", [])]
            elif sign in _JOIN_AFTER and i + 1 < len(printed) and len(printed[i + 1].lines) == 1:
                text, offsets = printed[i + 1].lines[0]
                printed[i + 1].lines[0] = (sign + text, origin + offsets)
                cell.lines = [("", [])]


def render(source: str, first_line: int = 1) -> Rendering:
    """Render an HTML source (the text of one document) to text lines; never raises on bad markup."""
    from lxml import etree

    line_starts = [0] + [m.end() for m in re.finditer("\n", source)]
    renderer = _Renderer(source)
    root = None
    if source.strip():
        parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, recover=True,
                                  no_network=True, huge_tree=True)
        try:
            root = etree.fromstring(source.encode("utf-8", errors="replace"), parser)
        except (etree.LxmlError, ValueError):  # libxml2 gave up: nothing it could read
            root = None
    if root is not None:
        renderer.text(root.text, renderer.run)
        renderer.walk(root, renderer)
        renderer.flush()
    return Rendering(renderer.lines, renderer.origins, first_line, line_starts, renderer.stream.entity_ends)


def relocate(value, rendering: Rendering):
    """`value` (a layout's result, or any part of it) with every span moved from rendered lines to the source.

    Spans live in attrs nodes, tuples, lists and mappings; an `UnparsedLine`, and the
    `line` entries of the cover's item and exhibit records, name a rendered line and get
    the source line it was printed on.
    """
    return _Relocation(rendering).move(value)


# Values that hold no span: returned as they are without asking what else they might be.
_LEAVES = frozenset({str, int, float, bool, type(None), Decimal})
# An attrs class's init fields as (attribute name, init argument), read once per class.
_INIT_FIELDS: dict[type, Optional[tuple[tuple[str, str], ...]]] = {}


def _init_fields(cls: type) -> Optional[tuple[tuple[str, str], ...]]:
    try:
        return _INIT_FIELDS[cls]
    except KeyError:
        fields = (tuple((a.name, getattr(a, "alias", None) or a.name.lstrip("_")) for a in attrs.fields(cls) if a.init)
                  if attrs.has(cls) else None)
        _INIT_FIELDS[cls] = fields
        return fields


class _Relocation:
    """One `relocate` call. A 10-D's statements hold ~17,000 facts: each distinct span (a row's facts share
    their label's) is moved once, and each node is rebuilt with its class's fields read once per class."""

    def __init__(self, rendering: Rendering):
        self.rendering = rendering
        self.spans: dict[Span, Span] = {}
        self.lines: dict[int, int] = {}

    def line(self, line: int) -> int:
        moved = self.lines.get(line)
        if moved is None:
            moved = self.lines[line] = self.rendering.source_line(line)
        return moved

    def move(self, value):
        kind = type(value)
        if kind in _LEAVES:
            return value
        if isinstance(value, Span):
            moved = self.spans.get(value)
            if moved is None:
                moved = self.spans[value] = self.rendering.source_span(value)
            return moved
        if isinstance(value, UnparsedLine):
            return UnparsedLine(self.line(value.line), value.text)
        if isinstance(value, Diagnostic):  # messages name lines too ("line 113 could not be placed")
            message = _LINE_IN_MESSAGE.sub(lambda m: m.group(1) + str(self.line(int(m.group(2)))), value.message)
            return attrs.evolve(value, message=message, span=self.move(value.span), related=self.move(value.related))
        fields = _init_fields(kind)
        if fields is not None:
            changed = False
            arguments = {}
            for name, argument in fields:
                old = getattr(value, name)
                if type(old) in _LEAVES:  # most fields: tested here, a call less each
                    arguments[argument] = old
                    continue
                new = arguments[argument] = self.move(old)
                changed = changed or new is not old
            return kind(**arguments) if changed else value  # what attrs.evolve does, without its per-call setup
        if isinstance(value, (list, tuple)):
            items = [self.move(v) for v in value]
            if all(a is b for a, b in zip(items, value)):
                return value
            return items if isinstance(value, list) else type(value)(items) if type(value) is tuple else tuple(items)
        if isinstance(value, dict) or hasattr(value, "items") and hasattr(value, "keys"):
            out = {}
            for key, v in value.items():
                if key == "line" and isinstance(v, int) and not isinstance(v, bool):
                    out[key] = self.line(v)
                else:
                    out[key] = v if type(v) in _LEAVES else self.move(v)
            return out
        return value
