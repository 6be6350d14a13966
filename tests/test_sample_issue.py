"""End-to-end: the sample issue 2022-06, built once, checked as a reader and a printer would."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from magazine.content import load_content
from magazine.fonts import load_index
from magazine.manifest import load_manifest
from tests.conftest import SAMPLE
from tests.measure import justified_line_report, lines
from tests.pdftext import PageText, read_pages
from tests.seedtext import missing_lines, normalise


@pytest.fixture(scope="module")
def content():
    return load_content(load_manifest(SAMPLE))


@pytest.fixture(scope="module")
def pages(sample_build) -> list[PageText]:
    return read_pages(sample_build.pdf)


@pytest.fixture(scope="module")
def reader(sample_build) -> PdfReader:
    return PdfReader(sample_build.pdf)


def outline_pages(reader: PdfReader) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """[(section label, page index, [(article label, page index), …]), …]"""
    result = []
    items = reader.outline
    i = 0
    while i < len(items):
        item = items[i]
        children = []
        if i + 1 < len(items) and isinstance(items[i + 1], list):
            children = [(c.title, reader.get_destination_page_number(c)) for c in items[i + 1]]
            i += 1
        result.append((item.title, reader.get_destination_page_number(item), children))
        i += 1
    return result


def test_page_count_is_a_multiple_of_four(sample_build, pages):
    assert sample_build.pages == len(pages)
    assert len(pages) % 4 == 0
    assert len(pages) >= 32


def test_outline_has_every_section_and_article(reader, content):
    outline = outline_pages(reader)
    assert [title for title, _, _ in outline] == [
        f"{s.section.number} {s.section.title}" for s in content.sections]
    for (_, _, children), section in zip(outline, content.sections, strict=True):
        assert [normalise(t) for t, _ in children] == [normalise(a.title) for a in section.articles]


def test_sections_start_on_right_hand_pages(reader, pages, content):
    for (_, index, _), section in zip(outline_pages(reader), content.sections, strict=True):
        assert index % 2 == 0, f"section {section.section.number} starts on page {index + 1}, a left page"
        text = normalise(pages[index].whole)
        assert normalise(section.section.title) in text
        assert normalise(section.section.title_en) in text
        # The page before a divider is either an article page or a blank page.
        before = pages[index - 1]
        assert before.whole.strip() == "" or before.foot.strip(), "unexpected page before a divider"


def contents_entries(text: str) -> list[tuple[str, int]]:
    """(normalised text, page number) for every line of the contents ending in a number.

    A title that wraps carries the text of the lines before it since the last entry.
    """
    entries, pending = [], ""
    for line in text.splitlines():
        found = re.match(r"^(.*\D)\s+(\d+)\s*$", line)
        if found:
            entries.append((normalise(pending + found.group(1)), int(found.group(2))))
            pending = ""
        elif re.fullmatch(r"\s*\d+\s*", line):
            pending = ""
        else:
            pending += line
    return entries


def test_contents_page_numbers_match_the_pages_where_titles_are_printed(reader, pages, content):
    contents = next(p for p in pages if "目录contents" in normalise(p.whole))
    entries = contents_entries(contents.body)
    divider_pages = {index for _, index, _ in outline_pages(reader)}
    assert len(entries) == len(content.articles)
    for article in content.articles:
        listed = [n for text, n in entries if text.endswith(normalise(article.contents_title))]
        assert len(listed) == 1, f"{article.contents_title} not in the contents"
        title = normalise(article.title)
        printed_on = next(p for p in pages[contents.index + 1:]
                          if p.index not in divider_pages and title in normalise(p.body))
        assert listed[0] == printed_on.number, \
            f"{article.title}: contents says {listed[0]}, printed on {printed_on.number}"
        folio = printed_on.foot.strip()
        assert folio == f"{printed_on.number:02d}", f"page {printed_on.number} shows folio {folio!r}"


def test_folios_and_running_heads(reader, pages, content):
    """Folios everywhere but on covers, dividers and blank pages; running heads with them."""
    outline = outline_pages(reader)
    divider_pages = sorted(index for _, index, _ in outline)
    covers = {0, 1, len(pages) - 1}  # cover, inside cover, back cover
    for page in pages:
        blank = page.whole.strip() == ""
        if page.index in covers or page.index in divider_pages or blank:
            assert "『" not in page.head and "2022.06" not in page.head, \
                f"page {page.number} should have no running head: {page.head!r}"
            assert not re.search(r"^\s*\d+\s*$", page.foot, re.M), f"page {page.number} has a folio: {page.foot!r}"
            continue
        assert page.foot.strip() == f"{page.number:02d}", f"page {page.number}: folio {page.foot!r}"
        head = normalise(page.head)
        assert normalise("零售动态 · 2022.06") in head, f"page {page.number}: running head {page.head!r}"
        current = [i for i, index in enumerate(divider_pages) if index < page.index]
        if current:
            s = content.sections[current[-1]].section
            assert normalise(f"{s.number} 『{s.title}』") in head, f"page {page.number}: running head {page.head!r}"
        else:
            assert "『" not in page.head


def test_running_heads_are_mirrored(sample_build, reader):
    """The section name sits on the outer side: left on left pages, right on right pages."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(sample_build.pdf)
    checked = 0
    try:
        for index in range(len(document)):
            page = document[index]
            left, _, right, top = page.get_trimbox()
            textpage = page.get_textpage()
            band = top - 25 * 72 / 25.4
            head = textpage.get_text_bounded(left, band, right, top)
            if "『" in head:
                left_half = textpage.get_text_bounded(left, band, (left + right) / 2, top)
                outer_is_left = index % 2 == 1  # even page numbers are left pages
                assert ("『" in left_half) == outer_is_left, f"page {index + 1}"
                checked += 1
            textpage.close()
            page.close()
    finally:
        document.close()
    assert checked > 20


def test_fonts_are_embedded_subset_and_bundled(reader):
    bundled = {face.family.replace(" ", "") for face in load_index()}
    seen = set()
    for page in reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/")
            prefix, _, family = name.partition("+")
            assert len(prefix) == 6, f"{name} is not subset"
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"
            seen.add(family)
    assert seen
    for family in seen:
        compact = family.replace("-", "")
        assert any(compact.startswith(b) for b in bundled), f"{family} is not a bundled font"


def test_every_paragraph_of_the_seed_is_in_the_pdf(pages):
    text = "\n".join(p.body for p in pages)
    assert missing_lines(text) == []


def test_metadata_and_language(reader):
    info = reader.metadata
    assert "零售动态" in info.title and "总第09期" in info.title
    assert info.author == "山西银行"
    assert info.creation_date.year == 2022 and info.creation_date.month == 6
    assert reader.trailer["/Root"]["/Lang"] == "zh-Hans"


def test_page_boxes(reader):
    """TrimBox = 210 × 285 mm, BleedBox = trim + 3 mm, MediaBox larger still (room for the marks)."""
    mm = 72 / 25.4
    for page in reader.pages:
        trim, bleed, media = page.trimbox, page.bleedbox, page.mediabox
        assert float(trim.width) / mm == pytest.approx(210, abs=0.05)
        assert float(trim.height) / mm == pytest.approx(285, abs=0.05)
        for side in ("left", "bottom"):
            assert float(getattr(trim, side)) - float(getattr(bleed, side)) == pytest.approx(3 * mm, abs=0.01)
            assert float(getattr(bleed, side)) > float(getattr(media, side))
        for side in ("right", "top"):
            assert float(getattr(bleed, side)) - float(getattr(trim, side)) == pytest.approx(3 * mm, abs=0.01)
            assert float(getattr(bleed, side)) < float(getattr(media, side))


def test_emitted_html_renders_with_plain_weasyprint(sample_build, tmp_path):
    html = Path(sample_build.html).read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in html
    assert "file://" in html  # assets reachable from wherever the file is opened


def test_body_text_is_justified(sample_build):
    flush, total, ragged = justified_line_report(sample_build.pdf)
    assert total > 500
    assert flush / total >= 0.98, [(line.page + 1, line.text) for line in ragged[:20]]


def test_no_line_starts_or_ends_with_a_prohibited_mark(sample_build):
    from magazine.typography.rules import NOT_AT_LINE_END, NOT_AT_LINE_START

    found = lines(sample_build.pdf)
    assert len(found) > 1000
    starts = [(line.page + 1, line.text[:12]) for line in found if line.text.lstrip()[:1] in NOT_AT_LINE_START]
    ends = [(line.page + 1, line.text[-12:]) for line in found if line.text.rstrip()[-1:] in NOT_AT_LINE_END]
    assert starts == [] and ends == []


def test_text_is_the_source_text_with_normalised_punctuation(sample_build, pages):
    """Every paragraph, as typeset (source + punctuation normalisation), is in the PDF as is."""
    from html.parser import HTMLParser

    from magazine.typography import typeset

    class Paragraphs(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found, self.current = [], None

        def handle_starttag(self, tag, attrs):
            if tag == "p":
                self.current = []

        def handle_endtag(self, tag):
            if tag == "p" and self.current is not None:
                self.found.append("".join(self.current))
                self.current = None

        def handle_data(self, data):
            if self.current is not None:
                self.current.append(data)

    def squeeze(text: str) -> str:
        return "".join(c for c in text if not c.isspace() and c not in "-\x02")

    pdf_text = squeeze("".join(p.body for p in pages))
    content = typeset(load_content(load_manifest(SAMPLE)))
    checked = 0
    for article in content.articles:
        parser = Paragraphs()
        parser.feed(article.body)
        for paragraph in parser.found:
            assert squeeze(paragraph) in pdf_text, paragraph[:40]
            checked += 1
    assert checked > 200
