"""The beginnings of 25 filings from many filers (corpus/partial/): cover pages across
filers, detection, and input cut mid-line.

Each file compiles with exit 0 or 1 and JSON on stdout (snapshot per file). What
each prints of its cover is extracted and what it does not print is listed in
`cover.missing`; a file that ends inside a structure says so with
`truncated-input` at the cut. Files that start with a statement or an HTML
table instead of a cover are not taken for a Form 8-K.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import trustc
from trustc.cli import main
from trustc.compiler.driver import claims
from trustc.compiler.layout import detect
from trustc.compiler.source import read_path

from .conftest import CORPUS, FILINGS, ROOT

PARTIAL = sorted((CORPUS / "partial").glob("*.txt"))
ALL_FIELDS = ("form_type", "report_date", "registrant", "state_of_incorporation", "commission_file_number",
              "irs_employer_id", "address", "zip", "phone")

# file (start of its name) -> (layout detected, error codes, cover fields missing)
# None as layout: no layout claims it (a statement or web page no layout reads yet).
EXPECTED = {
    "bamsec_structured-products": (None, {"unknown-layout"}, None),  # a web listing of exhibits
    "capedge_0001193125-03-011482_banc-one": ("form-8k", {"truncated-input"}, ()),  # HTML table cells ('|')
    # Statements no layout claims: the generic reader reads them (no layout is detected; the
    # driver falls back to it), every line placed, so no error.
    "capedge_0001193125-03-053433-3_mi-auto": (None, set(), None),  # servicing report, no cover
    "capedge_chec-funding": ("form-8k", {"truncated-input"}, ()),  # the whole cover on one line
    "incj_block-mortgage": ("form-8k", {"truncated-input"}, ()),  # "FROM 8-K" misprint
    # Cut after a complete signature block: nothing in the text shows the cut.
    "incj_chase-first-union": ("form-8k", set(), ()),
    "incj_conseco": ("form-8k", {"truncated-input"}, ()),
    "incj_green-tree": ("form-8k", {"truncated-input"}, ()),
    "incj_headlands": ("form-8k", {"truncated-input"}, ()),  # date above its caption
    "incj_money-store": ("form-8k", {"truncated-input"}, ("commission_file_number",)),  # printed blank
    "incj_pnc-student-loan": ("form-8k", {"truncated-input"}, ()),  # COMMISSION FILE NUMBER 333-… on one line
    "incj_student-loan-funding": ("form-8k", {"truncated-input"}, ()),  # phone inside the address block
    "incj_vanderbilt": ("form-8k", {"truncated-input"}, ()),
    "lawinsider_mh-contract": (None, set(), None),  # remittance report, no cover: generic
    "scribd_sarm-2007-10": (None, {"unknown-layout"}, None),  # distribution package, no cover
    # SEC-HEADER flattened onto one line, cut right after the SEC heading: only the form is printed.
    "secgov_0001021408-03-003079_first-chicago": ("form-8k", {"truncated-input"}, ALL_FIELDS[1:]),
    "secgov_0001056404-03-001544_salomon": ("form-8k", {"truncated-input"}, ()),  # one line, three IRS numbers
    "secgov_0001056404-05-002911_sarm-2005-7": ("form-8k", {"truncated-input"}, ("address", "zip", "phone")),
    "secgov_0001125282-04-000717_chase-credit": (None, {"unknown-layout"}, None),  # cut before the cover
    # Cover, items and signature complete; the LaSalle statement after it has no layout: unparsed.
    "secgov_cik1071246_sat31cbt": ("form-8k", {"unparsed-line"}, ()),
    "secgov_cik1216588_mst03001": ("form-8k", {"truncated-input"}, ()),  # values interleaved with captions
    "secgov_cik1288997_lb040208": (None, {"unknown-layout"}, None),  # HTML contents page
    "secgov_cik1307287_ex99": (None, set(), None),  # statement, no cover: generic
    "secgov_cik1400127_a35601exv99w1": (None, set(), None),  # servicer report, HTML cells: generic
    # A statement whose title US Bank's layout knows, and nothing else of it: one piece of evidence
    # claims no document (driver.claims), so the generic reader reads it whole, every line placed.
    "secgov_cik923147_household": (None, set(), None),
}


def expected(path: Path):
    (found,) = [v for k, v in EXPECTED.items() if path.name.startswith(k)]
    return found


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_every_partial_file_has_an_expectation():
    assert len(PARTIAL) == 25
    for path in PARTIAL:
        expected(path)


@pytest.mark.parametrize("path", PARTIAL, ids=lambda p: p.name[:48])
def test_partial_file_compiles_to_json(path, capsys, snapshot):
    layout, errors, missing = expected(path)
    status = main(["compile", rel(path)])
    out = capsys.readouterr().out
    data = json.loads(out)
    assert status == (1 if errors else 0)
    assert {d["code"] for d in data["diagnostics"] if d["severity"] == "error"} == errors
    if missing is None:
        assert data["cover"] is None
    else:
        assert tuple(data["cover"]["missing"]) == missing
        assert all(name in data["cover"] for name in ALL_FIELDS if name not in missing)
    assert out == snapshot


@pytest.mark.parametrize("path", PARTIAL, ids=lambda p: p.name[:48])
def test_detection_claims_only_covers(path):
    layout, _errors, _missing = expected(path)
    ranked = detect(read_path(str(path)).view())
    best = next((d for d in ranked if claims(d)), None)
    assert (best.layout if best else None) == layout
    form8k = next(d for d in ranked if d.layout == "form-8k")
    if layout != "form-8k":
        assert form8k.confidence < 0.2


@pytest.mark.parametrize("path", PARTIAL, ids=lambda p: p.name[:48])
def test_cover_spans_point_at_the_printed_values(path):
    compilation = trustc.compile_file(rel(path))
    if compilation.cover is None:
        return
    lines = read_path(str(path)).lines
    for name, field in compilation.cover.fields.items():
        s = field.span
        region = "\n".join(lines[s.line - 1 : s.end_line])
        region = region[s.column - 1 : len(region) - len(lines[s.end_line - 1]) + s.end_column - 1]
        if "\n" not in field.raw and s.line == s.end_line:
            assert region == field.raw, name
        else:  # a value joined from pieces: each piece is printed inside the span, in order
            at = 0
            for piece in field.raw.split("\n"):
                at = region.index(piece, at) + len(piece)
            assert region.startswith(field.raw.split("\n")[0]) and region.endswith(piece), name


@pytest.mark.parametrize("path", PARTIAL, ids=lambda p: p.name[:48])
def test_truncation_points_at_the_cut(path):
    compilation = trustc.compile_file(rel(path))
    lines = read_path(str(path)).lines
    for d in compilation.diagnostics:
        if d.code == "truncated-input" and d.span.line == len(lines):
            # cut mid-line: the span is the end of the last line, where the text stops
            assert (d.span.column, d.span.end_column) == (len(lines[-1]) + 1, len(lines[-1]) + 1)
            assert "mid-line" in d.message


COVERS = {
    "conseco": {"form_type": "8-K", "report_date": "2000-05-15", "registrant": "HOME EQUITY LOAN TRUST 2000-A",
                "state_of_incorporation": "Minnesota", "commission_file_number": "33-55853",
                "irs_employer_id": "Applied for", "zip": "55102-1639", "phone": "(651) 293-3400",
                "address": "1100 Landmark Towers, 345 St. Peter Street, Saint Paul, Minnesota"},
    "headlands": {"report_date": "1999-11-15", "registrant": "HEADLANDS MORTGAGE SECURITIES INC.",
                  "irs_employer_id": "68-0397342", "zip": "94939", "phone": "(415) 461-6790"},
    "pnc-student": {"report_date": "1998-01-26", "state_of_incorporation": "DELAWARE",
                    "commission_file_number": "333-25433-01", "irs_employer_id": "36-4142114", "zip": "60670"},
    "block-mortgage": {"form_type": "8-K", "commission_file_number": "333-14041", "irs_employer_id": "Applied For",
                       "state_of_incorporation": "New York", "zip": "92614"},
    "money-store": {"report_date": "1999-01-15", "registrant": "The Money Store, Inc.",
                    "state_of_incorporation": "New Jersey", "irs_employer_id": "Applied for"},
    "chec-funding": {"report_date": "2002-09-25", "state_of_incorporation": "Delaware",
                     "commission_file_number": "333-69800-03", "irs_employer_id": "76-2851805",
                     "address": "2728 North Harwood Dallas, Texas", "zip": "75201", "phone": "(214) 981-6811"},
    "banc-one": {"report_date": "2003-06-20", "registrant": "BANC ONE HELOC TRUST 1998-1",
                 "commission_file_number": "333-03911-10", "irs_employer_id": "36-1248602", "zip": "60670-0126",
                 "phone": "312-336-9730"},
    "salomon": {"irs_employer_id": "54-2105542", "other_irs_employer_ids": ["54-2105543", "54-2105544"],
                "commission_file_number": "333-83816-09", "zip": "21045"},
    "mst03001": {"state_of_incorporation": "New York (governing law of Pooling and Servicing Agreement)",
                 "commission_file_number": "333-98155-07", "irs_employer_id": "54-2120390",
                 "other_irs_employer_ids": ["54-2120392"]},
    "sat31cbt": {"state_of_incorporation": "Delaware", "commission_file_number": "001-16443",
                 "irs_employer_id": "13-4026700", "address": "1585 Broadway, New York, New York", "zip": "10036"},
}


@pytest.mark.parametrize("key", sorted(COVERS))
def test_cover_fields_across_filers(key):
    (path,) = [p for p in PARTIAL if key in p.name]
    fields = trustc.compile_file(rel(path)).cover.fields
    got = {name: (v.value if isinstance(v.value, (str, list)) else str(v.value)) for name, v in fields.items()}
    assert {name: got.get(name) for name in COVERS[key]} == COVERS[key]


@pytest.mark.parametrize("name, document, cover", [
    ("aames-1998-c_8k_1998-12-15.sgml.txt", 1, {
        "report_date": "1998-12-15", "registrant": "AAMES CAPITAL CORPORATION", "state_of_incorporation": "CALIFORNIA",
        "commission_file_number": "333-46893-01", "irs_employer_id": "95-4438859", "zip": "90071",
        "address": "350 SOUTH GRAND AVENUE, LOS ANGELES, CALIFORNIA", "phone": "(213) 210-5000"}),
    ("rfmsi-conduit_8k_2000-12-26.excerpt.txt", 1, {
        "report_date": "2000-12-26", "registrant": "RESIDENTIAL FUNDING MORTGAGE SECURITIES I, INC.",
        "state_of_incorporation": "Delaware", "commission_file_number": "333-72493", "irs_employer_id": "75-2006294",
        "zip": "55437", "address": "8400 Normandale Lake Boulevard, Minneapolis, Minnesota",
        "phone": "(612) 832-7000"}),
])
def test_8k_document_of_a_submission_compiles_clean(name, document, cover):
    compilation = trustc.compile_file(FILINGS / name)
    doc = compilation.documents[document - 1]
    assert doc.type == "8-K" and doc.layout == "form-8k"
    inside = range(doc.first_line, doc.last_line + 1)
    assert [u for u in compilation.unparsed if u.line in inside] == []
    assert [d for d in compilation.diagnostics if d.severity == "error" and d.span and d.span.line in inside] == []
    fields = compilation.cover.fields
    assert {k: str(fields[k].value) for k in cover} == cover
    assert compilation.cover.missing == ()
    (signature,) = [s for s in compilation.signatures if s.fields["signed_by"].span.line in inside]
    assert signature.fields["registrant"].value == cover["registrant"]
