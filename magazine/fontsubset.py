"""Subset OpenType fonts to a set of characters with HarfBuzz's subsetter.

The bundled Noto CJK faces are 16–25 MB each; a subset that holds only the characters of
an issue (plus ``BASE_CHARACTERS``) is a few hundred kB and is made in a fraction of a
second by ``libharfbuzz-subset``, called here through cffi with our own declarations (no
dependency on WeasyPrint's internals).

What a subset keeps:

* the glyphs of the requested characters, plus every glyph OpenType layout reaches from
  them (GSUB closure: vertical forms, locale forms, ligatures, ...);
* every GSUB/GPOS feature and script (``halt``, ``vhal``, ``palt``, ``vert``, ``vrt2``,
  ``kern``, ``locl``, ...), not just HarfBuzz's default list;
* every ``name`` record, all name IDs in all languages, so fontconfig still sees the
  family names in English and Chinese;
* the outline of ``.notdef``; and every glyph keeps its glyph ID (``RETAIN_GIDS``; the
  glyphs left out become empty), so text shaped with one subset of a face uses the same
  glyph IDs as with any other subset of it, or with the whole font: a page laid out with
  yesterday's subset can be printed with today's.

HarfBuzz's default table drop list still applies (``BASE``, ``JSTF``, ``DSIG``, ``EBDT``,
``EBLC``, ``EBSC``, ``SVG``, ``PCLT``, ``LTSH``, ``morx``, ``mort``, ``kerx``, ``kern``):
HarfBuzz 6 cannot subset ``BASE``, and Pango does not read it. The ``cmap`` keeps only
Unicode subtables (formats 4, 12 and 14); the legacy Mac subtable goes.

The output is deterministic: the same font, characters and HarfBuzz give the same bytes.
There is no fallback: when the HarfBuzz subset library is missing or subsetting fails,
``FontSubsetError`` (a ``RuntimeError``) names the font.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import threading
from contextlib import suppress
from pathlib import Path
from typing import Any

import cffi

SUBSET_VERSION = 2
"""Part of every cache key: bump it when the subsetting settings change."""

KEY_LENGTH = 12
"""Hex digits of the content key in a subset's file name."""


def _characters(*ranges: tuple[int, int], extra: str = "") -> str:
    return "".join(chr(code) for first, last in ranges for code in range(first, last + 1)) + extra


BASE_CHARACTERS = _characters(
    (0x0020, 0x007E),  # printable ASCII
    (0x00A0, 0x00A0),  # no-break space
    (0x00B7, 0x00B7),  # middle dot (foreign names: 约翰·史密斯)
    (0x2010, 0x2027),  # hyphens, dashes, quotation marks, bullets, ellipsis, middle dots
    (0x2160, 0x216B),  # Roman numerals Ⅰ–Ⅻ
    (0x3000, 0x303F),  # CJK symbols and punctuation: ideographic space, 、。〈〉《》「」『』【】〔〕〜 ...
    (0xFF01, 0xFF5E),  # full-width forms of ASCII: ，：；！？（）％ and full-width digits/letters
    extra="〇一二三四五六七八九十百千万亿",  # CJK numerals, for generated dates, page and issue numbers
)
"""Characters every subset holds whatever the text asks for, so generated content (page
numbers, dates, running heads, list markers, punctuation added by typography rules) never
lacks a glyph: ASCII U+0020–U+007E, U+00A0, U+00B7, U+2010–U+2027, U+2160–U+216B,
U+3000–U+303F, U+FF01–U+FF5E and the CJK numerals 〇一二三四五六七八九十百千万亿.
Characters the font itself lacks are simply absent from the subset."""


class FontSubsetError(RuntimeError):
    """HarfBuzz's subsetter is unavailable, or it could not subset a font."""


_CDEF = """
    typedef int hb_bool_t;
    typedef uint32_t hb_codepoint_t;
    typedef uint32_t hb_tag_t;
    typedef ... hb_blob_t;
    typedef ... hb_face_t;
    typedef ... hb_set_t;
    typedef ... hb_subset_input_t;

    const char * hb_version_string (void);
    hb_bool_t hb_version_atleast (unsigned int major, unsigned int minor, unsigned int micro);

    hb_blob_t * hb_blob_create_from_file_or_fail (const char *file_name);
    hb_blob_t * hb_blob_create (const char *data, unsigned int length, int mode, void *user_data,
                                void *destroy);
    const char * hb_blob_get_data (hb_blob_t *blob, unsigned int *length);
    void hb_blob_destroy (hb_blob_t *blob);

    hb_face_t * hb_face_create (hb_blob_t *blob, unsigned int index);
    unsigned int hb_face_get_glyph_count (const hb_face_t *face);
    hb_blob_t * hb_face_reference_blob (hb_face_t *face);
    void hb_face_destroy (hb_face_t *face);

    void hb_set_add_sorted_array (hb_set_t *set, const hb_codepoint_t *sorted_codepoints,
                                  unsigned int num_codepoints);
    void hb_set_clear (hb_set_t *set);
    void hb_set_invert (hb_set_t *set);
    hb_bool_t hb_set_allocation_successful (const hb_set_t *set);

    typedef enum {
        HB_SUBSET_FLAGS_DEFAULT = 0x00000000u,
        HB_SUBSET_FLAGS_NO_HINTING = 0x00000001u,
        HB_SUBSET_FLAGS_RETAIN_GIDS = 0x00000002u,
        HB_SUBSET_FLAGS_DESUBROUTINIZE = 0x00000004u,
        HB_SUBSET_FLAGS_NAME_LEGACY = 0x00000008u,
        HB_SUBSET_FLAGS_SET_OVERLAPS_FLAG = 0x00000010u,
        HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED = 0x00000020u,
        HB_SUBSET_FLAGS_NOTDEF_OUTLINE = 0x00000040u,
        HB_SUBSET_FLAGS_GLYPH_NAMES = 0x00000080u,
        HB_SUBSET_FLAGS_NO_PRUNE_UNICODE_RANGES = 0x00000100u,
    } hb_subset_flags_t;

    typedef enum {
        HB_SUBSET_SETS_GLYPH_INDEX = 0,
        HB_SUBSET_SETS_UNICODE,
        HB_SUBSET_SETS_NO_SUBSET_TABLE_TAG,
        HB_SUBSET_SETS_DROP_TABLE_TAG,
        HB_SUBSET_SETS_NAME_ID,
        HB_SUBSET_SETS_NAME_LANG_ID,
        HB_SUBSET_SETS_LAYOUT_FEATURE_TAG,
    } hb_subset_sets_t;

    hb_subset_input_t * hb_subset_input_create_or_fail (void);
    void hb_subset_input_destroy (hb_subset_input_t *input);
    void hb_subset_input_set_flags (hb_subset_input_t *input, unsigned int value);
    hb_set_t * hb_subset_input_set (hb_subset_input_t *input, hb_subset_sets_t set_type);
    hb_face_t * hb_subset_or_fail (hb_face_t *source, const hb_subset_input_t *input);
"""

# The names WeasyPrint tries, for Linux, macOS and Windows (MSYS2 / GTK runtime).
_HARFBUZZ_NAMES = ("libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0", "libharfbuzz.0.dylib",
                   "libharfbuzz-0.dll")
_HARFBUZZ_SUBSET_NAMES = ("libharfbuzz-subset-0", "harfbuzz-subset", "harfbuzz-subset-0.0",
                          "libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")
_MINIMUM_VERSION = (3, 0, 0)  # hb_set_invert works (inverted sets) from HarfBuzz 3.0

_SUBSET_FLAGS = ("HB_SUBSET_FLAGS_NOTDEF_OUTLINE", "HB_SUBSET_FLAGS_NAME_LEGACY", "HB_SUBSET_FLAGS_RETAIN_GIDS")
_ALL_OF = ("HB_SUBSET_SETS_LAYOUT_FEATURE_TAG", "HB_SUBSET_SETS_NAME_ID", "HB_SUBSET_SETS_NAME_LANG_ID")

_lock = threading.Lock()
_libraries: tuple[cffi.FFI, Any, Any] | None = None
_load_error: str | None = None
_digests: dict[tuple[str, int, int], str] = {}


def _dlopen(ffi: cffi.FFI, names: tuple[str, ...]) -> Any:
    errors = []
    for name in names:
        try:
            return ffi.dlopen(name)
        except OSError as error:
            errors.append(f"{name}: {error}")
    raise OSError("; ".join(errors[-2:]))


def _load() -> tuple[cffi.FFI, Any, Any]:
    """cffi, libharfbuzz and libharfbuzz-subset, loaded once; raises FontSubsetError without a font."""
    global _libraries, _load_error
    with _lock:
        if _libraries is None and _load_error is None:
            ffi = cffi.FFI()
            ffi.cdef(_CDEF)
            try:
                harfbuzz = _dlopen(ffi, _HARFBUZZ_NAMES)
                subset = _dlopen(ffi, _HARFBUZZ_SUBSET_NAMES)
                if not harfbuzz.hb_version_atleast(*_MINIMUM_VERSION):
                    version = ffi.string(harfbuzz.hb_version_string()).decode()
                    raise OSError(f"HarfBuzz {version} is too old, "
                                  f"{'.'.join(map(str, _MINIMUM_VERSION))} or later is needed")
            except (OSError, AttributeError) as error:
                _load_error = str(error)
            else:
                _libraries = ffi, harfbuzz, subset
        if _libraries is None:
            raise FontSubsetError(f"HarfBuzz subset library not available ({_load_error}); "
                                  "install libharfbuzz-subset0 (HarfBuzz 3.0 or later)")
        return _libraries


def harfbuzz_version() -> str:
    """The version of the HarfBuzz library that subsets, e.g. ``"6.0.0"``."""
    ffi, harfbuzz, _ = _load()
    return ffi.string(harfbuzz.hb_version_string()).decode()


def _code_points(characters: str) -> list[int]:
    """The sorted, distinct code points of ``characters`` and ``BASE_CHARACTERS``."""
    return sorted({ord(char) for char in characters} | {ord(char) for char in BASE_CHARACTERS})


def subset_font(font: Path, characters: str) -> bytes:
    """The font reduced to the glyphs for ``characters`` and ``BASE_CHARACTERS``.

    Glyphs that OpenType layout reaches from those (GSUB closure) are kept too, and so are
    all GSUB/GPOS features and scripts, all ``name`` records (every name ID, every
    language, legacy platforms included) and the outline of ``.notdef``; glyph IDs are
    kept (the glyphs left out become empty). Only the first face of a collection is read. Deterministic: the same font
    bytes, characters and HarfBuzz version give the same bytes.

    Raises ``FontSubsetError`` (a ``RuntimeError``) naming ``font`` when the HarfBuzz
    subset library is unavailable, the file cannot be read as a font, or subsetting fails.
    """
    font = Path(font)
    try:
        ffi, harfbuzz, subset = _load()
    except FontSubsetError as error:
        raise FontSubsetError(f"{font}: cannot subset: {error}") from None
    if not font.is_file():
        raise FontSubsetError(f"{font}: cannot subset: no such font file")

    blob = harfbuzz.hb_blob_create_from_file_or_fail(os.fsencode(font))
    if blob == ffi.NULL:
        raise FontSubsetError(f"{font}: cannot subset: HarfBuzz could not read the file")
    face = harfbuzz.hb_face_create(blob, 0)
    harfbuzz.hb_blob_destroy(blob)  # the face holds its own reference
    try:
        if harfbuzz.hb_face_get_glyph_count(face) == 0:
            raise FontSubsetError(f"{font}: cannot subset: not an OpenType font, or it has no glyphs")
        return _subset_face(ffi, harfbuzz, subset, face, _code_points(characters), font)
    finally:
        harfbuzz.hb_face_destroy(face)


def _subset_face(ffi: cffi.FFI, harfbuzz: Any, subset: Any, face: Any, code_points: list[int], font: Path) -> bytes:
    plan = subset.hb_subset_input_create_or_fail()
    if plan == ffi.NULL:
        raise FontSubsetError(f"{font}: cannot subset: out of memory creating the subset input")
    try:
        flags = 0
        for flag in _SUBSET_FLAGS:
            flags |= getattr(subset, flag)
        subset.hb_subset_input_set_flags(plan, flags)

        unicodes = subset.hb_subset_input_set(plan, subset.HB_SUBSET_SETS_UNICODE)
        harfbuzz.hb_set_add_sorted_array(unicodes, ffi.new("hb_codepoint_t[]", code_points), len(code_points))
        for name in _ALL_OF:  # "everything" is an inverted empty set
            wanted = subset.hb_subset_input_set(plan, getattr(subset, name))
            harfbuzz.hb_set_clear(wanted)
            harfbuzz.hb_set_invert(wanted)
        for name in ("HB_SUBSET_SETS_UNICODE", *_ALL_OF):
            if not harfbuzz.hb_set_allocation_successful(subset.hb_subset_input_set(plan, getattr(subset, name))):
                raise FontSubsetError(f"{font}: cannot subset: out of memory filling the subset input")

        return _run_plan(ffi, harfbuzz, subset, face, plan, str(font))
    finally:
        subset.hb_subset_input_destroy(plan)


def _run_plan(ffi: cffi.FFI, harfbuzz: Any, subset: Any, face: Any, plan: Any, label: str) -> bytes:
    """Subset ``face`` as ``plan`` says; the new font's bytes."""
    result = subset.hb_subset_or_fail(face, plan)
    if result == ffi.NULL:
        raise FontSubsetError(f"{label}: HarfBuzz failed to subset the font")
    try:
        blob = harfbuzz.hb_face_reference_blob(result)  # serialises the new font
        try:
            length = ffi.new("unsigned int *")
            data = harfbuzz.hb_blob_get_data(blob, length)
            if data == ffi.NULL or length[0] == 0:
                raise FontSubsetError(f"{label}: HarfBuzz produced an empty subset")
            return bytes(ffi.buffer(data, length[0]))
        finally:
            harfbuzz.hb_blob_destroy(blob)
    finally:
        harfbuzz.hb_face_destroy(result)


# Tables a PDF viewer never reads (nothing is shaped again): left out of embedded programs.
EMBEDDED_DROP_TABLES = (b"BASE", b"DSIG", b"EBDT", b"EBLC", b"EBSC", b"GPOS", b"GSUB", b"JSTF", b"LTSH", b"PCLT",
                        b"SVG ")


def subset_glyphs(program: bytes, glyph_ids: list[int], label: str = "embedded font") -> bytes:
    """An embedded font program reduced to ``glyph_ids`` (and ``.notdef``), each glyph keeping
    its ID: what a PDF needs once the pages that use the font are known. A PDF selects glyphs
    by ID and shapes nothing, so the layout tables are left out (``EMBEDDED_DROP_TABLES``)
    and the CFF charstrings are desubroutinised, as WeasyPrint does for its own subsets."""
    ffi, harfbuzz, subset = _load()
    data = ffi.from_buffer(program)
    blob = harfbuzz.hb_blob_create(data, len(program), 0, ffi.NULL, ffi.NULL)  # 0: HarfBuzz copies the bytes
    face = harfbuzz.hb_face_create(blob, 0)
    harfbuzz.hb_blob_destroy(blob)
    try:
        if harfbuzz.hb_face_get_glyph_count(face) == 0:
            raise FontSubsetError(f"{label}: cannot subset: not an OpenType font, or it has no glyphs")
        plan = subset.hb_subset_input_create_or_fail()
        if plan == ffi.NULL:
            raise FontSubsetError(f"{label}: cannot subset: out of memory creating the subset input")
        try:
            subset.hb_subset_input_set_flags(plan, subset.HB_SUBSET_FLAGS_RETAIN_GIDS
                                             | subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
                                             | subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
                                             | subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED)
            drop = sorted(int.from_bytes(tag, "big") for tag in EMBEDDED_DROP_TABLES)
            harfbuzz.hb_set_add_sorted_array(subset.hb_subset_input_set(plan, subset.HB_SUBSET_SETS_DROP_TABLE_TAG),
                                             ffi.new("hb_codepoint_t[]", drop), len(drop))
            wanted = sorted({0, *glyph_ids})
            glyphs = subset.hb_subset_input_set(plan, subset.HB_SUBSET_SETS_GLYPH_INDEX)
            harfbuzz.hb_set_add_sorted_array(glyphs, ffi.new("hb_codepoint_t[]", wanted), len(wanted))
            return _run_plan(ffi, harfbuzz, subset, face, plan, label)
        finally:
            subset.hb_subset_input_destroy(plan)
    finally:
        harfbuzz.hb_face_destroy(face)


def font_digest(font: Path) -> str:
    """The sha256 of the font file's bytes (hex).

    Remembered in this process per (path, size, mtime), so each font is read once; reading a
    20 MB font takes about 15 ms.
    """
    font = Path(font)
    stat = font.stat()
    memo_key = (str(font.resolve()), stat.st_size, stat.st_mtime_ns)
    digest = _digests.get(memo_key)
    if digest is None:
        with font.open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        _digests[memo_key] = digest
    return digest


def subset_key(font: Path, characters: str) -> str:
    """The content key of the subset of ``font`` for ``characters``: ``KEY_LENGTH`` hex digits.

    A sha256 over ``SUBSET_VERSION``, the HarfBuzz version, the sha256 of the font file's
    bytes (not its path or mtime: a moved or touched font keeps its key, an edited one gets
    a new key) and the sorted code points of ``characters`` plus ``BASE_CHARACTERS``.
    """
    material = "\n".join((
        f"fontsubset {SUBSET_VERSION}",
        f"harfbuzz {harfbuzz_version()}",
        f"font {font_digest(font)}",
        "characters " + ",".join(f"{code:X}" for code in _code_points(characters)),
    ))
    return hashlib.sha256(material.encode("ascii")).hexdigest()[:KEY_LENGTH]


def subset_name(font: Path, key: str) -> str:
    """The file name of a subset: the source's stem, the key, and ``.otf``/``.ttf``."""
    font = Path(font)
    suffix = {".otc": ".otf", ".ttc": ".ttf"}.get(font.suffix.lower(), font.suffix)
    return f"{font.stem}.{key}{suffix}"


def subset_fonts(fonts: list[Path], characters: str, folder: Path) -> list[Path]:
    """Write the subset of every font for ``characters`` into ``folder``; return their paths.

    ``folder`` is created if needed. Each subset is named after its source with its content
    key (see ``subset_key``), e.g. ``NotoSerifCJKsc-Regular.1a2b3c4d5e6f.otf``; a file of
    that name already in ``folder`` is reused without subsetting again. New files are
    written to a temporary file in ``folder`` and renamed into place, so a reader never
    sees a partial font and concurrent builds do not clash. Old subsets are not removed.
    The paths come in the order of ``fonts``. Raises ``FontSubsetError`` naming the font
    when one cannot be subset.
    """
    from concurrent.futures import ThreadPoolExecutor

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    def one(font: Path) -> Path:
        font = Path(font)
        try:
            key = subset_key(font, characters)
        except OSError as error:
            raise FontSubsetError(f"{font}: cannot subset: {error.strerror or error}") from error
        target = folder / subset_name(font, key)
        if not target.is_file():
            _write_atomic(target, subset_font(font, characters))
        return target

    with contextlib.suppress(FontSubsetError):  # load once before the threads; errors name the font below
        _load()
    # HarfBuzz runs outside the GIL: the faces are subset in parallel.
    with ThreadPoolExecutor(max_workers=max(1, min(len(fonts), os.cpu_count() or 1))) as pool:
        return list(pool.map(one, fonts))


def _write_atomic(target: Path, data: bytes) -> None:
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("xb") as stream:  # mode from the umask, like any other output file
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            temporary.unlink()
        raise
