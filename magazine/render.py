"""Render the composed HTML with WeasyPrint: bundled fonts only, sandboxed URL loading.

Also settles the page count for the binding: the theme places a few blank padding
pages before the back cover and this stage keeps just as many of them as make the
page count a multiple of 4 (saddle-stitch).
"""

from __future__ import annotations

import logging
import mimetypes
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .compose import ComposedDocument
from .errors import MagazineError, Problem
from .fonts import FONTS_DIR, isolated_fontconfig
from .typography import linelayout
from .urls import SCHEME, resolve

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


def render(composed: ComposedDocument, issue_folder: Path, *, multiple_of: int = 4,
           extra_roots: list[Path] | None = None, options: dict | None = None) -> RenderedDocument:
    """Lay out the document; keep as many padding pages as the binding needs.

    Files may be read from the issue folder, the theme, ``fonts/`` and ``extra_roots``
    (colour profiles, converted pictures) only. ``options`` are WeasyPrint's rendering
    options that act while pictures are loaded (``dpi``, ``jpeg_quality``, ``optimize_images``).
    """
    weasyprint = _weasyprint()
    fetcher = sandboxed_fetcher([issue_folder, composed.theme.folder, FONTS_DIR, *(extra_roots or [])],
                                picture_roots(issue_folder))
    logger = logging.getLogger("weasyprint")
    stylesheet_problems = theme_css_problems(composed.theme.stylesheets, fetcher)
    if any(p.level == "error" for p in stylesheet_problems):
        raise MagazineError(stylesheet_problems)
    collector = _Collect()
    logger.addHandler(collector)
    try:
        html = weasyprint.HTML(string=composed.html, base_url=composed.base_url, url_fetcher=fetcher)
        document = html.render(font_config=weasyprint.text.fonts.FontConfiguration(), **(options or {}))
    except weasyprint.urls.FatalURLFetchingError as exc:
        raise MagazineError(Problem(str(exc), hint="pictures and stylesheets must lie in the issue or "
                                                   "theme folder"), usage=True) from None
    finally:
        logger.removeHandler(collector)

    padding = {i for i, page in enumerate(document.pages) if set(page.anchors) & set(composed.padding_ids)}
    content_pages = len(document.pages) - len(padding)
    keep = (-content_pages) % multiple_of if multiple_of > 1 else 0
    if keep > len(padding):
        raise MagazineError(Problem(f"{content_pages} pages need {keep} blank pages to reach a multiple of "
                                    f"{multiple_of}, the theme offers {len(padding)}"), usage=False)
    drop = sorted(padding)[keep:]
    if drop:
        document = document.copy([p for i, p in enumerate(document.pages) if i not in drop])
    attributed = {p.message for p in stylesheet_problems}
    messages = [str(p) for p in stylesheet_problems]
    messages += [message for message in collector.messages if message not in attributed]
    return RenderedDocument(document=document, page_count=len(document.pages), padding_pages=keep,
                            warnings=messages, folios=list(range(1, len(document.pages) + 1)))


_AT = re.compile(r" at (\d+):(\d+)")


def picture_roots(issue_folder: Path) -> dict[str, Path]:
    """What the ``magazine://`` URLs of pictures stand for."""
    from .assets import cmyk_assets_folder

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
