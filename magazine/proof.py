"""Proofs for checking by eye: the print PDF as PNG pages, reader spreads and a contact sheet.

Pages are rasterised with PDFium (pypdfium2) and composed with Pillow. By default each
page is cut to its /TrimBox, so bleed and printer's marks are not shown. Reader spreads
follow the bound magazine: the cover alone on the right, then 2–3, 4–5, …, and the back
cover alone on the left when the page count is even.

``only_changed`` is meant for a watch mode. Each output file's rendered pixels are hashed
and the hashes are kept in ``.proof-index.json`` in the output folder; a file is rewritten
only when its pixels changed (or it is missing, or no longer the file this module wrote:
its size or mtime differ from the index). Hashing pixels rather than content streams and
resources is exact: a page is rewritten if and only if it looks different, whatever
WeasyPrint did to font subsets or object numbers elsewhere in the file. The price is that
every page is still rasterised (about 2 s for the 40 pages of the sample issue at 100 dpi,
mostly decoding its photographs); what unchanged pages skip is PNG encoding and writing.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from .build import write_atomic
from .errors import MagazineError, Problem

INDEX_NAME = ".proof-index.json"
BACKGROUND = (150, 150, 150)  # neutral grey: around the contact sheet's pages, the empty half of a lone page's spread
LABEL_COLOUR = (40, 40, 40)
MAX_SHEET_WIDTH = 4000  # px; a contact sheet wider than this is unreadable as one image
SHEET_RATIO = math.sqrt(2)  # A3 landscape
PNG_COMPRESS_LEVEL = 3  # level 6 (Pillow's default) is 50 % slower for hardly smaller files
MAX_DPI = 1200
WRITER_THREADS = 2  # hashing, PNG encoding and writing release the GIL

_RANGE = re.compile(r"^(\d+)\s*[-–]\s*(\d+)$")
_PAGES_HINT = 'use page numbers and ranges such as "5-12" or "1,3,7-9"'

Spread = tuple[int | None, int | None]


@dataclass(frozen=True)
class ProofResult:
    """What ``render_proofs`` produced.

    ``pages`` lists one PNG per requested page (or per spread with ``spreads=True``),
    whether or not this run rewrote it; ``written`` lists the files this run wrote,
    the contact sheet included. ``page_count`` is the number of pages of the PDF.
    """

    pages: list[Path]
    contact_sheet: Path
    page_count: int
    written: list[Path] = field(default_factory=list)


def parse_pages(spec: str | None, page_count: int) -> list[int]:
    """The 1-based page numbers that ``spec`` selects, sorted, each once.

    ``spec`` is a comma-separated list of pages and ranges (``"5-12"``, ``"1,3,7-9"``);
    ``None`` selects every page. Raises a MagazineError (usage) listing every bad part.
    """
    if spec is None:
        return list(range(1, page_count + 1))
    problems: list[Problem] = []
    selected: set[int] = set()
    for part in (part.strip() for part in spec.split(",")):
        if part.isdigit():
            first = last = int(part)
        elif match := _RANGE.match(part):
            first, last = int(match.group(1)), int(match.group(2))
        else:
            problems.append(Problem(f"{part!r} is not a page number or a range", field="pages", hint=_PAGES_HINT))
            continue
        if first < 1:
            problems.append(Problem(f"{part!r}: pages are numbered from 1", field="pages"))
        elif last < first:
            problems.append(Problem(f"{part!r}: the range runs backwards", field="pages", hint=f"write {last}-{first}"))
        elif last > page_count:
            problems.append(Problem(f"{part!r}: page {last} is past the last page", field="pages",
                                    hint=f"the PDF has {page_count} page{'s' if page_count != 1 else ''}"))
        else:
            selected.update(range(first, last + 1))
    if problems:
        raise MagazineError(problems, usage=True)
    return sorted(selected)


def reader_spreads(page_count: int) -> list[Spread]:
    """The pages as a reader sees them, as (left, right) pairs; ``None`` where a side is empty.

    The cover stands alone on the right, then 2–3, 4–5, …; with an even page count the
    back cover stands alone on the left.
    """
    spreads: list[Spread] = [(None, 1)] if page_count >= 1 else []
    for left in range(2, page_count + 1, 2):
        spreads.append((left, left + 1 if left + 1 <= page_count else None))
    return spreads


def render_proofs(pdf: Path, out_dir: Path, *, pages: str | None = None, dpi: int = 100, spreads: bool = False,
                  crop_to_trim: bool = True, only_changed: bool = False) -> ProofResult:
    """Write PNG proofs of ``pdf`` into ``out_dir``, and its contact sheet ``<stem>-contact.png``.

    Single pages are named ``<stem>-p001.png`` …; with ``spreads`` the reader spreads that
    hold any of the selected pages are written instead, ``<stem>-s01.png`` … (numbered
    through the whole document, so ``s01`` is always the cover; a lone page's empty half
    is grey). The contact sheet always shows the whole document. Files are written
    atomically; with ``only_changed`` only those whose pixels changed since the last run
    (see the module docstring).
    """
    if not 1 <= dpi <= MAX_DPI:
        raise MagazineError(Problem(f"{dpi} dpi is out of range", field="dpi", hint=f"use 1 to {MAX_DPI}"))
    pdf, out_dir = Path(pdf), Path(out_dir)
    with _open(pdf) as document:
        page_count = len(document)
        numbers = parse_pages(pages, page_count)
        index = _Index(out_dir)
        outputs: list[tuple[Path, Future[bool]]] = []
        # PDFium is not thread-safe, so pages are rendered here one after the other while a
        # small pool hashes, encodes and writes them; at most a few images wait in memory.
        with ThreadPoolExecutor(max_workers=WRITER_THREADS) as pool:
            waiting: deque[Future[bool]] = deque()
            for target, image in _proof_images(document, pdf.stem, out_dir, numbers, dpi / 72, spreads, crop_to_trim):
                if len(waiting) >= 2 * WRITER_THREADS:
                    waiting.popleft().result()
                job = pool.submit(index.emit, image, target, only_changed=only_changed)
                waiting.append(job)
                outputs.append((target, job))
        written = [target for target, job in outputs if job.result()]
        index.save()
    *files, sheet = (target for target, _job in outputs)
    return ProofResult(pages=files, contact_sheet=sheet, page_count=page_count, written=written)


def _proof_images(document: pdfium.PdfDocument, stem: str, out_dir: Path, numbers: list[int], scale: float,
                  spreads: bool, crop_to_trim: bool) -> Iterator[tuple[Path, Image.Image]]:
    """The files ``render_proofs`` writes, with their images, rendered one by one; the contact sheet last."""
    if spreads:
        wanted = set(numbers)
        for position, spread in enumerate(reader_spreads(len(document)), 1):
            if wanted.intersection(spread):
                left, right = (_render(document, n, scale, crop_to_trim) if n else None for n in spread)
                yield out_dir / f"{stem}-s{position:02d}.png", _spread_image(left, right)
    else:
        for number in numbers:
            yield out_dir / f"{stem}-p{number:03d}.png", _render(document, number, scale, crop_to_trim)
    yield out_dir / f"{stem}-contact.png", _sheet_image(document, thumb_height=300, crop_to_trim=crop_to_trim)


def contact_sheet(pdf: Path, target: Path, *, thumb_height: int = 300, crop_to_trim: bool = True) -> Path:
    """Write one PNG showing every page of ``pdf`` as a thumbnail, in reader spreads; return ``target``.

    Spreads run left to right in rows, as many per row as bring the sheet closest to A3
    landscape proportions without making it wider than 4000 px; page numbers are set
    under the thumbnails.
    """
    if not 16 <= thumb_height <= 2000:
        raise MagazineError(Problem(f"a thumbnail height of {thumb_height} px is out of range", field="thumb_height",
                                    hint="use 16 to 2000"))
    target = Path(target)
    with _open(Path(pdf)) as document:
        image = _sheet_image(document, thumb_height=thumb_height, crop_to_trim=crop_to_trim)
    write_atomic(target, _png(image))
    return target


@contextmanager
def _open(pdf: Path) -> Iterator[pdfium.PdfDocument]:
    if not pdf.is_file():
        what = "is a folder, not a PDF" if pdf.is_dir() else "does not exist"
        raise MagazineError(Problem(f"the PDF {what}", file=pdf, hint="build the issue first: magazine build <issue>"),
                            usage=True)
    try:
        document = pdfium.PdfDocument(pdf)
    except (pdfium.PdfiumError, OSError) as exc:
        raise MagazineError(Problem(f"cannot read the PDF: {exc}", file=pdf), usage=True) from None
    try:
        if len(document) == 0:
            raise MagazineError(Problem("the PDF has no pages", file=pdf), usage=True)
        yield document
    finally:
        document.close()


def _render(document: pdfium.PdfDocument, number: int, scale: float, crop_to_trim: bool,
            height: int | None = None) -> Image.Image:
    """Rasterise page ``number`` (1-based) at ``scale`` px per point, or to ``height`` px if given."""
    page = document[number - 1]
    try:
        crop = _trim_crop(page) if crop_to_trim else (0.0, 0.0, 0.0, 0.0)
        if height is not None:
            scale = height / max(page.get_height() - crop[1] - crop[3], 1.0)
        bitmap = page.render(scale=scale, crop=crop, rev_byteorder=True)
        return bitmap.to_pil().convert("RGB")
    finally:
        page.close()


def _trim_crop(page: pdfium.PdfPage) -> tuple[float, float, float, float]:
    """How much to cut off the rendered page (left, bottom, right, top, in points) to show its trim box.

    PDFium renders the CropBox (by default the MediaBox), turned by the page's /Rotate,
    and applies the crop to the turned bitmap. Without a /TrimBox the MediaBox is used.
    """
    view = page.get_cropbox()
    trim = page.get_trimbox(fallback_ok=False) or page.get_mediabox()
    left, bottom = max(trim[0] - view[0], 0.0), max(trim[1] - view[1], 0.0)
    right, top = max(view[2] - trim[2], 0.0), max(view[3] - trim[3], 0.0)
    width, height = view[2] - view[0], view[3] - view[1]
    if left + right >= width - 1 or bottom + top >= height - 1:  # a degenerate trim box: show the page whole
        return (0.0, 0.0, 0.0, 0.0)
    # /Rotate turns the page clockwise: at 90° the bottom edge becomes the left one, the left edge the top.
    turns = (page.get_rotation() // 90) % 4
    edges = [left, bottom, right, top]
    return tuple(edges[(i + turns) % 4] for i in range(4))  # type: ignore[return-value]


def _spread_image(left: Image.Image | None, right: Image.Image | None) -> Image.Image:
    """Two pages side by side, touching at the spine; a missing side is left grey."""
    pages = [p for p in (left, right) if p is not None]
    half = max(p.width for p in pages)
    image = Image.new("RGB", (2 * half, max(p.height for p in pages)), BACKGROUND)
    if left is not None:
        image.paste(left, (half - left.width, 0))
    if right is not None:
        image.paste(right, (half, 0))
    return image


def _sheet_image(document: pdfium.PdfDocument, *, thumb_height: int, crop_to_trim: bool) -> Image.Image:
    """Every page as a thumbnail, in reader spreads, several spreads per row, numbered."""
    thumbs = {n: _render(document, n, 1.0, crop_to_trim, height=thumb_height) for n in range(1, len(document) + 1)}
    spreads = reader_spreads(len(document))
    page_width = max(t.width for t in thumbs.values())
    page_height = max(t.height for t in thumbs.values())
    gap = max(6, thumb_height // 12)
    font_size = max(10, thumb_height // 18)
    label_height = font_size + font_size // 2
    cell_width, cell_height = 2 * page_width, page_height + label_height
    columns = _columns(len(spreads), cell_width, cell_height, gap)
    rows = math.ceil(len(spreads) / columns)
    size = (columns * cell_width + (columns + 1) * gap, rows * cell_height + (rows + 1) * gap)
    sheet = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=font_size)
    for position, spread in enumerate(spreads):
        row, column = divmod(position, columns)
        spine = gap + column * (cell_width + gap) + page_width
        top = gap + row * (cell_height + gap)
        for number, is_left in zip(spread, (True, False), strict=True):
            if number is None:
                continue
            thumb = thumbs[number]
            x = spine - thumb.width if is_left else spine
            sheet.paste(thumb, (x, top))
            draw.text((x + thumb.width / 2, top + thumb.height + font_size // 4), str(number), fill=LABEL_COLOUR,
                      font=font, anchor="mt")
    return sheet


def _columns(spread_count: int, cell_width: int, cell_height: int, gap: int) -> int:
    """How many spreads per row bring the sheet closest to A3 landscape, at most MAX_SHEET_WIDTH wide."""
    best, best_score = 1, math.inf
    for columns in range(1, spread_count + 1):
        width = columns * cell_width + (columns + 1) * gap
        if width > MAX_SHEET_WIDTH and columns > 1:
            break
        rows = math.ceil(spread_count / columns)
        height = rows * cell_height + (rows + 1) * gap
        score = abs(math.log(width / height / SHEET_RATIO))
        if score < best_score - 1e-9:
            best, best_score = columns, score
    return best


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buffer.getvalue()


def _pixel_hash(image: Image.Image) -> str:
    digest = hashlib.blake2b(f"{image.mode} {image.width}x{image.height}\n".encode(), digest_size=16)
    digest.update(image.tobytes())
    return digest.hexdigest()


class _Index:
    """The pixel hashes of the files written into one output folder, with each file's size and mtime."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / INDEX_NAME
        self.changed = False
        self._lock = threading.Lock()
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.files: dict[str, dict] = dict(data["files"]) if data.get("version") == 1 else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.files = {}

    def emit(self, image: Image.Image, target: Path, *, only_changed: bool) -> bool:
        """Write ``image`` to ``target`` unless ``only_changed`` and the file already holds it; True if written."""
        digest = _pixel_hash(image)
        with self._lock:
            entry = self.files.get(target.name)
        if only_changed and entry and entry.get("hash") == digest and entry.get("stat") == _stat(target):
            return False
        write_atomic(target, _png(image))
        with self._lock:
            self.files[target.name] = {"hash": digest, "stat": _stat(target)}
            self.changed = True
        return True

    def save(self) -> None:
        if self.changed:
            text = json.dumps({"version": 1, "files": dict(sorted(self.files.items()))}, indent=1)
            write_atomic(self.path, text.encode("utf-8") + b"\n")


def _stat(path: Path) -> list[int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return [status.st_size, status.st_mtime_ns]
