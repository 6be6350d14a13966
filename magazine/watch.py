"""``magazine watch``: rebuild on every saved change, keep proofs of the changed pages.

Watches the issue folder, its theme and ``fonts/`` (with the watchfiles package, changes
debounced), rebuilds, and renders PNG proofs of the pages whose pixels changed. A build
that fails reports its problems and leaves the last good PDF (and proofs) as they were:
builds write through a temporary file and a rename, and preflight rejects a bad PDF.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from .build import build_issue
from .errors import MagazineError
from .fonts import FONTS_DIR
from .manifest import load_manifest
from .proof import render_proofs
from .themes import PROJECT_ROOT


@dataclass
class WatchEvent:
    """One build: what changed, how it went, how long it took."""

    changed: list[Path]
    ok: bool
    seconds: float
    pdf: Path | None = None
    pages: int = 0
    problems: list[str] = field(default_factory=list)
    proofs_written: list[Path] = field(default_factory=list)


def _watched(issue_folder: Path) -> list[Path]:
    roots = [issue_folder.resolve(), FONTS_DIR]
    try:
        roots.append(load_manifest(issue_folder).theme.folder)
    except MagazineError:
        roots.append(PROJECT_ROOT / "layouts")
    return roots


def _relevant(change: watchfiles.Change, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith((".tmp", "~", ".swp")) or "__pycache__" in path)


def watch_issue(issue_folder: Path | str, out_dir: Path | str | None = None, *,
                on_event: Callable[[WatchEvent], None], proofs: bool = True, debounce_ms: int = 300,
                stop_event: threading.Event | None = None) -> None:
    """Build now, then again after every change, until ``stop_event`` is set (or Ctrl-C)."""
    folder = Path(issue_folder)

    def build(changed: list[Path]) -> None:
        started = time.perf_counter()
        try:
            result = build_issue(folder, out_dir)
            written = []
            if proofs:
                written = render_proofs(result.pdf, result.pdf.parent / "proof", only_changed=True).written
            on_event(WatchEvent(changed, True, time.perf_counter() - started, result.pdf, result.pages,
                                proofs_written=written))
        except MagazineError as error:
            on_event(WatchEvent(changed, False, time.perf_counter() - started,
                                problems=[str(p) for p in error.problems]))

    build([])
    for changes in watchfiles.watch(*_watched(folder), debounce=debounce_ms, step=50, stop_event=stop_event,
                                    watch_filter=_relevant, raise_interrupt=False):
        build(sorted({Path(path) for _, path in changes}))
