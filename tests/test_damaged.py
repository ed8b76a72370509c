"""Damaged input never raises, and nothing that could still be placed is lost.

Mutations of the reference filing (lines deleted, duplicated, swapped, the
file cut, characters flipped) must compile to a Compilation whose JSON
validates, whose unparsed lines are the input's own, and in which every figure
of the statement is still a fact, part of a label, named by a diagnostic, or
in an unparsed line.
"""
from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import trustc
from trustc.cli import main
from trustc.emitters.json import schema_text

from .conftest import REFERENCE
from .helpers import unaccounted_tokens

LINES = REFERENCE.read_text(encoding="utf-8").split("\n")
VALIDATOR = jsonschema.Draft202012Validator(json.loads(schema_text()))


def _region(lines: list[str]):
    starts = [i for i, t in enumerate(lines, 1) if "STATEMENT TO CERTIFICATEHOLDERS" in t]
    ends = [i for i, t in enumerate(lines, 1) if t.strip() == "SIGNATURES"]
    if len(starts) == 1 and len(ends) == 1 and starts[0] < ends[0]:
        return starts[0], ends[0]
    return None


def check_invariants(lines: list[str]) -> trustc.Compilation | None:
    text = "\n".join(lines)
    try:
        compiled = trustc.compile_text(text, name="mutant.txt")
    except trustc.CompileError as exc:
        # Only a mutant with no text left (control characters, e.g. a cut to one flipped byte) may refuse.
        assert exc.diagnostic.code == "not-text"
        assert sum(ch.isalnum() for ch in text) < len(text) / 2, text[:200]
        return None
    VALIDATOR.validate(json.loads(trustc.emit(compiled, "json")))
    for u in compiled.unparsed:
        assert lines[u.line - 1] == u.text
    for fact in compiled.facts():
        s = fact.span
        assert lines[s.line - 1][s.column - 1 : s.end_column - 1] == fact.raw
    region = _region(lines)
    if region:
        assert list(unaccounted_tokens(compiled, lines, *region)) == []
    return compiled


line_index = st.integers(min_value=0, max_value=len(LINES) - 1)


@st.composite
def mutants(draw):
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "flip", "cut"]))
        i = draw(line_index) % len(lines)
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(line_index) % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "flip" and lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            ch = draw(st.characters(codec="utf-8", exclude_characters="\r\n"))
            lines[i] = lines[i][:k] + ch + lines[i][k + 1 :]
        elif kind == "cut":
            k = draw(st.integers(0, len(lines[i])))
            lines = lines[:i] + [lines[i][:k]]
    return lines


# Derandomized: the same 50 mutants on every run (TRUSTC_FUZZ_EXAMPLES and tests/test_fuzz.py
# explore at random); a swap that once lost figures silently is pinned below.
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(mutants())
def test_mutated_reference_never_raises_and_loses_nothing(lines):
    check_invariants(lines)


def test_prose_inside_a_class_table_loses_nothing():
    # The signature legend swapped into the per-$1,000 table ends the statement there; the rows after
    # it parse as the 8-K's free text, and the accounting pass reports each of their figures.
    lines = list(LINES)
    lines[154], lines[344] = lines[344], lines[154]
    compiled = check_invariants(lines)
    unread = {d.span.line for d in compiled.diagnostics if d.code == "unread-figure"}
    assert {156, 170, 345} <= unread  # 345: the A-2 row, now under SIGNATURES
    assert all(d.severity == "warning" for d in compiled.diagnostics if d.code == "unread-figure")


@pytest.mark.parametrize("cut_at", [90, 130, 175, 240, 290, 345])
def test_cut_mid_table_reports_truncation_and_keeps_what_came_before(cut_at, tmp_path, capsys):
    path = tmp_path / "cut.txt"
    path.write_text("\n".join(LINES[:cut_at]), encoding="utf-8")
    assert main(["compile", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    codes = [d["code"] for d in data["diagnostics"] if d["severity"] == "error"]
    assert "truncated-input" in codes
    assert data["cover"]["registrant"].startswith("Asset Backed Securities Corporation")
    compiled = check_invariants(LINES[:cut_at])
    # Every class row printed before the cut is in the output.
    placed = {f.span.line for f in compiled.facts()}
    first_class_row = next(i for i, t in enumerate(LINES, 1) if t.split()[:1] == ["A-1"])
    if cut_at > first_class_row + 2:
        assert first_class_row in placed


def test_deleted_table_header_reports_the_lines_it_cannot_place():
    lines = [t for t in LINES if t.strip() != "Rate           Int"]
    compiled = check_invariants(lines)
    assert compiled.has_errors
    assert compiled.unparsed, "the orphaned rows must be reported, not absorbed"


def test_empty_input_exit_1(tmp_path, capsys):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert main(["compile", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert [d["code"] for d in data["diagnostics"]] == ["empty-input"]


def test_binary_input_exit_2(tmp_path, capsys):
    path = tmp_path / "image.bin"
    path.write_bytes(bytes(range(256)) * 64)
    assert main(["compile", str(path)]) == 2
    assert "not a text filing" in capsys.readouterr().err


def test_missing_file_exit_2(tmp_path, capsys):
    assert main(["compile", str(tmp_path / "nope.txt")]) == 2
    assert "unreadable" in capsys.readouterr().err


def test_a_line_of_punctuation_is_not_read_as_column_titles():
    lines = list(LINES)
    at = next(i for i, t in enumerate(lines) if "AMOUNTS PER $1,000 UNIT" in t)
    lines.insert(at + 1, "}}}{{{")
    compiled = check_invariants(lines)
    assert [(u.line, u.text) for u in compiled.unparsed] == [(at + 2, "}}}{{{")]


def test_a_row_with_an_unknown_label_is_named_whole():
    # Hypothesis found it: a damaged per-$1,000 row read as a deal item whose label holds a figure.
    lines = list(LINES)
    at = next(i for i, t in enumerate(lines) if t.split()[:1] == ["0.94995"])
    lines[at] = "  : 0.94995  26.36508"
    compiled = check_invariants(lines)
    (unknown,) = [d for d in compiled.diagnostics if d.code == "unknown-label"]
    assert (unknown.span.line, unknown.span.column, unknown.span.end_column) == (at + 1, 3, 22)
