"""``magazine doctor``: is this machine ready to build the magazine?

Checks, in order: Python, WeasyPrint (exactly the version the line layout extension is
written for), Pango, HarfBuzz's subset library, the fontconfig isolation, the bundled
fonts against their checksums, the default CMYK output profile, the PDF checkers the
tests use (qpdf, Ghostscript), pdftoppm, and write access to the output and cache
folders. Every failing check says what is missing and how to install it.

Nothing here renders or changes the project: the only files written are the isolated
fontconfig file and fontconfig's cache (both in the cache folder, as every build writes
them) and a temporary file in each folder whose write access is checked.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from . import fonts
from .errors import MagazineError
from .manifest import PROFILES, PrintSettings
from .themes import PROJECT_ROOT

Level = Literal["error", "warning", "info"]

MIN_PYTHON = (3, 11)
MIN_PANGO = (1, 44)
DEFAULT_PROFILE = PROFILES / f"{PrintSettings.model_fields['profile'].default}.icc"
DEFAULT_OUTPUT = Path("build")  # where ``magazine build`` writes by default, relative to the current folder
HARFBUZZ_SUBSET_NAMES = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll")
TOOL_TIMEOUT = 60  # seconds for fc-list (it may build its cache) and the --version calls
STATUS_WIDTH = 8


@dataclass(frozen=True)
class Check:
    """The outcome of one check.

    ``level`` is how serious a failure is: ``error`` stops builds, ``warning`` makes them
    slower or leaves something untested, ``info`` is optional. ``detail`` says what was
    found; ``fix`` how to put a failure right. ``missing`` marks a failure where something
    is absent (rather than present but wrong); it only changes the word in the report.
    """

    name: str
    ok: bool
    level: Level
    detail: str
    fix: str = ""
    missing: bool = False

    @property
    def status(self) -> str:
        """The first word of the report line: ok, missing, error, warning or info."""
        if self.ok:
            return "ok"
        return "missing" if self.missing else self.level


def diagnose(*, output_dir: Path | None = None) -> list[Check]:
    """Run every check; one :class:`Check` per item (one per font file).

    ``output_dir`` is the folder whose write access is checked (default ``build/`` in
    the current folder, where ``magazine build`` writes).
    """
    checks: list[Check] = []
    checks.append(_guard("Python", _python))
    checks.append(_guard("WeasyPrint", _weasyprint))
    checks.append(_guard("Pango", _pango))
    checks.append(_guard("HarfBuzz subset library", _harfbuzz_subset))
    checks.append(_guard("fontconfig isolation", _fontconfig_isolation))
    try:
        checks.extend(_fonts())
    except Exception as exc:  # unreadable font files
        checks.append(_failed("fonts", exc))
    checks.append(_guard("ICC profile", _icc_profile))
    checks.append(_guard("qpdf", lambda: _checker_tool("qpdf", "qpdf")))
    checks.append(_guard("Ghostscript", lambda: _checker_tool("Ghostscript", "gs")))
    checks.append(_guard("pdftoppm", _pdftoppm))
    output = output_dir if output_dir is not None else DEFAULT_OUTPUT
    checks.append(_guard("output folder", lambda: _writable("output folder", output,
                                                            "or build elsewhere with --out DIR")))
    checks.append(_guard("cache folder", lambda: _writable("cache folder", fonts.cache_dir(),
                                                           "or set MAGAZINE_CACHE to a writable folder")))
    return checks


def report_lines(checks: Iterable[Check]) -> list[str]:
    """One aligned line per check, e.g. ``ok      Pango 1.50.12`` or
    ``missing HarfBuzz subset library: … — fix: apt-get install libharfbuzz-subset0``."""
    lines = []
    for check in checks:
        line = f"{check.status:<{STATUS_WIDTH}}{check.name}"
        if check.detail:
            line += f" {check.detail}" if check.ok else f": {check.detail}"
        if not check.ok and check.fix:
            line += f" — fix: {check.fix}"
        lines.append(line)
    return lines


def summary(checks: Iterable[Check]) -> str:
    """``12 checks: 0 errors, 1 warning, 0 notes`` (notes: failed optional checks)."""
    checks = list(checks)
    counts = {level: sum(1 for c in checks if not c.ok and c.level == level) for level in ("error", "warning", "info")}

    def plural(n: int, word: str) -> str:
        return f"{n} {word}" + ("" if n == 1 else "s")

    return (f"{plural(len(checks), 'check')}: {plural(counts['error'], 'error')}, "
            f"{plural(counts['warning'], 'warning')}, {plural(counts['info'], 'note')}")


def exit_code(checks: Iterable[Check]) -> int:
    """1 when any check failed at level ``error``, else 0 (warnings and notes allowed)."""
    return 1 if any(not c.ok and c.level == "error" for c in checks) else 0


# ---------------------------------------------------------------- the checks


def _guard(name: str, check: Callable[[], Check]) -> Check:
    """Run one check; an unexpected exception becomes a failed check instead of a crash."""
    try:
        return check()
    except Exception as exc:  # a doctor must report, not crash
        return _failed(name, exc)


def _failed(name: str, exc: Exception) -> Check:
    return Check(name, False, "error", f"the check itself failed: {type(exc).__name__}: {exc}",
                 "please report this message to the developers")


def _python() -> Check:
    version = ".".join(str(part) for part in sys.version_info[:3])
    if sys.version_info >= MIN_PYTHON:
        return Check("Python", True, "error", version)
    return Check("Python", False, "error", f"{version} runs this, {_dotted(MIN_PYTHON)} or newer is needed",
                 "install Python 3.11 (apt-get install python3 python3-venv on Debian 12), "
                 "then recreate the virtualenv: rm -rf .venv && ./dev setup")


def _weasyprint() -> Check:
    from .typography.linelayout import SUPPORTED_WEASYPRINT

    fix = f".venv/bin/pip install weasyprint=={SUPPORTED_WEASYPRINT} (or ./dev setup)"
    try:
        version = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return Check("WeasyPrint", False, "error", "not installed in this Python", fix, missing=True)
    if version != SUPPORTED_WEASYPRINT:
        return Check("WeasyPrint", False, "error",
                     f"{version} is installed; the line layout extension (magazine/typography/linelayout.py) "
                     f"is written for exactly {SUPPORTED_WEASYPRINT}", fix)
    return Check("WeasyPrint", True, "error", version)


def _pango() -> Check:
    fix = "apt-get install libpango-1.0-0 libpangoft2-1.0-0"
    if not _has_distribution("weasyprint"):
        return Check("Pango", False, "error", "not checked: WeasyPrint is not installed",
                     "install WeasyPrint first (see above)")
    try:
        pango = _weasyprint_ffi().pango
    except OSError as exc:
        return Check("Pango", False, "error", f"WeasyPrint cannot load Pango ({exc})", fix, missing=True)
    number = pango.pango_version()  # major * 10000 + minor * 100 + micro
    version = (number // 10000, number // 100 % 100, number % 100)
    if version[:2] < MIN_PANGO:
        return Check("Pango", False, "error", f"{_dotted(version)} is installed, {_dotted(MIN_PANGO)} or newer "
                     "is needed", f"upgrade Pango: {fix} (Debian 11 or newer)")
    return Check("Pango", True, "error", _dotted(version))


def _weasyprint_ffi():
    """``weasyprint.text.ffi``, imported without its console message or deprecation warning."""
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from weasyprint.text import ffi
    return ffi


def _harfbuzz_subset() -> Check:
    name = "HarfBuzz subset library"
    found = ctypes.util.find_library("harfbuzz-subset")
    for candidate in ([found] if found else []) + list(HARFBUZZ_SUBSET_NAMES):
        try:
            ctypes.CDLL(candidate)
        except OSError:
            continue
        from .workers import worker_count

        return Check(name, True, "warning", f"({candidate}; builds use {worker_count()} worker processes)")
    return Check(name, False, "warning", "the fonts are not reduced to an issue's characters, every part embeds "
                 "its own subsets, and WeasyPrint subsets with fontTools, about ten times slower",
                 "apt-get install libharfbuzz-subset0", missing=True)


def _fontconfig_isolation() -> Check:
    name = "fontconfig isolation"
    try:
        conf = fonts.isolated_fontconfig()
    except OSError as exc:
        return Check(name, False, "error", f"cannot write the fontconfig file in {_short(fonts.cache_dir())}/: "
                     f"{exc.strerror or exc}", "make the cache folder writable, or set MAGAZINE_CACHE to a "
                     "writable folder")
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return Check(name, False, "info", f"fc-list not found, so {_short(conf)} could not be tried; builds use "
                     "it all the same", "apt-get install fontconfig", missing=True)
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    env.pop("FONTCONFIG_PATH", None)
    result = subprocess.run([fc_list, "--format", "%{file}\\n"], env=env, capture_output=True, text=True,
                            timeout=TOOL_TIMEOUT, check=False)
    if result.returncode != 0:
        return Check(name, False, "error", f"fc-list failed with {_short(conf)}: {result.stderr.strip()}",
                     "apt-get install --reinstall fontconfig libfontconfig1")
    seen = {Path(line).resolve() for line in result.stdout.splitlines() if line.strip()}
    folder = fonts.FONTS_DIR.resolve()
    outside = sorted(str(path) for path in seen if not path.is_relative_to(folder))
    if outside:
        shown = ", ".join(outside[:3]) + (f" and {len(outside) - 3} more" if len(outside) > 3 else "")
        return Check(name, False, "error", f"with {_short(conf)} fc-list also lists fonts outside fonts/: {shown}; "
                     "installed fonts could stand in for the bundled ones",
                     "make sure nothing overrides FONTCONFIG_FILE (FONTCONFIG_SYSROOT, a patched fontconfig)")
    if not seen:
        return Check(name, False, "error", f"with {_short(conf)} fc-list lists no fonts at all",
                     "restore fonts/ from git: git checkout -- fonts/")
    with contextlib.suppress(Exception):  # an unreadable index is reported by the font checks
        unseen = sorted(face.file for face in fonts.load_index(fonts.INDEX)
                        if face.path.is_file() and face.path.resolve() not in seen)
        if unseen:
            return Check(name, False, "error", f"with {_short(conf)} fc-list does not see {', '.join(unseen)}",
                         f"check that fontconfig can read them: fc-scan {_short(fonts.FONTS_DIR)}/{unseen[0]}")
    return Check(name, True, "error", f"fc-list sees only the {len(seen)} font files in fonts/")


def _fonts() -> list[Check]:
    """One check per font in the index: present and matching its recorded sha256."""
    index = fonts.INDEX
    try:
        faces = fonts.load_index(index)
    except MagazineError as exc:
        return [Check("font index", False, "error", f"{_short(index)}: {exc.problems[0].message}",
                      "restore it from git, or rewrite it with python -m magazine.fonts", missing=True)]
    except Exception as exc:  # unreadable YAML, unknown keys
        return [Check("font index", False, "error", f"{_short(index)} cannot be read: {exc}",
                      "restore it from git, or rewrite it with python -m magazine.fonts")]
    if not faces:
        return [Check("font index", False, "error", f"{_short(index)} lists no fonts",
                      "restore it from git, or rewrite it with python -m magazine.fonts")]
    checks = []
    for face in faces:
        name = f"font {face.file}"
        restore = f"restore it from git: git checkout -- {_short(face.path)}"
        if not face.path.is_file():
            checks.append(Check(name, False, "error", f"{face.family} {face.weight} is listed in {_short(index)} "
                                "but the file is not in fonts/", restore, missing=True))
        elif fonts.sha256(face.path) != face.sha256:
            checks.append(Check(name, False, "error", f"{face.family} {face.weight}: sha256 differs from the one "
                                f"recorded in {_short(index)} (changed or replaced file)",
                                f"{restore}; or, if the new file is intended, re-index with python -m magazine.fonts"))
        else:
            checks.append(Check(name, True, "error", f"({face.family} {face.weight}), sha256 matches"))
    return checks


def _icc_profile() -> Check:
    name = "ICC profile"
    path = DEFAULT_PROFILE
    restore = f"restore it from git: git checkout -- {_short(path)} (profiles/README.md says how it was made)"
    if not path.is_file():
        return Check(name, False, "error", f"{_short(path)} not found: print PDFs need it as output intent",
                     restore, missing=True)
    with path.open("rb") as handle:
        header = handle.read(128)
    if len(header) < 128 or header[36:40] != b"acsp":
        return Check(name, False, "error", f"{_short(path)} is not an ICC profile", restore)
    space = header[16:20].decode("latin-1").strip()
    if header[16:20] != b"CMYK":
        return Check(name, False, "error", f"{_short(path)} is a {space} profile; the output intent of a print "
                     "PDF needs a CMYK one", restore)
    return Check(name, True, "error", f"{_short(path)}, CMYK")


def _checker_tool(name: str, command: str) -> Check:
    path = shutil.which(command)
    if path is None:
        return Check(name, False, "warning", f"{command} not found: the tests use it to check the print PDF "
                     "(they are skipped without it)", "apt-get install qpdf ghostscript", missing=True)
    return Check(name, True, "warning", _tool_version(path, "--version"))


def _pdftoppm() -> Check:
    path = shutil.which("pdftoppm")
    if path is None:
        return Check("pdftoppm", False, "info", "not found (optional: Poppler's renderer, for comparing proofs; "
                     "magazine proof does not need it)", "apt-get install poppler-utils", missing=True)
    return Check("pdftoppm", True, "info", _tool_version(path, "-v"))


def _writable(name: str, folder: Path, alternative: str) -> Check:
    """Create (and delete) a temporary file in ``folder``, or in its nearest existing parent
    when ``folder`` does not exist yet (it is created on first use)."""
    target = folder.resolve()
    probe = target
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    shown = _short(target) + "/"
    if not probe.is_dir():
        return Check(name, False, "error", f"{shown}: {_short(probe)} is not a folder",
                     f"remove or rename {_short(probe)}, {alternative}")
    try:
        with tempfile.TemporaryFile(dir=probe, prefix=".doctor-"):
            pass
    except OSError as exc:
        where = "" if probe == target else f" (it does not exist yet and {_short(probe)}/ is not writable)"
        return Check(name, False, "error", f"cannot write to {shown}{where}: {exc.strerror or exc}",
                     f"make it writable (chmod u+w {_short(probe)}), {alternative}")
    return Check(name, True, "error", f"{shown} is writable" + ("" if probe == target else " (will be created)"))


# ---------------------------------------------------------------- helpers


def _tool_version(path: str, flag: str) -> str:
    """The first version number a tool prints for ``flag``, or its path."""
    try:
        result = subprocess.run([path, flag], capture_output=True, text=True, timeout=TOOL_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return path
    match = re.search(r"\d+(?:\.\d+)+", result.stdout + result.stderr)
    return match.group(0) if match else path


def _has_distribution(name: str) -> bool:
    try:
        metadata.version(name)
    except metadata.PackageNotFoundError:
        return False
    return True


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def _short(path: Path) -> str:
    """``path`` relative to the project (or the current folder) when it lies inside."""
    path = Path(path)
    for base in (PROJECT_ROOT, Path.cwd()):
        with contextlib.suppress(ValueError):
            return str(path.resolve().relative_to(base.resolve()))
    return str(path)


if __name__ == "__main__":
    results = diagnose()
    print("\n".join(report_lines(results)))
    print(summary(results))
    sys.exit(exit_code(results))
