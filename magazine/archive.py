"""``magazine archive``: a folder that keeps every issue safe for decades.

Layout of an archive folder::

    catalogue.json            one record per issue (editions with sizes and sha256, dates)
    index.html                every issue with its cover and links, readable offline
    2022/2022-06/             the three editions, cover.png and SHA256SUMS
    2022/2022-06/superseded/<archived-at>/   earlier versions kept by --replace

Nothing is overwritten silently: archiving an issue again with different content fails
unless ``replace``. Changes are prepared in a hidden staging folder and committed by
renames (files are fsynced first), and the catalogue is replaced last, so an interrupted
run leaves the catalogue and every archived file as they were; leftovers of an interrupted
run are cleaned up (or rolled back) by the next one.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader

from .build import EDITIONS, build_issue, write_atomic
from .errors import MagazineError, Problem
from .fonts import sha256
from .manifest import load_manifest

CATALOGUE = "catalogue.json"
INDEX = "index.html"
SUMS = "SHA256SUMS"
COVER = "cover.png"


@dataclass(frozen=True)
class ArchiveResult:
    issue_id: str
    folder: Path
    status: str  # "added", "unchanged", "replaced"
    superseded: Path | None = None


@dataclass(frozen=True)
class Finding:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def load_catalogue(root: Path) -> dict:
    path = root / CATALOGUE
    if not path.is_file():
        return {"issues": []}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise MagazineError(Problem(f"the catalogue is damaged: {error}", file=path,
                                    hint="restore it from a backup; magazine archive verify lists what is there"),
                            usage=False) from None


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())


def recover(root: Path) -> None:
    """Finish or undo what an interrupted run left: staging folders and set-aside versions."""
    if not root.is_dir():
        return
    for year in (p for p in root.iterdir() if p.is_dir()):
        for leftover in year.glob(".staging-*"):
            shutil.rmtree(leftover, ignore_errors=True)
        for old in year.glob(".old-*"):
            target = year / old.name.removeprefix(".old-")
            if target.exists():
                shutil.rmtree(old, ignore_errors=True)  # the new version was committed
            else:
                os.rename(old, target)  # roll back


def add_issue(issue_folder: Path | str, root: Path | str = "archive", *, replace: bool = False,
              now: dt.datetime | None = None) -> ArchiveResult:
    """Build the issue's three editions and archive them (see the module's description)."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    recover(root)
    issue = load_manifest(issue_folder)
    info = issue.manifest.issue
    year = root / f"{info.date.year}"
    target = year / issue.id
    staging = year / f".staging-{issue.id}"
    year.mkdir(parents=True, exist_ok=True)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        built = build_issue(issue_folder, staging, editions=EDITIONS)
        for path in staging.glob(".*"):
            path.unlink() if path.is_file() else shutil.rmtree(path)
        _cover(built.outputs["screen"], staging / COVER)
        new_sums = {path.name: sha256(path) for path in sorted(staging.iterdir()) if path.is_file()}
        status, superseded = "added", None
        catalogue = load_catalogue(root)
        record_before = next((r for r in catalogue["issues"] if r["id"] == issue.id), None)
        if target.exists():
            old_sums = _read_sums(target / SUMS)
            pdfs = {name: digest for name, digest in new_sums.items() if name.endswith(".pdf")}
            if all(old_sums.get(name) == digest for name, digest in pdfs.items()):
                shutil.rmtree(staging)
                return ArchiveResult(issue.id, target, "unchanged")
            if not replace:
                raise MagazineError(Problem(
                    f"{issue.id} is archived already with different content", file=target,
                    hint="use --replace to archive the new version and keep the old one under superseded/"),
                    usage=False)
            stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
            superseded = target / "superseded" / stamp
            kept = staging / "superseded"
            if (target / "superseded").exists():
                shutil.copytree(target / "superseded", kept, copy_function=os.link)
            (kept / stamp).mkdir(parents=True, exist_ok=True)
            for path in target.iterdir():
                if path.is_file():
                    os.link(path, kept / stamp / path.name)
            status = "replaced"
        _write_sums(staging, new_sums)
        _fsync_tree(staging)
        record = _record(issue, built.pages, target, root, new_sums, now)
        if record_before is not None and status == "replaced":
            record["superseded"] = [*record_before.get("superseded", []),
                                    {"archived_at": record_before["archived_at"],
                                     "folder": (superseded or target).relative_to(root).as_posix(),
                                     "editions": record_before["editions"]}]
        catalogue["issues"] = sorted([r for r in catalogue["issues"] if r["id"] != issue.id] + [record],
                                     key=lambda r: (r["date"], r["id"]))
        # Commit: the new folder into place, then the catalogue and the index.
        if target.exists():
            os.rename(target, year / f".old-{issue.id}")
        os.rename(staging, target)
        write_atomic(root / CATALOGUE, json.dumps(catalogue, ensure_ascii=False, indent=2).encode("utf-8"))
        write_atomic(root / INDEX, _index(catalogue).encode("utf-8"))
        shutil.rmtree(year / f".old-{issue.id}", ignore_errors=True)
        return ArchiveResult(issue.id, target, status, superseded)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        recover(root)


def _cover(screen_pdf: Path, target: Path) -> None:
    document = pdfium.PdfDocument(screen_pdf)
    try:
        image = document[0].render(scale=300 / document[0].get_height()).to_pil()
    finally:
        document.close()
    image.save(target, optimize=True)


def _read_sums(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    sums = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            sums[name] = digest
    return sums


def _write_sums(folder: Path, sums: dict[str, str]) -> None:
    (folder / SUMS).write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(sums.items())),
                               encoding="utf-8")


def _record(issue, pages: int, target: Path, root: Path, sums: dict[str, str], now: dt.datetime | None) -> dict:
    m = issue.manifest
    editions = {}
    for edition in EDITIONS:
        name = f"{issue.id}-{edition}.pdf"
        editions[edition] = {"file": (target / name).relative_to(root).as_posix(),
                             "bytes": (target.parent / f".staging-{issue.id}" / name).stat().st_size,
                             "sha256": sums[name]}
    return {
        "id": issue.id, "title": m.magazine.title, "subtitle": m.magazine.subtitle,
        "number": m.issue.number, "label": m.issue.label, "date": m.issue.date.isoformat(),
        "pages": pages, "editions": editions, "cover": (target / COVER).relative_to(root).as_posix(),
        "archived_at": (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _index(catalogue: dict) -> str:
    rows = []
    for record in reversed(catalogue["issues"]):
        links = " · ".join(f'<a href="{html.escape(e["file"])}">{name} ({e["bytes"] / 1e6:.1f} MB)</a>'
                           for name, e in record["editions"].items())
        rows.append(
            f'<article><img src="{html.escape(record["cover"])}" alt="">'
            f'<div><h2>{html.escape(record["title"])} {html.escape(record["date"][:7].replace("-", "."))}'
            f' · {html.escape(record["label"])}</h2>'
            f'<p>{record["pages"]} pages · archived {html.escape(record["archived_at"])}</p><p>{links}</p>'
            + (f'<p>{len(record.get("superseded", []))} earlier version(s) under superseded/</p>'
               if record.get("superseded") else "") + "</div></article>")
    return ("<!DOCTYPE html>\n<html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><title>Archive</title><style>"
            "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
            "article{display:flex;gap:1.5rem;margin:0 0 2rem;align-items:flex-start}"
            "img{height:220px;box-shadow:0 1px 4px #0004}h2{margin:0 0 .5rem}</style></head><body>"
            f"<h1>Archive — {len(catalogue['issues'])} issue(s)</h1>" + "".join(rows) + "</body></html>\n")


def list_issues(root: Path | str = "archive") -> list[dict]:
    return load_catalogue(Path(root))["issues"]


def verify(root: Path | str = "archive") -> list[Finding]:
    """Every checksum, every PDF's structure, PDF/A of every archive edition, and no unlisted file."""
    root = Path(root)
    findings: list[Finding] = []
    if not (root / CATALOGUE).is_file():
        return [Finding(str(root), "no catalogue.json: not an archive")]
    catalogue = load_catalogue(root)
    listed = {root / CATALOGUE, root / INDEX}
    for record in catalogue["issues"]:
        folders = [root / record["cover"]]
        for entry in [record, *record.get("superseded", [])]:
            for edition, info in entry["editions"].items():
                path = root / info["file"]
                if entry is not record:
                    path = root / entry["folder"] / Path(info["file"]).name
                listed.add(path)
                findings += _check_pdf(path, root, info["sha256"], edition == "archive")
        for folder in {p.parent for p in listed if p.parent != root} | {f.parent for f in folders}:
            sums = folder / SUMS
            if sums.is_file():
                listed.add(sums)
                for name, digest in _read_sums(sums).items():
                    listed.add(folder / name)
                    if not (folder / name).is_file():
                        findings.append(Finding(_rel(folder / name, root), "listed in SHA256SUMS but missing"))
                    elif sha256(folder / name) != digest:
                        findings.append(Finding(_rel(folder / name, root), "checksum differs from SHA256SUMS"))
        listed.update(folders)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path not in listed and not any(part.startswith(".") for part in path.relative_to(root).parts):
            findings.append(Finding(_rel(path, root), "not listed in the catalogue"))
    return findings


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def _check_pdf(path: Path, root: Path, digest: str, archive: bool) -> list[Finding]:
    name = _rel(path, root)
    if not path.is_file():
        return [Finding(name, "missing")]
    if sha256(path) != digest:
        return [Finding(name, "checksum differs from the catalogue: the file has changed")]
    try:
        reader = PdfReader(path)
        len(reader.pages)
        if archive:
            xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
            if b"pdfaid:part" not in xmp:
                return [Finding(name, "no longer declares PDF/A")]
    except Exception as error:  # pypdf raises many kinds of errors on broken files
        return [Finding(name, f"not a readable PDF: {error}")]
    return []
