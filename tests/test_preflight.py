"""Preflight: PDFs made to pass or fail each check, plain WeasyPrint output, and the sample issue."""

from __future__ import annotations

import base64
import io
import re
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    RectangleObject,
    TextStringObject,
)

from magazine.build import BuildResult
from magazine.errors import MagazineError
from magazine.preflight import Finding, PreflightReport, preflight

MM = 72 / 25.4
TRIM_MM = (210.0, 297.0)
BLEED_MM = 3.0
MARKS_MM = 10.0  # room for printer's marks outside the bleed
NO_PPI = {"min_ppi_error": 0, "min_ppi_warning": 0}  # for tests of other checks that draw small images large


def icc_header(space: bytes = b"CMYK") -> bytes:
    """A minimal ICC profile: a 128-byte header naming ``space`` and an empty tag table."""
    header = bytearray(128)
    header[0:4] = (132).to_bytes(4, "big")
    header[8:12] = bytes([4, 0x20, 0, 0])
    header[12:16] = b"prtr"
    header[16:20] = space
    header[20:24] = b"Lab "
    header[36:40] = b"acsp"
    return bytes(header) + bytes(4)


def xmp(version: str | None, *, as_attribute: bool = False) -> bytes:
    """An XMP packet with pdfxid:GTS_PDFXVersion (as an element, or as an attribute)."""
    if version is None:
        body = '<rdf:Description rdf:about=""/>'
    elif as_attribute:
        body = f'<rdf:Description rdf:about="" pdfxid:GTS_PDFXVersion="{version}"/>'
    else:
        body = f'<rdf:Description rdf:about=""><pdfxid:GTS_PDFXVersion>{version}</pdfxid:GTS_PDFXVersion>' \
               '</rdf:Description>'
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            f'xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">{body}</rdf:RDF></x:xmpmeta>'
            '<?xpacket end="w"?>').encode()


def pdf(value: object) -> PdfObject:
    """Python values as PDF objects: '/Name', 'text', numbers, lists and dicts (keys without the slash)."""
    if isinstance(value, PdfObject):
        return value
    if isinstance(value, bool):
        return BooleanObject(value)
    if isinstance(value, int):
        return NumberObject(value)
    if isinstance(value, float):
        return FloatObject(value)
    if isinstance(value, str):
        return NameObject(value) if value.startswith("/") else TextStringObject(value)
    if isinstance(value, list | tuple):
        return ArrayObject(pdf(v) for v in value)
    if isinstance(value, dict):
        return DictionaryObject({NameObject("/" + k.lstrip("/")): pdf(v) for k, v in value.items()})
    raise TypeError(value)


def stream(writer: PdfWriter, data: bytes, **entries: object) -> IndirectObject:
    """An indirect stream object with ``entries`` in its dictionary."""
    obj = DecodedStreamObject()
    obj.set_data(data)
    for key, value in entries.items():
        obj[NameObject("/" + key)] = pdf(value)
    return writer._add_object(obj)


Resources = Callable[[PdfWriter], dict]


def make_pdf(*contents: bytes, resources: Resources | None = None, boxes: bool = True,
             pdfx: str | None = "PDF/X-4", xmp_attribute: bool = False, intent: bytes | None = icc_header(),
             catalog: dict | None = None, header: str | None = None) -> bytes:
    """A PDF with one page per content stream, A4 trim with 3 mm bleed, and by default everything PDF/X-4 needs."""
    writer = PdfWriter()
    trim = (MARKS_MM * MM, MARKS_MM * MM, (MARKS_MM + TRIM_MM[0]) * MM, (MARKS_MM + TRIM_MM[1]) * MM)
    bleed = (trim[0] - BLEED_MM * MM, trim[1] - BLEED_MM * MM, trim[2] + BLEED_MM * MM, trim[3] + BLEED_MM * MM)
    shared = pdf(resources(writer)) if resources else DictionaryObject()
    for content in contents or (b"0 0 0 1 k 100 100 200 200 re f",):
        page = writer.add_blank_page((TRIM_MM[0] + 2 * MARKS_MM) * MM, (TRIM_MM[1] + 2 * MARKS_MM) * MM)
        page[NameObject("/Contents")] = stream(writer, content)
        page[NameObject("/Resources")] = shared
        if boxes:
            page[NameObject("/TrimBox")] = RectangleObject(trim)
            page[NameObject("/BleedBox")] = RectangleObject(bleed)
    root = writer._root_object
    if pdfx is not None:
        root[NameObject("/Metadata")] = stream(writer, xmp(pdfx, as_attribute=xmp_attribute),
                                               Type="/Metadata", Subtype="/XML")
    if intent is not None:
        profile = stream(writer, intent, N=4)
        root[NameObject("/OutputIntents")] = pdf([{
            "Type": "/OutputIntent", "S": "/GTS_PDFX", "OutputConditionIdentifier": "FOGRA39",
            "DestOutputProfile": profile}])
    for key, value in (catalog or {}).items():
        root[NameObject("/" + key)] = pdf(value)
    if header:
        writer.pdf_header = header
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def checks(report: PreflightReport, level: str | None = None) -> set[str]:
    return {f.check for f in report.findings if level is None or f.level == level}


def only(report: PreflightReport, check: str) -> list[Finding]:
    return [f for f in report.findings if f.check == check]


def ppi_of(finding: Finding) -> float:
    return float(re.search(r"(\d+(?:\.\d+)?) ppi as placed", finding.message).group(1))


def cmyk_image(writer: PdfWriter, colour: tuple[int, int, int, int], size: tuple[int, int] = (64, 64),
               jpeg: bool = False) -> IndirectObject:
    picture = Image.new("CMYK", size, colour)
    if jpeg:
        data = io.BytesIO()
        picture.save(data, "JPEG", quality=95)
        # Pillow writes Adobe-style (inverted) CMYK JPEGs; /Decode [1 0 ...] tells a PDF reader so.
        return stream(writer, data.getvalue(), Type="/XObject", Subtype="/Image", Width=size[0], Height=size[1],
                      ColorSpace="/DeviceCMYK", BitsPerComponent=8, Filter="/DCTDecode", Decode=[1, 0] * 4)
    return stream(writer, zlib.compress(picture.tobytes()), Type="/XObject", Subtype="/Image", Width=size[0],
                  Height=size[1], ColorSpace="/DeviceCMYK", BitsPerComponent=8, Filter="/FlateDecode")


# A file that passes, and the document-level checks.


def test_minimal_pdfx4_passes() -> None:
    report = preflight(make_pdf(), trim_mm=TRIM_MM, bleed_mm=BLEED_MM, saddle_stitch=False)
    assert report.passed, report.lines()
    assert report.findings == []
    assert report.profile == "pdfx4"


def test_pdfx_identification_missing_or_wrong() -> None:
    assert "pdfx-version" in checks(preflight(make_pdf(pdfx=None)), "error")
    wrong = preflight(make_pdf(pdfx="PDF/X-3:2002"))
    assert [f.level for f in only(wrong, "pdfx-version")] == ["error"]
    assert "PDF/X-3:2002" in only(wrong, "pdfx-version")[0].message
    assert preflight(make_pdf(pdfx="PDF/X-1a:2001", xmp_attribute=True), profile="pdfx1a").passed
    assert not preflight(make_pdf(pdfx="PDF/X-4"), profile="pdfx1a").passed


def test_output_intent_missing_or_not_cmyk() -> None:
    missing = preflight(make_pdf(intent=None))
    assert [(f.level, f.page) for f in only(missing, "output-intent")] == [("error", None)]
    rgb = preflight(make_pdf(intent=icc_header(b"RGB ")))
    assert "not CMYK" in only(rgb, "output-intent")[0].message


def test_encrypted_pdf_is_an_error() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    report = preflight(out.getvalue())
    assert checks(report, "error") == {"encryption"}  # opened with the empty password: the rest passes

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    report = preflight(out.getvalue())
    assert checks(report) == {"encryption"} and len(report.errors) == 2


def test_javascript_and_forms_are_errors() -> None:
    report = preflight(make_pdf(catalog={
        "OpenAction": {"S": "/JavaScript", "JS": "app.alert('hi')"},
        "AcroForm": {"Fields": []},
    }))
    assert checks(report, "error") == {"javascript", "forms"}
    names = preflight(make_pdf(catalog={"Names": {"JavaScript": {"Names": []}}}))
    assert checks(names, "error") == {"javascript"}


def test_saddle_stitch_needs_a_multiple_of_four_pages() -> None:
    three = make_pdf(b"", b"", b"")
    assert [f.check for f in preflight(three, saddle_stitch=True).errors] == ["page-count"]
    assert preflight(three).passed
    assert preflight(make_pdf(b"", b"", b"", b""), saddle_stitch=True).passed


def test_pdfx1a_wants_pdf_14() -> None:
    report = preflight(make_pdf(pdfx="PDF/X-1a:2003", header="%PDF-1.7"), profile="pdfx1a")
    assert report.passed
    assert [(f.level, f.check) for f in report.findings] == [("warning", "pdf-version")]


def test_unknown_profile_is_a_usage_error() -> None:
    with pytest.raises(MagazineError, match="pdfx3"):
        preflight(make_pdf(), profile="pdfx3")


# Page boxes.


def test_missing_trimbox_on_one_page() -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(b"", b"", b""))))
    del writer.pages[1][NameObject("/TrimBox")]
    out = io.BytesIO()
    writer.write(out)
    report = preflight(out.getvalue())
    assert [(f.level, f.check, f.page, f.obj) for f in report.findings] == [("error", "trim-box", 2, "/TrimBox")]


def test_missing_bleedbox_is_a_warning_and_boxes_must_nest() -> None:
    report = preflight(make_pdf(boxes=False))
    assert {(f.level, f.check) for f in report.findings} == {("error", "trim-box"), ("warning", "bleed-box")}

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf())))
    writer.pages[0][NameObject("/TrimBox")] = RectangleObject((0, 0, 700, 900))  # wider than the BleedBox
    out = io.BytesIO()
    writer.write(out)
    assert "page-boxes" in checks(preflight(out.getvalue()), "error")


def test_trim_size_and_bleed() -> None:
    data = make_pdf()
    assert preflight(data, trim_mm=(210, 297), bleed_mm=3).passed
    wrong_size = preflight(data, trim_mm=(210, 285))
    assert [f.check for f in wrong_size.errors] == ["trim-box"]
    assert "210.0×297.0 mm" in wrong_size.errors[0].message
    assert [f.check for f in preflight(data, bleed_mm=5).errors] == ["bleed-box"]


# Fonts.


def test_unembedded_font() -> None:
    def resources(writer: PdfWriter) -> dict:
        helvetica = writer._add_object(pdf({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"}))
        return {"Font": {"F1": helvetica}}

    report = preflight(make_pdf(b"0 0 0 1 k BT /F1 12 Tf 100 700 Td (Hello) Tj ET", resources=resources))
    assert [(f.level, f.check, f.page, f.obj) for f in report.findings] == [
        ("error", "font-embedded", 1, "font Helvetica")]


def test_embedded_and_type3_fonts_pass() -> None:
    def resources(writer: PdfWriter) -> dict:
        program = stream(writer, b"\0" * 16)
        descriptor = writer._add_object(pdf({"Type": "/FontDescriptor", "FontName": "/ABCDEF+Sans",
                                             "FontFile2": program}))
        cid = writer._add_object(pdf({"Type": "/Font", "Subtype": "/CIDFontType2", "BaseFont": "/ABCDEF+Sans",
                                      "FontDescriptor": descriptor}))
        type0 = writer._add_object(pdf({"Type": "/Font", "Subtype": "/Type0", "BaseFont": "/ABCDEF+Sans",
                                        "Encoding": "/Identity-H", "DescendantFonts": [cid]}))
        type3 = writer._add_object(pdf({"Type": "/Font", "Subtype": "/Type3", "FontMatrix": [0.001, 0, 0, 0.001, 0, 0],
                                        "CharProcs": {}, "Encoding": {"Differences": []}}))
        return {"Font": {"F1": type0, "F2": type3}}

    assert preflight(make_pdf(resources=resources)).passed


# Colour.


def test_rgb_colours_images_and_groups_are_errors() -> None:
    def resources(writer: PdfWriter) -> dict:
        image = stream(writer, bytes(3 * 32 * 32), Type="/XObject", Subtype="/Image", Width=32, Height=32,
                       ColorSpace="/DeviceRGB", BitsPerComponent=8)
        form = stream(writer, b"0 0 0 1 k 0 0 10 10 re f", Type="/XObject", Subtype="/Form", BBox=[0, 0, 10, 10],
                      Group={"S": "/Transparency", "CS": "/DeviceRGB"})
        return {"XObject": {"Im1": image, "Fm1": form}}

    content = b"1 0 0 rg 0 0 10 10 re f 0 1 0 RG 0 0 m 10 10 l S 1 0 0 rg 600 0 0 400 0 0 cm /Im1 Do /Fm1 Do"
    report = preflight(make_pdf(content, resources=resources), **NO_PPI)
    found = {(f.level, f.obj) for f in only(report, "colour-space")}
    assert found == {("error", "fill colour (rg)"), ("error", "image /Im1 (32×32 px)"),
                     ("error", "transparency group of form /Fm1")}  # one per page and kind of use
    assert all(f.page == 1 for f in report.findings)


def test_lab_is_a_warning_and_spot_colours_check_their_alternate() -> None:
    def resources(writer: PdfWriter) -> dict:
        tint = writer._add_object(pdf({"FunctionType": 2, "Domain": [0, 1], "C0": [0, 0, 0], "C1": [1, 0, 0],
                                       "N": 1}))
        return {"ColorSpace": {
            "Lab": ["/Lab", {"WhitePoint": [0.9642, 1, 0.8249]}],
            "Gold": ["/Separation", "/Gold", "/DeviceCMYK", tint],
            "Red": ["/Separation", "/Red", "/DeviceRGB", tint],
        }}

    lab = preflight(make_pdf(b"/Lab cs 50 0 0 sc 0 0 10 10 re f /Gold cs 1 sc 0 0 10 10 re f",
                             resources=resources))
    assert lab.passed
    assert [(f.level, f.check) for f in lab.findings] == [("warning", "colour-space")]
    red = preflight(make_pdf(b"/Red CS 1 SCN 0 0 m 10 10 l S", resources=resources))
    assert [f.message.split(";")[0] for f in red.errors] == ["Separation /Red (alternate DeviceRGB) colour"]


def test_total_ink_of_colours() -> None:
    over = preflight(make_pdf(b"1 1 1 1 k 0 0 500 500 re f"))
    assert [(f.check, f.page) for f in over.errors] == [("ink-coverage", 1)]
    assert "400 %" in over.errors[0].message
    assert preflight(make_pdf(b"0.8 0.7 0.7 0.5 k 0 0 500 500 re f")).passed  # 270 %
    assert "ink-coverage" in checks(preflight(make_pdf(b"/DeviceCMYK CS 1 1 1 0.5 SCN 0 0 m 9 9 l S")))
    assert preflight(make_pdf(b"1 1 1 1 k 0 0 500 500 re f"), ink_limit=400).passed


def test_total_ink_of_cmyk_images() -> None:
    def resources(colour: tuple[int, int, int, int], jpeg: bool = False) -> Resources:
        return lambda writer: {"XObject": {"Im1": cmyk_image(writer, colour, jpeg=jpeg)}}

    draw = b"q 100 0 0 100 0 0 cm /Im1 Do Q"  # 64 px on 100 pt: 46 ppi, below the thresholds set to 0
    for jpeg in (False, True):
        rich = preflight(make_pdf(draw, resources=resources((255, 255, 255, 255), jpeg)), **NO_PPI)
        assert [f.check for f in rich.errors] == ["ink-coverage"], jpeg
        assert re.search(r"up to (39\d|40\d) %", rich.errors[0].message), rich.errors[0].message
        lean = preflight(make_pdf(draw, resources=resources((200, 180, 180, 120), jpeg)), **NO_PPI)
        assert lean.passed and lean.findings == [], jpeg  # 267 %


def test_inline_images_shadings_and_patterns() -> None:
    def resources(writer: PdfWriter) -> dict:
        function = writer._add_object(pdf({"FunctionType": 2, "Domain": [0, 1], "C0": [1, 1, 1], "C1": [0, 0, 0],
                                           "N": 1}))
        shading = {"ShadingType": 2, "ColorSpace": "/DeviceRGB", "Coords": [0, 0, 100, 0], "Function": function}
        tile = stream(writer, b"1 0 0 rg 0 0 5 5 re f", Type="/Pattern", PatternType=1, PaintType=1, TilingType=1,
                      BBox=[0, 0, 10, 10], XStep=10, YStep=10, Resources={})
        return {"Shading": {"Sh1": shading}, "Pattern": {"P1": tile}}

    inline = b"q 40 0 0 40 0 0 cm BI /W 2 /H 2 /CS /RGB /BPC 8 ID " + bytes(12) + b" EI Q"
    report = preflight(make_pdf(inline + b" /Sh1 sh /Pattern cs /P1 scn 0 0 50 50 re f", resources=resources))
    assert {f.obj for f in only(report, "colour-space")} == {"inline image (2×2 px)", "shading /Sh1",
                                                             "fill colour (rg)"}


def test_not_a_pdf_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.pdf"
    path.write_text("not a PDF")
    with pytest.raises(MagazineError, match="cannot read the PDF") as raised:
        preflight(path)
    assert raised.value.usage is True  # not a PDF: an input error (exit 2)


# Images.


def test_effective_resolution_follows_the_ctm_into_forms() -> None:
    def resources(writer: PdfWriter) -> dict:
        image = cmyk_image(writer, (0, 0, 0, 128), size=(300, 150))
        form = stream(writer, b"q 72 0 0 36 0 0 cm /Im1 Do Q", Type="/XObject", Subtype="/Form",
                      BBox=[0, 0, 100, 100], Matrix=[2, 0, 0, 2, 0, 0], Resources={"XObject": {"Im1": image}})
        return {"XObject": {"Im1": image, "Fm1": form}}

    # Rotated by 90° at 1 × 0.5 inch (300 ppi), and 2 × 1 inch through the form's matrix (150 ppi).
    report = preflight(make_pdf(b"q 0 72 -36 0 300 300 cm /Im1 Do Q q /Fm1 Do Q", resources=resources))
    resolution = only(report, "image-resolution")
    assert [(f.level, round(ppi_of(f))) for f in resolution] == [("error", 150)]
    assert resolution[0].obj == "image /Im1 (300×150 px)"
    warned = preflight(make_pdf(b"q /Fm1 Do Q", resources=resources), min_ppi_error=100)
    assert [f.level for f in only(warned, "image-resolution")] == ["warning"]


def test_tiny_images_are_exempt() -> None:
    def resources(writer: PdfWriter) -> dict:
        return {"XObject": {"Im1": cmyk_image(writer, (0, 0, 0, 255), size=(8, 8))}}

    assert preflight(make_pdf(b"q 500 0 0 500 0 0 cm /Im1 Do Q", resources=resources)).passed


# Hairlines and transparency.


def test_hairlines() -> None:
    thin = preflight(make_pdf(b"0 0 0 1 K 0.1 w 0 0 m 100 0 l S"))
    assert [(f.level, f.check) for f in thin.findings] == [("warning", "hairline")]
    assert "0.1 pt" in thin.findings[0].message
    scaled = preflight(make_pdf(b"0 0 0 1 K 0.5 w q 0.25 0 0 0.25 0 0 cm 0 0 400 400 re S Q"))
    assert checks(scaled) == {"hairline"}
    zero = preflight(make_pdf(b"0 0 0 1 K 0 w 0 0 m 100 0 l S"))
    assert "line width 0" in zero.findings[0].message
    assert preflight(make_pdf(b"0 0 0 1 K 0.1 w 0 0 m 100 0 l f 0.3 w 0 0 m 100 0 l S")).findings == []


def test_transparency_is_an_error_in_pdfx1a_only() -> None:
    def resources(writer: PdfWriter) -> dict:
        return {"ExtGState": {"GS1": {"Type": "/ExtGState", "ca": 0.5, "BM": "/Multiply"}}}

    content = b"/GS1 gs 0 0 0 1 k 0 0 10 10 re f"
    assert preflight(make_pdf(content, resources=resources)).passed
    x1a = preflight(make_pdf(content, pdfx="PDF/X-1a:2001", resources=resources), profile="pdfx1a")
    assert {f.check for f in x1a.errors} == {"transparency"}
    assert {f.message.split(";")[0] for f in x1a.errors} == {"opacity /ca 0.5", "blend mode /Multiply"}


# Plain WeasyPrint output, the report, the sample issue.


def test_plain_weasyprint_rgb_pdf_fails() -> None:
    from magazine.render import _weasyprint

    picture = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 120, 200)).save(picture, "PNG")
    uri = "data:image/png;base64," + base64.b64encode(picture.getvalue()).decode()
    html = f"""<html><head><style>@page {{ size: A4; margin: 20mm }}</style></head><body>
        <p style="color: rgb(200, 0, 0)">Red text</p>
        <div style="background: rgb(220, 0, 0); height: 20mm"></div>
        <img src="{uri}" style="width: 127mm"></body></html>"""
    report = preflight(_weasyprint().HTML(string=html).write_pdf())
    assert not report.passed
    assert {"pdfx-version", "output-intent", "colour-space", "image-resolution"} <= checks(report, "error")
    assert "DeviceRGB" in only(report, "colour-space")[0].message
    # WeasyPrint writes TrimBox and BleedBox (equal to the MediaBox) even without bleed.
    resolution = only(report, "image-resolution")
    assert len(resolution) == 1 and resolution[0].page == 1
    assert ppi_of(resolution[0]) == pytest.approx(60, rel=0.05)  # 300 px over 127 mm = 5 in


def test_report_lines_and_json(tmp_path: Path) -> None:
    path = tmp_path / "issue.pdf"
    path.write_bytes(make_pdf(b"1 1 1 1 k 0 0 9 9 re f", intent=None))
    report = preflight(path)
    assert report.file == path
    lines = report.lines()
    assert lines[0].endswith("error: output-intent: no output intent: PDF/X needs a GTS_PDFX output intent with "
                             "the printing condition's CMYK ICC profile (/OutputIntents)")
    assert re.search(r"issue\.pdf: page 1: error: ink-coverage: total ink 400 % .* \(fill colour 1 1 1 1 k\)$",
                     lines[1])
    data = report.to_json()
    assert data["passed"] is False and data["errors"] == 2 and data["warnings"] == 0
    assert data["findings"][1] == {"level": "error", "check": "ink-coverage", "message": lines[1].split(
        "ink-coverage: ")[1].rsplit(" (", 1)[0], "page": 1, "obj": "fill colour 1 1 1 1 k"}


def test_sample_issue_preflight_is_fast(sample_build: BuildResult) -> None:
    started = time.perf_counter()
    report = preflight(sample_build.pdf, trim_mm=(210, 285), bleed_mm=3)
    assert time.perf_counter() - started < 5
    assert "content" not in checks(report)  # every content stream was read
