"""A build's three files (.trig, .nq, .ttl) replace the previous ones together: a full disk replaces none, and
a build killed between two renames is found and repaired by the next one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

SUFFIXES = (".trig", ".nq", ".ttl")
OLD = "Russia supports NATO.\n"
NEW = "".join(f"In {1900 + n} Russia supported NATO and the United Nations, said Kozyrev.\n\n" for n in range(60))

KILLER = """
import os, signal, sys
target = sys.argv[1]
def hook(event, args):
    if event == "os.rename" and str(args[1]).endswith(target):
        os.kill(os.getpid(), signal.SIGKILL)
sys.addaudithook(hook)
sys.argv = ["essay-kg", *sys.argv[2:]]
from essay_kg.cli import main
main()
"""


def essay_kg(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "essay_kg", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=600)


def outputs(folder: Path, name: str = "doc") -> dict[str, bytes]:
    return {suffix: (folder / f"{name}{suffix}").read_bytes() for suffix in SUFFIXES}


def hidden(folder: Path) -> list[str]:
    """Temporaries and markers: what a clean build leaves none of."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Callable[[int], None]]:
    """A tmpfs at tmp_path/disk (16 MiB), and a function that shrinks it to leave only so many bytes free."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0:
        pytest.skip("a small file system of its own (tmpfs) needs root to mount")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.decode().strip()})")

    def leave_free(free: int) -> None:
        stat = os.statvfs(disk)
        used = (stat.f_blocks - stat.f_bfree) * stat.f_frsize
        size = (used + free) // 1024
        subprocess.run(["mount", "-o", f"remount,size={size}k", str(disk)], check=True)

    try:
        yield leave_free
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_replaces_none_of_the_files_and_is_an_environment_error(tmp_path: Path,
                                                                              small_disk: Callable[[int], None]) -> None:
    for name, text in (("old", OLD), ("new", NEW)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        (tmp_path / f"{name}.json").write_text('{"id": "doc", "author": "A B"}', encoding="utf-8")
    reference = essay_kg(tmp_path, "build", "new.txt", "--out", "reference", "--model", "none")
    assert reference.returncode == 0, reference.stderr
    new = outputs(tmp_path / "reference")
    out = tmp_path / "disk" / "graphs"
    first = essay_kg(tmp_path, "build", "old.txt", "--out", str(out), "--model", "none")
    assert first.returncode == 0, first.stderr
    old = outputs(out)
    assert len(new[".nq"]) > len(old[".trig"]) + 4 * 4096
    # room for the new .trig and a little more, not for the new .nq: one file at a time, the new .trig would
    # replace the old one before the .nq found the disk full
    small_disk(len(new[".trig"]) + 2 * 4096)
    full = essay_kg(tmp_path, "build", "new.txt", "--out", str(out), "--model", "none")
    assert full.returncode == 3, full.stderr
    assert full.stderr.splitlines()[-2:] == [
        f"error: {out}/doc{{.trig,.nq,.ttl}}: cannot write (No space left on device); nothing was replaced",
        "hint: free some space on that disk, or write to a folder on another one"]
    assert outputs(out) == old
    assert hidden(out) == []


def test_a_corpus_build_killed_between_renames_is_rebuilt_by_the_next(tmp_path: Path) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "doc.txt").write_text(OLD, encoding="utf-8")
    (texts / "doc.json").write_text('{"id": "doc", "author": "A B"}', encoding="utf-8")
    first = essay_kg(tmp_path, "build", "texts", "--out", "out", "--model", "none")
    assert first.returncode == 0, first.stderr
    out = tmp_path / "out"
    old = outputs(out)
    # an edit, and a build of it killed as its second file (.nq) is about to be renamed into place
    (texts / "doc.txt").write_text(NEW, encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLER, "doc.nq", "build", "texts", "--out", "out", "--model", "none"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert killed.returncode == -9, killed.stderr[-500:]
    mixed = outputs(out)
    assert mixed[".trig"] != old[".trig"] and mixed[".nq"] == old[".nq"] and mixed[".ttl"] == old[".ttl"]
    assert ".doc.incomplete" in hidden(out)
    # the edit undone: the text and the rules match the manifest's record again, but the files do not
    (texts / "doc.txt").write_text(OLD, encoding="utf-8")
    again = essay_kg(tmp_path, "build", "texts", "--out", "out", "--model", "none")
    assert again.returncode == 0, again.stderr
    assert "corpus: 1 built, 0 unchanged, 0 failed" in again.stderr
    assert outputs(out) == old
    assert hidden(out) == [".essay-kg-manifest.json"]
