"""Worker processes for local corpus builds: each builds one document at a time and dies with the main process.

The main process hands each worker one task at a time over its own pipe, so it always knows which
document a worker holds.  A worker that dies (the kernel's OOM killer sends SIGKILL) fails only
that document, with the reason, and a new worker takes the next one; the run goes on.  (A
`concurrent.futures.ProcessPoolExecutor` breaks as a whole when one worker dies and cannot say
which task was lost.)

A worker never outlives the main process: on Linux the kernel kills it when the main process dies
(``PR_SET_PDEATHSIG``), elsewhere a thread that watches the parent ends it within half a second;
a worker whose parent is gone before either is set up exits at once.  Ctrl-C is left to the main
process, which stops its workers on any way out.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection, wait
from typing import Any

PR_SET_PDEATHSIG = 1  # prctl(2)


def die_with_parent(parent: int) -> None:
    """End this process when the process `parent` ends (it is already gone: now)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the watching thread below still ends it
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _serve(connection: Connection, parent: int, function: Callable[..., Any]) -> None:
    """A worker's life: take (index, arguments), answer (index, result), until told to stop or the pipe closes."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group; the main process decides
    while True:
        try:
            task = connection.recv()
        except EOFError:
            return
        if task is None:
            return
        index, arguments = task
        connection.send((index, function(*arguments)))


def death(exitcode: int | None) -> str:
    """Why a worker process ended, from its exit code."""
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else f"signal {-exitcode}"
        memory = " (the system may have run out of memory)" if -exitcode == signal.SIGKILL else ""
        return f"the process building it was killed by {name}{memory}"
    return f"the process building it ended with exit code {exitcode}"


class _Worker:
    """One worker process, its end of the pipe, and the task it holds."""

    def __init__(self, context: Any, function: Callable[..., Any]) -> None:
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, os.getpid(), function), daemon=True)
        # a forked worker leaves what it inherits to the main process: its collector never finalises an object of
        # the parent's (workers forked from a test process aborted, SIGABRT, collecting what earlier tests left)
        gc.freeze()
        try:
            self.process.start()
        finally:
            gc.unfreeze()
        child.close()
        self.task: int | None = None

    def give(self, index: int, arguments: tuple) -> bool:
        """Hand it a task; False if it is gone."""
        try:
            self.connection.send((index, arguments))
        except OSError:
            return False
        self.task = index
        return True

    def answer(self) -> tuple[int, Any] | None:
        """Its answer, if it has sent one."""
        try:
            if self.connection.poll():
                answer = self.connection.recv()
                self.task = None
                return answer
        except (EOFError, OSError):
            pass
        return None

    def stop(self) -> None:
        """Tell it to end, and give it a moment to."""
        try:
            self.connection.send(None)
        except OSError:
            pass
        self.process.join(timeout=5)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def run_in_processes(function: Callable[..., Any], arguments: list[tuple], jobs: int,
                     progress: Callable[[int], None], lost: Callable[[tuple, str], Any]) -> list[Any]:
    """`function(*args)` for each of `arguments` in up to `jobs` worker processes, results in the order of
    `arguments`; the result for a task whose worker died is `lost(args, why)`."""
    context = multiprocessing.get_context()
    results: list[Any] = [None] * len(arguments)
    queue = deque(range(len(arguments)))
    workers: list[_Worker] = []

    def done(index: int, result: Any) -> None:
        results[index] = result
        progress(1)

    try:
        while True:
            for worker in [w for w in workers if w.task is None]:
                if not queue or not worker.give(queue[0], arguments[queue[0]]):
                    worker.stop()
                    workers.remove(worker)
                    worker.kill()
                    continue
                queue.popleft()
            while queue and len(workers) < jobs:
                worker = _Worker(context, function)
                workers.append(worker)
                if worker.give(queue[0], arguments[queue[0]]):
                    queue.popleft()
            if not workers:
                return results
            wait([w.connection for w in workers] + [w.process.sentinel for w in workers])
            for worker in list(workers):
                if (answer := worker.answer()) is not None:
                    done(*answer)
                    if not worker.process.is_alive():
                        workers.remove(worker)
                        worker.kill()
                elif not worker.process.is_alive():
                    workers.remove(worker)
                    worker.kill()
                    if worker.task is not None:
                        done(worker.task, lost(arguments[worker.task], death(worker.process.exitcode)))
    finally:
        for worker in workers:
            worker.kill()
