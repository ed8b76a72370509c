"""Peak memory of one large input (a script, not a test: it takes minutes and RSS varies by machine).

    python benchmarks/memory.py [--mb 100] [--kind repeated|submission|statements] [--copies N]
                                [--how dir|file|stdout] [--to FORMAT]

Builds an input of the given size in a temporary folder and runs
`trustc compile -q FILE --to FORMAT -o OUT/` (--how file: `-o OUT.FORMAT`; --how stdout:
`> OUT.FORMAT`) on it in a fresh process, then prints the input size, the wall and CPU time, the
peak resident memory of that process and its ratio to the input, and the size of
the output written.

- repeated: the reference 8-K copied end to end into one document: the first
  copy compiles, every later line is reported as unparsed (the worst case for
  diagnostics: one per line);
- submission: an EDGAR <SUBMISSION> holding the reference as one <DOCUMENT>
  per copy: every document compiles (the worst case for facts: ~390 per copy).
- statements: real statements, many to a document: the RFMSI excerpt's envelope
  and 8-K, then its EX-1's 60 pool statements printed again and again in one
  EX-1 document (90 times is about 50 MB), then the excerpt's closing lines.
  Every copy compiles (~16,000 facts per copy): the case for streaming.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "corpus" / "filings" / "absc-2003-he2_8k_2003-12-15.txt"
EXCERPT = ROOT / "corpus" / "filings" / "rfmsi-conduit_8k_2000-12-26.excerpt.txt"


def build_statements(path: Path, size: int = 0, copies: int = 0) -> int:
    """The excerpt with its EX-1's statements `copies` times (or as often as makes `size` bytes); the copies."""
    lines = EXCERPT.read_bytes().splitlines(keepends=True)
    text_tag = [i for i, line in enumerate(lines) if line.strip() == b"<TEXT>"][-1]  # the EX-1's <TEXT>
    head, body, tail = lines[: text_tag + 1], lines[text_tag + 1 : -3], lines[-3:]
    head, body, tail = b"".join(head), b"".join(body), b"".join(tail)
    copies = copies or max(1, round((size - len(head) - len(tail)) / len(body)))
    with open(path, "wb") as out:
        out.write(head)
        for _ in range(copies):
            out.write(body)
        out.write(tail)
    return copies


def build(kind: str, size: int, path: Path) -> None:
    if kind == "statements":
        build_statements(path, size)
        return
    text = REFERENCE.read_bytes()
    with open(path, "wb") as out:
        written = 0
        if kind == "submission":
            head = b"<SUBMISSION>\n<ACCESSION-NUMBER>0000000000-00-000000\n<TYPE>8-K\n</SUBMISSION>\n"
            out.write(head)
            written += len(head)
            n = 0
            while written < size:
                n += 1
                doc = b"<DOCUMENT>\n<TYPE>8-K\n<SEQUENCE>%d\n<TEXT>\n" % n + text + b"\n</TEXT>\n</DOCUMENT>\n"
                out.write(doc)
                written += len(doc)
        else:
            while written < size:
                chunk = text[: size - written] if size - written < len(text) + 1 else text + b"\n"
                out.write(chunk)
                written += len(chunk)


# Runs trustc's command line in this process and records the peak RSS of it and of any worker it
# started (a batch may compile in a pool), so each measurement is its own, whatever ran before.
_CHILD = """import resource, sys
from trustc.cli import main
status = main(sys.argv[2:])
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
open(sys.argv[1], "w").write(str(peak))
sys.exit(status)
"""
HOW = {"stdout": "to stdout (redirected to a file)", "file": "-o FILE", "dir": "-o DIR/"}


def measure(source: Path, how: str = "dir", to: str = "json") -> dict:
    """`trustc compile -q SOURCE --to TO` in a fresh process, written as `how` says (HOW): time, peak RSS,
    output size."""
    with tempfile.TemporaryDirectory(prefix="trustc-memory-out-") as tmp:
        peak_file, out = Path(tmp) / "peak", Path(tmp) / "out"
        cmd = [sys.executable, "-c", _CHILD, str(peak_file), "compile", "-q", str(source), "--to", to]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        if how == "stdout":
            with open(out.with_suffix(f".{to}"), "wb") as sink:
                proc = subprocess.run(cmd, cwd=ROOT, stdout=sink, stderr=subprocess.PIPE)
        else:
            target = str(out.with_suffix(f".{to}")) if how == "file" else str(out) + os.sep
            proc = subprocess.run(cmd + ["-o", target], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        written = sum(p.stat().st_size for p in Path(tmp).rglob("*") if p.is_file() and p != peak_file)
        peak = int(peak_file.read_text()) * 1024 if peak_file.exists() else 0  # Linux: KB
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode(errors="replace")[-2000:])
    return {"exit": proc.returncode, "seconds": seconds, "written": written, "peak": peak,
            "cpu": usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime}


def report(label: str, size: int, r: dict) -> str:
    return (f"{label}: input {size / 1e6:5.1f} MB, exit {r['exit']}, {r['seconds']:6.1f} s wall, "
            f"{r['cpu']:6.1f} s CPU; peak RSS {r['peak'] / 1e6:7.1f} MB = {r['peak'] / size:5.1f} x the input; "
            f"output {r['written'] / 1e6:6.1f} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--kind", choices=["repeated", "submission", "statements"], default="repeated")
    parser.add_argument("--copies", type=int, help="statements: the EX-1 this many times (90 is about 50 MB), not --mb")
    parser.add_argument("--how", choices=sorted(HOW), default="dir", help="where the output goes (default -o DIR/)")
    parser.add_argument("--to", default="json", help="the output format (default json)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trustc-memory-") as tmp:
        source = Path(tmp) / "big.txt"
        if args.kind == "statements" and args.copies:
            build_statements(copies=args.copies, path=source)
        else:
            build(args.kind, int(args.mb * 1024 * 1024), source)
        size = source.stat().st_size
        r = measure(source, args.how, args.to)
    print(report(f"{args.kind}, --to {args.to} {HOW[args.how]}", size, r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
