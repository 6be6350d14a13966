"""Document-level checks: PDF/X identification, output intent, PDF version, page count, scripts and forms."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from .objects import resolved
from .report import ERROR, WARNING, Finding

PDFX_NAMESPACE = "http://www.npes.org/pdfx/ns/id/"
PDFX_VERSION = f"{{{PDFX_NAMESPACE}}}GTS_PDFXVersion"
PROFILES = {
    "pdfx4": ("PDF/X-4",),
    "pdfx1a": ("PDF/X-1a:2001", "PDF/X-1a:2003"),
}
MAX_ACTION_CHAIN = 64


def check_identification(reader: PdfReader, profile: str) -> list[Finding]:
    """The PDF/X version named in the XMP metadata and/or the Info dictionary matches the profile."""
    accepted = PROFILES[profile]
    findings: list[Finding] = []
    xmp_version, xmp_problem = _xmp_pdfx_version(reader)
    if xmp_problem:
        findings.append(Finding(ERROR, "pdfx-version", xmp_problem, None, "XMP metadata"))
    info = resolved(reader.trailer.get("/Info"))
    info_version = str(info["/GTS_PDFXVersion"]) if info is not None and "/GTS_PDFXVersion" in info else None
    found = [v for v in (xmp_version, info_version) if v is not None]
    wanted = " or ".join(accepted)
    if not found:
        findings.append(Finding(ERROR, "pdfx-version", f"no PDF/X identification: the metadata should name "
                                f"{wanted} (pdfxid:GTS_PDFXVersion)", None, "XMP metadata"))
        return findings
    for version, where in ((xmp_version, "XMP metadata"), (info_version, "Info /GTS_PDFXVersion")):
        if version is not None and version not in accepted:
            findings.append(Finding(ERROR, "pdfx-version", f"the file says it is {version}, expected {wanted}",
                                    None, where))
    if profile == "pdfx4" and xmp_version is None:
        findings.append(Finding(WARNING, "pdfx-version", "PDF/X-4 is identified in the XMP metadata "
                                "(pdfxid:GTS_PDFXVersion); only the Info dictionary names it", None, "XMP metadata"))
    return findings


def _xmp_pdfx_version(reader: PdfReader) -> tuple[str | None, str | None]:
    """The pdfxid:GTS_PDFXVersion of the catalog's XMP metadata, and a problem reading it, if any."""
    metadata = resolved(reader.trailer["/Root"].get("/Metadata"))
    if metadata is None:
        return None, None
    try:
        data = metadata.get_data()
    except Exception as error:  # pypdf raises several types for broken streams
        return None, f"the XMP metadata stream cannot be decoded: {error}"
    text = data.decode("utf-8", "replace").lstrip("\ufeff")
    try:
        root = ET.fromstring(text.strip())
    except ET.ParseError as error:
        return None, f"the XMP metadata is not well-formed XML: {error}"
    for element in root.iter():
        if element.tag == PDFX_VERSION and element.text:
            return element.text.strip(), None
        if PDFX_VERSION in element.attrib:
            return element.attrib[PDFX_VERSION].strip(), None
    return None, None


def check_output_intent(reader: PdfReader) -> list[Finding]:
    """A GTS_PDFX output intent with an embedded CMYK destination profile."""
    intents = resolved(reader.trailer["/Root"].get("/OutputIntents"))
    if not isinstance(intents, ArrayObject) or not intents:
        return [Finding(ERROR, "output-intent", "no output intent: PDF/X needs a GTS_PDFX output intent with the "
                        "printing condition's CMYK ICC profile", None, "/OutputIntents")]
    pdfx = [intent for intent in map(resolved, intents)
            if isinstance(intent, DictionaryObject) and intent.get("/S") == "/GTS_PDFX"]
    if not pdfx:
        return [Finding(ERROR, "output-intent", "no output intent of subtype /GTS_PDFX", None, "/OutputIntents")]
    findings: list[Finding] = []
    if len(pdfx) > 1:
        findings.append(Finding(ERROR, "output-intent", f"{len(pdfx)} GTS_PDFX output intents; PDF/X allows one",
                                None, "/OutputIntents"))
    intent = pdfx[0]
    condition = str(intent.get("/OutputConditionIdentifier", "")) or None
    what = f"output intent {condition}" if condition else "output intent"
    profile = resolved(intent.get("/DestOutputProfile"))
    if profile is None:
        findings.append(Finding(ERROR, "output-intent", "the output intent has no embedded ICC profile "
                                "(/DestOutputProfile)", None, what))
        return findings
    try:
        header = profile.get_data()[:128]
    except Exception as error:  # pypdf raises several types for broken streams
        findings.append(Finding(ERROR, "output-intent", f"the output intent's ICC profile cannot be read: {error}",
                                None, what))
        return findings
    space = header[16:20]
    if space != b"CMYK":
        shown = space.decode("latin-1").strip() or "nothing"
        findings.append(Finding(ERROR, "output-intent", f"the output intent's ICC profile is for {shown}, "
                                "not CMYK", None, what))
    return findings


def check_version(reader: PdfReader, profile: str) -> list[Finding]:
    """PDF/X-1a is based on PDF 1.3/1.4: a later version in the header (or the catalog) is a warning."""
    if profile != "pdfx1a":
        return []
    version = _pdf_version(reader)
    if version is not None and version > (1, 4):
        return [Finding(WARNING, "pdf-version", f"PDF {version[0]}.{version[1]}; PDF/X-1a files are PDF 1.3 or 1.4",
                        None, "header")]
    return []


def _pdf_version(reader: PdfReader) -> tuple[int, int] | None:
    versions = []
    for text in (reader.pdf_header, str(reader.trailer["/Root"].get("/Version", ""))):
        match = re.search(r"(\d+)\.(\d+)", text)
        if match:
            versions.append((int(match.group(1)), int(match.group(2))))
    return max(versions) if versions else None


def check_page_count(count: int, saddle_stitch: bool) -> list[Finding]:
    """A saddle-stitched issue has a multiple of four pages."""
    if saddle_stitch and count % 4:
        return [Finding(ERROR, "page-count", f"{count} pages: a saddle-stitched issue needs a multiple of 4 "
                        f"(add {4 - count % 4} or remove {count % 4})", None, None)]
    return []


def check_scripts_and_forms(reader: PdfReader) -> list[Finding]:
    """No JavaScript (name tree, actions, additional actions) and no interactive form."""
    findings: list[Finding] = []
    root = reader.trailer["/Root"]

    def script(message: str, obj: str, page: int | None = None) -> None:
        findings.append(Finding(ERROR, "javascript", f"{message}; a print PDF may contain no scripts or actions "
                                "that run by themselves", page, obj))

    names = resolved(root.get("/Names"))
    if names is not None and "/JavaScript" in names:
        script("document-level JavaScript", "/Names /JavaScript")
    if _runs_script(root.get("/OpenAction")):
        script("a JavaScript action when the document opens", "/OpenAction")
    if "/AA" in root:
        script("additional actions on the document", "/AA")
    for number, page in enumerate(reader.pages, start=1):
        if "/AA" in page:
            script("additional actions on the page", "page /AA", number)
        for annotation in resolved(page.get("/Annots")) or []:
            annotation = resolved(annotation)
            if not isinstance(annotation, DictionaryObject):
                continue
            kind = str(annotation.get("/Subtype", "annotation")).lstrip("/")
            if "/AA" in annotation:
                script("additional actions on an annotation", f"{kind} annotation /AA", number)
            if _runs_script(annotation.get("/A")):
                script("a JavaScript action on an annotation", f"{kind} annotation /A", number)
    if _outline_runs_script(root):
        script("a JavaScript action in the outline", "/Outlines")
    if "/AcroForm" in root:
        findings.append(Finding(ERROR, "forms", "an interactive form (AcroForm); a print PDF has no form fields",
                                None, "/AcroForm"))
    return findings


def _runs_script(action: Any) -> bool:
    """True when an action (or one of its /Next actions) is a JavaScript action."""
    pending, seen = [action], 0
    while pending and seen < MAX_ACTION_CHAIN:
        current = resolved(pending.pop())
        seen += 1
        if isinstance(current, ArrayObject):
            pending.extend(current)
            continue
        if not isinstance(current, DictionaryObject):
            continue
        if current.get("/S") == "/JavaScript" or "/JS" in current:
            return True
        if "/Next" in current:
            pending.append(current["/Next"])
    return False


def _outline_runs_script(root: Any) -> bool:
    outlines = resolved(root.get("/Outlines"))
    pending = [resolved(outlines.get("/First"))] if isinstance(outlines, DictionaryObject) else []
    visited: set[int] = set()
    while pending:
        item = pending.pop()
        if not isinstance(item, DictionaryObject) or id(item) in visited or len(visited) > 100_000:
            continue
        visited.add(id(item))
        if _runs_script(item.get("/A")):
            return True
        pending.extend(resolved(item.get(key)) for key in ("/First", "/Next") if key in item)
    return False
