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
    right_edge = max(line.right for line in found)
    for line in found[:-1]:
        assert line.right == pytest.approx(right_edge, abs=0.5), line.text
    assert found[-1].right < right_edge - 5  # the last line stays ragged


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
