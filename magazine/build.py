"""``magazine build``: the whole pipeline from an issue folder to its PDF."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import MagazineError, Problem
from .fonts import FONTS_DIR, cache_dir
from .manifest import IssueManifest, load_manifest

if TYPE_CHECKING:
    from .preflight import PreflightReport

Progress = Callable[[str], None]
EDITIONS = ("print", "screen", "archive")


@dataclass
class BuildResult:
    issue_id: str
    pdf: Path
    pages: int
    padding_pages: int
    seconds: float
    html: Path | None = None
    warnings: list[str] = field(default_factory=list)
    preflight: PreflightReport | None = None
    outputs: dict[str, Path] = field(default_factory=dict)  # edition → PDF
    up_to_date: bool = False  # nothing had changed: the previous PDFs were kept
    # edition → (parts of the issue, the parts laid out by this build; the others came from the cache)
    parts: dict[str, tuple[list[str], list[str]]] = field(default_factory=dict)


def _out_key(out: Path) -> str:
    return hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]


@contextlib.contextmanager
def build_lock(out: Path, issue_id: str, progress: Progress, timeout: float = 600.0) -> Iterator[None]:
    """One build of an issue into a folder at a time: a second one waits for the first.

    The lock file lives in the cache (``.cache/locks/``), not beside the PDFs.
    """
    lock = cache_dir() / "locks" / f"{issue_id}-{_out_key(out)}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        deadline = time.monotonic() + timeout
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not told:
                    progress("waiting for another build of this issue")
                    told = True
                if time.monotonic() > deadline:
                    raise MagazineError(Problem(f"another build of {issue_id} into {out} is still running",
                                                hint="wait for it to finish"), usage=False) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_issue(issue_folder: Path | str, out_dir: Path | str | None = None, *, emit_html: bool = False,
                allow_missing_glyphs: bool = False, pdfx: str | None = None, only: str | None = None,
                editions: tuple[str, ...] | list[str] = ("print",), use_cache: bool = True,
                progress: Progress | None = None) -> BuildResult:
    """Validate, compose, render and finish one issue; write ``<out>/<id>-print.pdf``.

    Characters that no bundled font has stop the build before rendering, unless
    ``allow_missing_glyphs`` (then they are listed as warnings). ``only`` (a section number
    or name, or an article id or file name) writes just that part, ``<id>-<part>.pdf``,
    laid out within the whole issue so that its styles and folios are the real ones.
    ``editions``: any of "print" (PDF/X), "screen" (RGB, no bleed, links, pictures at 150 ppi)
    and "archive" (PDF/A-3b, the screen pages with the sources embedded). All files are
    written only once every edition has been made. When nothing the build reads has changed
    since the last build into ``out`` and its PDFs are as it left them, nothing is done;
    otherwise only the parts of the issue whose inputs changed are laid out again.
    ``use_cache=False`` builds anyway and lays out every part anew.
    """
    started = time.perf_counter()
    step = progress or (lambda _stage: None)

    step("manifest")
    issue = load_manifest(issue_folder)
    out = Path(out_dir) if out_dir else Path("build") / issue.id
    part = find_part(issue, only) if only else None
    unknown = set(editions) - set(EDITIONS)
    if unknown or not editions:
        raise MagazineError(Problem(f"unknown edition {', '.join(sorted(unknown)) or '(none)'}",
                                    hint="print, screen, archive or all"))
    with build_lock(out, issue.id, step):
        options = {"editions": list(editions), "pdfx": pdfx, "only": only, "emit_html": emit_html,
                   "allow_missing_glyphs": allow_missing_glyphs}
        record = cache_dir() / "builds" / f"{issue.id}-{_out_key(out)}.json"
        fingerprint = input_fingerprint(issue, options)
        if use_cache:
            previous = _up_to_date(record, fingerprint)
            if previous is not None:
                step("up to date")
                return BuildResult(issue_id=issue.id, pdf=Path(previous["pdf"]), pages=previous["pages"],
                                   padding_pages=previous["padding_pages"], seconds=time.perf_counter() - started,
                                   html=Path(previous["html"]) if previous["html"] else None,
                                   outputs={k: Path(v) for k, v in previous["outputs"].items()}, up_to_date=True)
        from .pipeline import run_pipeline  # the stages, imported only when there is work to do

        result = run_pipeline(issue, out, part, step, started, emit_html=emit_html,
                              allow_missing_glyphs=allow_missing_glyphs, pdfx=pdfx, editions=tuple(editions),
                              use_cache=use_cache)
        if not result.warnings:  # a build with warnings is redone, so that they are shown again
            files = {str(path): hashlib.sha256(path.read_bytes()).hexdigest()
                     for path in [*result.outputs.values(), *([result.html] if result.html else [])]}
            record.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(record, json.dumps({
                "fingerprint": fingerprint, "files": files, "pdf": str(result.pdf), "pages": result.pages,
                "padding_pages": result.padding_pages, "html": str(result.html) if result.html else None,
                "outputs": {k: str(v) for k, v in result.outputs.items()}}, indent=1).encode("utf-8"))
        else:
            record.unlink(missing_ok=True)
        return result


CODE_ROOT = Path(__file__).resolve().parent


def input_fingerprint(issue: IssueManifest, options: dict) -> str:
    """A hash of everything a build reads: the issue folder, the theme, the fonts, the colour
    profiles, the house dictionary, the pipeline's code and WeasyPrint's version, and the options."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    digest.update(version("weasyprint").encode())
    roots = [issue.folder, issue.theme.folder, FONTS_DIR, issue.print_profile.parent, CODE_ROOT]
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    house = CODE_ROOT.parent / "house-style.yaml"
    if house.is_file():
        digest.update(house.read_bytes())
    return digest.hexdigest()


def _up_to_date(record: Path, fingerprint: str) -> dict | None:
    """The previous build's record when its inputs were the same and its files are unchanged."""
    try:
        previous = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if previous.get("fingerprint") != fingerprint:
        return None
    for name, digest in previous.get("files", {}).items():
        path = Path(name)
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return None
    return previous


@dataclass(frozen=True)
class Part:
    """A section or an article: the anchor where it starts and the next one after it."""

    name: str
    start: str
    end: str | None


def find_part(issue: IssueManifest, only: str) -> Part:
    """The section (number or name) or article (id or file name) that ``only`` names."""
    anchors: list[tuple[str, str, str]] = []  # (kind, key, anchor) in reading order
    for section in issue.manifest.sections:
        anchors.append(("section", section.number, section.anchor))
        anchors += [("article", entry.anchor, entry.anchor) for entry in section.articles]
    wanted = only.strip()
    for index, (kind, key, anchor) in enumerate(anchors):
        section = next((s for s in issue.manifest.sections if s.anchor == anchor), None)
        entry = next((e for s in issue.manifest.sections for e in s.articles if e.anchor == anchor), None)
        names = {key}
        if section is not None:
            names |= {section.title, f"section-{section.number}", section.number.lstrip("0")}
        if entry is not None:
            names |= {Path(entry.file).stem, Path(entry.file).name, entry.file}
        if wanted in names:
            later = [a for a in anchors[index + 1:] if kind == "article" or a[0] == "section"]
            return Part(name=anchor, start=anchor, end=later[0][2] if later else None)
    known = ", ".join(s.number for s in issue.manifest.sections)
    raise MagazineError(Problem(f"--only {only!r}: no such section or article",
                                hint=f"a section number ({known}) or name, or an article's file name"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        raise MagazineError(Problem(f"cannot write {path}: {exc.strerror}", file=path,
                                    hint="check the output folder's permissions and free space"),
                            usage=False) from None
