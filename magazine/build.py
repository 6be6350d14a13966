"""``magazine build``: the whole pipeline from an issue folder to its PDF."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .assets import PrintProfile, cmyk_assets_folder, prepare_for_print
from .compose import compose
from .content import load_content
from .errors import MagazineError, Problem
from .finish import PrintGeometry, finish
from .fonts import cache_dir, verify_fonts
from .manifest import IssueManifest, load_manifest
from .preflight import PreflightReport, preflight
from .render import render
from .typography import TypographyOptions, typeset
from .typography.coverage import missing_glyphs

Progress = Callable[[str], None]


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


@contextlib.contextmanager
def build_lock(out: Path, issue_id: str, progress: Progress, timeout: float = 600.0) -> Iterator[None]:
    """One build of an issue into a folder at a time: a second one waits for the first.

    The lock file lives in the cache (``.cache/locks/``), not beside the PDFs.
    """
    key = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]
    lock = cache_dir() / "locks" / f"{issue_id}-{key}.lock"
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
                progress: Progress | None = None) -> BuildResult:
    """Validate, compose, render and finish one issue; write ``<out>/<id>-print.pdf``.

    Characters that no bundled font has stop the build before rendering, unless
    ``allow_missing_glyphs`` (then they are listed as warnings). ``only`` (a section number
    or name, or an article id or file name) writes just that part, ``<id>-<part>.pdf``,
    laid out within the whole issue so that its styles and folios are the real ones.
    """
    started = time.perf_counter()
    step = progress or (lambda _stage: None)

    step("manifest")
    issue = load_manifest(issue_folder)
    out = Path(out_dir) if out_dir else Path("build") / issue.id
    part = find_part(issue, only) if only else None
    with build_lock(out, issue.id, step):
        return _build(issue, out, part, step, started, emit_html=emit_html,
                      allow_missing_glyphs=allow_missing_glyphs, pdfx=pdfx)


def _build(issue: IssueManifest, out: Path, part: Part | None, step: Progress, started: float, *,
           emit_html: bool, allow_missing_glyphs: bool, pdfx: str | None) -> BuildResult:
    step("content")
    content = load_content(issue)
    step("typography")
    content = typeset(content, TypographyOptions(**issue.manifest.typography.model_dump()))
    step("fonts")
    verify_fonts()
    missing = missing_glyphs(issue)
    if missing and not allow_missing_glyphs:
        raise MagazineError(missing)
    step("pictures")
    settings = issue.manifest.print
    profile = issue.print_profile
    flavour = pdfx or settings.pdfx
    content = prepare_for_print(content, PrintProfile(profile), flatten=flavour == "1a")
    step("compose")
    composed = compose(content, output_profile=profile)
    html_path = None
    if emit_html:
        html_path = out / f"{issue.id}.html"
        write_atomic(html_path, composed.html.encode("utf-8"))
    step("render")
    binding = issue.manifest.format.binding
    rendered = render(composed, issue.folder, multiple_of=4 if binding == "saddle-stitch" else 2,
                      extra_roots=[profile.parent, cmyk_assets_folder()])
    if part is not None:
        first = rendered.page_of(part.start)
        end = rendered.page_of(part.end) if part.end else None
        last = rendered.page_count - 1 if end is None else max(first, end - 1)  # type: ignore[operator]
        rendered = rendered.select(first, last)  # type: ignore[arg-type]
    step("write")
    variant = {"4": "pdf/x-4", "1a": "pdf/x-1a"}[flavour]
    pdf = rendered.write_pdf(custom_metadata=True, pdf_variant=variant)
    step("finish")
    geometry = PrintGeometry(bleed=issue.manifest.format.bleed.points, marks=tuple(settings.marks))
    finished = finish(pdf, inside_cover=issue.manifest.inside_cover is not None, print_geometry=geometry,
                      folios=rendered.folios if part is not None else None)
    step("preflight")
    fmt = issue.manifest.format
    report = preflight(finished.data, profile="pdfx4" if flavour == "4" else "pdfx1a",
                       trim_mm=(fmt.width.mm, fmt.height.mm), bleed_mm=fmt.bleed.mm, ink_limit=settings.ink_limit,
                       saddle_stitch=binding == "saddle-stitch" and part is None)
    name = f"{issue.id}-{part.name}" if part is not None else f"{issue.id}-print"
    target = out / f"{name}.pdf"
    if not report.passed:
        rejected = out / f"{name}.rejected.pdf"
        write_atomic(rejected, finished.data)
        raise MagazineError([Problem(f"preflight: {line}", file=rejected) for line in
                             (str(f) for f in report.errors)] +
                            [Problem("the print PDF did not pass preflight; it was kept for inspection",
                                     file=rejected, hint="fix the findings above; the last good PDF is unchanged")],
                            usage=False)
    write_atomic(target, finished.data)
    return BuildResult(issue_id=issue.id, pdf=target, pages=finished.page_count,
                       padding_pages=rendered.padding_pages, seconds=time.perf_counter() - started,
                       html=html_path, warnings=[str(p) for p in content.warnings + missing] + rendered.warnings
                       + [f"preflight: {f}" for f in report.warnings], preflight=report)


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
