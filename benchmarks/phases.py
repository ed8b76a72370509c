"""Where a compile's CPU goes, phase by phase (a script, not a test: timings vary by machine).

    python benchmarks/phases.py [FILE ...] [--repeat N]

For each file (default: the reference filing), the least CPU time over N compiles
(default 200) of each phase: reading, envelope, detection, the Lark parse (line
classification included), the layout's assemble, the nothing-lost accounting, the
checks and the JSON emitter, beside one regex tokenizing pass over the same file
(bench.py's floor). Least-of-N, not the median: on a shared machine the least is
the figure that moves least between runs. Phases are timed by wrapping the driver's
functions, so the phases do not add up exactly to the whole; "rest" is what the
wrapped phases leave of the whole.

With --floor, also the least that any compile keeping this design costs on the
file: reading, the Lark parse (line classification included), one Decimal, Span
and Fact per figure the compile found (values parsed from the printed text), and
the JSON of those facts, without detection, tables, checks or accounting. Its ratio
to the regex pass says which goals the design can reach at all.
"""
from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

import orjson

import bench  # benchmarks/ is the script's folder, first on sys.path

import trustc
from trustc import emitters
from trustc.compiler import driver
from trustc.compiler.ast import Fact, Span
from trustc.compiler.layout import Layout, layouts
from trustc.compiler.numbers import NotAFigure, parse_number

PHASES = ("read", "envelope", "detect", "parse", "assemble", "accounting", "checks", "json")


def instrument(spent: dict[str, float]) -> None:
    """Wrap each phase's entry point so its CPU time adds to `spent[phase]`."""

    def timed(phase, fn):
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[phase] += time.process_time() - start
        return wrapper

    for name, phase in (("read_source", "read"), ("_split_documents", "envelope"), ("choose_layouts", "detect"),
                        ("unread_figures", "accounting"), ("check_statements", "checks")):
        setattr(driver, name, timed(phase, getattr(driver, name)))
    classes = {base for cls in layouts().values() for base in cls.__mro__} | {Layout}
    for cls in classes:
        for method, phase in (("parse", "parse"), ("assemble", "assemble")):
            if method in vars(cls):
                setattr(cls, method, timed(phase, vars(cls)[method]))


def least_phases(path: Path, repeat: int, spent: dict[str, float]) -> dict[str, float]:
    least = collections.defaultdict(lambda: float("inf"))
    for _ in range(repeat):
        spent.clear()
        start = time.process_time()
        compilation = trustc.compile_file(str(path))
        middle = time.process_time()
        emitters.emit(compilation, "json")
        end = time.process_time()
        spent["json"] = end - middle
        spent["whole"] = end - start
        spent["rest"] = spent["whole"] - sum(spent[p] for p in PHASES)
        for phase, seconds in spent.items():
            least[phase] = min(least[phase], seconds)
    return least


def value(raw: str):
    try:
        return parse_number(raw)[0]
    except NotAFigure:
        return raw


def floor(path: Path, repeat: int, least: dict[str, float]) -> float:
    """The design's floor on `path` (see --floor), printed beside the phases it keeps."""
    facts = [f for s in trustc.compile_file(str(path)).statements for f in s.facts]

    def build():
        return [Fact(f.concept, f.label, value(f.raw), f.unit, f.raw,
                     Span(f.span.line, f.span.column, f.span.end_line, f.span.end_column), f.dims) for f in facts]

    def write():
        orjson.dumps([{"concept": f.concept, "label": f.label, "value": f.raw, "unit": f.unit, "dims": f.dims,
                       "raw": f.raw, "span": {"line": f.span.line, "column": f.span.column,
                                              "end_line": f.span.end_line, "end_column": f.span.end_column}}
                      for f in built], option=orjson.OPT_INDENT_2)

    built = build()
    objects, json = bench.least_cpu_ms(build, repeat), bench.least_cpu_ms(write, repeat)
    total = least["read"] * 1000 + least["parse"] * 1000 + objects + json
    print(f"  floor: read {least['read'] * 1000:.3f} + parse {least['parse'] * 1000:.3f} + {len(facts)} facts "
          f"{objects:.3f} + their JSON {json:.3f} = {total:.3f} ms")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[bench.REFERENCE])
    parser.add_argument("--repeat", type=int, default=200, help="compiles per file (default 200)")
    parser.add_argument("--floor", action="store_true", help="also the design's floor (see above)")
    args = parser.parse_args()
    for cls in layouts().values():
        cls.parser()  # built once per process, as in a real run
    def regex_pass():
        sum(1 for _ in bench.TOKENS.finditer(bench.REFERENCE.read_text(encoding="utf-8")))

    regex = bench.least_cpu_ms(regex_pass, max(args.repeat, 300)) / 1000
    print(f"regex tokenizing pass over the reference: {regex * 1000:.3f} ms (least of {max(args.repeat, 300)})")
    spent: dict[str, float] = collections.defaultdict(float)
    instrument(spent)
    for path in args.files:
        repeat = args.repeat if path.stat().st_size < 100_000 else max(3, args.repeat // 40)
        least = least_phases(path, repeat, spent)
        print(f"{path.name} ({path.stat().st_size:,} bytes), least CPU of {repeat} compiles:")
        for phase in (*PHASES, "rest", "whole"):
            print(f"  {phase:<11} {least[phase] * 1000:9.3f} ms")
        if path == bench.REFERENCE:
            print(f"  whole / regex pass: {least['whole'] / regex:.2f}x (goal <= 3x)")
        if args.floor:
            least_floor = floor(path, repeat, least)
            if path == bench.REFERENCE:
                print(f"  floor / regex pass: {least_floor / (regex * 1000):.2f}x")


if __name__ == "__main__":
    main()
