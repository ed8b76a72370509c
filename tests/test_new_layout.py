"""`trustc new-layout`: a draft layout from a sample compiles that sample with every line placed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings

import pytest

from trustc.cli import main
from trustc.compiler import layout as registry
from trustc.compiler.layouts.user import load_folder
from trustc.compiler.driver import compile_file
from trustc.compiler.numbers import DATE_SEARCH
from trustc.compiler.source import read_path
from trustc.compiler.spec import SpecLayout
from trustc.scaffold import draft, line_kinds, tables

from .conftest import CORPUS, REFERENCE, ROOT
from .helpers import unaccounted_tokens

PARTIAL = CORPUS / "partial"
SAMPLES = [
    "incj_pnc-student-loan-trust-i_8k_1998-01-26.txt",
    "incj_vanderbilt-mh-senior-sub-pt-certs-1998D_8k_1999-08-10.txt",
    "secgov_cik1216588_mst03001_aug_mastr-asset-securitization-trust-2003-1_8k_2003-08-25.txt",
    "secgov_cik923147_household-hel-trust-2001-2_xhel012_2001-12-20.txt",
    "secgov_cik1400127_a35601exv99w1_auto-receivables-servicer-report_2007-11-13.txt",
]


# Partials printed as the built-in layouts' line kinds do not read them: the label on the line
# above its figure with "|" lines between (household), figures one space apart under column titles
# one space apart (citigroup), flattened HTML cells (mi-auto, auto-receivables). Their drafts read
# them with generic.lark's line kinds and shapes.py's cells (`cells = "generic"`).
GENERIC_SAMPLES = {
    "secgov_cik923147_household-hel-trust-2001-2_xhel012_2001-12-20.txt": 3,
    "secgov_cik1307287_ex99_citigroup-mortgage-loan-trust-2004-UST1_2004-12-27.txt": 0,
    "capedge_0001193125-03-053433-3_mi-auto-loan-trust-2002-1_servicing-report_2003-09-22.txt": 0,
    "secgov_cik1400127_a35601exv99w1_auto-receivables-servicer-report_2007-11-13.txt": 5,
}  # facts with a concept at least (the dictionary matches the label as printed)


@pytest.fixture(autouse=True)
def _registry_restored():
    """Drafts register their layout only inside `draft`; a test that loads one takes it out again."""
    saved = registry.layouts()
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(saved)


@pytest.mark.parametrize("name", SAMPLES, ids=lambda n: n[:40])
def test_draft_compiles_its_partial_sample_with_nothing_unparsed(name, tmp_path):
    result = draft(str(PARTIAL / name), "my-trustee", tmp_path)
    assert result.unparsed == ()
    assert result.tables
    for written in ("my_trustee.lark", "my_trustee.toml", "test_my_trustee.py", f"corpus/{name}"):
        assert (tmp_path / written).is_file()
    # The spec names the grammar beside it and the table rules the grammar has.
    grammar = (tmp_path / "my_trustee.lark").read_text(encoding="utf-8")
    for table in result.tables:
        assert f"\n{table.name}:" in grammar


def test_draft_of_the_reference_statement_maps_what_the_dictionary_knows(tmp_path):
    result = draft(str(REFERENCE), "ref-draft", tmp_path)
    assert result.unparsed == ()
    assert result.facts > 200
    mapped = {concept for m in result.mappings for _printed, concept in m.printed if concept}
    assert {"beginning_balance", "ending_balance", "servicing_fee"} <= mapped
    todo = [printed for m in result.mappings for printed in m.todo]
    assert todo  # the draft leaves what no concept matches to the user ...
    spec = (tmp_path / "ref_draft.toml").read_text(encoding="utf-8")
    # ... as TODO entries whose figures are facts with no concept yet
    assert all(f"{json.dumps(printed, ensure_ascii=False)} = \"\"  # TODO" in spec for printed in todo)
    assert result.concepts < result.facts


def test_a_table_is_words_then_column_titles_then_figure_lines():
    lines = [
        "POOL SUMMARY",
        "Class        Balance      Interest",
        "-----------------------------------",
        "A-1       1,000.00         5.00",
        "A-2       2,000.00         7.50",
        "Servicing Fee           12.00",
        "Notes to the report",
    ]
    found, tail = tables(line_kinds((n, t) for n, t in enumerate(lines, 1)))
    (table,) = found
    assert table.title.text == "POOL SUMMARY" and table.name == "pool_summary"
    assert [line.number for line in table.headers] == [2]
    assert [line.number for line in table.body] == [3, 4, 5, 6]  # the rule opens the body
    assert [line.text for line in tail] == ["Notes to the report"]


def test_new_layout_command_and_the_layout_in_use(tmp_path, capsys):
    """As a user runs it: draft, then compile with TRUSTC_LAYOUTS naming the folder (a new process)."""
    sample = PARTIAL / SAMPLES[3]
    status = main(["new-layout", str(sample.relative_to(ROOT)), "--id", "household", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0 and "nothing unparsed" in out and f"TRUSTC_LAYOUTS={tmp_path}" in out
    env = {**os.environ, "TRUSTC_LAYOUTS": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "trustc", "detect", str(sample)], env=env,
                          capture_output=True, text=True, cwd=ROOT)
    assert "household (confidence 1.00)" in done.stdout
    done = subprocess.run([sys.executable, "-m", "trustc", "compile", str(sample)], env=env,
                          capture_output=True, text=True, cwd=ROOT)
    data = json.loads(done.stdout)
    assert data["unparsed"] == [] and [s["format"] for s in data["statements"]] == ["household"]


def test_sample_without_figures_is_refused(tmp_path, capsys):
    sample = tmp_path / "cover.txt"
    sample.write_text("FORM 8-K\n\nCURRENT REPORT\n", encoding="utf-8")
    assert main(["new-layout", str(sample), "--id", "cover", "--out", str(tmp_path / "out")]) == 2
    assert "no line bears figures" in capsys.readouterr().err


def test_layout_id_is_checked(tmp_path, capsys):
    assert main(["new-layout", str(REFERENCE), "--id", "My Layout", "--out", str(tmp_path)]) == 2
    assert "layout id" in capsys.readouterr().err


def test_user_folder_skips_a_broken_spec_and_a_taken_id(tmp_path):
    (tmp_path / "broken.toml").write_text("id = \n", encoding="utf-8")
    (tmp_path / "taken.toml").write_text('id = "us-bank"\n', encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert load_folder(tmp_path) == []
    messages = [str(w.message) for w in caught]
    assert any("broken.toml failed to load" in m for m in messages)
    assert any("'us-bank' is already registered" in m for m in messages)
    assert registry.layouts()["us-bank"].__module__ != "trustc.compiler.layouts.user"


def test_user_folder_layout_reads_its_grammar_beside_it(tmp_path):
    draft(str(PARTIAL / SAMPLES[0]), "pnc-draft", tmp_path)
    (cls,) = load_folder(tmp_path)
    assert issubclass(cls, SpecLayout) and cls.id == "pnc-draft"
    assert cls.grammar == str((tmp_path / "pnc_draft.lark").resolve())
    assert registry.layouts()["pnc-draft"] is cls


@pytest.mark.parametrize("name", GENERIC_SAMPLES, ids=lambda n: n[:40])
def test_draft_of_a_partial_gives_located_labelled_facts(name, tmp_path):
    """The draft compiles its sample to facts out of the box: nothing unparsed, every figure a fact or a
    diagnostic, each fact's span slicing its raw text, labelled as printed, concepts where the
    dictionary knows the label."""
    path = PARTIAL / name
    result = draft(str(path), "my-trustee", tmp_path)
    assert result.mode == "generic" and result.unparsed == ()
    assert result.facts > 0 and result.concepts >= GENERIC_SAMPLES[name]
    spec = (tmp_path / "my_trustee.toml").read_text(encoding="utf-8")
    assert 'cells = "generic"' in spec
    # a concept the label's last words name is a suggestion, not a mapping: its figures stay without one
    spec_lines = spec.splitlines()
    for mapping in result.mappings:
        for printed, concept in mapping.suggested:
            assert any(line.startswith(f"{json.dumps(printed, ensure_ascii=False)} = ") and '""' in line
                       and line.endswith(f"  # TODO: its last words name {concept}") for line in spec_lines)
    load_folder(tmp_path, only="my-trustee")
    compilation = compile_file(str(path), format="my-trustee")
    lines = read_path(str(path)).lines
    facts = list(compilation.facts())
    assert compilation.unparsed == () and len(facts) == result.facts
    for fact in facts:
        s = fact.span
        assert lines[s.line - 1][s.column - 1:s.end_column - 1] == fact.raw
        assert fact.label and fact.label in " ".join(lines[fact.label_span.line - 1].replace("|", " ").split()) \
            if fact.label_span else fact.label
    assert sum(f.concept is not None for f in facts) == result.concepts
    # every figure of a line the draft reads as figures is a fact or named by a diagnostic (column
    # numbers "(1) (2)" over a table are words to it; a printed date is one cell, not figures)
    figure_lines = {line.number for t in result.tables for line in t.body if line.sort in ("item", "row")}
    lost = [(span, token) for span, token in unaccounted_tokens(compilation, lines, 1, len(lines))
            if span.line in figure_lines and not any(m.start() < span.column <= m.end()
                                                     for m in DATE_SEARCH.finditer(lines[span.line - 1]))]
    assert lost == []


def test_draft_gives_item_labels_their_delinquency_bucket(tmp_path):
    """Labels printing a bucket ("30-59 days number of loans", "90+ days ...") are mapped with the bucket
    dim ({ concept = "", bucket = "30-59" }), as the generic reader's figures carry it."""
    name = "secgov_cik923147_household-hel-trust-2001-2_xhel012_2001-12-20.txt"
    draft(str(PARTIAL / name), "my-trustee", tmp_path)
    load_folder(tmp_path, only="my-trustee")
    buckets = {f.label: f.dims.get("bucket") for f in compile_file(str(PARTIAL / name), format="my-trustee").facts()
               if "days" in f.label}
    assert buckets == {"30-59 days principal balance of loan": "30-59", "30-59 days number of loans": "30-59",
                       "60-89 days principal balance of loan": "60-89", "60-89 days number of loans": "60-89",
                       "90+ days principal balance of loan": "90+", "90+ days number of loans": "90+"}
