"""Reading a Form 8-K / 10-D cover page: captions inside lines, values around them.

The grammar (form8k.lark) says which lines make the cover. Filers then print
each value above, beside or below the caption that names it, several captions
on one line or one caption over three lines, and web copies of a filing print
the whole cover on one line or cut it into `|` table cells. So, as columns.py
reads cells inside a table row, this module reads the cover inside its lines:

1. every line is cut into *segments*: captions ("(Exact name of registrant
   ...)", "(Commission File Number)", "Date of Report") found by their head
   words and extended over the caption words that follow, and value pieces
   (the text between captions, split at two spaces, tabs and `|`); a piece
   made only of caption words ("of Incorporation)") is the rest of a caption;
2. consecutive captions form a group, and each group reads its values from
   the pieces before it (the common layout: value over caption), or, for a
   date or a phone number, from the same line after it or the lines below;
3. the state / file number / IRS number captions, and the address / zip
   captions, are read as one region each, because filers print their values
   in one row, in one column, or interleaved with the captions: numbers are
   told apart by their shape (33-55853 is a file number, 13-3354848 an IRS
   number), words by the caption they stand over.

Every field keeps the span of what was printed. `Cover.missing` names the
fields the page did not print (or that were cut off).
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional

import attrs
from lark import Token

from .ast import Cover, Field, Span
from .numbers import find_date

PHONE = re.compile(r"\(?\d{3}\)?[ .-]*\d{3}[ .-]\d{4}")
ZIP = re.compile(r"\d{5}(?:-\d{4})?")
TRAILING_ZIP = re.compile(r"(?<![\w-])\d{5}(?:-\d{4})?\s*$")
FORM = re.compile(r"(?:8-K|10-D)(?:/A)?", re.I)
# 333-86750, 333-03911-10, 2-99554; 13-3354848 is an IRS number (two digits, seven digits)
NUMBERS = re.compile(r"(?<![\w-])(?:(?P<irs>\d{2}-\d{7})|(?P<file>\d{1,3}-\d{3,6}(?:-\d{1,3})?))(?![\w-])")

COVER_FIELDS = (
    "form_type", "report_date", "registrant", "state_of_incorporation", "commission_file_number",
    "irs_employer_id", "address", "zip", "phone",
)
# The order fields are written in (the reference snapshot's); further numbers follow the first.
FIELD_ORDER = (
    "form_type", "report_date", "registrant", "state_of_incorporation", "commission_file_number",
    "other_file_numbers", "irs_employer_id", "other_irs_employer_ids", "zip", "address", "phone",
)

# Where a caption starts. Each alternative is fixed words with whitespace runs
# between them, so a search costs linear time on any line.
HEAD = re.compile(
    r"(?P<sec>SECURITIES\s+AND\s+EXCHANGE\s+COMMISSION)"
    r"|(?P<form>\bFORM\s+(?:8-K|10-D)(?:/A)?\b)"
    r"|(?P<date>\bDate\s+of\s+Report\b|\(\s*Date\s+of\s+earliest\s+event)"
    r"|(?P<registrant>\(\s*Exact\s+name\s+of)"
    r"|(?P<state>\(\s*State\s+(?:or|of)\b|\bState\s+or\s+other\b|\(\s*Jurisdiction\s+of)"
    r"|(?P<file>\(\s*Commission\b|\bCommission\s+File\s+(?:No\b|Numbers?\b))"
    r"|(?P<irs>\(\s*I\.?\s?R\.?\s?S\.?\s*(?:Employer|Employee|EIN|No)|\bIRS\s+(?:Employer|Employee|EIN)\b"
    r"|\(\s*Employer\s+Identification)"
    r"|(?P<address>\(\s*Address\b)"
    r"|(?P<zip>\(\s*Zip\s*Code\s*\))"
    r"|(?P<phone>\btelephone\s+number\b)"
    r"|(?P<former>\(\s*(?:Registrant.s\s+)?Former\s+name)"
    r"|(?P<item>\bItem\s+\d{1,2}(?:\.\d{1,2})?\b)",
    re.I,
)
# Words a caption goes on with ("(State or other jurisdiction of incorporation)");
# a piece made only of these is the rest of a caption printed on the next line.
CAPTION_WORDS = frozenset("""
    a an and as if in its of or other the
    jurisdiction incorporation organization file number numbers no identification employer employee id ein
    irs i.r.s commission state registrant registrant's registrants name specified charter exact address
    principal executive offices office officer including zip code area telephone since last report reported
    changed former fiscal year date earliest event
""".split())
WORD = re.compile(r"[ \t]*([^\s|]+)")
PIECE = re.compile(r"[^\s|]+(?: [^\s|]+)*")
MAX_REGION_CAPTIONS = 16
JURISDICTION = frozenset({"state", "file", "irs"})
ADDRESS = frozenset({"address", "zip"})


def kind(token: Token) -> str:
    """A line kind without the namespace Lark gives terminals of an %imported grammar."""
    return token.type.rsplit("__", 1)[-1]


def text_field(token: Token, start: int, end: int, value: Any = None) -> Field:
    raw = token.value[start:end]
    return Field(raw if value is None else value, raw, Span(token.line, start + 1, token.line, end + 1))


def stripped_field(token: Token, start: int = 0, end: Optional[int] = None) -> Optional[Field]:
    """The non-blank part of token.value[start:end] as a Field."""
    text = token.value
    end = len(text) if end is None else end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return text_field(token, start, end) if end > start else None


def joined_field(fields: list[Field], sep: str = ", ") -> Optional[Field]:
    """Several printed lines as one value; the span runs from the first to the last."""
    if not fields:
        return None
    first, last = fields[0].span, fields[-1].span
    text = sep.join(str(f.value) for f in fields)
    return Field(text, "\n".join(f.raw for f in fields), Span(first.line, first.column, last.line, last.end_column))


def date_field(token: Token, start: int = 0, end: Optional[int] = None) -> Optional[Field]:
    found = find_date(token.value[start:end])
    if not found:
        return None
    value, s, e = found
    return text_field(token, start + s, start + e, value)


class TokenSlice:
    """`token.value[start:end]`: part of a cover line (8-K or 10-D), for attrs classes with those fields."""

    token: Token
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.token.value[self.start : self.end]

    @property
    def line(self) -> int:
        return self.token.line

    def overlap(self, other: "TokenSlice") -> int:
        """How many columns the two slices share (<= 0: none)."""
        return min(self.end, other.end) - max(self.start, other.start)


@attrs.frozen
class Segment(TokenSlice):
    """Part of a cover line: a caption of some kind, or a value piece."""

    kind: str  # "value" or a caption kind (HEAD's group names)
    token: Token
    start: int
    end: int

    def field(self, value: Any = None) -> Field:
        return text_field(self.token, self.start, self.end, value)


def _caption_word(word: str) -> bool:
    bare = word.lower().replace("\u2019", "'").strip("()[],.:;'\"-")
    return not bare or bare in CAPTION_WORDS


def _pieces(token: Token, start: int, end: int) -> list[Segment]:
    """The value pieces of token.value[start:end]; leftovers of captions are dropped."""
    out = []
    for m in PIECE.finditer(token.value, start, end):
        words = m.group().split(" ")
        if all(_caption_word(w) for w in words):
            continue
        begin = m.start()
        # the tail of a caption run into a value ("incorporation) 2728 North Harwood")
        closing = next((i for i, w in enumerate(words) if ")" in w), -1)
        if closing >= 0 and all(_caption_word(w) for w in words[: closing + 1]):
            begin += sum(len(w) + 1 for w in words[: closing + 1])
        out.append(Segment("value", token, begin, m.end()))
    return out


def _caption_end(text: str, head: re.Match, limit: int) -> int:
    """Where a caption that starts with `head` ends: after the caption words that follow it, at a `)`."""
    end = head.end()
    if ")" in head.group():
        return end
    if head.group().lstrip().startswith("("):
        # An open parenthesis closed within a few words ends the caption, a misprint
        # inside it or not ("(Address pof principal executive offices)").
        close = text.find(")", end, min(limit, end + 80))
        if close >= 0 and len(text[end:close].split()) <= 6:
            return close + 1
    while True:
        m = WORD.match(text, end)
        if m is None or m.end() > limit or not _caption_word(m.group(1)):
            return end
        end = m.end()
        if ")" in m.group(1):
            return end


def segments(token: Token) -> list[Segment]:
    k = kind(token)
    text = token.value
    if k in ("RULE", "PAGE_BREAK", "PAGE_NUMBER") or not text:
        return []
    if k == "FORM_TYPE":
        m = FORM.search(text)
        return [Segment("form", token, m.start(), m.end())] if m else []
    out: list[Segment] = []
    heads = list(HEAD.finditer(text))
    position = 0
    for index, head in enumerate(heads):
        if head.start() < position:
            continue
        limit = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        out.extend(_pieces(token, position, head.start()))
        end = _caption_end(text, head, limit)
        if head.lastgroup == "form":
            m = FORM.search(text, head.start(), end)
            out.append(Segment("form", token, m.start(), m.end()))
        else:
            out.append(Segment(head.lastgroup, token, head.start(), end))
        position = end
    out.extend(_pieces(token, position, len(text)))
    return out


def _line_fields(pieces: list[Segment]) -> list[Field]:
    """One field per line, from its first piece to its last: a name keeps what is printed between."""
    out: list[Field] = []
    for piece in pieces:
        if out and out[-1].span.line == piece.line:
            start = out[-1].span.column - 1
            out[-1] = text_field(piece.token, start, piece.end)
        else:
            out.append(piece.field())
    return out


class CoverReader:
    """Walks a cover's segments group by group; see the module docstring."""

    def __init__(self, tokens: Iterable[Token]):
        tokens = list(tokens)
        self.segments: list[Optional[Segment]] = [s for t in tokens for s in segments(t)]
        self.occupied = {t.line for t in tokens}  # lines with text or a rule: a paragraph goes on over them
        self.fields: dict[str, Field] = {}
        self.more: dict[str, list[Field]] = {"other_file_numbers": [], "other_irs_employer_ids": []}
        self.region: Optional[frozenset] = None
        self.region_captions: list[Segment] = []
        self.region_values: list[Segment] = []

    def read(self) -> Cover:
        pending: list[Segment] = []
        index = 0
        segs = self.segments
        while index < len(segs):
            seg = segs[index]
            index += 1
            if seg is None:
                continue
            if seg.kind == "value":
                pending.append(seg)
                continue
            group = [seg]
            while index < len(segs) and segs[index] is not None and segs[index].kind != "value":
                group.append(segs[index])
                index += 1
            kinds = {s.kind for s in group}
            if "item" in kinds:
                break
            self.group(group, kinds, pending, index)
            pending = []
            if "former" in kinds:
                break  # the last caption of a cover page
        self.close_region()
        for name, found in self.more.items():
            if found:
                first, last = found[0].span, found[-1].span
                self.fields[name] = Field([f.value for f in found], "\n".join(f.raw for f in found),
                                          Span(first.line, first.column, last.end_line, last.end_column))
        fields = {name: self.fields[name] for name in FIELD_ORDER if name in self.fields}
        missing = tuple(name for name in COVER_FIELDS if name not in fields)
        return Cover(fields, missing=missing)

    # -- one group of captions, with the value pieces printed before it -------------------------------

    def group(self, group: list[Segment], kinds: set, before: list[Segment], after: int) -> None:
        region = JURISDICTION if kinds & JURISDICTION else ADDRESS if kinds & ADDRESS else None
        if region is not self.region:
            self.close_region()
        for seg in group:
            if seg.kind == "form" and "form_type" not in self.fields:
                self.fields["form_type"] = seg.field(seg.text.upper())
        if "date" in kinds and "report_date" not in self.fields:
            self.take("report_date", group[-1], before, after, lambda s: date_field(s.token, s.start, s.end))
        if "phone" in kinds and "phone" not in self.fields:
            self.take("phone", group[-1], before, after, self.phone_in)
        if "registrant" in kinds and "registrant" not in self.fields:
            name = joined_field(_line_fields(self.last_paragraph(before)), sep=" ")
            if name:
                self.fields["registrant"] = name
        if region is not None:
            self.region = region
            self.region_captions.extend(s for s in group if s.kind in region)
            self.region_values.extend(before)

    def take(self, name: str, caption: Segment, before: list[Segment], after: int, find) -> None:
        """A value printed after its caption on the same line, else before it, else on the next lines."""
        following = []
        for position in range(after, len(self.segments)):
            seg = self.segments[position]
            if seg is None:
                continue
            if seg.kind != "value" or seg.line > caption.line + 3:
                break
            following.append((position, seg))
        same_line = [(p, s) for p, s in following if s.line == caption.line]
        for position, seg in same_line:
            if self.found(name, seg, find, position):
                return
        for seg in reversed(before):
            if self.found(name, seg, find, None, before):
                return
        for position, seg in following:
            if self.found(name, seg, find, position):
                return

    def found(self, name, seg, find, position, before=None) -> bool:
        field = find(seg)
        if field is None:
            return False
        self.fields[name] = field
        rest = _pieces(seg.token, field.span.end_column - 1, seg.end)
        if position is not None:  # what follows on the line is still to be read (a name after the date)
            self.segments[position : position + 1] = [None] + rest
        else:
            before.remove(seg)
        return True

    @staticmethod
    def phone_in(seg: Segment) -> Optional[Field]:
        m = PHONE.search(seg.text)
        return text_field(seg.token, seg.start + m.start(), seg.start + m.end()) if m else None

    def last_paragraph(self, pieces: list[Segment]) -> list[Segment]:
        """The pieces of the last run of lines with no blank line between them."""
        if not pieces:
            return []
        first = len(pieces) - 1
        while first > 0:
            above, below = pieces[first - 1].line, pieces[first].line
            if any(n not in self.occupied for n in range(above + 1, below)):
                break
            first -= 1
        return pieces[first:]

    # -- regions: state / file number / IRS number, address / zip --------------------------------------

    def close_region(self) -> None:
        region, captions, values = self.region, self.region_captions, self.region_values
        # A cover prints a handful of captions per region; thousands are a hostile
        # line, and placing each value against each of them would be quadratic.
        captions = captions[:MAX_REGION_CAPTIONS]
        self.region, self.region_captions, self.region_values = None, [], []
        if region is JURISDICTION:
            self.jurisdiction(captions, values)
        elif region is ADDRESS:
            self.address(captions, values)

    def owner(self, piece: Segment, captions: list[Segment], default: str) -> str:
        """The caption a piece is printed over (by columns), when lines and captions are apart."""
        if not captions or any(c.line == piece.line for c in captions):
            return default  # a cover printed on one line: columns mean nothing
        below = [c.line for c in captions if c.line > piece.line]
        nearest = [c for c in captions if below and c.line == min(below)]
        for candidates in (nearest, captions):  # a value stands over its caption: the nearest line under it first
            best = max(enumerate(candidates), key=lambda ic: (ic[1].overlap(piece), -ic[0]), default=None)
            if best is not None and best[1].overlap(piece) > 0:
                return best[1].kind
        centre = (piece.start + piece.end) / 2
        return min(captions, key=lambda c: abs((c.start + c.end) / 2 - centre)).kind

    def jurisdiction(self, captions: list[Segment], values: list[Segment]) -> None:
        files: list[Segment] = []
        irs: list[Segment] = []
        words: dict[str, list[Segment]] = {"state": [], "file": [], "irs": []}
        for piece in values:
            position = piece.start
            for m in NUMBERS.finditer(piece.token.value, piece.start, piece.end):
                words_before = _pieces(piece.token, position, m.start())
                for w in words_before:
                    words[self.owner(w, captions, "state")].append(w)
                number = Segment("value", piece.token, m.start(), m.end())
                (irs if m.group("irs") else files).append(number)
                position = m.end()
            for w in _pieces(piece.token, position, piece.end):
                words[self.owner(w, captions, "state")].append(w)
        kinds = {c.kind for c in captions}
        if words["state"] and "state" in kinds:
            self.fields["state_of_incorporation"] = joined_field([w.field() for w in words["state"]], sep=" ")
        if files:
            under = [f for f in files if any(c.kind == "file" and c.overlap(f) > 0 and c.line != f.line for c in captions)]
            first = (under or files)[-1]
            self.fields["commission_file_number"] = first.field()
            self.more["other_file_numbers"].extend(f.field() for f in files if f is not first)
        elif words["file"]:
            self.fields["commission_file_number"] = joined_field([w.field() for w in words["file"]], sep=" ")
        if irs:
            self.fields["irs_employer_id"] = irs[0].field()
            self.more["other_irs_employer_ids"].extend(f.field() for f in irs[1:])
        elif words["irs"]:
            self.fields["irs_employer_id"] = joined_field([w.field() for w in words["irs"]], sep=" ")

    def address(self, captions: list[Segment], values: list[Segment]) -> None:
        parts: list[Field] = []
        zip_field: Optional[Field] = None
        for piece in values:
            if PHONE.fullmatch(piece.text) and "phone" not in self.fields:
                self.fields["phone"] = piece.field()  # "(Address, including ... telephone number ...)"
            elif ZIP.fullmatch(piece.text):
                zip_field = piece.field()
            else:
                parts.append(piece.field())
        if zip_field is None and parts:
            last = parts[-1]
            m = TRAILING_ZIP.search(last.raw)
            if m and m.start() > 0:
                line, column = last.span.line, last.span.column
                zip_field = Field(m.group().strip(), m.group().strip(),
                                  Span(line, column + m.start(), line, column + m.start() + len(m.group().strip())))
                head = last.raw[: m.start()].rstrip(" ,")
                parts[-1] = Field(head, head, Span(line, column, line, column + len(head)))
        if zip_field is not None:
            self.fields["zip"] = zip_field
        parts = [Field(str(p.value).rstrip(" ,"), p.raw, p.span) for p in parts]
        address = joined_field(parts)
        if address:
            self.fields["address"] = address


def assemble_cover(lines) -> Cover:
    """The cover page's fields from its lines (a CoverLines piece or any iterable of line tokens)."""
    from .cover10d import assemble_10d_cover, is_10d_cover

    tokens = list(getattr(lines, "tokens", lines))
    if is_10d_cover(tokens):
        return assemble_10d_cover(tokens)
    return CoverReader(tokens).read()
