"""``magazine build``: the whole pipeline from an issue folder to its PDF."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .assets import PrintProfile, cmyk_assets_folder, prepare_for_print
from .compose import compose
from .content import load_content
from .errors import MagazineError, Problem
from .finish import PrintGeometry, finish
from .fonts import verify_fonts
from .manifest import load_manifest
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


def build_issue(issue_folder: Path | str, out_dir: Path | str | None = None, *, emit_html: bool = False,
                allow_missing_glyphs: bool = False, pdfx: str | None = None,
                progress: Progress | None = None) -> BuildResult:
    """Validate, compose, render and finish one issue; write ``<out>/<id>-print.pdf``.

    Characters that no bundled font has stop the build before rendering, unless
    ``allow_missing_glyphs`` (then they are listed as warnings).
    """
    started = time.perf_counter()
    step = progress or (lambda _stage: None)

    step("manifest")
    issue = load_manifest(issue_folder)
    out = Path(out_dir) if out_dir else Path("build") / issue.id
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
    step("write")
    variant = {"4": "pdf/x-4", "1a": "pdf/x-1a"}[flavour]
    pdf = rendered.write_pdf(custom_metadata=True, pdf_variant=variant)
    step("finish")
    geometry = PrintGeometry(bleed=issue.manifest.format.bleed.points, marks=tuple(settings.marks))
    finished = finish(pdf, inside_cover=issue.manifest.inside_cover is not None, print_geometry=geometry)
    step("preflight")
    fmt = issue.manifest.format
    report = preflight(finished.data, profile="pdfx4" if flavour == "4" else "pdfx1a",
                       trim_mm=(fmt.width.mm, fmt.height.mm), bleed_mm=fmt.bleed.mm, ink_limit=settings.ink_limit,
                       saddle_stitch=binding == "saddle-stitch")
    target = out / f"{issue.id}-print.pdf"
    if not report.passed:
        rejected = out / f"{issue.id}-print.rejected.pdf"
        write_atomic(rejected, finished.data)
        raise MagazineError([Problem(f"preflight: {line}", file=rejected) for line in
                             (str(f) for f in report.errors)] +
                            [Problem("the print PDF did not pass preflight; it was kept for inspection",
                                     file=rejected, hint="fix the findings above; the last good PDF is unchanged")],
                            usage=False)
    write_atomic(target, finished.data)
    return BuildResult(issue_id=issue.id, pdf=target, pages=finished.page_count,
                       padding_pages=rendered.padding_pages, seconds=time.perf_counter() - started,
                       html=html_path, warnings=[str(p) for p in missing] + rendered.warnings
                       + [f"preflight: {f}" for f in report.warnings], preflight=report)


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
