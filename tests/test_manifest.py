"""Manifest loading: a valid manifest becomes a typed model; every mistake is located."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from magazine.errors import MagazineError
from magazine.manifest import load_manifest
from magazine.units import Colour, Length
from tests.conftest import SAMPLE


def problems(folder: Path) -> list:
    with pytest.raises(MagazineError) as caught:
        load_manifest(folder)
    return caught.value.problems


def edit(folder: Path, old: str, new: str) -> None:
    manifest = folder / "issue.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text, old
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(folder: Path, fragment: str) -> int:
    lines = (folder / "issue.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if fragment in line)


def test_sample_manifest_loads_into_a_typed_model():
    issue = load_manifest(SAMPLE)
    m = issue.manifest
    assert issue.id == "2022-06"
    assert m.magazine.title == "零售动态"
    assert m.issue.label == "总第09期" and m.issue.number == 9
    assert m.issue.date == dt.date(2022, 6, 15) and m.issue.printed_date == "2022.06"
    assert m.format.width == Length(210, "mm") and m.format.bleed.mm == pytest.approx(3)
    assert [s.number for s in m.sections] == ["01", "02", "03", "04", "05", "06"]
    assert isinstance(m.sections[0].accent, Colour)
    assert sum(len(s.articles) for s in m.sections) == 12
    assert len(m.inside_cover.verses) == 8


def test_defaults_apply(small_issue):
    m = load_manifest(small_issue).manifest
    assert m.format.width.mm == pytest.approx(210) and m.format.height.mm == pytest.approx(285)
    assert m.format.binding == "saddle-stitch" and m.theme == "default"
    assert m.issue.date == dt.date(2024, 3, 1)


def test_unknown_key_is_located_with_a_suggestion(small_issue):
    edit(small_issue, "  subtitle: test monthly", "  subtitel: test monthly")
    [problem] = problems(small_issue)
    assert problem.line == line_of(small_issue, "subtitel")
    assert "unknown key 'subtitel'" in problem.message
    assert "subtitle" in problem.hint
    assert str(problem).startswith(f"{small_issue / 'issue.yaml'}:{problem.line}:")


def test_wrong_type_names_field_found_and_expected(small_issue):
    edit(small_issue, "number: 1", "number: first")
    [problem] = problems(small_issue)
    assert problem.field == "issue.number"
    assert problem.line == line_of(small_issue, "number: first")
    assert "'first'" in problem.message and "integer" in problem.message


def test_missing_required_key(small_issue):
    edit(small_issue, "  publisher: 测试银行\n", "")
    [problem] = problems(small_issue)
    assert "missing required key 'publisher'" in problem.message
    assert problem.field == "magazine"


def test_bad_colour_and_bad_length(small_issue):
    edit(small_issue, "accent: C100 M60 Y0 K10", "accent: blue")
    edit(small_issue, "issue:\n", "format:\n  bleed: 3 millimetres\nissue:\n")
    found = problems(small_issue)
    assert {p.field for p in found} == {"sections[0].accent", "format.bleed"}
    colour = next(p for p in found if p.field == "sections[0].accent")
    assert colour.line == line_of(small_issue, "accent: blue") and "CMYK" in colour.message
    length = next(p for p in found if p.field == "format.bleed")
    assert "3mm" in length.message


def test_missing_article_file(small_issue):
    edit(small_issue, "articles/two.md", "articles/tow.md")
    [problem] = problems(small_issue)
    assert problem.line == line_of(small_issue, "articles/tow.md")
    assert "article not found" in problem.message and "two.md" in problem.hint


def test_paths_may_not_leave_the_issue_folder(small_issue):
    edit(small_issue, "articles/two.md", "../../etc/passwd")
    [problem] = problems(small_issue)
    assert "outside the issue folder" in problem.message


def test_duplicate_article_ids(small_issue):
    edit(small_issue, "      - file: articles/figures.md", "      - file: articles/figures.md\n        id: twice")
    edit(small_issue, "      - file: articles/one.md", "      - file: articles/one.md\n        id: twice")
    [problem] = problems(small_issue)
    assert "duplicate article id 'twice'" in problem.message


def test_duplicate_yaml_key(small_issue):
    edit(small_issue, "  label: 总第01期", "  label: 总第01期\n  label: 总第02期")
    [problem] = problems(small_issue)
    assert "duplicate key 'label'" in problem.message
    assert problem.line == line_of(small_issue, "总第02期")


def test_unknown_layout(small_issue):
    edit(small_issue, "layout: brief", "layout: briefs")
    [problem] = problems(small_issue)
    assert "unknown layout 'briefs'" in problem.message and "brief" in problem.hint


def test_unknown_theme(small_issue):
    edit(small_issue, "magazine:", "theme: fancy\nmagazine:")
    [problem] = problems(small_issue)
    assert problem.field == "theme" and "unknown theme 'fancy'" in problem.message


def test_yaml_syntax_error_has_a_line(small_issue):
    edit(small_issue, "  title: 测试月刊", "  title: [测试月刊")
    [problem] = problems(small_issue)
    assert "YAML syntax error" in problem.message
    assert problem.line is not None


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("- a\n- b\n", "must be a mapping"),
])
def test_empty_or_not_a_mapping(small_issue, text, message):
    (small_issue / "issue.yaml").write_text(text, encoding="utf-8")
    [problem] = problems(small_issue)
    assert message in problem.message


def test_several_problems_are_reported_together(small_issue):
    edit(small_issue, "  subtitle: test monthly", "  subtitel: test monthly")
    edit(small_issue, "number: 1", "number: -3")
    assert len(problems(small_issue)) == 2


def test_missing_folder_and_manifest(tmp_path):
    assert "not found" in problems(tmp_path / "nowhere")[0].message
    assert "no issue.yaml" in problems(tmp_path)[0].message


@pytest.mark.parametrize("text, expected", [
    ("C0 M95 Y85 K5", (0, 0.95, 0.85, 0.05)),
    ("device-cmyk(0 0.95 0.85 0.05)", (0, 0.95, 0.85, 0.05)),
    ("cmyk(100%, 0%, 50%, 0%)", (1, 0, 0.5, 0)),
])
def test_colour_notations(text, expected):
    colour = Colour.parse(text)
    assert (colour.c, colour.m, colour.y, colour.k) == pytest.approx(expected)
    assert colour.css().startswith("device-cmyk(")


@pytest.mark.parametrize("text", ["C120 M0 Y0 K0", "#ff0000", "cmyk(1 2 3)"])
def test_bad_colours(text):
    with pytest.raises(ValueError):
        Colour.parse(text)


def test_lengths():
    assert Length.parse("3mm").points == pytest.approx(8.5039, abs=1e-3)
    assert Length.parse("1in").mm == pytest.approx(25.4)
    assert Length.parse(0).points == 0
    for bad in ("3", 3, "3 miles"):
        with pytest.raises(ValueError):
            Length.parse(bad)
