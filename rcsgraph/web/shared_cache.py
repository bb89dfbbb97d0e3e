"""Kept answers that the processes of one server share: one file per answer in a private folder.

Each process of ``rcsgraph serve`` has its own ``AnswerCache``, and the port hands each new
connection to whichever process accepts it first. Without sharing, an answer one process has
kept is evaluated again by every other process the first time one of its clients asks, and the
clients of that process wait behind that evaluation (a second or more for a page of a large
store) although the server has the answer. So a process that evaluates an answer also writes it
here, and a process that has no answer of its own looks here before evaluating.

- The folder is named after the server (the parent process of every worker process, respawned
  ones included) and the answers' version, in ``/dev/shm`` when there is one (memory, not disk).
  It is created private to this user and refused otherwise: another user must not be able to
  plant answers.
- A file is named by the key's tag, so it is found without evaluating anything, and written
  whole before it is renamed into place, so a reader never sees half an answer.
- The process that wrote a file removes it when its own cache drops that answer, and removes
  what it still owns when it exits; so the folder holds at most what the processes' caches
  hold. A folder left by a server that was killed is removed by the next one to start.
"""

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

_PREFIX = "rcsgraph-answers-"


class SharedAnswers:
    """Answers by tag in ``folder``, readable by every process of one server."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.owned: set[str] = set()  # tags this process wrote and has not removed

    def get(self, tag: str) -> tuple[str, list[tuple[str, str]], bytes] | None:
        """(the answer's own ETag, its headers, its body), or None when nobody kept it."""
        try:
            raw = (self.folder / _name(tag)).read_bytes()
        except OSError:
            return None
        head, _, body = raw.partition(b"\n")
        try:
            etag, headers = json.loads(head)
        except ValueError:
            return None
        return str(etag), [(str(k), str(v)) for k, v in headers], body

    def put(self, tag: str, etag: str, headers: list[tuple[str, str]], body: bytes) -> None:
        """Offer an answer to the other processes (nothing happens when it cannot be written)."""
        head = json.dumps([etag, headers], ensure_ascii=True).encode("ascii")
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".")
            with os.fdopen(handle, "wb") as out:
                out.write(head + b"\n" + body)
            os.replace(temporary, self.folder / _name(tag))
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(temporary)
            return
        self.owned.add(tag)

    def drop(self, tag: str) -> None:
        """Remove an answer this process wrote (its own cache no longer holds it)."""
        if tag in self.owned:
            self.owned.discard(tag)
            with contextlib.suppress(OSError):
                os.unlink(self.folder / _name(tag))

    def close(self) -> None:
        """Remove what this process wrote, and the folder once no process has anything in it."""
        for tag in list(self.owned):
            self.drop(tag)
        with contextlib.suppress(OSError):
            self.folder.rmdir()


def server_folder(version: str, root: Path | None = None) -> Path | None:
    """This server's private folder for answers of ``version`` (created), or None when there
    is no place to share them safely."""
    import hashlib

    root = root or (Path("/dev/shm") if Path("/dev/shm").is_dir() else Path(tempfile.gettempdir()))
    server = os.getppid()
    if server <= 1:  # the server has gone (this process was handed to init): nothing to share
        return None
    _remove_abandoned(root)
    digest = hashlib.sha256(version.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    folder = root / f"{_PREFIX}{server}-{digest}"
    with contextlib.suppress(FileExistsError):
        folder.mkdir(mode=0o700)
    try:
        found = folder.lstat()
    except OSError:
        return None
    private = found.st_mode & 0o077 == 0 and found.st_uid == os.getuid()
    return folder if private and folder.is_dir() and not folder.is_symlink() else None


def _remove_abandoned(root: Path) -> None:
    """Remove the folders of servers that no longer run (killed before they could)."""
    for folder in root.glob(_PREFIX + "*"):
        server = folder.name.removeprefix(_PREFIX).split("-", 1)[0]
        if not server.isdigit() or _running(int(server)):
            continue
        with contextlib.suppress(OSError):
            if folder.lstat().st_uid == os.getuid() and not folder.is_symlink():
                shutil.rmtree(folder)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _name(tag: str) -> str:
    return tag.strip('"') + ".answer"
