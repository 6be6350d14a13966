"""Articles: Markdown with YAML front matter → typed Article models with HTML fragments.

Conventions (see docs/articles.md): ``## 01 words`` is a numbered sub-head; ``::: case``,
``::: quote`` and ``::: box`` fence tinted panels; ``![caption](key)`` places a picture
named in the manifest's ``images`` (or a path in the issue folder); layouts ``brief``
and ``gallery`` split the body into parts at every ``##`` head; layout ``data`` reads a
CSV file named in the front matter.
"""

from __future__ import annotations

import csv
import html
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import MagazineError, Problem
from .manifest import ArticleEntry, IssueManifest, Section, inside
from .urls import url_for
from .yamlsource import parse_yaml, validation_problems

BOX_KINDS = {"case": "案例", "quote": "", "box": ""}
MAX_PICTURE_BYTES = 100 * 1024 * 1024
MAX_PICTURE_PIXELS = 100_000_000
MAX_NESTING = 20
Image.MAX_IMAGE_PIXELS = MAX_PICTURE_PIXELS  # Pillow's decompression-bomb guard at our limit
_SCRIPT = re.compile(r"<script\b[^>]*>.*?(</script\s*>|$)", re.I | re.S)
_EVENT_ATTRIBUTE = re.compile(r"""\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_JAVASCRIPT_URL = re.compile(r"""\s+(href|src)\s*=\s*(["']?)\s*javascript:[^"'>]*\2""", re.I)
NUMBERED_HEAD = re.compile(r"^(\d{1,2})\s+(\S.*)$")
MAX_ARTICLE_BYTES = 5 * 1024 * 1024


class DataSpec(BaseModel):
    """The ``data:`` entry of a data article's front matter."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(min_length=1, description="CSV file relative to the issue folder")
    caption: str = ""
    label: str = Field(min_length=1, description="Column naming each row")
    chart: str = Field("", description="Numeric column drawn as bars")
    unit: str = ""
    source: str = ""
    sample: bool = Field(False, description="True when the figures are samples (printed as 示例数据)")


class FrontMatter(BaseModel):
    """The YAML front matter of an article."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    subtitle: str = ""
    kicker: str = Field("", description="Small label above the headline, e.g. 财富")
    standfirst: str = ""
    source: str = ""
    author: str = ""
    layout: str = ""
    data: DataSpec | None = None


@dataclass(frozen=True)
class Picture:
    ref: str
    path: Path
    caption: str
    width: int
    height: int
    url: str  # a magazine:// URL (see urls.py)

    @property
    def landscape(self) -> bool:
        return self.width >= self.height


@dataclass(frozen=True)
class Part:
    """A stretch of the body opened by a ``##`` head (or the text before the first one)."""

    heading: str
    number: str
    html: str
    pictures: tuple[Picture, ...]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str
    fraction: float


@dataclass(frozen=True)
class DataTable:
    spec: DataSpec
    file: Path
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    bars: tuple[Bar, ...]

    def numeric(self, column: str) -> bool:
        index = self.columns.index(column)
        return all(_number(row[index]) is not None for row in self.rows if row[index].strip())


@dataclass(frozen=True)
class Article:
    anchor: str
    file: Path
    layout: str
    title: str
    contents_title: str
    subtitle: str
    kicker: str
    standfirst: str
    source: str
    author: str
    body: str
    parts: tuple[Part, ...]
    pictures: tuple[Picture, ...]
    data: DataTable | None = None
    warnings: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class SectionContent:
    section: Section
    articles: tuple[Article, ...]

    @property
    def anchor(self) -> str:
        return self.section.anchor


@dataclass(frozen=True)
class IssueContent:
    """Everything the layouts need: the validated manifest and every article, typed."""

    issue: IssueManifest
    sections: tuple[SectionContent, ...]
    pictures: dict[str, Picture] = field(default_factory=dict)

    @property
    def articles(self) -> list[Article]:
        return [a for s in self.sections for a in s.articles]

    @property
    def warnings(self) -> list[Problem]:
        return [w for a in self.articles for w in a.warnings]


def load_content(issue: IssueManifest) -> IssueContent:
    """Read, validate and convert every article of the issue; all problems raised together."""
    problems: list[Problem] = []
    sections = []
    for section in issue.manifest.sections:
        articles = []
        for entry in section.articles:
            try:
                articles.append(load_article(issue, entry))
            except MagazineError as exc:
                problems.extend(exc.problems)
        sections.append(SectionContent(section=section, articles=tuple(articles)))
    pictures = {}
    for key, ref in _manifest_pictures(issue):
        try:
            pictures[key] = _picture(issue, ref, "", issue.file, None)
        except MagazineError as exc:
            problems.extend(exc.problems)
    if problems:
        raise MagazineError(problems)
    return IssueContent(issue=issue, sections=tuple(sections), pictures=pictures)


def _manifest_pictures(issue: IssueManifest) -> list[tuple[str, str]]:
    m = issue.manifest
    refs = [("cover", m.cover.image)]
    if m.inside_cover:
        refs.append(("inside_cover", m.inside_cover.image))
    refs += [(f"divider-{s.number}", s.divider.image) for s in m.sections]
    return [(key, ref) for key, ref in refs if ref]


def read_text_file(path: Path, what: str) -> str:
    """UTF-8 text (a BOM is accepted, CRLF line ends become LF) or a clear error."""
    if not path.is_file():
        raise MagazineError(Problem(f"{what} not found", file=path))
    raw = path.read_bytes()
    if len(raw) > MAX_ARTICLE_BYTES:
        raise MagazineError(Problem(f"{what} is {len(raw) / 1e6:.1f} MB, more than the 5 MB allowed",
                                    file=path, hint="split it into several articles"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = "save the file as UTF-8"
        try:
            raw.decode("gb18030")
            hint = "the file looks like GB18030/GBK; save it as UTF-8"
        except UnicodeDecodeError:
            pass
        raise MagazineError(Problem(f"{what} is not UTF-8 text", file=path, line=line, hint=hint)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, file: Path) -> tuple[str, str, int]:
    """(front matter YAML, body, line number where the body starts)."""
    if not text.startswith("---\n"):
        raise MagazineError(Problem("missing front matter", file=file, line=1,
                                    hint="start the file with '---', the title: line, and '---'"))
    end = re.search(r"^(---|\.\.\.)\s*$", text[4:], re.M)
    if end is None:
        raise MagazineError(Problem("front matter is not closed", file=file, line=1,
                                    hint="end the front matter with a line holding only '---'"))
    front = text[4: 4 + end.start()]
    body = text[4 + end.end():].lstrip("\n")
    body_line = text[: len(text) - len(body)].count("\n") + 1
    return front, body, body_line


def load_article(issue: IssueManifest, entry: ArticleEntry) -> Article:
    path = issue.resolve(entry.file)
    text = read_text_file(path, "article")
    if not text.strip():
        raise MagazineError(Problem("article is empty", file=path, hint="write front matter and text"))
    front_text, body, body_line = split_front_matter(text, path)
    doc = parse_yaml(front_text, path, line_offset=1)
    if not isinstance(doc.data, dict):
        raise MagazineError(doc.problem((), "front matter must be a mapping (title: …)"))
    try:
        front = FrontMatter.model_validate(doc.data)
    except ValidationError as exc:
        raise MagazineError(validation_problems(doc, exc, FrontMatter)) from None

    layouts = issue.theme.article_layouts
    layout = entry.layout or front.layout or "feature"
    if layout not in layouts:
        raise MagazineError(doc.problem(("layout",), f"unknown layout '{layout}'",
                                        hint="available: " + ", ".join(sorted(layouts))))
    if layout == "data" and front.data is None:
        raise MagazineError(doc.problem((), "layout 'data' needs a data: entry naming a CSV file",
                                        hint="see docs/articles.md"))

    converter = _Converter(issue, path, body_line)
    tokens = converter.parse(body)
    table = _load_data(issue, front.data, doc) if front.data else None
    if converter.problems:
        raise MagazineError(converter.problems)
    return Article(
        anchor=entry.anchor, file=path, layout=layout,
        title=entry.title or front.title, contents_title=entry.contents_title or entry.title or front.title,
        subtitle=front.subtitle, kicker=front.kicker,
        standfirst=front.standfirst, source=front.source, author=front.author,
        body=converter.render(tokens), parts=tuple(converter.parts(tokens)),
        pictures=tuple(converter.pictures), data=table, warnings=tuple(converter.warnings),
    )


def _picture(issue: IssueManifest, ref: str, caption: str, file: Path, line: int | None) -> Picture:
    relative = issue.manifest.images.get(ref, ref)
    path = inside(issue.folder, relative)
    if path is None or not path.is_file():
        known = ", ".join(sorted(issue.manifest.images)) or "none"
        raise MagazineError(Problem(f"picture not found: {ref}", file=file, line=line,
                                    hint=f"use a key of images: in issue.yaml ({known}) "
                                         "or a path inside the issue folder"))
    size = path.stat().st_size
    if size > MAX_PICTURE_BYTES:
        raise MagazineError(Problem(f"{relative} is {size / 2**20:.0f} MB, more than the 100 MB allowed",
                                    file=file, line=line, hint="export it smaller, e.g. as a JPEG at 300 ppi"))
    if path.suffix.lower() == ".svg":
        width, height = _svg_size(path)
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(path) as image:
                    width, height = image.size
                    if width * height > MAX_PICTURE_PIXELS:
                        raise MagazineError(Problem(
                            f"{relative} has {width * height / 1e6:.0f} megapixels, more than the 100 allowed",
                            file=file, line=line, hint="scale it down to the size it is printed at (300 ppi)"))
                    image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise MagazineError(Problem(f"{relative} looks like a decompression bomb ({exc})", file=file, line=line,
                                        hint="export the picture again")) from None
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise MagazineError(Problem(f"{relative} is not a readable picture ({exc})", file=file, line=line,
                                        hint="export it again as JPEG or PNG")) from None
    return Picture(ref=ref, path=path, caption=caption, width=width, height=height,
                   url=url_for("issue", path.relative_to(issue.folder.resolve()).as_posix()))


def _svg_size(path: Path) -> tuple[int, int]:
    head = path.read_text(encoding="utf-8", errors="replace")[:2000]
    box = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', head)
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    return 1, 1


class _Converter:
    """Markdown → HTML for one article, collecting pictures and located problems."""

    def __init__(self, issue: IssueManifest, file: Path, body_line: int) -> None:
        self.issue = issue
        self.file = file
        self.body_line = body_line
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.pictures: list[Picture] = []
        md = MarkdownIt("commonmark", {"html": True, "typographer": False, "maxNesting": MAX_NESTING}).enable("table")
        md.use(footnote_plugin).use(attrs_plugin)
        for kind in BOX_KINDS:
            md.use(container_plugin, name=kind, render=self._render_box(kind))
        self.md = md

    def parse(self, body: str) -> list[Token]:
        tokens = self.md.parse(body)
        for i, token in enumerate(tokens):
            if token.type == "heading_open" and token.tag == "h2":
                self._number_heading(token, tokens[i + 1])
            if token.type == "inline":
                self._resolve_images(token)
                for child in token.children or []:
                    if child.type == "html_inline":
                        self._sanitise(child, token)
            if token.type == "html_block":
                self._sanitise(token, token)
        return self._figures(tokens)

    def _sanitise(self, token: Token, located: Token) -> None:
        """Raw HTML is allowed, but not scripts, event handlers or javascript: URLs."""
        cleaned = _SCRIPT.sub("", token.content)
        cleaned = _EVENT_ATTRIBUTE.sub("", cleaned)
        cleaned = _JAVASCRIPT_URL.sub("", cleaned)
        if cleaned != token.content:
            self.warnings.append(Problem("removed a script, an event attribute or a javascript: URL from raw HTML",
                                         file=self.file, line=self._line(located), level="warning",
                                         hint="the PDF has no scripts; use plain HTML and CSS"))
            token.content = cleaned

    def render(self, tokens: list[Token]) -> str:
        return self.md.renderer.render(tokens, self.md.options, {})

    def parts(self, tokens: list[Token]) -> list[Part]:
        """The body cut at every h2; each part with its own HTML and pictures."""
        parts: list[Part] = []
        heading, number, current = "", "", []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.type == "heading_open" and token.tag == "h2" and token.level == 0:
                if current or heading:
                    parts.append(self._part(heading, number, current))
                number = token.meta.get("number", "")
                heading = token.meta.get("words", tokens[i + 1].content)
                current = []
                i += 3
                continue
            current.append(token)
            i += 1
        if current or heading:
            parts.append(self._part(heading, number, current))
        return parts

    def _part(self, heading: str, number: str, tokens: list[Token]) -> Part:
        pictures = tuple(t.meta["picture"] for t in tokens if "picture" in t.meta)
        text_tokens = [t for t in tokens if "picture" not in t.meta]
        return Part(heading=heading, number=number, html=self.render(text_tokens), pictures=pictures)

    def _line(self, token: Token) -> int | None:
        return self.body_line + token.map[0] if token.map else None

    def _number_heading(self, token: Token, inline: Token) -> None:
        match = NUMBERED_HEAD.match(inline.content)
        if not match or not inline.children:
            return
        number, words = match.groups()
        token.attrJoin("class", "numbered")
        token.meta.update(number=number, words=words)
        first = inline.children[0]
        if first.type == "text" and first.content.startswith(number):
            first.content = first.content[len(number):].lstrip()
            marker = Token("html_inline", "", 0)
            marker.content = f'<span class="subhead-number">{number}</span> '
            inline.children.insert(0, marker)

    def _resolve_images(self, inline: Token) -> None:
        for child in inline.children or []:
            if child.type != "image":
                continue
            ref = str(child.attrGet("src") or "")
            caption = "".join(c.content for c in child.children or []) or str(child.attrGet("alt") or "")
            try:
                picture = _picture(self.issue, ref, caption, self.file, self._line(inline))
            except MagazineError as exc:
                self.problems.extend(exc.problems)
                continue
            child.attrSet("src", picture.url)
            child.meta["picture"] = picture
            self.pictures.append(picture)

    def _figures(self, tokens: list[Token]) -> list[Token]:
        """A paragraph holding only pictures becomes one <figure> per picture."""
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            t = tokens[i]
            if (t.type == "paragraph_open" and i + 2 < len(tokens) and tokens[i + 1].type == "inline"
                    and tokens[i + 2].type == "paragraph_close"):
                children = [c for c in tokens[i + 1].children or [] if not _blank(c)]
                if children and all(c.type == "image" and "picture" in c.meta for c in children):
                    for child in children:
                        figure = Token("html_block", "", 0, map=t.map, level=t.level)
                        picture: Picture = child.meta["picture"]
                        figure.content = _figure_html(picture)
                        figure.meta["picture"] = picture
                        out.append(figure)
                    i += 3
                    continue
            out.append(t)
            i += 1
        return out

    def _render_box(self, kind: str):
        def render(renderer: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
            token = tokens[idx]
            if token.nesting == 1:
                title = token.info.strip()[len(kind):].strip() or BOX_KINDS[kind]
                head = f'<p class="box-title">{html.escape(title)}</p>\n' if title else ""
                return f'<aside class="box box-{kind}">\n{head}'
            return "</aside>\n"
        return render


def _blank(token: Token) -> bool:
    return token.type in ("softbreak", "hardbreak") or (token.type == "text" and not token.content.strip())


def _figure_html(picture: Picture) -> str:
    shape = "landscape" if picture.landscape else "portrait"
    caption = f"<figcaption>{html.escape(picture.caption)}</figcaption>" if picture.caption else ""
    return (f'<figure class="picture {shape}"><img src="{html.escape(picture.url)}" '
            f'alt="{html.escape(picture.caption)}">{caption}</figure>\n')


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(",", "").replace("，", "").rstrip("%％")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _load_data(issue: IssueManifest, spec: DataSpec, doc: Any) -> DataTable:
    path = inside(issue.folder, spec.file)
    if path is None or not path.is_file():
        raise MagazineError(doc.problem(("data", "file"), f"data file not found: {spec.file}",
                                        hint="a CSV file inside the issue folder, e.g. data/figures.csv"))
    text = read_text_file(path, "data file")
    rows = list(csv.reader(io.StringIO(text)))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if len(rows) < 2:
        raise MagazineError(Problem("the CSV file needs a header row and at least one data row", file=path))
    header = tuple(c.strip() for c in rows[0])
    problems = []
    for column, key in ((spec.label, "label"), (spec.chart, "chart")):
        if column and column not in header:
            problems.append(doc.problem(("data", key), f"column '{column}' not in {spec.file}",
                                        hint="columns: " + ", ".join(header)))
    body = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            problems.append(Problem(f"row has {len(row)} cells, the header has {len(header)}",
                                    file=path, line=number))
        body.append(tuple(c.strip() for c in row) + ("",) * (len(header) - len(row)))
    bars: list[Bar] = []
    if spec.chart and not problems:
        label_at, value_at = header.index(spec.label), header.index(spec.chart)
        values = []
        for number, row in enumerate(body, start=2):
            value = _number(row[value_at])
            if value is None:
                problems.append(Problem(f"'{row[value_at]}' in column '{spec.chart}' is not a number",
                                        file=path, line=number, hint="write figures like 123.4"))
            values.append((row[label_at], value or 0.0, row[value_at]))
        top = max((abs(v) for _, v, _ in values), default=0) or 1.0
        bars = [Bar(label=label, value=value, text=text, fraction=abs(value) / top) for label, value, text in values]
    if problems:
        raise MagazineError(problems)
    return DataTable(spec=spec, file=path, columns=header, rows=tuple(body), bars=tuple(bars))
