"""Checking a large merge's inputs in forked worker processes (steps 1 to 3, merge/checks.py),
a few inputs ahead of the caller, which meanwhile plans and adds the inputs already checked."""

from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path
from typing import Generator, Sequence

from lt_interview.merge.checks import Staged, Target, refuse, stage

# Below this much input, checking in this process is quicker than starting worker processes.
WORKERS_FROM_BYTES = 4 * 1024**2
MAX_WORKERS = 2
LOOK_AHEAD = 2  # inputs checked ahead per worker: enough to keep workers busy, not to pile up


def worker_count(inputs: Sequence[Path]) -> int:
    """Worker processes for checking: only on a multi-core machine, for enough input, and only
    where forking is safe (no other thread that could hold a lock the child would inherit)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    if (len(inputs) < 2 or cpus < 2 or threading.active_count() > 1
            or "fork" not in multiprocessing.get_all_start_methods()):
        return 0
    total = 0
    for path in inputs:
        try:
            total += path.lstat().st_size
        except OSError:
            pass
    return min(MAX_WORKERS, cpus, len(inputs)) if total >= WORKERS_FROM_BYTES else 0


def checked_inputs(inputs: Sequence[Path], passphrase: str, target: Target,
                   workdir: Path) -> Generator[Staged, None, None]:
    """Each input copied into staging and checked, in input order (so refusals come in input
    order). Large merges are checked in forked worker processes, a few inputs ahead of the
    caller, which meanwhile plans and adds the inputs already checked."""
    workers = worker_count(inputs)
    if not workers:
        for path in inputs:
            yield stage(path, passphrase, target=target, workdir=workdir)
        return
    job = partial(stage, passphrase=passphrase, target=target, workdir=workdir)
    context = multiprocessing.get_context("fork")
    # The workers hold the derived key: they must not outlive this process, however it ends.
    # Each watches the read end of a pipe whose only write end is this process's; the system
    # closes it when this process ends (even SIGKILLed), and the workers then exit at once.
    lifeline, parent_end = context.Pipe(duplex=False)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_die_with_parent,
                               initargs=(lifeline, parent_end))
    try:
        pending: deque = deque()
        waiting = iter(inputs)
        for path in itertools.islice(waiting, workers * LOOK_AHEAD):
            pending.append((path, pool.submit(job, path)))
        while pending:
            path, future = pending.popleft()
            try:
                item = future.result()
            except BrokenProcessPool:
                raise refuse(path, "checking stopped unexpectedly (the computer may be short of memory)") from None
            for following in itertools.islice(waiting, 1):
                pending.append((following, pool.submit(job, following)))
            yield item
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        parent_end.close()
        lifeline.close()


def _die_with_parent(lifeline, parent_end) -> None:
    """In each worker, first: close its inherited copy of the write end, then wait on the read
    end in a thread and leave the moment it closes (the parent ended). Plain pipes, no signals:
    the same on every platform."""
    parent_end.close()

    def watch() -> None:
        try:
            lifeline.recv_bytes()  # nothing is ever sent: returns only at end of file
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="lt-interview-lifeline", daemon=True).start()
