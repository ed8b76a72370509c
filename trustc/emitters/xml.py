"""XML: an XBRL 2.1 instance, with the trustc taxonomy it references (built with lxml).

Contexts: the entity is the registrant by its CIK (scheme
http://www.sec.gov/CIK) when the EDGAR envelope gives one, its series and pool
then explicit dimensions; without a CIK the entity is the trust's series (or
pool, or registrant name) under a trustc scheme. Balances are instants at the
distribution date; flows (distributions, interest, principal, losses,
collections, fees: `taxonomy.period_type`) are durations over the period the
report covers, which these statements do not print the start of, so the
duration is the distribution date's day (as an 8-K cover's period is its
report date's day). A balance printed for another distribution date (its
`distribution_date` dimension: a history row, a 10-D's prior account balance) is an
instant at that date. Cover items are dei: concepts (DocumentType,
EntityRegistrantName, EntityCentralIndexKey, DocumentPeriodEndDate,
EntityFileNumber, ...) in a duration context over the report date when the
value has the form the SEC's dei types want; otherwise trustc's own items.
Class, group, bucket and status are explicit dimensions in the segment. Units: USD, pure (percentages are written as
ratios, 1.5% as 0.015, as XBRL's percentItemType wants), count, month and
USD per $1,000. `decimals` is the printed precision. N/A is xsi:nil. With -o,
the directory holds the instance, its extension schema and the base taxonomy,
and validates as it is (Arelle, offline: the XBRL specification schemas come
from the validator's own cache; the dei part from the dei-2024.xsd trustc writes
beside them).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
from decimal import Decimal
from typing import Optional

from lxml import etree

from ..compiler.ast import Compilation, Diagnostic, Field, Statement
from ..compiler.numbers import parse_date
from ..compiler.output import atomic_write, safe_stem
from . import Emitter
from .taxonomy import (DEI, DEI_SCHEMA, NOT_XML, SCHEMA, DIMENSIONS, DOCUMENT_ITEMS, DOMAIN_MEMBER, ISO4217, ITEM_TYPES, LINK, NS, XBRLDI, XBRLI, XLINK, Declared,
                       base_files, camel, concept_element, dimension_element, dimension_elements, domain_href, extension_files,
                       member_element, period_type, xml_text)

XSI = "http://www.w3.org/2001/XMLSchema-instance"
UNITS = {
    "USD": ((ISO4217, "USD"),),
    "USD_per_1000": ((NS, "USDPer1000"),),
    "pure": ((XBRLI, "pure"),),
    "count": ((NS, "count"),),
    "month": ((NS, "month"),),
}
SCHEMES = {"series": "http://xbrl.trustc.invalid/entity/series", "pool": "http://xbrl.trustc.invalid/entity/pool",
           "registrant": "http://xbrl.trustc.invalid/entity/registrant", "cik": "http://www.sec.gov/CIK"}


# A US state or territory as EDGAR codes it (dei:EntityIncorporationStateCountryCode).
STATE_CODES = dict(zip((
    "alabama alaska arizona arkansas california colorado connecticut delaware district-of-columbia florida georgia "
    "hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota "
    "mississippi missouri montana nebraska nevada new-hampshire new-jersey new-mexico new-york north-carolina "
    "north-dakota ohio oklahoma oregon pennsylvania puerto-rico rhode-island south-carolina south-dakota tennessee "
    "texas utah vermont virginia washington west-virginia wisconsin wyoming").split(), (
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY").split()))
FILE_NUMBER = re.compile(r"[0-9]{1,3}-[0-9]{1,8}(-[0-9A-Z]{1,4})?")
EMPLOYER_ID = re.compile(r"[0-9]{2}-[0-9]{7}")
PHONE = re.compile(r"\(?([0-9]{3})\)?[\s.-]*([0-9]{3}[\s.-]?[0-9]{4})")


def _plain(value) -> str:
    """Whitespace as normalizedString has it (XML's four whitespace characters only: a vertical
    tab is not whitespace to XML, and is reported and replaced like any forbidden character)."""
    return re.sub(r"[ \t\r\n]+", " ", str(value)).strip(" ")


def dei_items(name: str, field: Field) -> list[tuple[str, str]]:
    """The dei: items (local name, value) a cover field is, when its value has the SEC's form; else none."""
    text = _plain(field.value) if field.value is not None else ""
    if not text:
        return []
    if name == "form_type":
        return [("DocumentType", text)]
    if name in ("report_date", "distribution_period_end") and isinstance(field.value, _dt.date):
        return [("DocumentPeriodEndDate", field.value.isoformat())]
    if name == "registrant":
        return [("EntityRegistrantName", text)]
    if name == "commission_file_number" and FILE_NUMBER.fullmatch(text):
        return [("EntityFileNumber", text)]
    if name == "state_of_incorporation" and text.lower().replace(" ", "-") in STATE_CODES:
        return [("EntityIncorporationStateCountryCode", STATE_CODES[text.lower().replace(" ", "-")])]
    if name == "irs_employer_id" and EMPLOYER_ID.fullmatch(text):
        return [("EntityTaxIdentificationNumber", text)]
    if name == "address":
        return [("EntityAddressAddressLine1", text)]
    if name == "zip":
        return [("EntityAddressPostalZipCode", text)]
    phone = PHONE.fullmatch(text) if name == "phone" else None
    if phone:
        return [("CityAreaCode", phone.group(1)), ("LocalPhoneNumber", phone.group(2))]
    return []


def cik_of(compilation: Compilation) -> Optional[str]:
    """The registrant's CIK from the EDGAR envelope, ten digits, or None."""
    field = compilation.envelope.fields.get("cik") if compilation.envelope is not None else None
    digits = str(field.value).strip() if field is not None and field.value is not None else ""
    return digits.zfill(10) if digits.isdigit() and len(digits) <= 10 else None


def instant(date: _dt.date) -> tuple:
    return ("instant", date)


def period_start(compilation: Compilation) -> Optional[_dt.date]:
    """When the period the report covers began, if its cover says (a 10-D's distribution period)."""
    fields = compilation.cover.fields if compilation.cover is not None else {}
    start, end = (_date(fields.get(name)) for name in ("distribution_period_start", "distribution_period_end"))
    return start if start is not None and (end is None or start <= end) else None


def over(date: _dt.date, start: Optional[_dt.date] = None) -> tuple:
    """The duration of flows ending on `date`: from the period's start when the cover gives it,
    else (statements print no start) the day itself, as an 8-K cover's period is its report date."""
    return ("duration", start if start is not None and start <= date else date, date)


def decimals(value: Decimal) -> str:
    exponent = value.as_tuple().exponent
    return str(-exponent) if isinstance(exponent, int) else "INF"


def xbrl_value(fact_value, unit: str) -> tuple[Optional[str], Optional[str]]:
    """(lexical value, decimals); None for N/A (written as xsi:nil)."""
    if fact_value is None:
        return None, None
    if isinstance(fact_value, bool):
        return ("true" if fact_value else "false"), None
    if isinstance(fact_value, Decimal):
        if unit == "percent":
            fact_value = fact_value.scaleb(-2)  # exact: the digits move, none is lost
        return format(fact_value, "f"), decimals(fact_value)
    if isinstance(fact_value, (_dt.date, _dt.datetime)):
        return fact_value.isoformat(), None
    return str(fact_value), None


class Instance:
    """One instance document being built: contexts and units deduplicated, members collected."""

    def __init__(self, compilation: Compilation, stem: str):
        self.compilation = compilation
        self.stem = stem
        digest = compilation.source.sha256[:16] or hashlib.sha256(stem.encode()).hexdigest()[:16]
        self.ext_ns = f"http://xbrl.trustc.invalid/filing/{digest}"
        self.root = etree.Element(f"{{{XBRLI}}}xbrl", nsmap={
            "xbrli": XBRLI, "link": LINK, "xlink": XLINK, "xbrldi": XBRLDI, "iso4217": ISO4217, "xsi": XSI,
            "dei": DEI, "trustc": NS, "f": self.ext_ns})
        etree.SubElement(self.root, f"{{{LINK}}}schemaRef",
                         {f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": f"{stem}.xsd"})
        self.contexts: dict[tuple, str] = {}
        self.units: set[str] = set()
        self.body: list[etree._Element] = []
        self.declared: dict[str, Declared] = {}  # extension elements by name
        self.start = period_start(compilation)

    def qname(self, dim: str) -> str:
        if dim in DIMENSIONS:
            return f"trustc:{dimension_element(dim)}"
        for element in dimension_elements(dim, f"{self.stem}.xsd", "f"):
            self.declared.setdefault(element.name, element)
        return f"f:{dimension_element(dim)}"

    def member(self, dim: str, value: str) -> str:
        name = member_element(dim, value)
        title = dim[:1].upper() + dim[1:]
        self.declared.setdefault(name, Declared(name, "nonnum:domainItemType", abstract=True, label=f"{title} {value}",
                                                parent=(domain_href(dim, f"{self.stem}.xsd"), DOMAIN_MEMBER)))
        return f"f:{name}"

    def context(self, entity: tuple[str, str], period: tuple, dims) -> str:
        key = (entity, period, tuple(sorted(dims.items())))
        if key not in self.contexts:
            members = tuple(sorted((self.qname(d), self.member(d, v)) for d, v in dims.items()))
            cid = f"c{len(self.contexts) + 1}"
            self.contexts[key] = cid
            context = etree.Element(f"{{{XBRLI}}}context", id=cid)
            ent = etree.SubElement(context, f"{{{XBRLI}}}entity")
            identifier = etree.SubElement(ent, f"{{{XBRLI}}}identifier", scheme=SCHEMES[entity[0]])
            identifier.text = xml_text(entity[1])
            if members:
                segment = etree.SubElement(ent, f"{{{XBRLI}}}segment")
                for dim, member in members:
                    etree.SubElement(segment, f"{{{XBRLDI}}}explicitMember", dimension=dim).text = member
            when = etree.SubElement(context, f"{{{XBRLI}}}period")
            if period[0] == "instant":
                etree.SubElement(when, f"{{{XBRLI}}}instant").text = period[1].isoformat()
            else:
                etree.SubElement(when, f"{{{XBRLI}}}startDate").text = period[1].isoformat()
                etree.SubElement(when, f"{{{XBRLI}}}endDate").text = period[2].isoformat()
            self.body.insert(len(self.contexts) - 1, context)
        return self.contexts[key]

    def item(self, element: str, context: str, value, unit: str) -> None:
        unit_id = ITEM_TYPES[unit][1]
        text, dec = xbrl_value(value, unit)
        fact = etree.Element(element, contextRef=context)
        if unit_id is not None:
            fact.set("unitRef", unit_id)
            self.units.add(unit_id)
        if text is None:
            fact.set(f"{{{XSI}}}nil", "true")
        else:
            if dec is not None:
                fact.set("decimals", dec)
            fact.text = xml_text(text)
        self.body.append(fact)

    def cover(self, entity, date) -> None:
        """Cover items over the report date's day, as dei: items where the value has the SEC's form."""
        cover = self.compilation.cover
        cik = cik_of(self.compilation)
        if cover is None and cik is None:
            return
        context = self.context(entity, over(date, self.start), {})
        if cik is not None:
            self.item(f"{{{DEI}}}EntityCentralIndexKey", context, cik, "text")
        for name, field in (cover.fields.items() if cover is not None else ()):
            found = dei_items(name, field)
            for local, text in found:
                self.item(f"{{{DEI}}}{local}", context, text, "text")
            if not found:
                self.item(self.document_element(name, field), context, field.value, _field_unit(field))

    def document_element(self, name: str, field: Field) -> str:
        if name in DOCUMENT_ITEMS:
            return f"{{{NS}}}{DOCUMENT_ITEMS[name][0]}"
        element = "Cover" + camel(name)
        self.declared.setdefault(element, Declared(element, ITEM_TYPES[_field_unit(field)][0],
                                                   label=name.replace("_", " ").capitalize(), period="duration"))
        return f"{{{self.ext_ns}}}{element}"

    def statement(self, statement: Statement, entity, date) -> None:
        entity, where = entity
        if statement.title:
            self.item(f"{{{NS}}}StatementTitle", self.context(entity, over(date, self.start), where), statement.title,
                      "text")
        for fact in statement.facts:
            if fact.concept is None:  # XBRL reports concepts: a figure the dictionary does not name has none
                continue
            period = over(date, self.start) if period_type(fact.concept) == "duration" else \
                instant(_as_of(fact) or date)
            self.item(f"{{{NS}}}{concept_element(fact.concept)}", self.context(entity, period, {**where, **fact.dims}),
                      fact.value, fact.unit)

    def finish(self) -> bytes:
        for unit_id in sorted(self.units):
            unit = etree.Element(f"{{{XBRLI}}}unit", id=unit_id)
            for ns, local in UNITS[unit_id]:
                prefix = {ISO4217: "iso4217", XBRLI: "xbrli", NS: "trustc"}[ns]
                etree.SubElement(unit, f"{{{XBRLI}}}measure").text = f"{prefix}:{local}"
            self.body.insert(len(self.contexts), unit)
        self.root.extend(self.body)
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def files(self) -> dict[str, bytes]:
        return extension_files(self.stem, self.ext_ns, list(self.declared.values()))


def _field_unit(field: Field) -> str:
    if isinstance(field.value, bool):
        return "boolean"
    if isinstance(field.value, (_dt.date, _dt.datetime)):
        return "date"
    return "text"


def _as_of(fact) -> Optional[_dt.date]:
    """The date a balance is printed for when it is not the statement's: a history row's, a 10-D's
    prior distribution date (its `distribution_date` dimension, as printed)."""
    printed = fact.dims.get("distribution_date")
    return parse_date(printed) if printed else None


def _date(field: Optional[Field]) -> Optional[_dt.date]:
    value = field.value if field is not None else None
    return value if isinstance(value, _dt.date) else None


def entity_of(compilation: Compilation, statement: Optional[Statement]) -> tuple[tuple[str, str], dict[str, str]]:
    """The entity of a context and the dimensions that place a statement within it.

    With a CIK the entity is the registrant as the SEC knows it, and a statement's series and
    pool become dimensions; without one, the trust itself: its series (and pool), else the
    registrant's name, under trustc's own schemes."""
    cik = cik_of(compilation)
    if cik is not None:
        where = {} if statement is None else {k: v for k, v in (("series", statement.series), ("pool", statement.pool)) if v}
        return ("cik", cik), where
    if statement is not None and statement.series:
        return ("series", statement.series + (f" pool {statement.pool}" if statement.pool else "")), {}
    if statement is not None and statement.pool:
        return ("pool", statement.pool), {}
    registrant = compilation.cover.fields.get("registrant") if compilation.cover else None
    if registrant is not None and str(registrant.value).strip():
        return ("registrant", " ".join(str(registrant.value).split())), {}
    return ("registrant", compilation.source.path), {}


def build(compilation: Compilation, stem: str) -> Instance:
    instance = Instance(compilation, stem)
    report_date = _date(compilation.cover.fields.get("report_date")) if compilation.cover else None
    dates = [d for d in (_date(s.distribution_date) for s in compilation.statements) if d]
    cover_date = report_date or (dates[0] if dates else None)
    single = compilation.statements[0] if len(compilation.statements) == 1 else None
    skipped = []
    if cover_date is not None:
        instance.cover(entity_of(compilation, single)[0], cover_date)
    elif compilation.cover is not None and compilation.cover.fields:
        skipped.append(f"{len(compilation.cover.fields)} cover fields")
    for index, statement in enumerate(compilation.statements, 1):
        date = _date(statement.distribution_date) or cover_date
        if date is None:
            skipped.append(f"statement {index} ({len(statement.facts)} facts)")
            continue
        instance.statement(statement, entity_of(compilation, statement), date)
    replaced = [f"{d.span.line}:{d.span.column}" if d.span else "?" for d in not_xml(compilation)]
    if replaced:
        instance.root.append(etree.Comment(" characters XML 1.0 forbids written as U+FFFD, in strings from "
                                           "source line:column " + ", ".join(replaced) + " "))
    if skipped:
        # An XBRL fact needs a period: say what had none instead of dropping it silently.
        instance.root.append(etree.Comment(" not written, no date to give a period: " + "; ".join(skipped) + " "))
    return instance


def _strings(compilation: Compilation):
    """(what, text, span) of every string the instance can carry from the filing."""
    for name, field in (compilation.cover.fields.items() if compilation.cover else ()):
        yield f"cover field {name}", field.value, field.span
    cik = compilation.envelope.fields.get("cik") if compilation.envelope is not None else None
    if cik is not None:
        yield "envelope CIK", cik.value, cik.span
    for statement in compilation.statements:
        date = statement.distribution_date.span if statement.distribution_date else None
        for what, text in (("statement title", statement.title), ("series", statement.series), ("pool", statement.pool)):
            yield what, text, date
        for fact in statement.facts:
            yield fact.concept, fact.value, fact.span
            for dim, member in fact.dims.items():
                yield f"{dim} of {fact.concept}", member, fact.span


def not_xml(compilation: Compilation) -> list[Diagnostic]:
    """A warning for each string holding characters XML 1.0 forbids (written as U+FFFD)."""
    found = []
    for what, text, span in _strings(compilation):
        bad = sorted(set(NOT_XML.findall(text))) if isinstance(text, str) else []
        if bad:
            codes = ", ".join(f"U+{ord(ch):04X}" for ch in bad)
            found.append(Diagnostic("warning", "not-xml-character",
                                    f"{what}: XML 1.0 cannot hold {codes}; written as U+FFFD in the XBRL", span))
    return found


def default_stem(compilation: Compilation) -> str:
    return safe_stem(compilation.source.path or "input")


class XBRLEmitter(Emitter):
    name = "xml"
    description = "an XBRL 2.1 instance (with -o also the trustc taxonomy it references, ready to validate)"
    extension = ".xml"
    streams = False  # one instance is one XML document
    companion_separators = "-"  # with -o also writes STEM-lab.xml and STEM-def.xml (and STEM.xsd)

    @property
    def shared_files(self) -> tuple[str, ...]:
        """The base taxonomy's files: one copy for every instance in the folder, never an input's output."""
        return tuple(base_files())

    def emit(self, compilation: Compilation) -> str:
        return build(compilation, default_stem(compilation)).finish().decode("utf-8")

    def diagnostics(self, compilation: Compilation) -> list[Diagnostic]:
        return not_xml(compilation)

    def stdout_note(self, compilation: Compilation) -> str:
        stem = default_stem(compilation)
        return (f"the XBRL instance refers to {stem}.xsd (its extension schema, with labels), the trustc "
                f"taxonomy {SCHEMA} and {DEI_SCHEMA}, which stdout cannot hold; to validate it, write it with them: "
                f"-o {stem}.xml (or -o DIR/)")

    def write(self, compilation: Compilation, directory: str, stem: str) -> list[str]:
        return self._write(compilation, directory, stem, f"{stem}{self.extension}")

    def write_file(self, compilation: Compilation, path: str) -> list[str]:
        """The instance at `path`, its extension schema and the trustc taxonomy beside it."""
        directory, name = os.path.split(os.path.abspath(path))
        stem = safe_stem(os.path.splitext(name)[0])
        return self._write(compilation, directory, stem, name)

    def _write(self, compilation: Compilation, directory: str, stem: str, name: str) -> list[str]:
        instance = build(compilation, stem)
        companions = {**instance.files(), **base_files()}
        if name in companions:  # `-o trustc-2026.xsd`: the instance would overwrite its own schema
            raise OSError(f"{name} is the name of a schema file the instance needs; choose another name")
        paths = []
        for file_name, data in {name: instance.finish(), **companions}.items():
            atomic_write(f"{directory}/{file_name}", data)
            paths.append(f"{directory}/{file_name}")
        return paths
