"""The bundled typefaces: their index, checksums, and an isolated fontconfig.

``fonts/fonts.yaml`` records every face in ``fonts/`` (family, weight, style, file,
version, licence, sha256). Rendering sees only these files: the renderer points
fontconfig at a configuration that lists ``fonts/`` and nothing else, so no font
installed on the machine can stand in for them.

    python -m magazine.fonts        # (re)write fonts/fonts.yaml from the files in fonts/
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from .errors import MagazineError, Problem
from .themes import PROJECT_ROOT

FONTS_DIR = PROJECT_ROOT / "fonts"
INDEX = FONTS_DIR / "fonts.yaml"
FONT_SUFFIXES = {".otf", ".ttf", ".otc", ".ttc", ".woff", ".woff2"}


@dataclass(frozen=True)
class Face:
    family: str
    weight: int
    style: str
    file: str
    version: str
    licence: str
    sha256: str

    @property
    def path(self) -> Path:
        return FONTS_DIR / self.file


def cache_dir() -> Path:
    """The project's cache folder (``.cache/``, or ``$MAGAZINE_CACHE``)."""
    return Path(os.environ.get("MAGAZINE_CACHE") or PROJECT_ROOT / ".cache")


def load_index(index: Path = INDEX) -> list[Face]:
    if not index.is_file():
        raise MagazineError(Problem("font index missing", file=index,
                                    hint="run: python -m magazine.fonts"), usage=False)
    data = yaml.safe_load(index.read_text(encoding="utf-8")) or {}
    return [Face(**entry) for entry in data.get("fonts", [])]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_fonts(faces: list[Face] | None = None) -> list[Face]:
    """The indexed faces, after checking each file exists and matches its checksum.

    Checksums are remembered per (file, size, mtime) in the cache, so an unchanged
    font is not read again on every build.
    """
    faces = load_index() if faces is None else faces
    memo_file = cache_dir() / "font-checksums.yaml"
    try:
        memo = yaml.safe_load(memo_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        memo = {}
    problems = []
    changed = False
    for face in faces:
        if not face.path.is_file():
            problems.append(Problem(f"font file missing: {face.file} ({face.family} {face.weight})",
                                    file=INDEX, hint="restore it from git, or re-index with "
                                                     "python -m magazine.fonts"))
            continue
        stat = face.path.stat()
        key = f"{face.file}:{stat.st_size}:{stat.st_mtime_ns}"
        digest = memo.get(key)
        if digest is None:
            digest = sha256(face.path)
            memo[key] = digest
            changed = True
        if digest != face.sha256:
            problems.append(Problem(f"font file changed since it was recorded: {face.file}",
                                    file=face.path, hint="restore it from git, or re-index with "
                                                         "python -m magazine.fonts if the change is intended"))
    if changed:
        _write_atomic(memo_file, yaml.safe_dump(memo, sort_keys=True))
    if problems:
        raise MagazineError(problems, usage=False)
    return faces


def isolated_fontconfig() -> Path:
    """Write (if needed) and return a fontconfig file that knows only ``fonts/``."""
    folder = cache_dir() / "fontconfig"
    conf = folder / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{escape(str(FONTS_DIR))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n"
        "</fontconfig>\n"
    )
    if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
        _write_atomic(conf, text)
    return conf


def issue_fontconfig(characters: str) -> Path | None:
    """A fontconfig file that knows only the bundled faces reduced to ``characters`` (plus
    ``fontsubset.BASE_CHARACTERS``): small fonts that WeasyPrint loads and embeds quickly,
    and that are the same for every part of an issue. Made once per character set and
    kept in the cache (``.cache/fonts/<key>/``). None when HarfBuzz's subsetter is not
    installed: the renderer then uses the whole bundled fonts."""
    from .cachelimits import prune, touch
    from .fontsubset import BASE_CHARACTERS, FontSubsetError, harfbuzz_version, subset_fonts, subset_key

    try:
        harfbuzz_version()
    except FontSubsetError:
        return None

    faces = [face.path for face in load_index()]
    wanted = "".join(sorted(set(characters) | set(BASE_CHARACTERS)))
    key = hashlib.sha256("\0".join(subset_key(face, wanted) for face in faces).encode()).hexdigest()[:16]
    folder = cache_dir() / "fonts" / key
    conf = folder / "fonts.conf"
    if conf.is_file():
        touch(conf)
        return conf
    subset_fonts(faces, wanted, folder)
    (cache_dir() / "fontconfig" / "cache").mkdir(parents=True, exist_ok=True)
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{escape(str(folder))}</dir>\n"
        f"  <cachedir>{escape(str(cache_dir() / 'fontconfig' / 'cache'))}</cachedir>\n"
        "</fontconfig>\n"
    )
    _write_atomic(conf, text)
    prune(cache_dir() / "fonts", "fonts", keep={key})
    return conf


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def build_index(folder: Path = FONTS_DIR) -> list[dict]:
    """Read every font file in ``folder`` and describe it for ``fonts.yaml``."""
    from fontTools.ttLib import TTFont

    entries = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES):
        font = TTFont(str(path), lazy=True)
        name = font["name"]
        family = name.getDebugName(16) or name.getDebugName(1)
        subfamily = (name.getDebugName(17) or name.getDebugName(2) or "").lower()
        weight = font["OS/2"].usWeightClass
        if "bold" in subfamily and weight < 600:
            weight = 700
        version = (name.getDebugName(5) or "").split(";")[0].replace("Version ", "")
        licence = name.getDebugName(13) or ""
        licence = "SIL Open Font License 1.1 (LICENSE-OFL.txt)" if "Open Font License" in licence else licence
        entries.append({
            "family": family, "weight": int(weight), "style": "italic" if "italic" in subfamily else "normal",
            "file": path.name, "version": version, "licence": licence, "sha256": sha256(path),
        })
        font.close()
    return entries


if __name__ == "__main__":
    entries = build_index()
    header = "# The bundled typefaces. Generated by `python -m magazine.fonts`; do not edit by hand.\n"
    INDEX.write_text(header + yaml.safe_dump({"fonts": entries}, allow_unicode=True, sort_keys=False),
                     encoding="utf-8")
    for entry in entries:
        print(f"{entry['family']:24} {entry['weight']:4} {entry['file']}")


def gb2312_hanzi() -> set[str]:
    """The 6,763 Han characters of GB 2312 (rows 16–87)."""
    chars = set()
    for row in range(0xB0, 0xF8):
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([row, cell]).decode("gb2312"))
    return chars


def describe_faces() -> list[str]:
    """One line per bundled face: family, weight, file, version, code points, GB 2312 coverage."""
    from .typography.coverage import face_code_points

    hanzi = gb2312_hanzi()
    lines = [f"{'family':20} {'weight':>6}  {'file':28} {'version':8} {'code points':>11}  GB 2312 hanzi"]
    for face in load_index():
        points = face_code_points(face)
        covered = sum(1 for char in hanzi if ord(char) in points)
        lines.append(f"{face.family:20} {face.weight:>6}  {face.file:28} {face.version:8} {len(points):>11,}  "
                     f"{covered}/{len(hanzi)}")
    lines.append("licence: " + ", ".join(sorted({face.licence for face in load_index()})))
    return lines
