"""Reading the EDGAR full-submission envelope around a filing's documents.

An EDGAR ``.txt`` submission wraps its documents in one of two envelopes: the
``<SEC-DOCUMENT>`` / ``<SEC-HEADER>`` form (``<IMS-...>`` in the oldest files,
often inside a ``-----BEGIN PRIVACY-ENHANCED MESSAGE-----`` wrapper), whose
header is ``KEY:<tabs>value`` lines grouped under ``FILER:`` / ``COMPANY DATA:``
/ ``FILING VALUES:`` / ``BUSINESS ADDRESS:`` / ``MAIL ADDRESS:`` / ``FORMER
COMPANY:``, and the older ``<SUBMISSION>`` form, whose header is one
``<TAG>value`` per line with ``<FILER>`` ... ``</FILER>`` sections. Both then
hold ``<DOCUMENT>`` blocks (``<TYPE>``, ``<SEQUENCE>``, optional ``<FILENAME>``
and ``<DESCRIPTION>``, the body between ``<TEXT>`` and ``</TEXT>``).
`read_envelope` turns the header into an `Envelope` of fields whose spans
point at the printed values, and cuts the file into one `DocumentSlice` per
document. Every line of an enveloped file lands in exactly one place (consumed
by the envelope, listed as unknown, a slice's tag line, or a slice's body), so
the caller can report whatever was not understood instead of losing it. A file
with no envelope is one document; a truncated one yields what was read.
"""
from __future__ import annotations

import datetime
import re
from typing import Callable, Mapping, Optional

import attrs

from .ast import Field, Span
from .source import SourceText

__all__ = ["DocumentSlice", "Envelope", "read_envelope"]


@attrs.frozen
class DocumentSlice:
    type: Optional[Field]
    sequence: Optional[Field]
    filename: Optional[Field]
    description: Optional[Field]
    first_line: int
    last_line: int
    tag_lines: tuple[int, ...]


@attrs.frozen
class Envelope:
    form: str
    fields: Mapping[str, Field]
    addresses: Mapping[str, Mapping[str, Field]]
    former_names: tuple[Mapping[str, Field], ...]
    consumed_lines: tuple[int, ...]
    unknown_lines: tuple[int, ...]


PEM_BEGIN = "-----BEGIN PRIVACY-ENHANCED MESSAGE-----"
PEM_END = "-----END PRIVACY-ENHANCED MESSAGE-----"
# Only what a plain-text filing pads with; str.strip() would also eat the
# \x1c-\x1f separators, which are content if they ever appear.
_WS = " \t\f\v"

# Every pattern is a single character class with one quantifier, matched at a
# fixed position: linear on any line, however long.
_TAG = re.compile(r"<(/?)([A-Z][A-Z0-9-]*)>")
_HEADER_KEY = re.compile(r"[A-Z0-9][A-Z0-9 ()/&.,'-]*")
_PEM_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9-]*:")
_DIGITS = re.compile(r"[0-9]+")

_SEC_HEADER_OPEN = {"SEC-HEADER", "IMS-HEADER"}
_SEC_DOCUMENT_OPEN = {"SEC-DOCUMENT", "IMS-DOCUMENT"}
_ENVELOPE_CLOSE = {"SEC-DOCUMENT", "IMS-DOCUMENT", "SUBMISSION"}
_DOCUMENT_TAGS = {"TYPE": "type", "SEQUENCE": "sequence", "FILENAME": "filename", "DESCRIPTION": "description"}


class _Bad:
    """A printed value the parser rejects (the line then counts as unknown)."""


_BAD = _Bad()


def _text(raw: str):
    return raw


def _count(raw: str):
    # int() of a long digit run raises past Python's digit limit; no real
    # count or sequence has more than a handful of digits.
    if len(raw) <= 9 and _DIGITS.fullmatch(raw):
        return int(raw)
    return _BAD


def _date(raw: str):
    if len(raw) == 8 and _DIGITS.fullmatch(raw):
        try:
            return datetime.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
        except ValueError:
            return _BAD
    return _BAD


def _timestamp(raw: str):
    # <ACCEPTANCE-DATETIME>20250127174624: when EDGAR accepted the filing (Eastern time, as printed)
    if len(raw) == 14 and _DIGITS.fullmatch(raw):
        try:
            return datetime.datetime(int(raw[:4]), int(raw[4:6]), int(raw[6:8]), int(raw[8:10]), int(raw[10:12]),
                                     int(raw[12:]))
        except ValueError:
            return _BAD
    return _BAD


def _sic(raw: str):
    # "ASSET-BACKED SECURITIES [6189]" in the text header, "6189" in <ASSIGNED-SIC>.
    if raw.endswith("]"):
        code = raw[raw.rfind("[") + 1 : -1].strip(_WS)
        if _DIGITS.fullmatch(code):
            return code
        return _BAD
    if _DIGITS.fullmatch(raw):
        return raw
    return _BAD


_Parser = Callable[[str], object]
# A key mapped to None is known to EDGAR but has no place in Envelope: an empty
# one loses nothing and is consumed, a filled one is reported as unknown.
_KeyTable = Mapping[str, Optional[tuple[str, _Parser]]]

_SEC_HEADER_KEYS: dict[str, _KeyTable] = {
    "top": {
        "ACCESSION NUMBER": ("accession_number", _text),
        "CONFORMED SUBMISSION TYPE": ("form_type", _text),
        "PUBLIC DOCUMENT COUNT": ("public_document_count", _count),
        "CONFORMED PERIOD OF REPORT": ("period", _date),
        "FILED AS OF DATE": ("filing_date", _date),
        "ITEM INFORMATION": ("items", _text),
        "DATE AS OF CHANGE": ("date_as_of_change", _date),
        "ABS ASSET CLASS": ("abs_asset_class", _text),
    },
    # The `<TAG>value` lines EDGAR has written among the key lines of the header since the 10-D.
    "tags": {
        "ACCEPTANCE-DATETIME": ("acceptance_datetime", _timestamp),
        "DEPOSITOR-CIK": ("depositor_cik", _text),
        "SPONSOR-CIK": ("sponsor_cik", _text),
    },
    "company": {
        "COMPANY CONFORMED NAME": ("filer_name", _text),
        "CENTRAL INDEX KEY": ("cik", _text),
        "STANDARD INDUSTRIAL CLASSIFICATION": ("sic", _sic),
        "IRS NUMBER": ("irs_number", _text),
        "STATE OF INCORPORATION": ("state_of_incorporation", _text),
        "FISCAL YEAR END": ("fiscal_year_end", _text),
        "ORGANIZATION NAME": ("organization_name", _text),
    },
    "filing": {
        "FORM TYPE": ("form_type", _text),
        "SEC ACT": ("sec_act", _text),
        "SEC FILE NUMBER": ("file_number", _text),
        "FILM NUMBER": ("film_number", _text),
    },
    "address": {
        "STREET 1": ("street1", _text),
        "STREET 2": ("street2", _text),
        "CITY": ("city", _text),
        "STATE": ("state", _text),
        "ZIP": ("zip", _text),
        "BUSINESS PHONE": ("phone", _text),
    },
    "former": {
        "FORMER CONFORMED NAME": ("name", _text),
        "DATE OF NAME CHANGE": ("date_changed", _date),
    },
}

_SUBMISSION_KEYS: dict[str, _KeyTable] = {
    "top": {
        "ACCESSION-NUMBER": ("accession_number", _text),
        "TYPE": ("form_type", _text),
        "PUBLIC-DOCUMENT-COUNT": ("public_document_count", _count),
        "PERIOD": ("period", _date),
        "FILING-DATE": ("filing_date", _date),
        "ITEMS": ("items", _text),
    },
    "company": {
        "CONFORMED-NAME": ("filer_name", _text),
        "CIK": ("cik", _text),
        "ASSIGNED-SIC": ("sic", _sic),
        "IRS-NUMBER": ("irs_number", _text),
        "STATE-OF-INCORPORATION": ("state_of_incorporation", _text),
        "FISCAL-YEAR-END": ("fiscal_year_end", _text),
    },
    "filing": {
        "FORM-TYPE": ("form_type", _text),
        "ACT": ("sec_act", _text),
        "FILE-NUMBER": ("file_number", _text),
        "FILM-NUMBER": ("film_number", _text),
    },
    "address": {
        "STREET1": ("street1", _text),
        "STREET2": ("street2", _text),
        "CITY": ("city", _text),
        "STATE": ("state", _text),
        "ZIP": ("zip", _text),
        "PHONE": ("phone", _text),
    },
    "former": {
        "FORMER-CONFORMED-NAME": ("name", _text),
        "DATE-CHANGED": ("date_changed", _date),
    },
}

_SEC_HEADER_SECTIONS = {
    "COMPANY DATA": "company",
    "FILING VALUES": "filing",
    "BUSINESS ADDRESS": "business",
    "MAIL ADDRESS": "mail",
    "FORMER COMPANY": "former",
}
_SUBMISSION_SECTIONS = {
    "COMPANY-DATA": "company",
    "FILING-VALUES": "filing",
    "BUSINESS-ADDRESS": "business",
    "MAIL-ADDRESS": "mail",
    "FORMER-COMPANY": "former",
}
# Entities other than the filer (and any filer after the first) have no place
# in Envelope; their lines are reported rather than merged into the filer's.
_SEC_HEADER_ENTITIES = {"FILER", "SUBJECT COMPANY", "FILED BY", "REPORTING-OWNER", "ISSUER"}
_SUBMISSION_ENTITIES = {"FILER", "SUBJECT-COMPANY", "FILED-BY", "REPORTING-OWNER", "ISSUER"}


def _value_at(text: str, start: int) -> tuple[str, int]:
    """The value of a line from index `start`, trimmed; returns (raw, start index)."""
    end = len(text.rstrip(_WS))
    while start < end and text[start] in " \t":
        start += 1
    if start >= end:
        return "", start
    return text[start:end], start


def _tag(text: str) -> Optional[tuple[bool, str, str, int]]:
    """(closing, name, raw value, value index) of a `<TAG>value` line, else None."""
    m = _TAG.match(text)
    if m is None:
        return None
    raw, start = _value_at(text, m.end())
    return bool(m.group(1)), m.group(2), raw, start


def _header_key(text: str) -> Optional[tuple[str, str, int]]:
    """(key, raw value, value index) of a `KEY:<tabs>value` header line, else None."""
    stripped = text.lstrip(" \t")
    indent = len(text) - len(stripped)
    colon = stripped.find(":")
    if colon <= 0:
        return None
    key = stripped[:colon]
    if not _HEADER_KEY.fullmatch(key):
        return None
    raw, start = _value_at(text, indent + colon + 1)
    return key.rstrip(" "), raw, start


def _field(number: int, raw: str, start: int, value) -> Field:
    return Field(value, raw, Span(number, start + 1, number, start + 1 + len(raw)))


class _Header:
    """The header's state machine: which entity and section a key line belongs to."""

    def __init__(self, form: str):
        self.form = form
        self.keys = _SEC_HEADER_KEYS if form == "sec-header" else _SUBMISSION_KEYS
        self.fields: dict[str, Field] = {}
        self.addresses: dict[str, dict[str, Field]] = {}
        self.former: list[dict[str, Field]] = []
        self.entity: Optional[str] = None  # None (top level) | "filer" | "other"
        self.section: Optional[str] = None  # a section id, "unknown", or None
        self.filers = 0

    def open_entity(self, name: str) -> bool:
        self.section = None
        first_filer = name == "FILER" and self.filers == 0
        if name == "FILER":
            self.filers += 1
        self.entity = "filer" if first_filer else "other"
        return first_filer

    def open_section(self, section: str) -> bool:
        if self.entity != "filer":
            self.section = "unknown"
            return False
        self.section = section
        if section == "former":
            self.former.append({})
        return True

    def key(self, number: int, key: str, raw: str, start: int, tag: bool = False) -> bool:
        if tag:
            table, target = self.keys.get("tags", {}), self.fields
        elif self.entity is None:
            table, target = self.keys["top"], self.fields
        elif self.entity == "filer" and self.section in ("company", "filing"):
            table, target = self.keys[self.section], self.fields
        elif self.entity == "filer" and self.section in ("business", "mail"):
            table, target = self.keys["address"], None
        elif self.entity == "filer" and self.section == "former":
            table, target = self.keys["former"], self.former[-1]
        else:
            return False
        if key not in table:
            return False
        entry = table[key]
        if not raw:
            return True
        if entry is None:
            return False
        name, parse = entry
        value = parse(raw)
        if value is _BAD:
            return False
        if target is None:
            target = self.addresses.setdefault(self.section, {})
        if name in target:
            # A repeat that says the same (FORM TYPE after CONFORMED SUBMISSION
            # TYPE) loses nothing; a contradicting one must be reported.
            return target[name].value == value
        target[name] = _field(number, raw, start, value)
        return True

    def sec_header_line(self, number: int, text: str) -> bool:
        parsed = _header_key(text)
        if parsed is None:
            return False
        key, raw, start = parsed
        if not raw and key in _SEC_HEADER_ENTITIES:
            return self.open_entity(key)
        if not raw and key in _SEC_HEADER_SECTIONS:
            return self.open_section(_SEC_HEADER_SECTIONS[key])
        if self.key(number, key, raw, start):
            return True
        if not raw and self.entity is not None:
            # An unknown heading: its keys must not land in the previous section.
            self.section = "unknown"
        return False

    def submission_line(self, number: int, closing: bool, name: str, raw: str, start: int) -> bool:
        if closing:
            if raw:
                return False
            if name in _SUBMISSION_ENTITIES and self.entity is not None:
                understood = self.entity == "filer"
                self.entity, self.section = None, None
                return understood
            if name in _SUBMISSION_SECTIONS and self.section == _SUBMISSION_SECTIONS[name]:
                self.section = None
                return True
            if self.section == "unknown" and self.entity is not None:
                self.section = None
            return False
        if not raw and name in _SUBMISSION_ENTITIES:
            return self.open_entity(name)
        if not raw and name in _SUBMISSION_SECTIONS:
            return self.open_section(_SUBMISSION_SECTIONS[name])
        if self.key(number, name, raw, start):
            return True
        if not raw and self.entity is not None:
            self.section = "unknown"
        return False


class _OpenDocument:
    def __init__(self, number: int):
        self.fields: dict[str, Field] = {}
        self.tag_lines = [number]
        self.first_line = 0
        self.last_line = 0

    def tag(self, number: int, name: str, raw: str, start: int) -> bool:
        attr = _DOCUMENT_TAGS[name]
        if not raw:
            return True
        value = _count(raw) if attr == "sequence" else raw
        if value is _BAD:
            return False
        if attr in self.fields:
            return self.fields[attr].value == value
        self.fields[attr] = _field(number, raw, start, value)
        return True

    def close(self) -> DocumentSlice:
        get = self.fields.get
        return DocumentSlice(
            get("type"), get("sequence"), get("filename"), get("description"),
            self.first_line, self.last_line, tuple(self.tag_lines),
        )


def _is_tag(text: str, name: str, closing: bool = False) -> bool:
    """`<NAME>` (or `</NAME>`) alone on the line, trailing padding allowed."""
    mark = ("</" if closing else "<") + name + ">"
    return text.startswith(mark) and not text[len(mark):].strip(_WS)


def read_envelope(source: SourceText) -> tuple[Optional[Envelope], list[DocumentSlice]]:
    """Read the envelope of `source`, if any, and cut it into document slices."""
    lines = source.lines
    total = len(lines)
    if total == 0:
        return None, []

    first = 0
    while first < total and not lines[first].strip(_WS):
        first += 1
    if first == total:
        return None, [DocumentSlice(None, None, None, None, 1, total, ())]
    opening = lines[first]
    opening_tag = _tag(opening)
    if opening.rstrip(_WS) == PEM_BEGIN:
        state, form = "pem", None
    elif opening_tag is not None and not opening_tag[0] and (
        opening_tag[1] in _SEC_DOCUMENT_OPEN | _SEC_HEADER_OPEN
        or (opening_tag[1] == "SUBMISSION" and not opening_tag[2])
    ):
        state, form = "pre", None
    else:
        return None, [DocumentSlice(None, None, None, None, 1, total, ())]

    consumed: list[int] = list(range(1, first + 1))
    unknown: list[int] = []
    slices: list[DocumentSlice] = []
    header: Optional[_Header] = None
    doc: Optional[_OpenDocument] = None

    def start_header(kind: str) -> None:
        nonlocal header, form
        form = kind
        header = _Header(kind)

    for number in range(first + 1, total + 1):
        text = lines[number - 1]

        if state == "body":
            # Only </TEXT> ends a body: anything else in it, tags included, is
            # the document's own text.
            if _is_tag(text, "TEXT", closing=True):
                doc.last_line = number - 1
                doc.tag_lines.append(number)
                state = "tail"
            continue

        blank = not text.strip(_WS)
        tag = _tag(text)
        closing, name, raw, start = tag if tag is not None else (False, "", "", 0)
        bare_tag = tag is not None and not raw

        if bare_tag and not closing and name == "DOCUMENT":
            # A new document also closes one whose </TEXT> or </DOCUMENT> is missing.
            if doc is not None:
                if state == "head":
                    doc.first_line, doc.last_line = number, number - 1
                slices.append(doc.close())
            doc = _OpenDocument(number)
            state = "head"
            continue

        if state == "pem":
            if number == first + 1 or blank or text[:1] in (" ", "\t") or _PEM_FIELD.match(text):
                consumed.append(number)
                if blank:
                    state = "pre"
                continue
            state = "pre"  # an envelope tag without the blank line that ends the PEM header

        if state == "pre":
            if blank:
                consumed.append(number)
            elif tag is not None and not closing and name in _SEC_DOCUMENT_OPEN:
                form = form or "sec-header"
                consumed.append(number)
            elif tag is not None and not closing and name in _SEC_HEADER_OPEN:
                start_header("sec-header")
                consumed.append(number)
                state = "header"
            elif bare_tag and not closing and name == "SUBMISSION":
                start_header("submission")
                consumed.append(number)
                state = "header"
            else:
                unknown.append(number)

        elif state == "header":
            if blank:
                consumed.append(number)
            elif form == "sec-header":
                if bare_tag and closing and name in _SEC_HEADER_OPEN:
                    consumed.append(number)
                    state = "between"
                elif tag is None and header.sec_header_line(number, text):
                    consumed.append(number)
                elif tag is not None and not closing and header.key(number, name, raw, start, tag=True):
                    consumed.append(number)
                else:
                    unknown.append(number)
            else:
                if bare_tag and closing and name == "SUBMISSION":
                    consumed.append(number)
                    state = "between"
                elif tag is not None and header.submission_line(number, closing, name, raw, start):
                    consumed.append(number)
                else:
                    unknown.append(number)

        elif state == "head":
            if blank:
                doc.tag_lines.append(number)
            elif _is_tag(text, "TEXT"):
                doc.tag_lines.append(number)
                doc.first_line = number + 1
                state = "body"
            elif bare_tag and closing and name == "DOCUMENT":
                # A document with no <TEXT>: an empty body where it closed.
                doc.tag_lines.append(number)
                doc.first_line, doc.last_line = number, number - 1
                slices.append(doc.close())
                doc = None
                state = "between"
            elif tag is not None and not closing and name in _DOCUMENT_TAGS and doc.tag(number, name, raw, start):
                doc.tag_lines.append(number)
            else:
                unknown.append(number)

        elif state == "tail":
            if blank or (bare_tag and closing and name == "DOCUMENT"):
                doc.tag_lines.append(number)
                if not blank:
                    slices.append(doc.close())
                    doc = None
                    state = "between"
            elif _is_envelope_end(text, tag):
                slices.append(doc.close())
                doc = None
                consumed.append(number)
                state = "between"
            else:
                unknown.append(number)

        else:  # between documents, or after the last one
            if blank or _is_envelope_end(text, tag):
                consumed.append(number)
            else:
                unknown.append(number)

    if doc is not None:
        if state == "head":
            doc.first_line, doc.last_line = total + 1, total
        elif state == "body":
            doc.last_line = total
        slices.append(doc.close())

    if header is not None:
        fields = header.fields
        addresses = {kind: address for kind, address in header.addresses.items() if address}
        former = tuple(names for names in header.former if names)
    else:
        fields, addresses, former = {}, {}, ()
    # A PEM wrapper cut before its SEC-DOCUMENT: the wrapper only ever carried
    # the SEC-HEADER form.
    envelope = Envelope(form or "sec-header", fields, addresses, former, tuple(consumed), tuple(unknown))
    return envelope, slices


def _is_envelope_end(text: str, tag) -> bool:
    if text.rstrip(_WS) == PEM_END:
        return True
    return tag is not None and tag[0] and not tag[2] and tag[1] in _ENVELOPE_CLOSE
