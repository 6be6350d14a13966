"""Render the composed HTML with WeasyPrint: bundled fonts only, sandboxed URL loading.

Also settles the page count for the binding: the theme places a few blank padding
pages before the back cover and this stage keeps just as many of them as make the
page count a multiple of 4 (saddle-stitch).
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..compose import ComposedDocument
from ..errors import MagazineError, Problem
from ..fonts import FONT_SUFFIXES, FONTS_DIR, cache_dir, isolated_fontconfig, issue_fontconfig
from ..typography import linelayout
from ..urls import SCHEME, resolve
from . import hooks

WEASYPRINT_VERSION = "70.0"


@dataclass
class RenderedDocument:
    """The laid-out pages (a WeasyPrint Document) and what happened on the way."""

    document: object
    page_count: int
    padding_pages: int
    warnings: list[str] = field(default_factory=list)

    folios: list[int] = field(default_factory=list)  # printed page number of each page

    def write_pdf(self, **options: object) -> bytes:
        return self.document.write_pdf(**options)  # type: ignore[attr-defined]

    def page_of(self, anchor: str) -> int | None:
        """Index of the page that holds ``anchor``."""
        for index, page in enumerate(self.document.pages):  # type: ignore[attr-defined]
            if anchor in page.anchors:
                return index
        return None

    def select(self, first: int, last: int) -> RenderedDocument:
        """Only pages ``first``..``last`` (indexes), with their folios from the whole issue."""
        pages = self.document.pages[first:last + 1]  # type: ignore[attr-defined]
        return RenderedDocument(document=self.document.copy(pages), page_count=len(pages),  # type: ignore[attr-defined]
                                padding_pages=0, warnings=self.warnings, folios=self.folios[first:last + 1])


def _weasyprint():
    """Import WeasyPrint with fontconfig limited to the bundled fonts."""
    os.environ["FONTCONFIG_FILE"] = str(isolated_fontconfig())
    import weasyprint

    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise MagazineError(Problem(
            f"WeasyPrint {weasyprint.__version__} is installed; this pipeline is written for "
            f"{WEASYPRINT_VERSION}", hint=f"pip install weasyprint=={WEASYPRINT_VERSION}"), usage=False)
    linelayout.install()
    return weasyprint


def sandboxed_fetcher(allowed_roots: list[Path], named_roots: dict[str, Path] | None = None):
    """A URL fetcher that serves ``data:`` URLs, files under ``allowed_roots`` and
    ``magazine://<name>/…`` URLs from ``named_roots``, and nothing else."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = [root.resolve() for root in allowed_roots]
    named = named_roots or {}

    class RefusedURL(FatalURLFetchingError):
        pass

    class SandboxedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == SCHEME:
                path = resolve(url, named)
                if path is None or not path.is_file():
                    raise RefusedURL(f"refused to fetch {url}: no such file in the issue")
                return URLFetcherResponse(url, body=path.read_bytes(),
                                          headers={"Content-Type": mimetypes.guess_type(path.name)[0] or
                                                   "application/octet-stream"})
            if scheme == "file":
                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
                raise RefusedURL(f"refused to read {path}: outside the issue, theme and fonts folders")
            raise RefusedURL(f"refused to fetch {url}: only files of the issue may be used, no network")

    return SandboxedFetcher()


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _layout(html: str, base_url: str, issue_folder: Path, theme_folder: Path, extra_roots: list[Path],
            options: dict | None, fontconfig: Path | None = None) -> tuple[object, list[str]]:
    """WeasyPrint's layout of ``html`` with the sandboxed fetcher: (Document, warnings).
    ``fontconfig``: the fontconfig file to use (default: the whole bundled fonts)."""
    weasyprint = _weasyprint()
    os.environ["FONTCONFIG_FILE"] = str(fontconfig or isolated_fontconfig())
    fetcher = sandboxed_fetcher([issue_folder, theme_folder, FONTS_DIR, *extra_roots], picture_roots(issue_folder))
    logger = logging.getLogger("weasyprint")
    collector = _Collect()
    logger.addHandler(collector)
    try:
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            font_config=weasyprint.text.fonts.FontConfiguration(), **(options or {}))
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise MagazineError(Problem(str(exc), hint="pictures and stylesheets must lie in the issue or "
                                                   "theme folder"), usage=True) from None
    finally:
        logger.removeHandler(collector)
    return document, collector.messages


def _stylesheet_problems(composed: ComposedDocument, issue_folder: Path, extra_roots: list[Path]) -> list[Problem]:
    fetcher = sandboxed_fetcher([issue_folder, composed.theme.folder, FONTS_DIR, *extra_roots],
                                picture_roots(issue_folder))
    problems = theme_css_problems(composed.theme.stylesheets, fetcher)
    if any(p.level == "error" for p in problems):
        raise MagazineError(problems)
    return problems


def _padding_to_drop(padding: list[int], page_count: int, multiple_of: int) -> tuple[list[int], int]:
    """(pages to drop, padding pages kept): as many padding pages as make the count a multiple."""
    content_pages = page_count - len(padding)
    keep = (-content_pages) % multiple_of if multiple_of > 1 else 0
    if keep > len(padding):
        raise MagazineError(Problem(f"{content_pages} pages need {keep} blank pages to reach a multiple of "
                                    f"{multiple_of}, the theme offers {len(padding)}"), usage=False)
    return sorted(padding)[keep:], keep


def render(composed: ComposedDocument, issue_folder: Path, *, multiple_of: int = 4,
           extra_roots: list[Path] | None = None, options: dict | None = None) -> RenderedDocument:
    """Lay out the document as a whole; keep as many padding pages as the binding needs.

    Files may be read from the issue folder, the theme, ``fonts/`` and ``extra_roots``
    (colour profiles, converted pictures) only. ``options`` are WeasyPrint's rendering
    options that act while pictures are loaded (``dpi``, ``jpeg_quality``, ``optimize_images``).
    """
    extra_roots = extra_roots or []
    stylesheet_problems = _stylesheet_problems(composed, issue_folder, extra_roots)
    document, collected = _layout(composed.html, composed.base_url, issue_folder, composed.theme.folder,
                                  extra_roots, options, issue_fontconfig(issue_characters(composed)))
    padding = [i for i, page in enumerate(document.pages) if set(page.anchors) & set(composed.padding_ids)]
    drop, keep = _padding_to_drop(padding, len(document.pages), multiple_of)
    if drop:
        document = document.copy([p for i, p in enumerate(document.pages) if i not in drop])
    attributed = {p.message for p in stylesheet_problems}
    messages = [str(p) for p in stylesheet_problems]
    messages += [message for message in collected if message not in attributed]
    return RenderedDocument(document=document, page_count=len(document.pages), padding_pages=keep,
                            warnings=messages, folios=list(range(1, len(document.pages) + 1)))


@dataclass
class RenderedPdf:
    """A written PDF of the whole issue and how it was made."""

    pdfs: list[bytes]       # one per write asked for
    page_count: int
    padding_pages: int
    warnings: list[str]
    parts: list[str] = field(default_factory=list)      # the parts, in order
    rendered: list[str] = field(default_factory=list)   # the parts laid out by this build (not cached)

    @property
    def data(self) -> bytes:
        """The first PDF written."""
        return self.pdfs[0]


def render_pdf(composed: ComposedDocument, issue_folder: Path, *, multiple_of: int = 4,
               extra_roots: list[Path] | None = None, options: dict | None = None,
               writes: list[dict] | None = None, attachments_key: str = "", cache_name: str | None = None,
               progress: Callable[[str], None] | None = None) -> RenderedPdf:
    """Lay out the issue part by part (see ``parallel.py``) and write one PDF per entry of
    ``writes`` (WeasyPrint's ``write_pdf`` options; ``attachments`` named by ``attachments_key``
    for the cache). Parts are laid out in parallel worker processes and, with ``cache_name``,
    taken from the cache when nothing they depend on changed. A theme without parts is laid
    out as one document. The joined PDF embeds each of the issue's fonts once, reduced to the
    glyphs used; without HarfBuzz's subsetter each part embeds its own subsets."""
    from .assemble import assemble
    from .parallel import PartCache, PartSettings, StalePlan, render_in_parts
    from .parts import PartSource, split_parts

    extra_roots = extra_roots or []
    writes = writes or [{}]
    parts = split_parts(composed.html)
    if len(parts) > 1 and _counts_pages(composed):
        # The total page count is known to one document only: lay out the whole issue.
        parts = [PartSource(0, "issue", composed.html, frozenset())]
    if len(parts) > 1:
        fontconfig = issue_fontconfig(issue_characters(composed))  # None: no HarfBuzz subsetter
        hooks.install()
        hooks.keep_deflated_in(cache_dir() / "deflate")
        programs = hooks.stub_font_programs(sorted(p for p in fontconfig.parent.iterdir()
                                                   if p.suffix in FONT_SUFFIXES)) if fontconfig else {}
        stylesheet_problems = _stylesheet_problems(composed, issue_folder, extra_roots)
        settings = PartSettings(base_url=composed.base_url, issue_folder=issue_folder,
                                theme_folder=composed.theme.folder,
                                extra_roots=list(extra_roots), render_options=dict(options or {}),
                                writes=[dict(w) for w in writes], attachments_key=attachments_key,
                                whole_font_programs=fontconfig is not None,
                                padding_ids=tuple(composed.padding_ids),
                                fontconfig=fontconfig)
        cache = None
        if cache_name is not None:
            cache = PartCache(cache_dir() / "parts", _context_stamp(composed, settings), cache_name,
                              stamp=lambda part: _files_stamp(part.html, issue_folder)
                              + (attachments_key if part.last and attachments_key else ""))
        try:
            outcome = render_in_parts(parts, settings, cache=cache, progress=progress)
        except StalePlan:
            outcome = None
        if outcome is not None:
            results = outcome.results
            padding = [r.start - 1 + i for r in results for i in r.padding]
            total = sum(r.pages for r in results)
            drop, keep = _padding_to_drop(padding, total, multiple_of)
            pages = [[i for i in range(r.pages) if r.start - 1 + i not in drop] for r in results]
            links = _cross_part_links(results, pages)
            pdfs = [assemble([(r.pdfs[n], kept) for r, kept in zip(results, pages, strict=True)], links, programs)
                    for n in range(len(writes))]
            attributed = {p.message for p in stylesheet_problems}
            warnings = [str(p) for p in stylesheet_problems]
            defined = set().union(*(part.anchors for part in parts))
            for result in results:
                warnings += [w for w in result.warnings if w not in attributed and w not in warnings
                             and not _link_to_another_part(w, defined)]
            return RenderedPdf(pdfs=pdfs, page_count=total - len(drop), padding_pages=keep, warnings=warnings,
                               parts=[p.name for p in parts], rendered=outcome.rendered)
    rendered = render(composed, issue_folder, multiple_of=multiple_of, extra_roots=extra_roots, options=options)
    return RenderedPdf(pdfs=[rendered.write_pdf(**w) for w in writes], page_count=rendered.page_count,
                       padding_pages=rendered.padding_pages, warnings=rendered.warnings,
                       parts=[p.name for p in parts], rendered=[p.name for p in parts])


_PAGES_COUNTER = re.compile(r"counters?\(\s*pages\s*[,)]")


def _counts_pages(composed: ComposedDocument) -> bool:
    """Whether the theme prints the issue's page count (``counter(pages)``)."""
    sheets = [Path(sheet).read_text(encoding="utf-8", errors="replace") for sheet in composed.theme.stylesheets]
    return any(_PAGES_COUNTER.search(text) for text in [composed.html, *sheets])


def _cross_part_links(results: list, kept: list[list[int]]) -> list[tuple[int, str, list[float]]]:
    """The parts' links to other parts' anchors, on the pages of the joined PDF."""
    links, first = [], 0
    for result, pages in zip(results, kept, strict=True):
        position = {index: first + n for n, index in enumerate(pages)}
        links += [(position[index], anchor, rect) for index, anchor, rect in result.links if index in position]
        first += len(pages)
    return links


_NO_ANCHOR = re.compile(r"No anchor #(.+) for internal URI reference")


def _link_to_another_part(warning: str, defined: set[str]) -> bool:
    """WeasyPrint's complaint about a link whose anchor is in another part (not a problem)."""
    found = _NO_ANCHOR.fullmatch(warning)
    return found is not None and unquote(found.group(1)) in defined


def issue_characters(composed: ComposedDocument) -> str:
    """Every character the document may show: its text and attributes (entities decoded)
    and the strings of the theme's stylesheets (CSS escapes decoded)."""
    import html as html_module

    text = set(html_module.unescape(composed.html))
    for sheet in composed.theme.stylesheets:
        css = Path(sheet).read_text(encoding="utf-8", errors="replace")
        text |= set(css)
        text |= {chr(int(code, 16)) for code in _CSS_ESCAPE.findall(css) if int(code, 16) < 0x110000}
    return "".join(sorted(c for c in text if c.isprintable() or c == "\u3000"))


_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})")
_URL = re.compile(r"""(?:file|magazine)://[^\s"'<>)]+""")


def _files_stamp(html: str, issue_folder: Path) -> str:
    """Size and time of every file the HTML refers to by URL (pictures, stylesheets, profiles).
    Files in the cache (converted pictures) are named after their content: the URL says it all."""
    from ..urls import resolve as resolve_url

    roots = picture_roots(issue_folder)
    cache = cache_dir().resolve()
    digest = hashlib.sha256()
    for url in sorted(set(_URL.findall(html))):
        path = resolve_url(url, roots) if url.startswith(SCHEME) else Path(unquote(urlsplit(url).path))
        if path is not None and path.resolve().is_relative_to(cache):
            digest.update(f"{url}\n".encode())
            continue
        try:
            stat = path.stat() if path is not None else None
        except OSError:
            stat = None
        digest.update(f"{url}\0{stat.st_size if stat else -1}\0{stat.st_mtime_ns if stat else -1}\n".encode())
    return digest.hexdigest()


def _context_stamp(composed: ComposedDocument, settings: object) -> str:
    """Everything besides a part's own HTML and files that its layout depends on: the
    pipeline's code, WeasyPrint, the fonts seen by fontconfig, the theme's files and the
    rendering settings."""
    import weasyprint

    from ..build import CODE_ROOT

    digest = hashlib.sha256(weasyprint.__version__.encode())
    digest.update(settings.stamp().encode())  # type: ignore[attr-defined]
    for root in (CODE_ROOT, composed.theme.folder, FONTS_DIR):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                           and p.suffix != ".j2"):  # templates act through the HTML, already in the key
            stat = path.stat()
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


_AT = re.compile(r" at (\d+):(\d+)")


def picture_roots(issue_folder: Path) -> dict[str, Path]:
    """What the ``magazine://`` URLs of pictures stand for."""
    from ..assets import cmyk_assets_folder

    return {"issue": issue_folder.resolve(), "assets": cmyk_assets_folder()}


def theme_css_problems(stylesheets: list[Path], fetcher=None) -> list[Problem]:
    """WeasyPrint's complaints about each stylesheet, located: syntax errors are errors,
    ignored declarations (unknown properties, invalid values) warnings."""
    weasyprint = _weasyprint()
    logger = logging.getLogger("weasyprint")
    problems = []
    for sheet in stylesheets:
        collector = _Collect()
        logger.addHandler(collector)
        try:
            weasyprint.CSS(filename=str(sheet), **({"url_fetcher": fetcher} if fetcher else {}))
        finally:
            logger.removeHandler(collector)
        for message in collector.messages:
            at = _AT.search(message)
            level = "warning" if message.startswith("Ignored") else "error"
            problems.append(Problem(message, file=sheet, line=int(at.group(1)) if at else None,
                                    column=int(at.group(2)) if at else None, level=level,
                                    hint=None if level == "warning" else "fix the CSS syntax"))
    return problems
