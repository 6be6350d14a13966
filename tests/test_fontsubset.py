"""Font subsets with HarfBuzz: coverage, layout features, names, size, determinism, cache, speed."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from magazine import fontsubset
from magazine.fontsubset import BASE_CHARACTERS, FontSubsetError, subset_font, subset_fonts

FONTS = Path(__file__).resolve().parent.parent / "fonts"
SERIF = FONTS / "NotoSerifCJKsc-Regular.otf"
SANS_BOLD = FONTS / "NotoSansCJKsc-Bold.otf"
ALL_FACES = sorted(FONTS.glob("*.otf"))
ARTICLES = Path(__file__).resolve().parent.parent / "issues" / "2022-06" / "articles"
SENTENCE = "山西银行零售动态，稳住经济大盘。"
NOT_ASKED = "龘"  # in the Noto CJK SC fonts, not in SENTENCE, not in BASE_CHARACTERS
LAYOUT_FEATURES = ("halt", "vhal", "palt", "vpal", "vert", "vrt2", "kern", "locl")


@pytest.fixture(scope="module")
def source() -> TTFont:
    return TTFont(SERIF, lazy=True)


@pytest.fixture(scope="module")
def subset_bytes() -> bytes:
    return subset_font(SERIF, SENTENCE)


@pytest.fixture(scope="module")
def subset(subset_bytes: bytes) -> TTFont:
    return TTFont(io.BytesIO(subset_bytes))


def features(font: TTFont, tag: str) -> set[str]:
    if tag not in font:
        return set()
    return {record.FeatureTag for record in font[tag].table.FeatureList.FeatureRecord}


def name_records(font: TTFont) -> set[tuple[int, int, int, int, str]]:
    return {(r.platformID, r.platEncID, r.langID, r.nameID, r.toUnicode()) for r in font["name"].names}


def test_subset_maps_the_requested_and_base_characters_and_nothing_else(source: TTFont, subset: TTFont) -> None:
    cmap = subset.getBestCmap()
    source_cmap = source.getBestCmap()
    assert all(ord(char) in cmap for char in SENTENCE)
    assert all(ord(char) in cmap for char in BASE_CHARACTERS if ord(char) in source_cmap)
    assert ord(NOT_ASKED) in source_cmap and NOT_ASKED not in BASE_CHARACTERS
    assert ord(NOT_ASKED) not in cmap
    assert set(cmap) <= {ord(char) for char in SENTENCE + BASE_CHARACTERS}


def test_subset_keeps_the_glyphs_outlines_and_advances(source: TTFont, subset: TTFont) -> None:
    cmap, source_cmap = subset.getBestCmap(), source.getBestCmap()
    glyphs, source_glyphs = subset.getGlyphSet(), source.getGlyphSet()
    for char in SENTENCE:
        drawn, expected = RecordingPen(), RecordingPen()
        glyphs[cmap[ord(char)]].draw(drawn)
        source_glyphs[source_cmap[ord(char)]].draw(expected)
        assert drawn.value == expected.value, char
        assert subset["hmtx"][cmap[ord(char)]] == source["hmtx"][source_cmap[ord(char)]], char
        assert subset["vmtx"][cmap[ord(char)]] == source["vmtx"][source_cmap[ord(char)]], char


def test_subset_keeps_notdef_outline_and_glyph_ids(source: TTFont, subset: TTFont) -> None:
    pen = RecordingPen()
    subset.getGlyphSet()[subset.getGlyphOrder()[0]].draw(pen)
    assert pen.value, ".notdef lost its outline"
    # glyph IDs are kept: text shaped with any subset (or the whole font) uses the same IDs
    assert 2000 < subset["maxp"].numGlyphs <= source["maxp"].numGlyphs  # up to the highest glyph kept
    subset_cmap, source_cmap = subset.getBestCmap(), source.getBestCmap()
    for char in SENTENCE:
        assert subset.getGlyphID(subset_cmap[ord(char)]) == source.getGlyphID(source_cmap[ord(char)]), char


def test_subset_keeps_layout_features(source: TTFont, subset: TTFont) -> None:
    assert "halt" in features(source, "GPOS") and "vert" in features(source, "GSUB")  # the test means something
    for table in ("GSUB", "GPOS"):
        kept = features(subset, table)
        for feature in LAYOUT_FEATURES:
            if feature in features(source, table):
                assert feature in kept, f"{table} lost {feature!r}"
    # the GSUB closure kept the vertical forms of the sentence's punctuation
    cmap = subset.getBestCmap()
    assert {cmap[ord("，")], cmap[ord("。")]} <= set(single_substitutions(subset, "vert"))


def single_substitutions(font: TTFont, feature: str) -> dict[str, str]:
    gsub = font["GSUB"].table
    indices = {index for record in gsub.FeatureList.FeatureRecord if record.FeatureTag == feature
               for index in record.Feature.LookupListIndex}
    mapping: dict[str, str] = {}
    for index in indices:
        for table in gsub.LookupList.Lookup[index].SubTable:
            table = table.ExtSubTable if table.LookupType == 7 else table
            mapping.update(getattr(table, "mapping", {}))
    return mapping


def test_subset_keeps_every_name_record(source: TTFont, subset: TTFont) -> None:
    family = {record for record in name_records(source) if record[3] in (1, 16)}
    assert {record[2] for record in family} >= {0x0409, 0x0804}  # English and Simplified Chinese
    assert family <= name_records(subset)
    assert name_records(subset) == name_records(source)


def test_subset_is_small_and_deterministic(subset_bytes: bytes) -> None:
    assert len(subset_bytes) < 0.05 * SERIF.stat().st_size
    assert subset_font(SERIF, SENTENCE) == subset_bytes
    assert subset_font(SERIF, "".join(reversed(SENTENCE)) + SENTENCE) == subset_bytes  # order, repeats


def test_subset_fonts_names_caches_and_keys_by_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "subsets" / "nested"
    first = subset_fonts([SERIF, SANS_BOLD], SENTENCE, folder)
    assert [path.parent for path in first] == [folder, folder]
    assert re.fullmatch(r"NotoSerifCJKsc-Regular\.[0-9a-f]{12}\.otf", first[0].name)
    assert re.fullmatch(r"NotoSansCJKsc-Bold\.[0-9a-f]{12}\.otf", first[1].name)
    assert first[0].read_bytes() == subset_font(SERIF, SENTENCE)
    stamps = [path.stat().st_mtime_ns for path in first]

    def no_work(font: Path, characters: str) -> bytes:
        raise AssertionError(f"subset {font} again")

    with monkeypatch.context() as patch:
        patch.setattr(fontsubset, "subset_font", no_work)
        again = subset_fonts([SANS_BOLD, SERIF], SENTENCE, folder)
    assert again == [first[1], first[0]]  # the order of the fonts given
    assert [path.stat().st_mtime_ns for path in first] == stamps

    other = subset_fonts([SERIF], SENTENCE + "龘", folder)
    assert other[0] != first[0] and other[0].is_file() and first[0].is_file()
    assert ord("龘") in TTFont(other[0]).getBestCmap()
    assert sorted(path.name for path in folder.iterdir()) == sorted(path.name for path in [*first, *other])


def test_subset_takes_well_under_a_second_per_face() -> None:
    characters = "".join(sorted({char for path in ARTICLES.glob("*.md") for char in path.read_text("utf-8")}))
    assert len(characters) > 1000
    assert len(ALL_FACES) == 4
    for face in ALL_FACES:
        start = time.perf_counter()
        subset_font(face, characters)
        assert time.perf_counter() - start < 3, face.name


def test_errors_name_the_font(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    not_a_font = tmp_path / "broken.otf"
    not_a_font.write_bytes(b"this is not a font" * 100)
    with pytest.raises(FontSubsetError, match=r"broken\.otf"):
        subset_font(not_a_font, SENTENCE)
    with pytest.raises(RuntimeError, match=r"missing\.otf"):
        subset_fonts([tmp_path / "missing.otf"], SENTENCE, tmp_path / "out")

    monkeypatch.setattr(fontsubset, "_libraries", None)
    monkeypatch.setattr(fontsubset, "_load_error", None)
    monkeypatch.setattr(fontsubset, "_HARFBUZZ_SUBSET_NAMES", ("libharfbuzz-subset-does-not-exist.so.0",))
    with pytest.raises(FontSubsetError, match=r"NotoSerifCJKsc-Regular\.otf.*HarfBuzz subset library not available"):
        subset_font(SERIF, SENTENCE)
