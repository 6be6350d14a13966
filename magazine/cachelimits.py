"""Keep the cache folders from growing without end.

Each cache folder holds *entries*: the files and folders whose names share the part before
the first dot (``<key>.json`` with ``<key>.0.pdf``, ``<key>.1.pdf``; a folder ``<key>/``).
An entry is used when it is read (its newest file's time is set to now); when a folder is
over its limit, the entries used longest ago go first. Limits in MB can be changed with
``MAGAZINE_CACHE_MB`` (one number for every folder).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

# Limits per folder of the cache, in MB.
LIMITS_MB = {"parts": 1024, "fonts": 256, "deflate": 256, "preflight": 64, "assets": 1024}


def touch(path: Path) -> None:
    """Mark ``path`` (a file of an entry) as used now."""
    with contextlib.suppress(OSError):
        os.utime(path)


def _limit_mb(name: str) -> float:
    try:
        return float(os.environ["MAGAZINE_CACHE_MB"])
    except (KeyError, ValueError):
        return LIMITS_MB[name]


def prune(folder: Path, name: str, *, keep: set[str] = frozenset()) -> int:
    """Remove the entries of ``folder`` used longest ago until it is under the limit for
    ``name``; never the entries in ``keep`` (keys) nor any used in the last minute. Returns
    the number of entries removed."""
    if not folder.is_dir():
        return 0
    entries: dict[str, list[Path]] = {}
    for child in folder.iterdir():
        if child.name.startswith("."):
            continue  # temporary files of a write in progress
        entries.setdefault(child.name.split(".", 1)[0], []).append(child)
    sizes, used = {}, {}
    for key, paths in entries.items():
        size, newest = 0, 0.0
        for path in paths:
            for file in ([path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]):
                try:
                    stat = file.stat()
                except OSError:
                    continue
                size += stat.st_size
                newest = max(newest, stat.st_mtime)
        sizes[key], used[key] = size, newest
    total, limit = sum(sizes.values()), _limit_mb(name) * 2**20
    removed = 0
    recent = time.time() - 60
    for key in sorted(entries, key=lambda k: used[k]):
        if total <= limit:
            break
        if key in keep or used[key] > recent:
            continue
        for path in entries[key]:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        total -= sizes[key]
        removed += 1
    return removed
