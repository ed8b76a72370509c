"""Peak memory of one large input (a script, not a test: it takes minutes and RSS varies by machine).

    python benchmarks/memory.py [--mb 100] [--kind repeated|submission]

Builds an input of the given size in a temporary folder and runs
`trustc compile FILE -o OUT` on it in a fresh process, then prints the input
size, the wall time, the peak resident memory of that process and its ratio to
the input, and the size of the JSON written.

- repeated: the reference 8-K copied end to end into one document: the first
  copy compiles, every later line is reported as unparsed (the worst case for
  diagnostics: one per line);
- submission: an EDGAR <SUBMISSION> holding the reference as one <DOCUMENT>
  per copy: every document compiles (the worst case for facts: ~390 per copy).
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


def build(kind: str, size: int, path: Path) -> None:
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--kind", choices=["repeated", "submission"], default="repeated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="trustc-memory-") as tmp:
        source, out = Path(tmp) / "big.txt", Path(tmp) / "out"
        build(args.kind, int(args.mb * 1024 * 1024), source)
        size = source.stat().st_size
        start = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "trustc", "compile", "-q", str(source), "-o", str(out)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # Linux: KB
        written = sum(p.stat().st_size for p in out.glob("*.json")) if out.exists() else 0
    print(f"input {size / 1e6:8.1f} MB ({args.kind}), exit {proc.returncode}, {seconds:7.1f} s")
    print(f"peak RSS {peak / 1e6:8.1f} MB = {peak / size:5.1f} x the input; JSON written {written / 1e6:8.1f} MB")
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr.decode(errors="replace")[-2000:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
