"""A file held by the process working on it: an advisory lock (flock) that the kernel drops when that process
ends, however it ends. Whoever finds a file of unfinished work not held knows its worker is gone (killed, out of
memory, the machine restarted), where a status column alone would say "running" for ever."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def held(path: Path, *, wait: bool = False) -> Iterator[bool]:
    """Hold `path` (it must exist: FileNotFoundError otherwise) for the block: True when this process holds it,
    False when another does (`wait`: wait for it instead). The lock follows the file through renames."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # NONBLOCK: a FIFO put there opens at once
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
