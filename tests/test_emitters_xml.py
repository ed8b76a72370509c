"""XBRL: every corpus output validates with Arelle (offline) and against the schemas with lxml."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import trustc
from trustc.cli import main
from trustc.compiler.ast import Compilation, SourceInfo
from trustc.emitters.taxonomy import DEI, NS, SCHEMA, XBRLI, base_elements, period_type
from trustc.emitters.xml import XBRLEmitter

from .helpers import compiled, corpus_files
from .test_roundtrip_property import statements

XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"


def arelle_cache() -> Path:
    import arelle

    return Path(arelle.__file__).parent / "resources" / "cache"


class OfflineResolver(etree.Resolver):
    """The XBRL specification schemas from Arelle's bundled copies: lxml never goes to the network."""

    def resolve(self, url, public_id, context):
        for scheme in ("http://", "https://"):
            if url.startswith(scheme):
                local = arelle_cache() / "http" / url[len(scheme):]
                if local.exists():
                    return self.resolve_filename(str(local), context)
        return None


def lxml_validate(instance: Path) -> list[str]:
    """Schema-validate an instance against its own DTS (schemaRef) plus the XBRL instance schemas."""
    doc = etree.parse(str(instance))
    href = doc.getroot().find("{http://www.xbrl.org/2003/linkbase}schemaRef").get("{http://www.w3.org/1999/xlink}href")
    extension = etree.parse(str(instance.parent / href)).getroot().get("targetNamespace")
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:trustc:test:driver">
      <xs:import namespace="{XBRLI}" schemaLocation="http://www.xbrl.org/2003/xbrl-instance-2003-12-31.xsd"/>
      <xs:import namespace="http://xbrl.org/2006/xbrldi" schemaLocation="http://www.xbrl.org/2006/xbrldi-2006.xsd"/>
      <xs:import namespace="{extension}" schemaLocation="{(instance.parent / href).as_uri()}"/>
    </xs:schema>"""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(OfflineResolver())
    schema = etree.XMLSchema(etree.fromstring(driver.encode(), parser, base_url=str(instance)))
    ok = schema.validate(doc)
    return [] if ok else [str(e) for e in schema.error_log]


def arelle_messages(instance: Path) -> list[tuple[str, str, str]]:
    """Arelle's errors and warnings on one instance, validated offline in this process."""
    from arelle.api.Session import Session
    from arelle.RuntimeOptions import RuntimeOptions

    with Session() as session:
        session.run(RuntimeOptions(entrypointFile=str(instance), validate=True, internetConnectivity="offline",
                                   logFile="logToBuffer"))
        log = json.loads(session.get_logs("json"))["log"]
    return [(m["level"], m["code"], m["message"]["text"]) for m in log if m["level"] not in ("info", "debug")]


def write(compilation, directory: Path, stem: str) -> Path:
    XBRLEmitter().write(compilation, str(directory), stem)
    return directory / f"{stem}.xml"


@pytest.mark.parametrize("path", corpus_files())
def test_corpus_output_validates_with_arelle_and_lxml(path, tmp_path):
    instance = write(compiled(path), tmp_path, "filing")
    assert arelle_messages(instance) == []
    assert lxml_validate(instance) == []


@pytest.fixture(scope="module")
def reference(reference_path):
    return compiled(reference_path)


@pytest.fixture(scope="module")
def instance(reference):
    return etree.fromstring(trustc.emit(reference, "xml").encode())


def items(root):
    return [e for e in root if isinstance(e.tag, str) and etree.QName(e).namespace == NS]


def test_every_fact_is_an_item_with_exact_value_and_printed_precision(reference, instance):
    facts = reference.statements[0].facts
    found = [e for e in items(instance) if etree.QName(e).localname not in (
        "DocumentType", "DocumentReportDate", "EntityRegistrantName", "EntityIncorporationState", "EntityFileNumber",
        "EntityTaxIdentificationNumber", "EntityAddress", "EntityAddressPostalCode", "EntityPhoneNumber",
        "StatementTitle")]
    assert len(found) == len(facts) == 386
    by_raw = {(etree.QName(e).localname, e.get("contextRef"), e.text): e for e in found}
    contexts = {c.get("id"): c for c in instance.iter(f"{{{XBRLI}}}context")}
    delinquent = next(e for e in found if e.text == "5857826.76")
    assert (etree.QName(delinquent).localname, delinquent.get("decimals"), delinquent.get("unitRef")) == (
        "DelinquentBalance", "2", "USD")
    members = [m.text for m in contexts[delinquent.get("contextRef")].iter("{http://xbrl.org/2006/xbrldi}explicitMember")]
    assert sorted(members) == ["f:Bucket_30-59", "f:Group_2"]
    rate = next(e for e in found if etree.QName(e).localname == "PassThroughRate")
    assert (rate.text, rate.get("decimals"), rate.get("unitRef")) == ("0.0150000", "7", "pure")  # 1.50000%
    assert Decimal(rate.text) * 100 == Decimal("1.50000")
    nil = next(e for e in found if etree.QName(e).localname == "RealizedLoss")
    assert nil.get(XSI_NIL) == "true" and nil.text is None and nil.get("decimals") is None
    net_liq = [e for e in found if etree.QName(e).localname == "NetLiquidationProceeds"]
    assert [e.text for e in net_liq] == ["-779", "10047", "9268"]
    assert by_raw  # every (concept, context, value) is distinct in this filing


def test_contexts_entity_and_period(instance):
    context = next(instance.iter(f"{{{XBRLI}}}context"))
    identifier = context.find(f"{{{XBRLI}}}entity/{{{XBRLI}}}identifier")
    # no EDGAR envelope, so no CIK: the trust's series under trustc's scheme
    assert identifier.text == "2003-HE2" and identifier.get("scheme").endswith("/entity/series")
    assert context.findtext(f"{{{XBRLI}}}period/{{{XBRLI}}}startDate") == "2003-12-15"  # the cover's duration
    assert context.findtext(f"{{{XBRLI}}}period/{{{XBRLI}}}endDate") == "2003-12-15"
    units = {u.get("id"): u.findtext(f"{{{XBRLI}}}measure") for u in instance.iter(f"{{{XBRLI}}}unit")}
    assert units == {"USD": "iso4217:USD", "USD_per_1000": "trustc:USDPer1000", "count": "trustc:count",
                     "month": "trustc:month", "pure": "xbrli:pure"}


def test_output_dir_holds_instance_and_taxonomy(reference_path, tmp_path):
    assert main(["compile", "--to", "xml", "-o", str(tmp_path), "-q", reference_path]) == 0
    stem = "absc-2003-he2_8k_2003-12-15"
    names = sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".xml", ".xsd"))
    assert names == [f"{stem}-def.xml", f"{stem}-lab.xml", f"{stem}.xml", f"{stem}.xsd", "dei-2024.xsd",
                     "trustc-2026-def.xml", "trustc-2026-lab.xml", SCHEMA]
    labels = etree.parse(str(tmp_path / "trustc-2026-lab.xml"))
    texts = {e.text for e in labels.iter("{http://www.xbrl.org/2003/linkbase}label")}
    assert "Interest carry-forward per $1,000" in texts  # full labels from the concept dictionary
    assert lxml_validate(tmp_path / f"{stem}.xml") == []


def test_arelle_reads_labels_and_dimension_members(reference, tmp_path):
    from arelle.api.Session import Session
    from arelle.ModelValue import qname
    from arelle.RuntimeOptions import RuntimeOptions

    instance = write(reference, tmp_path, "ref")
    with Session() as session:
        session.run(RuntimeOptions(entrypointFile=str(instance), internetConnectivity="offline",
                                   logFile="logToBuffer", keepOpen=True))
        model = session.get_models()[0]
        concept = model.qnameConcepts[qname(NS, "InterestCarryforwardPer1000")]
        assert concept.label(lang="en") == "Interest carry-forward per $1,000"
        members = model.relationshipSet("http://xbrl.org/int/dim/arcrole/domain-member")
        classes = [r.toModelObject.label(lang="en") for r in members.fromModelObject(
            model.qnameConcepts[qname(NS, "ClassDomain")])]
        assert classes[:3] == ["Class A-1", "Class A-2", "Class A-IO"] and "Class B-IO" in classes
        axes = model.relationshipSet("http://xbrl.org/int/dim/arcrole/dimension-domain")
        assert {str(r.fromModelObject.qname) for r in axes.modelRelationships} == {
            "trustc:ClassAxis", "trustc:GroupAxis", "trustc:BucketAxis", "trustc:StatusAxis"}


def test_registrant_with_script_is_plain_text(reference_path, tmp_path):
    name = "<script>alert(1)</script> & Co, Home Equity"
    text = open(reference_path, encoding="utf-8").read().replace(
        "Asset Backed Securities Corporation, Home Equity", name, 1)
    filing = tmp_path / "evil.txt"
    filing.write_text(text, encoding="utf-8")
    instance = write(trustc.compile_file(filing), tmp_path, "evil")
    raw = instance.read_text(encoding="utf-8")
    assert "<script>" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in raw
    root = etree.parse(str(instance)).getroot()
    assert root.findtext(f"{{{DEI}}}EntityRegistrantName").startswith(name)
    assert lxml_validate(instance) == []


def test_schema_rejects_a_broken_instance(reference, tmp_path):
    instance = write(reference, tmp_path, "ref")
    broken = instance.read_text(encoding="utf-8").replace(">397000000<", ">397,000,000<", 1)
    instance.write_text(broken, encoding="utf-8")
    assert any("OriginalBalance" in e for e in lxml_validate(instance))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated=st.lists(statements(), min_size=1, max_size=2))
def test_generated_statements_give_schema_valid_xbrl(generated, tmp_path_factory):
    compilation = Compilation(SourceInfo("generated", "0" * 64, 0), None, tuple(generated), (), (), ())
    instance = write(compilation, tmp_path_factory.mktemp("xbrl"), "generated")
    assert lxml_validate(instance) == []
    root = etree.parse(str(instance)).getroot()
    # A statement without a date of its own takes another's; with no date at all nothing has a period.
    dated = any(s.distribution_date is not None for s in generated)
    written = [e for e in items(root) if etree.QName(e).localname != "StatementTitle"]
    assert len(written) == (sum(len(s.facts) for s in generated) if dated else 0)
    if not dated and any(s.facts for s in generated):
        assert "not written, no date to give a period" in instance.read_text(encoding="utf-8")


def test_taxonomy_names_are_unique():
    names = [e.name for e in base_elements()]
    assert len(names) == len(set(names))


def test_xml_snapshot(reference, snapshot):
    assert trustc.emit(reference, "xml") == snapshot


FORBIDDEN = ["\x08", "\x0b", "\x0c", "\x1b", "\ufffe", "\uffff"]


@pytest.mark.parametrize("char", FORBIDDEN)
def test_characters_xml_forbids_are_replaced_with_a_diagnostic(char, capsys, tmp_path, reference_path):
    """A control character in the registrant, a class name and the series gave an lxml ValueError (exit 2)."""
    text = Path(reference_path).read_text(encoding="utf-8")
    text = text.replace("Asset Backed Securities Corporation", f"Asset Backed{char}Securities Corporation", 1)
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(text, encoding="utf-8")
    status = main(["compile", "-t", "xbrl", str(hostile)])
    out, err = capsys.readouterr()
    assert status in (0, 1) and "internal error" not in err
    assert "warning[not-xml-character]" in err and f"U+{ord(char):04X}" in err
    root = etree.fromstring(out.encode("utf-8"))
    assert char not in out
    assert any("Asset Backed\ufffdSecurities" in (e.text or "") for e in root.iter())
    assert main(["compile", "-q", "-t", "xbrl", str(hostile), "-o", str(tmp_path / "out") + "/"]) in (0, 1)
    assert arelle_messages(tmp_path / "out" / "hostile.xml") == []


@pytest.mark.parametrize("char", FORBIDDEN)
def test_every_string_field_can_hold_characters_xml_forbids(char, reference):
    import attrs

    statement = reference.statements[0]
    facts = list(statement.facts)
    facts[0] = attrs.evolve(facts[0], dims={**facts[0].dims, "class": f"A{char}1"})
    facts[1] = attrs.evolve(facts[1], value=f"text{char}", unit="text")
    hostile = attrs.evolve(reference, statements=(attrs.evolve(
        statement, title=f"T{char}", series=f"S{char}", pool=f"P{char}", facts=tuple(facts)),))
    emitter = XBRLEmitter()
    root = etree.fromstring(emitter.emit(hostile).encode("utf-8"))
    assert root.find(f"{{{XBRLI}}}context/{{{XBRLI}}}entity/{{{XBRLI}}}identifier").text == "S\ufffd pool P\ufffd"
    found = {d.message.split(":")[0] for d in emitter.diagnostics(hostile)}
    assert {"statement title", "series", "pool", f"class of {facts[0].concept}", facts[1].concept} <= found


def _period(root, fact) -> tuple:
    context = root.find(f"{{{XBRLI}}}context[@id='{fact.get('contextRef')}']/{{{XBRLI}}}period")
    return tuple((etree.QName(e).localname, e.text) for e in context)


def test_balances_are_instants_and_flows_durations(instance):
    found = {etree.QName(e).localname: e for e in items(instance)}
    assert _period(instance, found["EndingBalance"]) == (("instant", "2003-12-15"),)
    assert _period(instance, found["DelinquentBalance"]) == (("instant", "2003-12-15"),)
    for flow in ("InterestDistribution", "PrincipalDistribution", "RealizedLoss", "NetLiquidationProceeds"):
        assert _period(instance, found[flow]) == (("startDate", "2003-12-15"), ("endDate", "2003-12-15")), flow
    assert period_type("cumulative_realized_losses") == "instant" and period_type("outstanding_advances") == "instant"
    assert period_type("liquidated_loan_count") == "duration" and period_type("loan_count") == "instant"


AAMES = "corpus/filings/aames-1998-c_8k_1998-12-15.sgml.txt"


def test_with_a_cik_the_entity_is_the_registrant_as_the_sec_knows_it(tmp_path):
    instance = write(compiled(AAMES), tmp_path, "aames")
    root = etree.parse(str(instance)).getroot()
    identifiers = {(i.get("scheme"), i.text) for i in root.iter(f"{{{XBRLI}}}identifier")}
    assert identifiers == {("http://www.sec.gov/CIK", "0000913951")}
    dei = {etree.QName(e).localname: e.text for e in root if isinstance(e.tag, str) and etree.QName(e).namespace == DEI}
    assert dei == {"EntityCentralIndexKey": "0000913951", "DocumentType": "8-K", "DocumentPeriodEndDate": "1998-12-15",
                   "EntityRegistrantName": "AAMES CAPITAL CORPORATION", "EntityIncorporationStateCountryCode": "CA",
                   "EntityFileNumber": "333-46893-01", "EntityTaxIdentificationNumber": "95-4438859",
                   "EntityAddressPostalZipCode": "90071",
                   "EntityAddressAddressLine1": "350 SOUTH GRAND AVENUE, LOS ANGELES, CALIFORNIA",
                   "CityAreaCode": "213", "LocalPhoneNumber": "210-5000"}
    # the series is a dimension now that the entity is the registrant
    members = {m.get("dimension"): m.text for m in root.iter("{http://xbrl.org/2006/xbrldi}explicitMember")}
    assert members["f:SeriesAxis"] == "f:Series_1998-C"
    assert arelle_messages(instance) == []


def test_a_cover_value_without_the_secs_form_stays_a_trustc_item(reference):
    root = etree.fromstring(trustc.emit(reference, "xml").encode())
    found = {etree.QName(e).localname: e.text for e in root if isinstance(e.tag, str)}
    assert found["EntityIncorporationStateCountryCode"] == "NY"  # "New York"
    text = Path(reference.source.path).read_text(encoding="utf-8").replace("13-3354848", "Applied for", 1)
    other = trustc.compile_text(text, name="x.txt")
    root = etree.fromstring(trustc.emit(other, "xml").encode())
    assert root.findtext(f"{{{NS}}}EntityTaxIdentificationNumber") == "Applied for"
    assert root.find(f"{{{DEI}}}EntityTaxIdentificationNumber") is None


def test_flows_run_from_the_distribution_period_start_a_cover_gives(reference):
    """A 10-D cover prints the distribution period; its start begins the flows' duration."""
    import datetime

    import attrs

    from trustc.compiler.ast import Field

    start = Field(datetime.date(2003, 11, 25), "November 25, 2003", reference.cover.fields["report_date"].span)
    end = Field(datetime.date(2003, 12, 15), "December 15, 2003", start.span)
    cover = attrs.evolve(reference.cover, fields={**reference.cover.fields, "distribution_period_start": start,
                                                  "distribution_period_end": end})
    root = etree.fromstring(trustc.emit(attrs.evolve(reference, cover=cover), "xml").encode())
    found = {etree.QName(e).localname: e for e in items(root)}
    assert _period(root, found["InterestDistribution"]) == (("startDate", "2003-11-25"), ("endDate", "2003-12-15"))
    assert _period(root, found["EndingBalance"]) == (("instant", "2003-12-15"),)
