"""Layout themes: folders of Jinja2 templates and CSS under ``layouts/``, no Python.

A theme folder holds:

- ``issue.html.j2``: the whole document (cover, contents, sections, back cover);
- ``articles/<layout>.html.j2``: one template per article layout (feature, brief, …);
- ``css/*.css``: stylesheets, linked in file-name order.

A designer adds a layout by adding a template under ``articles/`` (and CSS for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import MagazineError, Problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = PROJECT_ROOT / "layouts"


@dataclass(frozen=True)
class Theme:
    name: str
    folder: Path

    @property
    def article_layouts(self) -> frozenset[str]:
        return frozenset(p.name.removesuffix(".html.j2") for p in (self.folder / "articles").glob("*.html.j2"))

    @property
    def stylesheets(self) -> list[Path]:
        return sorted((self.folder / "css").glob("*.css"))


def find_theme(name: str, issue_folder: Path | None = None) -> Theme:
    """The theme called ``name`` in ``layouts/`` (or a theme folder given as a path)."""
    candidates = []
    if "/" in name and issue_folder is not None:
        candidates.append((issue_folder / name).resolve())
    candidates.append(LAYOUTS / name)
    for folder in candidates:
        if (folder / "issue.html.j2").is_file():
            return Theme(name=folder.name, folder=folder)
    known = sorted(p.name for p in LAYOUTS.iterdir() if (p / "issue.html.j2").is_file()) if LAYOUTS.is_dir() else []
    raise MagazineError(Problem(f"unknown theme '{name}'",
                                hint="themes available: " + (", ".join(known) or "none")))
