"""Form 8-K / 10-D: cover page, items, signatures (grammar: form8k.lark).

Statement layouts that print their report inside the 8-K `%import` the
`cover`, `items` and `signatures` rules and reuse `Form8KTransformer` and
`assemble_cover` / `assemble_items` / `assemble_signatures` from here.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Optional

import attrs
from lark import Token, Transformer, Tree

from ..ast import Cover, Field, Signature, Span
from ..columns import split_cells
from ..layout import Layout, LayoutResult
from ..numbers import find_date

PHONE = re.compile(r"\(?\d{3}\)?[ .-]*\d{3}[ .-]\d{4}")
ZIP = re.compile(r"\d{5}(?:-\d{4})?")
COVER_FIELDS = (
    "form_type", "report_date", "registrant", "state_of_incorporation", "commission_file_number",
    "irs_employer_id", "address", "zip", "phone",
)


def kind(token: Token) -> str:
    """A line kind without the namespace Lark gives terminals of an %imported grammar."""
    return token.type.rsplit("__", 1)[-1]


def tokens_of(children: Iterable[Any]) -> list[Token]:
    out: list[Token] = []
    for child in children:
        if isinstance(child, Token):
            if child.value:  # an empty token is synthetic: it closed a structure the input cut short
                out.append(child)
        elif isinstance(child, Tree):
            out.extend(tokens_of(child.children))
        elif isinstance(child, list):
            out.extend(tokens_of(child))
    return out


@attrs.frozen
class CoverLines:
    tokens: tuple[Token, ...]


@attrs.frozen
class ItemLines:
    tokens: tuple[Token, ...]


@attrs.frozen
class SignatureLines:
    tokens: tuple[Token, ...]


class Form8KTransformer(Transformer):
    def cover(self, children):
        return CoverLines(tuple(tokens_of(children)))

    def items(self, children):
        return ItemLines(tuple(tokens_of(children)))

    def signatures(self, children):
        return SignatureLines(tuple(tokens_of(children)))

    def exhibit_index(self, children):
        return ItemLines(tuple(tokens_of(children)))

    def start(self, children):
        return children


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


def date_field(token: Token, start: int = 0) -> Optional[Field]:
    found = find_date(token.value[start:])
    if not found:
        return None
    value, s, e = found
    return text_field(token, start + s, start + e, value)


def _value_lines(pending: list[Token]) -> list[Token]:
    return [t for t in pending if kind(t) not in ("RULE", "PAGE_BREAK")]


def assemble_cover(lines: CoverLines) -> Cover:
    fields: dict[str, Field] = {}
    pending: list[Token] = []
    awaiting: Optional[str] = None
    extra_file_numbers: list[Field] = []

    for token in lines.tokens:
        k = kind(token)
        if awaiting == "report_date" and k == "TEXT":
            found = date_field(token)
            if found:
                fields["report_date"] = found
                awaiting = None
                continue
        if awaiting == "phone" and k == "TEXT":
            m = PHONE.search(token.value)
            if m:
                fields["phone"] = text_field(token, m.start(), m.end())
                awaiting = None
                continue
        if k == "FORM_TYPE":
            m = re.search(r"(8-K|10-D)(/A)?", token.value, re.I)
            fields["form_type"] = text_field(token, m.start(), m.end(), m.group().upper())
            pending = []
        elif k == "DATE_OF_REPORT":
            close = token.value.find(")")
            found = date_field(token, close + 1 if close >= 0 else 0)
            if found:
                fields["report_date"] = found
            else:
                awaiting = "report_date"
            pending = []
        elif k == "REGISTRANT_CAPTION":
            names = [stripped_field(t) for t in _value_lines(pending)]
            name = joined_field([f for f in names if f], sep=" ")
            if name:
                fields["registrant"] = name
            pending = []
        elif k == "JURISDICTION_CAPTION":
            values = _value_lines(pending)
            if values:
                *others, last = values
                cells = split_cells(last.value)
                spans = [text_field(last, c.start, c.end) for c in cells]
                for name, field in zip(("state_of_incorporation", "commission_file_number", "irs_employer_id"), spans):
                    fields[name] = field
                for other in others:
                    for c in split_cells(other.value):
                        extra_file_numbers.append(text_field(other, c.start, c.end))
            pending = []
        elif k == "ADDRESS_CAPTION":
            parts: list[Field] = []
            for t in _value_lines(pending):
                cells = split_cells(t.value)
                if len(cells) > 1 and ZIP.fullmatch(cells[-1].text):
                    fields["zip"] = text_field(t, cells[-1].start, cells[-1].end)
                    cells = cells[:-1]
                parts.extend(text_field(t, c.start, c.end) for c in cells)
            address = joined_field(parts)
            if address:
                fields["address"] = address
            pending = []
        elif k == "PHONE":
            m = PHONE.search(token.value)
            if m:
                fields["phone"] = text_field(token, m.start(), m.end())
            else:
                earlier = [t for t in _value_lines(pending) if PHONE.search(t.value)]
                if earlier:
                    m = PHONE.search(earlier[-1].value)
                    fields["phone"] = text_field(earlier[-1], m.start(), m.end())
                else:
                    awaiting = "phone"
            pending = []
        elif k in ("SEC_HEADING", "FORMER_NAME_CAPTION", "CAPTION_CONTINUATION"):
            pending = []
        else:
            pending.append(token)
    if extra_file_numbers:
        fields["other_file_numbers"] = Field(
            [f.value for f in extra_file_numbers], "\n".join(f.raw for f in extra_file_numbers), extra_file_numbers[0].span
        )
    missing = tuple(name for name in COVER_FIELDS if name not in fields)
    return Cover(fields, missing=missing)


ANSWER_SPLIT = re.compile(r"(?<=[:?])\s{2,}|\s{2,}(?=\S+\.?\s*$)")


def assemble_items(lines: ItemLines) -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    items: list[dict] = []
    exhibits: list[dict] = []
    answer: Optional[dict] = None
    for token in lines.tokens:
        k = kind(token)
        if k in ("ITEM_HEADING", "EXHIBITS_HEADING", "EXHIBIT_INDEX_HEADING"):
            m = re.match(r"\s*Item\s*(\d+(?:\.\d+)?)\.?\s*(.*)", token.value, re.I)
            number, title = (m.group(1), m.group(2).strip()) if m else (None, token.value.strip())
            items.append({"item": number, "title": title, "text": [], "answers": [], "line": token.line})
            answer = None
        elif k == "EXHIBIT_ENTRY":
            m = re.match(r"\s*(\d{1,2}(?:\.\d{1,2})?)\.?\)?\s+(.*\S)", token.value)
            exhibits.append({"number": m.group(1), "description": m.group(2), "line": token.line})
            answer = None
        elif k == "ANSWER" and items:
            m = re.match(r"\s*(\([a-z]\)|[A-F]\.)\s+(.*\S)", token.value)
            answer = {"letter": m.group(1).strip("().").upper(), "lines": [m.group(2)], "line": token.line}
            items[-1]["answers"].append(answer)
        elif k == "TEXT":
            if answer is not None:
                answer["lines"].append(token.value.strip())
            elif exhibits and items and items[-1]["item"] in ("7", None):
                exhibits[-1]["description"] += " " + token.value.strip()
            elif items:
                items[-1]["text"].append(token.value.strip())
    for item in items:
        item["text"] = " ".join(item["text"])
        for a in item["answers"]:
            text = " ".join(a.pop("lines"))
            parts = ANSWER_SPLIT.split(text, maxsplit=1) if text else [text]
            a["text"] = re.sub(r"\s+", " ", text)
            a["answer"] = parts[1].strip() if len(parts) > 1 else None
    return tuple(items), tuple(exhibits)


def assemble_signatures(lines: SignatureLines) -> list[Signature]:
    fields: dict[str, Field] = {}
    registrant: list[Field] = []
    after_by = False
    capacity: list[Field] = []
    for token in lines.tokens:
        k = kind(token)
        if k in ("SIGNED_BY", "SIGNER_NAME", "SIGNER_TITLE", "SIGNED_DATE"):
            colon = token.value.index(":")
            value = stripped_field(token, colon + 1)
            name = {"SIGNED_BY": "signed_by", "SIGNER_NAME": "name", "SIGNER_TITLE": "title", "SIGNED_DATE": "date"}[k]
            if value:
                if name == "date":
                    value = date_field(token, colon + 1) or value
                fields[name] = value
            after_by = after_by or k == "SIGNED_BY"
        elif k == "TEXT":
            field = stripped_field(token)
            if field is None:
                continue
            if after_by:
                capacity.append(field)
            elif not field.value.lower().startswith(("pursuant", "exchange act", "report to", "thereunto", "amended")):
                registrant.append(field)
    if registrant:
        # The registrant is the last paragraph before "By:" (the legend before it is prose).
        fields["registrant"] = joined_field(registrant[-2:] if len(registrant) > 1 else registrant, sep=" ")
    if capacity:
        if "name" not in fields and len(capacity) > 1:
            fields["name"] = capacity.pop(0)
        if "title" not in fields and len(capacity) > 1:
            fields["title"] = capacity.pop(0)
        fields["capacity"] = joined_field(capacity, sep=" ")
    return [Signature(fields)] if fields else []


def assemble_form(pieces: list[Any]) -> LayoutResult:
    """The cover, item and signature pieces of a parse; other pieces are left to the caller."""
    result = LayoutResult()
    items: tuple = ()
    exhibits: tuple = ()
    for piece in pieces:
        if isinstance(piece, CoverLines):
            result.cover = assemble_cover(piece)
        elif isinstance(piece, ItemLines):
            more_items, more_exhibits = assemble_items(piece)
            items += more_items
            exhibits += more_exhibits
        elif isinstance(piece, SignatureLines):
            result.signatures.extend(assemble_signatures(piece))
    if result.cover is not None:
        result.cover = attrs.evolve(result.cover, items=items, exhibits=exhibits)
    return result


class Form8K(Layout):
    id = "form-8k"
    description = "Form 8-K / 10-D cover page, items and signatures (any filer); no statement"
    grammar = "form8k.lark"
    transformer = Form8KTransformer
    evidence = (
        (r"SECURITIES\s+AND\s+EXCHANGE\s+COMMISSION", 0.15, "SEC heading"),
        (r"(?i)^\s*FORM\s+(8-K|10-D)\s*$", 0.15, "form type line"),
        (r"(?i)Date\s+of\s+Report", 0.1, "date of report"),
        (r"(?i)\(\s*Exact\s+name\s+of", 0.1, "registrant caption"),
    )

    def assemble(self, pieces, view):
        return assemble_form(pieces)
