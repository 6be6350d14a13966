"""``magazine package``: everything the print shop needs, in a folder and a zip.

- ``<id>-print.pdf``: the print PDF (PDF/X), as built and preflighted;
- ``<id>-imposed.pdf``: printer's spreads for saddle-stitch, in sheet order, with creep;
- ``preflight.txt`` and ``preflight.json``: the preflight report;
- ``job-ticket.txt`` and ``job-ticket.json``: title, issue, trim size, bleed, page count,
  binding, colour profile, PDF/X flavour, paper, quantity, marks, creep;
- ``proof-sheet.png``: every page as a thumbnail in reader spreads;
- ``fonts.txt`` and the fonts' licences.

The zip has fixed timestamps (the issue's date) and a fixed order, so the same sources
give the same zip.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .build import Progress, build_issue, write_atomic
from .fonts import FONTS_DIR, load_index
from .impose import impose
from .manifest import load_manifest
from .proof import contact_sheet


@dataclass(frozen=True)
class PackageResult:
    folder: Path
    zip: Path
    files: list[Path]
    pages: int


def job_ticket(issue_folder: Path | str, pages: int, pdfx: str) -> dict:
    issue = load_manifest(issue_folder)
    m = issue.manifest
    return {
        "title": m.magazine.title,
        "subtitle": m.magazine.subtitle,
        "publisher": m.magazine.publisher,
        "issue": m.issue.label,
        "issue_number": m.issue.number,
        "date": m.issue.date.isoformat(),
        "trim_size_mm": [round(m.format.width.mm, 2), round(m.format.height.mm, 2)],
        "bleed_mm": round(m.format.bleed.mm, 2),
        "pages": pages,
        "binding": m.format.binding,
        "pdf": f"PDF/X-{pdfx}",
        "colour_profile": issue.print_profile.name,
        "ink_limit_percent": m.print.ink_limit,
        "marks": list(m.print.marks),
        "creep_mm": round(m.print.creep.mm, 3),
        "paper": m.print.paper or "to be agreed",
        "quantity": m.print.quantity or "to be agreed",
    }


LABELS = {
    "title": "Title", "subtitle": "Subtitle", "publisher": "Publisher", "issue": "Issue",
    "issue_number": "Issue number", "date": "Date", "trim_size_mm": "Trim size (mm)", "bleed_mm": "Bleed (mm)",
    "pages": "Pages", "binding": "Binding", "pdf": "PDF", "colour_profile": "Colour profile (output intent)",
    "ink_limit_percent": "Total ink limit (%)", "marks": "Marks", "creep_mm": "Creep (mm)", "paper": "Paper",
    "quantity": "Quantity",
}


def package_issue(issue_folder: Path | str, out_dir: Path | str | None = None, *, pdfx: str | None = None,
                  progress: Progress | None = None) -> PackageResult:
    """Build, preflight and package the issue for the printer."""
    step = progress or (lambda _stage: None)
    issue = load_manifest(issue_folder)
    out = Path(out_dir) if out_dir else Path("build") / issue.id
    folder = out / f"{issue.id}-printer"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    built = build_issue(issue_folder, folder, pdfx=pdfx, progress=progress)
    flavour = pdfx or issue.manifest.print.pdfx
    files = [built.pdf]

    def write(name: str, data: bytes) -> None:
        path = folder / name
        write_atomic(path, data)
        files.append(path)

    step("impose")
    if issue.manifest.format.binding == "saddle-stitch":
        imposed = impose(built.pdf.read_bytes(), bleed=issue.manifest.format.bleed.points,
                         creep=issue.manifest.print.creep.points)
        write(f"{issue.id}-imposed.pdf", imposed.data)
    report = built.preflight
    assert report is not None
    write("preflight.txt", ("\n".join([*report.lines(), report.summary()]) + "\n").encode("utf-8"))
    write("preflight.json", json.dumps(report.to_json(), ensure_ascii=False, indent=2).encode("utf-8"))
    ticket = job_ticket(issue_folder, built.pages, flavour)
    write("job-ticket.json", json.dumps(ticket, ensure_ascii=False, indent=2).encode("utf-8"))
    text = "\n".join(f"{LABELS[key]:32} {_ticket_value(key, value)}" for key, value in ticket.items())
    write("job-ticket.txt", (text + "\n").encode("utf-8"))
    step("proof sheet")
    sheet = contact_sheet(built.pdf, folder / "proof-sheet.png")
    files.append(sheet)
    faces = load_index()
    lines = [f"{face.family} {face.weight}  {face.file}  version {face.version}  {face.licence}  sha256 {face.sha256}"
             for face in faces]
    write("fonts.txt", ("Fonts embedded (subset) in the PDF:\n" + "\n".join(lines) + "\n").encode("utf-8"))
    for licence in sorted(FONTS_DIR.glob("LICENSE*")):
        write(licence.name, licence.read_bytes())
    step("zip")
    zip_path = out / f"{issue.id}-printer.zip"
    _zip(folder, zip_path, issue.manifest.issue.date.timetuple()[:6])
    return PackageResult(folder=folder, zip=zip_path, files=sorted(files), pages=built.pages)


def _ticket_value(key: str, value: object) -> str:
    if key == "trim_size_mm" and isinstance(value, list):
        return " × ".join(f"{v:g}" for v in value)
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "none"
    return str(value)


def _zip(folder: Path, target: Path, date: tuple) -> None:
    temporary = target.with_name(f".{target.name}.tmp")
    with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", date_time=date)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
    temporary.replace(target)
