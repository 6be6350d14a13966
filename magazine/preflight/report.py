"""What preflight finds: one Finding per problem, gathered in a PreflightReport."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import _display_path

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    """One problem found in a PDF: how bad, which check, what, where (1-based page or None)."""

    level: str
    check: str
    message: str
    page: int | None = None
    obj: str | None = None

    def __str__(self) -> str:
        text = f"page {self.page}: " if self.page is not None else ""
        text += f"{self.level}: {self.check}: {self.message}"
        if self.obj:
            text += f" ({self.obj})"
        return text


@dataclass
class PreflightReport:
    """The findings of one preflight run, document-level first, then by page."""

    file: Path
    profile: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level != ERROR]

    @property
    def passed(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not self.errors

    def summary(self) -> str:
        verdict = "passed" if self.passed else "failed"
        return (f"{_display_path(self.file)}: preflight {self.profile} {verdict}: "
                f"{len(self.errors)} errors, {len(self.warnings)} warnings")

    def lines(self) -> list[str]:
        """One line per finding: ``file: page 3: error: check: message (obj)``."""
        where = _display_path(self.file)
        return [f"{where}: {finding}" for finding in self.findings]

    def to_json(self) -> dict:
        return {
            "file": str(self.file),
            "profile": self.profile,
            "passed": self.passed,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [asdict(finding) for finding in self.findings],
        }
