"""Caches: cached and uncached builds are identical; any change to an input is noticed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from magazine.build import build_issue
from magazine.fonts import FONTS_DIR
from magazine.themes import LAYOUTS


@pytest.fixture
def themed_issue(small_issue: Path) -> Path:
    shutil.copytree(LAYOUTS / "default", small_issue / "theme")
    manifest = small_issue / "issue.yaml"
    manifest.write_text("theme: ./theme\n" + manifest.read_text(encoding="utf-8"), encoding="utf-8")
    return small_issue


def test_cached_and_uncached_builds_are_identical(themed_issue, tmp_path, monkeypatch):
    warm = build_issue(themed_issue, tmp_path / "a", editions=("print", "screen"))
    again = build_issue(themed_issue, tmp_path / "a", editions=("print", "screen"))
    assert again.up_to_date and again.outputs == warm.outputs
    monkeypatch.setenv("MAGAZINE_CACHE", str(tmp_path / "empty-cache"))  # pictures converted anew, etc.
    cold = build_issue(themed_issue, tmp_path / "b", editions=("print", "screen"), use_cache=False)
    assert not cold.up_to_date
    for edition in ("print", "screen"):
        assert cold.outputs[edition].read_bytes() == warm.outputs[edition].read_bytes()


def touch_later(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.mark.parametrize("change", ["article", "picture", "css", "template", "manifest", "font", "output"])
def test_any_change_is_noticed(themed_issue, tmp_path, change):
    out = tmp_path / "out"
    first = build_issue(themed_issue, out)
    first_bytes = first.pdf.read_bytes()
    assert build_issue(themed_issue, out).up_to_date
    if change == "article":
        path = themed_issue / "articles" / "two.md"
        path.write_text(path.read_text(encoding="utf-8").replace("第一则", "第壹则"), encoding="utf-8")
    elif change == "picture":
        from PIL import Image

        Image.new("RGB", (1200, 800), (10, 200, 90)).save(themed_issue / "images" / "photo.jpg")
    elif change == "css":
        css = themed_issue / "theme" / "css" / "30-articles.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n.kicker { letter-spacing: 0.3em; }\n", encoding="utf-8")
    elif change == "template":
        template = themed_issue / "theme" / "pages" / "back-cover.html.j2"
        template.write_text(template.read_text(encoding="utf-8").replace("官方网址", "网址"), encoding="utf-8")
    elif change == "manifest":
        manifest = themed_issue / "issue.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8").replace("封面标题", "新的封面标题"), encoding="utf-8")
    elif change == "font":
        font = next(FONTS_DIR.glob("*.otf"))
        before = font.stat()
        touch_later(font)  # a font replaced (its checksum is verified separately)
    elif change == "output":
        first.pdf.write_bytes(first.pdf.read_bytes() + b"\n% edited by hand\n")
    try:
        second = build_issue(themed_issue, out)
    finally:
        if change == "font":
            os.utime(font, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not second.up_to_date
    if change in ("article", "picture", "css", "template", "manifest"):
        assert second.pdf.read_bytes() != first_bytes


SMALL_PARTS = {"front", "contents", "section-01", "section-02", "back"}


@pytest.mark.parametrize(("change", "expected"), [
    ("article", {"section-01"}),
    ("data", {"section-02"}),
    ("picture", {"section-01"}),
    ("css", SMALL_PARTS),
    ("template", {"back"}),
    ("font", SMALL_PARTS),
    ("cover", {"front"}),
    ("section title", {"front", "contents", "section-02"}),  # front: the PDF's keywords list the sections
])
def test_a_change_lays_out_exactly_the_parts_that_depend_on_it(themed_issue, tmp_path, monkeypatch, change, expected):
    monkeypatch.setenv("MAGAZINE_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    first = build_issue(themed_issue, out)
    parts, laid_out = first.parts["print"]
    assert set(parts) == set(laid_out) == SMALL_PARTS
    font = next(FONTS_DIR.glob("*.otf"))
    before = font.stat()
    if change == "article":
        path = themed_issue / "articles" / "two.md"
        path.write_text(path.read_text(encoding="utf-8").replace("第一则简讯", "第壹则简讯"), encoding="utf-8")
    elif change == "data":
        path = themed_issue / "data" / "figures.csv"
        path.write_text(path.read_text(encoding="utf-8").replace("120.5", "121.5"), encoding="utf-8")
    elif change == "picture":
        from PIL import Image

        Image.new("RGB", (1200, 800), (10, 200, 90)).save(themed_issue / "images" / "photo.jpg")
    elif change == "css":
        css = themed_issue / "theme" / "css" / "30-articles.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n.kicker { letter-spacing: 0.3em; }\n", encoding="utf-8")
    elif change == "template":
        template = themed_issue / "theme" / "pages" / "back-cover.html.j2"
        template.write_text(template.read_text(encoding="utf-8").replace("官方网址", "网址"), encoding="utf-8")
    elif change == "font":
        touch_later(font)
    else:
        manifest = themed_issue / "issue.yaml"
        old, new = ("封面标题", "新的封面标题") if change == "cover" else ("title: 数据", "title: 数字")
        manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    try:
        second = build_issue(themed_issue, out)
    finally:
        os.utime(font, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert set(second.parts["print"][1]) == expected
    # and the result is what a build without any cache makes
    monkeypatch.setenv("MAGAZINE_CACHE", str(tmp_path / "fresh-cache"))
    fresh = build_issue(themed_issue, tmp_path / "fresh", use_cache=False)
    assert fresh.pdf.read_bytes() == second.pdf.read_bytes()
