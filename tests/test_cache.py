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


def make_change(issue: Path, change: str) -> None:
    """Change one input of the themed small issue (the font: see ``restore_font``)."""
    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    if change == "article":  # 壹: a character the issue did not have
        edit(issue / "articles" / "two.md", "第一则简讯", "第壹则简讯")
    elif change == "data":
        edit(issue / "data" / "figures.csv", "120.5", "121.5")
    elif change == "picture":
        from PIL import Image

        Image.new("RGB", (1200, 800), (10, 200, 90)).save(issue / "images" / "photo.jpg")
    elif change == "css":
        css = issue / "theme" / "css" / "30-articles.css"
        css.write_text(css.read_text(encoding="utf-8") + "\n.kicker { letter-spacing: 0.3em; }\n", encoding="utf-8")
    elif change == "template":
        edit(issue / "theme" / "pages" / "back-cover.html.j2", "官方网址", "网址")
    elif change in ("manifest", "cover"):
        edit(issue / "issue.yaml", "封面标题", "新的封面标题")
    elif change == "section title":
        edit(issue / "issue.yaml", "title: 数据", "title: 数字")
    elif change == "font":
        touch_later(FONT)  # a font replaced (its checksum is verified separately)
    else:
        raise ValueError(change)


FONT = next(FONTS_DIR.glob("*.otf"))


@pytest.fixture
def restore_font():
    before = FONT.stat()
    yield
    os.utime(FONT, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("change", ["article", "picture", "css", "template", "manifest", "font", "output"])
def test_any_change_is_noticed(themed_issue, tmp_path, change, restore_font):
    out = tmp_path / "out"
    first = build_issue(themed_issue, out)
    first_bytes = first.pdf.read_bytes()
    assert build_issue(themed_issue, out).up_to_date
    if change == "output":
        first.pdf.write_bytes(first.pdf.read_bytes() + b"\n% edited by hand\n")
    else:
        make_change(themed_issue, change)
    second = build_issue(themed_issue, out)
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
def test_a_change_lays_out_exactly_the_parts_that_depend_on_it(themed_issue, tmp_path, monkeypatch, restore_font,
                                                              change, expected):
    monkeypatch.setenv("MAGAZINE_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    first = build_issue(themed_issue, out)
    parts, laid_out = first.parts["print"]
    assert set(parts) == set(laid_out) == SMALL_PARTS
    make_change(themed_issue, change)
    second = build_issue(themed_issue, out)
    assert set(second.parts["print"][1]) == expected
    # and the result is what a build without any cache makes
    monkeypatch.setenv("MAGAZINE_CACHE", str(tmp_path / "fresh-cache"))
    fresh = build_issue(themed_issue, tmp_path / "fresh", use_cache=False)
    assert fresh.pdf.read_bytes() == second.pdf.read_bytes()
