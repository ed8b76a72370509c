"""A process pool that outlives its workers: a worker killed mid-file costs that file only.

concurrent.futures' pool breaks whole when one worker dies (a signal, the kernel's
out-of-memory killer): every pending task fails, innocent files with it. Here each
worker has its own pipe, takes one chunk of jobs at a time and answers one result
per job as it finishes, so when a worker dies the parent knows which job it was
running (the first of its chunk with no answer). That job is tried once more alone
in a fresh worker; if it kills that one too, it gets `dead(job, reason)` as its
result. The rest of the chunk goes back to the queue.

Workers end with their parent: they ignore SIGINT (the parent stops them when it is
interrupted or sent SIGTERM), and on Linux the kernel sends them SIGKILL when the
parent dies (PR_SET_PDEATHSIG), even by SIGKILL.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterator, Optional, Sequence

import attrs

STOP = None  # what the parent sends a worker to end it
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}


@attrs.define
class Worker:
    process: Any  # multiprocessing.Process
    conn: Connection
    running: deque = attrs.field(factory=deque)  # jobs sent and not answered yet, in order
    alone: bool = False  # running one job that killed a worker before

    @property
    def busy(self) -> bool:
        return bool(self.running)


def death_reason(exitcode: Optional[int]) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else f"signal {-exitcode}"
        hint = " (killed, or out of memory)" if -exitcode == signal.SIGKILL else ""
        return f"worker-died: the worker compiling it was killed by {name}{hint}"
    return f"worker-died: the worker compiling it exited with status {exitcode}"


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no libc to ask
            pass
    if os.getppid() != parent:  # the parent died before we asked
        os._exit(1)


def _serve(conn: Connection, work: Callable, parent: int) -> None:
    """A worker's life: jobs in, one result per job out, until STOP or the parent's end."""
    _die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    while True:
        try:
            jobs = conn.recv()
        except (EOFError, OSError):
            return
        if jobs is STOP:
            return
        for job in jobs:
            conn.send(work(job))


class Pool:
    """`results(chunks)` yields one result per job, in the order they finish."""

    def __init__(self, workers: int, work: Callable[[Any], Any], dead: Callable[[Any, str], Any], context=None):
        self.size = workers
        self.work = work
        self.dead = dead
        self.context = context or multiprocessing.get_context()
        self.workers: list[Worker] = []

    def _start(self) -> Worker:
        parent_end, child_end = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(child_end, self.work, os.getpid()), daemon=True)
        # No SIGTERM/SIGINT handler may run while forking (Python drops an exception raised in an
        # at-fork hook); the child starts with them blocked and unblocks once its own are set.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS) if hasattr(signal, "pthread_sigmask") else None
        try:
            process.start()
        finally:
            if blocked is not None:
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child_end.close()
        worker = Worker(process, parent_end)
        self.workers.append(worker)
        return worker

    def results(self, chunks: Sequence[Sequence[Any]]) -> Iterator[Any]:
        pending = deque(list(chunk) for chunk in chunks if chunk)
        retry: deque = deque()  # jobs that were running when their worker died
        try:
            for _ in range(min(self.size, len(pending))):
                self._start()
            while pending or retry or any(w.busy for w in self.workers):
                for worker in [w for w in self.workers if not w.busy]:
                    if retry:
                        self._send(worker, [retry.popleft()], alone=True)
                    elif pending:
                        self._send(worker, pending.popleft(), alone=False)
                busy = [w for w in self.workers if w.busy]
                ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
                for worker in busy:
                    if worker.conn not in ready and worker.process.sentinel not in ready:
                        continue
                    yield from self._answers(worker)
                    if worker.process.sentinel in ready or not worker.process.is_alive():
                        yield from self._buried(worker, pending, retry)
        finally:
            self.close()

    def _send(self, worker: Worker, jobs: list, alone: bool) -> None:
        worker.running.extend(jobs)
        worker.alone = alone
        try:
            worker.conn.send(jobs)
        except OSError:  # it died while idle; its sentinel says so on the next wait
            pass

    def _answers(self, worker: Worker) -> Iterator[Any]:
        try:
            while worker.running and worker.conn.poll():
                result = worker.conn.recv()
                worker.running.popleft()
                yield result
        except (EOFError, OSError):  # a dead worker's pipe, or its last message cut short
            worker.process.join(5)

    def _buried(self, worker: Worker, pending: deque, retry: deque) -> Iterator[Any]:
        worker.process.join(5)
        if worker.process.is_alive():  # its pipe broke but it lives: end it, its job is lost all the same
            worker.process.kill()
            worker.process.join()
        self.workers.remove(worker)
        worker.conn.close()
        if worker.running:
            culprit, rest = worker.running.popleft(), list(worker.running)
            if worker.alone:
                yield self.dead(culprit, death_reason(worker.process.exitcode))
            else:
                retry.append(culprit)
            if rest:
                pending.appendleft(rest)
        if pending or retry:
            self._start()

    def close(self) -> None:
        for worker in self.workers:
            try:
                worker.conn.send(STOP)
            except OSError:
                pass
        for worker in self.workers:
            worker.process.join(0.5)
            if worker.process.is_alive():
                worker.process.kill()  # interrupted mid-file: nothing it does now would be kept
                worker.process.join()
            worker.conn.close()
        self.workers.clear()
