"""--to parquet: one dataset for a batch, read back with pyarrow and DuckDB, checked against the JSON."""
from __future__ import annotations

import json
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from trustc import batch
from trustc.cli import main

from .conftest import FILINGS, REFERENCE

pa_dataset = pytest.importorskip("pyarrow.dataset")
duckdb = pytest.importorskip("duckdb")


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """The corpus filings plus a copy of the reference dated a month later, as Parquet and as JSON."""
    root = tmp_path_factory.mktemp("parquet")
    src = root / "in"
    shutil.copytree(FILINGS, src)
    (src / "january.txt").write_bytes(REFERENCE.read_bytes().replace(b"15-Dec-03", b"15-Jan-04"))
    assert main(["compile", str(src), "-o", str(root / "pq"), "--to", "parquet", "-q", "--jobs", "2"]) in (0, 1)
    assert main(["compile", str(src), "-o", str(root / "json"), "-q", "--jobs", "2"]) in (0, 1)
    return root


def json_facts(root: Path) -> dict[tuple[str, int, int], dict]:
    facts = {}
    for record in (json.loads(line) for line in (root / "json" / batch.MANIFEST).read_text().splitlines()):
        data = json.loads((root / "json" / record["outputs"][0]).read_text(), parse_float=Decimal)
        for s_index, statement in enumerate(data["statements"], start=1):
            for f_index, fact in enumerate(statement["facts"], start=1):
                facts[(record["path"], s_index, f_index)] = {**fact, "statement": statement}
    return facts


def test_counts_and_values_match_the_json(compiled):
    expected = json_facts(compiled)
    table = pa_dataset.dataset(compiled / "pq" / "facts", partitioning="hive").to_table()
    assert table.num_rows == len(expected) > 700  # the reference twice, at least
    rows = table.to_pylist()
    seen = set()
    for row in rows:
        key = (row["source_path"], row["statement"], row["fact"])
        seen.add(key)
        fact = expected[key]
        st = fact["statement"]
        assert (row["concept"], row["label"], row["unit"], row["raw"]) == (
            fact["concept"], fact["label"], fact["unit"], fact["raw"])
        assert dict(row["dims"]) == fact["dims"]
        assert (row["line"], row["col"], row["end_line"], row["end_col"]) == tuple(fact["span"].values())
        assert (row["layout"], str(row["distribution_date"])) == (st["format"], st["distribution_date"])
        assert row["year"] == int(st["distribution_date"][:4])
        value = fact["value"]
        if isinstance(value, bool):
            assert (row["value_bool"], row["value"], row["value_decimal"]) == (value, str(value).lower(), None)
        elif isinstance(value, (Decimal, int)):
            # exact both ways: the text keeps the printed digits, the decimal the number
            assert row["value"] == str(value)
            assert row["value_decimal"] == Decimal(value)
        else:
            assert row["value"] == value and row["value_decimal"] is None
    assert seen == set(expected)
    decimals = [r for r in rows if r["value"] is not None and r["value_decimal"] is not None]
    assert any(r["value"] == "1.50000" for r in decimals)  # printed zeros survive in the text column


def test_duckdb_queries_the_whole_dataset(compiled):
    pattern = str(compiled / "pq" / "facts" / "**" / "*.parquet")
    con = duckdb.connect()
    per_year = dict(con.execute(
        f"select year, count(*) from read_parquet('{pattern}', hive_partitioning = true) group by year").fetchall())
    assert set(per_year) >= {2003, 2004} and per_year[2003] == per_year[2004]
    a1 = con.execute(
        f"select value, value_decimal, raw from read_parquet('{pattern}', hive_partitioning = true) "
        "where year = 2004 and concept = 'ending_balance' and dims['class'] = 'A-1'").fetchall()
    assert a1 == [("314665768", Decimal("314665768"), "314,665,768")]
    total = con.execute(
        f"select sum(value_decimal) from read_parquet('{pattern}', hive_partitioning = true) "
        "where year = 2003 and concept = 'pass_through_rate'").fetchone()[0]
    assert isinstance(total, Decimal)


def test_manifest_lists_the_parquet_files(compiled):
    records = [json.loads(line) for line in (compiled / "pq" / batch.MANIFEST).read_text().splitlines()]
    for record in records:
        assert all((compiled / "pq" / out).is_file() for out in record["outputs"])
        assert bool(record["outputs"]) == (record["facts"] > 0)
    january = next(r for r in records if r["path"].endswith("january.txt"))
    assert january["outputs"] == ["facts/layout=us-bank/year=2004/january.parquet"]


def test_parquet_needs_an_output_folder(capsys):
    assert main(["compile", str(REFERENCE), "--to", "parquet"]) == 2
    assert "-o DIR" in capsys.readouterr().err


def test_missing_pyarrow_is_a_clear_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    assert main(["compile", str(REFERENCE), "-o", str(tmp_path), "--to", "parquet"]) == 2
    assert "pip install 'trustc[parquet]'" in capsys.readouterr().err
    assert not (tmp_path / batch.MANIFEST).exists()
