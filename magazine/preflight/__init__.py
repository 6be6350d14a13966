"""Preflight: check a finished PDF against a print profile (PDF/X-4 or PDF/X-1a) before it goes to press.

``preflight(pdf)`` reads the PDF with pypdf and returns a PreflightReport of Findings, one
per problem, each naming its check:

- ``pdfx-version``: the PDF/X version in the XMP metadata (and/or the Info dictionary) is the profile's;
- ``output-intent``: one GTS_PDFX output intent with an embedded CMYK ICC profile;
- ``trim-box``, ``bleed-box``, ``page-boxes``: a TrimBox (error) and a BleedBox (warning) on every page,
  TrimBox inside BleedBox inside MediaBox, of the expected trimmed size and bleed;
- ``font-embedded``: every font embedded (Type3 fonts are drawn by the PDF itself);
- ``colour-space``: no RGB (DeviceRGB, CalRGB, ICC RGB, also as the base or alternate of indexed, spot
  and pattern spaces) in colours, images, shadings and transparency groups (error); Lab (warning);
- ``transparency``: PDF/X-1a only: no soft masks, opacity, blend modes or transparency groups;
- ``image-resolution``: the effective resolution of every image as placed (images under 16 px a side exempt);
- ``ink-coverage``: total ink (c+m+y+k) of CMYK colours as painted, and the maximum of 8-bit CMYK images;
- ``hairline``: stroked lines thinner than 0.25 pt as drawn, or of width 0 (warnings);
- ``page-count``: a multiple of four pages when saddle-stitched;
- ``encryption``, ``javascript``, ``forms``: no encryption, scripts or automatic actions, interactive forms;
- ``pdf-version``: PDF/X-1a only: PDF 1.4 or earlier (warning);
- ``content``: a content stream that cannot be parsed (warning: it was not checked).
"""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from ..errors import MagazineError, Problem
from .boxes import check_boxes
from .content import ContentOptions
from .document import (
    PROFILES,
    check_identification,
    check_output_intent,
    check_page_count,
    check_scripts_and_forms,
    check_version,
)
from .pages import check_pages
from .report import ERROR, WARNING, Finding, PreflightReport

__all__ = ["ERROR", "PROFILES", "WARNING", "Finding", "PreflightReport", "preflight"]

IN_MEMORY = Path("<memory>")


def preflight(pdf: Path | bytes, *, profile: str = "pdfx4", trim_mm: tuple[float, float] | None = None,
              bleed_mm: float | None = None, ink_limit: float = 300.0, saddle_stitch: bool = False,
              min_ppi_error: float = 200, min_ppi_warning: float = 300, cache: Path | None = None) -> PreflightReport:
    """Check ``pdf`` (a path or the PDF's bytes) against ``profile`` ("pdfx4" or "pdfx1a").

    ``trim_mm`` (width, height) and ``bleed_mm`` are the expected trimmed size and bleed;
    ``ink_limit`` the highest total ink in percent; images placed below ``min_ppi_error``
    are errors, below ``min_ppi_warning`` warnings. An unknown profile or a file that is
    not a PDF raises MagazineError; everything else is a finding. With ``cache`` (a folder),
    the findings of each page are remembered there and unchanged pages are not checked again.
    """
    if profile not in PROFILES:
        raise MagazineError(Problem(f"unknown preflight profile {profile!r}", field="profile",
                                    hint=f"one of {', '.join(PROFILES)}"))
    file = IN_MEMORY if isinstance(pdf, bytes | bytearray) else Path(pdf)
    report = PreflightReport(file=file, profile=profile)
    try:
        data = bytes(pdf) if isinstance(pdf, bytes | bytearray) else file.read_bytes()
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            report.findings.append(Finding(ERROR, "encryption", "the PDF is encrypted; a print PDF must not be",
                                           None, "/Encrypt"))
            unreadable = _decrypt(reader)
            if unreadable:
                report.findings.append(Finding(ERROR, "encryption", f"{unreadable}, so nothing else was checked",
                                               None, "/Encrypt"))
                return report
        options = ContentOptions(transparency_allowed=profile != "pdfx1a", ink_limit=ink_limit,
                                 min_ppi_error=min_ppi_error, min_ppi_warning=min_ppi_warning)
        report.findings += _check(data, reader, profile, trim_mm=trim_mm, bleed_mm=bleed_mm,
                                  saddle_stitch=saddle_stitch, cache=cache, options=options)
    except (OSError, PyPdfError, ValueError) as error:
        raise MagazineError(Problem(f"cannot read the PDF: {error}", file=file), usage=True) from error
    return report


def _check(data: bytes, reader: PdfReader, profile: str, *, trim_mm: tuple[float, float] | None,
           bleed_mm: float | None, saddle_stitch: bool, options: ContentOptions, cache: Path | None) -> list[Finding]:
    """Every check but encryption: the document first, then page by page."""
    findings = check_identification(reader, profile)
    findings += check_output_intent(reader)
    findings += check_version(reader, profile)
    findings += check_scripts_and_forms(reader)
    findings += check_page_count(len(reader.pages), saddle_stitch)
    for number, page in enumerate(reader.pages, start=1):
        findings += check_boxes(page, number, trim_mm=trim_mm, bleed_mm=bleed_mm)
    findings += check_pages(data, reader, options, profile=profile, cache=cache)
    findings.sort(key=lambda finding: finding.page or 0)
    return findings


def _decrypt(reader: PdfReader) -> str | None:
    """Decrypt with the empty user password (the usual 'no password to open' case); None, or why it failed."""
    try:
        if reader.decrypt(""):
            return None
    except Exception as error:  # e.g. pypdf's DependencyError when AES needs the cryptography package
        return f"the PDF cannot be decrypted ({error})"
    return "the PDF needs a password to open"
