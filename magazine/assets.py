"""Pictures prepared for an edition: for print, every colour converted to the CMYK of the
output-intent profile before WeasyPrint places it.

- Raster pictures (RGB, palette, 16-bit, with alpha, CMYK already) become CMYK JPEGs
  through the profile with Pillow's ImageCms (relative colorimetric, black point
  compensation); alpha is flattened on white. Greyscale pictures stay grey.
- SVG artwork keeps its vectors: each colour (``#rgb``, ``#rrggbb``, ``rgb()``, named
  colours) is replaced by the ``device-cmyk()`` it converts to.

Results are cached in ``.cache/assets/`` by the content hash of (picture, profile,
conversion version), so a rebuild does not convert again; entries are written through a
temporary file and a rename, so an interrupted build never leaves a half-written one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import multiprocessing
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms

from .content import IssueContent, Picture
from .errors import MagazineError, Problem
from .fonts import cache_dir
from .urls import url_for
from .workers import worker_count

CONVERSION_VERSION = "3"
_SVG_COLOUR = re.compile(
    r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgba?\(\s*[\d.]+%?\s*,\s*[\d.]+%?\s*,\s*[\d.]+%?\s*(?:,\s*[\d.]+\s*)?\)"
    r"|(?<=[\"':\s])(?:white|black|red|green|blue|yellow|gray|grey|orange|navy|silver|maroon)(?=[\"';\s])")
_NAMED = {"white": (255, 255, 255), "black": (0, 0, 0), "red": (255, 0, 0), "green": (0, 128, 0),
          "blue": (0, 0, 255), "yellow": (255, 255, 0), "gray": (128, 128, 128), "grey": (128, 128, 128),
          "orange": (255, 165, 0), "navy": (0, 0, 128), "silver": (192, 192, 192), "maroon": (128, 0, 0)}


@dataclass(frozen=True)
class PrintProfile:
    """The output-intent profile pictures are converted to."""

    path: Path

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def cmyk_assets_folder() -> Path:
    return cache_dir() / "assets"


def prepare_for_print(content: IssueContent, profile: PrintProfile, *, flatten: bool = False,
                      meanwhile: Callable[[], object] | None = None) -> IssueContent:
    """The issue with every picture replaced by its CMYK version (converted once, cached).

    ``flatten`` (for PDF/X-1a, which allows no transparency): SVG artwork is rasterised
    at 300 ppi into a CMYK JPEG instead of keeping its vectors. ``meanwhile`` is called
    while worker processes convert the pictures (other work of the build, no threads).
    """
    converter = _Converter(profile, flatten=flatten)
    converted: dict[Path, Picture] = {}
    sources = list(dict.fromkeys(p.path for p in _all_pictures(content)))
    if flatten or len(sources) < 2:  # rasterising SVG goes through WeasyPrint and pdfium: one at a time
        targets = {source: converter.convert(source) for source in sources}
        if meanwhile:
            meanwhile()
    else:  # in worker processes forked from this one (they share the converter)
        global _shared_converter
        _shared_converter = converter
        try:
            with multiprocessing.get_context("fork").Pool(min(len(sources), worker_count())) as pool:
                pending = pool.map_async(_convert_in_worker, sources)
                if meanwhile:
                    meanwhile()
                targets = dict(zip(sources, pending.get(), strict=True))
        finally:
            _shared_converter = None

    def convert(picture: Picture) -> Picture:
        if picture.path not in converted:
            path = targets[picture.path] if picture.path in targets else converter.convert(picture.path)
            url = picture.url if path == picture.path else url_for("assets", path.name)
            converted[picture.path] = dataclasses.replace(picture, path=path, url=url)
        return dataclasses.replace(converted[picture.path], caption=picture.caption)

    def rewrite(html: str, pictures: tuple[Picture, ...]) -> str:
        for picture in pictures:
            html = html.replace(picture.url, convert(picture).url)
        return html

    sections = []
    for section in content.sections:
        articles = []
        for article in section.articles:
            parts = tuple(dataclasses.replace(part, html=rewrite(part.html, part.pictures),
                                              pictures=tuple(convert(p) for p in part.pictures))
                          for part in article.parts)
            articles.append(dataclasses.replace(article, body=rewrite(article.body, article.pictures),
                                                parts=parts, pictures=tuple(convert(p) for p in article.pictures)))
        sections.append(dataclasses.replace(section, articles=tuple(articles)))
    pictures = {key: convert(picture) for key, picture in content.pictures.items()}
    from .cachelimits import prune, touch

    converted_here = [t for t in targets.values() if t.parent == cmyk_assets_folder()]  # not the sources
    for target in converted_here:
        touch(target)
    prune(cmyk_assets_folder(), "assets", keep={t.name.split(".")[0] for t in converted_here})
    return dataclasses.replace(content, sections=tuple(sections), pictures=pictures)


_shared_converter: _Converter | None = None


def _convert_in_worker(source: Path) -> Path:
    assert _shared_converter is not None
    return _shared_converter.convert(source)


def _all_pictures(content: IssueContent) -> list[Picture]:
    pictures = list(content.pictures.values())
    for section in content.sections:
        for article in section.articles:
            pictures += article.pictures
            for part in article.parts:
                pictures += part.pictures
    return pictures


class _Converter:
    def __init__(self, profile: PrintProfile, *, flatten: bool = False) -> None:
        self.profile = profile
        self.flatten = flatten
        self.profile_digest = profile.digest
        self._transforms: dict[str, ImageCms.ImageCmsTransform] = {}

    def convert(self, source: Path) -> Path:
        data = source.read_bytes()
        svg = source.suffix.lower() == ".svg"
        key = hashlib.sha256(b"\0".join([data, self.profile_digest.encode(), CONVERSION_VERSION.encode(),
                                         b"flat" if self.flatten else b""]))
        suffix = ".svg" if svg and not self.flatten else ".jpg"
        target = cmyk_assets_folder() / f"{key.hexdigest()[:32]}{suffix}"
        if target.is_file():
            return target
        if suffix == ".svg":
            output = self._svg(data.decode("utf-8"), source).encode("utf-8")
        elif svg:
            output = self._raster(_rasterise_svg(source), source)
        else:
            output = self._raster(data, source)
        if output is None:
            return source  # greyscale: placed as it is
        _write_atomic(target, output)
        return target

    def _transform(self, mode: str) -> ImageCms.ImageCmsTransform:
        if mode not in self._transforms:
            srgb = ImageCms.createProfile("sRGB")
            cmyk = ImageCms.getOpenProfile(str(self.profile.path))
            self._transforms[mode] = ImageCms.buildTransform(
                srgb, cmyk, mode, "CMYK", renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        return self._transforms[mode]

    def _raster(self, data: bytes, source: Path) -> bytes | None:
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                embedded = image.info.get("icc_profile")
                if image.mode in ("1", "L", "LA", "I;16", "I") and not embedded:
                    if image.mode == "L":
                        return None
                    image = image.convert("L")
                    buffer = io.BytesIO()
                    image.save(buffer, "JPEG", quality=92, optimize=True)
                    return buffer.getvalue()
                if image.mode == "CMYK":
                    cmyk = image
                else:
                    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
                        rgba = image.convert("RGBA")
                        flat = Image.new("RGB", rgba.size, (255, 255, 255))
                        flat.paste(rgba, mask=rgba.getchannel("A"))
                        image = flat
                    elif image.mode != "RGB":
                        image = image.convert("RGB")
                    if embedded:
                        source_profile = ImageCms.ImageCmsProfile(io.BytesIO(embedded))
                        transform = ImageCms.buildTransform(
                            source_profile, ImageCms.getOpenProfile(str(self.profile.path)), "RGB", "CMYK",
                            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
                            flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
                    else:
                        transform = self._transform("RGB")
                    cmyk = ImageCms.applyTransform(image, transform)
                buffer = io.BytesIO()
                dpi = image.info.get("dpi")
                cmyk.save(buffer, "JPEG", quality=92, optimize=True, **({"dpi": dpi} if dpi else {}))
                return buffer.getvalue()
        except (OSError, ValueError, ImageCms.PyCMSError) as exc:
            raise MagazineError(Problem(f"cannot convert {source.name} to CMYK: {exc}", file=source,
                                        hint="export the picture again as RGB JPEG or PNG")) from None

    def _svg(self, text: str, source: Path) -> str:
        cache: dict[str, str] = {}
        transform = self._transform("RGB")

        def cmyk(match: re.Match) -> str:
            token = match.group(0)
            if token not in cache:
                rgb = _parse_rgb(token)
                pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), transform).getpixel((0, 0))
                c, m, y, k = (round(v / 255, 3) for v in pixel)
                cache[token] = f"device-cmyk({c:g} {m:g} {y:g} {k:g})"
            return cache[token]

        text = _SVG_COLOUR.sub(cmyk, text)
        # Shapes without a fill are painted black by default: make that default CMYK black too.
        return re.sub(r"<svg\b(?![^>]*\sfill=)", '<svg fill="device-cmyk(0 0 0 1)"', text, count=1)


def _rasterise_svg(source: Path, ppi: int = 300) -> bytes:
    """The SVG drawn at ``ppi`` (by WeasyPrint, then pdfium) as an RGB PNG."""
    import pypdfium2 as pdfium

    from .render import _weasyprint

    weasyprint = _weasyprint()
    width, height = _svg_size(source.read_text(encoding="utf-8"))
    html = (f"<style>@page {{ size: {width} {height}; margin: 0 }} html, body {{ margin: 0 }}"
            f" img {{ display: block; width: {width}; height: {height} }}</style>"
            f'<img src="{source.as_uri()}">')
    pdf = weasyprint.HTML(string=html, base_url=source.parent.as_uri() + "/").write_pdf()
    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=ppi / 72)
        image = bitmap.to_pil().convert("RGB")
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(ppi, ppi))
    return buffer.getvalue()


def _svg_size(text: str) -> tuple[str, str]:
    """The SVG's width and height as CSS lengths (its attributes, else its viewBox in px)."""
    head = text[: text.find(">", text.find("<svg")) + 1]
    sizes = []
    for name in ("width", "height"):
        found = re.search(rf'\s{name}="\s*([\d.]+)\s*(mm|cm|in|pt|px)?\s*"', head)
        sizes.append(f"{found.group(1)}{found.group(2) or 'px'}" if found else None)
    if None in sizes:
        box = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', head)
        if box:
            return f"{box.group(1)}px", f"{box.group(2)}px"
        return "100mm", "100mm"
    return sizes[0], sizes[1]


def _parse_rgb(token: str) -> tuple[int, int, int]:
    token = token.strip().lower()
    if token in _NAMED:
        return _NAMED[token]
    if token.startswith("#"):
        digits = token[1:]
        if len(digits) == 3:
            digits = "".join(d * 2 for d in digits)
        return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)
    values = re.findall(r"[\d.]+%?", token)[:3]
    return tuple(round(float(v[:-1]) * 2.55) if v.endswith("%") else round(float(v)) for v in values)  # type: ignore[return-value]


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


# ---------------------------------------------------------------------------
# Screen editions: the theme's CMYK colours as the sRGB they print as

_DEVICE_CMYK = re.compile(r"device-cmyk\(\s*([^)]*)\)", re.I)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?!data:|[a-z]+://|/)([^'\")]+)\1\s*\)", re.I)
_rgb_cache: dict[tuple[str, tuple[float, ...]], tuple[int, int, int]] = {}


def cmyk_to_rgb(values: tuple[float, float, float, float], profile: Path) -> tuple[int, int, int]:
    """The sRGB colour a CMYK colour (fractions) prints as on the profile's press."""
    key = (str(profile), values)
    if key not in _rgb_cache:
        transform = ImageCms.buildTransform(
            ImageCms.getOpenProfile(str(profile)), ImageCms.createProfile("sRGB"), "CMYK", "RGB",
            renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC, flags=ImageCms.Flags.BLACKPOINTCOMPENSATION)
        pixel = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in values))
        _rgb_cache[key] = ImageCms.applyTransform(pixel, transform).getpixel((0, 0))
    return _rgb_cache[key]


def rgb_css(values: tuple[float, float, float, float], profile: Path) -> str:
    r, g, b = cmyk_to_rgb(values, profile)
    return f"rgb({r} {g} {b})"


def screen_stylesheets(stylesheets: list[Path], profile: Path) -> list[Path]:
    """Copies of the theme's stylesheets with every ``device-cmyk()`` as ``rgb()`` (cached)."""
    from .units import Colour

    out = []
    for sheet in stylesheets:
        text = sheet.read_text(encoding="utf-8")
        digest = hashlib.sha256(b"\0".join([text.encode(), str(profile).encode(), CONVERSION_VERSION.encode()]))
        target = cache_dir() / "themes" / digest.hexdigest()[:24] / sheet.name
        if not target.is_file():
            def rgb(match: re.Match) -> str:
                colour = Colour.parse(match.group(0))
                return rgb_css((colour.c, colour.m, colour.y, colour.k), profile)

            converted = _DEVICE_CMYK.sub(rgb, text)
            # Relative url()s keep pointing at the theme's own files.
            folder = sheet.parent
            converted = _CSS_URL.sub(lambda m, folder=folder: f'url("{(folder / m.group(2)).resolve().as_uri()}")',
                                     converted)
            _write_atomic(target, converted.encode("utf-8"))
        out.append(target)
    return out
