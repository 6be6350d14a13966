"""How many worker processes a build uses: ``$MAGAZINE_WORKERS``, else the processors this
process may run on (at most 8). Parts of the issue, pictures and preflight pages are shared
among that many processes."""

from __future__ import annotations

import os


def worker_count() -> int:
    try:
        return max(1, int(os.environ["MAGAZINE_WORKERS"]))
    except (KeyError, ValueError):
        available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        return max(1, min(8, available))
