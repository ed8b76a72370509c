"""lines.parse_lines, the parse loop the layouts run, gives what Lark's own `parse(on_error=...)` gives:
the same compile on whole corpus filings, on filings cut short (the input ends inside a structure: the
$END error and the completion of the open structures) and on filings with lines deleted, repeated and
damaged (lines the parser cannot take, reported and dropped)."""
from __future__ import annotations

import random

import pytest

import trustc
from trustc import emitters
from trustc.compiler import layout

from .conftest import CORPUS


def larks_parse(lark, view, on_error):
    return lark.parse(view, on_error=on_error)


def variants(name: str, lines: list[str]):
    yield f"{name} whole", "".join(lines)
    for share in (3, 2):
        yield f"{name} cut at 1/{share}", "".join(lines[: len(lines) // share])
    rnd = random.Random(name)
    for i in range(6):
        damaged = list(lines)
        for _ in range(rnd.randint(1, 6)):
            k = rnd.randrange(len(damaged))
            choice = rnd.random()
            if choice < 0.3:
                del damaged[k]
            elif choice < 0.6:
                damaged.insert(rnd.randrange(len(damaged)), damaged[k])
            else:
                j = rnd.randrange(max(1, len(damaged[k])))
                damaged[k] = damaged[k][:j] + rnd.choice(["9", "  1,234.56", "(", "N/A", "Total"]) + damaged[k][j + 1:]
        yield f"{name} damaged {i}", "".join(damaged)


FILES = ["absc-2003-he2_8k_2003-12-15.txt", "aames-1998-c_8k_1998-12-15.sgml.txt",
         "rfmsi-conduit_8k_2000-12-26.excerpt.txt"]


@pytest.mark.parametrize("name", FILES)
def test_parse_lines_compiles_as_larks_parse(name, monkeypatch):
    lines = (CORPUS / "filings" / name).read_text(encoding="utf-8").splitlines(keepends=True)[:2500]
    for label, text in variants(name, lines):
        ours = emitters.emit(trustc.compile_text(text, label), "json")
        with monkeypatch.context() as patch:
            patch.setattr(layout, "parse_lines", larks_parse)
            theirs = emitters.emit(trustc.compile_text(text, label), "json")
        assert ours == theirs, label
