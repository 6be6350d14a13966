"""Compose the issue into one HTML document with the theme's Jinja2 templates."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

import jinja2
import segno
from markupsafe import Markup
from PIL import Image

from .assets import rgb_css, screen_stylesheets
from .content import IssueContent
from .errors import MagazineError, Problem
from .themes import Theme
from .units import Colour


@dataclass(frozen=True)
class ComposedDocument:
    """The HTML handed to WeasyPrint; URLs in it are absolute ``file:`` URLs."""

    html: str
    theme: Theme
    base_url: str
    padding_ids: tuple[str, ...]


# Blank pages the template may place before the back cover; the renderer keeps only
# as many as the binding needs (see render.py).
MAX_PADDING_PAGES = 3


def compose(content: IssueContent, *, edition: str = "print", output_profile: Path | None = None) -> ComposedDocument:
    """Render ``issue.html.j2`` of the issue's theme with the typed issue model.

    ``edition`` "print": CMYK colours, and ``output_profile`` (the CMYK ICC profile) declared
    to WeasyPrint as ``@color-profile device-cmyk``, which makes it the PDF/X output intent.
    Other editions ("screen", "archive"): every colour converted to the sRGB it prints as
    (through ``output_profile``), no bleed. Templates see ``edition``.
    """
    theme = content.issue.theme
    profile = output_profile or content.issue.print_profile
    print_edition = edition == "print"

    def cmyk(colour: object) -> str:
        parsed = Colour.parse(colour)
        return parsed.css() if print_edition else rgb_css((parsed.c, parsed.m, parsed.y, parsed.k), profile)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(theme.folder)),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cmyk"] = cmyk
    env.filters["tint"] = lambda colour, fraction: cmyk(Colour.parse(colour).tint(float(fraction)))
    env.filters["qr"] = qr_data_uri
    env.filters["html"] = Markup
    padding_ids = tuple(f"padding-{i}" for i in range(1, MAX_PADDING_PAGES + 1))
    try:
        template = env.get_template("issue.html.j2")
        html = template.render(
            issue=content,
            manifest=content.issue.manifest,
            stylesheets=[p.as_uri() for p in (theme.stylesheets if print_edition
                                              else screen_stylesheets(theme.stylesheets, profile))],
            padding_ids=padding_ids,
            output_profile=profile.as_uri() if print_edition else "",
            edition=edition,
        )
    except jinja2.TemplateSyntaxError as exc:
        file = Path(exc.filename) if exc.filename else theme.folder / (exc.name or "?")
        raise MagazineError(Problem(f"template syntax error: {exc.message}", file=file, line=exc.lineno,
                                    hint="fix the template"), usage=False) from None
    except jinja2.TemplateError as exc:
        raise MagazineError(Problem(f"template error: {exc}", file=theme.folder, hint=_template_line(exc)),
                            usage=False) from None
    return ComposedDocument(html=html, theme=theme, base_url=theme.folder.as_uri() + "/",
                            padding_ids=padding_ids)


def _template_line(exc: Exception) -> str | None:
    tb = exc.__traceback__
    where = None
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            where = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return f"at {where}" if where else None


def qr_data_uri(text: str, scale: int = 16) -> str:
    """A QR code for ``text`` as a greyscale PNG data URI (1 module = ``scale`` pixels).

    Greyscale, so that it is placed as DeviceGray: a print PDF may hold no RGB.
    """
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=0, dark="black", light="white")
    grey = io.BytesIO()
    with Image.open(io.BytesIO(buffer.getvalue())) as image:
        image.convert("L").save(grey, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(grey.getvalue()).decode("ascii")
