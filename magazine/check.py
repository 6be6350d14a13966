"""``magazine check``: everything that can be known without rendering.

Manifest validation, every article, picture and data file, the fonts' checksums, glyph
coverage (errors), and the house-style lint (warnings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .content import load_content
from .errors import Problem
from .fonts import verify_fonts
from .manifest import load_manifest
from .render import theme_css_problems
from .typography.coverage import missing_glyphs
from .typography.lint import fix_issue, lint_issue


@dataclass
class CheckReport:
    issue_id: str
    sections: int
    articles: int
    pictures: int
    problems: list[Problem] = field(default_factory=list)
    diff: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    def summary(self) -> str:
        warnings = len(self.problems) - len(self.errors)
        return (f"{self.issue_id}: {self.sections} sections, {self.articles} articles, {self.pictures} pictures; "
                f"{len(self.errors)} errors, {warnings} warnings")

    def as_json(self) -> dict:
        return {
            "issue": self.issue_id,
            "findings": [
                {"file": str(p.file) if p.file else None, "line": p.line, "column": p.column,
                 "level": p.level, "rule": p.field, "message": p.message, "hint": p.hint}
                for p in self.problems
            ],
            "errors": len(self.errors),
            "warnings": len(self.problems) - len(self.errors),
        }


def check_issue(issue_folder: Path | str, *, fix: bool = False) -> CheckReport:
    """Validate the issue and lint its sources; with ``fix``, first rewrite what is unambiguous.

    Manifest and article errors raise MagazineError (they stop everything); glyph coverage
    errors and lint warnings are returned as the report's problems.
    """
    issue = load_manifest(issue_folder)
    diff = fix_issue(issue) if fix else ""
    content = load_content(issue)
    verify_fonts()
    pictures = len({p.path for a in content.articles for p in a.pictures} |
                   {p.path for p in content.pictures.values()})
    problems = (theme_css_problems(issue.theme.stylesheets) + missing_glyphs(issue)
                + [finding.problem() for finding in lint_issue(issue)])
    return CheckReport(issue_id=issue.id, sections=len(content.sections), articles=len(content.articles),
                       pictures=pictures, problems=problems, diff=diff)
