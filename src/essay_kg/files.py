"""Atomic output: a file is replaced whole or not at all, and a folder is checked before any work.

Every file the tool writes goes through `atomic_output`: a temporary file beside the
target, flushed and synced, then renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from essay_kg.errors import BadInput, EnvironmentProblem, EssayKGError


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


FULL_DISK = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}  # the disk, not the path the user chose


def write_error(what: str, err: OSError, hint: str) -> EssayKGError:
    """The error for output that could not be written: a full disk (or a quota, a size limit, a failing
    device) is the environment's (exit 3), anything else a path the user can change (exit 2)."""
    if err.errno in FULL_DISK:
        return EnvironmentProblem(f"{what}: cannot write ({err.strerror or err}); nothing was replaced",
                                  "free some space on that disk, or write to a folder on another one")
    return BadInput(f"{what}: cannot write ({err.strerror or err})", hint)


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


def write_together(payloads: dict[Path, bytes], marker: Path) -> None:
    """Replace several files at once: each is written whole to a temporary beside it first, and only when all
    are written are they renamed into place, one after the other.

    A failed write (a full disk) removes the temporaries and leaves every target as it was.  `marker` is
    written before the first rename and removed after the last: a process killed between two renames
    leaves it, beside targets from two different runs, for the next run to see (`interrupted`).
    """
    temporaries: list[tuple[str, Path]] = []
    renamed = 0
    try:
        for path, data in payloads.items():
            _remove_stale_temporaries(path)
            handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
            temporaries.append((temporary, path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o644)
        with open(marker, "wb") as stream:
            stream.write(b"essay-kg was renaming " + b", ".join(p.name.encode() for p in payloads) +
                         b" into place; while this file is here they may come from two builds: build again\n")
            stream.flush()
            os.fsync(stream.fileno())
        for temporary, path in temporaries:
            os.replace(temporary, path)
            renamed += 1
        _sync_folder(marker.parent)
        marker.unlink()
    except BaseException:
        for temporary, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)
        if not renamed:  # every target is as it was
            marker.unlink(missing_ok=True)
        raise


def interrupted(marker: Path) -> bool:
    """Whether a run was killed while renaming the files `marker` stands for into place (see `write_together`)."""
    return os.path.lexists(marker)


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable before the marker that says they are done goes."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


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
