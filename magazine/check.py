"""``magazine check``: everything that can be known without rendering."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .content import load_content
from .fonts import verify_fonts
from .manifest import load_manifest


@dataclass(frozen=True)
class CheckReport:
    issue_id: str
    sections: int
    articles: int
    pictures: int

    def __str__(self) -> str:
        return (f"{self.issue_id}: ok — {self.sections} sections, {self.articles} articles, "
                f"{self.pictures} pictures")


def check_issue(issue_folder: Path | str) -> CheckReport:
    """Validate the manifest, every article, picture and data file, and the fonts."""
    issue = load_manifest(issue_folder)
    content = load_content(issue)
    verify_fonts()
    pictures = len({p.path for a in content.articles for p in a.pictures} |
                   {p.path for p in content.pictures.values()})
    return CheckReport(issue_id=issue.id, sections=len(content.sections), articles=len(content.articles),
                       pictures=pictures)
