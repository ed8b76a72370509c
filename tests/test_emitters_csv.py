"""CSV: tidy facts equal to the JSON's, per-table files, RFC 4180, formula injection neutralised."""
from __future__ import annotations

import csv
import io
import json

import pytest

import trustc
from trustc.cli import main
from trustc.emitters.csv import safe

from .helpers import compiled


def read(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture(scope="module")
def reference(reference_path):
    return compiled(reference_path)


def test_one_row_per_fact_values_exactly_the_json(reference):
    rows = read(trustc.emit(reference, "csv"))
    facts = json.loads(trustc.emit(reference, "json"), parse_float=str, parse_int=str)["statements"][0]["facts"]
    assert len(rows) == len(facts) == 386
    for row, fact in zip(rows, facts):
        value = fact["value"]
        expected = "" if value is None else {True: "true", False: "false"}.get(value, value)
        assert (row["concept"], row["value"], row["unit"], row["raw"]) == (
            fact["concept"], expected, fact["unit"], fact["raw"])
        assert {k: row[k] for k in ("class", "group", "bucket", "status") if row[k]} == fact["dims"]
        assert (row["line"], row["column"]) == (fact["span"]["line"], fact["span"]["column"])


def test_columns_and_exact_digits(reference):
    text = trustc.emit(reference, "csv")
    header = text.split("\r\n", 1)[0]
    assert header.startswith("concept,label,value,unit,class,group,bucket,status,raw,line,column,")
    rows = read(text)
    by = {(r["concept"], r["group"], r["bucket"]): r for r in rows}
    assert by[("delinquent_balance", "2", "30-59")]["value"] == "5857826.76"
    assert by[("delinquent_balance", "total", "90+")]["value"] == "3042968.8"
    assert by[("net_liquidation_proceeds", "1", "")]["value"] == "-779"  # a number, not neutralised
    assert by[("net_liquidation_proceeds", "1", "")]["raw"] == "(779)"
    a1 = {r["concept"]: r for r in rows if r["class"] == "A-1"}
    assert a1["pass_through_rate"]["value"] == "1.50000" and a1["realized_loss"]["value"] == ""
    assert a1["ending_balance"]["label"] == "Ending balance"  # the full label, not "End Bal"


def test_rfc4180_crlf_and_quoting(reference):
    text = trustc.emit(reference, "csv")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert '"397,000,000"' in text  # a comma inside a cell is quoted


@pytest.mark.parametrize("text, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tcmd", "'\tcmd"), ("-779", "-779"), ("-1,234.50", "-1,234.50"),
    ("+5", "+5"), ("A-1", "A-1"), ("(779)", "(779)"), ("-", "'-"),
])
def test_formula_injection(text, expected):
    assert safe(text) == expected


def test_registrant_with_script_is_plain_text(reference_path, tmp_path):
    text = open(reference_path, encoding="utf-8").read().replace(
        "Asset Backed Securities Corporation, Home Equity", "=cmd|' /C calc'!A0 <script>alert(1)</script> Home Equity", 1)
    filing = tmp_path / "evil.txt"
    filing.write_text(text, encoding="utf-8")
    rows = read(trustc.emit(trustc.compile_file(filing), "csv"))
    assert rows[0]["registrant"].startswith("'=cmd|' /C calc'!A0 <script>alert(1)</script> Home Equity")


def test_output_dir_writes_one_csv_per_table(reference_path, tmp_path):
    assert main(["compile", "--to", "csv", "-o", str(tmp_path), "-q", reference_path]) == 0
    stem = "absc-2003-he2_8k_2003-12-15"
    names = sorted(p.name[len(stem):] for p in tmp_path.iterdir() if p.name.startswith(stem))
    assert names == [".classes.csv", ".cover.csv", ".csv", ".deal.csv", ".delinquency.csv", ".groups.csv",
                     ".loan-status.csv"]
    classes = read((tmp_path / f"{stem}.classes.csv").read_text(encoding="utf-8"))
    assert [r["class"] for r in classes][:3] == ["A-1", "A-2", "A-IO"]
    assert classes[0]["original_balance"] == "397000000" and classes[0]["cusip"] == "04541GDP4"
    delinquency = read((tmp_path / f"{stem}.delinquency.csv").read_text(encoding="utf-8"))
    assert delinquency[1] == {"statement": "1", "series": "2003-HE2", "pool": "", "bucket": "30-59",
                              "item": "delinquent_balance", "group_1": "12572214", "group_2": "5857826.76",
                              "group_total": "18430040.94"}
    cover = {r["field"]: r for r in read((tmp_path / f"{stem}.cover.csv").read_text(encoding="utf-8"))}
    assert cover["commission_file_number"]["value"] == "333-86750"


def test_csv_snapshot(reference, snapshot):
    assert trustc.emit(reference, "csv") == snapshot
