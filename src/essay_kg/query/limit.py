"""How long a query on graph files may run: 60 s, or the seconds ``ESSAY_KG_QUERY_TIMEOUT`` gives.

Neither engine can be told to stop.  pyoxigraph has no query time-out, and it evaluates with
the GIL released, so a SIGALRM handler in the main thread would only run once an evaluation
step returns (a COUNT over a cartesian join does not, for hours); rdflib waits for a SERVICE
on a socket with no time-out.  So a query runs in a worker thread, which the caller waits for
as long as the limit allows.  Past it the query is abandoned with an `EnvironmentProblem`:
the worker is asked to stop (an exception raised in it, which rdflib's Python code meets at
once and pyoxigraph at its next answer row); one caught in a single long step of pyoxigraph,
or in a SERVICE that never answers, runs on as a daemon thread until the process ends, which
for the command line is at once.  The thread costs a fraction of a millisecond per query.
"""

from __future__ import annotations

import math
import os
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

from essay_kg.errors import BadInput, EnvironmentProblem

T = TypeVar("T")
SETTING = "ESSAY_KG_QUERY_TIMEOUT"
DEFAULT_SECONDS = 60.0
WORKER_NAME = "essay-kg query"


def time_limit() -> float:
    """The seconds a local query may run: ``ESSAY_KG_QUERY_TIMEOUT`` if set, else 60."""
    value = os.environ.get(SETTING, "").strip()
    if not value:
        return DEFAULT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise BadInput(f"{SETTING}='{value}' is not a number of seconds",
                       f"set it to the seconds a query may run, e.g. {SETTING}=600, or unset it for {DEFAULT_SECONDS:g}")
    return seconds


class _Stopped(BaseException):
    """Raised inside a worker whose query ran past its limit, to end it."""


def within_time_limit(action: Callable[[], T]) -> T:
    """`action()` (a query, its answer read whole) run in a worker thread, waited for at most `time_limit()`."""
    seconds = time_limit()
    answers: list[T] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            answers.append(action())
        except _Stopped:
            pass
        except BaseException as err:  # handed to the caller's thread, and raised there
            _drop_locals(err)
            errors.append(err)

    worker = threading.Thread(target=work, name=WORKER_NAME, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        _stop(worker)
        raise EnvironmentProblem(f"the query ran past its time limit of {seconds:g} s",
                                 f"narrow the query, or give it longer: set {SETTING} to the seconds it may run "
                                 f"(the default is {DEFAULT_SECONDS:g}), e.g. {SETTING}=600")
    if errors:
        raise errors[0]
    return answers[0]


def _drop_locals(error: BaseException) -> None:
    """Clear the local variables of the frames an error (and the errors it chains) passed through, here in the
    worker: pyoxigraph's answer objects may only be dropped by the thread that made them."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        pending += [current.__cause__, current.__context__]


def _stop(worker: threading.Thread) -> None:
    """Raise `_Stopped` in the worker the next time it runs Python code (CPython's PyThreadState_SetAsyncExc)."""
    import ctypes

    if worker.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(worker.ident), ctypes.py_object(_Stopped))
