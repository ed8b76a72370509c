"""Account balances a 10-D's Item 9 affirms ("Collection Account Balance / Prior Distribution Date: date
amount"): facts of the form-8k layout, on the corpus 10-D (HTML) and on small text and HTML cases."""
from __future__ import annotations

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest

import trustc

from .helpers import compiled

TEN_D = "corpus/filings/cgcmt-2016-p5_10-d_2025-01-13.html.txt"
ACCOUNTS = [
    ("Collection Account", "Master Servicer"),
    ("Loan Combination Custodial Account", "Master Servicer"),
    ("REO Account", "Master Servicer"),
    ("Distribution Account", "Certificate Administrator"),
    ("Interest Reserve Account", "Certificate Administrator"),
    ("Excess Interest Distribution Account", "Certificate Administrator"),
    ("Excess Liquidation Proceeds Reserve Account", "Certificate Administrator"),
]


def balances(compilation):
    return [s for s in compilation.statements if any(f.concept == "account_balance" for f in s.facts)]


def balance(statement, account, distribution):
    found = [f for f in statement.facts if f.concept == "account_balance" and f.dims["account"] == account
             and f.dims["distribution"] == distribution]
    assert len(found) == 1, (account, distribution, found)
    return found[0]


def codes(compilation):
    return [d.code for d in compilation.diagnostics]


# -- the corpus 10-D ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ten_d():
    return compiled(TEN_D)


@pytest.fixture(scope="module")
def item_9(ten_d):
    found = balances(ten_d)
    assert len(found) == 1
    return found[0]


def test_the_10d_item_9_balances_are_facts_of_the_10d_document(ten_d, item_9):
    assert (item_9.format, item_9.title, item_9.document) == ("form-8k", "Item 9. Other Information.", 1)
    assert str(item_9.distribution_date.value) == "2025-01-13" and item_9.classes == ()
    amounts = [f for f in item_9.facts if f.concept == "account_balance"]
    dates = [f for f in item_9.facts if f.concept == "distribution_date"]
    assert len(amounts) == 14 and len(dates) == 14 and len(item_9.facts) == 28
    assert list(dict.fromkeys((f.dims["account"], f.dims["reported_by"]) for f in amounts)) == ACCOUNTS
    assert balance(item_9, "Collection Account", "prior").value == Decimal("11700.00")
    assert balance(item_9, "Collection Account", "current").value == Decimal("111014.81")
    assert balance(item_9, "Interest Reserve Account", "current").value == Decimal("85779.81")
    assert balance(item_9, "Distribution Account", "prior").value == Decimal("38.46")
    assert {f.value for f in dates} == {datetime.date(2024, 12, 12), datetime.date(2025, 1, 13)}
    # every figure of Item 9 is a fact now: the accounting pass has nothing left to report
    assert "unread-figure" not in codes(ten_d) and "missing-figure" not in codes(ten_d)


def test_the_facts_point_into_the_html_source(item_9):
    prior = balance(item_9, "Collection Account", "prior")
    assert prior.raw == "$11,700.00" and prior.dims["distribution_date"] == "12/12/2024"
    assert (prior.span.line, prior.span.column, prior.span.end_column) == (306, 134, 144)
    line = Path(TEN_D).read_text(encoding="utf-8").split("\n")[305]
    assert line[133:143] == "$11,700.00"
    date = next(f for f in item_9.facts if f.concept == "distribution_date" and f.span.line == 304)
    assert date.raw == "12/12/2024" and date.dims == prior.dims


def test_the_item_text_is_unchanged(ten_d):
    item = next(i for i in ten_d.cover.items if i["item"] == "9")
    assert re.search(r"Collection Account Balance Prior Distribution Date: +12/12/2024 +\$11,700\.00", item["text"])


def test_snapshot_of_the_10d_item_9_facts(item_9, snapshot):
    lines = [f"{f.span.line}:{f.span.column} {f.concept} "
             f"[{','.join(f'{k}={v}' for k, v in sorted(f.dims.items()))}] {f.raw!r} = {f.value}" for f in item_9.facts]
    assert "\n".join(lines) == snapshot


# -- small hand-made cases ------------------------------------------------------------------------------------

COVER = """\
                     UNITED STATES
          SECURITIES AND EXCHANGE COMMISSION
                Washington, D.C. 20549

                       FORM 10-D

            ASSET-BACKED ISSUER DISTRIBUTION REPORT

For the monthly distribution period from: March 16, 2024 to April 15, 2024

Commission File Number of issuing entity: 333-111111-01
Central Index Key Number of issuing entity: 0001111111

                Example Commercial Mortgage Trust 2020-X1
      (Exact name of issuing entity as specified in its charter)

PART I - DISTRIBUTION INFORMATION

Item 1. Distribution and Pool Performance Information.

The distribution report is attached as Exhibit 99.1 to this Form 10-D.

PART II - OTHER INFORMATION

Item 9. Other Information.

"""
SIGNATURE = """
Item 10. Exhibits.

Exhibit 99.1   Monthly report distributed to holders of the certificates.

                               SIGNATURES

Pursuant to the requirements of the Securities Exchange Act of 1934, the
registrant has duly caused this report to be signed on its behalf by the
undersigned thereunto duly authorized.

Example Depositor Inc.
(Depositor)

/s/ Jane Doe
Jane Doe, President

Date: April 25, 2024
"""
SENTENCE = """\
Example Servicing LLC, in its capacity as Master Servicer for Example
Commercial Mortgage Trust 2020-X1, affirms the following amounts in the
respective accounts:

"""
ACCOUNTS_TEXT = """\
Collection Account Balance
   Prior Distribution Date:      03/15/2024      $1,234,567.89
   Current Distribution Date:    04/15/2024      $2,000,000.00

Reserve Fund Balance
   Prior Distribution Date:      03/15/2024      $ 500.00
   Current Distribution Date:    04/15/2024      (12.50)
"""


def text_10d(body: str) -> str:
    return COVER + body + SIGNATURE


def compile_10d(body: str):
    compilation = trustc.compile_text(text_10d(body), name="example-10d.txt")
    assert [d.layout for d in compilation.documents] in ([], ["form-8k"])
    assert compilation.unparsed == () and "internal-error" not in codes(compilation)
    return compilation


def test_a_text_10d():
    compilation = compile_10d(SENTENCE + ACCOUNTS_TEXT)
    [statement] = balances(compilation)
    assert statement.format == "form-8k" and str(statement.distribution_date.value) == "2024-04-15"
    assert balance(statement, "Collection Account", "prior").value == Decimal("1234567.89")
    assert balance(statement, "Collection Account", "current").raw == "$2,000,000.00"
    reserve = balance(statement, "Reserve Fund", "prior")  # "$ 500.00": the figure after the "$ "
    assert (reserve.value, reserve.raw, reserve.span.column) == (Decimal("500.00"), "500.00", 52)
    assert balance(statement, "Reserve Fund", "current").value == Decimal("-12.50")
    # the capacity is read from the sentence across its lines
    assert {f.dims["reported_by"] for f in statement.facts} == {"Master Servicer"}
    assert compilation.diagnostics == ()


def test_two_parties_each_with_their_accounts():
    second = ("\nTrustee Bank, N.A., in its capacity as Certificate Administrator, affirms the following:\n\n"
              "Distribution Account Balance\n   Prior Distribution Date:   03/15/2024   $10.00\n"
              "   Current Distribution Date:   04/15/2024   $11.00\n")
    [statement] = balances(compile_10d(SENTENCE + ACCOUNTS_TEXT + second))
    assert balance(statement, "Reserve Fund", "current").dims["reported_by"] == "Master Servicer"
    assert balance(statement, "Distribution Account", "current").dims["reported_by"] == "Certificate Administrator"


def test_no_sentence_naming_a_capacity_gives_no_reported_by():
    [statement] = balances(compile_10d(ACCOUNTS_TEXT))
    assert all("reported_by" not in f.dims for f in statement.facts) and len(statement.facts) == 8


def test_a_missing_amount_and_a_missing_date_are_warnings_and_the_rest_is_read():
    damaged = ACCOUNTS_TEXT.replace("$1,234,567.89", "").replace("04/15/2024      (12.50)", "(12.50)")
    compilation = compile_10d(SENTENCE + damaged)
    [statement] = balances(compilation)
    assert not [f for f in statement.facts if f.concept == "account_balance" and f.dims["account"] == "Collection "
                "Account" and f.dims["distribution"] == "prior"]
    prior_date = next(f for f in statement.facts if f.concept == "distribution_date")
    assert prior_date.dims == {"account": "Collection Account", "distribution": "prior",
                               "distribution_date": "03/15/2024", "reported_by": "Master Servicer"}
    undated = balance(statement, "Reserve Fund", "current")
    assert undated.value == Decimal("-12.50") and "distribution_date" not in undated.dims
    missing = [d for d in compilation.diagnostics if d.code == "missing-figure"]
    assert [(d.span.line, d.message) for d in missing] == [
        (32, "Collection Account Balance, Prior Distribution Date: no balance is printed"),
        (37, "Reserve Fund Balance, Current Distribution Date: no date is printed")]
    assert [d.severity for d in missing] == ["warning", "warning"]
    assert "unread-figure" not in codes(compilation)


def test_an_extra_account_is_read_like_the_others():
    extra = "\n*Servicing Advance Account Balance\n   Prior Distribution Date:  03/15/2024  $7.00\n" \
            "   Current Distribution Date:  04/15/2024  $8.00\n*As provided by the Special Servicer\n"
    compilation = compile_10d(SENTENCE + ACCOUNTS_TEXT + extra)
    [statement] = balances(compilation)
    assert balance(statement, "Servicing Advance Account", "current").value == Decimal("8.00")
    assert len([f for f in statement.facts if f.concept == "account_balance"]) == 6
    assert compilation.diagnostics == ()


def test_balance_lines_with_no_label_above_them_are_named_not_guessed():
    compilation = compile_10d(SENTENCE + ACCOUNTS_TEXT.replace("Collection Account Balance\n", ""))
    [statement] = balances(compilation)
    assert {f.dims["account"] for f in statement.facts} == {"Reserve Fund"}
    unknown = [d for d in compilation.diagnostics if d.code == "unknown-label"]
    assert [d.span.line for d in unknown] == [31, 32]
    assert "no account is named above it" in unknown[0].message and "1,234,567.89" in unknown[0].message


def test_an_item_printing_a_distribution_date_and_no_balance_is_text():
    body = "Distribution Information\nCurrent Distribution Date:  April 15, 2024\n"
    compilation = compile_10d(body)
    assert balances(compilation) == [] and compilation.statements == () and compilation.diagnostics == ()
    assert "Current Distribution Date:  April 15, 2024" in compilation.cover.items[1]["text"]


HTML = """<html><body>
<p>FORM 10-D</p><p>SECURITIES AND EXCHANGE COMMISSION</p>
<p>For the monthly distribution period from: March 16, 2024 to April 15, 2024</p>
<p>Example Trust 2020-X1</p><p>(Exact name of issuing entity as specified in its charter)</p>
<p>PART II &#8211; OTHER INFORMATION</p>
<p><b>Item&nbsp;9. Other Information.</b></p>
<p>Example Servicing LLC, in its capacity as Master Servicer for Example Trust 2020-X1, affirms the
following amounts in the respective accounts:</p>
<table>
<tr><td>Collection Account Balance</td><td></td><td></td></tr>
<tr><td>Prior Distribution Date:</td><td>03/15/2024</td><td>$1,234.50</td></tr>
<tr><td>Current Distribution Date:</td><td>04/15/2024</td><td>$2,000.00</td></tr>
<tr><td>*REO Account Balance</td><td></td><td></td></tr>
<tr><td>Prior Distribution Date:</td><td>03/15/2024</td><td>$0.00</td></tr>
<tr><td>Current Distribution Date:</td><td>04/15/2024</td><td>$0.00</td></tr>
</table>
<p><b>Item&nbsp;10. Exhibits.</b></p>
<p>SIGNATURES</p><p>/s/ Jane Doe</p>
</body></html>
"""


def test_an_html_10d():
    compilation = trustc.compile_text(HTML, name="example-10d.htm")
    assert [d.content for d in compilation.documents] in ([], ["html"]) and compilation.unparsed == ()
    [statement] = balances(compilation)
    assert [(f.dims["account"], f.dims["distribution"], f.raw) for f in statement.facts if
            f.concept == "account_balance"] == [
        ("Collection Account", "prior", "$1,234.50"), ("Collection Account", "current", "$2,000.00"),
        ("REO Account", "prior", "$0.00"), ("REO Account", "current", "$0.00")]
    fact = balance(statement, "Collection Account", "current")
    line = HTML.split("\n")[fact.span.line - 1]
    assert line[fact.span.column - 1:fact.span.end_column - 1] == "$2,000.00"  # the span is in the HTML
    assert "unread-figure" not in codes(compilation) and "missing-figure" not in codes(compilation)


@pytest.mark.parametrize("gap", [" ", "      "])
def test_a_second_amount_on_a_balance_line_is_said_not_dropped(gap):
    """One balance per account and date: a figure after it is an unplaced-figure warning at its span,
    however it is spaced (a single space keeps it in the balance's cell for the accounting pass)."""
    damaged = ACCOUNTS_TEXT.replace("$1,234,567.89", f"$1,234,567.89{gap}$7.00")
    compilation = compile_10d(SENTENCE + damaged)
    [statement] = balances(compilation)
    assert balance(statement, "Collection Account", "prior").value == Decimal("1234567.89")
    [extra] = [d for d in compilation.diagnostics if d.code == "unplaced-figure"]
    line = text_10d(SENTENCE + damaged).splitlines()[extra.span.line - 1]
    assert line[extra.span.column - 1:extra.span.end_column - 1] == "$7.00"
    assert "'$7.00'" in extra.message and "Collection Account" in extra.message
    assert "unread-figure" not in codes(compilation)


def test_the_corpus_10d_damaged_in_its_html():
    """An amount cut out of the real filing, and one more account in its table: the rest is read."""
    text = Path(TEN_D).read_text(encoding="utf-8")
    text = text[:text.index("<DOCUMENT>", text.index("<DOCUMENT>") + 1)] + "</SEC-DOCUMENT>\n"  # the 10-D alone
    assert text.count("$111,014.81") == 1
    text = text.replace("$111,014.81", "")
    row = ('<TR><TD>Servicing Advance Account Balance</TD><TD></TD><TD></TD><TD></TD><TD></TD></TR>\n'
           '<TR><TD>Current Distribution Date:</TD><TD></TD><TD>01/13/2025</TD><TD></TD><TD>$5.00</TD></TR>\n')
    anchor = text.index("</TABLE>", text.index("Excess Liquidation Proceeds Reserve Account Balance"))
    text = text[:anchor] + row + text[anchor:]
    compilation = trustc.compile_text(text, name="damaged-10d.txt")
    [statement] = balances(compilation)
    assert balance(statement, "Servicing Advance Account", "current").value == Decimal("5.00")
    assert len([f for f in statement.facts if f.concept == "account_balance"]) == 14  # 13 of 14, and one more
    missing = [(d.span.line, d.message) for d in compilation.diagnostics if d.code == "missing-figure"]
    # the span's line is the HTML source's (the rendered line was 308); the message names none
    assert missing == [(text[:text.index("Current Distribution Date:", text.index("12/12/2024"))].count("\n") + 1,
                        "Collection Account Balance, Current Distribution Date: no balance is printed")]
    assert "unread-figure" not in codes(compilation)


def test_in_xbrl_a_prior_balance_is_an_instant_at_the_prior_distribution_date():
    from lxml import etree

    compilation = compile_10d(SENTENCE + ACCOUNTS_TEXT)
    root = etree.fromstring(trustc.emit(compilation, "xml").encode("utf-8"))
    ns = {"xbrli": "http://www.xbrl.org/2003/instance", "trustc": "http://xbrl.trustc.invalid/taxonomy/2026"}
    instants = {c.get("id"): c.findtext(".//xbrli:instant", namespaces=ns) for c in root.iterfind("xbrli:context", ns)}
    found = sorted((instants[f.get("contextRef")], f.text) for f in root.iterfind("trustc:AccountBalance", ns))
    assert found == [("2024-03-15", "1234567.89"), ("2024-03-15", "500.00"), ("2024-04-15", "-12.50"),
                     ("2024-04-15", "2000000.00")]


def test_in_the_csv_the_printed_date_has_a_column_of_its_own():
    import csv
    import io

    rows = list(csv.reader(io.StringIO(trustc.emit(compile_10d(SENTENCE + ACCOUNTS_TEXT), "csv"))))
    header = rows[0]
    assert len(header) == len(set(header))  # the statement's distribution_date and the dimension apart
    prior = next(dict(zip(header, r)) for r in rows[1:] if r[0] == "account_balance")
    assert (prior["account"], prior["distribution"], prior["dim_distribution_date"], prior["distribution_date"],
            prior["value"]) == ("Collection Account", "prior", "03/15/2024", "2024-04-15", "1234567.89")


def test_a_date_in_words_and_an_amount_before_the_date():
    body = ("Collection Account Balance\n   Prior Distribution Date:  December 12, 2024   $1,200.00\n"
            "   Current Distribution Date:  $1,300.00  (January 13, 2025)\n")
    compilation = compile_10d(SENTENCE + body)
    [statement] = balances(compilation)
    prior, current = balance(statement, "Collection Account", "prior"), balance(statement, "Collection Account",
                                                                               "current")
    assert (prior.value, prior.dims["distribution_date"]) == (Decimal("1200.00"), "December 12, 2024")
    assert (current.value, current.dims["distribution_date"]) == (Decimal("1300.00"), "January 13, 2025")
    assert compilation.diagnostics == ()
