"""`trustc check`: compiler-style diagnostics, exit status, --strict, --notes, --list."""
from __future__ import annotations

from trustc.cli import main
from trustc.compiler.checks import CHECKS

from .conftest import REFERENCE


def run(capsys, *args):
    status = main(["check", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_reference_prints_the_two_findings_with_source_line_and_caret(capsys, reference_path):
    status, out, err = run(capsys, reference_path)
    assert status == 0  # warnings are not errors
    assert "\x1b[" not in out  # plain text when not on a terminal
    lines = out.splitlines()
    heads = [n for n, line in enumerate(lines) if "warning[" in line]
    # the Total row's 0.00 under Cusip (no CUSIP), then the two per-$1,000 findings
    assert [lines[n].split(": ")[0] for n in heads] == [
        f"{reference_path}:167:21", f"{reference_path}:197:35", f"{reference_path}:199:33"]
    source, caret = lines[heads[1] + 1], lines[heads[1] + 2]
    assert source.endswith("       P           0.00000        0.00000")
    bar = source.index("| ") + 2
    assert caret.index("^") - bar == 34 and caret.rstrip().endswith("^~~~~~~")  # under column 35, 7 wide
    assert "3 warning(s)" in err and "0 error(s)" in err


def test_strict_counts_warnings_as_errors(capsys, reference_path):
    assert run(capsys, "--strict", reference_path)[0] == 1


def test_notes_are_shown_on_request(capsys, reference_path):
    _status, out, _err = run(capsys, reference_path)
    assert "info[" not in out
    _status, out, _err = run(capsys, "--notes", reference_path)
    assert "info[class-totals]" in out and "info[class-roll-forward]" in out


def test_an_unplaced_line_is_an_error(capsys, tmp_path):
    text = REFERENCE.read_text(encoding="utf-8").replace("Principal Distributions:\n", "Principal Distributions:\n}}}{{{\n")
    path = tmp_path / "damaged.txt"
    path.write_text(text, encoding="utf-8")
    status, out, _err = run(capsys, str(path))
    assert status == 1 and "error[unparsed-line]" in out


def test_nothing_to_check_exits_2(capsys, tmp_path):
    assert run(capsys, str(tmp_path / "missing.txt"))[0] == 2
    assert run(capsys)[0] == 2


def test_list_names_every_check(capsys):
    status, out, _err = run(capsys, "--list")
    assert status == 0 and [line.split()[0] for line in out.splitlines()] == [c.id for c in CHECKS]


def test_colour_on_a_terminal(capsys, reference_path, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")  # what rich reads to treat the output as a terminal
    monkeypatch.delenv("NO_COLOR", raising=False)
    _status, out, _err = run(capsys, reference_path)
    assert "\x1b[" in out and "warning[per-1000]" in out


def test_every_check_is_documented_in_one_line():
    from pathlib import Path

    doc = (Path(__file__).resolve().parent.parent / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = [line for line in doc.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [c.id for c in CHECKS]
