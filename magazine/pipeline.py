"""The stages of a build, in order: content → typography → (pictures) → compose → render →
finish → preflight, for each edition. ``build.build_issue`` decides whether to run them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .assets import PrintProfile, cmyk_assets_folder, prepare_for_print
from .build import BuildResult, Part, Progress, write_atomic
from .compose import compose
from .content import IssueContent, load_content
from .errors import MagazineError, Problem
from .finish import PrintGeometry, finish
from .fonts import cache_dir, load_index, verify_fonts
from .manifest import IssueManifest
from .preflight import PreflightReport, preflight
from .render import RenderedDocument, picture_roots, render, render_pdf
from .sources import attachments, issue_sources, sources_checksum
from .typography import TypographyOptions, typeset
from .typography.coverage import missing_glyphs
from .urls import to_file_urls


def run_pipeline(issue: IssueManifest, out: Path, part: Part | None, step: Progress, started: float, *,
                 emit_html: bool, allow_missing_glyphs: bool, pdfx: str | None,
                 editions: tuple[str, ...], use_cache: bool = True) -> BuildResult:
    """Make the asked-for editions; write every file only once all of them have been made.
    ``use_cache=False`` lays out every part and preflights every page anew (the cached
    conversions of pictures and fonts, which do not depend on the layout, are still used).
    ``emit_html`` writes the HTML of the print edition (of the screen edition without print)."""
    step("content")
    content = load_content(issue)
    step("typography")
    content = typeset(content, TypographyOptions(**issue.manifest.typography.model_dump()))
    missing: list[Problem] = []
    if "print" in editions:
        # The fonts are checked (checksums, every character of the issue in some face) while
        # worker processes convert the pictures.
        step("pictures and fonts")
        printable = prepare_for_print(content, PrintProfile(issue.print_profile),
                                      flatten=(pdfx or issue.manifest.print.pdfx) == "1a",
                                      meanwhile=lambda: missing.extend(_check_fonts(issue)))
    else:
        step("fonts")
        missing = _check_fonts(issue)
    if missing and not allow_missing_glyphs:
        raise MagazineError(missing)
    outputs: dict[str, tuple[Path, bytes]] = {}
    warnings = [str(p) for p in content.warnings + missing]
    report = None
    pages = padding = 0
    html_path = None
    parts: dict[str, tuple[list[str], list[str]]] = {}
    if "print" in editions:
        printed, report, html = _print_edition(issue, printable, part, step, pdfx, out, use_cache)
        if printed.parts:
            parts["print"] = printed.parts
        outputs["print"] = (out / f"{_name(issue, part, 'print')}.pdf", printed.data)
        pages, padding = printed.page_count, printed.padding_pages
        warnings += printed.warnings + [f"preflight: {f}" for f in report.warnings]
        if emit_html:
            html_path = out / f"{issue.id}.html"
            outputs["html"] = (html_path, to_file_urls(html, picture_roots(issue.folder)).encode("utf-8"))
    if "screen" in editions or "archive" in editions:
        step("screen")
        composed = compose(content, edition="screen")
        if emit_html and html_path is None:
            html_path = out / f"{issue.id}.html"
            outputs["html"] = (html_path, to_file_urls(composed.html, picture_roots(issue.folder)).encode("utf-8"))
        images = {"dpi": SCREEN_PPI, "jpeg_quality": SCREEN_JPEG_QUALITY, "optimize_images": True}
        extra_roots = [issue.print_profile.parent, cache_dir()]
        inside_cover = issue.manifest.inside_cover is not None
        # The screen PDF is written first even when only the archive is wanted: WeasyPrint keeps
        # the pictures it downsampled for the first PDF it writes from a document and re-encodes
        # them for the next, so the archive's bytes would otherwise depend on the editions asked for.
        writes: list[dict] = [{"custom_metadata": True}]
        sources: list = []
        if "archive" in editions:
            sources = issue_sources(issue, embed_pictures_up_to=int(issue.manifest.archive.embed_pictures_mb * 2**20))
            writes.append({"custom_metadata": True, "pdf_variant": "pdf/a-3b",
                           "attachments": attachments(sources, issue.manifest.issue.date)})
        if part is None:
            screen = render_pdf(composed, issue.folder, multiple_of=_multiple(issue), extra_roots=extra_roots,
                                options=images, writes=writes, attachments_key=sources_checksum(sources),
                                cache_name=f"{issue.folder.resolve()}:screen:{len(writes)}" if use_cache else None,
                                progress=step)
            pdfs, folios, screen_warnings = screen.pdfs, None, screen.warnings
            pages, padding = pages or screen.page_count, padding or screen.padding_pages
            if screen.parts:
                parts["screen"] = (screen.parts, screen.rendered)
        else:
            rendered = _select(render(composed, issue.folder, multiple_of=_multiple(issue), extra_roots=extra_roots,
                                      options=images), part)
            pdfs = [rendered.write_pdf(**options) for options in writes]
            folios, screen_warnings = rendered.folios, rendered.warnings
            pages, padding = pages or rendered.page_count, padding or rendered.padding_pages
        warnings += [w for w in screen_warnings if w not in warnings]
        if "screen" in editions:
            finished = finish(pdfs[0], inside_cover=inside_cover, folios=folios, page_layout="TwoPageRight")
            outputs["screen"] = (out / f"{_name(issue, part, 'screen')}.pdf", finished.data)
        if "archive" in editions:
            step("archive")
            finished = finish(pdfs[1], inside_cover=inside_cover, folios=folios, page_layout="TwoPageRight",
                              xmp_descriptions=archive_metadata(issue, sources))
            outputs["archive"] = (out / f"{_name(issue, part, 'archive')}.pdf", finished.data)
    for path, data in outputs.values():
        write_atomic(path, data)
    files = {edition: path for edition, (path, _) in outputs.items() if edition != "html"}
    first = next(iter(files.values()))
    return BuildResult(issue_id=issue.id, pdf=first, pages=pages, padding_pages=padding,
                       seconds=time.perf_counter() - started, html=html_path, warnings=warnings, preflight=report,
                       outputs=files, parts=parts)


SCREEN_PPI = 150
SCREEN_JPEG_QUALITY = 82


def _check_fonts(issue: IssueManifest) -> list[Problem]:
    """The bundled fonts verified; the characters of the issue that no face has."""
    verify_fonts()
    return missing_glyphs(issue)


def _name(issue: IssueManifest, part: Part | None, edition: str) -> str:
    return f"{issue.id}-{part.name}-{edition}" if part is not None else f"{issue.id}-{edition}"


def _multiple(issue: IssueManifest) -> int:
    return 4 if issue.manifest.format.binding == "saddle-stitch" else 2


def _select(rendered: RenderedDocument, part: Part | None) -> RenderedDocument:
    if part is None:
        return rendered
    first = rendered.page_of(part.start)
    end = rendered.page_of(part.end) if part.end else None
    last = rendered.page_count - 1 if end is None else max(first, end - 1)  # type: ignore[operator]
    return rendered.select(first, last)  # type: ignore[arg-type]


@dataclass
class _Printed:
    data: bytes
    page_count: int
    padding_pages: int
    warnings: list[str]
    parts: tuple[list[str], list[str]] | None = None


def _print_edition(issue: IssueManifest, content: IssueContent, part: Part | None, step: Progress,
                   pdfx: str | None, out: Path, use_cache: bool = True) -> tuple[_Printed, PreflightReport, str]:
    """The print PDF (PDF/X) of ``content`` (pictures already converted for print),
    preflighted; a PDF that fails is kept as <name>.rejected.pdf."""
    settings = issue.manifest.print
    profile = issue.print_profile
    flavour = pdfx or settings.pdfx
    step("compose")
    composed = compose(content, edition="print", output_profile=profile)
    step("render")
    variant = {"4": "pdf/x-4", "1a": "pdf/x-1a"}[flavour]
    write_options = {"custom_metadata": True, "pdf_variant": variant}
    extra_roots = [profile.parent, cmyk_assets_folder()]
    folios = None
    laid_out = None
    if part is None:
        printed = render_pdf(composed, issue.folder, multiple_of=_multiple(issue), extra_roots=extra_roots,
                             writes=[write_options],
                             cache_name=f"{issue.folder.resolve()}:print:{flavour}" if use_cache else None,
                             progress=step)
        pdf, padding_pages, render_warnings = printed.pdfs[0], printed.padding_pages, printed.warnings
        laid_out = (printed.parts, printed.rendered)
    else:
        rendered = _select(render(composed, issue.folder, multiple_of=_multiple(issue), extra_roots=extra_roots),
                           part)
        step("write")
        pdf = rendered.write_pdf(**write_options)
        padding_pages, render_warnings, folios = rendered.padding_pages, rendered.warnings, rendered.folios
    step("finish")
    geometry = PrintGeometry(bleed=issue.manifest.format.bleed.points, marks=tuple(settings.marks))
    finished = finish(pdf, inside_cover=issue.manifest.inside_cover is not None, print_geometry=geometry,
                      folios=folios)
    step("preflight")
    fmt = issue.manifest.format
    report = preflight(finished.data, profile="pdfx4" if flavour == "4" else "pdfx1a",
                       trim_mm=(fmt.width.mm, fmt.height.mm), bleed_mm=fmt.bleed.mm, ink_limit=settings.ink_limit,
                       saddle_stitch=_multiple(issue) == 4 and part is None,
                       cache=cache_dir() / "preflight" if use_cache else None)
    if not report.passed:
        rejected = out / f"{_name(issue, part, 'print')}.rejected.pdf"
        write_atomic(rejected, finished.data)
        raise MagazineError([Problem(f"preflight: {line}", file=rejected) for line in
                             (str(f) for f in report.errors)] +
                            [Problem("the print PDF did not pass preflight; it was kept for inspection",
                                     file=rejected, hint="fix the findings above; the last good PDF is unchanged")],
                            usage=False)
    return (_Printed(finished.data, finished.page_count, padding_pages, render_warnings, laid_out), report,
            composed.html)


def archive_metadata(issue: IssueManifest, sources: list) -> str:
    """XMP (Dublin Core, XMP basic) describing the issue, the sources and the tools."""
    from xml.sax.saxutils import escape

    import weasyprint

    from . import __version__

    m = issue.manifest
    fonts = ", ".join(sorted({f"{face.family} {face.version}" for face in load_index()}))
    tool = f"magazine {__version__}; WeasyPrint {weasyprint.__version__}; fonts: {fonts}"
    identifier = f"{m.magazine.title} {m.issue.printed_date} {m.issue.label} (no. {m.issue.number})"
    namespaces = ('xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"')
    return (
        f'<rdf:Description rdf:about="" {namespaces}>'
        f"<dc:publisher><rdf:Bag><rdf:li>{escape(m.magazine.publisher)}</rdf:li></rdf:Bag></dc:publisher>"
        f"<dc:language><rdf:Bag><rdf:li>{escape(m.magazine.language)}</rdf:li></rdf:Bag></dc:language>"
        f"<dc:date><rdf:Seq><rdf:li>{m.issue.date.isoformat()}</rdf:li></rdf:Seq></dc:date>"
        f"<dc:identifier>{escape(identifier)}</dc:identifier>"
        f"<dc:source>sha256:{sources_checksum(sources)} ({len(sources)} files embedded)</dc:source>"
        f"<dc:relation><rdf:Bag><rdf:li>{escape(tool)}</rdf:li></rdf:Bag></dc:relation>"
        "</rdf:Description>"
    )
