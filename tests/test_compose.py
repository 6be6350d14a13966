"""Composition: templates get the typed model; template mistakes are located."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from magazine.compose import compose, qr_data_uri
from magazine.content import load_content
from magazine.errors import MagazineError
from magazine.manifest import load_manifest
from magazine.themes import LAYOUTS


def own_theme(issue: Path) -> Path:
    theme = issue / "theme"
    shutil.copytree(LAYOUTS / "default", theme)
    text = (issue / "issue.yaml").read_text(encoding="utf-8")
    (issue / "issue.yaml").write_text("theme: ./theme\n" + text, encoding="utf-8")
    return theme


def test_document_structure(small_issue):
    html = compose(load_content(load_manifest(small_issue))).html
    assert '<html lang="zh-Hans">' in html
    assert html.count('class="divider"') == 2
    assert 'id="a-one"' in html and 'href="#a-one"' in html
    assert "device-cmyk(1 0.6 0 0.1)" in html  # the section accent from the manifest
    assert 'data-running="01 『要闻』"' in html


def test_template_syntax_error_names_file_and_line(small_issue):
    theme = own_theme(small_issue)
    brief = theme / "articles" / "brief.html.j2"
    lines = brief.read_text(encoding="utf-8").splitlines()
    lines[4] += " {% if %}"
    brief.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(MagazineError) as caught:
        compose(load_content(load_manifest(small_issue)))
    [problem] = caught.value.problems
    assert problem.file.name == "brief.html.j2" and problem.line == 5
    assert "template syntax error" in problem.message


def test_a_designer_can_add_a_layout_without_python(small_issue):
    theme = own_theme(small_issue)
    (theme / "articles" / "poster.html.j2").write_text(
        '<article class="article poster" id="{{ article.anchor }}"><h1 class="article-title">'
        "{{ article.title }}</h1>{{ article.body | html }}</article>\n", encoding="utf-8")
    text = (small_issue / "issue.yaml").read_text(encoding="utf-8")
    (small_issue / "issue.yaml").write_text(text.replace("layout: brief", "layout: poster"), encoding="utf-8")
    html = compose(load_content(load_manifest(small_issue))).html
    assert '<article class="article poster" id="a-two">' in html


def test_qr_code_is_a_png():
    uri = qr_data_uri("https://www.shxibank.com")
    assert uri.startswith("data:image/png;base64,")
