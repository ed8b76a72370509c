"""How well the generic reader reads what the exact layouts read, and how much of each partial it reads.

    python benchmarks/generic.py            # the tables of docs/generic.md and the closing note

Per complete filing (corpus/filings): of the facts the exact layout makes, the share that
`--format generic` places (a fact with the same span and value), with the right printed
labels (the exact fact's printed label is the generic row label or column title, and a
class the exact fact names is the row label's or a dim's), with the same concept, and with
the same dims. Text facts (CUSIPs, names, dates) are counted apart: the generic reader
makes facts of figures only.

Per statement-bearing partial (corpus/partial, the files the generic reader takes for a
statement): the share of figure tokens (cells shapes.cells_of calls figures, on the lines
of the documents read generically) that became facts.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trustc  # noqa: E402
from trustc.compiler.shapes import classify  # noqa: E402
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
    exact = [f for f in trustc.compile_file(path).facts()]
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
    compilation = trustc.compile_file(path)
    generic_docs = [d for d in compilation.documents] or None
    if not any(s.format == "generic" for s in compilation.statements):
        return None
    source = read_path(str(path))
    if generic_docs:
        ranges = [(d.first_line, d.last_line) for d in generic_docs if d.layout == "generic"]
    else:
        ranges = [(1, len(source.lines))]
    tokens = set()
    for first, last in ranges:
        for shape in classify(source.lines[first - 1:last], first):
            tokens.update((shape.number, c.start + 1) for c in shape.figures)
    facts = {(f.span.line, f.span.column) for f in compilation.facts()}
    missed = sorted(tokens - facts)
    return {"file": path.name, "tokens": len(tokens), "facts": len(tokens & facts), "missed": missed[:10]}


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
    print("| partial read generically | figure tokens | became facts | share |")
    print("|---|---:|---:|---:|")
    for path in sorted((ROOT / "corpus" / "partial").glob("*.txt")):
        r = partial_share(path)
        if r is not None:
            print(f"| {r['file'][:60]} | {r['tokens']} | {r['facts']} | {pct(r['facts'], r['tokens'])} |")


if __name__ == "__main__":
    main()
