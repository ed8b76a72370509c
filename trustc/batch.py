"""Compiling many filings: a process pool or a Dask cluster, a manifest, resume.

Work is cut into chunks of files (per-task overhead is ~0.2 ms in a process
pool, see ../shared/design/NOTES.md, so one task per file would cost more than
the scheduling is worth). Workers write each output atomically; the main
process appends one manifest line per input as it finishes (a journal that
survives a kill), then rewrites `manifest.jsonl` in input order once at the end.
A killed run resumed with `--resume` recompiles only what the journal shows as
done from other bytes, by another trustc or with other options (`Settings.options`),
so it ends with the same outputs and manifest as one clean run; the journal is
compacted when a run resumes, so repeated kills never make it grow.

Faults cost one input, never the batch: a worker killed mid-file (a signal, the
out-of-memory killer) costs that file only (trustc.workers); an input larger than
--max-bytes, a FIFO, a device, or a symlink leading out of its folder is refused
with a reason; output names are unique whatever the inputs are called (`plan`);
a lock on the output folder keeps a second run out.
"""
from __future__ import annotations

import errno
import fnmatch
import hashlib
import os
import signal
import sys
import threading
import time
from collections import deque
from typing import Callable, Iterable, Iterator, Optional, Sequence

import attrs
import orjson

from . import __version__
from .compiler.driver import claims, compile_source, os_error_code, stream_source
from .compiler.output import atomic_write, safe_stem
from .compiler.source import MAX_BYTES, NotText, Refused, decode_taking, read_bytes

MANIFEST = "manifest.jsonl"
LOCK = ".trustc.lock"  # hidden: a walk of the output folder never takes it for an input
DONE = ("ok", "diagnostics")  # compiled and written; recompiling would give the same bytes
OUT_OF_MEMORY = "out-of-memory: compiling it needed more memory than there is (--max-bytes limits inputs)"
DASK_TIMEOUT = "10s"  # connecting to a scheduler
CHUNK = 25  # files per task: NOTES.md measured per-task overhead that wants chunks of 25+


@attrs.frozen
class Input:
    path: str  # as given or found (what the manifest records)
    folder: str = ""  # its folder under the input folder it was found in ("" for a file named directly)
    skip: Optional[str] = None  # why it is not read, when it is not


@attrs.frozen
class Job:
    path: str  # as given (what the manifest records)
    stem: str  # output file stem, unique within its output folder
    folder: str = ""  # output subfolder: the input's own folder under the folder it was found in
    skip: Optional[str] = None


@attrs.frozen
class Settings:
    output: str  # absolute: Dask workers may not share our working directory
    to: str
    format: Optional[str]
    cwd: str
    max_bytes: int = MAX_BYTES

    @property
    def options(self) -> dict:
        """Every option that changes an output: a resumed run recompiles an input when one differs."""
        return {"to": self.to, "from": self.format}


@attrs.frozen
class Selection:
    """Which files of a folder are inputs: never hidden ones; --include/--exclude globs; symlinks within it."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    follow_symlinks: bool = False

    def wants(self, relative: str) -> bool:
        return ((not self.include or any(_glob(relative, p) for p in self.include))
                and not any(_glob(relative, p) for p in self.exclude))


def _glob(relative: str, pattern: str) -> bool:
    # a pattern with a slash matches the path within the folder, one without matches the file name
    return fnmatch.fnmatchcase(relative if "/" in pattern else relative.rsplit("/", 1)[-1], pattern)


def _special(path: str) -> Optional[str]:
    """Why `path` is not read (a FIFO would hang the run, a device never ends), or None."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # reading it says why
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return f"not-regular: {kind}, not a regular file"


def scan(paths: Sequence[str], selection: Selection = Selection()) -> Iterator[Input]:
    """Files named on the command line, and the files of folders (sorted, hidden entries skipped)."""
    for path in paths:
        if path == "-" or not os.path.isdir(path):
            yield Input(path, "", None if path == "-" else _special(path))
            continue
        top = os.path.realpath(path)
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            folder = os.path.relpath(root, path).replace(os.sep, "/")
            folder = "" if folder == "." else folder
            for name in sorted(files):
                relative = f"{folder}/{name}" if folder else name
                if name.startswith(".") or not selection.wants(relative):
                    continue
                full = os.path.join(root, name)
                skip = _special(full)
                if skip is None and not selection.follow_symlinks and os.path.islink(full):
                    target = os.path.realpath(full)
                    if os.path.commonpath([top, target]) != top:
                        skip = f"symlink-outside: it leads to {target}, outside {path} (--follow-symlinks reads it)"
                yield Input(full, folder, skip)


def _say_skipped(found: Input) -> None:
    print(f"{found.path}: skipped: {found.skip}", file=sys.stderr)


def walk(paths: Sequence[str], selection: Selection = Selection(),
         on_skip: Optional[Callable[[Input], None]] = _say_skipped) -> Iterator[str]:
    """The paths `scan` finds to read; those it skips are told to `on_skip` (stderr by default)."""
    for found in scan(paths, selection):
        if found.skip is None:
            yield found.path
        elif on_skip is not None:
            on_skip(found)


def plan(inputs: Iterable["Input | str"], emitter=None) -> list[Job]:
    """One job per input, with output names that no other input's outputs, nor a shared file, can take.

    An input keeps its folder under the output folder. Within one folder a stem
    whose outputs could meet another's is changed: `x` writes x.classes.csv, so an
    input `x.classes` cannot keep its name; `x` writes x-lab.xml, so `x-lab` cannot;
    `trustc-2026` is the XBRL taxonomy's. The emitter's companion separators in
    it become `_` (x_classes), then a number is added (x-2).
    """
    separators = getattr(emitter, "companion_separators", "")
    dataset = getattr(emitter, "needs_directory", False)
    extension = getattr(emitter, "extension", "")
    shared = {name.split(".")[0] for name in getattr(emitter, "shared_files", ())}
    joiner = "_" if "-" in separators else "-"  # never a separator: x-lab_2 cannot clash with x-lab
    jobs, taken, seen = [], {}, set()
    for found in inputs:
        found = found if isinstance(found, Input) else Input(found)
        if found.path in seen:
            continue
        seen.add(found.path)
        folder = "/".join(safe_stem(part) for part in found.folder.split("/")) if found.folder else ""
        stem = base = safe_stem("stdin" if found.path == "-" else found.path)
        if dataset and folder:  # a dataset has one root: the input's folder goes into the name
            stem = base = f"{folder.replace('/', '_')}_{stem}"
            folder = ""
        used = taken.setdefault(folder, set())
        flat = "".join("_" if c in separators else c for c in base)
        n = 1
        while stem + extension == MANIFEST or _clashes(stem, used, separators, shared):
            n += 1
            stem = flat if n == 2 and flat != base else f"{flat}{joiner}{n}"
        used.add(stem)
        jobs.append(Job(found.path, stem, folder, found.skip))
    return jobs


def _clashes(stem: str, used: set[str], separators: str, shared: set[str]) -> bool:
    """Whether `stem`'s outputs (stem.ext, stem<sep>anything) could be named as another's or a shared file."""
    if stem in used or stem in shared:
        return True
    return any(other.startswith(stem + sep) or stem.startswith(other + sep)
               for other in (*used, *shared) for sep in separators)


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

    claimed = [d.layout for d in detect(source.view()) if claims(d)]
    return claimed[:1]


def _outputs_exist(record: dict, output: str) -> bool:
    return all(os.path.exists(os.path.join(output, name)) for name in record.get("outputs", ()))


def _record(job: Job, settings: Settings) -> dict:
    return {"path": job.path, "sha256": None, "bytes": None, "layouts": [], "status": "failed",
            "facts": 0, "diagnostics": 0, "errors": 0, "unparsed": 0, "outputs": [],
            "elapsed_ms": 0.0, "error": None, "trustc": __version__, "options": settings.options}


# Set on a record compile_one took over from the previous run (the input and the options unchanged, the
# outputs there), and taken off before the record is written: the manifest line stays the previous one.
RESUMED = "resumed from the previous run"


def _still_good(previous: Optional[dict], sha: str, settings: Settings) -> bool:
    return (previous is not None and previous.get("sha256") == sha and previous.get("trustc") == __version__
            and previous.get("options") == settings.options and previous.get("status") in DONE
            and _outputs_exist(previous, settings.output))


def compile_one(job: Job, settings: Settings, previous: Optional[dict] = None) -> dict:
    """Compile one input and write its outputs; never raises: a failure is a manifest record."""
    start = time.perf_counter()
    record = _record(job, settings)
    if job.skip is not None:
        record.update(status="skipped", error=job.skip)
        return record
    try:
        data = read_bytes(job.path if job.path == "-" else os.path.join(settings.cwd, job.path), settings.max_bytes)
        sha = hashlib.sha256(data).hexdigest()
        record.update(sha256=sha, bytes=len(data))
        if _still_good(previous, sha, settings):
            return {**previous, RESUMED: True}
        holder = [data]
        del data  # decode_taking frees the bytes once decoded: under a memory limit only text and lines coexist
        source = decode_taking(holder, "<stdin>" if job.path == "-" else job.path, sha)
    except NotText as exc:
        record["error"] = f"not-text: {exc}"
    except Refused as exc:
        record["error"] = f"{exc.code}: {exc}"
    except MemoryError:
        record["error"] = OUT_OF_MEMORY
    except OSError as exc:
        record["error"] = f"{os_error_code(exc)}: {exc.strerror or exc}"
    except Exception as exc:  # a compiler bug costs this file, not the batch
        record["error"] = f"internal-error: {type(exc).__name__}: {exc}"
    else:
        _compile_and_write(source, job, settings, record)
    record["elapsed_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return record


def _compile_and_write(source, job: Job, settings: Settings, record: dict) -> None:
    """Compile and write, a statement at a time when the emitter can (memory follows one statement)."""
    directory = os.path.join(settings.output, job.folder) if job.folder else settings.output
    emitter = _emitter(settings.to)
    try:
        if emitter.writes_parts:
            stream = stream_source(source, settings.format)
            written = emitter.write_streamed(stream, directory, job.stem)
            compilation, facts = stream.compilation(), stream.facts
        else:
            compilation = compile_source(source, settings.format)
            written = emitter.write(compilation, directory, job.stem)
            facts = sum(len(s.facts) for s in compilation.statements)
    except MemoryError:
        record["error"] = OUT_OF_MEMORY
        return
    except OSError as exc:  # the disk, not the input: named as such (disk-full, permission-denied, ...)
        record["error"] = f"{os_error_code(exc, 'unwritable')}: writing {exc.filename or directory}: {exc.strerror or exc}"
        return
    except Exception as exc:
        record["error"] = f"internal-error: {type(exc).__name__}: {exc}"
        return
    errors = sum(1 for d in compilation.diagnostics if d.severity == "error")
    record.update(
        layouts=_layouts(compilation, source, settings.format),
        status="diagnostics" if errors else "ok",
        facts=facts, diagnostics=len(compilation.diagnostics), errors=errors, unparsed=len(compilation.unparsed),
        outputs=[os.path.relpath(p, settings.output).replace(os.sep, "/") for p in written],
    )


def compile_chunk(jobs: Sequence[Job], settings: Settings, previous: dict) -> list[dict]:
    """The unit of work sent to a Dask worker."""
    return [compile_one(job, settings, previous.get(job.path)) for job in jobs]


@attrs.frozen
class Compiler:
    """What a pool worker does with one job (picklable, for start methods other than fork)."""

    settings: Settings
    previous: dict

    def __call__(self, job: Job) -> dict:
        return compile_one(job, self.settings, self.previous.get(job.path))


def died(job: Job, reason: str, settings: Settings) -> dict:
    """The record of a job whose worker died compiling it (in a pool: twice, the second time alone)."""
    record = _record(job, settings)
    record["error"] = reason
    return record


def _warm() -> None:
    # Build every layout's parser once, before the first file arrives (forked workers inherit them).
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
                if isinstance(record, dict) and isinstance(record.get("path"), str):
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
    skipped: int = 0
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
        elif status == "skipped":
            self.skipped += 1
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
    """A pool of forked workers (trustc.workers): one that dies costs the file it was compiling only."""
    import functools
    import multiprocessing

    from .workers import Pool

    # fork shares the parent's imported modules and built parsers; elsewhere workers build their own
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() and sys.platform == "linux" else None
    if method == "fork":
        _warm()
    pool = Pool(workers, Compiler(settings, previous), functools.partial(died, settings=settings),
                multiprocessing.get_context(method))
    results = pool.results(chunks)
    try:
        for record in results:
            _check_stopping()
            yield [record]
    finally:
        results.close()  # ends the workers, whatever ended the run


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
            yield _result(future, chunk, settings)
            future.release()
            if pending:
                submit()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _result(future, chunk: Sequence[Job], settings: Settings) -> list[dict]:
    try:
        return future.result()
    except Exception as exc:  # a Dask worker died (killed, out of memory): its files are failures, not gaps
        return [died(job, f"worker-failed: {type(exc).__name__}: {exc}", settings) for job in chunk]


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


class OutputLock:
    """An exclusive lock on the output folder for one run: a second run into it is refused, not interleaved.

    The lock file is removed when the run ends; a run that locked a file another
    had just removed sees that its path now names another file, and tries again.
    """

    def __init__(self, folder: str):
        self.path = os.path.join(folder, LOCK)
        self.handle = None

    def __enter__(self) -> "OutputLock":
        import fcntl

        while True:
            handle = open(self.path, "a+b")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                handle.close()
                if exc.errno not in (errno.EWOULDBLOCK, errno.EACCES, errno.EAGAIN):
                    raise
                raise RuntimeError(f"another trustc run is writing into {os.path.dirname(self.path)} (it holds "
                                   f"{self.path}); wait for it to end, or write into another folder") from None
            try:
                same = os.stat(self.path).st_ino == os.fstat(handle.fileno()).st_ino
            except FileNotFoundError:
                same = False
            if same:
                self.handle = handle
                return self
            handle.close()

    def __exit__(self, *exc) -> None:
        try:
            os.unlink(self.path)
        except OSError:
            pass
        self.handle.close()  # closing the file releases the lock


class Journal:
    """The manifest while a run goes: one whole line per record, written straight to the file.

    A record is one write of a complete line, so a kill leaves no torn line in
    the middle; a resumed run first rewrites the journal with the last record
    of each input (compacted), so kills and resumes never make it grow.
    """

    def __init__(self, path: str, previous: Optional[dict]):
        self.path = path
        if previous is None:
            atomic_write(path, b"")
        else:
            atomic_write(path, b"".join(orjson.dumps(r) + b"\n" for r in previous.values()))
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND)

    def add(self, record: dict) -> bytes:
        line = orjson.dumps(record) + b"\n"
        try:
            os.write(self.fd, line)
        except OSError as exc:
            raise RuntimeError(f"cannot write the manifest {self.path}: {os_error_code(exc, 'unwritable')}: "
                               f"{exc.strerror}") from None
        return line

    def close(self) -> None:
        os.close(self.fd)


class _Stopped(BaseException):
    """SIGTERM or SIGINT in the main process: unwinds the run, so its workers are ended with it."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_STOPPING: list[int] = []  # the signal that asked the run to stop, should its exception be swallowed


def _stop_on_signals() -> dict:
    """Install handlers for SIGTERM and SIGINT (main thread only); returns the ones they replace."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(signum, frame):
        _STOPPING.append(signum)
        raise _Stopped(signum)

    return {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}


def _check_stopping() -> None:
    # an exception raised by a handler inside an at-fork hook is printed and dropped by Python: ask again
    if _STOPPING:
        raise _Stopped(_STOPPING[-1])


def run(paths: Sequence[str], output: str, to: str = "json", format: Optional[str] = None,
        jobs: Optional[int] = None, resume: bool = False, progress: bool = False,
        scheduler: Optional[str] = None, dask: bool = False,
        on_trouble: Optional[Callable[[dict], None]] = None, max_bytes: int = MAX_BYTES,
        selection: Selection = Selection()) -> Summary:
    """Compile every input under `paths` into `output`, keeping `output/manifest.jsonl`.

    Raises RuntimeError when the run cannot go on (another run holds the folder,
    the manifest cannot be written, no Dask scheduler); SystemExit(143) on SIGTERM,
    KeyboardInterrupt on SIGINT, after ending its workers.
    """
    emitter = _emitter(to)  # an unknown format or a missing optional dependency fails before any work
    planned = plan(scan(paths, selection), emitter)
    settings = Settings(os.path.abspath(output), to, format, os.getcwd(), max_bytes)
    os.makedirs(settings.output, exist_ok=True)
    _STOPPING.clear()
    previous_handlers = _stop_on_signals()
    try:
        with OutputLock(settings.output):
            return _run_locked(planned, settings, jobs, resume, progress, scheduler, dask, on_trouble)
    except _Stopped as stopped:
        if stopped.signum == signal.SIGINT:
            raise KeyboardInterrupt from None
        raise SystemExit(128 + stopped.signum) from None
    finally:
        for signum, handler in previous_handlers.items():
            signal.signal(signum, handler)


def _run_locked(planned, settings, jobs, resume, progress, scheduler, dask, on_trouble) -> Summary:
    manifest = os.path.join(settings.output, MANIFEST)
    previous = load_manifest(manifest) if resume else {}
    if resume:
        _remove_temporaries(settings.output)
    workers = max(1, jobs or default_jobs())
    # stdin can only be read here, and skipped inputs need no worker: both are done before the rest is handed out
    local = [job for job in planned if job.path == "-" or job.skip is not None]
    remote = [job for job in planned if job.path != "-" and job.skip is None]
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
    journal = Journal(manifest, previous if resume else None)
    every = _chain(_in_process([local], settings, previous) if local else iter(()), results)
    try:
        for records in every:
            _check_stopping()
            for record in records:
                resumed = bool(record.pop(RESUMED, False))
                lines[record["path"]] = journal.add(record)
                summary.add(record, resumed)
                if record["status"] != "ok" and on_trouble is not None:
                    on_trouble(record)
            bar.update(summary)
    finally:
        every.close()  # an interrupted run ends its workers here
        journal.close()
        bar.close()
    # The final manifest: one line per input, in input order, whichever run compiled it.
    atomic_write(manifest, b"".join(lines[job.path] for job in planned if job.path in lines))
    return summary


def _chain(*iterables):
    for iterable in iterables:
        yield from iterable


def _remove_temporaries(output: str) -> None:
    # atomic_write's temporaries that a kill left behind; the resumed run writes those outputs again
    for root, _dirs, files in os.walk(output):
        for name in files:
            if name.startswith(".tmp-"):
                os.unlink(os.path.join(root, name))
