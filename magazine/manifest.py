"""Load and validate an issue manifest (``issues/<id>/issue.yaml``) into a typed model.

Validation happens before any rendering. Every problem is reported with the file, line
and field, what was found and what is expected; all problems are collected and raised
together as one :class:`MagazineError`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    field_validator,
)

from .errors import MagazineError, Problem
from .themes import PROJECT_ROOT, Theme, find_theme
from .units import Colour, Length
from .yamlsource import YamlDocument, parse_yaml, validation_problems

MANIFEST_NAME = "issue.yaml"


def _length(value: Any) -> Length:
    return Length.parse(value)


def _colour(value: Any) -> Colour:
    return Colour.parse(value)


LengthField = Annotated[Length, BeforeValidator(_length), PlainSerializer(str)]
ColourField = Annotated[Colour, BeforeValidator(_colour), PlainSerializer(str)]
Text = Annotated[str, Field(min_length=1)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Magazine(Model):
    """The publication itself."""

    title: Text = Field(description="Masthead title", examples=["零售动态"])
    subtitle: str = Field("", description="English or secondary title under the masthead",
                          examples=["retail banking trends"])
    publisher: Text = Field(description="Who publishes the magazine", examples=["山西银行"])
    language: str = Field("zh-Hans", description="BCP 47 language tag of the text")


class IssueInfo(Model):
    """Which issue this is."""

    number: int = Field(ge=1, description="Running issue number", examples=[9])
    label: Text = Field(description="Issue number as printed", examples=["总第09期"])
    date: dt.date = Field(description="Publication date, YYYY-MM-DD or YYYY-MM", examples=["2022-06-15"])
    display: str = Field("", description="Date as printed on the cover and running heads; "
                         "default YYYY.MM", examples=["2022.06"])

    @field_validator("date", mode="before")
    @classmethod
    def _month_is_enough(cls, value: Any) -> Any:
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
            return f"{value.strip()}-01"
        return value

    @property
    def printed_date(self) -> str:
        return self.display or f"{self.date.year}.{self.date.month:02d}"


class Format(Model):
    """Page format and binding."""

    width: LengthField = Field(Length(210, "mm"), description="Trim width")
    height: LengthField = Field(Length(285, "mm"), description="Trim height")
    bleed: LengthField = Field(Length(3, "mm"), description="Bleed on every trimmed edge")
    binding: Literal["saddle-stitch", "perfect-bound"] = Field(
        "saddle-stitch", description="saddle-stitch needs a page count that is a multiple of 4")


class Cover(Model):
    """The front cover."""

    image: str | None = Field(None, description="Full-bleed artwork: a key of `images` or a path")
    headline: str = Field("", description="Main cover line")
    lines: list[str] = Field(default_factory=list, description="Further cover lines naming stories")
    colour: ColourField | None = Field(None, description="Masthead colour (default: the theme's brand red)")


class InsideCover(Model):
    """The inside front cover (封二)."""

    title: Text = Field(description="Heading", examples=["零售文化"])
    verses: list[Text] = Field(min_length=1, description="Lines set as verse")
    image: str | None = Field(None, description="Optional artwork: a key of `images` or a path")


class Divider(Model):
    """What the section's divider page shows besides its number and names."""

    image: str | None = Field(None, description="Optional artwork: a key of `images` or a path")
    note: str = Field("", description="A short line under the section names")


class ArticleEntry(Model):
    """One article in a section."""

    file: Text = Field(description="Markdown file, relative to the issue folder",
                       examples=["articles/01-1-economy-package.md"])
    id: str = Field("", description="Anchor id; default: the file name without extension",
                    pattern=r"^$|^[A-Za-z][A-Za-z0-9_-]*$")
    layout: str = Field("", description="Overrides the layout named in the article's front matter")
    title: str = Field("", description="Overrides the article's title")
    contents_title: str = Field("", description="Title in the contents and on the divider, when it differs "
                                "from the headline")

    @property
    def anchor(self) -> str:
        return self.id or re.sub(r"[^A-Za-z0-9_-]", "-", "a-" + Path(self.file).stem)


class Section(Model):
    """A section of the issue, opened by a divider page."""

    number: str = Field(pattern=r"^\d{1,2}$", description="Printed section number", examples=["01"])
    title: Text = Field(description="Chinese name", examples=["政策法规"])
    title_en: str = Field("", description="English name", examples=["Policies & Regulations"])
    accent: ColourField = Field(description="Section accent colour in CMYK", examples=["C100 M60 Y0 K10"])
    divider: Divider = Field(default_factory=Divider)
    articles: list[ArticleEntry] = Field(min_length=1)

    @property
    def anchor(self) -> str:
        return f"section-{self.number}"


class BackCover(Model):
    """The back cover (封底)."""

    name: Text = Field(description="The publisher's name as printed")
    lines: list[str] = Field(default_factory=list, description="Lines under the name")
    url: str = Field("", description="Web address, printed and encoded as a QR code")
    qr: bool = Field(True, description="Print a QR code for `url`")


class Typography(Model):
    """Chinese text rules applied when the issue is typeset (all on by default)."""

    punctuation: bool = Field(True, description="Set half-width punctuation and straight quotes in "
                              "Chinese text as full-width marks and curly quotes")
    autospace: bool = Field(True, description="A quarter-em gap between Han characters and Latin "
                            "letters or digits")
    keep_last_characters: bool = Field(True, description="Never leave one character alone on a "
                                       "paragraph's last line")


class PrintSettings(Model):
    """The print edition: PDF/X flavour, colour profile, marks, and the job for the printer."""

    pdfx: Literal["4", "1a"] = Field("4", description="PDF/X-4 (default) or PDF/X-1a for shops that ask for it")
    profile: str = Field("coated-fogra39", description="Output-intent CMYK profile: a name in profiles/ or "
                         "an .icc path in the issue folder", examples=["coated-fogra39"])
    ink_limit: float = Field(300, ge=200, le=400, description="Total ink coverage limit in percent")
    marks: list[Literal["crop", "registration"]] = Field(default_factory=lambda: ["crop"],
                                                          description="Printer's marks outside the bleed")
    paper: str = Field("", description="Paper, for the job ticket", examples=["157 g/m² coated matt"])
    quantity: int = Field(0, ge=0, description="Number of copies, for the job ticket")
    creep: LengthField = Field(Length(0, "mm"), description="Creep for saddle-stitch imposition: the shift "
                               "of the innermost sheet's pages towards the spine")


class ArchiveSettings(Model):
    """The archive edition (PDF/A-3b with the issue's sources embedded)."""

    embed_pictures_mb: float = Field(50, ge=0, description="Embed the pictures too while their total stays "
                                     "under this many megabytes (they are always listed with their checksums)")


class ImprintEntry(Model):
    label: Text
    value: Text


class Manifest(Model):
    """An issue manifest: ``issues/<id>/issue.yaml``."""

    magazine: Magazine
    issue: IssueInfo
    format: Format = Field(default_factory=Format)
    theme: str = Field("default", description="Folder under layouts/ holding templates and CSS")
    typography: Typography = Field(default_factory=Typography)
    print: PrintSettings = Field(default_factory=PrintSettings)
    archive: ArchiveSettings = Field(default_factory=ArchiveSettings)
    images: dict[str, str] = Field(default_factory=dict,
                                   description="Named pictures: key → path relative to the issue folder")
    cover: Cover = Field(default_factory=Cover)
    inside_cover: InsideCover | None = None
    imprint: list[ImprintEntry] = Field(default_factory=list,
                                        description="Masthead/imprint lines printed after the contents")
    sections: list[Section] = Field(min_length=1)
    back_cover: BackCover


class IssueManifest(BaseModel):
    """A validated manifest with the folder it came from and its theme."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    id: str
    folder: Path
    file: Path
    manifest: Manifest
    theme: Theme
    source: YamlDocument

    def resolve(self, relative: str) -> Path:
        return (self.folder / relative).resolve()

    @property
    def print_profile(self) -> Path:
        """The output-intent ICC profile file."""
        return resolve_profile(self.manifest.print.profile, self.folder)  # type: ignore[return-value]

    def image_path(self, ref: str) -> Path:
        """Path of a picture given as a key of ``images`` or a path in the issue folder."""
        return self.resolve(self.manifest.images.get(ref, ref))


def load_manifest(issue_folder: Path | str) -> IssueManifest:
    """Read ``issue.yaml`` in ``issue_folder`` and validate it completely."""
    folder = Path(issue_folder)
    if folder.is_file() and folder.name == MANIFEST_NAME:
        folder = folder.parent
    file = folder / MANIFEST_NAME
    if not folder.is_dir():
        raise MagazineError(Problem(f"issue folder not found: {folder}",
                                    hint="give the folder that holds issue.yaml, e.g. issues/2022-06"))
    if not file.is_file():
        raise MagazineError(Problem("no issue.yaml in this folder", file=folder,
                                    hint="every issue folder needs a manifest named issue.yaml"))
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MagazineError(Problem(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=file,
                                    hint="save the manifest as UTF-8")) from None
    doc = parse_yaml(text, file)
    if doc.data is None:
        raise MagazineError(Problem("the manifest is empty", file=file, line=1,
                                    hint="start from issues/2022-06/issue.yaml"))
    if not isinstance(doc.data, dict):
        raise MagazineError(doc.problem((), f"the manifest must be a mapping of keys to values, "
                                        f"found {type(doc.data).__name__}"))
    try:
        manifest = Manifest.model_validate(doc.data)
    except ValidationError as exc:
        raise MagazineError(validation_problems(doc, exc, Manifest)) from None

    problems: list[Problem] = []
    theme = None
    try:
        theme = find_theme(manifest.theme, folder)
    except MagazineError as exc:
        line, column = doc.where(("theme",))
        problems.extend(Problem(p.message, file=file, line=line, column=column, field="theme", hint=p.hint)
                        for p in exc.problems)
    problems += _check_references(doc, manifest, folder, theme)
    if problems:
        raise MagazineError(problems)
    assert theme is not None
    return IssueManifest(id=folder.resolve().name, folder=folder.resolve(), file=file.resolve(),
                         manifest=manifest, theme=theme, source=doc)


PROFILES = PROJECT_ROOT / "profiles"


def resolve_profile(name: str, folder: Path) -> Path | None:
    """A profile given by name (``profiles/<name>.icc``) or as a path in the issue folder."""
    if "/" not in name and not name.endswith(".icc"):
        candidate = PROFILES / f"{name}.icc"
        return candidate if candidate.is_file() else None
    target = inside(folder, name)
    return target if target is not None and target.is_file() else None


def inside(folder: Path, relative: str) -> Path | None:
    """``relative`` resolved in ``folder``, or None when it is absolute or leaves the folder."""
    if Path(relative).is_absolute() or "://" in relative:
        return None
    target = (folder / relative).resolve()
    try:
        target.relative_to(folder.resolve())
    except ValueError:
        return None
    return target


def _check_file(doc: YamlDocument, path: tuple, folder: Path, relative: str, what: str) -> list[Problem]:
    target = inside(folder, relative)
    if target is None:
        return [doc.problem(path, f"{what} {relative!r} is outside the issue folder",
                            hint="use a path relative to the issue folder, without '..'")]
    if not target.is_file():
        close = _similar_files(target)
        hint = f"did you mean {close!r}?" if close else "check the spelling and the folder"
        return [doc.problem(path, f"{what} not found: {relative}", hint=hint)]
    return []


def _similar_files(target: Path) -> str | None:
    if not target.parent.is_dir():
        return None
    names = [p.name for p in target.parent.iterdir()]
    match = difflib.get_close_matches(target.name, names, n=1, cutoff=0.6)
    return match[0] if match else None


def _check_references(doc: YamlDocument, manifest: Manifest, folder: Path, theme: Theme | None) -> list[Problem]:
    problems: list[Problem] = []
    for key, relative in manifest.images.items():
        problems += _check_file(doc, ("images", key), folder, relative, "picture")

    def picture(path: tuple, ref: str | None) -> None:
        if ref and ref not in manifest.images:
            problems.extend(_check_file(doc, path, folder, ref, "picture"))

    picture(("cover", "image"), manifest.cover.image)
    if manifest.inside_cover:
        picture(("inside_cover", "image"), manifest.inside_cover.image)

    profile = resolve_profile(manifest.print.profile, folder)
    if profile is None:
        known = ", ".join(sorted(p.stem for p in PROFILES.glob("*.icc"))) or "none"
        problems.append(doc.problem(("print", "profile"), f"colour profile not found: {manifest.print.profile}",
                                    hint=f"profiles available: {known}; or an .icc file in the issue folder"))
    elif profile.read_bytes()[16:20] != b"CMYK":
        problems.append(doc.problem(("print", "profile"), f"{manifest.print.profile} is not a CMYK profile",
                                    hint="the output intent of a print PDF needs a CMYK ICC profile"))

    seen_numbers: dict[str, int] = {}
    seen_ids: dict[str, tuple] = {}
    for s, section in enumerate(manifest.sections):
        picture(("sections", s, "divider", "image"), section.divider.image)
        if section.number in seen_numbers:
            problems.append(doc.problem(("sections", s, "number"),
                                        f"section number {section.number} is used twice",
                                        hint=f"section {seen_numbers[section.number] + 1} has it already"))
        seen_numbers.setdefault(section.number, s)
        for a, entry in enumerate(section.articles):
            where = ("sections", s, "articles", a)
            problems += _check_file(doc, (*where, "file"), folder, entry.file, "article")
            anchor = entry.anchor
            if anchor in seen_ids:
                first = seen_ids[anchor]
                line, _ = doc.where(first)
                problems.append(doc.problem((*where, "id") if entry.id else (*where, "file"),
                                            f"duplicate article id '{anchor}' (also on line {line})",
                                            hint="give one of them a distinct `id`"))
            seen_ids.setdefault(anchor, where)
            if entry.layout and theme is not None and entry.layout not in theme.article_layouts:
                problems.append(doc.problem((*where, "layout"), f"unknown layout '{entry.layout}'",
                                            hint=f"theme '{theme.name}' has: "
                                                 + ", ".join(sorted(theme.article_layouts))))
    return problems
