"""Residential Funding line variants printed on the rest of the December 2000 filing (beyond the corpus
excerpt): REMIC series headings with and without the pool, and a (DEPOSITOR) line inside a pool
statement. Each variant is made here from the corpus file's first pool; the corpus file is not edited."""
from __future__ import annotations

import pytest

import trustc

from .conftest import FILINGS

FIRST_POOL = (231, 345)  # 1-based lines of the excerpt: its first pool, Run: header to the dotted line
SERIES = "   CONDUIT MORTGAGE PASS-THROUGH CERTIFICATES SERIES 1989-SW1A"
COMPANY = "           RESIDENTIAL FUNDING MORTGAGE SECURITIES I, INC. (COMPANY)"
DEPOSITOR = "           RESIDENTIAL FUNDING MORTGAGE SECURITIES I, INC. (DEPOSITOR)"


@pytest.fixture(scope="module")
def pool() -> list[str]:
    lines = (FILINGS / "rfmsi-conduit_8k_2000-12-26.excerpt.txt").read_text(encoding="utf-8").split("\n")
    return lines[FIRST_POOL[0] - 1 : FIRST_POOL[1]]


def compile_lines(lines: list[str]):
    compiled = trustc.compile_text("\n".join(lines) + "\n")
    assert [s.format for s in compiled.statements] == ["rfmsi"]
    return compiled


def remic(lines: list[str], with_pool: bool) -> list[str]:
    """The pool renumbered 8029, its series lines printed as REMIC III FOR SERIES 1997-S12 headings."""
    out = []
    for text in lines:
        if text.startswith(SERIES):
            text = "   REMIC III FOR SERIES 1997-S12" + ("(POOL #  8029)" if with_pool else "")
        out.append(text.replace("POOL#   2000", "POOL#   8029").replace("FOR POOL 2000", "FOR POOL 8029"))
    return out


@pytest.mark.parametrize("with_pool", [True, False], ids=["with-pool", "without-pool"])
def test_remic_series_headings_are_placed(pool, with_pool):
    original = compile_lines(pool)
    compiled = compile_lines(remic(pool, with_pool))
    assert list(compiled.unparsed) == []
    assert not [d for d in compiled.diagnostics if d.severity == "error"]
    (statement,) = compiled.statements
    assert (statement.pool, statement.series) == ("8029", "1997-S12")
    assert "REMIC III FOR SERIES 1997-S12" in statement.title
    assert [(f.concept, f.dims, f.raw, f.span) for f in statement.facts] == \
        [(f.concept, f.dims, f.raw, f.span) for f in original.statements[0].facts]


@pytest.mark.parametrize("how", ["instead-of-company", "after-company", "on-the-second-page-only"])
def test_a_depositor_line_inside_a_pool_statement_is_placed(pool, how):
    lines = list(pool)
    companies = [i for i, t in enumerate(lines) if t == COMPANY]
    if how == "instead-of-company":
        for i in companies:
            lines[i] = DEPOSITOR
    elif how == "after-company":
        lines.insert(companies[0] + 1, DEPOSITOR)
    else:
        lines[companies[1]] = DEPOSITOR
    compiled = compile_lines(lines)
    assert list(compiled.unparsed) == []
    (statement,) = compiled.statements
    assert statement.pool == "2000" and statement.series == "1989-SW1A"
    assert len(statement.facts) == len(compile_lines(pool).statements[0].facts)
