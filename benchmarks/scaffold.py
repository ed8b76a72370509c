"""What `trustc new-layout` drafts from each partial, beside what the generic reader reads of it.

    python benchmarks/scaffold.py           # the table of docs/adding-a-layout.md ("What a draft gives")

Per partial of corpus/partial: the mode the draft chose (lines: lines.lark's kinds and cells;
generic: generic.lark's kinds and shapes.py's cells), the non-blank lines of its statement
document and how many the draft's grammar placed, the facts the draft makes of the sample
and how many carry a concept (the shared dictionary matched the label: concepts.match_label),
how many labels left to map have a concept suggested in the spec (their last words name one:
concepts.match_label_words), the size of the draft (lines of grammar + spec), and the same two counts for `trustc compile
-f generic` on the whole file.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trustc.compiler.driver import compile_file  # noqa: E402
from trustc.scaffold import draft  # noqa: E402


def main() -> None:
    rows = []
    print("| partial | mode | lines placed | draft facts | with a concept | labels with a suggestion "
          "| grammar + spec lines | generic facts | with a concept | s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for path in sorted((ROOT / "corpus" / "partial").glob("*.txt")):
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as folder:
            try:
                result = draft(str(path), "bench-draft", Path(folder))
                size = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in Path(folder).glob("bench_draft.*"))
            except ValueError as refused:
                result = None
                why = str(refused).split(": ", 1)[-1]
        seconds = time.perf_counter() - started
        generic = [f for s in compile_file(path, format="generic").statements for f in s.facts]
        named = sum(f.concept is not None for f in generic)
        name = path.name[:60]
        if result is None:
            print(f"| {name} | refused: {why} | | | | | | {len(generic)} | {named} | {seconds:.1f} |")
            continue
        total = result.lines + len(result.unparsed)
        rows.append((result, generic, named))
        suggested = sum(len(m.suggested) for m in result.mappings)
        print(f"| {name} | {result.mode} | {result.lines}/{total} | {result.facts} | {result.concepts} "
              f"| {suggested} | {size} | {len(generic)} | {named} | {seconds:.1f} |")
    print(f"| **{len(rows)} drafted** | | | **{sum(r.facts for r, _g, _n in rows)}** "
          f"| **{sum(r.concepts for r, _g, _n in rows)}** "
          f"| **{sum(len(m.suggested) for r, _g, _n in rows for m in r.mappings)}** | | **{sum(len(g) for _r, g, _n in rows)}** "
          f"| **{sum(n for _r, _g, n in rows)}** | |")


if __name__ == "__main__":
    main()
