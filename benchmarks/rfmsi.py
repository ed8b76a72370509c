"""Compile time of the Residential Funding layout on the RFMSI excerpt (a script, not a test).

    python benchmarks/rfmsi.py [--repeat N]

Prints the median time of the rfmsi layout alone (line lexer, LALR parse with the
inline transformer, assembly of the 60 statements) on the excerpt's EX-1 document,
the same for the us-bank layout on the reference statement, and the full compile
(envelope, 8-K cover, layout, checks, JSON) of both files, each in MB/s of CPU time (on a
shared machine the steadier clock): the layout is linear when its MB/s on the 560 KB excerpt is that of the 13 KB reference.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import trustc
from trustc.compiler.driver import _split_documents
from trustc.compiler.layout import get_layout, layouts
from trustc.compiler.source import read_path

from bench import median_ms  # benchmarks/ is the script's folder, first on sys.path

FILINGS = Path(__file__).resolve().parent.parent / "corpus" / "filings"
EXCERPT = FILINGS / "rfmsi-conduit_8k_2000-12-26.excerpt.txt"
REFERENCE = FILINGS / "absc-2003-he2_8k_2003-12-15.txt"


def layout_view(path: Path, layout_id: str):
    """The lines of the document the layout compiles, and their size in bytes."""
    source = read_path(str(path))
    _envelope, slices = _split_documents(source)
    first, last = 1, len(source.lines)
    for piece in slices or ():
        if piece.type is not None and piece.type.value.startswith("EX"):
            first, last = piece.first_line, piece.last_line
    view = source.view(first, last)
    size = sum(len(text.encode()) + 1 for _n, text in view)
    return get_layout(layout_id)(), view, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="runs per median (default 9)")
    args = parser.parse_args()
    for cls in layouts().values():
        cls.parser()  # built once per process, as in a real run
    for label, path, layout_id, repeat in (("RFMSI EX-1", EXCERPT, "rfmsi", args.repeat),
                                          ("reference", REFERENCE, "us-bank", args.repeat * 20)):
        layout, view, size = layout_view(path, layout_id)
        _wall, alone = median_ms(lambda: layout.compile(view), repeat)
        _wall, full = median_ms(lambda: trustc.emit(trustc.compile_file(str(path)), "json"), repeat)
        total = path.stat().st_size
        print(f"{label:10} layout {layout_id:8} {size / 1e3:6.1f} KB {alone:8.1f} ms {size / 1e3 / alone:5.2f} MB/s"
              f" | whole file {total / 1e3:6.1f} KB, compile + checks + JSON {full:8.1f} ms"
              f" {total / 1e3 / full:5.2f} MB/s")

if __name__ == "__main__":
    main()
