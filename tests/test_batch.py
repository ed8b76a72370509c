"""Batch compiles: manifest, pool, resume, and a real kill in the middle of a run."""
from __future__ import annotations

import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import trustc
from trustc import batch
from trustc.cli import main

from .conftest import CUT_SHORT, REFERENCE, ROOT

FIELDS = {"path", "sha256", "bytes", "layouts", "status", "facts", "diagnostics", "errors", "unparsed",
          "outputs", "elapsed_ms", "error", "trustc", "options"}


def manifest(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / batch.MANIFEST).read_text().splitlines()]


def stable(records: list[dict]) -> list[dict]:
    """A manifest without its timings, which no two runs share."""
    return [{k: v for k, v in r.items() if k != "elapsed_ms"} for r in records]


def outputs(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and p.name != batch.MANIFEST}


@pytest.fixture
def inputs(tmp_path) -> Path:
    """The reference, a gzipped copy, one binary file and one empty file in nested folders."""
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(REFERENCE, src / "reference.txt")
    (src / "sub" / "reference.txt.gz").write_bytes(gzip.compress(REFERENCE.read_bytes()))
    (src / "sub" / "image.bin").write_bytes(bytes(range(256)) * 40)
    (src / "sub" / "empty.txt").write_bytes(b"")
    return src


def test_manifest_has_one_line_per_input(inputs, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["compile", str(inputs), "-o", str(out), "--jobs", "2"]) == 2  # one input is binary
    records = {Path(r["path"]).name: r for r in manifest(out)}
    assert set(records) == {"reference.txt", "reference.txt.gz", "image.bin", "empty.txt"}
    assert all(set(r) == FIELDS for r in records.values())

    ref = records["reference.txt"]
    compiled = trustc.compile_file(REFERENCE)
    assert (ref["status"], ref["layouts"], ref["error"]) == ("ok", ["us-bank"], None)
    assert (ref["sha256"], ref["bytes"]) == (compiled.source.sha256, compiled.source.bytes)
    assert ref["facts"] == len(list(compiled.facts())) > 300
    assert ref["diagnostics"] == len(compiled.diagnostics)
    assert ref["outputs"] == ["reference.json"]
    # the same JSON a single compile prints, but for the path it was given
    data = json.loads((out / "reference.json").read_text())
    expected = json.loads(trustc.emit(compiled, "json"))
    assert data["source"]["path"] == ref["path"]
    data["source"]["path"] = expected["source"]["path"]
    assert data == expected

    gz = records["reference.txt.gz"]
    assert (gz["status"], gz["sha256"], gz["facts"]) == ("ok", ref["sha256"], ref["facts"])
    assert gz["outputs"] == ["sub/reference.json"]  # its folder is kept: not overwritten

    binary = records["image.bin"]
    assert binary["status"] == "failed" and binary["error"].startswith("not-text:")
    assert binary["outputs"] == [] and binary["sha256"] is not None

    empty = records["empty.txt"]
    assert (empty["status"], empty["errors"]) == ("diagnostics", 1)

    err = capsys.readouterr().err
    assert "image.bin: error: not-text" in err
    assert "4 files: 2 ok, 1 with error diagnostics, 1 failed" in err


def test_pool_and_single_process_agree(inputs, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    batch.run([str(inputs)], str(one), jobs=1)
    batch.run([str(inputs)], str(two), jobs=2)
    assert stable(manifest(one)) == stable(manifest(two))
    assert outputs(one) == outputs(two)


def test_resume_skips_only_what_is_done(inputs, tmp_path):
    out = tmp_path / "out"
    first = batch.run([str(inputs)], str(out), jobs=1)
    assert (first.total, first.resumed) == (4, 0)
    before = manifest(out)

    again = batch.run([str(inputs)], str(out), jobs=1, resume=True)
    # done files are skipped; the failed one is tried again
    assert (again.total, again.resumed, again.failed) == (4, 3, 1)
    assert stable(manifest(out)) == stable(before)
    by_name = {Path(r["path"]).name: r for r in manifest(out)}
    assert by_name["reference.txt"] == {Path(r["path"]).name: r for r in before}["reference.txt"]

    # changed bytes, or a deleted output, mean compiling again
    (inputs / "reference.txt").write_bytes(REFERENCE.read_bytes().replace(b"15-Dec-03", b"15-Jan-04"))
    os.unlink(out / "sub" / "reference.json")
    third = batch.run([str(inputs)], str(out), jobs=1, resume=True)
    assert (third.total, third.resumed) == (4, 1)  # only empty.txt was untouched and done
    assert json.loads((out / "reference.json").read_text())["statements"][0]["distribution_date"] == "2004-01-15"
    assert (out / "sub" / "reference.json").exists()


def test_resume_reads_a_torn_journal(inputs, tmp_path):
    out = tmp_path / "out"
    batch.run([str(inputs)], str(out), jobs=1)
    text = (out / batch.MANIFEST).read_bytes()
    (out / batch.MANIFEST).write_bytes(text[: len(text) - 40])  # a kill in the middle of the last line
    summary = batch.run([str(inputs)], str(out), jobs=1, resume=True)
    assert summary.total == 4 and len(manifest(out)) == 4


def test_empty_input_folder_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    assert main(["compile", str(tmp_path / "in"), "-o", str(tmp_path / "out")]) == 2
    assert "no input files" in capsys.readouterr().err


def _run(args, **kw):
    return subprocess.Popen([sys.executable, "-m", "trustc", "compile", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)


def test_kill_and_resume_equals_one_clean_run(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(80):  # enough work that the kill lands mid-run
        shutil.copy(REFERENCE if i % 4 else CUT_SHORT, src / f"f{i:03}.txt")  # CUT_SHORT compiles with errors
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    assert _run([str(src), "-o", str(clean), "--jobs", "2", "--quiet"]).wait(timeout=300) == 1

    # its own process group, so the kill takes the pool's workers with it, as a crash of the machine would
    proc = _run([str(src), "-o", str(killed), "--jobs", "2", "--quiet"], start_new_session=True)
    journal = killed / batch.MANIFEST
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if journal.exists() and journal.stat().st_size > 0:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = journal.read_bytes().count(b"\n")
    assert 0 < done < 80  # killed mid-run: part of the work is on disk

    resumed = _run([str(src), "-o", str(killed), "--jobs", "2", "--resume"])
    assert resumed.wait(timeout=300) == 1
    assert f"({done} already done)".encode() in resumed.stderr.read()
    assert stable(manifest(killed)) == stable(manifest(clean))
    assert len(manifest(killed)) == 80
    assert outputs(killed) == outputs(clean)
    assert not list(killed.glob(".tmp-*"))  # no temporary file left behind by the kill


def test_progress_bar_on_a_terminal_only(inputs, tmp_path):
    import pty

    def stderr_of(*extra):
        # stderr is a pseudo-terminal, as in an interactive shell; stdout is not
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "trustc", "compile", str(inputs), "-o",
                                 str(tmp_path / "out"), "--jobs", "1", *extra],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=follower)
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # the terminal closed: the run is over
                break
            if not data:
                break
            chunks.append(data)
        proc.wait(timeout=120)
        os.close(leader)
        return b"".join(chunks).decode("utf-8", "replace")

    shown = stderr_of()
    assert "files/s" in shown and "1 failed" in shown
    assert "files/s" not in stderr_of("--quiet")


def test_a_recompiled_input_is_not_counted_as_resumed_when_its_record_is_the_same(inputs, tmp_path, monkeypatch):
    """Resumed means taken over from the last run, not "a record equal to the last one": with a clock that
    does not move, a recompiled input's record (elapsed_ms 0.0) equals its previous one."""
    monkeypatch.setattr(batch.time, "perf_counter", lambda: 0.0)
    out = tmp_path / "out"
    batch.run([str(inputs)], str(out), jobs=1)
    os.unlink(out / "sub" / "reference.json")  # its input must be compiled again
    again = batch.run([str(inputs)], str(out), jobs=1, resume=True)
    assert (again.total, again.resumed) == (4, 2)  # reference.txt and empty.txt; not sub/reference.txt.gz
    assert (out / "sub" / "reference.json").exists()
    assert all(batch.RESUMED not in r for r in manifest(out))
