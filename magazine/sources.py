"""An issue's sources, to be embedded in its archive PDF and recovered from it.

The archive edition carries, as associated files (PDF/A-3 /AF, relationship Source):
``issue.yaml``, the articles, the data files, ``images.json`` (every picture with its
size and sha256), and the pictures themselves while their total stays under a limit
(50 MB by default). ``unpack`` writes them back into a buildable issue folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pypdf import PdfReader

from .errors import MagazineError, Problem
from .manifest import IssueManifest

IMAGES_MANIFEST = "images.json"


@dataclass(frozen=True)
class SourceFile:
    name: str  # path inside the issue folder, with forward slashes
    data: bytes
    description: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def _text_sources(issue: IssueManifest) -> list[Path]:
    folder = issue.folder
    files = [issue.file]
    files += [issue.resolve(entry.file) for section in issue.manifest.sections for entry in section.articles]
    for sub in ("articles", "data"):
        if (folder / sub).is_dir():
            files += [p for p in (folder / sub).rglob("*") if p.is_file() and not p.name.startswith(".")]
    return sorted(set(files))


def _pictures(issue: IssueManifest) -> list[Path]:
    folder = issue.folder / "images"
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")) if folder.is_dir() else []


def issue_sources(issue: IssueManifest, *, embed_pictures_up_to: int = 50 * 2**20) -> list[SourceFile]:
    """The files to embed, in a fixed order; pictures only while their total fits the limit."""
    def name(path: Path) -> str:
        return path.relative_to(issue.folder).as_posix()

    files = [SourceFile(name(p), p.read_bytes(), "issue source") for p in _text_sources(issue)]
    pictures = _pictures(issue)
    total = sum(p.stat().st_size for p in pictures)
    embed = total <= embed_pictures_up_to
    listing = {name(p): {"bytes": p.stat().st_size, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                         "embedded": embed} for p in pictures}
    files.append(SourceFile(IMAGES_MANIFEST, json.dumps(listing, ensure_ascii=False, indent=2, sort_keys=True)
                            .encode("utf-8"), "pictures of the issue with their checksums"))
    if embed:
        files += [SourceFile(name(p), p.read_bytes(), "picture") for p in pictures]
    return files


def sources_checksum(files: list[SourceFile]) -> str:
    """One sha256 over the names and contents of the sources (pictures by their listing)."""
    digest = hashlib.sha256()
    for source in sorted(files, key=lambda f: f.name):
        if source.description == "picture":
            continue  # listed with their checksums in images.json
        digest.update(source.name.encode("utf-8") + b"\0" + source.sha256.encode() + b"\n")
    return digest.hexdigest()


def attachments(files: list[SourceFile], date: dt.date) -> list:
    """WeasyPrint attachments for the sources, dated with the issue's date."""
    from weasyprint import Attachment

    when = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    return [Attachment(file_obj=io.BytesIO(f.data), name=f.name, description=f.description, created=when,
                       modified=when, relationship="Source") for f in files]


@dataclass(frozen=True)
class Unpacked:
    folder: Path
    files: list[Path]
    missing_pictures: list[str]


def unpack(pdf: Path, target: Path) -> Unpacked:
    """Write the sources embedded in an archive PDF into ``target`` (a new or empty folder)."""
    if target.exists() and any(target.iterdir()):
        raise MagazineError(Problem(f"{target} is not empty", hint="unpack into a new folder"))
    try:
        embedded = PdfReader(pdf).attachments
    except Exception as error:  # any reading error: it is not a readable PDF
        raise MagazineError(Problem(f"cannot read {pdf}: {error}", file=pdf)) from None
    if "issue.yaml" not in embedded:
        raise MagazineError(Problem("this PDF carries no issue sources (no embedded issue.yaml)", file=pdf,
                                    hint="unpack an archive edition (<id>-archive.pdf)"))
    written = []
    for name, contents in sorted(embedded.items()):
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise MagazineError(Problem(f"refusing to unpack {name!r}: not a path inside the issue", file=pdf))
        path = target.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(contents[0])
        written.append(path)
    listing = json.loads(embedded[IMAGES_MANIFEST][0]) if IMAGES_MANIFEST in embedded else {}
    missing = [name for name, info in sorted(listing.items()) if not info.get("embedded")]
    (target / IMAGES_MANIFEST).unlink(missing_ok=True)
    for sub in ("images", "data", "articles"):
        (target / sub).mkdir(exist_ok=True)
    return Unpacked(folder=target, files=[p for p in written if p.name != IMAGES_MANIFEST],
                    missing_pictures=missing)
