"""Work done in a forked process while this one does other work: the two cores of a machine for
one build (the knowledge files read, the search index's fields). The child sends its pickled
result through a pipe; a child that dies, is killed or sends half a result is simply not used, and
the caller does the work itself. A caller that stops before it asks for the result cancels the
child (``cancel``), so none is left behind."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """Whether a process may be forked here: the call exists, and no other Python thread runs (one
    could hold a lock the child would never see released). numpy's OpenBLAS thread, which the
    search imports, is not one of them: OpenBLAS prepares itself for a fork, and the child never
    calls it."""
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
    """The forked process's result, or None if it failed (died, was killed, sent half of it).
    The child is reaped whatever happens."""
    pid, read = child
    try:
        with os.fdopen(read, "rb") as pipe:
            found = pickle.load(pipe)  # streamed: a cut-off pickle (no STOP) raises here
    except Exception:
        found = None
    finally:
        status = _reap(pid)
    return found if status == 0 else None


def cancel(child: Child) -> None:
    """Stop a child whose result is no longer wanted, and reap it."""
    pid, read = child
    with contextlib.suppress(OSError):
        os.close(read)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> int:
    """The child's exit status once it has ended; 0 if another part of the process reaped it
    first (SIGCHLD ignored, a reaping handler): its result tells then."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0
