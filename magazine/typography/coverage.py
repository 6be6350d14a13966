"""Glyph coverage: every character of the issue's text must be in the fonts that set it.

Checked before rendering, on the sources (manifest strings, articles, data files), so
that a missing glyph is reported where it was typed — never discovered as tofu in the
PDF. Rendering sees only the bundled fonts (``fonts/``) and falls back from the family a
layout names to any other bundled face, so a character is covered when some bundled face
has it.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..fonts import Face, cache_dir, load_index
from ..manifest import IssueManifest


@dataclass(frozen=True)
class Coverage:
    """The code points of each bundled family."""

    families: dict[str, frozenset[int]]

    def covers(self, char: str) -> bool:
        return any(ord(char) in points for points in self.families.values())


def face_code_points(face: Face) -> frozenset[int]:
    """The code points in the face's cmap, cached by the face's checksum."""
    cache = cache_dir() / "cmap" / f"{face.sha256}.json"
    try:
        return frozenset(_expand(json.loads(cache.read_text(encoding="utf-8"))))
    except (OSError, ValueError):
        pass
    from fontTools.ttLib import TTFont

    font = TTFont(str(face.path), lazy=True)
    points = frozenset(font.getBestCmap())
    font.close()
    cache.parent.mkdir(parents=True, exist_ok=True)
    temporary = cache.with_suffix(".tmp")
    temporary.write_text(json.dumps(_ranges(points)), encoding="utf-8")
    temporary.replace(cache)
    return points


def _ranges(points: frozenset[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for point in sorted(points):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return ranges


def _expand(ranges: list[list[int]]) -> set[int]:
    return {point for start, end in ranges for point in range(start, end + 1)}


def bundled_coverage() -> Coverage:
    families: dict[str, frozenset[int]] = {}
    for face in load_index():
        families[face.family] = families.get(face.family, frozenset()) | face_code_points(face)
    return Coverage(families)


def source_files(issue: IssueManifest) -> list[Path]:
    """The issue's text sources: manifest, articles, data files."""
    files = [issue.file]
    files += sorted((issue.folder / "articles").glob("*.md")) if (issue.folder / "articles").is_dir() else []
    files += [issue.resolve(entry.file) for section in issue.manifest.sections for entry in section.articles]
    files += sorted((issue.folder / "data").glob("*.csv")) if (issue.folder / "data").is_dir() else []
    seen, unique = set(), []
    for file in files:
        if file.resolve() not in seen and file.is_file():
            seen.add(file.resolve())
            unique.append(file)
    return unique


def missing_glyphs(issue: IssueManifest) -> list[Problem]:
    """One problem per line holding a character that a font of the theme lacks."""
    coverage = bundled_coverage()
    families = ", ".join(sorted(coverage.families))
    problems = []
    for file in source_files(issue):
        text = file.read_text(encoding="utf-8-sig", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            if file.suffix == ".yaml" and line.lstrip().startswith("#"):
                continue
            for column, char in enumerate(line, start=1):
                if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
                    continue
                if not coverage.covers(char):
                    name = unicodedata.name(char, "unnamed character")
                    problems.append(Problem(
                        f"character '{char}' (U+{ord(char):04X} {name}) is in none of the bundled fonts "
                        f"({families})",
                        file=file, line=number, column=column,
                        hint="add a font or a fallback face that has it to fonts/ "
                             "(python -m magazine.fonts), or replace the character"))
    return problems
