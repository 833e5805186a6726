"""Work done in a forked process while this one does other work: the two cores of a machine for
one build (the knowledge files read, the search index's fields). The child sends its pickled
result through a pipe; a child that dies, is killed or sends half a result is simply not used, and
the caller does the work itself."""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """Whether a process may be forked here: the call exists, and no other thread runs (one could
    hold a lock the child would never see released)."""
    return hasattr(os, "fork") and threading.active_count() == 1


Child = tuple[int, int]  # the child's pid, the read end of the pipe its result comes through


def start(work: Callable[[], object]) -> Child | None:
    """Run ``work`` in a forked process, or None when no process could be made."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: the result, then out without running anything of the parent's
        code = 1
        try:
            os.close(read)
            with os.fdopen(write, "wb") as out:
                pickle.dump(work(), out, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def result(child: Child) -> Any:
    """The forked process's result, or None if it failed (died, was killed, sent half of it)."""
    pid, read = child
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    try:
        return pickle.loads(data)
    except Exception:  # a truncated result: the caller does the work instead
        return None
