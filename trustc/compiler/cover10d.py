"""Reading a Form 10-D cover page (the asset-backed issuer distribution report, 2006 on).

The 10-D cover is a fixed SEC form whose captions are stable across filers:
"For the monthly distribution period from: ... to: ...", "Commission File Number of
issuing entity: ...", "Central Index Key Number of depositor: ...", then names, state,
IRS numbers, address and phone each printed *above* a parenthesised caption
("(Exact name of issuing entity as specified in its charter)"). So the rule is:

- a caption that is not in parentheses ("... of issuing entity:") has its value after
  it, on the same line after the colon, else on the next line;
- a parenthesised caption has its value on the lines above it, in the columns it
  spans (text 10-Ds print two captions side by side), up to a line already read;
- "(Central Index Key Number: 0001541001)" under a sponsor's name carries the value
  inside it, and names the sponsor above it.

A blank form field (underscores, "N/A", "None") is a missing field, never a value.
The field names are the 8-K cover's where the meaning is the same (`registrant` is the
issuing entity, `commission_file_number` its file number); `Cover.missing` lists the
form's fields the page did not fill in.
"""
from __future__ import annotations

import re
from typing import Optional

import attrs
from lark import Token

from .ast import Cover, Field, Span
from .cover import CAPTION_WORDS, PHONE, TokenSlice, joined_field, text_field
from .numbers import find_date

FIELDS = (
    "form_type", "distribution_period_start", "distribution_period_end", "registrant", "commission_file_number",
    "issuing_entity_cik", "depositor", "depositor_file_number", "depositor_cik", "sponsors", "sponsor_ciks",
    "state_of_incorporation", "irs_employer_id", "address", "zip", "phone",
)
FIELD_ORDER = FIELDS[:-4] + (
    "contact_name", "contact_phone", "state_of_incorporation", "irs_employer_id", "other_irs_employer_ids",
    "address", "zip", "phone",
)

_ROLE = r"(?P<role>issuing\s+entity|depositor|sponsors?)"
# (kind, pattern); a pattern matches at the start of a piece, "(" allowed before it
CAPTIONS = (
    ("period", re.compile(r"For\s+the\s+(?:monthly\s+|quarterly\s+|semi-?annual\s+)?distribution\s+period\s+from\b", re.I)),
    ("file", re.compile(r"Commission\s+File\s+Numbers?\s+of\s+(?:the\s+)?" + _ROLE, re.I)),
    ("cik", re.compile(r"Central\s+Index\s+Key\s+Numbers?\s+of\s+(?:the\s+)?" + _ROLE, re.I)),
    ("inline_cik", re.compile(r"Central\s+Index\s+Key\s+(?:Number|No\.?)\s*:\s*(?P<value>\d{4,10})", re.I)),
    ("name", re.compile(r"Exact\s+names?\s+of\s+(?:the\s+)?" + _ROLE, re.I)),
    ("contact", re.compile(r"Name\s+and\s+telephone\s+number", re.I)),
    ("state", re.compile(r"State\s+(?:or|of)\b|Jurisdiction\s+of", re.I)),
    ("irs", re.compile(r"I\.?\s?R\.?\s?S\.?\s*(?:Employer|No)|IRS\s+Employer|Employer\s+Identification", re.I)),
    ("address", re.compile(r"Address\b", re.I)),
    ("zip", re.compile(r"Zip\s*Code", re.I)),
    ("phone", re.compile(r"Telephone\s+number", re.I)),
    ("form", re.compile(r"FORM\s+(?P<value>10-D(?:/A)?)\b", re.I)),
)
# Lines of the form after the cover's captions: the registration table and the check-mark question.
_END = re.compile(r"\s*(?:Title\s+of\s+class|Indicate\s+by\s+check\s+mark|PART\s+I\b)", re.I)
PIECE = re.compile(r"\S+(?: \S+)*")
IRS = re.compile(r"\d{2}-\d{7}")
_BLANK_FIELD = re.compile(r"[\s_.\-\u2013\u2014]*|\[?\s*(?:N/?A|None|Not\s+applicable)\s*\]?\.?", re.I)


@attrs.define
class _Piece(TokenSlice):
    """Part of a 10-D cover line: a caption or a value, and whether a field took it."""

    token: Token
    start: int
    end: int
    caption: Optional[str] = None
    match: Optional[re.Match] = None
    used: bool = False

    def overlaps(self, other: "_Piece") -> bool:
        return self.overlap(other) > 0

    def field(self, start: int = 0, end: Optional[int] = None, value=None) -> Optional[Field]:
        """The printed text of token.value[self.start + start : end], trimmed; None for a blank form field."""
        begin = self.start + start
        stop = self.end if end is None else self.start + end
        raw = self.token.value[begin:stop]
        lead = len(raw) - len(raw.lstrip())
        raw = raw.strip()
        if _BLANK_FIELD.fullmatch(raw):
            return None
        return text_field(self.token, begin + lead, begin + lead + len(raw), value)


def is_10d_cover(tokens) -> bool:
    head = " ".join(t.value for t in tokens[:80])
    return bool(re.search(r"FORM\s+10-D\b", head, re.I) and re.search(r"distribution\s+period", head, re.I))


def _caption(text: str) -> tuple[Optional[str], Optional[re.Match]]:
    body = text.lstrip("( ")
    offset = len(text) - len(body)
    for kind, pattern in CAPTIONS:
        m = pattern.match(text, offset)
        if m:
            return kind, m
    return None, None


def _caption_rest(text: str) -> bool:
    """A piece that only goes on with a caption ("jurisdiction of incorporation)")."""
    words = [w.lower().strip("()[],.:;'\"") for w in text.split()]
    return bool(words) and all(not w or w in CAPTION_WORDS or w in _MORE_CAPTION_WORDS for w in words)


_MORE_CAPTION_WORDS = frozenset("issuing entity entity's depositor sponsor sponsors respective charters charter "
                                "key central index person contact connection with this filing applicable".split())


class Cover10DReader:
    def __init__(self, tokens):
        self.lines: list[list[_Piece]] = []
        for token in tokens:
            if not token.value.strip():
                continue
            if _END.match(token.value):
                break
            pieces = []
            for m in PIECE.finditer(token.value):
                piece = _Piece(token, m.start(), m.end())
                piece.caption, piece.match = _caption(piece.text)
                pieces.append(piece)
            self.lines.append(pieces)
        self.fields: dict[str, Field] = {}
        self.sponsors: list[Field] = []
        self.sponsor_ciks: list[Field] = []

    def read(self) -> Cover:
        open_captions: list[tuple[int, _Piece]] = []  # "(State or other" goes on below until its ")"
        for index, pieces in enumerate(self.lines):
            open_captions = [(row, c) for row, c in open_captions if index - row <= 3]
            for piece in pieces:
                if piece.used:
                    continue
                if piece.caption is None:
                    owner = next(((row, c) for row, c in open_captions if piece.overlaps(c)), None)
                    if owner is not None and _caption_rest(piece.text):
                        piece.used = True
                        if ")" in piece.text:
                            open_captions.remove(owner)
                    continue
                piece.used = True
                if piece.text.startswith("(") and ")" not in piece.text:
                    open_captions.append((index, piece))
                getattr(self, "on_" + piece.caption)(piece, index)
        if self.sponsors:
            self.fields["sponsors"] = _list_field(self.sponsors)
        if self.sponsor_ciks:
            self.fields["sponsor_ciks"] = _list_field(self.sponsor_ciks)
        fields = {name: self.fields[name] for name in FIELD_ORDER if name in self.fields}
        return Cover(fields, missing=tuple(name for name in FIELDS if name not in fields))

    # -- where values are -------------------------------------------------------------------------------

    def after(self, piece: _Piece, index: int, end_match: int) -> Optional[Field]:
        """The value after a caption: the rest of its piece (past a colon), else the next line's piece."""
        rest = piece.text[end_match:]
        colon = rest.find(":")
        start = end_match + (colon + 1 if colon >= 0 and not rest[:colon].strip(" )") else 0)
        if piece.text[start:].strip(" )"):
            end = len(piece.text) - (1 if piece.text.endswith(")") and piece.text.startswith("(") else 0)
            return piece.field(start, end)
        for other in self.lines[index][self.lines[index].index(piece) + 1:]:
            if not other.used and other.caption is None:  # "Commission File Number:   333-1"
                other.used = True
                return other.field()
        if index + 1 < len(self.lines):
            for other in self.lines[index + 1]:
                if not other.used and other.caption is None:
                    other.used = True
                    return other.field()
        return None

    def above(self, piece: _Piece, index: int, many: bool = True) -> list[_Piece]:
        """The unread pieces printed above a parenthesised caption, in its columns, nearest line last."""
        found: list[_Piece] = []
        gap = 0
        for row in range(index - 1, -1, -1):
            here = [p for p in self.lines[row] if not p.used and p.caption is None and p.overlaps(piece)]
            others = [p for p in self.lines[row] if p.overlaps(piece) and (p.used or p.caption)]
            if not here and not others and not found and gap < 3:
                gap += 1  # a taller cell beside this one ("10013" beside a three-line address)
                continue
            if not here:
                break
            found[:0] = here
            if others or not many:
                break
        for p in found:
            p.used = True
        return found

    # -- captions ---------------------------------------------------------------------------------------

    def on_form(self, piece, index):
        self.fields.setdefault("form_type", piece.field(piece.match.start("value"), piece.match.end("value"),
                                                        piece.match.group("value").upper()))

    def on_period(self, piece, index):
        rest = [(piece, piece.match.end())]
        rest += [(p, 0) for p in self.lines[index][self.lines[index].index(piece) + 1:]]
        rest += [(p, 0) for row in self.lines[index + 1:index + 3] for p in row]
        dates = []
        for p, offset in rest:
            found = find_date(p.text[offset:])
            while found is not None and len(dates) < 2:
                value, s, e = found
                dates.append(text_field(p.token, p.start + offset + s, p.start + offset + e, value))
                p.used = True
                offset += e
                found = find_date(p.text[offset:])
            if len(dates) == 2:
                break
        if dates:
            self.fields["distribution_period_start"] = dates[0]
        if len(dates) > 1:
            self.fields["distribution_period_end"] = dates[1]

    def on_file(self, piece, index):
        self.role_value(piece, index, {"issuing entity": "commission_file_number", "depositor": "depositor_file_number"})

    def on_cik(self, piece, index):
        self.role_value(piece, index, {"issuing entity": "issuing_entity_cik", "depositor": "depositor_cik"})

    def role_value(self, piece, index, names):
        role = " ".join(piece.match.group("role").lower().split())
        parenthesised = piece.text.startswith("(")
        value = self.joined(self.above(piece, index, many=False)) if parenthesised else \
            self.after(piece, index, piece.match.end())
        if value is None:
            return
        if role.startswith("sponsor"):
            if piece.caption == "cik":  # "Central Index Key Number of sponsor (if applicable): 0001541001"
                self.sponsor_ciks.append(value)
            return
        self.fields.setdefault(names[role], value)

    def on_inline_cik(self, piece, index):
        value = piece.field(piece.match.start("value"), piece.match.end("value"))
        name = self.joined(self.above(piece, index))
        if name is not None:
            self.sponsors.append(name)
        if value is not None:
            self.sponsor_ciks.append(value)

    def on_name(self, piece, index):
        role = " ".join(piece.match.group("role").lower().split())
        pieces = self.above(piece, index)
        if role.startswith("sponsor"):
            self.sponsors.extend(f for f in (p.field() for p in pieces) if f is not None)
            return
        value = self.joined(pieces)
        if value is not None:
            self.fields.setdefault("registrant" if role == "issuing entity" else "depositor", value)

    def on_contact(self, piece, index):
        value = self.joined(self.above(piece, index))
        if value is None:
            return
        m = PHONE.search(str(value.value))
        if m is None or value.span.line != value.span.end_line:
            self.fields["contact_name"] = value
            return
        line, column = value.span.line, value.span.column
        name = str(value.value)[:m.start()].strip(" ,")
        if name:
            self.fields["contact_name"] = Field(name, name, Span(line, column, line, column + len(name)))
        self.fields["contact_phone"] = Field(m.group(), m.group(),
                                             Span(line, column + m.start(), line, column + m.end()))

    def on_state(self, piece, index):
        value = self.joined(self.above(piece, index))
        if value is not None:
            self.fields.setdefault("state_of_incorporation", value)

    def on_irs(self, piece, index):
        found = [p.field() for p in self.above(piece, index)]
        found = [f for f in found if f is not None]
        numbers = [f for f in found if IRS.fullmatch(str(f.value))] or found
        if numbers:
            self.fields.setdefault("irs_employer_id", numbers[0])
        if len(numbers) > 1:
            self.fields["other_irs_employer_ids"] = _list_field(numbers[1:])

    def on_address(self, piece, index):
        parts = [f for f in (p.field() for p in self.above(piece, index)) if f is not None]
        if parts:
            self.fields.setdefault("address", joined_field(parts))

    def on_zip(self, piece, index):
        value = self.joined(self.above(piece, index))
        if value is not None:
            self.fields.setdefault("zip", value)

    def on_phone(self, piece, index):
        value = self.joined(self.above(piece, index))
        if value is not None:
            self.fields.setdefault("phone", value)

    @staticmethod
    def joined(pieces: list[_Piece]) -> Optional[Field]:
        fields = [f for f in (p.field() for p in pieces) if f is not None]
        return joined_field(fields, sep=" ") if fields else None


def _list_field(found: list[Field]) -> Field:
    first, last = found[0].span, found[-1].span
    return Field([f.value for f in found], "\n".join(f.raw for f in found),
                 Span(first.line, first.column, last.end_line, last.end_column))


def assemble_10d_cover(tokens) -> Cover:
    return Cover10DReader(tokens).read()
