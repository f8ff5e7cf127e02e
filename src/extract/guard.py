"""Running one extraction under hard limits: wall-clock time and memory.

A hostile PDF (decompression bomb, huge page tree) can hang or exhaust the parser before any
check inside it runs. The work is done in a forked child with an address-space ceiling; the
parent waits at most the time limit, kills the child, and reports a clean LimitExceeded.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import resource
import traceback
from typing import Any, Callable

from extract.errors import ExtractError, LimitExceeded, is_memory_error


_CTX: Any = None


def _context() -> Any:
    # A fork server: children start from a clean, single-threaded process (the caller may run
    # Prefect's thread pool), with the library already imported.
    global _CTX
    if _CTX is None:
        _CTX = mp.get_context("forkserver")
        _CTX.set_forkserver_preload(["extract.pipeline"])
    return _CTX


def _vm_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _child(conn: Any, fn: Callable[..., Any], args: tuple, max_bytes: int) -> None:
    try:
        if max_bytes:
            limit = _vm_bytes() + max_bytes
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        result: tuple[str, Any] = ("ok", fn(*args))
    except MemoryError:
        result = ("memory", None)
    except ExtractError as e:
        result = ("extract_error", (type(e).__name__, str(e), e.hint, e.stage))
    except BaseException as e:  # noqa: BLE001 - reported to the parent, never swallowed
        if is_memory_error(e):
            result = ("memory", None)
        else:
            result = ("error", (f"{type(e).__name__}: {e}", traceback.format_exc()))
    try:
        conn.send_bytes(pickle.dumps(result))
    except MemoryError:
        conn.send_bytes(pickle.dumps(("memory", None)))
    finally:
        conn.close()


def run_guarded(fn: Callable[..., Any], args: tuple, *, seconds: float, max_mb: float, what: str) -> Any:
    """fn(*args) in a forked child; LimitExceeded on timeout or memory exhaustion."""
    ctx = _context()
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, int(max_mb * 1024 * 1024)), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise LimitExceeded(
                f"{what}: extraction stopped after {seconds:.0f} s",
                hint="The file may be hostile (decompression bomb) or huge; raise --max-seconds if it is legitimate.",
            )
        try:
            status, payload = pickle.loads(parent.recv_bytes())
        except EOFError:
            payload, status = None, "died"
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status == "ok":
        return payload
    if status in ("memory", "died"):
        raise LimitExceeded(
            f"{what}: extraction needed more than {max_mb:.0f} MB of memory"
            + ("" if status == "memory" else f" (the worker died, exit code {proc.exitcode})"),
            hint="The file may be a decompression bomb; raise --max-memory-mb if it is legitimate.",
        )
    if status == "extract_error":
        name, message, hint, stage = payload
        raise _error_class(name)(message, hint=hint, stage=stage)
    summary, trace = payload
    raise ChildError(summary, trace)


class ChildError(RuntimeError):
    """An unexpected exception in the child: its summary as message, its traceback kept apart
    (for the run's log, never for the user's screen)."""

    def __init__(self, message: str, trace: str) -> None:
        super().__init__(message)
        self.trace = trace


def _error_class(name: str) -> type[ExtractError]:
    """The ExtractError subclass the child raised, rebuilt by name in the parent."""
    from extract import errors

    found = getattr(errors, name, None)
    return found if isinstance(found, type) and issubclass(found, ExtractError) else ExtractError
