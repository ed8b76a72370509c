"""Speed of trustc on the corpus (a script, not a test: timings vary by machine).

    python benchmarks/bench.py [--repeat N]

Prints the median full compile of the reference filing (parse, AST, JSON)
beside one regex tokenizing pass over the same file (the floor for any
tokenizing compiler, see ../shared/design/NOTES.md) and their ratio.
"""
from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

import trustc
from trustc.compiler.layout import layouts

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "corpus" / "filings" / "absc-2003-he2_8k_2003-12-15.txt"
# One alternation of the token shapes the grammar distinguishes: figures, words, rules, newlines.
TOKENS = re.compile(r"\(?[-+]?\$?\d[\d,]*(?:\.\d+)?\)?%?|N/A|[A-Za-z][\w.'/()-]*|-{3,}|=+|\n|\S")


def median_ms(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    for cls in layouts().values():
        cls.parser()  # built once per process, as in a real run

    def regex_pass():
        sum(1 for _ in TOKENS.finditer(REFERENCE.read_text(encoding="utf-8")))

    def full_compile():
        trustc.emit(trustc.compile_file(str(REFERENCE)), "json")

    full_compile()
    floor = median_ms(regex_pass, args.repeat)
    full = median_ms(full_compile, args.repeat)
    print(f"reference filing ({REFERENCE.stat().st_size:,} bytes)")
    print(f"  regex tokenizing pass : {floor:8.3f} ms")
    print(f"  full compile + JSON   : {full:8.3f} ms")
    print(f"  ratio                 : {full / floor:8.2f}x")


if __name__ == "__main__":
    main()
