"""Join the PDFs of an issue's parts into one PDF (pypdf).

Pages, outline entries and named destinations come from every part, in order; what
belongs to the whole document (document information, XMP metadata, output intent,
language, page mode) from the first part, which was written with the same settings as
the others. Objects that are byte for byte the same in several parts (the embedded font
programs, a picture used twice) are kept once.
"""

from __future__ import annotations

import hashlib
import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

DOCUMENT_KEYS = ("/Lang", "/OutputIntents", "/Metadata", "/PageMode", "/MarkInfo", "/ViewerPreferences")


def assemble(parts: list[tuple[bytes, list[int]]]) -> bytes:
    """One PDF of the given pages (indexes) of each part's PDF, in order."""
    readers = [PdfReader(io.BytesIO(pdf)) for pdf, _ in parts]
    writer = PdfWriter()
    for reader, (_, pages) in zip(readers, parts, strict=True):
        writer.append(reader, pages=list(pages), import_outline=True)
    first = readers[0]
    root = first.trailer["/Root"]
    for key in DOCUMENT_KEYS:
        if key in root:
            writer.root_object[NameObject(key)] = root.raw_get(key).clone(writer)
    if first.metadata:
        writer.add_metadata(dict(first.metadata))
    _merge_identical_streams(writer)
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
