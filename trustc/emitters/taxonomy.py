"""The trustc XBRL taxonomy, generated from the concept dictionary, and each filing's extension.

The base taxonomy (`trustc-2026.xsd`, label and definition linkbases) declares one
item per concept of `compiler/data/concepts/*.toml` (type from the concept's
unit, full label and description as labels), the cover-page items, and the
explicit dimensions class, group, bucket and status. It is generated when
written rather than kept as files, so a layout that adds concepts to the
dictionary adds them to the taxonomy too.

Classes, groups and buckets differ per filing, and an explicit dimension's
members must be declared elements; so each instance comes with a small
extension schema declaring its members (and any dimension or cover field the
base does not know), with labels, importing the base taxonomy.
"""
from __future__ import annotations

import functools
import re
from typing import Iterable

from attrs import frozen
from lxml import etree

from ..compiler.concepts import concepts

XS = "http://www.w3.org/2001/XMLSchema"
XBRLI = "http://www.xbrl.org/2003/instance"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
XBRLDT = "http://xbrl.org/2005/xbrldt"
XBRLDI = "http://xbrl.org/2006/xbrldi"
NUM = "http://www.xbrl.org/dtr/type/numeric"
NONNUM = "http://www.xbrl.org/dtr/type/non-numeric"
ISO4217 = "http://www.xbrl.org/2003/iso4217"
NS = "http://xbrl.trustc.invalid/taxonomy/2026"  # .invalid: a name, never fetched
# The SEC's Document and Entity Information taxonomy: cover items as filers write them. trustc
# ships the part it uses (dei-2024.xsd, see the comment in it) so instances validate offline.
DEI = "http://xbrl.sec.gov/dei/2024"
DEI_SCHEMA = "dei-2024.xsd"
SCHEMA = "trustc-2026.xsd"
LABELS = "trustc-2026-lab.xml"
DEFINITIONS = "trustc-2026-def.xml"
DIMENSION_DOMAIN = "http://xbrl.org/int/dim/arcrole/dimension-domain"
DOMAIN_MEMBER = "http://xbrl.org/int/dim/arcrole/domain-member"
LOCATIONS = {
    XBRLI: "http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd",
    XBRLDT: "http://www.xbrl.org/2005/xbrldt-2005.xsd",
    NUM: "http://www.xbrl.org/dtr/type/numeric-2009-12-16.xsd",
    NONNUM: "http://www.xbrl.org/dtr/type/nonNumeric-2009-12-16.xsd",
}
LABEL_ROLE = "http://www.xbrl.org/2003/role/label"
DOC_ROLE = "http://www.xbrl.org/2003/role/documentation"
# unit of the concept dictionary -> (item type, unit id or None)
ITEM_TYPES = {
    "usd": ("xbrli:monetaryItemType", "USD"),
    "usd_per_1000": ("xbrli:decimalItemType", "USD_per_1000"),
    "percent": ("num:percentItemType", "pure"),
    "pure": ("xbrli:pureItemType", "pure"),
    "count": ("xbrli:decimalItemType", "count"),
    "months": ("xbrli:decimalItemType", "month"),
    "boolean": ("xbrli:booleanItemType", None),
    "date": ("xbrli:dateItemType", None),
    "text": ("xbrli:stringItemType", None),
}
DIMENSIONS = ("class", "group", "bucket", "status")
# Cover-page fields (form8k.COVER_FIELDS) and statement fields as items of their own.
DOCUMENT_ITEMS = {
    "form_type": ("DocumentType", "xbrli:stringItemType", "Document type", "Form type of the filing (8-K, 10-D)."),
    "report_date": ("DocumentReportDate", "xbrli:dateItemType", "Date of report",
                    "Date of earliest event reported, from the cover page."),
    "registrant": ("EntityRegistrantName", "xbrli:stringItemType", "Registrant name",
                   "Exact name of registrant as specified in its charter."),
    "state_of_incorporation": ("EntityIncorporationState", "xbrli:stringItemType", "State of incorporation",
                               "State or other jurisdiction of incorporation."),
    "commission_file_number": ("EntityFileNumber", "xbrli:stringItemType", "Commission file number",
                               "Commission file number of the registrant."),
    "irs_employer_id": ("EntityTaxIdentificationNumber", "xbrli:stringItemType", "I.R.S. employer identification",
                        "I.R.S. employer identification number."),
    "address": ("EntityAddress", "xbrli:stringItemType", "Address", "Address of principal executive offices."),
    "zip": ("EntityAddressPostalCode", "xbrli:stringItemType", "ZIP code", "ZIP code of the address."),
    "phone": ("EntityPhoneNumber", "xbrli:stringItemType", "Telephone number",
              "Registrant's telephone number, including area code."),
    "statement_title": ("StatementTitle", "xbrli:stringItemType", "Statement title",
                        "Title of the distribution statement as printed."),
}


# What XML 1.0 cannot hold at all, not even as a character reference: C0 controls other
# than tab, newline and carriage return, lone surrogates, U+FFFE and U+FFFF.
NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
REPLACEMENT = "\ufffd"


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 forbids replaced by U+FFFD (the emitter reports each)."""
    return NOT_XML.sub(REPLACEMENT, text)


# Flows, reported over the period a statement covers (duration contexts): what was distributed,
# paid, collected, lost, advanced or charged. Everything else (balances, counts of loans held,
# rates, factors, identifiers) is as of the distribution date (instant contexts). A balance
# word wins: `outstanding_advances` and `cumulative_realized_losses` are balances.
_FLOW = re.compile(r"distribution(?!_date|_percentage)|interest|principal|loss|proceeds|fee|advance|shortfall|"
                   r"remittance|premium|payment|deposit|withdrawal|purchase|paid|compensation|earnings|"
                   r"cash_flow|increase|release|expenses|liquidated|total_per_1000|insured_amounts|total_sources")
_BALANCE = re.compile(r"balance|outstanding|unpaid|cumulative|available|carryforward|target|deficiency|"
                      r"rate|coupon|percentage|spread|factor|trigger|count(?!_percentage)?$|_date|occurred|failed")


@functools.lru_cache(maxsize=None)
def period_type(concept: str) -> str:
    """`duration` for a flow (interest_distribution, realized_loss), `instant` for a balance."""
    if concept == "liquidated_loan_count":
        return "duration"  # loans liquidated this period: a count of events, not of loans held
    return "duration" if _FLOW.search(concept) and not _BALANCE.search(concept) else "instant"


@functools.lru_cache(maxsize=4096)
def camel(name: str) -> str:
    """original_balance -> OriginalBalance; a name that would start with a digit gets a leading underscore."""
    out = "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name) if part)
    return out if out and not out[0].isdigit() else "_" + out


def concept_element(concept: str) -> str:
    return camel(concept)


def dimension_element(dim: str) -> str:
    return camel(dim) + "Axis"


def domain_element(dim: str) -> str:
    return camel(dim) + "Domain"


def member_element(dim: str, value: str) -> str:
    """An NCName for a member: unsafe characters written as _xHH_, so distinct values stay distinct."""
    escaped = re.sub(r"[^A-Za-z0-9.-]", lambda m: "_x%X_" % ord(m.group()), value)
    return f"{camel(dim)}_{escaped}"


def item_type(unit: str) -> str:
    return ITEM_TYPES[unit][0]


@frozen
class Declared:
    """An element a schema declares: name, type, substitution group, abstract, labels."""

    name: str
    type: str
    group: str = "xbrli:item"
    abstract: bool = False
    label: str = ""
    documentation: str = ""
    parent: tuple[str, str] = ()  # (href of the parent element, arcrole): where it sits in its dimension
    period: str = "instant"  # duration for flows and cover items


def base_elements() -> list[Declared]:
    out = [Declared(concept_element(c.name), item_type(c.unit), label=c.label, documentation=c.description,
                    period=period_type(c.name)) for c in concepts().values()]
    out += [Declared(name, type_, label=label, documentation=doc, period="duration") for name, type_, label, doc in
            DOCUMENT_ITEMS.values()]
    for dim in DIMENSIONS:
        out += dimension_elements(dim, SCHEMA, "trustc")
    return out


def href(schema: str, prefix: str, name: str) -> str:
    return f"{schema}#{prefix}_{name}"


def dimension_elements(dim: str, schema: str, prefix: str) -> list[Declared]:
    """A dimension and its domain, declared in `schema` (the base, or an extension for a new dimension)."""
    title = dim[:1].upper() + dim[1:]
    return [
        Declared(dimension_element(dim), "xbrli:stringItemType", "xbrldt:dimensionItem", True, f"{title} [Axis]",
                 f"The {dim} a figure belongs to."),
        Declared(domain_element(dim), "nonnum:domainItemType", abstract=True, label=f"{title} [Domain]",
                 parent=(href(schema, prefix, dimension_element(dim)), DIMENSION_DOMAIN)),
    ]


def domain_href(dim: str, schema: str) -> str:
    """Where a dimension's domain is declared: the base taxonomy, or the filing's extension `schema`."""
    return href(SCHEMA, "trustc", domain_element(dim)) if dim in DIMENSIONS else href(schema, "f", domain_element(dim))


def _schema(namespace: str, prefix: str, imports: dict[str, str], linkbases: tuple[str, str],
            elements: Iterable[Declared]) -> bytes:
    nsmap = {"xs": XS, "xbrli": XBRLI, "link": LINK, "xlink": XLINK, "xbrldt": XBRLDT, "num": NUM,
             "nonnum": NONNUM, prefix: namespace}
    if prefix != "trustc":
        nsmap["trustc"] = NS
    root = etree.Element(f"{{{XS}}}schema", nsmap=nsmap, targetNamespace=namespace,
                         elementFormDefault="qualified", attributeFormDefault="unqualified")
    appinfo = etree.SubElement(etree.SubElement(root, f"{{{XS}}}annotation"), f"{{{XS}}}appinfo")
    for linkbase, role in zip(linkbases, ("labelLinkbaseRef", "definitionLinkbaseRef")):
        etree.SubElement(appinfo, f"{{{LINK}}}linkbaseRef", {
            f"{{{XLINK}}}type": "simple", f"{{{XLINK}}}href": linkbase,
            f"{{{XLINK}}}role": f"http://www.xbrl.org/2003/role/{role}",
            f"{{{XLINK}}}arcrole": "http://www.w3.org/1999/xlink/properties/linkbase"})
    for ns, location in imports.items():
        etree.SubElement(root, f"{{{XS}}}import", namespace=ns, schemaLocation=location)
    for e in elements:
        attrs = {"name": e.name, "id": f"{prefix}_{e.name}", "type": e.type, "substitutionGroup": e.group,
                 f"{{{XBRLI}}}periodType": "duration" if e.group == "xbrldt:dimensionItem" else e.period,
                 "nillable": "true"}
        if e.abstract:
            attrs["abstract"] = "true"
        etree.SubElement(root, f"{{{XS}}}element", attrs)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _labels(schema_file: str, prefix: str, elements: Iterable[Declared]) -> bytes:
    root = etree.Element(f"{{{LINK}}}linkbase", nsmap={"link": LINK, "xlink": XLINK})
    link = etree.SubElement(root, f"{{{LINK}}}labelLink", {f"{{{XLINK}}}type": "extended",
                                                           f"{{{XLINK}}}role": "http://www.xbrl.org/2003/role/link"})
    for e in elements:
        loc = f"loc_{e.name}"
        etree.SubElement(link, f"{{{LINK}}}loc", {f"{{{XLINK}}}type": "locator",
                                                  f"{{{XLINK}}}href": f"{schema_file}#{prefix}_{e.name}",
                                                  f"{{{XLINK}}}label": loc})
        for role, text in ((LABEL_ROLE, e.label), (DOC_ROLE, e.documentation)):
            if not text:
                continue
            resource = f"lab_{e.name}" + ("_doc" if role == DOC_ROLE else "")
            label = etree.SubElement(link, f"{{{LINK}}}label", {
                f"{{{XLINK}}}type": "resource", f"{{{XLINK}}}label": resource, f"{{{XLINK}}}role": role,
                "{http://www.w3.org/XML/1998/namespace}lang": "en"})
            label.text = xml_text(text)
            etree.SubElement(link, f"{{{LINK}}}labelArc", {
                f"{{{XLINK}}}type": "arc", f"{{{XLINK}}}arcrole": "http://www.xbrl.org/2003/arcrole/concept-label",
                f"{{{XLINK}}}from": loc, f"{{{XLINK}}}to": resource})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _definitions(schema_file: str, prefix: str, elements: Iterable[Declared]) -> bytes:
    """Dimension-domain and domain-member arcs, so tools show each dimension's members."""
    root = etree.Element(f"{{{LINK}}}linkbase", nsmap={"link": LINK, "xlink": XLINK})
    for arcrole in (DIMENSION_DOMAIN, DOMAIN_MEMBER):
        etree.SubElement(root, f"{{{LINK}}}arcroleRef", {
            "arcroleURI": arcrole, f"{{{XLINK}}}type": "simple",
            f"{{{XLINK}}}href": f"{LOCATIONS[XBRLDT]}#{arcrole.rsplit('/', 1)[-1]}"})
    link = etree.SubElement(root, f"{{{LINK}}}definitionLink", {
        f"{{{XLINK}}}type": "extended", f"{{{XLINK}}}role": "http://www.xbrl.org/2003/role/link"})
    located: dict[str, str] = {}

    def locate(target: str) -> str:
        if target not in located:
            located[target] = f"loc{len(located) + 1}"
            etree.SubElement(link, f"{{{LINK}}}loc", {f"{{{XLINK}}}type": "locator", f"{{{XLINK}}}href": target,
                                                      f"{{{XLINK}}}label": located[target]})
        return located[target]

    order = 0
    for e in elements:
        if not e.parent:
            continue
        parent, arcrole = e.parent
        order += 1
        etree.SubElement(link, f"{{{LINK}}}definitionArc", {
            f"{{{XLINK}}}type": "arc", f"{{{XLINK}}}arcrole": arcrole, f"{{{XLINK}}}from": locate(parent),
            f"{{{XLINK}}}to": locate(href(schema_file, prefix, e.name)), "order": str(order)})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def base_files() -> dict[str, bytes]:
    """The base taxonomy and the part of dei trustc uses: file name -> content."""
    from importlib.resources import files

    elements = base_elements()
    imports = {XBRLI: LOCATIONS[XBRLI], XBRLDT: LOCATIONS[XBRLDT], NUM: LOCATIONS[NUM], NONNUM: LOCATIONS[NONNUM]}
    return {SCHEMA: _schema(NS, "trustc", imports, (LABELS, DEFINITIONS), elements),
            LABELS: _labels(SCHEMA, "trustc", elements), DEFINITIONS: _definitions(SCHEMA, "trustc", elements),
            DEI_SCHEMA: files(__package__).joinpath(DEI_SCHEMA).read_bytes()}


def extension_files(stem: str, namespace: str, elements: list[Declared]) -> dict[str, bytes]:
    """A filing's extension schema (members, unknown dimensions and fields), its labels and member arcs."""
    schema, labels, definitions = f"{stem}.xsd", f"{stem}-lab.xml", f"{stem}-def.xml"
    imports = {NS: SCHEMA, DEI: DEI_SCHEMA, XBRLI: LOCATIONS[XBRLI], XBRLDT: LOCATIONS[XBRLDT],
               NONNUM: LOCATIONS[NONNUM]}
    return {schema: _schema(namespace, "f", imports, (labels, definitions), elements),
            labels: _labels(schema, "f", elements), definitions: _definitions(schema, "f", elements)}
