"""Every corpus document through the rules every compilation keeps: one module, driven by the corpus.

As ntc-templates pairs each template's sample with its expected output and runs
one set of checks over every pair, this module runs the generic checks over every
file of corpus/ (a new file is covered the moment it is added):

- each file has its expected output: the syrupy snapshot of its compilation
  (test_reference, test_bankers_trust, test_rfmsi, test_partial own them);
- every fact's span slices exactly its raw text out of the file;
- every figure of a statement is placed: a fact, inside a label or text fact,
  named by a diagnostic, or on an unparsed line (never swallowed);
- the JSON validates against the shipped schema;
- the regenerated statement reads back to the same facts (test_roundtrip, also
  parametrised over the whole corpus).

What is particular to one layout (which class a figure joins, dims, exact lists of
heading digits) stays in that layout's module. test_meta checks that every layout
has a snapshotted corpus file and that its corpus uses every rule of its grammar.
"""
from __future__ import annotations

import json
import re

import jsonschema
import pytest

import trustc
from trustc.compiler.numbers import DATE_SEARCH
from trustc.compiler.source import read_path
from trustc.emitters.json import schema_text

from .helpers import compiled, corpus_files, unaccounted_tokens
from .test_fuzz import as_text, html_lines
from .test_meta import is_snapshotted

CASES = corpus_files()
# Digits printed around a statement's figures that are no figure: page marks ("Page 1 of 6",
# "(C) COPYRIGHT 1998"), "PER $1000", the payment-count columns "1  2  3+".
AROUND = re.compile(r"Page\s*:?\s*\d+\s+of\s+\d+|COPYRIGHT\s+\d{4}|\$1,?000|^\s*1\s+2\s+3\+\s*$")
# Digits the generic reader (layouts/generic.py) keeps inside an enumerator or a label, not as
# figures of their own: listed, so one more is a failure. (The digits of a printed date are the
# date's, in every layout: `in_a_date`.)
GENERIC_KEEPS = {
    # item numbers ("3 Amount applied to:") and a page mark ("Page 1")
    "lawinsider_mh-contract-senior-sub-pt-certs-1995-1_remittance-report_1996-01.txt": [
        (34, "3"), (37, "4"), (40, "1")],
    # "Pool Factor (Line 9 / Original Pool Balance)": a label
    "secgov_cik1400127_a35601exv99w1_auto-receivables-servicer-report_2007-11-13.txt": [(121, "9")],
}


def in_a_date(line: str, column: int) -> bool:
    """The token at `column` (1-based) is part of a date printed there ("September 22, 2003")."""
    return any(m.start() < column <= m.end() for m in DATE_SEARCH.finditer(line))


@pytest.fixture(scope="module")
def schema():
    return json.loads(schema_text())


# Corpus files landed without a snapshot test: each one an xfail that turns into a failure
# (strict) the day its snapshot exists, so the entry is then removed.
NO_SNAPSHOT_YET: dict[str, str] = {}


def _expecting(path: str):
    reason = NO_SNAPSHOT_YET.get(path.rsplit("/", 1)[-1])
    return pytest.param(path, marks=pytest.mark.xfail(reason=reason, strict=True)) if reason else path


@pytest.mark.parametrize("path", [_expecting(p) for p in CASES])
def test_has_expected_output(path):
    assert is_snapshotted(path), f"{path}: no snapshot test compiles it (add one; see docs/adding-a-layout.md)"


@pytest.mark.parametrize("path", CASES)
def test_spans_slice_the_raw_text(path):
    lines = read_path(path).lines
    compilation = compiled(path)
    html = html_lines(compilation, "\n".join(lines))
    for fact in compilation.facts():
        s = fact.span
        text = "\n".join(lines[s.line - 1 : s.end_line])
        end = len(text) - len(lines[s.end_line - 1]) + s.end_column - 1
        if s.line in html:  # the figure as written in HTML: tags and entities between its pieces
            assert as_text(text[s.column - 1 : end]).replace(" ", "") == "".join(fact.raw.split()), (fact.concept, s)
            continue
        assert text[s.column - 1 : end] == fact.raw, (fact.concept, s)


@pytest.mark.parametrize("path", CASES)
def test_every_figure_of_a_statement_is_placed(path):
    compilation = compiled(path)
    lines = read_path(path).lines
    lost = []
    html = {d.first_line for d in compilation.documents if d.content == "html"}
    for statement in compilation.statements:
        if statement.facts and statement.document is not None and compilation.documents and \
                compilation.documents[statement.document - 1].first_line in html:
            continue  # an HTML document's figures: the rendered text's token walk (test_cmbs_crefc)
        if statement.facts:
            first = min(f.span.line for f in statement.facts)
            last = max(f.span.end_line for f in statement.facts)
            lost += [(s.line, token) for s, token in unaccounted_tokens(compilation, lines, first, last)
                     if not AROUND.search(lines[s.line - 1]) and not in_a_date(lines[s.line - 1], s.column)]
    assert lost == GENERIC_KEEPS.get(path.rsplit("/", 1)[-1], [])


@pytest.mark.parametrize("path", CASES)
def test_json_is_schema_valid(path, schema):
    jsonschema.validate(json.loads(trustc.emit(compiled(path), "json")), schema)
