"""Rendering: bundled fonts only, sandboxed resource loading, padding for the binding."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader

from magazine.build import build_issue
from magazine.errors import MagazineError
from tests.pdftext import read_pages


def font_names(pdf: Path) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def add_article(folder: Path, body: str) -> None:
    path = folder / "articles" / "two.md"
    path.write_text("---\ntitle: 简讯两则\n---\n\n" + body, encoding="utf-8")


def test_only_bundled_fonts_even_when_css_asks_for_others(small_issue, tmp_path):
    css = "font-family: DejaVu Sans, Liberation Serif, serif"
    add_article(small_issue, f'<p style="{css}">Latin text 123 and 中文</p>\n')
    result = build_issue(small_issue, tmp_path / "out")
    names = font_names(result.pdf)
    assert names and all(name.startswith("Noto-S") for name in names), names


def test_small_issue_is_padded_to_a_multiple_of_four(small_issue, tmp_path):
    result = build_issue(small_issue, tmp_path / "out")
    pages = read_pages(result.pdf)
    assert len(pages) % 4 == 0 and result.pages == len(pages)
    assert "测试银行" in "".join(pages[-1].whole.split())  # the back cover stays last
    padding = [p for p in pages[-1 - result.padding_pages:-1]]
    assert all(p.whole.strip() == "" for p in padding)


def test_file_outside_the_issue_is_refused(small_issue, tmp_path):
    add_article(small_issue, '<img src="file:///etc/hostname">\n')
    with pytest.raises(MagazineError) as caught:
        build_issue(small_issue, tmp_path / "out")
    assert "refused" in str(caught.value)
    assert not (tmp_path / "out" / "small-print.pdf").exists()


def test_network_is_never_contacted(small_issue, tmp_path):
    contacted = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            contacted.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/picture.png"
        add_article(small_issue, f'<img src="{url}">\n')
        with pytest.raises(MagazineError) as caught:
            build_issue(small_issue, tmp_path / "out")
        assert "no network" in str(caught.value)
    finally:
        server.shutdown()
    assert contacted == []


def test_previous_pdf_survives_a_failed_build(small_issue, tmp_path):
    out = tmp_path / "out"
    first = build_issue(small_issue, out)
    before = first.pdf.read_bytes()
    add_article(small_issue, '<img src="file:///etc/hostname">\n')
    with pytest.raises(MagazineError):
        build_issue(small_issue, out)
    assert first.pdf.read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["small-print.pdf"]
