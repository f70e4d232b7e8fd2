"""Atomic output: a file is replaced whole or not at all, and a folder is checked before any work.

Every file the tool writes goes through `atomic_output`: a temporary file beside the
target, flushed and synced, then renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from essay_kg.errors import BadInput


def check_regular(path: Path, what: str) -> None:
    """Fail if `path` is there but is no regular file: a FIFO would make a read wait for ever, a device (a
    symlink to /dev/zero) would never end."""
    if path.exists() and not path.is_file():
        raise BadInput(f"{path}: is not a regular file", f"pass {what}")


def check_writable(folder: Path) -> None:
    """Fail early, before any work, if `folder` cannot take the output."""
    if folder.exists() and not folder.is_dir():
        raise BadInput(f"{folder}: exists and is not a folder", "pass --out a folder path")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise BadInput(f"{folder}: cannot create the output folder ({err.strerror})",
                       "pass --out a folder you can write to") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BadInput(f"{folder}: the output folder is not writable",
                       "pass --out a folder you can write to, or fix its permissions")


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename (see `atomic_output`)."""
    with atomic_output(path) as stream:
        stream.write(data)


@contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces `path` only when the block ends without an error.

    The temporary file is ``.NAME.PID.RANDOM.tmp`` beside the target; one left by
    a run that was killed (its process gone) is removed by the next write.
    """
    _remove_stale_temporaries(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_stale_temporaries(path: Path) -> None:
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        pid = stale.name[len(path.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
