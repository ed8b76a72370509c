"""Streaming: a filing compiled and written a statement at a time gives the same bytes as one compiled whole.

What is measured (peak memory on a 50 MB filing) is in benchmarks/memory.py; these
tests prove the streamed output is the same document, and that it is written while
the filing compiles rather than after.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from trustc.compiler import driver
from trustc.compiler.driver import compile_source, read_source, stream_source
from trustc.compiler.layout import get_layout
from trustc.compiler.source import decode
from trustc.emitters import emit, get_emitter

from .conftest import ROOT
from .helpers import compiled, corpus_files

EXCERPT = "corpus/filings/rfmsi-conduit_8k_2000-12-26.excerpt.txt"  # relative, as helpers.compiled has it


def streamed(source, format=None, to="json") -> str:
    out = io.StringIO()
    get_emitter(to).write_parts(stream_source(source, format), out.write)
    return out.getvalue()


def texts(path):
    """Files the compiler refuses (binary, empty) have no stream to compare."""
    try:
        return read_source(path)
    except driver.CompileError:
        return None


@pytest.mark.parametrize("to", ["json", "jsonl", "csv"])
@pytest.mark.parametrize("path", corpus_files())
def test_streamed_output_is_the_output_of_every_corpus_file(path, to):
    source = texts(path)
    if source is None:
        pytest.skip("not compiled")
    assert streamed(source, to=to) == emit(compiled(path), to)


def test_a_statement_at_a_time_compiles_as_the_whole_document(monkeypatch):
    """Cutting the RFMSI exhibit after each pool's dotted line changes nothing in the output."""
    source = read_source(EXCERPT)
    rfmsi = get_layout("rfmsi")
    ex1 = next(c for c in driver.detect_source(source) if c.document.layout == "rfmsi")
    assert len(list(rfmsi().statement_views(ex1.view))) == 61  # 60 pools and the closing lines
    cut = emit(compiled(EXCERPT), "json")
    monkeypatch.setattr(rfmsi, "_statement_end", None)
    assert len(list(rfmsi().statement_views(ex1.view))) == 1
    assert emit(compile_source(source), "json") == cut


def test_statements_are_written_before_the_last_is_compiled(monkeypatch):
    rfmsi = get_layout("rfmsi")
    parsed = []
    whole_parse = rfmsi.parse
    monkeypatch.setattr(rfmsi, "parse", lambda self, view: parsed.append(view) or whole_parse(self, view))
    seen_at_first_statement = []

    def write(text):
        if '"format": "rfmsi"' in text and not seen_at_first_statement:
            seen_at_first_statement.append(len(parsed))

    get_emitter("json").write_parts(stream_source(read_source(EXCERPT)), write)
    assert seen_at_first_statement == [1]  # the first pool is out when one pool has been parsed
    assert len(parsed) == 61


def test_statements_before_the_cover_wait_for_it():
    """A submission whose exhibit comes before the 8-K: the cover is still written first, as a whole compile has it."""
    lines = (ROOT / EXCERPT).read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("<DOCUMENT>")]
    ends = [i for i, line in enumerate(lines) if line.startswith("</DOCUMENT>")]
    head, form, exhibit, tail = (lines[: starts[0]], lines[starts[0] : ends[0] + 1],
                                 lines[starts[1] : ends[1] + 1], lines[ends[1] + 1 :])
    text = "".join(head + exhibit + form + tail)
    source = decode(text.encode(), "exhibit-first.txt")
    whole = compile_source(source)
    assert whole.cover is not None and len(whole.statements) == 60
    assert streamed(source) == emit(whole, "json")


def test_a_failing_statement_costs_that_statement(monkeypatch):
    """A compiler bug in one pool's assembly: the other pools are compiled and written, the pool's lines unparsed."""
    rfmsi = get_layout("rfmsi")
    whole_assemble = rfmsi.assemble
    calls = []  # the views assembled, in order: the second is the second pool's

    def assemble(self, pieces, view):  # the second pool fails, in every compile
        calls.append(view)
        if len(calls) > 1 and view.first == calls[1].first:
            raise RuntimeError("boom")
        return whole_assemble(self, pieces, view)

    monkeypatch.setattr(rfmsi, "assemble", assemble)
    source = read_source(EXCERPT)
    result = compile_source(source)
    assert len(result.statements) == 59
    failed = [d for d in result.diagnostics if d.code == "internal-error"]
    assert len(failed) == 1 and f"lines {calls[1].first}-{calls[1].last}: rfmsi failed" in failed[0].message
    assert {u.line for u in result.unparsed} >= {n for n, text in calls[1] if text.strip()}
    assert streamed(source) == emit(result, "json")


@pytest.mark.parametrize("to", ["json", "jsonl", "csv"])
@pytest.mark.parametrize("where", ["stdout", "file", "folder"])
def test_cli_writes_the_same_bytes_streamed(tmp_path, where, to):
    expected = emit(compiled(EXCERPT), to).encode()
    cmd = [sys.executable, "-m", "trustc", "compile", "-q", EXCERPT, "--to", to]
    if where == "stdout":
        done = subprocess.run(cmd, capture_output=True, check=True)
        assert done.stdout == expected
        return
    target = tmp_path / f"out.{to}" if where == "file" else tmp_path / "out"
    subprocess.run(cmd + ["-o", str(target) + ("" if where == "file" else os.sep)], check=True)
    written = target if where == "file" else target / f"rfmsi-conduit_8k_2000-12-26.excerpt.{to}"
    assert written.read_bytes() == expected
    assert [p.name for p in tmp_path.rglob(".tmp-*")] == []


def test_csv_to_a_folder_keeps_its_per_table_files(tmp_path):
    """-o DIR/ writes the tidy CSV and one CSV per table, as before streaming: the same bytes."""
    subprocess.run([sys.executable, "-m", "trustc", "compile", "-q", EXCERPT, "--to", "csv", "-o", f"{tmp_path}{os.sep}"],
                   check=True)
    emitter, expected = get_emitter("csv"), tmp_path / "expected"
    expected.mkdir()
    emitter.write(compiled(EXCERPT), str(expected), "rfmsi-conduit_8k_2000-12-26.excerpt")
    written = {p.name: p.read_bytes() for p in tmp_path.glob("*.csv")}
    assert len(written) > 2 and written == {p.name: p.read_bytes() for p in expected.glob("*.csv")}


def test_cli_file_not_written_when_nothing_compiles(tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    target = tmp_path / "out.json"
    done = subprocess.run([sys.executable, "-m", "trustc", "compile", str(binary), "-o", str(target)],
                          capture_output=True)
    assert done.returncode == 2 and not target.exists() and b"not-text" in done.stderr
