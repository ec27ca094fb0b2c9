"""onnxruntime sessions for every model, made in one place so that they share one thread budget.

By default a session computes on one thread: batch runs and the web server scale out
with one process per core, and onnxruntime's thread pools do not survive a fork (a
forked worker would wait for threads that no longer exist). A single analysis that has
the machine to itself (``spinlens analyze FILE``) asks for more with
:func:`use_threads` before loading the models, and must not fork afterwards.

onnxruntime is imported lazily: loading spinlens must not pay for it when no model runs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from spinlens.core.errors import ModelError

# One article's batches are small: more threads than this would mostly wait (a cap, measured on 2 cores
# only).
MAX_THREADS = 4
_threads = 1


def use_threads(threads: int) -> None:
    """Threads that sessions made from now on may compute with (1 where the process will fork workers)."""
    if threads < 1:
        raise ValueError(f"threads must be at least 1, not {threads}")
    global _threads
    _threads = threads


def session_threads() -> int:
    """Threads that a session made now computes with."""
    return _threads


def available_cores() -> int:
    """Cores this process may run on, at most :data:`MAX_THREADS`."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_THREADS))


def onnx_session(model_file: Path, what: str, threads: int | None = None) -> Any:
    """An onnxruntime session on the CPU for ``model_file``; ``what`` names the model in errors.

    ``threads``: how many it computes with (default: the process's :func:`session_threads`).
    """
    try:
        import onnxruntime
    except ImportError as exc:
        raise ModelError(f"{what} needs onnxruntime (install it)") from exc
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads or _threads
    options.inter_op_num_threads = 1
    try:
        return onnxruntime.InferenceSession(
            str(model_file), sess_options=options, providers=["CPUExecutionProvider"]
        )
    except Exception as exc:  # onnxruntime raises its own untyped errors for bad files
        raise ModelError(f"cannot load {what} {model_file}: {exc}") from exc
