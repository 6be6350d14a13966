"""The print edition: PDF/X, output intent, boxes, colour, marks, reproducibility, package, imposition."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from magazine.build import build_issue
from magazine.errors import MagazineError
from magazine.impose import impose, sheet_order
from magazine.manifest import PROFILES
from magazine.package import package_issue
from magazine.preflight import preflight

MM = 72 / 25.4


@pytest.fixture(scope="module")
def small_print(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("print")
    issue = folder / "small"
    shutil.copytree(Path(__file__).parent / "fixtures" / "small", issue)
    return build_issue(issue, folder / "out").pdf


def test_output_intent_embeds_the_manifests_profile(small_print):
    reader = PdfReader(small_print)
    [intent] = reader.trailer["/Root"]["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX"
    profile = intent["/DestOutputProfile"].get_object().get_data()
    assert profile[16:20] == b"CMYK"
    assert "FOGRA39" in str(intent["/OutputConditionIdentifier"])
    assert b"FOGRA39" in (PROFILES / "coated-fogra39.icc").read_bytes() and b"FOGRA39" in profile
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"PDF/X-4" in xmp
    assert reader.pdf_header == "%PDF-1.6"


def test_no_rgb_anywhere(small_print):
    """The fixture's photo is an RGB JPEG: it is placed as CMYK. No RGB operator or space remains."""
    reader = PdfReader(small_print)
    image_spaces = set()
    for page in reader.pages:
        data = page.get_contents().get_data()
        assert not re.search(rb"\s(rg|RG)\s", data)
        for xobject in page["/Resources"].get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject["/Subtype"] == "/Image":
                image_spaces.add(str(xobject.get("/ColorSpace")))
    assert "/DeviceRGB" not in image_spaces and "/DeviceCMYK" in image_spaces
    report = preflight(small_print, profile="pdfx4", trim_mm=(210, 285), bleed_mm=3, saddle_stitch=True)
    assert report.passed, report.lines()
    assert not [f for f in report.findings if f.check == "colour-space"]


def test_boxes_on_every_page(small_print):
    for page in PdfReader(small_print).pages:
        trim, bleed = page.trimbox, page.bleedbox
        assert float(trim.width) == pytest.approx(210 * MM, abs=0.01)
        assert float(trim.height) == pytest.approx(285 * MM, abs=0.01)
        assert float(trim.left) - float(bleed.left) == pytest.approx(3 * MM, abs=0.01)
        assert float(bleed.top) - float(trim.top) == pytest.approx(3 * MM, abs=0.01)


def stroked_points(page) -> list[tuple[float, float]]:
    """Every point of the lines drawn by the marks stream (the page's last content stream)."""
    last = page["/Contents"][-1].get_object()
    points = []
    for operands, operator in ContentStream(last, None).operations:
        if operator in (b"m", b"l"):
            points.append((float(operands[0]), float(operands[1])))
        elif operator == b"c":
            points.extend((float(operands[i]), float(operands[i + 1])) for i in (0, 2, 4))
    return points


def test_marks_lie_outside_the_bleed_box(small_print):
    reader = PdfReader(small_print)
    for page in reader.pages:
        bleed = page.bleedbox
        points = stroked_points(page)
        assert len(points) == 16  # crop marks: 2 lines at each of 4 corners
        for x, y in points:
            inside = float(bleed.left) < x < float(bleed.right) and float(bleed.bottom) < y < float(bleed.top)
            assert not inside, (x, y)
        media = page.mediabox
        assert all(float(media.left) <= x <= float(media.right) for x, _ in points)


def test_no_links_or_annotations(small_print):
    for page in PdfReader(small_print).pages:
        assert "/Annots" not in page


def test_registration_marks_where_asked(small_issue, tmp_path):
    manifest = small_issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "print:\n  marks: [crop, registration]\n",
                        encoding="utf-8")
    pdf = build_issue(small_issue, tmp_path / "out").pdf
    page = PdfReader(pdf).pages[0]
    bleed = page.bleedbox
    points = stroked_points(page)
    assert len(points) > 16
    for x, y in points:
        assert not (float(bleed.left) < x < float(bleed.right) and float(bleed.bottom) < y < float(bleed.top))


def test_builds_are_byte_identical(small_issue, tmp_path):
    first = build_issue(small_issue, tmp_path / "one").pdf.read_bytes()
    moved = tmp_path / "elsewhere" / "small"
    shutil.copytree(small_issue, moved)
    second = build_issue(moved, tmp_path / "two").pdf.read_bytes()
    assert first == second
    assert b"xmp.did:" in first


def test_pdfx_1a(small_issue, tmp_path):
    pdf = build_issue(small_issue, tmp_path / "out", pdfx="1a").pdf
    reader = PdfReader(pdf)
    assert reader.pdf_header == "%PDF-1.4"
    assert reader.metadata["/GTS_PDFXVersion"].startswith("PDF/X-1a")
    assert preflight(pdf, profile="pdfx1a").passed


def test_a_failed_preflight_stops_the_build(small_issue, tmp_path):
    # A picture far too small for its place: 40 × 27 px across a column.
    from PIL import Image

    Image.new("RGB", (60, 40), (200, 30, 30)).save(small_issue / "images" / "photo.jpg")
    out = tmp_path / "out"
    with pytest.raises(MagazineError) as caught:
        build_issue(small_issue, out)
    assert "image-resolution" in str(caught.value)
    assert not (out / "small-print.pdf").exists()
    assert (out / "small-print.rejected.pdf").exists()


@pytest.mark.skipif(not shutil.which("qpdf"), reason="qpdf is not installed")
def test_qpdf_finds_no_errors(sample_build):
    result = subprocess.run(["qpdf", "--check", str(sample_build.pdf)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


@pytest.mark.skipif(not shutil.which("gs"), reason="Ghostscript is not installed")
def test_ghostscript_renders_without_warnings(sample_build):
    result = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(sample_build.pdf)],
                            capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "" and result.stderr.strip() == ""


def test_sample_issue_passes_preflight(sample_build):
    assert sample_build.preflight.passed
    report = preflight(sample_build.pdf, profile="pdfx4", trim_mm=(210, 285), bleed_mm=3, saddle_stitch=True)
    assert report.passed and report.findings == []


def test_sheet_order():
    assert sheet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    with pytest.raises(MagazineError):
        sheet_order(6)


def test_imposition_places_pages_with_creep(small_print):
    plain = impose(small_print.read_bytes())
    creep = impose(small_print.read_bytes(), creep=1 * MM)
    reader = PdfReader(__import__("io").BytesIO(creep.data))
    assert len(reader.pages) == len(plain.spreads) == len(PdfReader(small_print).pages) // 2
    page = reader.pages[0]
    assert float(page.trimbox.width) == pytest.approx(420 * MM, abs=0.01)

    def offsets(data: bytes, index: int) -> list[float]:
        page = PdfReader(__import__("io").BytesIO(data)).pages[index]
        return [float(m) for m in re.findall(rb"q 1 0 0 1 ([-\d.]+) [-\d.]+ cm", page.get_contents().get_data())]

    last = len(plain.spreads) - 1  # the innermost sheet's inner side
    assert offsets(creep.data, 0) == pytest.approx(offsets(plain.data, 0), abs=0.01)  # outermost: no creep
    shift = [a - b for a, b in zip(offsets(creep.data, last), offsets(plain.data, last), strict=True)]
    assert shift == pytest.approx([1 * MM, -1 * MM], abs=0.01)  # both pages towards the spine


def test_package_for_the_printer(small_issue, tmp_path):
    result = package_issue(small_issue, tmp_path)
    names = {path.name for path in result.files}
    assert {"small-print.pdf", "small-imposed.pdf", "preflight.txt", "preflight.json", "job-ticket.txt",
            "job-ticket.json", "proof-sheet.png", "fonts.txt", "LICENSE-OFL.txt"} <= names
    ticket = json.loads((result.folder / "job-ticket.json").read_text(encoding="utf-8"))
    assert ticket["pages"] == result.pages and ticket["trim_size_mm"] == [210, 285] and ticket["bleed_mm"] == 3
    assert ticket["binding"] == "saddle-stitch" and ticket["colour_profile"] == "coated-fogra39.icc"
    assert json.loads((result.folder / "preflight.json").read_text(encoding="utf-8"))["passed"] is True
    with zipfile.ZipFile(result.zip) as archive:
        assert sorted(archive.namelist()) == sorted(f"small-printer/{name}" for name in names)
