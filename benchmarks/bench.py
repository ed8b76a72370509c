"""Speed of trustc on the corpus (a script, not a test: timings vary by machine).

    python benchmarks/bench.py [--repeat N] [--files N] [--quick]

Prints, in one run:
- the median full compile of the reference filing (read, parse, AST, whatever
  checks the driver runs, JSON) beside one regex tokenizing pass over the same
  file (the floor for any tokenizing compiler, see ../shared/design/NOTES.md)
  and their ratio (goal: at most 3x), then the same ratio of least-of-N CPU times,
  which moves far less between runs on a shared machine
  (benchmarks/phases.py splits the compile into its phases);
- MB/s of the full compile on the reference and on the 560 KB RFMSI excerpt
  (goal: the same, i.e. linear in the input);
- files/s of `trustc compile DIR -o OUT` over N copies of the reference with 1
  and with 2 jobs (goal: 2 jobs at least 1.7x one job), each batch in a fresh
  process, with its peak memory (parent and largest worker) beside a batch a
  tenth the size (goal: flat in the number of files);
- with --memory (minutes): peak RSS of `trustc compile` in a fresh process on the
  RFMSI excerpt (goal <= 100 MB) and on a 50 MB filing of real statements (the
  excerpt's envelope and 8-K, then its EX-1's 60 pool statements 90 times in one
  document, built in a temporary folder; goal <= 300 MB), each written to stdout,
  with -o FILE.json and with -o DIR/ (benchmarks/memory.py).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILINGS = ROOT / "corpus" / "filings"
REFERENCE = FILINGS / "absc-2003-he2_8k_2003-12-15.txt"
EXCERPT = FILINGS / "rfmsi-conduit_8k_2000-12-26.excerpt.txt"
TEN_D = FILINGS / "cgcmt-2016-p5_10-d_2025-01-13.html.txt"  # the HTML 10-D, once it is in the corpus
# One alternation of the token shapes the grammar distinguishes: figures, words, rules, newlines.
TOKENS = re.compile(r"\(?[-+]?\$?\d[\d,]*(?:\.\d+)?\)?%?|N/A|[A-Za-z][\w.'/()-]*|-{3,}|=+|\n|\S")


def least_cpu_ms(fn, repeat: int) -> float:
    """Least CPU milliseconds of `repeat` runs: what the work costs when nothing else gets in its way.

    On a shared machine a median moves by +-40% between runs; the least moves by a few percent,
    so the ratio of two least-of-N figures is the one to compare across runs.
    """
    least = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        least = min(least, time.process_time() - start)
    return least * 1000


def median_ms(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds. On a shared machine the CPU time is the steadier."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def batch_child(folder: str, jobs: int) -> None:
    """Run in a fresh process: one batch, then its time and peak memory as JSON on stdout."""
    import resource

    from trustc import batch

    out = tempfile.mkdtemp(prefix="trustc-bench-out-")
    try:
        start = time.perf_counter()
        summary = batch.run([folder], out, jobs=jobs)
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(json.dumps({
        "seconds": seconds, "files": summary.total, "failed": summary.failed,
        "rss_parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_worker_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }))


def run_batch(folder: Path, jobs: int) -> dict:
    cmd = [sys.executable, __file__, "--batch-child", str(folder), str(jobs)]
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def copies(n: int, where: Path) -> Path:
    folder = where / f"copies-{n}"
    folder.mkdir()
    data = REFERENCE.read_bytes()
    for i in range(n):
        (folder / f"filing-{i:06}.txt").write_bytes(data)
    return folder


def peak_memory(copies: int) -> None:
    import memory  # benchmarks/ is the script's folder, first on sys.path

    print("peak memory: trustc compile -q FILE in a fresh process (wall and CPU time of that process)")
    with tempfile.TemporaryDirectory(prefix="trustc-bench-memory-") as tmp:
        big = Path(tmp) / "statements.txt"
        memory.build_statements(big, copies=copies)
        for label, path, goal in (("RFMSI excerpt", EXCERPT, 100), (f"{copies} x the EX-1", big, 300)):
            for how in ("stdout", "file", "dir"):
                r = memory.measure(path, how)
                print(f"  {memory.report(f'{label:>15}, {memory.HOW[how]:<32}', path.stat().st_size, r)}"
                      f" (goal <= {goal} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="compiles per median (default 200)")
    parser.add_argument("--files", type=int, default=1000, help="copies of the reference in the batch (1000)")
    parser.add_argument("--quick", action="store_true", help="only the single-file figures")
    parser.add_argument("--memory", action="store_true", help="only peak memory: the RFMSI excerpt and 50 MB of statements")
    parser.add_argument("--copies", type=int, default=90, help="with --memory: copies of the EX-1's statements (90)")
    parser.add_argument("--batch-child", nargs=2, metavar=("DIR", "JOBS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.batch_child:
        batch_child(args.batch_child[0], int(args.batch_child[1]))
        return

    if args.memory:
        peak_memory(args.copies)
        return

    import trustc
    from trustc.compiler.layout import layouts

    for cls in layouts().values():
        cls.parser()  # built once per process, as in a real run

    def regex_pass():
        sum(1 for _ in TOKENS.finditer(REFERENCE.read_text(encoding="utf-8")))

    def full_compile(path=REFERENCE):
        trustc.emit(trustc.compile_file(str(path)), "json")

    full_compile()
    floor, floor_cpu = median_ms(regex_pass, args.repeat)
    full, full_cpu = median_ms(full_compile, args.repeat)
    size = REFERENCE.stat().st_size
    print(f"reference filing ({size:,} bytes, {len(REFERENCE.read_bytes().splitlines())} lines)   wall / CPU")
    print(f"  regex tokenizing pass : {floor:8.3f} ms {floor_cpu:8.3f} ms")
    print(f"  full compile + JSON   : {full:8.3f} ms {full_cpu:8.3f} ms")
    print(f"  ratio                 : {full / floor:8.2f}x   {full_cpu / floor_cpu:8.2f}x   (goal <= 3x)")
    least_floor, least_full = least_cpu_ms(regex_pass, args.repeat), least_cpu_ms(full_compile, args.repeat)
    print(f"  least CPU of {args.repeat}: regex pass {least_floor:.3f} ms, full compile + JSON {least_full:.3f} ms, "
          f"ratio {least_full / least_floor:.2f}x (goal <= 3x; the steadier ratio)")

    big = EXCERPT.stat().st_size
    excerpt, excerpt_cpu = median_ms(lambda: full_compile(EXCERPT), max(3, args.repeat // 40))
    small_rate, big_rate = size / 1e3 / full_cpu, big / 1e3 / excerpt_cpu
    print("throughput (full compile + JSON, CPU time)")
    print(f"  reference   {size / 1e3:7.1f} KB : {small_rate:6.2f} MB/s")
    print(f"  RFMSI excerpt {big / 1e3:5.1f} KB : {big_rate:6.2f} MB/s   ({excerpt_cpu:.1f} ms; "
          f"{big_rate / small_rate:.2f}x the reference's rate, goal 1.0x)")
    if TEN_D.exists():
        ten_d = TEN_D.stat().st_size
        _wall, ten_d_cpu = median_ms(lambda: full_compile(TEN_D), max(3, args.repeat // 40))
        rate = ten_d / 1e3 / ten_d_cpu
        print(f"  10-D (HTML)  {ten_d / 1e3:6.1f} KB : {rate:6.2f} MB/s   ({ten_d_cpu:.1f} ms; "
              f"{rate / small_rate:.2f}x the reference's rate, goal 1.0x)")
    if args.quick:
        return

    with tempfile.TemporaryDirectory(prefix="trustc-bench-") as tmp:
        many = copies(args.files, Path(tmp))
        few = copies(max(1, args.files // 10), Path(tmp))
        print("batch: trustc compile DIR -o OUT (JSON), copies of the reference, fresh process each, wall clock")
        rates = {}
        for jobs in (1, 2):
            for folder, n in ((few, args.files // 10), (many, args.files)):
                r = run_batch(folder, jobs)
                assert r["files"] == n and r["failed"] == 0, r
                rate = n / r["seconds"]
                if folder is many:
                    rates[jobs] = rate
                print(f"  {n:6} files, {jobs} job{'s' if jobs > 1 else ' '}: {rate:7.1f} files/s ({r['seconds']:6.2f} s)"
                      f"   peak memory: parent {r['rss_parent_mb']:6.1f} MB, worker {r['rss_worker_mb']:6.1f} MB")
        print(f"  2 jobs / 1 job        : {rates[2] / rates[1]:8.2f}x   (goal >= 1.7x; {os.cpu_count()} cores here)")


if __name__ == "__main__":
    main()
