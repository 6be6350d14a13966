"""``magazine catalogue``: a picture of each page layout of a theme, so a designer can choose
by looking. Builds an issue (the sample by default), finds the first page of each kind —
cover, inside cover, contents, imprint, section divider, one article per article layout,
back cover — and writes ``layouts/<theme>/catalogue/<kind>.png`` and a README listing them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

from .build import build_issue, write_atomic
from .content import load_content
from .manifest import load_manifest

SPECIAL_PAGES = {
    "cover": ("cover", "封面：整版插图、刊名、期号、封面导读"),
    "inside-cover": ("inside-cover", "封二：零售文化，诗行排列"),
    "contents": ("contents", "目录：栏目编号与中英文栏目名，文章与页码"),
    "imprint": ("imprint", "版权页：主办、编印、期号"),
    "divider": ("section-01", "栏目扉页：满版栏目色、巨大的栏目编号"),
    "back-cover": ("back-cover", "封底：行名、公众号、网址与二维码"),
}
ARTICLE_NOTES = {
    "feature": "专题：标题、导语、双栏正文、编号小标题、金句与案例框",
    "news": "短讯：接排在上一篇之后的短稿",
    "brief": "简讯：多条短讯，细线分隔",
    "gallery": "风采：分行图片与文字",
    "data": "数据：表格与条形图，示例数据有标注",
}


@dataclass(frozen=True)
class CatalogueEntry:
    kind: str
    page: int
    image: Path
    note: str


def make_catalogue(issue_folder: Path | str, out_dir: Path | None = None, *, dpi: int = 40) -> list[CatalogueEntry]:
    """Render one page of each layout of the issue's theme into the theme's catalogue folder."""
    issue = load_manifest(issue_folder)
    content = load_content(issue)
    folder = out_dir or issue.theme.folder / "catalogue"
    built = build_issue(issue_folder, folder / ".build")
    destinations = PdfReader(built.pdf).named_destinations
    reader = PdfReader(built.pdf)
    wanted: list[tuple[str, str, str]] = [(kind, anchor, note) for kind, (anchor, note) in SPECIAL_PAGES.items()]
    seen = set()
    for article in content.articles:
        if article.layout not in seen:
            seen.add(article.layout)
            wanted.insert(-1, (article.layout, article.anchor, ARTICLE_NOTES.get(article.layout, article.layout)))
    entries = []
    document = pdfium.PdfDocument(built.pdf)
    try:
        for kind, anchor, note in wanted:
            destination = destinations.get(anchor)
            if destination is None:
                continue
            index = reader.get_destination_page_number(destination)
            page = document[index]
            left, bottom, right, top = page.get_trimbox()
            width, height = page.get_size()
            media_left, media_bottom, _, _ = page.get_mediabox()
            crop = (left - media_left, bottom - media_bottom, width - (right - media_left),
                    height - (top - media_bottom))
            image = page.render(scale=dpi / 72, crop=crop).to_pil()
            target = folder / f"{kind}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            image.save(target, optimize=True)
            entries.append(CatalogueEntry(kind, index + 1, target, note))
    finally:
        document.close()
    lines = [f"# Layout catalogue — theme `{issue.theme.name}`", "",
             f"One page of each layout, from the issue `{issue.id}` (made by `magazine catalogue`).", "",
             "| layout | page | what |", "| --- | --- | --- |"]
    lines += [f"| `{e.kind}` ![{e.kind}]({e.image.name}) | {e.page} | {e.note} |" for e in entries]
    write_atomic(folder / "README.md", ("\n".join(lines) + "\n").encode("utf-8"))
    for leftover in (folder / ".build").glob("*"):
        leftover.unlink()
    (folder / ".build").rmdir()
    return entries
