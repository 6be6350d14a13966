"""The archive: add, never overwrite silently, replace keeping the old, verify, survive a crash."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from magazine import archive as archive_module
from magazine.archive import add_issue, verify
from magazine.errors import MagazineError


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def change_article(issue: Path) -> None:
    path = issue / "articles" / "two.md"
    path.write_text(path.read_text(encoding="utf-8").replace("第一则简讯的正文", "第一则简讯修改后的正文"),
                    encoding="utf-8")


def test_add_list_verify_and_never_overwrite(small_issue, tmp_path):
    root = tmp_path / "archive"
    added = add_issue(small_issue, root)
    assert added.status == "added" and added.folder == root / "2024" / "small"
    names = sorted(p.name for p in added.folder.iterdir())
    assert names == ["SHA256SUMS", "cover.png", "small-archive.pdf", "small-print.pdf", "small-screen.pdf"]
    [record] = json.loads((root / "catalogue.json").read_text(encoding="utf-8"))["issues"]
    assert record["id"] == "small" and record["label"] == "总第01期" and record["date"] == "2024-03-01"
    assert record["pages"] == 12 and set(record["editions"]) == {"print", "screen", "archive"}
    for edition in record["editions"].values():
        path = root / edition["file"]
        assert edition["bytes"] == path.stat().st_size
        assert edition["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    sums = (added.folder / "SHA256SUMS").read_text(encoding="utf-8")
    assert f"{record['editions']['print']['sha256']}  small-print.pdf" in sums
    index = (root / "index.html").read_text(encoding="utf-8")
    assert 'src="2024/small/cover.png"' in index and 'href="2024/small/small-archive.pdf"' in index
    assert verify(root) == []

    assert add_issue(small_issue, root).status == "unchanged"
    before = tree(root)
    change_article(small_issue)
    with pytest.raises(MagazineError, match="archived already with different content"):
        add_issue(small_issue, root)
    assert tree(root) == before


def test_replace_keeps_the_previous_version(small_issue, tmp_path):
    root = tmp_path / "archive"
    first = add_issue(small_issue, root)
    old_print = (first.folder / "small-print.pdf").read_bytes()
    change_article(small_issue)
    replaced = add_issue(small_issue, root, replace=True)
    assert replaced.status == "replaced" and replaced.superseded is not None
    assert (replaced.superseded / "small-print.pdf").read_bytes() == old_print
    assert (first.folder / "small-print.pdf").read_bytes() != old_print
    [record] = json.loads((root / "catalogue.json").read_text(encoding="utf-8"))["issues"]
    [previous] = record["superseded"]
    assert previous["folder"] == replaced.superseded.relative_to(root).as_posix()
    assert previous["editions"]["print"]["sha256"] == hashlib.sha256(old_print).hexdigest()
    assert verify(root) == []


def test_verify_finds_a_flipped_byte_a_deleted_file_and_an_unlisted_file(small_issue, tmp_path):
    root = tmp_path / "archive"
    folder = add_issue(small_issue, root).folder
    pdf = folder / "small-print.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    (folder / "small-screen.pdf").unlink()
    (folder / "notes.txt").write_text("?", encoding="utf-8")
    findings = [str(f) for f in verify(root)]
    assert "2024/small/small-print.pdf: checksum differs from the catalogue: the file has changed" in findings
    assert "2024/small/small-screen.pdf: missing" in findings
    assert "2024/small/notes.txt: not listed in the catalogue" in findings


def test_a_crash_before_the_commit_leaves_the_archive_unchanged(small_issue, tmp_path, monkeypatch):
    root = tmp_path / "archive"
    add_issue(small_issue, root)
    before = tree(root)
    change_article(small_issue)
    real_rename = os.rename

    def crash(source, target):
        if Path(source).name.startswith(".staging-"):
            raise OSError("simulated crash: power cut before the rename")
        real_rename(source, target)

    monkeypatch.setattr(archive_module.os, "rename", crash)
    with pytest.raises(OSError, match="simulated crash"):
        add_issue(small_issue, root, replace=True)
    monkeypatch.setattr(archive_module.os, "rename", real_rename)
    assert tree(root) == before
    assert verify(root) == []
