"""Work done in a forked process while this one does other work: the two cores of a machine for
one build (the knowledge files read, the search index's fields). The child writes each part of its
result, pickled, to an unlinked temporary file as soon as it has it, and then where the part ends
to a pipe; this process reads a part once its end has come through the pipe, so it can use one
part while the child makes the next, and the child never waits for it. A part whose end never
comes (the child died, was killed) ends the stream; the caller does what is left itself. A caller
that stops reading stops the child, so none is left behind."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import tempfile
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

_END = 8  # bytes of a part's end offset in the pipe


def can_fork() -> bool:
    """Whether a process may be forked here: the call exists, and no other Python thread runs (one
    could hold a lock the child would never see released). numpy's OpenBLAS thread, which the
    search imports, is not one of them: OpenBLAS prepares itself for a fork, and the child never
    calls it."""
    return hasattr(os, "fork") and threading.active_count() == 1


@dataclass
class Child:
    pid: int
    ends: int  # the read end of the pipe the parts' end offsets come through
    data: IO[bytes]  # the unlinked file the parts are written to
    handle: int | None = None  # a pidfd: signals only this process, even once its pid is reused
    gone: bool = False  # ended and reaped before a pidfd could be had: never to be signalled
    closed: bool = False  # its descriptors closed and the process reaped (once only)


def start(work: Callable[[], Iterable[object]]) -> Child | None:
    """Run ``work`` in a forked process, each part it yields sent as it comes; None when no
    process could be made."""
    try:
        data = tempfile.TemporaryFile()  # noqa: SIM115 (kept open for the child, closed by _close)
    except OSError:  # no temporary folder to write to: the caller does the work
        return None
    try:
        read, write = os.pipe()
    except OSError:
        data.close()
        return None
    try:
        pid = os.fork()
    except OSError:
        for fd in (read, write):
            os.close(fd)
        data.close()
        return None
    if pid == 0:  # the child: its parts, then out without running anything of the parent's
        code = 1
        try:
            os.close(read)
            end = 0
            for part in work():
                end += _write(data.fileno(), pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL))
                _write(write, end.to_bytes(_END, "little"))
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    try:  # a descriptor for the process itself (Linux 5.3 and later)
        return Child(pid, read, data, os.pidfd_open(pid))
    except ProcessLookupError:  # it ended already, and SIGCHLD ignored had it reaped: its pid
        return Child(pid, read, data, gone=True)  # may be another's by now
    except (AttributeError, OSError):  # no pidfds here: signalled by its pid
        return Child(pid, read, data)


@contextlib.contextmanager
def elsewhere(work: Callable[[], Iterable[object]] | None) -> Iterator[Iterator[Any]]:
    """``work`` started in a forked process; the block gets the stream of its parts (empty when
    there is no work or no process could be made), and the process is gone when the block ends,
    however it ends."""
    child = start(work) if work else None
    try:
        yield parts(child) if child else iter(())
    finally:
        if child:
            cancel(child)


def parts(child: Child) -> Generator[Any, None, None]:
    """The parts the forked process sends, in order, as they come; the stream ends with the
    child, or at the first part whose end does not come through. The child is reaped when the
    stream ends, and stopped first if the caller stops reading before that."""
    ended = False
    try:
        start = 0
        while len(mark := _read(child.ends, _END)) == _END:
            end = int.from_bytes(mark, "little")
            try:
                part = pickle.loads(os.pread(child.data.fileno(), end - start, start))
            except Exception:  # unreadable after all: the caller does the rest
                break
            yield part
            start = end
        ended = True
    finally:
        _close(child, kill=not ended)


def cancel(child: Child) -> None:
    """Stop a child whose parts are no longer wanted, and reap it; nothing if that is done."""
    _close(child, kill=True)


def _close(child: Child, *, kill: bool) -> None:
    if child.closed:
        return
    child.closed = True
    with contextlib.suppress(OSError):
        os.close(child.ends)
    child.data.close()
    if kill and not child.gone:
        with contextlib.suppress(OSError):  # ended and reaped already: nothing to stop
            if child.handle is not None:
                signal.pidfd_send_signal(child.handle, signal.SIGKILL)
            else:
                os.kill(child.pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):  # another part of the process may have reaped it
        waited = child.handle is not None and _waited(child.handle)
        if not waited and not child.gone:  # no pidfd, or one waitid cannot wait on (Linux 5.3): a
            os.waitpid(child.pid, 0)  # child not reaped yet is a zombie, its pid no one else's
    if child.handle is not None:
        os.close(child.handle)


def _waited(handle: int) -> bool:
    """Waited for through its pidfd; False where waitid cannot take one (Linux 5.3)."""
    try:
        os.waitid(os.P_PIDFD, handle, os.WEXITED)
    except ChildProcessError:
        raise
    except OSError:
        return False
    return True


def _write(fd: int, data: bytes) -> int:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    return len(data)


def _read(fd: int, size: int) -> bytes:
    """``size`` bytes from a pipe, or fewer at its end."""
    out = b""
    while len(out) < size and (more := os.read(fd, size - len(out))):
        out += more
    return out
