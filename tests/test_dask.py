"""--scheduler: the same batch on a Dask cluster gives the manifest and outputs of the process pool."""
from __future__ import annotations

import gzip
import shutil
import subprocess
import sys

import pytest

from trustc import batch
from trustc.cli import main

from .conftest import CUT_SHORT, REFERENCE
from .test_batch import manifest, outputs, stable

distributed = pytest.importorskip("distributed")


@pytest.fixture
def inputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        shutil.copy(REFERENCE, src / f"ref{i}.txt")
    shutil.copy(CUT_SHORT, src)  # compiles with errors
    (src / "ref.txt.gz").write_bytes(gzip.compress(REFERENCE.read_bytes()))
    (src / "blob.bin").write_bytes(bytes(range(256)) * 8)
    return src


@pytest.mark.parametrize("to", ["json", "parquet"])
def test_dask_cluster_equals_process_pool(inputs, tmp_path, to):
    if to == "parquet":
        pytest.importorskip("pyarrow")
    pool, cluster_out = tmp_path / "pool", tmp_path / "dask"
    assert main(["compile", str(inputs), "-o", str(pool), "--to", to, "--jobs", "2", "-q"]) == 2
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        status = main(["compile", str(inputs), "-o", str(cluster_out), "--to", to, "-q",
                       "--scheduler", cluster.scheduler_address])
    assert status == 2  # blob.bin is not a filing, on either engine
    records = manifest(cluster_out)
    assert len(records) == 9 and sum(r["status"] == "ok" for r in records) == 7
    assert stable(records) == stable(manifest(pool))
    assert outputs(cluster_out) == outputs(pool)


def test_dask_resume_skips_done_inputs(inputs, tmp_path):
    out = tmp_path / "out"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster:
        first = batch.run([str(inputs)], str(out), scheduler=cluster.scheduler_address)
        again = batch.run([str(inputs)], str(out), scheduler=cluster.scheduler_address, resume=True)
    assert (first.total, first.resumed) == (9, 0)
    assert (again.total, again.resumed, again.failed) == (9, 8, 1)


def test_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(batch, "DASK_TIMEOUT", "2s")
    assert main(["compile", str(REFERENCE), "-o", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_threads_of_a_fresh_worker_compile_like_one(tmp_path):
    # Dask workers run several tasks as threads of one process; the first ones race to load the layout registry.
    script = (
        "import sys, threading, trustc\n"
        f"path = {str(REFERENCE)!r}\n"
        "out = [None] * 4\n"
        "def go(i): out[i] = trustc.emit(trustc.compile_file(path), 'json')\n"
        "threads = [threading.Thread(target=go, args=(i,)) for i in range(4)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "sys.exit(0 if len(set(out)) == 1 and '\"unknown-layout\"' not in out[0] else 1)\n"
    )
    assert subprocess.run([sys.executable, "-c", script]).returncode == 0
