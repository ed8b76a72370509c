"""Batch runs under faults: dead workers, huge or special inputs, name collisions, a second run, a full disk."""
from __future__ import annotations

import errno
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import pytest

from trustc import batch
from trustc.cli import main
from trustc.compiler.source import Refused, read_bytes

from .conftest import CUT_SHORT, REFERENCE, ROOT
from .test_batch import manifest, outputs, stable


def folder_of(tmp_path: Path, count: int, name: str = "in") -> Path:
    src = tmp_path / name
    src.mkdir()
    for i in range(count):
        shutil.copy(REFERENCE if i % 4 else CUT_SHORT, src / f"f{i:03}.txt")
    return src


def by_name(out: Path) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in manifest(out)}


# --- a worker that dies -------------------------------------------------------------------------------

def _poisoned(kill_when):
    real = batch.compile_one

    def compile_one(job, settings, previous=None):
        if kill_when(job):
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return real(job, settings, previous)

    return compile_one


def test_a_worker_killed_by_one_file_costs_that_file_only(tmp_path, monkeypatch):
    src = folder_of(tmp_path, 12)
    clean = tmp_path / "clean"
    batch.run([str(src)], str(clean), jobs=2)
    # forked workers inherit the patch: each one that picks f005 up dies on it, twice
    monkeypatch.setattr(batch, "compile_one", _poisoned(lambda job: job.path.endswith("f005.txt")))
    out = tmp_path / "out"
    summary = batch.run([str(src)], str(out), jobs=2)
    records = by_name(out)
    assert len(manifest(out)) == 12 and summary.failed == 1
    poison = records.pop("f005.txt")
    assert poison["status"] == "failed" and poison["error"].startswith("worker-died:")
    assert "SIGKILL" in poison["error"] and poison["outputs"] == []
    expected = by_name(clean)
    del expected["f005.txt"]
    assert stable(records.values()) == stable(expected.values())  # 11 innocent files, as in a clean run


def test_a_worker_killed_once_is_retried_alone_and_the_run_equals_a_clean_one(tmp_path, monkeypatch):
    src = folder_of(tmp_path, 12)
    clean, out = tmp_path / "clean", tmp_path / "out"
    batch.run([str(src)], str(clean), jobs=2)
    marker = tmp_path / "died-once"

    def first_time(job):
        if job.path.endswith("f007.txt") and not marker.exists():
            marker.write_text("x")
            return True
        return False

    monkeypatch.setattr(batch, "compile_one", _poisoned(first_time))
    summary = batch.run([str(src)], str(out), jobs=2)
    assert marker.exists() and summary.failed == 0
    assert stable(manifest(out)) == stable(manifest(clean))
    assert outputs(out) == outputs(clean)


def _run(args, **kw):
    return subprocess.Popen([sys.executable, "-m", "trustc", "compile", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _workers_started(proc, count: int, journal: Path, timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        found = _children(proc.pid)
        if len(found) >= count and journal.exists():
            return found
        time.sleep(0.01)
    pytest.fail("the run ended, or never started its workers")


def _gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        except OSError:
            return True
        if state == "Z":  # ended, waiting for its reaper
            return True
        time.sleep(0.02)
    return False


needs_proc = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads worker pids from /proc")


@needs_proc
def test_kill_a_worker_mid_batch(tmp_path):
    """A real worker SIGKILLed mid-run: every input one manifest line; the run and a resume equal a clean run."""
    src = folder_of(tmp_path, 40)
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    assert _run([str(src), "-o", str(clean), "--jobs", "2", "-q"]).wait(timeout=300) == 1
    proc = _run([str(src), "-o", str(killed), "--jobs", "2", "-q"])
    victim = _workers_started(proc, 2, killed / batch.MANIFEST)[0]
    os.kill(victim, signal.SIGKILL)
    assert proc.wait(timeout=300) == 1  # as the clean run: CUT_SHORT's error diagnostics, no failure
    assert len(manifest(killed)) == 40
    assert stable(manifest(killed)) == stable(manifest(clean))
    assert outputs(killed) == outputs(clean)
    resumed = _run([str(src), "-o", str(killed), "--jobs", "2", "--resume", "-q"])
    assert resumed.wait(timeout=300) == 1
    assert stable(manifest(killed)) == stable(manifest(clean))


@needs_proc
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_workers_end_with_their_parent(tmp_path, how):
    src = folder_of(tmp_path, 60)
    out = tmp_path / "out"
    proc = _run([str(src), "-o", str(out), "--jobs", "2", "-q"])
    workers = _workers_started(proc, 2, out / batch.MANIFEST)
    os.kill(proc.pid, how)
    status = proc.wait(timeout=30)
    assert status != 0
    assert all(_gone(pid) for pid in workers), "a worker outlived its parent"
    if how != signal.SIGKILL:
        assert b"Traceback" not in proc.stderr.read()


def test_resume_compacts_the_journal_of_repeated_kills(tmp_path):
    src = folder_of(tmp_path, 4)
    out = tmp_path / "out"
    batch.run([str(src)], str(out), jobs=1)
    lines = (out / batch.MANIFEST).read_bytes()
    # three killed resumes' worth of records, and a torn last line
    (out / batch.MANIFEST).write_bytes(lines * 3 + lines[:50])
    seen = []
    real = batch.Journal.add

    def add(journal, record):
        seen.append(os.path.getsize(journal.path))
        return real(journal, record)

    batch.Journal.add = add
    try:
        batch.run([str(src)], str(out), jobs=1, resume=True)
    finally:
        batch.Journal.add = real
    assert seen[0] == len(lines)  # compacted to one line per input before the first new record
    assert (out / batch.MANIFEST).read_bytes() == lines


# --- inputs that are too large, special, or elsewhere -------------------------------------------------

def test_max_bytes_refuses_a_large_file(tmp_path, capsys):
    big = tmp_path / "big.txt"
    big.write_bytes(REFERENCE.read_bytes() * 3)
    assert main(["compile", str(big), "--max-bytes", "1k"]) == 2
    assert "too-large" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["compile", str(big), str(REFERENCE), "-o", str(out), "--max-bytes", "20K", "-q"]) == 2
    records = by_name(out)
    assert records["big.txt"]["status"] == "failed" and records["big.txt"]["error"].startswith("too-large:")
    assert records[REFERENCE.name]["status"] == "ok"  # 12,899 bytes: under the limit


def test_a_gzip_bomb_is_refused_while_it_inflates(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"0" * (64 << 20), compresslevel=9))  # 64 MB of text in ~64 KB
    assert bomb.stat().st_size < 1 << 20
    tracemalloc.start()
    try:
        with pytest.raises(Refused, match="once inflated") as refused:
            read_bytes(str(bomb), max_bytes=1 << 20)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.code == "too-large"
    assert peak < 8 << 20  # read in chunks and stopped at the limit: never the 64 MB


def test_a_corrupt_gzip_is_named(tmp_path, capsys):
    bad = tmp_path / "bad.txt.gz"
    bad.write_bytes(gzip.compress(REFERENCE.read_bytes())[:300])
    assert main(["compile", str(bad)]) == 2
    assert "corrupt-gzip" in capsys.readouterr().err


MEMORY_LIMIT = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (200 << 20, 200 << 20))
from trustc.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS")
def test_out_of_memory_is_a_clear_error_not_a_traceback(tmp_path):
    huge = tmp_path / "huge.txt"
    line = b"      A-1        397,000,000    328,979,574      14,313,806\n"
    huge.write_bytes(line * ((80 << 20) // len(line)))  # 80 MB of class rows: more than 200 MB of memory holds
    single = subprocess.run([sys.executable, "-c", MEMORY_LIMIT, "compile", str(huge), "--max-bytes", "1G"],
                            cwd=ROOT, capture_output=True, timeout=300)
    assert single.returncode == 2
    assert b"Traceback" not in single.stderr and b"out of memory" in single.stderr.lower().replace(b"-", b" ")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-c", MEMORY_LIMIT, "compile", str(huge), str(REFERENCE), "-o", str(out),
                          "--max-bytes", "1G", "--jobs", "1"], cwd=ROOT, capture_output=True, timeout=300)
    assert run.returncode == 2 and b"Traceback" not in run.stderr
    records = by_name(out)
    assert records["huge.txt"]["status"] == "failed" and records["huge.txt"]["error"].startswith("out-of-memory")
    assert records[REFERENCE.name]["status"] == "ok"


def test_a_fifo_is_skipped_never_waited_on(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(REFERENCE, src / "a.txt")
    os.mkfifo(src / "pipe.txt")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, "-m", "trustc", "compile", str(src), "-o", str(out)],
                         cwd=ROOT, capture_output=True, timeout=60)
    assert run.returncode == 0
    records = by_name(out)
    assert records["pipe.txt"]["status"] == "skipped" and "FIFO" in records["pipe.txt"]["error"]
    assert records["a.txt"]["status"] == "ok"
    assert b"1 skipped" in run.stderr
    # given directly, with or without -o, and to `check`: a reason, exit 2, no wait for a writer
    for args in (["compile", str(src / "pipe.txt")], ["check", str(src / "pipe.txt")],
                 ["compile", str(src / "pipe.txt"), "-o", str(tmp_path / "o2")]):
        run = subprocess.run([sys.executable, "-m", "trustc", *args], cwd=ROOT, capture_output=True, timeout=60)
        assert run.returncode == 2 and b"FIFO" in run.stderr, args


def test_a_fifo_is_refused_by_the_reader_too(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(Refused, match="FIFO"):
        read_bytes(str(tmp_path / "pipe"))  # opened without waiting for a writer


def test_symlinks_are_followed_only_inside_the_input_folder(tmp_path):
    outside = tmp_path / "secret.txt"
    shutil.copy(REFERENCE, outside)
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(REFERENCE, src / "a.txt")
    (src / "inside.txt").symlink_to(src / "a.txt")
    (src / "escape.txt").symlink_to(outside)
    out = tmp_path / "out"
    batch.run([str(src)], str(out), jobs=1)
    records = by_name(out)
    assert records["inside.txt"]["status"] == "ok"
    assert records["escape.txt"]["status"] == "skipped" and "--follow-symlinks" in records["escape.txt"]["error"]
    assert not (out / "escape.json").exists()
    followed = tmp_path / "followed"
    assert main(["compile", str(src), "-o", str(followed), "--follow-symlinks", "-q"]) == 0
    assert by_name(followed)["escape.txt"]["status"] == "ok"


def test_include_and_exclude_globs(tmp_path):
    src = tmp_path / "in"
    (src / "deep").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "notes.md", ".hidden.txt", "deep/c.txt", "deep/d.sgml"):
        shutil.copy(REFERENCE, src / name)
    found = lambda *a: sorted(os.path.relpath(p, src) for p in batch.walk([str(src)], batch.Selection(*a)))  # noqa: E731
    assert found() == ["a.txt", "b.txt", "deep/c.txt", "deep/d.sgml", "notes.md"]  # hidden files never
    assert found(("*.txt",)) == ["a.txt", "b.txt", "deep/c.txt"]
    assert found(("*.txt", "*.sgml"), ("b*",)) == ["a.txt", "deep/c.txt", "deep/d.sgml"]
    assert found((), ("deep/*",)) == ["a.txt", "b.txt", "notes.md"]
    out = tmp_path / "out"
    assert main(["compile", str(src), "-o", str(out), "--include", "*.txt", "--exclude", "deep/*", "-q"]) == 0
    assert sorted(by_name(out)) == ["a.txt", "b.txt"]


# --- output names -------------------------------------------------------------------------------------

@pytest.mark.parametrize("to, names", [
    ("csv", ["x.txt", "x.classes.txt", "x.cover.txt"]),
    ("xml", ["x.txt", "x-lab.txt", "x-def.txt", "trustc-2026.txt", "trustc-2026-lab.txt"]),
    ("json", ["x.txt", "x.txt.gz", "x.sgml"]),
])
def test_no_input_overwrites_another_inputs_output(tmp_path, to, names):
    src = tmp_path / "in"
    src.mkdir()
    for name in names:
        data = REFERENCE.read_bytes().replace(b"15-Dec-03", f"{len(name):02}-Dec-03".encode())
        (src / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    out = tmp_path / "out"
    batch.run([str(src)], str(out), to=to, jobs=1)
    records = manifest(out)
    assert len(records) == len(names) and all(r["status"] == "ok" for r in records)
    written = [name for r in records for name in r["outputs"]]
    if to == "xml":
        from trustc.emitters.taxonomy import base_files

        shared = set(base_files())
        assert all((out / name).read_bytes() == data for name, data in base_files().items())  # never replaced
        written = [name for name in written if name not in shared]
    assert len(written) == len(set(written)), written  # each output belongs to one input
    for r in records:  # and holds that input's compilation
        day = f"{len(Path(r['path']).name):02}-Dec"
        primary = out / r["outputs"][0]
        if to == "json":
            assert json.loads(primary.read_text())["source"]["path"] == r["path"]


def test_inputs_keep_their_folder(tmp_path):
    src = tmp_path / "in"
    for d in ("d0", "d1"):
        (src / d).mkdir(parents=True)
        shutil.copy(REFERENCE, src / d / "x.txt")
    out = tmp_path / "out"
    batch.run([str(src)], str(out), jobs=1)
    assert {r["path"]: r["outputs"] for r in manifest(out)} == {
        str(src / "d0" / "x.txt"): ["d0/x.json"], str(src / "d1" / "x.txt"): ["d1/x.json"]}


def test_plan_changes_only_the_names_that_would_clash():
    csv, xml = batch._emitter("csv"), batch._emitter("xml")
    stems = lambda names, e: [j.stem for j in batch.plan([batch.Input(n) for n in names], e)]  # noqa: E731
    assert stems(["x.txt", "x.classes.txt", "x-lab.txt"], csv) == ["x", "x_classes", "x-lab"]
    assert stems(["x.txt", "x.classes.txt", "x-lab.txt"], xml) == ["x", "x.classes", "x_lab"]
    assert stems(["trustc-2026.txt", "manifest.txt"], xml) == ["trustc_2026", "manifest"]
    assert stems(["a/x.txt", "b/x.txt", "c/x.txt"], None) == ["x", "x-2", "x-3"]


# --- the output folder: one run at a time, and a full disk named -----------------------------------

def test_a_second_run_into_the_same_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    with batch.OutputLock(str(out)):
        assert main(["compile", str(REFERENCE), "-o", str(out)]) == 2
        assert "another trustc run is writing into" in capsys.readouterr().err
        assert not (out / batch.MANIFEST).exists()
    assert main(["compile", str(REFERENCE), "-o", str(out), "-q"]) == 0
    assert not (out / batch.LOCK).exists()  # removed when the run ends


@pytest.mark.parametrize("code, named", [(errno.ENOSPC, "disk-full"), (errno.EACCES, "permission-denied"),
                                         (errno.EROFS, "read-only-filesystem")])
def test_a_write_that_fails_is_named_for_what_it_is(tmp_path, monkeypatch, code, named):
    real = tempfile.mkstemp

    def refuse(*args, suffix="", **kw):  # every output file fails to be made; the manifest is written
        if not suffix.endswith(batch.MANIFEST):
            raise OSError(code, os.strerror(code), kw.get("dir"))
        return real(*args, suffix=suffix, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    out = tmp_path / "out"
    out.mkdir()
    summary = batch.run([str(REFERENCE)], str(out), jobs=1)
    (record,) = summary.failures
    assert record["error"].startswith(f"{named}: writing ") and "unreadable" not in record["error"]


def test_outputs_and_manifest_get_the_usual_modes(tmp_path, monkeypatch):
    synced = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    old = os.umask(0o027)
    try:
        out = tmp_path / "out"
        batch.run([str(REFERENCE)], str(out), jobs=1)
    finally:
        os.umask(old)
    for name in ("manifest.jsonl", REFERENCE.stem + ".json"):
        assert (out / name).stat().st_mode & 0o777 == 0o640, name
    assert len(synced) >= 2  # each file on disk before it is renamed into place


# --- resume keys on every option that changes the output ----------------------------------------------

def test_resume_recompiles_when_an_option_changes(tmp_path):
    out = tmp_path / "out"
    batch.run([str(REFERENCE)], str(out), jobs=1)
    again = batch.run([str(REFERENCE)], str(out), to="csv", jobs=1, resume=True)
    assert again.resumed == 0 and (out / (REFERENCE.stem + ".csv")).exists()
    assert manifest(out)[0]["options"] == {"to": "csv", "from": None}
    forced = batch.run([str(REFERENCE)], str(out), to="csv", format="us-bank", jobs=1, resume=True)
    assert forced.resumed == 0
    same = batch.run([str(REFERENCE)], str(out), to="csv", format="us-bank", jobs=1, resume=True)
    assert same.resumed == 1
