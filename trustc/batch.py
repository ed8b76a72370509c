"""Compiling many filings: a process pool or a Dask cluster, a manifest, resume.

Work is cut into chunks of files (per-task overhead is ~0.2 ms in a process
pool, see ../shared/design/NOTES.md, so one task per file would cost more than
the scheduling is worth). Workers write each output atomically; the main
process appends one manifest line per input as chunks finish (a journal that
survives a kill), then rewrites `manifest.jsonl` in input order once at the end.
A killed run resumed with `--resume` recompiles only what the journal does not
show as done, so it ends with the same outputs and manifest as one clean run.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import sys
import time
from collections import deque
from typing import Callable, Iterable, Iterator, Optional, Sequence

import attrs
import orjson

from . import __version__
from .compiler.driver import MIN_CONFIDENCE, compile_source, stream_source
from .compiler.output import atomic_write, safe_stem
from .compiler.source import NotText, decode

MANIFEST = "manifest.jsonl"
DONE = ("ok", "diagnostics")  # compiled and written; recompiling would give the same bytes
DASK_TIMEOUT = "10s"  # connecting to a scheduler
CHUNK = 25  # files per task: NOTES.md measured per-task overhead that wants chunks of 25+


@attrs.frozen
class Job:
    path: str  # as given (what the manifest records)
    stem: str  # output file stem, unique within the batch


@attrs.frozen
class Settings:
    output: str  # absolute: Dask workers may not share our working directory
    to: str
    format: Optional[str]
    cwd: str


def walk(paths: Sequence[str]) -> Iterator[str]:
    """Files named on the command line; folders are walked (sorted, hidden entries skipped)."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(root, name)
        else:
            yield path


def plan(paths: Iterable[str]) -> list[Job]:
    """One job per input; two inputs with one name must not overwrite each other's output."""
    jobs, used, seen = [], set(), set()
    for path in paths:
        if path in seen:
            continue
        seen.add(path)
        stem = base = safe_stem("stdin" if path == "-" else path)
        n = 1
        while stem in used:
            n += 1
            stem = f"{base}-{n}"
        used.add(stem)
        jobs.append(Job(path, stem))
    return jobs


def _read(path: str, cwd: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    with open(os.path.join(cwd, path), "rb") as handle:
        data = handle.read()
    return gzip.decompress(data) if path.endswith(".gz") else data


_EMITTERS: dict = {}


def _emitter(name: str):
    if name not in _EMITTERS:
        from .emitters import get_emitter

        _EMITTERS[name] = get_emitter(name)
    return _EMITTERS[name]


def _layouts(compilation, source, format: Optional[str]) -> list[str]:
    if compilation.documents:
        return sorted({d.layout for d in compilation.documents if d.layout})
    if format:
        return [format]
    from .compiler.layout import detect

    ranked = detect(source.view())
    return [ranked[0].layout] if ranked and ranked[0].confidence >= MIN_CONFIDENCE else []


def _outputs_exist(record: dict, output: str) -> bool:
    return all(os.path.exists(os.path.join(output, name)) for name in record.get("outputs", ()))


def compile_one(job: Job, settings: Settings, previous: Optional[dict] = None) -> dict:
    """Compile one input and write its outputs; never raises: a failure is a manifest record."""
    start = time.perf_counter()
    record: dict = {"path": job.path, "sha256": None, "bytes": None, "layouts": [], "status": "failed",
                    "facts": 0, "diagnostics": 0, "errors": 0, "unparsed": 0, "outputs": [],
                    "elapsed_ms": 0.0, "error": None, "trustc": __version__}
    try:
        data = _read(job.path, settings.cwd)
        sha = hashlib.sha256(data).hexdigest()
        record.update(sha256=sha, bytes=len(data))
        if (previous is not None and previous.get("sha256") == sha and previous.get("trustc") == __version__
                and previous.get("status") in DONE and _outputs_exist(previous, settings.output)):
            return previous
        source = decode(data, "<stdin>" if job.path == "-" else job.path)
        emitter = _emitter(settings.to)
        if emitter.writes_parts:  # written a statement at a time as it compiles: memory follows one statement
            stream = stream_source(source, settings.format)
            written = emitter.write_streamed(stream, settings.output, job.stem)
            compilation, facts = stream.compilation(), stream.facts
        else:
            compilation = compile_source(source, settings.format)
            written = emitter.write(compilation, settings.output, job.stem)
            facts = sum(len(s.facts) for s in compilation.statements)
        errors = sum(1 for d in compilation.diagnostics if d.severity == "error")
        record.update(
            layouts=_layouts(compilation, source, settings.format),
            status="diagnostics" if errors else "ok",
            facts=facts,
            diagnostics=len(compilation.diagnostics), errors=errors, unparsed=len(compilation.unparsed),
            outputs=[os.path.relpath(p, settings.output) for p in written],
        )
    except NotText as exc:
        record["error"] = f"not-text: {exc}"
    except OSError as exc:
        record["error"] = f"unreadable: {exc.strerror or exc}"
    except Exception as exc:  # a compiler bug costs this file, not the batch
        record["error"] = f"internal-error: {type(exc).__name__}: {exc}"
    record["elapsed_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return record


def compile_chunk(jobs: Sequence[Job], settings: Settings, previous: dict) -> list[dict]:
    """The unit of work sent to a pool process or a Dask worker."""
    return [compile_one(job, settings, previous.get(job.path)) for job in jobs]


def _warm() -> None:
    # Build every layout's parser once per worker process, before the first file arrives.
    from .compiler.layout import layouts

    for cls in layouts().values():
        cls.parser()


def load_manifest(path: str) -> dict[str, dict]:
    """The last record per input of a manifest or a killed run's journal; torn lines are skipped."""
    found: dict[str, dict] = {}
    try:
        with open(path, "rb") as handle:
            for line in handle:
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue
                if isinstance(record, dict) and "path" in record:
                    found[record["path"]] = record
    except FileNotFoundError:
        pass
    return found


@attrs.define
class Summary:
    total: int = 0
    ok: int = 0
    diagnostics: int = 0
    failed: int = 0
    resumed: int = 0
    failures: list[dict] = attrs.field(factory=list)

    def add(self, record: dict, resumed: bool) -> None:
        self.total += 1
        self.resumed += resumed
        status = record["status"]
        if status == "ok":
            self.ok += 1
        elif status == "diagnostics":
            self.diagnostics += 1
        else:
            self.failed += 1
            self.failures.append(record)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def chunked(jobs: Sequence[Job], workers: int) -> list[list[Job]]:
    # Small batches are cut finer so every worker gets a share; large ones in CHUNK-file tasks.
    size = max(1, min(CHUNK, -(-len(jobs) // (workers * 4))))
    return [list(jobs[i : i + size]) for i in range(0, len(jobs), size)]


def _in_process(chunks, settings, previous) -> Iterator[list[dict]]:
    for chunk in chunks:
        yield compile_chunk(chunk, settings, _subset(previous, chunk))


def _subset(previous: dict, chunk: Sequence[Job]) -> dict:
    return {job.path: previous[job.path] for job in chunk if job.path in previous}


def _pool(chunks, settings, previous, workers: int) -> Iterator[list[dict]]:
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # fork shares the parent's imported modules; elsewhere workers import and warm up on their own
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux" else None
    context = multiprocessing.get_context(method)
    if method == "fork":
        _warm()  # once here, and every forked worker starts with the parsers built
    pending = deque(chunks)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_warm) as pool:
        running: dict = {}
        while pending or running:
            # A bounded window: finished results are consumed as they come, so memory stays flat.
            while pending and len(running) < workers * 3:
                chunk = pending.popleft()
                running[pool.submit(compile_chunk, chunk, settings, _subset(previous, chunk))] = chunk
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = running.pop(future)
                yield _result(future, chunk)


def _dask(chunks, settings, previous, scheduler: Optional[str], workers: int) -> Iterator[list[dict]]:
    """Connect now (an unreachable scheduler must fail before the manifest is touched), stream later."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise RuntimeError("--dask/--scheduler need Dask: pip install 'trustc[dask]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=DASK_TIMEOUT)
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise RuntimeError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    return _dask_results(client, cluster, chunks, settings, previous)


def _dask_results(client, cluster, chunks, settings, previous) -> Iterator[list[dict]]:
    from distributed import as_completed

    try:
        pending = deque(chunks)
        window = max(2, sum(client.nthreads().values()) * 3)
        running: dict = {}
        queue = as_completed()

        def submit():
            chunk = pending.popleft()
            future = client.submit(compile_chunk, chunk, settings, _subset(previous, chunk), pure=False)
            running[future.key] = chunk
            queue.add(future)

        while pending and len(running) < window:
            submit()
        for future in queue:
            chunk = running.pop(future.key)
            yield _result(future, chunk)
            future.release()
            if pending:
                submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _result(future, chunk: Sequence[Job]) -> list[dict]:
    try:
        return future.result()
    except Exception as exc:  # a worker died (killed, out of memory): its files are failures, not gaps
        return [dict(path=job.path, sha256=None, bytes=None, layouts=[], status="failed", facts=0,
                     diagnostics=0, errors=0, unparsed=0, outputs=[], elapsed_ms=0.0,
                     error=f"worker-failed: {type(exc).__name__}: {exc}", trustc=__version__)
                for job in chunk]


class Progress:
    """A rich progress bar on stderr with files/s and failures so far; silent when not a terminal."""

    def __init__(self, total: int, enabled: bool):
        self.bar = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self.bar = RichProgress(
            TextColumn("compiling"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:>7.1f} files/s"),
            TextColumn("[red]{task.fields[failed]} failed[/] · [yellow]{task.fields[errors]} with errors[/]"),
            TimeRemainingColumn(), console=Console(stderr=True), auto_refresh=False, transient=False,
        )
        self.task = self.bar.add_task("compile", total=total, rate=0.0, failed=0, errors=0)
        self.start = time.perf_counter()
        self.bar.start()

    def update(self, summary: Summary) -> None:
        if self.bar is None:
            return
        rate = summary.total / max(time.perf_counter() - self.start, 1e-9)
        self.bar.update(self.task, completed=summary.total, rate=rate, failed=summary.failed,
                        errors=summary.diagnostics)
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def run(paths: Sequence[str], output: str, to: str = "json", format: Optional[str] = None,
        jobs: Optional[int] = None, resume: bool = False, progress: bool = False,
        scheduler: Optional[str] = None, dask: bool = False,
        on_trouble: Optional[Callable[[dict], None]] = None) -> Summary:
    """Compile every input under `paths` into `output`, keeping `output/manifest.jsonl`."""
    planned = plan(walk(paths))
    settings = Settings(os.path.abspath(output), to, format, os.getcwd())
    _emitter(to)  # an unknown format or a missing optional dependency fails before any work
    os.makedirs(settings.output, exist_ok=True)
    manifest = os.path.join(settings.output, MANIFEST)
    previous = load_manifest(manifest) if resume else {}
    if resume:
        _remove_temporaries(settings.output)
    workers = max(1, jobs or default_jobs())
    # stdin can only be read here; it is compiled before the rest is handed out
    local = [job for job in planned if job.path == "-"]
    remote = [job for job in planned if job.path != "-"]
    chunks = chunked(remote, workers)
    if scheduler or dask:
        results = _dask(chunks, settings, previous, scheduler, workers)
    elif workers == 1 or len(chunks) <= 1:
        results = _in_process(chunks, settings, previous)
    else:
        results = _pool(chunks, settings, previous, min(workers, len(chunks)))

    summary = Summary()
    lines: dict[str, bytes] = {}
    bar = Progress(len(planned), progress)
    mode = "ab" if resume else "wb"
    try:
        with open(manifest, mode) as journal:
            if resume and journal.tell() and not _ends_with_newline(manifest):
                journal.write(b"\n")  # a kill tore the last line; start ours on a fresh one
            for records in _chain(_in_process([local], settings, previous) if local else iter(()), results):
                for record in records:
                    line = orjson.dumps(record) + b"\n"
                    lines[record["path"]] = line
                    journal.write(line)
                    summary.add(record, _same(record, previous))
                    if record["status"] != "ok" and on_trouble is not None:
                        on_trouble(record)
                journal.flush()
                bar.update(summary)
    finally:
        bar.close()
    # The final manifest: one line per input, in input order, whichever run compiled it.
    atomic_write(manifest, b"".join(lines[job.path] for job in planned if job.path in lines))
    return summary


def _same(record: dict, previous: dict) -> bool:
    return previous.get(record["path"]) == record and record["status"] in DONE


def _chain(*iterables):
    for iterable in iterables:
        yield from iterable


def _remove_temporaries(output: str) -> None:
    # atomic_write's temporaries that a kill left behind; the resumed run writes those outputs again
    for root, _dirs, files in os.walk(output):
        for name in files:
            if name.startswith(".tmp-"):
                os.unlink(os.path.join(root, name))


def _ends_with_newline(path: str) -> bool:
    with open(path, "rb") as handle:
        handle.seek(-1, os.SEEK_END)
        return handle.read(1) == b"\n"
