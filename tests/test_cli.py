"""The command line as pandoc users expect it: -f/-t/-o FILE, several inputs on one stream,
options that need -o DIR/, a closed pipe, `check --format json --select/--ignore`, and no
terminal escape from a filing reaching the terminal."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from trustc.cli import format_diagnostic, is_folder, main
from trustc.compiler.ast import Diagnostic
from trustc.terminal import printable

from .conftest import FILINGS, REFERENCE, ROOT

AAMES = FILINGS / "aames-1998-c_8k_1998-12-15.sgml.txt"


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_o_file_writes_that_one_file_in_the_format_its_extension_names(capsys, tmp_path, reference_path):
    status, out, _ = run(capsys, "compile", reference_path, "-o", str(tmp_path / "facts.csv"))
    assert status == 0 and out == ""
    assert sorted(os.listdir(tmp_path)) == ["facts.csv"]  # a file, not a folder holding a .json
    rows = list(csv.reader(io.StringIO((tmp_path / "facts.csv").read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["concept", "label", "value"] and len(rows) > 100


def test_to_overrides_the_extension_and_json_is_the_default_for_json(capsys, tmp_path, reference_path):
    run(capsys, "compile", reference_path, "-o", str(tmp_path / "a.json"))
    assert json.loads((tmp_path / "a.json").read_text())["source"]["path"] == reference_path
    run(capsys, "compile", reference_path, "-t", "statement", "-o", str(tmp_path / "b.json"))
    assert (tmp_path / "b.json").read_text().startswith("TRUSTC NORMALIZED STATEMENT")


def test_o_file_xbrl_writes_its_schemas_beside_it(capsys, tmp_path, reference_path):
    assert run(capsys, "compile", reference_path, "-o", str(tmp_path / "report.xbrl"))[0] == 0
    names = set(os.listdir(tmp_path))
    assert {"report.xbrl", "report.xsd", "trustc-2026.xsd"} <= names
    assert b'href="report.xsd"' in (tmp_path / "report.xbrl").read_bytes()


def test_o_file_with_several_inputs_is_a_usage_error(capsys, tmp_path, reference_path):
    status, _, err = run(capsys, "compile", reference_path, str(AAMES), "-o", str(tmp_path / "all.csv"))
    assert status == 2 and "names one file" in err and "all/" in err
    assert os.listdir(tmp_path) == []


def test_unknown_extension_asks_for_to_or_a_folder(capsys, tmp_path, reference_path):
    status, _, err = run(capsys, "compile", reference_path, "-o", str(tmp_path / "out.2024"))
    assert status == 2 and "--to FORMAT" in err


@pytest.mark.parametrize("name, folder", [("out/", True), ("out", True), ("out.csv", False), ("x.statement.txt", False)])
def test_what_o_names(tmp_path, name, folder):
    assert is_folder(str(tmp_path / name) + ("/" if name.endswith("/") else "")) is folder


def test_o_existing_folder_and_trailing_slash_write_one_file_per_input(capsys, tmp_path, reference_path):
    target = tmp_path / "out.d"
    target.mkdir()  # an existing folder, even with a dot in its name
    assert run(capsys, "compile", "-q", reference_path, "-o", str(target))[0] == 0
    assert "absc-2003-he2_8k_2003-12-15.json" in os.listdir(target)
    assert run(capsys, "compile", "-q", reference_path, "-t", "csv", "-o", str(tmp_path / "new.d") + "/")[0] == 0
    assert "absc-2003-he2_8k_2003-12-15.csv" in os.listdir(tmp_path / "new.d")


@pytest.mark.parametrize("option", [["--resume"], ["--jobs", "2"], ["--dask"], ["--scheduler", "tcp://x:1"]])
def test_batch_options_without_an_output_folder_are_usage_errors(capsys, tmp_path, reference_path, option):
    status, out, err = run(capsys, "compile", reference_path, *option)
    assert status == 2 and out == "" and "output folder" in err and option[0] in err
    status, _, err = run(capsys, "compile", reference_path, *option, "-o", str(tmp_path / "x.json"))
    assert status == 2 and option[0] in err


def test_from_and_format_alias_and_xbrl_alias(capsys, reference_path):
    a = run(capsys, "compile", reference_path, "-f", "us-bank", "-t", "xbrl")
    b = run(capsys, "compile", reference_path, "--format", "us-bank", "--to", "xml")
    assert a[0] == b[0] == 0 and a[1] == b[1] and a[1].startswith("<?xml")
    status, _, err = run(capsys, "compile", reference_path, "--from", "no-such")
    assert status == 2 and "unknown layout 'no-such'" in err and "trustc layouts" in err


def test_xbrl_to_stdout_says_what_to_write_beside_it(capsys, reference_path):
    _, out, err = run(capsys, "compile", reference_path, "-t", "xbrl")
    assert 'href="absc-2003-he2_8k_2003-12-15.xsd"' in out
    assert "absc-2003-he2_8k_2003-12-15.xsd" in err and "-o absc-2003-he2_8k_2003-12-15.xml" in err


def test_layouts_lists_layouts_and_formats_is_an_alias(capsys):
    status, out, _ = run(capsys, "layouts")
    assert status == 0 and "us-bank" in out and "bankers-trust" in out
    assert run(capsys, "formats")[1] == out


def test_several_inputs_to_stdout_are_json_lines(capsys, reference_path):
    status, out, _ = run(capsys, "compile", "-q", reference_path, str(AAMES))
    lines = out.splitlines()
    assert status in (0, 1) and len(lines) == 2
    assert [json.loads(line)["source"]["path"] for line in lines] == [reference_path, str(AAMES)]


def test_to_jsonl_gives_one_line_for_one_input(capsys, reference_path):
    _, out, _ = run(capsys, "compile", reference_path, "-t", "jsonl")
    _, pretty, _ = run(capsys, "compile", reference_path)
    assert out.count("\n") == 1 and json.loads(out) == json.loads(pretty)


def test_several_inputs_as_csv_have_one_header_and_a_source_column(capsys, reference_path):
    _, out, _ = run(capsys, "compile", "-q", "-t", "csv", reference_path, str(AAMES))
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][0] == "source" and rows[0][-1] == "dims"
    assert sum(r == rows[0] for r in rows) == 1
    assert {r[0] for r in rows[1:]} == {reference_path, str(AAMES)}
    assert all(len(r) == len(rows[0]) for r in rows)


def test_several_xbrl_documents_cannot_share_stdout(capsys, reference_path):
    status, out, err = run(capsys, "compile", reference_path, str(AAMES), "-t", "xml")
    assert status == 2 and out == "" and "-o DIR/" in err


def _closed_pipe(*args) -> subprocess.CompletedProcess:
    """Run trustc with a stdout whose reader is already gone (what `| head -1` leaves)."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "trustc", *args], stdout=write, stderr=subprocess.PIPE,
                              cwd=ROOT, timeout=120)
    finally:
        os.close(write)


@pytest.mark.parametrize("command", [["check", "--notes"], ["compile"]])
def test_a_closed_pipe_ends_quietly_with_exit_0(command):
    done = _closed_pipe(*command, str(REFERENCE))
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr


def test_check_format_json_gives_diagnostics_as_data(capsys, reference_path):
    status, out, _ = run(capsys, "check", "--format", "json", reference_path)
    found = json.loads(out)
    assert status == 0
    warnings = [d for d in found if d["severity"] == "warning"]
    assert [(d["code"], d["span"]["line"], d["span"]["column"]) for d in warnings] == [
        ("bad-figure", 167, 21), ("per-1000", 197, 35), ("per-1000", 199, 33)]
    assert warnings[1]["path"] == reference_path and warnings[1]["source_line"].endswith("0.00000")


def test_check_select_and_ignore(capsys, reference_path):
    _, out, err = run(capsys, "check", "--format", "json", "--select", "class-totals,class-roll-forward", reference_path)
    assert {d["code"] for d in json.loads(out)} == {"class-totals", "class-roll-forward"}
    status, out, err = run(capsys, "check", "--strict", "--ignore", "per-1000,bad-figure", reference_path)
    assert status == 0 and "per-1000" not in out and "0 warning(s)" in err
    assert run(capsys, "check", "--strict", reference_path)[0] == 1


def test_check_format_layout_still_reads_the_layout(capsys, reference_path):
    status, out, err = run(capsys, "check", "--format", "us-bank", reference_path)
    assert status == 0 and "warning[per-1000]" in out and "-f us-bank" in err
    assert run(capsys, "check", "--format", "yaml", reference_path)[0] == 2


ESCAPE = "\x1b]0;pwned\x07\x1b[2J"


def test_detect_escapes_control_characters_from_the_filing(capsys, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_bytes(AAMES.read_bytes().replace(b"<TYPE>EX-20.1", b"<TYPE>EX-20.1" + ESCAPE.encode(), 1))
    status, out, _ = run(capsys, "detect", str(hostile))
    assert status == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "EX-20.1\\x1b]0;pwned\\x07\\x1b[2J" in out


def test_printed_diagnostics_escape_control_characters():
    d = Diagnostic("warning", "unknown-label", f"unknown label {ESCAPE!s}", None)
    line = format_diagnostic("f.txt", d)
    assert "\x1b" not in line and "\\x1b]0;pwned\\x07" in line
    assert printable("a\tb\u202ec") == "a\tb\\u202ec"


def test_check_escapes_control_characters_in_source_lines(capsys, tmp_path, reference_path):
    text = open(reference_path, encoding="utf-8").read().splitlines(keepends=True)
    text.insert(196, "  stray \x1b[2J\x1b]0;pwned\x07 text 12\n")  # an unparsed line: check prints it
    hostile = tmp_path / "hostile.txt"
    hostile.write_text("".join(text), encoding="utf-8")
    status, out, _ = run(capsys, "check", str(hostile))
    assert status == 1 and "error[unparsed-line]" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "stray \\x1b[2J\\x1b]0;pwned\\x07 text 12" in out


def test_o_dash_is_stdout(capsys, tmp_path, reference_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(capsys, "compile", str(REFERENCE), "-t", "csv", "-o", "-")
    assert out.startswith("concept,label,value") and os.listdir(tmp_path) == []
