"""Damaged and odd input: each case compiles (or is refused with exit 2), never raises.

Every test builds its damaged input from a real corpus file inside the test; the
corpus itself is never edited.
"""
from __future__ import annotations

import json
import re

import pytest

import trustc
from trustc.cli import main
from trustc.compiler.driver import CompileError, compile_source
from trustc.compiler.source import NotText, decode

from .conftest import REFERENCE

LINE_END = re.compile(rb"\r\n|\r|\n")


@pytest.fixture(scope="module")
def reference_bytes() -> bytes:
    return REFERENCE.read_bytes()


@pytest.fixture(scope="module")
def reference(reference_bytes):
    return compile_source(decode(reference_bytes, "reference"))


def compile_bytes(data: bytes, name: str = "input.txt"):
    return compile_source(decode(data, name))


def codes(compilation) -> list[str]:
    return [d.code for d in compilation.diagnostics]


def facts_by_value(compilation):
    return sorted((f.concept, tuple(sorted(f.dims.items())), f.raw, f.span.line) for f in compilation.facts())


def assert_spans_point_at_raw_text(compilation, data: bytes, encoding: str = "utf-8") -> None:
    """Every fact's span, read back from the bytes as given, is the printed text."""
    lines = [part.decode(encoding) for part in LINE_END.split(data)]
    checked = 0
    for fact in compilation.facts():
        s = fact.span
        assert lines[s.line - 1][s.column - 1 : s.end_column - 1] == fact.raw, fact
        checked += 1
    assert checked > 300


def test_empty_input_is_a_diagnostic_not_a_crash(tmp_path, capsys):
    for data in (b"", b"\n\n", b"   \t  \r\n"):
        compilation = compile_bytes(data)
        assert codes(compilation) == ["empty-input"]
        assert compilation.cover is None and compilation.statements == ()
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert main(["compile", str(path)]) == 1
    assert json.loads(capsys.readouterr().out)["diagnostics"][0]["code"] == "empty-input"


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 64,                       # every byte value
    b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 200,  # an image header and control bytes
    b"\x00" * 4096,                               # nothing but NULs
    b"PK\x03\x04" + b"\x00\x01\x02\x03" * 1000,   # a zip archive
])
def test_binary_input_is_not_a_text_filing(tmp_path, capsys, data):
    with pytest.raises(NotText):
        decode(data, "x.bin")
    path = tmp_path / "x.bin"
    path.write_bytes(data)
    with pytest.raises(CompileError) as info:
        trustc.compile_file(path)
    assert info.value.diagnostic.code == "not-text"
    assert main(["compile", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not a text filing" in captured.err


def test_nul_bytes_are_reported_and_ignored(reference_bytes, reference):
    lines = reference_bytes.split(b"\n")
    lines[91] = lines[91] + b"\x00\x00"  # line 92
    lines.append(b"\x00" * 500)  # NUL padding after the last line
    compilation = compile_bytes(b"\n".join(lines))
    (nul,) = [d for d in compilation.diagnostics if d.code == "nul-bytes"]
    assert nul.severity == "warning" and "502 NUL" in nul.message and "line 92" in nul.message
    assert facts_by_value(compilation) == facts_by_value(reference)


@pytest.mark.parametrize("ending", [b"\r\n", b"\r"], ids=["crlf", "cr"])
def test_crlf_and_cr_line_ends_keep_spans(reference_bytes, reference, ending):
    data = reference_bytes.replace(b"\n", ending)
    compilation = compile_bytes(data)
    assert not compilation.has_errors
    assert facts_by_value(compilation) == facts_by_value(reference)
    assert_spans_point_at_raw_text(compilation, data)


def test_mixed_line_ends_keep_spans(reference_bytes, reference):
    parts = reference_bytes.split(b"\n")
    ends = [b"\r\n", b"\n", b"\r"]
    data = b"".join(p + ends[i % 3] for i, p in enumerate(parts[:-1])) + parts[-1]
    compilation = compile_bytes(data)
    assert facts_by_value(compilation) == facts_by_value(reference)
    assert_spans_point_at_raw_text(compilation, data)


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_windows_1252_bytes_are_decoded_with_a_warning_naming_the_line(reference_bytes, reference, ending):
    lines = reference_bytes.split(b"\n")
    lines[33] = lines[33] + b"  \x93Trust\xe9e\x94"  # line 34: cp1252 quotes and a Latin-1 e-acute
    lines[40] = lines[40] + b" \xa7"  # a later bad byte is not the one named
    data = ending.join(lines)
    compilation = compile_bytes(data)
    (warning,) = [d for d in compilation.diagnostics if d.code == "non-utf8-input"]
    assert warning.severity == "warning"
    assert "0x93" in warning.message and "line 34" in warning.message
    assert warning.span.line == 34 and warning.span.column == len(lines[33]) - 8
    assert facts_by_value(compilation) == facts_by_value(reference)
    assert_spans_point_at_raw_text(compilation, data, encoding="cp1252")


def test_utf8_bom_is_not_content(reference_bytes, reference):
    compilation = compile_bytes(b"\xef\xbb\xbf" + reference_bytes)
    assert facts_by_value(compilation) == facts_by_value(reference)
    assert not compilation.has_errors


def test_form_feeds_stay_inside_their_line(reference_bytes, reference):
    # A form feed is a page break printed inside a line, not a line end: no span may move.
    # Page ejects as printers got them: alone on a blank line, and before a heading.
    data = reference_bytes.replace(b"\n\n", b"\n\x0c\n").replace(b"        SIGNATURES", b"\x0c       SIGNATURES")
    assert data.count(b"\x0c") > 20
    compilation = compile_bytes(data)
    assert facts_by_value(compilation) == facts_by_value(reference)
    assert not compilation.has_errors


def test_tabs_count_as_one_column(reference_bytes, reference):
    # A tab before every line moves every figure one column right, not eight.
    data = b"\n".join(b"\t" + line for line in reference_bytes.split(b"\n"))
    compilation = compile_bytes(data)
    moved = sorted((f.concept, tuple(sorted(f.dims.items())), f.raw, f.span.line, f.span.column - 1)
                   for f in compilation.facts())
    assert moved == sorted((f.concept, tuple(sorted(f.dims.items())), f.raw, f.span.line, f.span.column)
                           for f in reference.facts())
    assert_spans_point_at_raw_text(compilation, data)


def test_very_long_lines_are_reported_not_lost(reference_bytes, reference):
    long_prose = b"word " * 200_000
    long_figures = b"9," * 200_000
    data = reference_bytes + b"\n" + long_prose + b"\n" + long_figures + b"\n"
    compilation = compile_bytes(data)
    assert facts_by_value(compilation) == facts_by_value(reference)
    total = reference_bytes.count(b"\n") + 1
    # Nothing lost: the lines after the signature are either placed or reported.
    assert {u.line for u in compilation.unparsed} <= {total + 1, total + 2}
    assert compilation.has_errors or not compilation.unparsed


def test_large_input_compiles(reference_bytes):
    # The 100 MB measurement is benchmarks/memory.py; here a few MB prove the path works.
    copies = 200
    data = (reference_bytes + b"\n") * copies
    compilation = compile_bytes(data)
    assert len(compilation.statements) >= 1
    assert compilation.source.bytes == len(data)


def test_stdin_bytes_go_through_the_same_hygiene(reference_bytes, monkeypatch, capsys):
    import io
    import sys

    data = reference_bytes.replace(b"\n", b"\r\n").replace(b"Trustee", b"Trust\xe9e", 1)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["compile", "-"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "non-utf8-input" in [d["code"] for d in out["diagnostics"]]


def test_a_flood_of_unplaced_lines_keeps_every_line_and_caps_the_errors(reference_bytes):
    from trustc.compiler.diagnostics import MAX_LINE_ERRORS

    junk = b"\n".join(b"junk line %d" % i for i in range(MAX_LINE_ERRORS + 500))
    compilation = compile_bytes(reference_bytes + b"\n" + junk)
    total = reference_bytes.count(b"\n") + 1
    assert [u.line for u in compilation.unparsed] == list(range(total + 1, total + MAX_LINE_ERRORS + 501))
    per_line = [d for d in compilation.diagnostics if d.code == "unparsed-line"]
    assert len(per_line) == MAX_LINE_ERRORS
    (summary,) = [d for d in compilation.diagnostics if d.code == "unparsed-lines"]
    assert summary.severity == "error" and summary.message.startswith("500 more lines")
    assert summary.span.line == total + MAX_LINE_ERRORS + 1


def test_decoded_source_keeps_lines_only():
    """decode() keeps the lines; the bytes live on as their hash and size, the text is rebuilt from the lines."""
    import hashlib

    from trustc.compiler.source import decode_taking

    data = b"\xef\xbb\xbfone\r\ntwo\rthree\n"
    source = decode(data, "x.txt")
    assert source.info.sha256 == hashlib.sha256(data).hexdigest() and source.info.bytes == len(data)
    assert source.data == b"" and source.lines == ["one", "two", "three"]
    assert source.text == "one\ntwo\nthree\n"
    holder = [data]
    taken = decode_taking(holder, "x.txt", sha256="given")
    assert holder == [] and taken.info.sha256 == "given" and taken.lines == source.lines


@pytest.mark.parametrize("text", ["a\nb\n", "a\r\nb\r\n", "a\r\nb", "a\rb\r", "a\r\nb\nc\r", "a\r\r\nb", "\n\r", "\r\n\r\n", "x"])
def test_lines_split_as_the_line_end_rule_says(text):
    """split_lines takes str.split's fast road for LF-only and CRLF-only text: the lines are still those of
    the rule (CRLF, CR and LF each end one line)."""
    from trustc.compiler.source import split_lines

    expected = re.split(r"\r\n|\r|\n", text)
    if text[-1] in "\r\n":
        expected.pop()
    assert split_lines(text) == (expected, text[-1] in "\r\n")
