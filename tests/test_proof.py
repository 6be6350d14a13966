"""Proofs: pages cut to the trim box, reader spreads, the contact sheet, rewriting only what changed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject, RectangleObject

from magazine.errors import MagazineError
from magazine.proof import (
    BACKGROUND,
    INDEX_NAME,
    MAX_SHEET_WIDTH,
    contact_sheet,
    parse_pages,
    reader_spreads,
    render_proofs,
)
from magazine.render import _weasyprint

# One solid colour per page, far from each other, from the sheet's grey, from white and from black.
COLOURS = [(230, 25, 75), (60, 180, 75), (0, 130, 200), (255, 225, 25), (145, 30, 180), (70, 240, 240),
           (245, 130, 48), (240, 50, 230), (128, 0, 0), (0, 0, 128)]
TRIM_MM, BLEED_MM = (100, 140), 3


def px(mm: float, dpi: int = 100) -> float:
    return mm / 25.4 * dpi


def make_pdf(path: Path, colours: list[tuple[int, int, int]]) -> Path:
    """A PDF with one page per colour (the page's background, bleed included) and its number in big type."""
    css = [f"@page {{ size: {TRIM_MM[0]}mm {TRIM_MM[1]}mm; bleed: {BLEED_MM}mm; marks: crop; margin: 8mm }}",
           "body { margin: 0 } section { break-before: page; font: bold 30mm sans-serif; color: black }"]
    for number, (r, g, b) in enumerate(colours, 1):
        css.append(f"@page p{number} {{ background: rgb({r}, {g}, {b}) }} .p{number} {{ page: p{number} }}")
    body = "".join(f'<section class="p{n}">{n}</section>' for n in range(1, len(colours) + 1))
    html = f"<html><head><style>{' '.join(css)}</style></head><body>{body}</body></html>"
    path.write_bytes(_weasyprint().HTML(string=html).write_pdf())
    return path


def near(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 6) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual[:3], expected[:3], strict=True))


def sample(image: Image.Image, fx: float, fy: float) -> tuple[int, ...]:
    """The colour at a point given as fractions of the width and height (low on the page: clear of the number)."""
    return image.convert("RGB").getpixel((int(image.width * fx), int(image.height * fy)))


def bbox_of(image: Image.Image, colour: tuple[int, int, int]) -> tuple[int, int, int, int] | None:
    """The bounding box of the pixels of ``colour`` (± a few units in each channel)."""
    red, green, blue = ImageChops.difference(image.convert("RGB"), Image.new("RGB", image.size, colour)).split()
    largest = ImageChops.lighter(red, ImageChops.lighter(green, blue))
    return largest.point(lambda value: 255 if value <= 6 else 0).getbbox()


def stats(paths: list[Path]) -> dict[str, tuple[int, int]]:
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in paths}


# --- parse_pages -------------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "expected"), [
    ("5-12", list(range(5, 13))),
    ("1,3,7-9", [1, 3, 7, 8, 9]),
    (None, list(range(1, 41))),
    (" 9, 2 - 3 ,3", [2, 3, 9]),
    ("40", [40]),
])
def test_parse_pages(spec, expected):
    assert parse_pages(spec, 40) == expected


@pytest.mark.parametrize(("spec", "says"), [
    ("0", "numbered from 1"),
    ("3-1", "runs backwards"),
    ("x", "not a page number"),
    ("99", "past the last page"),
    ("38-41", "past the last page"),
    ("", "not a page number"),
    ("1,,2", "not a page number"),
    ("1-2-3", "not a page number"),
])
def test_parse_pages_refuses_bad_specs(spec, says):
    with pytest.raises(MagazineError) as caught:
        parse_pages(spec, 40)
    assert caught.value.usage
    assert says in str(caught.value)


def test_parse_pages_reports_every_bad_part():
    with pytest.raises(MagazineError) as caught:
        parse_pages("0,2,x,50", 40)
    assert len(caught.value.problems) == 3


def test_reader_spreads():
    assert reader_spreads(1) == [(None, 1)]
    assert reader_spreads(4) == [(None, 1), (2, 3), (4, None)]
    assert reader_spreads(5) == [(None, 1), (2, 3), (4, 5)]


# --- render_proofs -----------------------------------------------------------------------


def test_pages_are_cut_to_the_trim_box(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:4])
    result = render_proofs(pdf, tmp_path / "out")
    assert result.page_count == 4
    assert [p.name for p in result.pages] == [f"doc-p00{n}.png" for n in range(1, 5)]
    assert result.contact_sheet == tmp_path / "out" / "doc-contact.png" and result.contact_sheet.is_file()
    assert set(result.written) == {*result.pages, result.contact_sheet}
    for path, colour in zip(result.pages, COLOURS, strict=False):
        image = Image.open(path)
        assert abs(image.width - px(TRIM_MM[0])) <= 2 and abs(image.height - px(TRIM_MM[1])) <= 2
        assert near(sample(image, 0.5, 0.8), colour)
        for corner in [(0, 0), (image.width - 1, 0), (0, image.height - 1), (image.width - 1, image.height - 1)]:
            assert near(image.convert("RGB").getpixel(corner), colour), "bleed or crop marks left on the page"


def test_dpi_and_page_selection(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:4])
    result = render_proofs(pdf, tmp_path / "out", pages="2-3", dpi=150)
    assert [p.name for p in result.pages] == ["doc-p002.png", "doc-p003.png"]
    names = sorted(p.name for p in (tmp_path / "out").glob("*.png"))
    assert names == ["doc-contact.png", "doc-p002.png", "doc-p003.png"]
    image = Image.open(result.pages[0])
    assert abs(image.width - px(TRIM_MM[0], 150)) <= 2
    assert near(sample(image, 0.5, 0.8), COLOURS[1])


def test_without_cropping_the_bleed_shows(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:2])
    result = render_proofs(pdf, tmp_path / "out", pages="1", crop_to_trim=False)
    image = Image.open(result.pages[0])
    assert abs(image.width - px(TRIM_MM[0] + 2 * BLEED_MM)) <= 2
    assert abs(image.height - px(TRIM_MM[1] + 2 * BLEED_MM)) <= 2


def test_media_box_when_there_is_no_trim_box(tmp_path):
    writer = PdfWriter(clone_from=make_pdf(tmp_path / "boxes.pdf", COLOURS[:2]))
    for page in writer.pages:
        for box in ("/TrimBox", "/BleedBox"):
            page.pop(box, None)
    writer.write(tmp_path / "doc.pdf")
    media = PdfReader(tmp_path / "doc.pdf").pages[0].mediabox
    result = render_proofs(tmp_path / "doc.pdf", tmp_path / "out", pages="1")
    image = Image.open(result.pages[0])
    assert abs(image.width - float(media.width) / 72 * 100) <= 2
    assert abs(image.width - px(TRIM_MM[0] + 2 * BLEED_MM)) <= 2


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_trim_box_follows_the_page_rotation(tmp_path, rotation):
    # A 200 x 300 pt page, its trim box cut unevenly from each edge, the trim box filled red.
    writer = PdfWriter()
    page = writer.add_blank_page(200, 300)
    page.trimbox = RectangleObject([10, 20, 170, 240])
    content = DecodedStreamObject()
    content.set_data(b"1 0 0 rg 10 20 160 220 re f")
    page[NameObject("/Contents")] = writer._add_object(content)
    page.rotate(rotation)
    writer.write(tmp_path / "turned.pdf")
    image = Image.open(render_proofs(tmp_path / "turned.pdf", tmp_path / "out", dpi=72).pages[0]).convert("RGB")
    assert image.size == ((160, 220) if rotation in (0, 180) else (220, 160))
    assert image.getcolors() == [(160 * 220, (255, 0, 0))], "the proof shows more (or less) than the trim box"


def test_spreads_pair_pages_as_a_reader_sees_them(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:6])
    result = render_proofs(pdf, tmp_path / "out", spreads=True)
    assert [p.name for p in result.pages] == ["doc-s01.png", "doc-s02.png", "doc-s03.png", "doc-s04.png"]
    grey = BACKGROUND
    expected = [(grey, COLOURS[0]), (COLOURS[1], COLOURS[2]), (COLOURS[3], COLOURS[4]), (COLOURS[5], grey)]
    for path, (left, right) in zip(result.pages, expected, strict=True):
        image = Image.open(path)
        assert abs(image.width - 2 * px(TRIM_MM[0])) <= 3 and abs(image.height - px(TRIM_MM[1])) <= 2
        assert near(sample(image, 0.25, 0.8), left) and near(sample(image, 0.75, 0.8), right), path.name


def test_spreads_with_an_odd_page_count_and_a_selection(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:5])
    result = render_proofs(pdf, tmp_path / "out", spreads=True, pages="3-4")
    assert [p.name for p in result.pages] == ["doc-s02.png", "doc-s03.png"]
    last = Image.open(result.pages[-1])
    assert near(sample(last, 0.25, 0.8), COLOURS[3]) and near(sample(last, 0.75, 0.8), COLOURS[4])


# --- contact sheet -----------------------------------------------------------------------


def test_contact_sheet_shows_every_page_in_reader_spreads(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:10])
    target = contact_sheet(pdf, tmp_path / "sheet" / "contact.png", thumb_height=200)
    sheet = Image.open(target).convert("RGB")
    assert sheet.width <= MAX_SHEET_WIDTH and sheet.width > sheet.height  # landscape, readable as one image
    assert near(sheet.getpixel((2, 2)), BACKGROUND)
    boxes = [bbox_of(sheet, colour) for colour in COLOURS[:10]]
    assert all(boxes), "a page is missing from the contact sheet"
    width = boxes[0][2] - boxes[0][0]
    assert all(abs((b[3] - b[1]) - 200) <= 2 for b in boxes)

    # Reader order: rows from top to bottom, left to right within a row.
    rows = sorted({b[1] for b in boxes})
    assert len(rows) >= 2
    order = sorted(range(10), key=lambda i: (boxes[i][1], boxes[i][0]))
    assert order == list(range(10))

    # The two pages of a spread touch; spreads are apart.
    for left, right in [(1, 2), (3, 4), (5, 6), (7, 8)]:
        assert abs(boxes[left][2] - boxes[right][0]) <= 1, (left + 1, right + 1)
    for right, left in [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)]:
        if boxes[right][1] == boxes[left][1]:
            assert boxes[left][0] - boxes[right][2] >= 4, "no gap between spreads"

    # The cover stands alone on the right: the left half of its spread is empty.
    cover, back = boxes[0], boxes[9]
    middle = (cover[1] + cover[3]) // 2
    assert cover[0] >= width
    assert all(near(sheet.getpixel((x, middle)), BACKGROUND) for x in range(cover[0] - width, cover[0] - 1, 7))
    # The back cover stands alone on the left: nothing to its right in its row.
    middle = (back[1] + back[3]) // 2
    assert all(near(sheet.getpixel((x, middle)), BACKGROUND) for x in range(back[2] + 1, sheet.width, 7))

    # A page number under each thumbnail.
    for box in boxes:
        label = sheet.crop((box[0], box[3] + 1, box[2], box[3] + 20)).convert("L")
        assert label.getextrema()[0] < 90, "no page number under a thumbnail"


def test_render_proofs_writes_the_contact_sheet_of_the_whole_document(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:4])
    result = render_proofs(pdf, tmp_path / "out", pages="2")
    sheet = Image.open(result.contact_sheet)
    assert all(bbox_of(sheet, colour) for colour in COLOURS[:4])


# --- only_changed ------------------------------------------------------------------------


def test_only_changed_rewrites_only_pages_that_look_different(tmp_path):
    out = tmp_path / "out"
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:4])
    first = render_proofs(pdf, out, only_changed=True)
    files = [*first.pages, first.contact_sheet]
    assert set(first.written) == set(files)
    assert set(json.loads((out / INDEX_NAME).read_text())["files"]) == {p.name for p in files}
    before = stats(files)

    again = render_proofs(pdf, out, only_changed=True)
    assert again.written == [] and again.pages == first.pages
    assert stats(files) == before

    make_pdf(pdf, [*COLOURS[:2], COLOURS[7], COLOURS[3]])  # page 3 changes colour
    changed = render_proofs(pdf, out, only_changed=True)
    assert changed.written == [out / "doc-p003.png", out / "doc-contact.png"]
    after = stats(files)
    assert {name for name in before if after[name] != before[name]} == {"doc-p003.png", "doc-contact.png"}
    assert near(sample(Image.open(out / "doc-p003.png"), 0.5, 0.8), COLOURS[7])
    assert not list(out.glob("*.tmp"))

    (out / "doc-p002.png").unlink()  # a file that went missing is written again
    assert render_proofs(pdf, out, only_changed=True).written == [out / "doc-p002.png"]
    # Without only_changed everything is written.
    assert len(render_proofs(pdf, out).written) == 5


def test_only_changed_notices_other_settings(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:2])
    render_proofs(pdf, tmp_path / "out", only_changed=True)
    result = render_proofs(pdf, tmp_path / "out", only_changed=True, dpi=72)
    assert result.written == result.pages  # the thumbnails of the contact sheet do not depend on the dpi
    assert abs(Image.open(result.pages[0]).width - px(TRIM_MM[0], 72)) <= 2


# --- errors ------------------------------------------------------------------------------


def test_missing_or_unreadable_pdf(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\nthis is not a PDF\n")
    for pdf, says in [(tmp_path / "missing.pdf", "does not exist"), (tmp_path, "folder"),
                      (tmp_path / "broken.pdf", "cannot read the PDF")]:
        for make in (lambda p: render_proofs(p, tmp_path / "out"), lambda p: contact_sheet(p, tmp_path / "c.png")):
            with pytest.raises(MagazineError) as caught:
                make(pdf)
            assert caught.value.usage and says in str(caught.value)
    assert not (tmp_path / "out").exists() and not (tmp_path / "c.png").exists()


def test_bad_page_selection_or_dpi_is_a_usage_error(tmp_path):
    pdf = make_pdf(tmp_path / "doc.pdf", COLOURS[:2])
    for options in [{"pages": "3"}, {"pages": "2-1"}, {"dpi": 0}]:
        with pytest.raises(MagazineError) as caught:
            render_proofs(pdf, tmp_path / "out", **options)
        assert caught.value.usage
    assert not (tmp_path / "out").exists()

