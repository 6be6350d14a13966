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
import zlib

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


def assemble(parts: list[tuple[bytes, list[int]]], links: list[tuple[int, str, list[float]]] = (),
             font_programs: dict[str, bytes] | None = None) -> bytes:
    """One PDF of the given pages (indexes) of each part's PDF, in order; ``links``
    (page of the joined PDF, anchor, rectangle) point at the named destination ``anchor``.

    ``font_programs``: the issue's current font files, which the parts embedded whole. An
    embedded program of the same PostScript name (from a part laid out earlier, with the
    subset of that day) is replaced by the current one: the subsets keep the bundled fonts'
    glyph IDs, so the pages stay right. Then each program, now shared by all parts, is
    reduced to the glyphs the pages use (from the fonts' width arrays)."""
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
    if font_programs:
        _current_font_programs(writer, font_programs)
    _merge_identical_streams(writer)
    if font_programs:
        _keep_used_glyphs(writer)
    _name_subsets_by_content(writer)
    writer.compress_identical_objects()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _merge_identical_streams(writer: PdfWriter) -> None:
    """Point every reference to a stream at the first stream with the same dictionary and
    bytes (font programs, ICC profiles and pictures that each part embedded); the copies
    become unreferenced and are not written."""
    data = {number: hashlib.sha256(obj._data or b"").digest()  # the bytes do not change between rounds
            for number, obj in enumerate(writer._objects, start=1) if isinstance(obj, StreamObject)}
    for _ in range(3):  # a second round merges streams whose dictionaries pointed at copies
        first: dict[tuple, IndirectObject] = {}
        replace: dict[int, IndirectObject] = {}
        for number, obj in enumerate(writer._objects, start=1):
            if isinstance(obj, StreamObject):
                described = repr(sorted((str(k), repr(v)) for k, v in obj.items() if k != "/Length"))
                key = (data[number], described)
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


def _current_font_programs(writer: PdfWriter, font_programs: dict[str, bytes]) -> None:
    """Put the issue's font programs where the parts left a stub naming them."""
    from . import hooks

    for obj in writer._objects:
        if not isinstance(obj, StreamObject) or obj.get("/Subtype") != "/OpenType":
            continue
        raw = obj.get_data()
        name = raw[len(hooks.FONT_STUB):].decode("ascii", "replace") if raw.startswith(hooks.FONT_STUB) else None
        if name in font_programs:
            obj._data = font_programs[name]  # uncompressed: reduced to the glyphs used next
            obj.pop("/Filter", None)
            obj.pop("/DecodeParms", None)
            obj.decoded_self = None


def _glyphs_of_widths(widths: object) -> set[int]:
    """Glyph IDs listed in a CIDFont's ``/W`` array (``c [w …]`` and ``c_first c_last w``)."""
    items = list(widths or [])
    found: set[int] = set()
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1] if index + 1 < len(items) else None
        if isinstance(following, ArrayObject):
            found.update(range(first, first + len(following)))
            index += 2
        else:
            found.update(range(first, int(following) + 1))
            index += 3
    return found


def _keep_used_glyphs(writer: PdfWriter) -> None:
    from ..fontsubset import FontSubsetError, subset_glyphs
    from . import hooks

    used: dict[int, set[int]] = {}
    programs: dict[int, StreamObject] = {}
    for obj in writer._objects:
        if not isinstance(obj, DictionaryObject) or obj.get("/Subtype") != "/CIDFontType0" \
                or "/FontDescriptor" not in obj:
            continue
        descriptor = obj["/FontDescriptor"].get_object()
        reference = descriptor.raw_get("/FontFile3") if "/FontFile3" in descriptor else None
        if not isinstance(reference, IndirectObject) or "/W" not in obj:
            continue
        used.setdefault(reference.idnum, set()).update(_glyphs_of_widths(obj["/W"]))
        programs[reference.idnum] = reference.get_object()
    for number, program in programs.items():
        if program.get("/Subtype") != "/OpenType":
            continue
        raw = program.get_data()
        glyphs = sorted(used[number])
        key = hashlib.sha256(raw + b"\0" + b",".join(str(g).encode() for g in glyphs)).hexdigest()
        try:
            compressed = hooks.remembered(
                key, lambda raw=raw, glyphs=glyphs: zlib.compress(subset_glyphs(raw, glyphs), 9))
        except FontSubsetError:
            compressed = zlib.compress(raw, 9)  # the whole program: correct, only larger
        program._data = compressed
        program[NameObject("/Filter")] = NameObject("/FlateDecode")
        program.pop("/DecodeParms", None)
        program.decoded_self = None
