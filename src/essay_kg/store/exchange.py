"""One HTTP exchange bounded in time and in size: a deadline for the whole of it, a cap on the answer's bytes.

A socket timeout bounds each read, not the request: a server that sends one byte
every few seconds would keep a client waiting for ever.  Here a deadline covers
the whole exchange (connecting, sending the body, the status line, the headers
and every byte of the answer, and the requests an authentication handshake
adds): when it passes, a watchdog shuts the connection's socket down, which
ends whatever read or write is waiting, and the exchange fails with
`TimeoutError`.  An answer is read in chunks and refused once it grows past a
bound (`answer_limit`: 256 MiB, or ``ESSAY_KG_MAX_ANSWER_MB``), so an endless
body ends with `AnswerTooLarge` instead of filling the memory.
"""

from __future__ import annotations

import functools
import http.client
import io
import os
import socket
import threading
import time
import urllib.error
import urllib.request
from types import TracebackType
from typing import Any

from essay_kg.errors import BadInput

LIMIT_VAR = "ESSAY_KG_MAX_ANSWER_MB"
DEFAULT_LIMIT_MB = 256
ERROR_BODY = 64 * 1024  # what is kept of an error page
CHUNK = 1 << 20


class AnswerTooLarge(Exception):
    """The answer grew past the bound; reading stopped there."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"the answer is larger than {limit_text(limit)}")
        self.limit = limit


def limit_text(limit: int) -> str:
    """A byte bound as people say it (256 MiB, 10 KiB)."""
    for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if limit >= size and limit % size == 0:
            return f"{limit // size} {unit}"
    return f"{limit} bytes"


def answer_limit() -> int:
    """The bound on an answer's bytes: ``ESSAY_KG_MAX_ANSWER_MB`` mebibytes (a positive number), else 256 MiB."""
    value = os.environ.get(LIMIT_VAR, "").strip()
    if not value:
        return DEFAULT_LIMIT_MB << 20
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = 0.0
    if not 0 < megabytes < 1 << 20:
        raise BadInput(f"{LIMIT_VAR}={value[:40]!r} is not a number of mebibytes",
                       f"set it to a positive number, e.g. {LIMIT_VAR}=1024, or unset it for {DEFAULT_LIMIT_MB} MiB")
    return int(megabytes * (1 << 20))


class Deadline:
    """A point in time by which an exchange must be over; past it, every socket it watches is shut down."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def remaining(self) -> float:
        """Seconds left; `TimeoutError` when none are."""
        left = self.at - time.monotonic()
        if left <= 0 or self.expired:
            self.expired = True
            raise TimeoutError(f"no whole answer within {self.seconds:g} s")
        return left

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` down when the deadline passes (a duplicate is kept: TLS takes over the original)."""
        with self._lock:
            self._sockets.append(sock.dup())
            if self._timer is None:
                self._timer = threading.Timer(max(0.0, self.at - time.monotonic()), self._expire)
                self._timer.daemon = True
                self._timer.start()
            if self.expired:
                self._shut(self._sockets[-1])

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def close(self) -> None:
        """Stop the watchdog and let go of the watched sockets."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def __enter__(self) -> Deadline:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _watched(base: type[http.client.HTTPConnection]) -> type[http.client.HTTPConnection]:
    """`base` whose connections take the time left and put their socket under the deadline's watch."""

    class Watched(base):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.deadline = deadline
            self._create_connection = self._connect_watched

        def _connect_watched(self, address: tuple[str, int], timeout: Any = None, source: Any = None
                             ) -> socket.socket:
            sock = socket.create_connection(address, self.deadline.remaining(), source)
            self.deadline.watch(sock)
            return sock

    return Watched


WatchedHTTP = _watched(http.client.HTTPConnection)
WatchedHTTPS = _watched(http.client.HTTPSConnection)


class DeadlineHTTPHandler(urllib.request.HTTPHandler):
    """Plain HTTP under a deadline."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(WatchedHTTP, deadline=self.deadline), req)


class DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    """HTTPS under a deadline."""

    def __init__(self, deadline: Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(WatchedHTTPS, deadline=self.deadline), req,
                            context=self._context)  # type: ignore[attr-defined]


def opener(deadline: Deadline, *handlers: urllib.request.BaseHandler) -> urllib.request.OpenerDirector:
    """A urllib opener (with `handlers`, e.g. for authentication) whose connections keep to `deadline`."""
    return urllib.request.build_opener(*handlers, DeadlineHTTPHandler(deadline), DeadlineHTTPSHandler(deadline))


def read_bounded(response: Any, limit: int) -> bytes:
    """The whole body of `response`, or `AnswerTooLarge` as soon as it passes `limit` bytes."""
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            raise AnswerTooLarge(limit)
        parts.append(chunk)


def exchange(director: urllib.request.OpenerDirector, req: urllib.request.Request, deadline: Deadline,
             limit: int | None = None) -> bytes:
    """Send `req` and read its whole answer before `deadline`, at most `limit` bytes (default `answer_limit`).

    Raises `TimeoutError` once the deadline has passed (whatever the socket said as it was shut down),
    `AnswerTooLarge`, and urllib's errors otherwise; an `HTTPError` keeps at most 64 KiB of its page.
    """
    limit = answer_limit() if limit is None else limit
    try:
        with director.open(req, timeout=deadline.remaining()) as response:
            body = read_bounded(response, limit)
        if deadline.expired:  # the end of the body may be the watchdog's doing
            raise TimeoutError(f"no whole answer within {deadline.seconds:g} s")
        return body
    except urllib.error.HTTPError as err:
        if deadline.expired:
            raise TimeoutError(f"no whole answer within {deadline.seconds:g} s") from None
        try:
            page = err.read(ERROR_BODY)
        except (OSError, http.client.HTTPException):
            page = b""
        raise urllib.error.HTTPError(err.url, err.code, err.msg, err.headers, io.BytesIO(page)) from None
    except (OSError, http.client.HTTPException):
        if deadline.expired:
            raise TimeoutError(f"no whole answer within {deadline.seconds:g} s") from None
        raise
