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
from pathlib import Path

from .assets import PrintProfile, cmyk_assets_folder, prepare_for_print
from .compose import compose
from .content import IssueContent, load_content
from .errors import MagazineError, Problem
from .finish import PrintGeometry, finish
from .fonts import FONTS_DIR, cache_dir, load_index, verify_fonts
from .manifest import IssueManifest, load_manifest
from .preflight import PreflightReport, preflight
from .render import RenderedDocument, picture_roots, render
from .sources import attachments, issue_sources, sources_checksum
from .typography import TypographyOptions, typeset
from .typography.coverage import missing_glyphs
from .urls import to_file_urls

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
    since the last build into ``out`` and its PDFs are as it left them, nothing is done
    (``use_cache=False`` builds anyway).
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
        result = _build(issue, out, part, step, started, emit_html=emit_html,
                        allow_missing_glyphs=allow_missing_glyphs, pdfx=pdfx, editions=tuple(editions))
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
    import weasyprint

    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    digest.update(weasyprint.__version__.encode())
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


def _build(issue: IssueManifest, out: Path, part: Part | None, step: Progress, started: float, *,
           emit_html: bool, allow_missing_glyphs: bool, pdfx: str | None, editions: tuple[str, ...]) -> BuildResult:
    step("content")
    content = load_content(issue)
    step("typography")
    content = typeset(content, TypographyOptions(**issue.manifest.typography.model_dump()))
    step("fonts")
    verify_fonts()
    missing = missing_glyphs(issue)
    if missing and not allow_missing_glyphs:
        raise MagazineError(missing)
    outputs: dict[str, tuple[Path, bytes]] = {}
    warnings = [str(p) for p in content.warnings + missing]
    report = None
    pages = padding = 0
    html_path = None
    if "print" in editions:
        printed, report, html = _print_edition(issue, content, part, step, pdfx, out)
        outputs["print"] = (out / f"{_name(issue, part, 'print')}.pdf", printed.data)
        pages, padding = printed.page_count, printed.padding_pages
        warnings += printed.warnings + [f"preflight: {f}" for f in report.warnings]
        if emit_html:
            html_path = out / f"{issue.id}.html"
            outputs["html"] = (html_path, to_file_urls(html, picture_roots(issue.folder)).encode("utf-8"))
    if "screen" in editions or "archive" in editions:
        step("screen")
        composed = compose(content, edition="screen")
        images = {"dpi": SCREEN_PPI, "jpeg_quality": SCREEN_JPEG_QUALITY, "optimize_images": True}
        rendered = _select(render(composed, issue.folder, multiple_of=_multiple(issue),
                                  extra_roots=[issue.print_profile.parent, cache_dir()], options=images), part)
        warnings += [w for w in rendered.warnings if w not in warnings]
        pages, padding = pages or rendered.page_count, padding or rendered.padding_pages
        folios = rendered.folios if part is not None else None
        inside_cover = issue.manifest.inside_cover is not None
        # Written first even when only the archive is wanted: WeasyPrint keeps the pictures it
        # downsampled for the first PDF it writes from a document and re-encodes them for the
        # next, so the archive's bytes would otherwise depend on which editions were asked for.
        pdf = rendered.write_pdf(custom_metadata=True)
        if "screen" in editions:
            finished = finish(pdf, inside_cover=inside_cover, folios=folios, page_layout="TwoPageRight")
            outputs["screen"] = (out / f"{_name(issue, part, 'screen')}.pdf", finished.data)
        if "archive" in editions:
            step("archive")
            sources = issue_sources(issue, embed_pictures_up_to=int(issue.manifest.archive.embed_pictures_mb * 2**20))
            pdf = rendered.write_pdf(custom_metadata=True, pdf_variant="pdf/a-3b",
                                     attachments=attachments(sources, issue.manifest.issue.date))
            finished = finish(pdf, inside_cover=inside_cover, folios=folios, page_layout="TwoPageRight",
                              xmp_descriptions=archive_metadata(issue, sources))
            outputs["archive"] = (out / f"{_name(issue, part, 'archive')}.pdf", finished.data)
    for path, data in outputs.values():
        write_atomic(path, data)
    files = {edition: path for edition, (path, _) in outputs.items() if edition != "html"}
    first = next(iter(files.values()))
    return BuildResult(issue_id=issue.id, pdf=first, pages=pages, padding_pages=padding,
                       seconds=time.perf_counter() - started, html=html_path, warnings=warnings, preflight=report,
                       outputs=files)


SCREEN_PPI = 150
SCREEN_JPEG_QUALITY = 82


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


def _print_edition(issue: IssueManifest, content: IssueContent, part: Part | None, step: Progress,
                   pdfx: str | None, out: Path) -> tuple[_Printed, PreflightReport, str]:
    """The print PDF (PDF/X), preflighted; a PDF that fails is kept as <name>.rejected.pdf."""
    step("pictures")
    settings = issue.manifest.print
    profile = issue.print_profile
    flavour = pdfx or settings.pdfx
    content = prepare_for_print(content, PrintProfile(profile), flatten=flavour == "1a")
    step("compose")
    composed = compose(content, edition="print", output_profile=profile)
    step("render")
    rendered = _select(render(composed, issue.folder, multiple_of=_multiple(issue),
                              extra_roots=[profile.parent, cmyk_assets_folder()]), part)
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
                       saddle_stitch=_multiple(issue) == 4 and part is None)
    if not report.passed:
        rejected = out / f"{_name(issue, part, 'print')}.rejected.pdf"
        write_atomic(rejected, finished.data)
        raise MagazineError([Problem(f"preflight: {line}", file=rejected) for line in
                             (str(f) for f in report.errors)] +
                            [Problem("the print PDF did not pass preflight; it was kept for inspection",
                                     file=rejected, hint="fix the findings above; the last good PDF is unchanged")],
                            usage=False)
    return (_Printed(finished.data, finished.page_count, rendered.padding_pages, rendered.warnings), report,
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
