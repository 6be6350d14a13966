"""The one error type of the pipeline: a problem with a location a designer can act on."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem found in an input: where it is, what is wrong, what to do."""

    message: str
    file: Path | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None
    level: str = "error"

    def location(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(_display_path(self.file))
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.level}: " if where else f"{self.level}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return text


class MagazineError(Exception):
    """Raised for any problem with the inputs or the build; carries one or more Problems.

    The CLI prints the problems, one per line, without a traceback.
    """

    def __init__(self, problems: Problem | list[Problem] | str, *, usage: bool = True) -> None:
        if isinstance(problems, str):
            problems = Problem(problems)
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else list(problems)
        # usage=True: the input is wrong (exit code 2); False: the build failed (exit code 1).
        self.usage = usage
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple:
        # Keep the problems and the exit code when the error crosses a process boundary.
        return _rebuild, (self.problems, self.usage)


def _rebuild(problems: list[Problem], usage: bool) -> MagazineError:
    return MagazineError(problems, usage=usage)


def _display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
