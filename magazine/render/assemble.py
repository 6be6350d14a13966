"""Join the PDFs of an issue's parts into one PDF (pypdf).

Pages, outline entries and named destinations come from every part, in order; what
belongs to the whole document (document information, XMP metadata, output intent,
language, page mode) from the first part, which was written with the same settings as
the others; embedded files (the archive's sources) from the part that carries them.
Objects that are byte for byte the same in several parts (the embedded font programs,
a picture used twice) are kept once.
"""

from __future__ import annotations

import hashlib
import io
import re

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

DOCUMENT_KEYS = ("/Lang", "/OutputIntents", "/Metadata", "/PageMode", "/MarkInfo", "/ViewerPreferences")


def assemble(parts: list[tuple[bytes, list[int]]], links: list[tuple[int, str, list[float]]] = ()) -> bytes:
    """One PDF of the given pages (indexes) of each part's PDF, in order; ``links``
    (page of the joined PDF, anchor, rectangle) point at the named destination ``anchor``."""
    readers = [PdfReader(io.BytesIO(pdf)) for pdf, _ in parts]
    writer = PdfWriter()
    writer.pdf_header = readers[0].pdf_header
    for reader, (_, pages) in zip(readers, parts, strict=True):
        writer.append(reader, pages=list(pages), import_outline=True)
    first = readers[0]
    root = first.trailer["/Root"]
    for key in DOCUMENT_KEYS:
        if key in root:
            writer.root_object[NameObject(key)] = root.raw_get(key).clone(writer)
    for reader in readers:  # attachments (the archive's sources) come with one of the parts
        catalog = reader.trailer["/Root"]
        names = catalog.get("/Names")
        if names is not None and "/EmbeddedFiles" in names:
            writer.root_object.setdefault(NameObject("/Names"), DictionaryObject())
            writer.root_object["/Names"][NameObject("/EmbeddedFiles")] = names.raw_get("/EmbeddedFiles").clone(writer)
            if "/AF" in catalog:
                writer.root_object[NameObject("/AF")] = catalog.raw_get("/AF").clone(writer)
            break
    destinations = set(writer.named_destinations)
    for page, anchor, rect in links:
        if anchor in destinations:
            annotation = DictionaryObject({
                NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject(FloatObject(round(v, 4)) for v in rect),
                NameObject("/BS"): DictionaryObject({NameObject("/W"): NumberObject(0)}),
                NameObject("/F"): NumberObject(4), NameObject("/Dest"): TextStringObject(anchor)})
            target = writer.pages[page]
            if "/Annots" not in target:
                target[NameObject("/Annots")] = ArrayObject()
            target["/Annots"].append(writer._add_object(annotation))
    if first.metadata:
        writer.add_metadata(dict(first.metadata))
    _merge_identical_streams(writer)
    _name_subsets_by_content(writer)
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _merge_identical_streams(writer: PdfWriter) -> None:
    """Point every reference to a stream at the first stream with the same dictionary and
    bytes (font programs, ICC profiles and pictures that each part embedded); the copies
    become unreferenced and are not written."""
    for _ in range(3):  # a second round merges streams whose dictionaries pointed at copies
        first: dict[tuple, IndirectObject] = {}
        replace: dict[int, IndirectObject] = {}
        for number, obj in enumerate(writer._objects, start=1):
            if isinstance(obj, StreamObject):
                described = repr(sorted((str(k), repr(v)) for k, v in obj.items() if k != "/Length"))
                key = (hashlib.sha256(obj._data or b"").digest(), described)
                if key in first:
                    replace[number] = first[key]
                else:
                    first[key] = IndirectObject(number, 0, writer)
        if not replace:
            return
        for number, obj in enumerate(writer._objects, start=1):
            if number not in replace:
                _repoint(obj, replace)
        _repoint(writer._root_object, replace)


def _repoint(value: object, replace: dict[int, IndirectObject]) -> None:
    if isinstance(value, DictionaryObject):
        for key in list(value.keys()):
            item = value.raw_get(key)
            if isinstance(item, IndirectObject) and item.idnum in replace:
                value[key] = replace[item.idnum]
            else:
                _repoint(item, replace)
    elif isinstance(value, ArrayObject):
        for index, item in enumerate(value):
            if isinstance(item, IndirectObject) and item.idnum in replace:
                value[index] = replace[item.idnum]
            else:
                _repoint(item, replace)


_SUBSET_TAG = re.compile(r"^/?[A-Z]{6}\+")


def _name_subsets_by_content(writer: PdfWriter) -> None:
    """Give every embedded font subset the tag (``ABCDEF+``) of its font program's bytes.

    WeasyPrint derives the tag from the font's name only, so the parts' different subsets of
    one face would share a name, and a RIP that caches fonts by name could draw one part's
    text with another part's glyphs. Subsets with the same program keep the same name."""
    for obj in writer._objects:
        if not isinstance(obj, DictionaryObject) or obj.get("/Type") != "/Font":
            continue
        fonts = [obj, *(d.get_object() for d in obj.get("/DescendantFonts", []))]
        descriptor = next((f["/FontDescriptor"].get_object() for f in fonts if "/FontDescriptor" in f), None)
        if descriptor is None:
            continue
        program = next((descriptor[k].get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
                        if k in descriptor), None)
        if program is None:
            continue
        digest = hashlib.sha256(program._data or b"").digest()
        tag = "".join(chr(65 + b % 26) for b in digest[:6]) + "+"
        for holder, key in [*((f, "/BaseFont") for f in fonts), (descriptor, "/FontName")]:
            name = holder.get(key)
            if name is not None and _SUBSET_TAG.match(str(name)):
                holder[NameObject(key)] = NameObject("/" + tag + _SUBSET_TAG.sub("", str(name)))
