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

from ..account_balances import read_account_balances
from ..ast import Field, Signature
from ..cover import assemble_cover, date_field, joined_field, kind, stripped_field
from ..diagnostics import MAX_LINE_ERRORS, unparsed_line
from ..layout import Layout, LayoutResult

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




# (a run of spaces is tried from its first space only: linear time on any answer)
ANSWER_SPLIT = re.compile(r"(?<=[:?])\s{2,}|(?<=\S)\s{2,}(?=\S+\.?\s*$)")


ITEM = re.compile(r"\s*Item\s*(\d{1,2}[A-Z]?(?:\.\d{1,2})?)(?:\([a-z]\))?[.:]?\s*(.*)", re.I)
EXHIBIT = re.compile(r"\s*(?:EX-|Exhibit\s+|\()?(\d{1,3}(?:\.\d{1,2})?)[.):]{0,2}\s+(.*\S)")
PART = re.compile(r"\s*PART\s+(I|II|III|IV)\b")


def assemble_items(lines: ItemLines) -> tuple[tuple[dict, ...], tuple[dict, ...]]:
    items: list[dict] = []
    exhibits: list[dict] = []
    answer: Optional[dict] = None
    exhibit: Optional[dict] = None
    part: Optional[str] = None
    for token in lines.tokens:
        k = kind(token)
        if k == "PART_HEADING":
            part = PART.match(token.value).group(1)
            answer = None
        elif k in ("ITEM_HEADING", "EXHIBITS_HEADING", "EXHIBIT_INDEX_HEADING"):
            m = ITEM.match(token.value)
            number, title = (m.group(1), m.group(2).strip()) if m else (None, token.value.strip())
            items.append({"item": number, "title": title, "text": [], "answers": [], "line": token.line})
            if part is not None:  # a 10-D's Part I / Part II; an 8-K has none
                items[-1]["part"] = part
            answer = exhibit = None
        elif k == "EXHIBIT_ENTRY":
            m = EXHIBIT.match(token.value)
            exhibit = {"number": m.group(1), "description": m.group(2), "line": token.line}
            exhibits.append(exhibit)
            answer = None
        elif k == "EXHIBIT_CONTINUATION" and exhibit is not None:
            exhibit["description"] += " " + token.value.strip()
        elif k == "ANSWER" and items:
            # the answer's text may be empty ("B. " alone on its line): the letter is still an answer
            m = re.match(r"\s*(\([a-z]\)|[A-F]\.)\s+(.*\S)?", token.value)
            answer = {"letter": m.group(1).strip("().").upper(), "lines": [m.group(2)] if m.group(2) else [],
                      "line": token.line}
            items[-1]["answers"].append(answer)
        elif k in ("TEXT", "ACCOUNT_BALANCE"):  # an account's balance is a fact too (account_balances.py)
            if answer is not None:
                answer["lines"].append(token.value.strip())
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


LEGEND_START = re.compile(r"\s*Pursuant\s+to\s+the\s+requirements", re.I)
LEGEND_END = re.compile(r"authorized\.?\s*$", re.I)
# an unlabelled line after the signer's name and title that says in what capacity they sign
CAPACITY = re.compile(r"\bas\b|trustee|servicer|agent|administrator|depositor|on\s+behalf", re.I)
SIGNER_FIELDS = {"SIGNED_BY": "signed_by", "SIGNER_NAME": "name", "SIGNER_TITLE": "title", "SIGNED_DATE": "date"}


def assemble_signatures(lines: SignatureLines) -> tuple[list[Signature], list[Token]]:
    """The signature, and the lines printed after the block (a statement no layout read)."""
    fields: dict[str, Field] = {}
    paragraphs: list[list[Field]] = [[]]
    unlabelled: list[Field] = []
    trailing: list[Token] = []
    after_by = in_legend = False
    last_line = None
    for token in lines.tokens:
        k = kind(token)
        if trailing:
            trailing.append(token)
        elif k in SIGNER_FIELDS:
            colon = token.value.index(":") if ":" in token.value else token.value.index("/s/") + 2
            value = stripped_field(token, colon + 1)
            if value:
                if k == "SIGNED_DATE":
                    value = date_field(token, colon + 1) or value
                fields[SIGNER_FIELDS[k]] = value
            after_by = after_by or k == "SIGNED_BY"
            paragraphs.append([])
        elif k in ("TEXT", "SIGNATURE_LEGEND"):
            field = stripped_field(token)
            if field is None:
                continue
            if after_by:
                slots = ("name" not in fields) + ("title" not in fields)
                plain = sum(1 for u in unlabelled if not CAPACITY.search(u.value))
                if CAPACITY.search(field.value) or plain < slots:
                    unlabelled.append(field)
                else:
                    trailing.append(token)
                continue
            if k == "SIGNATURE_LEGEND" or LEGEND_START.match(token.value):
                in_legend = True
            if in_legend:
                in_legend = not LEGEND_END.search(token.value)
                paragraphs.append([])
                continue
            if last_line is not None and token.line > last_line + 1:
                paragraphs.append([])
            paragraphs[-1].append(field)
        last_line = token.line
    registrant = next((p for p in reversed(paragraphs) if p), None)
    if registrant:  # the last paragraph before "By:" (the legend before it is prose)
        fields["registrant"] = joined_field(registrant, sep=" ")
    for name in ("name", "title"):
        if name not in fields and unlabelled and not CAPACITY.search(unlabelled[0].value):
            fields[name] = unlabelled.pop(0)
    if unlabelled:
        fields["capacity"] = joined_field(unlabelled, sep=" ")
    return ([Signature(fields)] if fields else []), trailing


def assemble_form(pieces: list[Any], format: str = "form-8k") -> LayoutResult:
    """The cover, item and signature pieces of a parse; other pieces are left to the caller.
    Account balances printed in the items (a 10-D's Item 9) are statements of `format`."""
    result = LayoutResult()
    items: tuple = ()
    exhibits: list = []
    item_tokens: list[Token] = []
    for piece in pieces:
        if isinstance(piece, CoverLines):
            result.cover = assemble_cover(piece)
            # a cover's figures are read as its fields, or are words: zip codes, file and IRS numbers
            result.text_lines.update(token.line for token in piece.tokens)
        elif isinstance(piece, ItemLines):
            more_items, more_exhibits = assemble_items(piece)
            item_tokens.extend(piece.tokens)
            items += more_items
            # an exhibit index repeats the list of Item 7: one entry per exhibit
            exhibits.extend(e for e in more_exhibits if all(e["number"] != x["number"] for x in exhibits))
        elif isinstance(piece, SignatureLines):
            signatures, trailing = assemble_signatures(piece)
            result.signatures.extend(signatures)
            for count, token in enumerate(trailing):
                line, diagnostic = unparsed_line(token.line, token.value)
                result.unparsed.append(line)
                if count < MAX_LINE_ERRORS:  # the driver counts the rest in one error
                    result.diagnostics.append(attrs.evolve(
                        diagnostic, message=f"line {token.line} follows the signature block and no layout reads it: "
                                            f"{token.value.strip()[:80]!r}"))
    if result.cover is not None:
        result.cover = attrs.evolve(result.cover, items=items, exhibits=tuple(exhibits))
    statements, diagnostics = read_account_balances(item_tokens, format)
    result.statements.extend(statements)
    result.diagnostics.extend(diagnostics)
    return result


class Form8K(Layout):
    id = "form-8k"
    description = "Form 8-K / 10-D cover page, items and signatures (any filer); no statement"
    grammar = "form8k.lark"
    transformer = Form8KTransformer
    # Searched anywhere, not line by line: web copies print the cover on one line. A cover
    # alone reaches 0.5 at most, so a statement layout that knows the report wins.
    evidence = (
        (r"(?i)SECURITIES\s+AND\s+EXCHANGE\s+COMMISSION", 0.1, "SEC heading"),
        (r"\b(?:FORM|Form)\s+(?:8-K|10-D)\b", 0.15, "form type"),
        (r"(?i)Date\s+of\s+Report|\(\s*Date\s+of\s+earliest\s+event", 0.1, "date of report"),
        (r"(?i)\(\s*Exact\s+name\s+of", 0.1, "registrant caption"),
        (r"(?i)Commission\s+File\s+Number|telephone\s+number,\s+including\s+area\s+code", 0.05, "cover captions"),
    )

    def assemble(self, pieces, view):
        return assemble_form(pieces)
