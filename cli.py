"""The ``magazine`` command: arguments in, one library call, results out.

Exit codes: 0 success, 1 failed build or findings, 2 usage or input error.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from magazine.errors import MagazineError

app = typer.Typer(help="Typeset the magazine from YAML and Markdown into print-ready PDF.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
IssueArg = Annotated[Path, typer.Argument(help="The issue folder, e.g. issues/2022-06")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks")]
console = Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(error: MagazineError, debug: bool) -> None:
    if debug:
        raise error
    for problem in error.problems:
        console.print(str(problem), markup=False, style="red" if problem.level == "error" else "yellow")
    raise typer.Exit(2 if error.usage else 1)


@app.command()
def build(
    issue: IssueArg,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (default build/<issue-id>)")] = None,
    emit_html: Annotated[bool, typer.Option("--emit-html", help="Also write the HTML handed to WeasyPrint")] = False,
    allow_missing_glyphs: Annotated[bool, typer.Option(
        "--allow-missing-glyphs", help="Build even if characters are in no bundled font (they are listed)")] = False,
    pdfx: Annotated[str | None, typer.Option("--pdfx", help="4 (default) or 1a: the PDF/X flavour of the "
                                             "print PDF, overriding the manifest")] = None,
    only: Annotated[str | None, typer.Option("--only", help="Only this section (number or name) or article "
                                             "(file name), with the folios of the whole issue")] = None,
    edition: Annotated[str, typer.Option("--edition", "-e", help="print, screen, archive or all "
                                         "(comma-separated for several)")] = "all",
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Build even if nothing changed, "
                                           "and lay out every part anew")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the result")] = False,
    debug: DebugOpt = False,
) -> None:
    """Build the issue's PDF.

    Example: magazine build issues/2022-06 --out build/2022-06
    """
    from magazine.build import build_issue

    stages = ("manifest", "content", "typography", "fonts", "pictures", "compose", "render", "write", "finish",
              "preflight", "screen", "archive")
    editions = ("print", "screen", "archive") if edition == "all" else tuple(e.strip() for e in edition.split(","))
    with Progress(SpinnerColumn(), TextColumn("{task.description:12}"), BarColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=quiet) as bar:
        task = bar.add_task("building", total=len(stages))

        def progress(stage: str) -> None:
            bar.update(task, description=stage, completed=stages.index(stage) if stage in stages else 0)

        try:
            if pdfx not in (None, "4", "1a"):
                raise MagazineError("--pdfx must be 4 or 1a")
            result = build_issue(issue, out, emit_html=emit_html, allow_missing_glyphs=allow_missing_glyphs,
                                 pdfx=pdfx, only=only, editions=editions, use_cache=not no_cache,
                                 progress=progress)
        except MagazineError as error:
            bar.stop()
            _fail(error, debug)
            return
    for warning in result.warnings:
        console.print(f"warning: {warning}", markup=False, style="yellow")
    if result.padding_pages and not quiet:
        console.print(f"added {result.padding_pages} blank page(s) before the back cover "
                      "to make the page count a multiple of 4", markup=False)
    if result.html:
        typer.echo(f"html: {result.html}")
    if result.up_to_date:
        typer.echo("nothing changed since the last build: the PDFs are up to date")
    for path in result.outputs.values():
        typer.echo(f"{path}  {path.stat().st_size / 1e6:.1f} MB")
    for edition, (parts, laid_out) in result.parts.items():
        if not quiet and len(parts) > 1 and len(laid_out) < len(parts):
            typer.echo(f"{edition}: laid out {', '.join(laid_out) or 'nothing'}; "
                       f"{len(parts) - len(laid_out)} of {len(parts)} parts unchanged, taken from the cache")
    typer.echo(f"{result.pages} pages  {result.seconds:.1f} s")


@app.command()
def check(
    issue: IssueArg,
    json_output: Annotated[bool, typer.Option("--json", help="Print the findings as JSON")] = False,
    fix: Annotated[bool, typer.Option("--fix", help="Rewrite the unambiguous findings; print a diff")] = False,
    debug: DebugOpt = False,
) -> None:
    """Check the issue without rendering: manifest, articles, pictures, fonts, glyphs, house style.

    Prints one finding per line (file:line:column: level: rule: message). Exit 0 when
    there are no errors (warnings allowed), 1 with errors, 2 when the issue cannot be read.

    Example: magazine check issues/2022-06 --fix
    """
    from magazine.check import check_issue

    try:
        report = check_issue(issue, fix=fix)
    except MagazineError as error:
        _fail(error, debug)
        return
    if json_output:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        if report.diff:
            typer.echo(report.diff)
        for problem in report.problems:
            typer.echo(str(problem))
        console.print(report.summary(), markup=False)
    raise typer.Exit(1 if report.errors else 0)


@app.command()
def proof(
    source: Annotated[Path, typer.Argument(help="An issue folder (built first) or a PDF file")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="PNG folder (default: proof/ beside the PDF)")] = None,
    pages: Annotated[str | None, typer.Option("--pages", help="Pages to render, e.g. 5-12 or 1,3,7-9")] = None,
    spreads: Annotated[bool, typer.Option("--spreads", help="Render reader spreads instead of single pages")] = False,
    dpi: Annotated[int, typer.Option("--dpi", help="Resolution of the page PNGs")] = 100,
    debug: DebugOpt = False,
) -> None:
    """Render pages to PNG and a contact sheet of the whole issue in reader spreads.

    Example: magazine proof issues/2022-06 --pages 5-12 --spreads
    """
    from magazine.build import build_issue
    from magazine.proof import render_proofs

    try:
        if source.is_dir():
            with console.status("building…", spinner="dots"):
                pdf = build_issue(source).pdf
        else:
            pdf = source
        result = render_proofs(pdf, out or pdf.parent / "proof", pages=pages, dpi=dpi, spreads=spreads)
    except MagazineError as error:
        _fail(error, debug)
        return
    typer.echo(f"{len(result.pages)} PNG files in {(out or pdf.parent / 'proof')}")
    typer.echo(f"contact sheet: {result.contact_sheet}")


@app.command("preflight")
def preflight_command(
    pdf: Annotated[Path, typer.Argument(help="Any PDF file")],
    profile: Annotated[str, typer.Option("--profile", help="pdfx4 or pdfx1a")] = "pdfx4",
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
    ink_limit: Annotated[float, typer.Option("--ink-limit", help="Total ink limit in percent")] = 300.0,
    saddle_stitch: Annotated[bool, typer.Option("--saddle-stitch", help="Require a multiple of 4 pages")] = False,
    debug: DebugOpt = False,
) -> None:
    """Check a PDF for print: PDF/X identification and output intent, boxes, fonts, colour spaces,
    image resolution, ink coverage, hairlines, encryption, scripts, forms.

    Exit 0 when it passes (warnings allowed), 1 with errors.

    Example: magazine preflight build/2022-06/2022-06-print.pdf --profile pdfx4
    """
    from magazine.preflight import preflight

    try:
        report = preflight(pdf, profile=profile, ink_limit=ink_limit, saddle_stitch=saddle_stitch)
    except MagazineError as error:
        _fail(error, debug)
        return
    if json_output:
        typer.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        for line in report.lines():
            typer.echo(line)
        console.print(report.summary(), markup=False)
    raise typer.Exit(0 if report.passed else 1)


@app.command()
def package(
    issue: IssueArg,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (default build/<issue-id>)")] = None,
    pdfx: Annotated[str | None, typer.Option("--pdfx", help="4 (default) or 1a")] = None,
    debug: DebugOpt = False,
) -> None:
    """Package the issue for the printer: print PDF, imposed spreads, preflight report, job ticket,
    proof sheet and font list, in a folder and a zip.

    Example: magazine package issues/2022-06
    """
    from magazine.package import package_issue

    with console.status("packaging…", spinner="dots") as status:
        try:
            result = package_issue(issue, out, pdfx=pdfx, progress=lambda stage: status.update(f"{stage}…"))
        except MagazineError as error:
            status.stop()
            _fail(error, debug)
            return
    for path in result.files:
        typer.echo(f"  {path}")
    typer.echo(f"{result.zip}  {result.pages} pages")


@app.command("impose")
def impose_command(
    issue: IssueArg,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (default build/<issue-id>)")] = None,
    debug: DebugOpt = False,
) -> None:
    """Write printer's spreads for saddle-stitch (sheet order 40-1 2-39 …, creep from the manifest).

    Example: magazine impose issues/2022-06
    """
    from magazine.build import build_issue, write_atomic
    from magazine.impose import impose
    from magazine.manifest import load_manifest

    try:
        manifest = load_manifest(issue).manifest
        with console.status("building…", spinner="dots"):
            built = build_issue(issue, out)
        imposed = impose(built.pdf.read_bytes(), bleed=manifest.format.bleed.points, creep=manifest.print.creep.points)
        target = built.pdf.with_name(f"{built.issue_id}-imposed.pdf")
        write_atomic(target, imposed.data)
    except MagazineError as error:
        _fail(error, debug)
        return
    order = " ".join(f"{left}-{right}" for left, right in imposed.spreads[:4])
    typer.echo(f"{target}  {len(imposed.spreads)} spreads: {order} …")


@app.command()
def new(
    issue: Annotated[Path, typer.Argument(help="The new issue's folder, e.g. issues/2022-07")],
    source: Annotated[Path | None, typer.Option("--from", help="The issue to start from (default: the latest)")] = None,
    debug: DebugOpt = False,
) -> None:
    """Create the next issue from the last: number, label and date advanced, the same sections,
    one placeholder article per section; it builds at once.

    Example: magazine new issues/2022-07 --from issues/2022-06
    """
    from magazine.new import latest_issue, new_issue

    try:
        created = new_issue(issue, source or latest_issue(issue.parent))
    except MagazineError as error:
        _fail(error, debug)
        return
    typer.echo(f"{created.folder}: {created.label}, {created.date.isoformat()}, {len(created.articles)} placeholder "
               "articles")
    for path in created.articles:
        typer.echo(f"  {path}")


@app.command()
def watch(
    issue: IssueArg,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (default build/<issue-id>)")] = None,
    no_proofs: Annotated[bool, typer.Option("--no-proofs", help="Do not keep page PNGs up to date")] = False,
) -> None:
    """Rebuild on every saved change; keep the last good PDF when a build fails; keep PNG proofs
    of the changed pages in <out>/proof. Stop with Ctrl-C.

    Example: magazine watch issues/2022-06
    """
    from magazine.watch import WatchEvent, watch_issue

    def report(event: WatchEvent) -> None:
        changed = ", ".join(path.name for path in event.changed[:5]) or "first build"
        if len(event.changed) > 5:
            changed += f" and {len(event.changed) - 5} more"
        if event.ok:
            proofs = f", {len(event.proofs_written)} proof pages updated" if not no_proofs else ""
            typer.echo(f"{time.strftime('%H:%M:%S')}  {changed}: {event.pdf}  {event.pages} pages  "
                       f"{event.seconds:.1f} s{proofs}")
        else:
            typer.echo(f"{time.strftime('%H:%M:%S')}  {changed}: build failed, the last good PDF is kept")
            for problem in event.problems:
                console.print(problem, markup=False, style="red")

    typer.echo(f"watching {issue} (Ctrl-C to stop)")
    watch_issue(issue, out, on_event=report, proofs=not no_proofs)


@app.command()
def catalogue(
    issue: Annotated[Path, typer.Argument(help="The issue to take the pages from")] = Path("issues/2022-06"),
    debug: DebugOpt = False,
) -> None:
    """Write a PNG of each page layout of the issue's theme into layouts/<theme>/catalogue/.

    Example: magazine catalogue issues/2022-06
    """
    from magazine.catalogue import make_catalogue

    try:
        with console.status("building…", spinner="dots"):
            entries = make_catalogue(issue)
    except MagazineError as error:
        _fail(error, debug)
        return
    for entry in entries:
        typer.echo(f"{entry.kind:14} page {entry.page:3}  {entry.image}")


@app.command()
def doctor(
    json_output: Annotated[bool, typer.Option("--json", help="Print the checks as JSON")] = False,
) -> None:
    """Check this machine: Python, WeasyPrint, Pango, HarfBuzz, fontconfig, fonts, colour profile,
    PDF tools and write access. Each failure says how to fix it.

    Exit 0 when everything needed is there (warnings allowed), 1 when something is missing.

    Example: magazine doctor
    """
    from dataclasses import asdict

    from magazine.doctor import diagnose, exit_code, report_lines, summary

    with console.status("checking…", spinner="dots"):
        checks = diagnose()
    if json_output:
        typer.echo(json.dumps([asdict(check) for check in checks], ensure_ascii=False, indent=2))
    else:
        for line in report_lines(checks):
            typer.echo(line)
        console.print(summary(checks), markup=False)
    raise typer.Exit(exit_code(checks))


@app.command()
def unpack(
    pdf: Annotated[Path, typer.Argument(help="An archive edition, e.g. build/2022-06/2022-06-archive.pdf")],
    folder: Annotated[Path, typer.Argument(help="A new folder for the issue, e.g. issues/2022-06")],
    debug: DebugOpt = False,
) -> None:
    """Recover a buildable issue folder from an archive PDF (its embedded sources).

    Example: magazine unpack archive/2022/2022-06/2022-06-archive.pdf issues/2022-06
    """
    from magazine.sources import unpack as unpack_sources

    try:
        result = unpack_sources(pdf, folder)
    except MagazineError as error:
        _fail(error, debug)
        return
    typer.echo(f"{result.folder}: {len(result.files)} files")
    if result.missing_pictures:
        typer.echo("pictures that were not embedded (put them back before building):")
        for name in result.missing_pictures:
            typer.echo(f"  {name}")


@app.command()
def bench(
    runs: Annotated[int, typer.Option("--runs", help="Runs of each scenario (medians are reported)")] = 5,
    scale: Annotated[str, typer.Option("--scale", help="Page counts of the synthetic issues, e.g. 100,500; "
                                       "'none' to skip")] = "100,500",
    json_file: Annotated[Path, typer.Option("--json", help="Where to write the results as JSON")] = Path(
        "build/bench.json"),
) -> None:
    """Benchmark the pipeline against plain WeasyPrint: cold, warm, no-change, all editions, scale.

    Example: magazine bench --runs 5
    """
    from magazine.bench import run_benchmark, table

    sizes = () if scale == "none" else tuple(int(v) for v in scale.split(","))
    with console.status("benchmarking (several minutes)…", spinner="dots"):
        results = run_benchmark(runs, scale=sizes)
    json_file.parent.mkdir(parents=True, exist_ok=True)
    json_file.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(table(results))
    typer.echo(f"\n{json_file}")


@app.command()
def fonts() -> None:
    """List the bundled faces with their coverage.

    Example: magazine fonts
    """
    from magazine.fonts import describe_faces

    for line in describe_faces():
        typer.echo(line)


archive_app = typer.Typer(help="Keep every issue safe: add, list, verify.", no_args_is_help=True)
app.add_typer(archive_app, name="archive")
ArchiveDir = Annotated[Path, typer.Option("--to", help="The archive folder")]


@archive_app.command("add")
def archive_add(
    issue: IssueArg,
    to: ArchiveDir = Path("archive"),
    replace: Annotated[bool, typer.Option("--replace", help="Archive a changed issue again, keeping the old "
                                          "version under superseded/")] = False,
    debug: DebugOpt = False,
) -> None:
    """Build the issue's three editions and archive them with checksums, a catalogue record and
    a cover in index.html. An issue archived with other content is never overwritten silently.

    Example: magazine archive add issues/2022-06 --to archive
    """
    from magazine.archive import add_issue

    try:
        with console.status("archiving…", spinner="dots"):
            result = add_issue(issue, to, replace=replace)
    except MagazineError as error:
        _fail(error, debug)
        return
    typer.echo(f"{result.issue_id}: {result.status} in {result.folder}")
    if result.superseded:
        typer.echo(f"previous version kept in {result.superseded}")


@archive_app.command("list")
def archive_list(archive: Annotated[Path, typer.Argument(help="The archive folder")] = Path("archive")) -> None:
    """Print the catalogue as a table.

    Example: magazine archive list archive
    """
    from magazine.archive import list_issues

    typer.echo(f"{'id':10} {'title':8} {'issue':8} {'date':10} {'pages':>5} {'print':>9} {'screen':>9} "
               f"{'archive':>9}  archived at")
    for record in list_issues(archive):
        sizes = " ".join(f"{record['editions'][e]['bytes'] / 1e6:>6.1f} MB" for e in ("print", "screen", "archive"))
        typer.echo(f"{record['id']:10} {record['title']:8} {record['label']:8} {record['date']:10} "
                   f"{record['pages']:>5} {sizes}  {record['archived_at']}")


@archive_app.command("verify")
def archive_verify(archive: Annotated[Path, typer.Argument(help="The archive folder")] = Path("archive")) -> None:
    """Recheck every checksum and PDF, that archive editions still declare PDF/A, and that no
    file is missing or unlisted. Exit 1 on any finding.

    Example: magazine archive verify archive
    """
    from magazine.archive import verify

    findings = verify(archive)
    for finding in findings:
        typer.echo(str(finding))
    console.print(f"{archive}: {len(findings)} finding(s)", markup=False)
    raise typer.Exit(1 if findings else 0)


if __name__ == "__main__":
    app()
