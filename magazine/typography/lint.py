"""The house-style lint: typographic problems in the sources, file:line:column.

Rules (all written here; see the README for why autocorrect-py is not used):

- ``punctuation``: half-width , . ; : ? ! ( ) and straight quotes in Chinese text
  (the same rule the renderer applies, see ``rules.py``) — fixable;
- ``mixed-quotes``: a file that uses both “” and 「」 quotation marks;
- ``full-width-latin``: full-width Latin letters and digits (Ａ, ２) — fixable;
- ``repeated-punctuation``: the same mark twice (，， 。。), except …… and ——;
- ``spaces``: doubled spaces, and a space between two Han characters — fixable;
- ``house-dictionary``: entries of ``house-style.yaml`` (wrong → right, with a note);
  fixable where the entry says ``fix: true``.

``lint_issue`` never edits; ``fix_issue`` rewrites only the fixable findings and
returns a unified diff.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import Problem
from ..manifest import IssueManifest
from ..themes import PROJECT_ROOT
from .coverage import source_files
from .rules import is_han, punctuation_changes

HOUSE_STYLE = PROJECT_ROOT / "house-style.yaml"
_FULL_WIDTH_LATIN = re.compile("[Ａ-Ｚａ-ｚ０-９]")
_REPEATED = re.compile(r"([，。、；：！？,;:!?])\1+")
_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CONTAINER = re.compile(r"^\s*:::")


@dataclass(frozen=True)
class Finding:
    """A problem at a place in a source, and, when unambiguous, its fix."""

    file: Path
    line: int
    column: int
    rule: str
    message: str
    old: str = ""
    new: str | None = None  # None: not fixable automatically

    def problem(self) -> Problem:
        return Problem(self.message, file=self.file, line=self.line, column=self.column,
                       field=self.rule, level="warning")


@dataclass(frozen=True)
class DictionaryEntry:
    wrong: str
    right: str
    note: str = ""
    fix: bool = False


def load_dictionary(path: Path = HOUSE_STYLE) -> list[DictionaryEntry]:
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [DictionaryEntry(**entry) for entry in data.get("terms", [])]


def _line_findings(line: str, file: Path, number: int, offset: int,
                   dictionary: list[DictionaryEntry]) -> list[Finding]:
    """Findings in one line of text; ``offset`` is the column where ``line`` starts in the file."""
    found: list[Finding] = []

    def add(index: int, rule: str, message: str, old: str = "", new: str | None = None) -> None:
        found.append(Finding(file, number, offset + index + 1, rule, message, old, new))

    for change in punctuation_changes(line):
        add(change.offset, "punctuation", change.message(), change.old, change.new)
    for match in _FULL_WIDTH_LATIN.finditer(line):
        ascii_form = chr(ord(match.group()) - 0xFEE0)
        add(match.start(), "full-width-latin", f"full-width '{match.group()}': use '{ascii_form}'",
            match.group(), ascii_form)
    for match in _REPEATED.finditer(line):
        add(match.start(), "repeated-punctuation", f"repeated '{match.group(1)}'")
    for match in _DOUBLE_SPACE.finditer(line):
        add(match.start(), "spaces", "more than one space", match.group(), " ")
    for i in range(1, len(line) - 1):
        if line[i] == " " and is_han(line[i - 1]) and is_han(line[i + 1]):
            add(i, "spaces", "space between Chinese characters", " ", "")
    for entry in dictionary:
        for match in re.finditer(re.escape(entry.wrong), line):
            note = f" ({entry.note})" if entry.note else ""
            add(match.start(), "house-dictionary", f"'{entry.wrong}': house style is '{entry.right}'{note}",
                entry.wrong, entry.right if entry.fix else None)
    return found


def _yaml_findings(text: str, file: Path, first_line: int, dictionary: list[DictionaryEntry]) -> list[Finding]:
    """Findings in the string values of a YAML text (keys and syntax are not text)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []  # reported by the manifest or front matter validation
    found: list[Finding] = []
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str") \
                and node.start_mark.line == node.end_mark.line and node.style in (None, '"', "'"):
            quote = 1 if node.style else 0
            found += _line_findings(node.value, file, first_line + node.start_mark.line,
                                    node.start_mark.column + quote, dictionary)
    return found


def _csv_findings(lines: list[str], file: Path, dictionary: list[DictionaryEntry]) -> list[Finding]:
    """Findings in the cells of a CSV file (the commas between cells are not text)."""
    found: list[Finding] = []
    for number, line in enumerate(lines, start=1):
        position = 0
        for cell in next(csv.reader([line]), []):
            start = line.find(cell, position)
            if start < 0:
                continue
            found += _line_findings(cell, file, number, start, dictionary)
            position = start + len(cell)
    return found


def lint_text(text: str, file: Path, dictionary: list[DictionaryEntry]) -> list[Finding]:
    """Findings for one source: a manifest (YAML), an article (Markdown) or a data file (CSV)."""
    findings: list[Finding] = []
    lines = text.splitlines()
    body_start = 0
    if file.suffix in (".yaml", ".yml"):
        return sorted(_yaml_findings(text, file, 1, dictionary), key=lambda f: (f.line, f.column))
    if file.suffix == ".csv":
        return _csv_findings(lines, file, dictionary)
    if file.suffix == ".md" and lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            findings += _yaml_findings("\n".join(lines[1:end]), file, 2, dictionary)
            body_start = end + 1
    in_fence = False
    quote_styles: dict[str, list[tuple[int, int]]] = {"curly": [], "corner": []}
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence or _CONTAINER.match(line):
            continue
        findings += _line_findings(line, file, number, 0, dictionary)
        for i, char in enumerate(line):
            if char in "“”":
                quote_styles["curly"].append((number, i + 1))
            elif char in "「」『』":
                quote_styles["corner"].append((number, i + 1))
    if quote_styles["curly"] and quote_styles["corner"]:
        minority = min(quote_styles, key=lambda k: len(quote_styles[k]))
        majority = "“”" if minority == "corner" else "「」"
        for number, column in quote_styles[minority]:
            findings.append(Finding(file, number, column, "mixed-quotes",
                                    f"mixed quotation marks: this file mostly uses {majority}"))
    return sorted(findings, key=lambda f: (f.line, f.column))


def lint_issue(issue: IssueManifest) -> list[Finding]:
    dictionary = load_dictionary()
    findings = []
    for file in source_files(issue):
        findings += lint_text(file.read_text(encoding="utf-8-sig"), file, dictionary)
    return findings


def fix_text(text: str, findings: list[Finding]) -> str:
    """``text`` with the fixable findings applied (line by line, right to left)."""
    lines = text.split("\n")
    by_line: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.new is not None and finding.old:
            by_line.setdefault(finding.line, []).append(finding)
    for number, items in by_line.items():
        line = lines[number - 1]
        done_until = len(line) + 1
        for finding in sorted(items, key=lambda f: f.column, reverse=True):
            start = finding.column - 1
            end = start + len(finding.old)
            if end > done_until or line[start:end] != finding.old:
                continue
            line = line[:start] + finding.new + line[end:]
            done_until = start
        lines[number - 1] = line
    return "\n".join(lines)


def fix_issue(issue: IssueManifest) -> str:
    """Apply the fixable findings to the sources; return the unified diff of the changes."""
    diffs = []
    by_file: dict[Path, list[Finding]] = {}
    for finding in lint_issue(issue):
        by_file.setdefault(finding.file, []).append(finding)
    for file, findings in by_file.items():
        raw = file.read_bytes()
        bom = raw.startswith(b"\xef\xbb\xbf")
        text = raw.decode("utf-8-sig")
        fixed = fix_text(text, findings)
        if fixed != text:
            name = str(file.relative_to(issue.folder)) if file.is_relative_to(issue.folder) else str(file)
            diffs.append("".join(difflib.unified_diff(text.splitlines(keepends=True), fixed.splitlines(keepends=True),
                                                      f"a/{name}", f"b/{name}")))
            temporary = file.with_name(f".{file.name}.fix.tmp")
            temporary.write_bytes((b"\xef\xbb\xbf" if bom else b"") + fixed.encode("utf-8"))
            temporary.replace(file)
    return "".join(diffs)

