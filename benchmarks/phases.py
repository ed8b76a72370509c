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
"""
from __future__ import annotations

import argparse
import collections
import time
from pathlib import Path

import bench  # benchmarks/ is the script's folder, first on sys.path

import trustc
from trustc import emitters
from trustc.compiler import driver
from trustc.compiler.layout import Layout, layouts

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[bench.REFERENCE])
    parser.add_argument("--repeat", type=int, default=200, help="compiles per file (default 200)")
    args = parser.parse_args()
    for cls in layouts().values():
        cls.parser()  # built once per process, as in a real run
    floor = float("inf")
    for _ in range(max(args.repeat, 300)):
        start = time.process_time()
        sum(1 for _ in bench.TOKENS.finditer(bench.REFERENCE.read_text(encoding="utf-8")))
        floor = min(floor, time.process_time() - start)
    print(f"regex tokenizing pass over the reference: {floor * 1000:.3f} ms (least of {max(args.repeat, 300)})")
    spent: dict[str, float] = collections.defaultdict(float)
    instrument(spent)
    for path in args.files:
        repeat = args.repeat if path.stat().st_size < 100_000 else max(3, args.repeat // 40)
        least = least_phases(path, repeat, spent)
        print(f"{path.name} ({path.stat().st_size:,} bytes), least CPU of {repeat} compiles:")
        for phase in (*PHASES, "rest", "whole"):
            print(f"  {phase:<11} {least[phase] * 1000:9.3f} ms")
        if path == bench.REFERENCE:
            print(f"  whole / regex pass: {least['whole'] / floor:.2f}x (goal <= 3x)")


if __name__ == "__main__":
    main()
