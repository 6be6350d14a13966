"""Chinese typography, measured on rendered PDFs (glyph positions, not screenshots)."""

from __future__ import annotations

import pytest

from magazine.render import _weasyprint
from tests.measure import chars, lines

PARAGRAPH = (
    "5月31日,国务院印发《扎实稳住经济的一揽子政策措施》(以下简称《一揽子政策措施》),努力推动经济回归正常"
    "轨道,确保运行在合理区间,采取一揽子针对性强、有力有效的区间调控举措,稳住经济盘。Latin words like "
    "WeasyPrint and 2022年 stay whole, <b>粗体字</b>也可以。这五项措施是5月23日召开的国务院常务会议提出的"
    "金融措施的细化版,分别为金融纾困、普惠小微贷款,新增了利率、资本市场、基建融资政策。"
)


def render(body: str, css: str = "") -> bytes:
    weasyprint = _weasyprint()
    html = (
        '<html lang="zh-Hans"><style>@page { size: 120mm 200mm; margin: 10mm }'
        ' p { font-family: "Noto Serif CJK SC"; font-size: 10pt; line-height: 1.7; margin: 0 0 8pt;'
        f' text-indent: 2em }} {css}</style>{body}</html>'
    )
    return weasyprint.HTML(string=html).write_pdf()


def test_chinese_lines_end_flush():
    pdf = render(f'<p style="text-align: justify">{PARAGRAPH}</p>')
    found = lines(pdf)
    assert len(found) >= 6
    right_edge = max(line.end for line in found)
    for line in found[:-1]:
        assert line.end == pytest.approx(right_edge, abs=0.5), line.text
    assert found[-1].end < right_edge - 5  # the last line stays ragged


def test_without_justification_lines_are_ragged():
    found = lines(render(f'<p style="text-align: left">{PARAGRAPH}</p>'))
    ends = [line.right for line in found[:-1]]
    assert max(ends) - min(ends) > 3


def test_text_is_unchanged_by_justification():
    def text(pdf: bytes) -> str:
        return "".join(c.char for c in chars(pdf) if not c.char.isspace())

    assert text(render(f'<p style="text-align: justify">{PARAGRAPH}</p>')) == \
        text(render(f'<p style="text-align: left">{PARAGRAPH}</p>'))


def test_latin_words_are_not_spread():
    def width_of(word: str, pdf: bytes) -> float:
        drawn = chars(pdf)
        text = "".join(c.char for c in drawn)
        start = text.index(word)
        return drawn[start + len(word) - 1].right - drawn[start].left

    justified = render(f'<p style="text-align: justify">{PARAGRAPH}</p>')
    ragged = render(f'<p style="text-align: left">{PARAGRAPH}</p>')
    for word in ("WeasyPrint", "2022"):
        assert width_of(word, justified) == pytest.approx(width_of(word, ragged), abs=0.05)


def test_latin_only_lines_keep_weasyprints_word_spacing():
    english = "The quick brown fox jumps over the lazy dog and keeps running through the field " * 4
    found = lines(render(f'<p style="text-align: justify; text-indent: 0">{english}</p>'))
    right_edge = max(line.right for line in found)
    assert all(line.right == pytest.approx(right_edge, abs=0.5) for line in found[:-1])


def test_justification_refuses_another_weasyprint(monkeypatch):
    import weasyprint

    from magazine.errors import MagazineError
    from magazine.typography import linelayout as justify

    monkeypatch.setattr(justify, "_installed", False)
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(MagazineError) as caught:
        justify.install()
    assert "written for WeasyPrint 70.0" in str(caught.value)


# ---------------------------------------------------------------------------
# Rules on text and markup

from magazine.typography.markup import typeset_html  # noqa: E402
from magazine.typography.rules import normalise_punctuation, punctuation_changes  # noqa: E402

RULES_CSS = ".cjk-gap { margin-left: 0.25em } .cjk-keep { white-space: nowrap }"


@pytest.mark.parametrize("source, expected", [
    ("国务院印发《措施》(以下简称《措施》),努力推动.", "国务院印发《措施》（以下简称《措施》），努力推动。"),
    ("问题:是否可行?可行!", "问题：是否可行？可行！"),
    ('开展"粽情端午"主题活动', "开展“粽情端午”主题活动"),
    ("他说'好'。", "他说‘好’。"),
    ("然后, 下一句", "然后，下一句"),
    ("增长3.5%,共1,000户,时间10:30", "增长3.5%，共1,000户，时间10:30"),
    ("网址www.shxibank.com,欢迎", "网址www.shxibank.com，欢迎"),
    ("Latin text, with (parens) and \"quotes\". Don't.", "Latin text, with (parens) and \"quotes\". Don't."),
])
def test_punctuation_normalisation(source, expected):
    assert normalise_punctuation(source) == expected


def test_changes_have_offsets():
    [change] = punctuation_changes("第一,第二")
    assert (change.offset, change.old, change.new) == (2, ",", "，")


def test_markup_gaps_keeps_and_untouched_code():
    html = typeset_html("<p>采用O2O思维和<strong>2022</strong>年的模式</p><pre>a, 中</pre>")
    assert html.count('<span class="cjk-gap"></span>') == 4
    assert '<span class="cjk-keep">模式</span></p>' in html
    assert "<pre>a, 中</pre>" in html
    assert typeset_html("<p>中文 2022 年</p>").count("cjk-gap") == 0  # the source has spaces


def render_typeset(body: str, css: str = "") -> bytes:
    return render(typeset_html(body), RULES_CSS + css)


def positions(pdf: bytes) -> dict[str, float]:
    """Left edge of the first occurrence of each character."""
    found: dict[str, float] = {}
    for c in chars(pdf):
        found.setdefault(c.char, c.left)
    return found


def test_adjacent_marks_take_one_and_a_half_em():
    body = "<p style='text-indent: 0'>他说好。”然后走。</p>"
    compressed = positions(render_typeset(body))
    full = positions(render_typeset(body, "p { --cjk-compress: none }"))
    assert compressed["然"] - compressed["。"] == pytest.approx(15, abs=0.3)  # 10 pt type: 1.5 em
    assert full["然"] - full["。"] == pytest.approx(20, abs=0.3)


def test_quarter_em_between_han_and_latin():
    pdf = render_typeset("<p style='text-indent: 0'>中文2022年</p>")
    drawn = chars(pdf)
    assert [c.char for c in drawn][:3] == ["中", "文", "2"]
    assert drawn[2].left - drawn[1].right == pytest.approx(2.5, abs=0.3)
    assert drawn[6].left - drawn[5].right == pytest.approx(2.5, abs=0.3)  # 2022|年
    plain = chars(render("<p style='text-indent: 0'>中文2022年</p>"))
    assert plain[2].left - plain[1].right == pytest.approx(0, abs=0.3)


@pytest.mark.parametrize("width", range(54, 140, 7))
def test_no_gap_at_the_start_or_end_of_a_line(width):
    text = "一二三四Word五六七八九2022年十一二三四APP五六七八九十O2O一二三"
    pdf = render_typeset(f"<p style='width: {width}pt; text-indent: 0; text-align: justify'>{text}</p>")
    found = lines(pdf)
    assert len(found) > 1
    start = found[0].left
    right = max(line.end for line in found)
    for line in found:
        assert line.left == pytest.approx(start, abs=0.2), line.text
    for line in found[:-1]:
        if len(line.text.strip()) > 1:
            assert line.end == pytest.approx(right, abs=0.5), line.text


def test_no_lone_character_on_the_last_line():
    text = "一二三四五六七八九十" * 2 + "尾"  # 21 characters in 10 em lines: 尾 alone without the rule
    plain = lines(render(f"<p style='width: 100pt; text-indent: 0'>{text}</p>"))
    kept = lines(render_typeset(f"<p style='width: 100pt; text-indent: 0'>{text}</p>"))
    assert plain[-1].text.strip() == "尾"
    assert len(kept[-1].text.strip()) >= 2


def test_no_line_starts_with_a_closing_mark():
    text = "一二三四五，六七八九十。一二三四五：六七“八九”十一二三四五》六"
    pdf = render_typeset(f"<p style='width: 50pt; text-indent: 0'>{text}</p>")
    for line in lines(pdf):
        assert line.text[0] not in "，。：”》", line.text


# ---------------------------------------------------------------------------
# Glyph coverage and the house-style lint, through the command line

from typer.testing import CliRunner  # noqa: E402

from cli import app  # noqa: E402

runner = CliRunner()


def write_two(issue, body: str) -> None:
    (issue / "articles" / "two.md").write_text(f"---\ntitle: 简讯两则\n---\n\n{body}\n", encoding="utf-8")


def test_character_outside_the_fonts_stops_the_build(small_issue, tmp_path):
    write_two(small_issue, "第一段。\n\n笑脸😀在这里。")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(small_issue), "--out", str(out)])
    assert result.exit_code == 2
    assert "two.md:7:3: error: character '😀' (U+1F600 GRINNING FACE) is in none of the bundled fonts" \
        in result.output
    assert "add a font or a fallback face" in result.output
    assert not out.exists()
    allowed = runner.invoke(app, ["build", str(small_issue), "--out", str(out), "--allow-missing-glyphs", "-q"])
    assert allowed.exit_code == 0, allowed.output
    assert "U+1F600" in allowed.output and (out / "small-print.pdf").is_file()


def test_check_reports_house_style_with_locations(small_issue):
    write_two(small_issue, "银行的信货产品,非常丰富。\n\n全角ＡＢＣ和重复，，标点。\n\n中文  之间")
    result = runner.invoke(app, ["check", str(small_issue)])
    assert result.exit_code == 0  # warnings only
    out = result.output
    assert "two.md:5:8: warning: punctuation: ',' in Chinese text: use '，'" in out
    assert "two.md:5:4: warning: house-dictionary: '信货': house style is '信贷'" in out
    assert "two.md:7:3: warning: full-width-latin: full-width 'Ａ': use 'A'" in out
    assert "two.md:7:9: warning: repeated-punctuation: repeated '，'" in out
    assert "two.md:9:3: warning: spaces: more than one space" in out
    # Keys of the manifest and front matter are not text.
    assert "issue.yaml" not in out and "two.md:2:" not in out


def test_check_json_and_errors(small_issue):
    write_two(small_issue, "笑脸😀,在这里。")
    result = runner.invoke(app, ["check", str(small_issue), "--json"])
    assert result.exit_code == 1
    import json

    report = json.loads(result.stdout)
    assert report["errors"] == 1
    rules = {f["rule"] for f in report["findings"]}
    assert "punctuation" in rules


def test_check_fix_rewrites_only_the_unambiguous(small_issue):
    write_two(small_issue, "银行的信货产品,非常丰富。货款到账。ＡＢ")
    result = runner.invoke(app, ["check", str(small_issue), "--fix"])
    assert result.exit_code == 0
    assert "-银行的信货产品,非常丰富。货款到账。ＡＢ" in result.output
    assert "+银行的信贷产品，非常丰富。货款到账。AB" in result.output
    text = (small_issue / "articles" / "two.md").read_text(encoding="utf-8")
    assert "银行的信贷产品，非常丰富。货款到账。AB" in text  # 货款 may be right: only reported
    again = runner.invoke(app, ["check", str(small_issue)])
    assert "信货" not in again.output and "'货款'" in again.output


def test_fonts_command_lists_coverage():
    result = runner.invoke(app, ["fonts"])
    assert result.exit_code == 0
    assert "Noto Serif CJK SC" in result.output and "6763/6763" in result.output


def test_no_widow_or_orphan_lines():
    def page_counts(text: str, widows: int) -> list[int]:
        css = (f"@page {{ size: 120mm 80mm; margin: 10mm }} p {{ line-height: 17pt; orphans: {widows};"
               f" widows: {widows} }} html {{ font-size: 10pt }}")
        found = lines(render(f"<p style='text-indent: 0'>{text}</p>", css))
        return [sum(1 for line in found if line.page == page) for page in range(found[-1].page + 1)]

    probe = "一二三四五六七八九十" * 40
    capacity = page_counts(probe, 1)[0]
    per_line = len(lines(render(f"<p style='text-indent: 0; width: 100mm'>{'一' * 100}</p>"))[0].text)
    text = "一" * (per_line * capacity + per_line // 2)  # one line more than a page holds
    assert page_counts(text, 1) == [capacity, 1]  # without the rule: a widow
    assert page_counts(text, 2) == [capacity - 1, 2]
