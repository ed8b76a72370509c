"""Tests for trustc.compiler.envelope: the EDGAR submission envelope reader."""
from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustc.compiler.envelope import DocumentSlice, Envelope, read_envelope
from trustc.compiler.source import SourceText, decode, split_lines

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
AAMES = CORPUS / "filings" / "aames-1998-c_8k_1998-12-15.sgml.txt"
RFMSI = CORPUS / "filings" / "rfmsi-conduit_8k_2000-12-26.excerpt.txt"
ABSC = CORPUS / "filings" / "absc-2003-he2_8k_2003-12-15.txt"
FLATTENED_PEM = CORPUS / "partial" / "secgov_0001021408-03-003079_first-chicago-master-trust-ii_8k_2003-02.txt"

AAMES_BYTES = AAMES.read_bytes()
RFMSI_BYTES = RFMSI.read_bytes()


def load(path: Path):
    return decode(path.read_bytes(), str(path))


def text_source(text: str):
    return decode(text.encode("utf-8"), "<test>")


def any_source(text: str):
    """A SourceText for any text, control characters included (decode() would call it binary)."""
    lines, ends_with_newline = split_lines(text)
    return SourceText("<test>", text.encode("utf-8", "surrogatepass"), text, lines, [], ends_with_newline)


def all_fields(envelope, slices):
    if envelope is not None:
        yield from envelope.fields.values()
        for address in envelope.addresses.values():
            yield from address.values()
        for names in envelope.former_names:
            yield from names.values()
    for piece in slices:
        for field in (piece.type, piece.sequence, piece.filename, piece.description):
            if field is not None:
                yield field


def check_spans(source, envelope, slices):
    for field in all_fields(envelope, slices):
        span = field.span
        assert span.line == span.end_line
        assert field.raw
        assert source.lines[span.line - 1][span.column - 1 : span.end_column - 1] == field.raw


def check_partition(source, envelope, slices):
    """Every line lands in exactly one place: nothing is dropped, nothing counted twice."""
    total = len(source.lines)
    if envelope is None:
        assert slices == ([] if total == 0 else [DocumentSlice(None, None, None, None, 1, total, ())])
        return
    seen: list[int] = list(envelope.consumed_lines) + list(envelope.unknown_lines)
    previous_end = 0
    for piece in slices:
        assert piece.first_line <= piece.last_line + 1
        assert 1 <= piece.first_line <= total + 1
        assert piece.last_line <= total
        body = list(range(piece.first_line, piece.last_line + 1))
        assert min(piece.tag_lines + tuple(body)) > previous_end, "slices are in file order"
        previous_end = max(piece.tag_lines + tuple(body))
        seen.extend(piece.tag_lines)
        seen.extend(body)
    assert sorted(seen) == list(range(1, total + 1))
    assert list(envelope.consumed_lines) == sorted(envelope.consumed_lines)
    assert list(envelope.unknown_lines) == sorted(envelope.unknown_lines)


def read_checked(source):
    envelope, slices = read_envelope(source)
    check_partition(source, envelope, slices)
    check_spans(source, envelope, slices)
    return envelope, slices


def values(mapping):
    return {key: field.value for key, field in mapping.items()}


def describe(piece: DocumentSlice):
    value = lambda f: None if f is None else f.value  # noqa: E731
    return (value(piece.type), value(piece.sequence), value(piece.filename), value(piece.description),
            piece.first_line, piece.last_line)


# --- the real filings -------------------------------------------------------------------------


def test_aames_sec_header_form():
    source = load(AAMES)
    envelope, slices = read_checked(source)
    assert isinstance(envelope, Envelope)
    assert envelope.form == "sec-header"
    assert values(envelope.fields) == {
        "accession_number": "0001011438-98-000429",
        "form_type": "8-K",
        "public_document_count": 2,
        "period": datetime.date(1998, 12, 15),
        "filing_date": datetime.date(1998, 12, 31),
        "filer_name": "AAMES CAPITAL CORP",
        "cik": "0000913951",
        "sic": "6189",
        "irs_number": "954438859",
        "state_of_incorporation": "CA",
        "fiscal_year_end": "0630",
        "file_number": "033-70636",
        "film_number": "98779541",
    }
    assert envelope.fields["sic"].raw == "ASSET-BACKED SECURITIES [6189]"
    assert envelope.fields["accession_number"].span.line == 13
    assert values(envelope.addresses["business"]) == {
        "street1": "350 SOUTH GRAND AVE 52ND FLOOR",
        "street2": "C/O GARY K JUDIS",
        "city": "LOS ANGELES",
        "state": "CA",
        "zip": "90071",
        "phone": "2132105000",
    }
    assert values(envelope.addresses["mail"]) == {
        "street1": "350 SOUTH GRAND AVE",
        "street2": "3731 WILSHIRE BLVD 2ND FLOOR",
        "city": "LOS ANGELES",
        "state": "CA",
        "zip": "90071",
    }
    assert envelope.former_names == ()
    # The PEM wrapper, the whole header and the closing tags are understood.
    assert envelope.unknown_lines == ()
    assert envelope.consumed_lines == tuple(range(1, 51)) + (670, 671)
    assert [describe(piece) for piece in slices] == [
        ("8-K", 1, None, "CURRENT REPORT", 56, 153),
        ("EX-20.1", 2, None, "STATEMENT TO CERTIFICATEHOLDERS", 161, 667),
    ]
    assert slices[0].tag_lines == (51, 52, 53, 54, 55, 154, 155)
    assert slices[1].tag_lines == (156, 157, 158, 159, 160, 668, 669)
    assert source.lines[slices[1].first_line - 1] == ""
    assert source.lines[slices[1].last_line - 1] == "</TABLE>"


def test_rfmsi_submission_form():
    source = load(RFMSI)
    envelope, slices = read_checked(source)
    assert envelope.form == "submission"
    assert values(envelope.fields) == {
        "accession_number": "0000774352-01-000002",
        "form_type": "8-K",
        "public_document_count": 2,
        "period": datetime.date(2000, 12, 26),
        "filing_date": datetime.date(2001, 1, 2),
        "filer_name": "RESIDENTIAL FUNDING MORTGAGE SECURITIES I INC",
        "cik": "0000774352",
        "sic": "6189",
        "irs_number": "752006294",
        "state_of_incorporation": "DE",
        "fiscal_year_end": "1231",
        "file_number": "333-57481",
        "film_number": "1500337",
        "items": "5",
        "sec_act": "34",
    }
    assert values(envelope.addresses["business"]) == {
        "street1": "8400 NORMANDALE LAKE BLVD",
        "street2": "SUITE 600",
        "city": "MINNEAPOLIS",
        "state": "MN",
        "zip": "55437",
        "phone": "6128327000",
    }
    assert "mail" not in envelope.addresses
    assert [values(names) for names in envelope.former_names] == [
        {"name": "SALOMON BROTHERS MORTGAGE SECURITIES IV INC", "date_changed": datetime.date(1987, 5, 6)}
    ]
    assert envelope.unknown_lines == ()
    assert (envelope.fields["items"].value, envelope.fields["sec_act"].value) == ("5", "34")
    assert envelope.fields["items"].span.line == 6 and envelope.fields["sec_act"].span.line == 19
    assert envelope.consumed_lines == tuple(range(1, 36)) + (11277,)
    assert [describe(piece) for piece in slices] == [
        ("8-K", 1, "0001.txt", "RFMSI 12/26/2000 FIN DISTRIBUTION REPORT", 42, 220),
        ("EX-1", 2, "0002.txt", "FINANCIAL DISTRIBUTION REPORT", 229, 11274),
    ]
    assert slices[0].tag_lines == (36, 37, 38, 39, 40, 41, 221, 222)
    assert slices[1].tag_lines == (223, 224, 225, 226, 227, 228, 11275, 11276)
    assert len(source.lines) == 11277


def test_plain_file_has_no_envelope():
    source = load(ABSC)
    envelope, slices = read_envelope(source)
    assert envelope is None
    assert slices == [DocumentSlice(None, None, None, None, 1, len(source.lines), ())]


def test_flattened_pem_text_is_not_an_envelope():
    # A browser rendering of a submission: the PEM marker is there but every tag
    # was stripped and the header run into one line; nothing to read as envelope.
    source = load(FLATTENED_PEM)
    envelope, slices = read_envelope(source)
    assert envelope is None
    assert [(s.first_line, s.last_line) for s in slices] == [(1, len(source.lines))]


def test_spans_point_at_the_printed_values():
    for path in (AAMES, RFMSI):
        source = load(path)
        envelope, slices = read_envelope(source)
        fields = list(all_fields(envelope, slices))
        assert len(fields) > 20
        check_spans(source, envelope, slices)
    # Tabs count one column each.
    source = load(AAMES)
    envelope, _ = read_envelope(source)
    assert envelope.fields["filer_name"].span.as_dict() == {
        "line": 23, "column": 29, "end_line": 23, "end_column": 47,
    }
    assert envelope.fields["sic"].span.column == 39


# --- edge inputs ------------------------------------------------------------------------------


def test_empty_input():
    assert read_envelope(text_source("")) == (None, [])


def test_blank_only_input_is_one_document():
    source = text_source("\n  \n\t\n")
    assert read_envelope(source) == (None, [DocumentSlice(None, None, None, None, 1, 3, ())])


def test_crlf_input_reads_the_same():
    lf = load(AAMES)
    crlf = decode(AAMES_BYTES.replace(b"\n", b"\r\n"), "crlf")
    assert read_envelope(lf) == read_envelope(crlf)


def test_leading_blank_lines_before_the_envelope():
    source = decode(b"\n\n" + RFMSI_BYTES, "padded")
    envelope, slices = read_checked(source)
    assert envelope.form == "submission"
    assert envelope.consumed_lines[:3] == (1, 2, 3)
    assert envelope.fields["accession_number"].span.line == 4
    assert [(s.first_line, s.last_line) for s in slices] == [(44, 222), (231, 11276)]


# --- truncation -------------------------------------------------------------------------------


def cut_lines(data: bytes, keep: int):
    return decode(b"\n".join(data.split(b"\n")[:keep]), "cut")


def test_cut_inside_the_pem_wrapper():
    envelope, slices = read_checked(cut_lines(AAMES_BYTES, 4))
    assert envelope.form == "sec-header"
    assert envelope.fields == {}
    assert envelope.consumed_lines == (1, 2, 3, 4)
    assert slices == []


def test_cut_inside_the_header():
    envelope, slices = read_checked(cut_lines(AAMES_BYTES, 30))
    assert slices == []
    assert envelope.fields["accession_number"].value == "0001011438-98-000429"
    assert envelope.fields["fiscal_year_end"].value == "0630"
    assert "file_number" not in envelope.fields  # line 33, cut away
    assert envelope.addresses == {}
    assert envelope.unknown_lines == ()


def test_cut_inside_an_address():
    envelope, slices = read_checked(cut_lines(AAMES_BYTES, 39))
    assert values(envelope.addresses["business"]) == {
        "street1": "350 SOUTH GRAND AVE 52ND FLOOR", "street2": "C/O GARY K JUDIS", "city": "LOS ANGELES",
    }
    assert slices == []


def test_cut_inside_a_document_head():
    envelope, slices = read_checked(cut_lines(AAMES_BYTES, 53))
    assert [describe(s) for s in slices] == [("8-K", 1, None, None, 54, 53)]
    assert slices[0].tag_lines == (51, 52, 53)


def test_cut_right_after_text_tag():
    envelope, slices = read_checked(cut_lines(AAMES_BYTES, 160))
    assert [describe(s) for s in slices] == [
        ("8-K", 1, None, "CURRENT REPORT", 56, 153),
        ("EX-20.1", 2, None, "STATEMENT TO CERTIFICATEHOLDERS", 161, 160),
    ]


def test_cut_inside_a_body_runs_to_the_end():
    envelope, slices = read_checked(cut_lines(AAMES_BYTES, 400))
    assert [describe(s)[-2:] for s in slices] == [(56, 153), (161, 400)]
    envelope, slices = read_checked(cut_lines(RFMSI_BYTES, 5000))
    assert [describe(s)[-2:] for s in slices] == [(42, 220), (229, 5000)]
    assert values(envelope.fields)["cik"] == "0000774352"


def test_cut_mid_line_inside_a_value():
    # Line 10 is "<CONFORMED-NAME>RESIDENTIAL FUNDING ..."; cut in the middle of it.
    data = RFMSI_BYTES[: RFMSI_BYTES.index(b"FUNDING MORTGAGE")]
    envelope, slices = read_checked(decode(data, "cut"))
    assert envelope.fields["filer_name"].value == "RESIDENTIAL"
    assert slices == []


def test_missing_closing_tags():
    text = "<SUBMISSION>\n<TYPE>8-K\n<DOCUMENT>\n<TYPE>8-K\n<TEXT>\nbody\n<DOCUMENT>\nmore\n"
    envelope, slices = read_checked(text_source(text))
    # Only </TEXT> ends a body: the second <DOCUMENT> is body text.
    assert [describe(s) for s in slices] == [("8-K", None, None, None, 6, 8)]


# --- header details ---------------------------------------------------------------------------


SEC_HEADER = """\
<SEC-DOCUMENT>0000000000-03-000001.txt : 20030218
<SEC-HEADER>0000000000-03-000001.hdr.sgml : 20030218
<ACCEPTANCE-DATETIME>20030218144610
ACCESSION NUMBER:\t\t0000000000-03-000001
CONFORMED SUBMISSION TYPE:\t8-K
PUBLIC DOCUMENT COUNT:\t\t1
CONFORMED PERIOD OF REPORT:\t20031332
ITEM INFORMATION:\t\tOther events
FILED AS OF DATE:\t\t20030218

FILER:

\tCOMPANY DATA:\t
\t\tCOMPANY CONFORMED NAME:\t\t\tFIRST TRUST
\t\tCENTRAL INDEX KEY:\t\t\t0000863856
\t\tSTANDARD INDUSTRIAL CLASSIFICATION:\tUNKNOWN SIC - 0000 [0000]

\tFILING VALUES:
\t\tFORM TYPE:\t\t8-K/A
\t\tSEC ACT:\t\t1934 Act
\t\tSEC FILE NUMBER:\t000-19400

\tFORMER COMPANY:
\t\tFORMER CONFORMED NAME:\tOLD NAME ONE
\t\tDATE OF NAME CHANGE:\t19920703

\tFORMER COMPANY:
\t\tFORMER CONFORMED NAME:\tOLD NAME TWO
\t\tDATE OF NAME CHANGE:\t19990927

FILER:

\tCOMPANY DATA:
\t\tCOMPANY CONFORMED NAME:\t\t\tSECOND FILER BANK
\t\tCENTRAL INDEX KEY:\t\t\t0000819975

\tBUSINESS ADDRESS:
\t\tCITY:\t\t\tWILMINGTON
</SEC-HEADER>
<DOCUMENT>
<TYPE>8-K
<SEQUENCE>one
<FILENAME>d8k.htm
<DESCRIPTION>FORM 8-K
<TEXT>
<HTML>body</HTML>
</TEXT>
</DOCUMENT>
</SEC-DOCUMENT>
"""


def test_sec_header_details():
    source = text_source(SEC_HEADER)
    envelope, slices = read_checked(source)
    unknown = {source.lines[n - 1].strip() for n in envelope.unknown_lines}
    assert values(envelope.fields) == {
        "accession_number": "0000000000-03-000001",
        "form_type": "8-K",
        "public_document_count": 1,
        "filing_date": datetime.date(2003, 2, 18),
        "filer_name": "FIRST TRUST",
        "cik": "0000863856",
        "sic": "0000",
        "file_number": "000-19400",
        "items": "Other events",
        "sec_act": "1934 Act",
        "acceptance_datetime": datetime.datetime(2003, 2, 18, 14, 46, 10),
    }
    assert [values(n) for n in envelope.former_names] == [
        {"name": "OLD NAME ONE", "date_changed": datetime.date(1992, 7, 3)},
        {"name": "OLD NAME TWO", "date_changed": datetime.date(1999, 9, 27)},
    ]
    # The second filer's lines have no place: reported, never merged into the first.
    assert envelope.addresses == {}
    assert unknown == {
        "CONFORMED PERIOD OF REPORT:\t20031332",  # not a date
        "FORM TYPE:\t\t8-K/A",  # contradicts CONFORMED SUBMISSION TYPE
        "FILER:",
        "COMPANY DATA:",
        "COMPANY CONFORMED NAME:\t\t\tSECOND FILER BANK",
        "CENTRAL INDEX KEY:\t\t\t0000819975",
        "BUSINESS ADDRESS:",
        "CITY:\t\t\tWILMINGTON",
        "<SEQUENCE>one",
    }
    assert [describe(s) for s in slices] == [("8-K", None, "d8k.htm", "FORM 8-K", 46, 46)]
    assert source.lines[45] == "<HTML>body</HTML>"


def test_ims_header_and_unknown_heading():
    text = (
        "<IMS-DOCUMENT>0000000000-95-000001.txt : 19950101\n"
        "<IMS-HEADER>0000000000-95-000001.hdr.sgml : 19950101\n"
        "ACCESSION NUMBER:\t\t0000000000-95-000001\n"
        "FILER:\n"
        "\tBUSINESS ADDRESS:\n"
        "\t\tCITY:\t\tBOSTON\n"
        "\tSOMETHING NEW:\n"
        "\t\tCITY:\t\tSALEM\n"
        "</IMS-HEADER>\n"
    )
    source = text_source(text)
    envelope, slices = read_checked(source)
    assert envelope.form == "sec-header"
    assert values(envelope.addresses["business"]) == {"city": "BOSTON"}
    # Keys under an unknown heading must not land in the previous section.
    assert envelope.unknown_lines == (7, 8)
    assert slices == []


def test_document_without_text_tag():
    text = (
        "<SUBMISSION>\n<ACCESSION-NUMBER>1\n<DOCUMENT>\n<TYPE>EX-99\n</DOCUMENT>\n"
        "<DOCUMENT>\n<TYPE>EX-1\n<DOCUMENT>\n<TYPE>EX-2\n<TEXT>\nx\n</TEXT>\nstray\n</DOCUMENT>\n</SUBMISSION>\n"
    )
    source = text_source(text)
    envelope, slices = read_checked(source)
    assert [describe(s) for s in slices] == [
        ("EX-99", None, None, None, 5, 4),
        ("EX-1", None, None, None, 8, 7),
        ("EX-2", None, None, None, 11, 11),
    ]
    assert envelope.unknown_lines == (13,)


def test_long_lines_are_fast():
    long = "A" * 100_000
    texts = [
        "<SUBMISSION>\n<CONFORMED-NAME>" + long + "\n<" + long + "\n" + long + ":\n",
        "<SEC-HEADER>\n" + "A " * 50_000 + ":x\n" + "<" + "A-" * 50_000 + "\n" + "\t" * 100_000 + "X\n",
        "<SUBMISSION>\n<DOCUMENT>\n<SEQUENCE>" + "9" * 100_000 + "\n<TEXT>\n" + "</TEXT>" + " " * 100_000 + "x\n",
        "-----BEGIN PRIVACY-ENHANCED MESSAGE-----\n" + "A" * 100_000 + ":\n" + " " * 100_000 + "\n",
    ]
    started = time.perf_counter()
    for text in texts:
        read_checked(text_source(text))
    assert time.perf_counter() - started < 2.0


def test_huge_sequence_number_is_unknown_not_a_crash():
    text = "<SUBMISSION>\n<DOCUMENT>\n<SEQUENCE>" + "9" * 5000 + "\n<TEXT>\n</TEXT>\n"
    envelope, slices = read_checked(text_source(text))
    assert slices[0].sequence is None
    assert envelope.unknown_lines == (3,)


# --- robustness -------------------------------------------------------------------------------

ROBUST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ENVELOPE_WORDS = st.sampled_from(
    [
        "<SEC-DOCUMENT>x", "<SEC-HEADER>", "</SEC-HEADER>", "<SUBMISSION>", "</SUBMISSION>", "<DOCUMENT>",
        "</DOCUMENT>", "<TYPE>8-K", "<SEQUENCE>1", "<TEXT>", "</TEXT>", "FILER:", "\tCOMPANY DATA:",
        "\t\tCITY:\tX", "\tBUSINESS ADDRESS:", "<FILER>", "</FILER>", "<COMPANY-DATA>", "<CIK>1",
        "-----BEGIN PRIVACY-ENHANCED MESSAGE-----", "-----END PRIVACY-ENHANCED MESSAGE-----",
        "ACCESSION NUMBER:\t1", "FILED AS OF DATE:\t20000230", "<PERIOD>20001226", "", " ", "\f",
        "<FORMER-COMPANY>", "\tFORMER COMPANY:", "\t\tDATE OF NAME CHANGE:\t19990101", "<",
    ]
)


@ROBUST
@given(st.text())
def test_random_text_never_raises(text):
    read_checked(any_source(text))


@ROBUST
@given(st.lists(st.one_of(ENVELOPE_WORDS, st.text(max_size=20)), max_size=40))
def test_random_envelope_shaped_lines_never_raise(lines):
    read_checked(any_source("\n".join(lines)))


@ROBUST
@given(st.sampled_from([AAMES_BYTES, RFMSI_BYTES]), st.data())
def test_random_cuts_of_real_files(data, draw):
    start = draw.draw(st.integers(0, min(len(data), 4000)))
    end = draw.draw(st.integers(start, len(data)))
    read_checked(decode(data[:end], "cut"))
    read_checked(decode(data[start:end], "cut"))


@ROBUST
@given(st.sampled_from([AAMES_BYTES, RFMSI_BYTES[:40_000]]), st.randoms(use_true_random=False))
def test_shuffled_lines_of_real_files(data, rng):
    lines = data.split(b"\n")
    head = lines[:300]
    rng.shuffle(head)
    read_checked(decode(b"\n".join(head + lines[300:]), "shuffled"))
    rng.shuffle(lines)
    read_checked(decode(b"\n".join(lines), "shuffled"))


@ROBUST
@given(st.sampled_from([AAMES_BYTES, RFMSI_BYTES[:40_000]]), st.lists(st.integers(0, 400), max_size=8))
def test_deleted_lines_of_real_files(data, drop):
    lines = data.split(b"\n")
    kept = [line for index, line in enumerate(lines) if index not in set(drop)]
    read_checked(decode(b"\n".join(kept), "damaged"))


@pytest.mark.parametrize("path", [AAMES, RFMSI, ABSC])
def test_every_line_accounted_for(path):
    read_checked(load(path))
