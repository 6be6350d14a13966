"""Articles: Markdown and front matter into typed articles with HTML fragments."""

from __future__ import annotations

from pathlib import Path

import pytest

from magazine.content import load_content
from magazine.errors import MagazineError
from magazine.manifest import load_manifest


def load(folder: Path):
    return load_content(load_manifest(folder))


def article(folder: Path, name: str):
    return next(a for a in load(folder).articles if a.file.name == name)


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / "articles" / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(folder: Path) -> list:
    with pytest.raises(MagazineError) as caught:
        load(folder)
    return caught.value.problems


def test_feature_body(small_issue):
    one = article(small_issue, "one.md")
    assert one.title == "第一篇文章的标题" and one.standfirst == "这是导语。" and one.layout == "feature"
    assert one.anchor == "a-one"
    assert '<h2 class="numbered"><span class="subhead-number">01</span> 第一个小标题</h2>' in one.body
    assert '<aside class="box box-case">' in one.body and '<p class="box-title">案例</p>' in one.body
    assert '<aside class="box box-quote">' in one.body and "广告金句" in one.body
    assert '<figure class="picture landscape">' in one.body and "<figcaption>照片说明</figcaption>" in one.body
    [picture] = one.pictures
    assert picture.path == (small_issue / "images" / "photo.jpg").resolve()
    assert (picture.width, picture.height) == (1200, 800)


def test_brief_parts(small_issue):
    two = article(small_issue, "two.md")
    assert two.layout == "brief"  # from the manifest
    assert [p.heading for p in two.parts] == ["第一则", "第二则"]
    assert "第二则简讯的正文" in two.parts[1].html and "第一则" not in two.parts[1].html


def test_data_table_and_bars(small_issue):
    figures = article(small_issue, "figures.md")
    table = figures.data
    assert table.columns == ("指标", "余额", "增幅（%）")
    assert table.numeric("余额") and table.numeric("增幅（%）") and not table.numeric("指标")
    assert [(b.label, b.value) for b in table.bars] == [("存款", 120.5), ("贷款", 80.25)]
    assert table.bars[0].fraction == 1.0 and table.bars[1].fraction == pytest.approx(80.25 / 120.5)


def test_bom_and_crlf_are_accepted(small_issue):
    path = small_issue / "articles" / "two.md"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert [p.heading for p in article(small_issue, "two.md").parts] == ["第一则", "第二则"]


def test_gb18030_is_detected_and_named(small_issue):
    write(small_issue, "two.md", "---\ntitle: 简讯\n---\n\n正文。\n", encoding="gb18030")
    [problem] = problems(small_issue)
    assert "not UTF-8" in problem.message and "GB18030" in problem.hint
    assert problem.file.name == "two.md"


def test_empty_article(small_issue):
    write(small_issue, "two.md", "")
    [problem] = problems(small_issue)
    assert "empty" in problem.message


def test_front_matter_problems_are_located(small_issue):
    write(small_issue, "two.md", "---\ntitle: 简讯\nauthour: 某人\n---\n\n正文。\n")
    [problem] = problems(small_issue)
    assert problem.line == 3 and "unknown key 'authour'" in problem.message and "author" in problem.hint


def test_broken_front_matter(small_issue):
    write(small_issue, "two.md", "---\ntitle: [简讯\n---\n\n正文。\n")
    [problem] = problems(small_issue)
    assert "YAML syntax error" in problem.message and problem.file.name == "two.md"
    write(small_issue, "two.md", "正文没有前言。\n")
    [problem] = problems(small_issue)
    assert "missing front matter" in problem.message


def test_missing_picture_names_file_and_line(small_issue):
    write(small_issue, "two.md", "---\ntitle: 简讯\n---\n\n正文。\n\n![说明](nowhere)\n")
    [problem] = problems(small_issue)
    assert problem.file.name == "two.md" and problem.line == 7
    assert "picture not found: nowhere" in problem.message and "photo" in problem.hint


def test_picture_outside_issue_is_refused(small_issue):
    write(small_issue, "two.md", "---\ntitle: 简讯\n---\n\n![x](../../../etc/hostname)\n")
    [problem] = problems(small_issue)
    assert "picture not found" in problem.message


def test_truncated_picture(small_issue):
    photo = small_issue / "images" / "photo.jpg"
    photo.write_bytes(photo.read_bytes()[:200])
    found = problems(small_issue)
    assert any("not a readable picture" in p.message for p in found)


def test_csv_problems(small_issue):
    csv = small_issue / "data" / "figures.csv"
    csv.write_text("指标,余额\n存款,很多\n", encoding="utf-8")
    [problem] = problems(small_issue)
    assert problem.file == csv.resolve() or problem.file.name == "figures.csv"
    assert problem.line == 2 and "not a number" in problem.message
    csv.write_text("名称,余额\n存款,1\n", encoding="utf-8")
    [problem] = problems(small_issue)
    assert "column '指标'" in problem.message and problem.file.name == "figures.md"


def test_data_layout_needs_data(small_issue):
    write(small_issue, "figures.md", "---\ntitle: 数据\nlayout: data\n---\n\n正文。\n")
    [problem] = problems(small_issue)
    assert "needs a data: entry" in problem.message


def test_unknown_layout_in_front_matter(small_issue):
    write(small_issue, "figures.md", "---\ntitle: 数据\nlayout: poster\n---\n\n正文。\n")
    [problem] = problems(small_issue)
    assert problem.line == 3 and "unknown layout 'poster'" in problem.message


def test_problems_of_several_articles_are_collected(small_issue):
    write(small_issue, "two.md", "")
    write(small_issue, "figures.md", "---\ntitle: 数据\nlayout: poster\n---\n")
    assert len(problems(small_issue)) == 2
