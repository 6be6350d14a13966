"""Laying out an issue in parts (magazine/render/parts.py, parallel.py, assemble.py, hooks.py):
the parts give the same pages as the whole document, reuse what did not change, and
join into one PDF with one copy of each font program."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from magazine.compose import ComposedDocument
from magazine.preflight import preflight
from magazine.render import render, render_pdf
from magazine.render.parts import FILLER, split_parts
from magazine.themes import Theme

CSS = """
@page { size: 100mm 140mm; margin: 15mm;
        @bottom-center { content: counter(page); font-family: "Noto Sans CJK SC"; font-size: 8pt } }
@page :left { margin-left: 22mm; @bottom-left { content: "左" counter(page); font-size: 8pt } }
@page :right { @bottom-right { content: "右" counter(page); font-size: 8pt } }
@page cover { @bottom-center { content: none } }
body { font-family: "Noto Serif CJK SC"; font-size: 10pt; line-height: 1.6; margin: 0 }
.cover { page: cover; height: 100mm }
.right { break-before: right }
.page { break-before: page }
.toc a::after { content: " … " target-counter(attr(href), page) }
.padding { break-before: page; height: 5mm }
.back { break-before: page }
"""


def paragraphs(tag: str, count: int) -> str:
    text = "山西银行零售业务稳步发展，服务实体经济，支持小微企业。" * 3
    return "".join(f"<p>{tag}第{n}段：{text}</p>" for n in range(1, count + 1))


def issue_html(lengths: dict[str, tuple[str, int]], padding: int = 3) -> str:
    """A document with a cover, contents, parts of the given (break, paragraphs) and back matter."""
    toc = "".join(f'<li><a href="#{name}">{name}</a></li>' for name in lengths)
    sections = "".join(
        f'<div data-part="{name}" class="{brk}"><h2 id="{name}">{name}</h2>{paragraphs(name, count)}</div>'
        for name, (brk, count) in lengths.items())
    pads = "".join(f'<div class="padding" id="pad-{i}"></div>' for i in range(padding))
    return (f"<!DOCTYPE html><html lang='zh'><head><meta charset='utf-8'><title>测试</title>"
            f"<style>{CSS}</style></head><body>"
            f"<div class='cover'>封面</div><div class='page toc'><h1>目录</h1><ul>{toc}</ul></div>"
            f"{sections}<div data-part='back'>{pads}<div class='back'>封底</div></div></body></html>")


LENGTHS = {"sec-a": ("right", 9), "sec-b": ("page", 4), "sec-c": ("right", 1), "sec-d": ("page", 12),
           "sec-e": ("right", 5)}


@pytest.fixture
def theme(tmp_path):
    folder = tmp_path / "theme"
    (folder / "css").mkdir(parents=True)
    (folder / "issue.html.j2").write_text("", encoding="utf-8")
    return Theme(name="test", folder=folder)


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MAGAZINE_CACHE", str(tmp_path / "cache"))


def composed(theme: Theme, tmp_path, lengths: dict = LENGTHS) -> ComposedDocument:
    return ComposedDocument(html=issue_html(lengths), theme=theme, base_url=tmp_path.as_uri() + "/",
                            padding_ids=("pad-0", "pad-1", "pad-2"))


def page_texts(pdf: bytes) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_split_parts_cuts_at_body_children_with_data_part():
    html = issue_html({"one": ("right", 1), "two": ("page", 1)})
    parts = split_parts(html)
    assert [p.name for p in parts] == ["front", "one", "two", "back"]
    assert all("<style>" in p.html and "<body>" in p.html and p.html.rstrip().endswith("</html>") for p in parts)
    assert FILLER not in parts[0].html and all(p.html.count(FILLER) == 1 for p in parts[1:])
    assert "one" in parts[1].anchors and "pad-0" in parts[3].anchors and "one" not in parts[0].anchors
    assert "封面" in parts[0].html and "封面" not in parts[1].html
    # data-part below the body's children does not cut; no data-part at all: one part
    nested = "<html><head></head><body><div><p data-part='x'>a</p></div><p>b</p></body></html>"
    assert [p.name for p in split_parts(nested)] == ["issue"]
    # end tags left out, as HTML allows
    loose = "<html><head></head><body><p>a<p>b<ul><li>c<li>d</ul><div data-part='x'><p>e</div></body></html>"
    assert [p.name for p in split_parts(loose)] == ["front", "x"]


def test_parts_give_the_pages_of_the_whole_document(theme, tmp_path):
    document = composed(theme, tmp_path)
    whole = render(document, tmp_path, multiple_of=4)
    expected = page_texts(whole.write_pdf())
    parted = render_pdf(document, tmp_path, multiple_of=4)
    assert parted.parts == ["front", *LENGTHS, "back"]
    assert parted.page_count == whole.page_count == len(expected)
    assert parted.padding_pages == whole.padding_pages
    assert page_texts(parted.data) == expected
    # the contents give the pages where the parts' headings are, in both
    numbers = dict(re.findall(r"(sec-[a-e])…(\d+)", expected[1]))
    for name, number in numbers.items():
        assert expected[int(number) - 1].startswith(name) or name in expected[int(number) - 1][:12]
    assert not [w for w in parted.warnings if "anchor" in w]
    # links from the contents to the parts: the same rectangles and destinations
    assert link_annotations(parted.data) == link_annotations(whole.write_pdf()) != []


def link_annotations(pdf: bytes) -> list:
    reader = PdfReader(io.BytesIO(pdf))
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            destination = str(annotation["/Dest"])
            assert destination in reader.named_destinations
            found.append((number, destination, [round(float(v), 2) for v in annotation["/Rect"]]))
    return sorted(found)


def test_parts_reuse_the_cache_and_redo_only_what_changed(theme, tmp_path):
    document = composed(theme, tmp_path)
    first = render_pdf(document, tmp_path, multiple_of=4, cache_name="t")
    assert sorted(first.rendered) == sorted(first.parts)
    again = render_pdf(document, tmp_path, multiple_of=4, cache_name="t")
    assert again.rendered == [] and again.data == first.data
    # a change that keeps the page count: that part only
    edited = ComposedDocument(html=document.html.replace("sec-c第1段", "sec-c第一段"), theme=theme,
                              base_url=document.base_url, padding_ids=document.padding_ids)
    changed = render_pdf(edited, tmp_path, multiple_of=4, cache_name="t")
    assert changed.rendered == ["sec-c"]
    assert changed.data == render_pdf(edited, tmp_path, multiple_of=4).data  # same bytes as without the cache
    # a change that adds pages: that part, the parts after it, and the contents (page numbers)
    longer = dict(LENGTHS, **{"sec-b": ("page", 11)})
    grown = composed(theme, tmp_path, longer)
    result = render_pdf(grown, tmp_path, multiple_of=4, cache_name="t")
    assert "sec-a" not in result.rendered and {"sec-b", "sec-c", "sec-d", "sec-e", "front"} <= set(result.rendered)
    assert result.data == render_pdf(grown, tmp_path, multiple_of=4).data
    assert page_texts(result.data) == page_texts(render(grown, tmp_path, multiple_of=4).write_pdf())


def test_the_number_of_workers_does_not_change_the_bytes(theme, tmp_path, monkeypatch):
    document = composed(theme, tmp_path)
    monkeypatch.setenv("MAGAZINE_WORKERS", "1")
    one = render_pdf(document, tmp_path, multiple_of=4).data
    monkeypatch.setenv("MAGAZINE_WORKERS", "3")
    assert render_pdf(document, tmp_path, multiple_of=4).data == one


def test_joined_pdf_has_one_font_program_per_face(theme, tmp_path):
    reader = PdfReader(io.BytesIO(render_pdf(composed(theme, tmp_path), tmp_path, multiple_of=4).data))
    programs, faces = set(), set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            faces.add(str(descendant["/BaseFont"]))
            programs.add(descriptor.raw_get("/FontFile3").idnum)
    assert len(programs) == len(faces) >= 2
    # each program is reduced to the glyphs the pages use, keeping their IDs
    from fontTools.ttLib import TTFont

    from magazine.render.assemble import _glyphs_of_widths

    used: dict[int, set[int]] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            number = descendant["/FontDescriptor"].get_object().raw_get("/FontFile3").idnum
            used.setdefault(number, set()).update(_glyphs_of_widths(descendant["/W"]))
    for number, glyphs in used.items():
        program = TTFont(io.BytesIO(reader.get_object(number).get_data()))
        assert "GSUB" not in program and "GPOS" not in program
        assert program["maxp"].numGlyphs == max(glyphs) + 1


def test_preflight_remembers_page_findings(tmp_path):
    import weasyprint

    pdf = weasyprint.HTML(string="<p style='color: rgb(200, 10, 10)'>红色</p>"
                                 "<p style='break-before: page'>第二页</p>").write_pdf()
    first = preflight(pdf, cache=tmp_path / "pf")
    assert len(list((tmp_path / "pf").glob("*.json"))) == 2
    second = preflight(pdf, cache=tmp_path / "pf")
    assert [str(f) for f in second.findings] == [str(f) for f in first.findings]
    assert any(f.check == "colour-space" and f.page == 1 for f in second.findings)


def test_without_the_harfbuzz_subsetter_parts_use_the_whole_fonts(theme, tmp_path, monkeypatch):
    from magazine import fontsubset

    def unavailable() -> str:
        raise fontsubset.FontSubsetError("libharfbuzz-subset.so.0: not installed")

    document = composed(theme, tmp_path)
    expected = page_texts(render_pdf(document, tmp_path, multiple_of=4).data)
    monkeypatch.setattr(fontsubset, "harfbuzz_version", unavailable)
    parted = render_pdf(document, tmp_path, multiple_of=4)
    assert page_texts(parted.data) == expected
    reader = PdfReader(io.BytesIO(parted.data))
    names = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    programs = {}
    for page in reader.pages:  # one name per font program: subsets are named after their bytes
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            programs.setdefault(str(descendant["/BaseFont"]), set()).add(descriptor.raw_get("/FontFile3").idnum)
    assert len(names) > 2 and all(len(ids) == 1 for ids in programs.values())


def test_a_theme_that_prints_the_page_count_is_laid_out_as_one_document(theme, tmp_path):
    document = composed(theme, tmp_path)
    counted = ComposedDocument(html=document.html.replace("content: counter(page);",
                                                          'content: counter(page) " / " counter(pages);'),
                               theme=theme, base_url=document.base_url, padding_ids=document.padding_ids)
    result = render_pdf(counted, tmp_path, multiple_of=4)
    assert result.parts == result.rendered == ["issue"]
    assert f"2/{result.page_count}" in page_texts(result.data)[1]


@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failing_worker_stops_the_build_with_the_parts_name(theme, tmp_path, monkeypatch, how):
    import multiprocessing
    import os as os_module

    from magazine.errors import MagazineError
    from magazine.render import parallel

    original = parallel.lay_out_part

    def failing(part, *args, **kwargs):
        if part.name == "sec-c":
            if how == "dies":
                os_module._exit(3)
            raise RuntimeError("boom in the layout")
        return original(part, *args, **kwargs)

    monkeypatch.setattr(parallel, "lay_out_part", failing)  # the workers are forked: they see it
    with pytest.raises(MagazineError) as caught:
        render_pdf(composed(theme, tmp_path), tmp_path, multiple_of=4)
    message = str(caught.value)
    assert "sec-c" in message
    assert ("boom in the layout" in message) if how == "raises" else ("stopped unexpectedly" in message)
    assert caught.value.usage is False  # exit code 1: the build failed
    assert not multiprocessing.active_children()  # no worker left behind
