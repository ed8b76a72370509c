"""How well the generic reader reads what the exact layouts read, and how much of each partial it reads.

    python benchmarks/generic.py            # the tables of docs/generic.md and the closing note

Per complete filing (corpus/filings): of the facts the exact layout makes, the share that
`--format generic` places (a fact with the same span and value), with the right printed
labels (the exact fact's printed label is the generic row label or column title, and a
class the exact fact names is the row label's or a dim's), with the same concept, and with
the same dims (the pool the exact layout
gives its statement counted as a dim). Text facts (CUSIPs, names, dates) are counted apart: the generic reader
makes facts of figures only.

Per statement-bearing partial (corpus/partial, the files the generic reader takes for a
statement): the share of figure tokens (whitespace-delimited tokens with a digit that
columns.is_figure accepts, as the no-figure-lost tests count them) of the documents read
generically ('|' read as a space, figures inside a printed date left out) that a fact's span covers; tokens inside a fact's printed label ("Class A-1")
are counted apart, so are tokens on lines the reader takes for words (item numbers
like "3 Amount applied to:", column numbers "(1) (2)", page numbers), and the others listed.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import attrs  # noqa: E402

import trustc  # noqa: E402
from tests.helpers import numeric_tokens  # noqa: E402
from trustc.compiler.shapes import FIGURE_KINDS, classify  # noqa: E402
from trustc.compiler.numbers import DATE_SEARCH  # noqa: E402
from trustc.compiler.source import read_path  # noqa: E402
from trustc.compiler.statement import class_key, norm  # noqa: E402


def _key(span):
    return (span.line, span.column, span.end_line, span.end_column)


def _labels_agree(exact, generic) -> bool:
    printed = {norm(t or "").strip(" :") for t in (generic.row_label, generic.column_header)}
    label = norm(exact.label).strip(" :")
    if label not in printed and not any(label and label in t for t in printed):
        return False
    cls = exact.dims.get("class")
    if cls and cls != "(unnamed)":
        named = {class_key(generic.row_label or ""), class_key(generic.dims.get("class", ""))}
        words = {class_key(w) for w in (generic.row_label or "").split()}
        return class_key(cls) in named | words
    return True


def compare(path: Path) -> dict:
    # the exact layouts give a pool on the statement; the generic reader (one statement per document) as a dim
    exact = [attrs.evolve(f, dims={**({"pool": s.pool} if s.pool else {}), **f.dims})
             for s in trustc.compile_file(path).statements for f in s.facts]
    generic = {_key(f.span): f for f in trustc.compile_file(path, format="generic").facts()}
    numeric = [f for f in exact if f.unit not in ("text", "date")]
    placed = [(f, generic[_key(f.span)]) for f in numeric
              if _key(f.span) in generic and generic[_key(f.span)].value == f.value]
    return {
        "file": path.name, "exact facts": len(exact), "text facts": len(exact) - len(numeric),
        "figures": len(numeric), "placed": len(placed),
        "labels": sum(_labels_agree(e, g) for e, g in placed),
        "concept": sum(e.concept == g.concept for e, g in placed),
        "dims": sum(dict(e.dims) == dict(g.dims) for e, g in placed),
    }


def partial_share(path: Path) -> dict | None:
    """Figure tokens (tests/helpers.numeric_tokens: whitespace-delimited tokens with a digit that are
    figures) of the documents read generically: how many a fact's span covers, how many stand inside
    a fact's printed label ("Class A-1", "(2)"), the rest."""
    compilation = trustc.compile_file(path)
    if not any(s.format == "generic" for s in compilation.statements):
        return None
    source = read_path(str(path))
    ranges = [(d.first_line, d.last_line) for d in compilation.documents if d.layout == "generic"] or [
        (1, len(source.lines))]
    facts = list(compilation.facts())
    spans = [f.span for f in facts]
    labels = [f.label_span for f in facts if f.label_span is not None]
    tokens = covered = in_label = in_words = 0
    missed = []
    # '|' separates cells of HTML flattened to text; a figure inside a printed date is the date's
    lines = [line.replace("|", " ") for line in source.lines]
    for first, last in ranges:
        kinds = {s.number: s.kind for s in classify(source.lines[first - 1:last], first)}
        for span, token in numeric_tokens(lines, first, last):
            if kinds[span.line] not in FIGURE_KINDS:  # an item number, column number, page number
                in_words += 1
                continue
            if any(m.start() < span.end_column - 1 and span.column - 1 < m.end()
                   for m in DATE_SEARCH.finditer(lines[span.line - 1])):
                continue
            tokens += 1
            if any(s.covers(span) for s in spans if s.line == span.line):
                covered += 1
            elif any(s.covers(span) for s in labels):
                in_label += 1
            else:
                missed.append((span.line, token))
    return {"file": path.name, "tokens": tokens, "facts": covered, "labels": in_label, "words": in_words,
            "missed": missed}


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def main() -> None:
    print("| filing | exact facts | of them figures | placed | labels | concept | dims |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for path in sorted((ROOT / "corpus" / "filings").glob("*.txt")):
        r = compare(path)
        print(f"| {r['file'][:40]} | {r['exact facts']} | {r['figures']} | {r['placed']} ({pct(r['placed'], r['figures'])})"
              f" | {pct(r['labels'], r['placed'])} | {pct(r['concept'], r['placed'])} | {pct(r['dims'], r['placed'])} |")
    print()
    print("| partial read generically | figure tokens on figure lines | became facts | share | in labels | "
          "on lines of words | neither |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for path in sorted((ROOT / "corpus" / "partial").glob("*.txt")):
        r = partial_share(path)
        if r is not None:
            rest = ", ".join(f"{line}:{token}" for line, token in r["missed"][:8])
            print(f"| {r['file'][:60]} | {r['tokens']} | {r['facts']} | {pct(r['facts'], r['tokens'] - r['labels'])} | "
                  f"{r['labels']} | {r['words']} | {rest} |")


if __name__ == "__main__":
    main()
