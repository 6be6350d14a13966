"""``magazine new``: the next issue, scaffolded from the last one (like Hugo's archetypes).

The manifest is copied with the issue number, the printed label (总第09期 → 总第10期) and
the date advanced by a month; the sections stay, each with one placeholder article in
place of the previous articles; pictures, data and cover lines are left out. The new
issue builds at once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import MagazineError, Problem
from .manifest import MANIFEST_NAME, load_manifest

PLACEHOLDER = """---
title: {section}稿件（待定）
standfirst: 这里写导语：一两句话说明本文要点。
layout: feature
---

这是{section}栏目的占位稿件。把正文写成 Markdown 段落，段落之间空一行；不用缩进，版式会自动首行缩进两字。

## 01 小标题

小标题用“## 01 小标题”的写法，数字会以栏目色放大显示。
案例、金句等框用“::: case 案例”与“:::”包起来，详见 docs/articles.md。
"""


@dataclass(frozen=True)
class NewIssue:
    folder: Path
    number: int
    label: str
    date: dt.date
    articles: list[Path]


def next_month(date: dt.date) -> dt.date:
    year, month = (date.year + 1, 1) if date.month == 12 else (date.year, date.month + 1)
    return dt.date(year, month, min(date.day, 28))


def next_label(label: str, old: int, new: int) -> str:
    """总第09期 → 总第10期: the issue number in the label advanced, keeping its width."""
    def replace(match: re.Match) -> str:
        digits = match.group(0)
        return str(new).zfill(len(digits)) if int(digits) == old else digits
    replaced = re.sub(r"\d+", replace, label, count=1)
    return replaced if replaced != label else f"{label} ({new})"


def latest_issue(folder: Path) -> Path:
    """The issue in ``folder`` with the highest issue number."""
    candidates = []
    for manifest in sorted(folder.glob(f"*/{MANIFEST_NAME}")):
        try:
            candidates.append((load_manifest(manifest.parent).manifest.issue.number, manifest.parent))
        except MagazineError:
            continue
    if not candidates:
        raise MagazineError(Problem(f"no issue to start from in {folder}", hint="give one with --from"))
    return max(candidates)[1]


def new_issue(target: Path | str, previous: Path | str) -> NewIssue:
    """Create ``target`` (an issue folder that does not exist yet) from ``previous``."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise MagazineError(Problem(f"{target} exists already and is not empty",
                                    hint="choose a new folder, e.g. issues/2022-07"))
    old = load_manifest(previous)
    data = yaml.safe_load(old.file.read_text(encoding="utf-8-sig"))
    info = old.manifest.issue
    number = info.number + 1
    date = next_month(info.date)
    label = next_label(info.label, info.number, number)
    old_display, new_display = info.printed_date, f"{date.year}.{date.month:02d}"
    data["issue"].update({"number": number, "label": label, "date": date.isoformat()})
    if "display" in data["issue"]:
        data["issue"]["display"] = new_display
    data["images"] = {}
    cover = data.get("cover") or {}
    cover.pop("image", None)
    cover["headline"] = "封面主标题（待定）"
    cover["lines"] = [f"{s.title}：稿件（待定）" for s in old.manifest.sections[:4]]
    data["cover"] = cover
    for entry in data.get("imprint") or []:
        entry["value"] = str(entry["value"]).replace(info.label, label).replace(old_display, new_display)
        old_month, new_month = f"{info.date.year}年{info.date.month}月", f"{date.year}年{date.month}月"
        entry["value"] = entry["value"].replace(old_month, new_month)
    articles = []
    for section_data, section in zip(data["sections"], old.manifest.sections, strict=True):
        name = f"articles/{section.number}-1-placeholder.md"
        section_data["articles"] = [{"file": name}]
        divider = section_data.get("divider") or {}
        divider.pop("image", None)
        if divider:
            section_data["divider"] = divider
        articles.append((target / name, PLACEHOLDER.format(section=section.title)))
    (target / "articles").mkdir(parents=True, exist_ok=True)
    (target / "images").mkdir(exist_ok=True)
    (target / "data").mkdir(exist_ok=True)
    for path, text in articles:
        path.write_text(text, encoding="utf-8")
    header = (f"# 《{old.manifest.magazine.title}》 {new_display} · {label}\n"
              f"# Created by `magazine new` from {old.folder.name}; see docs/manifest.md for every key.\n")
    (target / MANIFEST_NAME).write_text(
        header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
    load_manifest(target)  # the new manifest must be valid
    return NewIssue(folder=target, number=number, label=label, date=date, articles=[p for p, _ in articles])
