"""Three editions from one build: print, screen and archive; reproducible; unpackable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from magazine.build import build_issue
from magazine.sources import unpack

MM = 72 / 25.4
FIXTURE = Path(__file__).parent / "fixtures" / "small"


@pytest.fixture(scope="module")
def editions(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("editions")
    shutil.copytree(FIXTURE, folder / "small")
    return build_issue(folder / "small", folder / "out", editions=("print", "screen", "archive")).outputs


def test_screen_edition(editions):
    reader = PdfReader(editions["screen"])
    assert reader.trailer["/Root"]["/PageLayout"] == "/TwoPageRight"  # the cover alone, then spreads
    assert reader.page_labels[:2] == ["封面", "封二"] and reader.page_labels[-1] == "封底"
    assert reader.outline
    links = 0
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(210 * MM, abs=0.01)  # no bleed, no marks
        assert float(page.mediabox.height) == pytest.approx(285 * MM, abs=0.01)
        data = page.get_contents().get_data()
        assert b"/DeviceCMYK" not in data and b" k\n" not in data
        for xobject in page["/Resources"].get("/XObject", {}).values():
            xobject = xobject.get_object()
            if xobject["/Subtype"] == "/Image":
                assert xobject["/ColorSpace"] in ("/DeviceRGB", "/DeviceGray")
        links += sum(1 for a in page.get("/Annots", []) if a.get_object()["/Subtype"] == "/Link")
    assert links >= 3  # the contents entries are clickable


def test_screen_pictures_are_downsampled(editions):
    reader = PdfReader(editions["screen"])
    widths = [x.get_object()["/Width"] for page in reader.pages
              for x in page["/Resources"].get("/XObject", {}).values() if x.get_object()["/Subtype"] == "/Image"
              and x.get_object()["/Width"] > 100]
    assert widths and max(widths) < 1200  # the 1200 px photo, placed ~85 mm wide: ~500 px at 150 ppi


def test_archive_edition_is_pdfa_with_the_sources(editions):
    reader = PdfReader(editions["archive"])
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp
    assert "pdfaid:conformance" in xmp and "B" in xmp
    for text in ("测试银行", "zh-Hans", "2024-03-01", "总第01期", "sha256:", "WeasyPrint 70.0", "Noto Serif CJK SC"):
        assert text in xmp, text
    [intent] = reader.trailer["/Root"]["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1"
    embedded = reader.attachments
    assert embedded["issue.yaml"][0] == (FIXTURE / "issue.yaml").read_bytes()
    assert embedded["articles/one.md"][0] == (FIXTURE / "articles" / "one.md").read_bytes()
    assert embedded["data/figures.csv"][0] == (FIXTURE / "data" / "figures.csv").read_bytes()
    assert embedded["images/photo.jpg"][0] == (FIXTURE / "images" / "photo.jpg").read_bytes()
    assert "images.json" in embedded
    relationships = {spec.get_object()["/AFRelationship"] for spec in reader.trailer["/Root"]["/AF"]}
    assert relationships == {"/Source"}
    assert len(reader.pages) == len(PdfReader(editions["screen"]).pages)


def test_all_editions_are_byte_identical_from_another_folder(editions, tmp_path):
    moved = tmp_path / "somewhere" / "else" / "small"
    shutil.copytree(FIXTURE, moved)
    again = build_issue(moved, tmp_path / "out", editions=("print", "screen", "archive")).outputs
    for edition in ("print", "screen", "archive"):
        assert again[edition].read_bytes() == editions[edition].read_bytes(), edition


def test_unpack_then_rebuild_gives_the_same_archive(editions, tmp_path):
    unpacked = unpack(editions["archive"], tmp_path / "small")
    assert unpacked.missing_pictures == []
    assert (tmp_path / "small" / "issue.yaml").read_bytes() == (FIXTURE / "issue.yaml").read_bytes()
    rebuilt = build_issue(tmp_path / "small", tmp_path / "out", editions=("archive",)).outputs["archive"]
    assert rebuilt.read_bytes() == editions["archive"].read_bytes()


def test_pictures_over_the_limit_are_listed_not_embedded(small_issue, tmp_path):
    manifest = small_issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "archive:\n  embed_pictures_mb: 0.001\n",
                        encoding="utf-8")
    archive = build_issue(small_issue, tmp_path / "out", editions=("archive",)).outputs["archive"]
    embedded = PdfReader(archive).attachments
    assert "images/photo.jpg" not in embedded and "images.json" in embedded
    unpacked = unpack(archive, tmp_path / "unpacked")
    assert unpacked.missing_pictures == ["images/photo.jpg"]


def test_unpack_refuses_a_pdf_without_sources(editions, tmp_path):
    from magazine.errors import MagazineError

    with pytest.raises(MagazineError, match="no issue sources"):
        unpack(editions["screen"], tmp_path / "x")
