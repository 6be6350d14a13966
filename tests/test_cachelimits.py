"""The cache folders are pruned: entries used longest ago go first, never those in use."""

from __future__ import annotations

import os
import time

from magazine.cachelimits import prune


def make_entry(folder, key, size, age):
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / f"{key}.json", folder / f"{key}.0.pdf"]
    for path in files:
        path.write_bytes(b"x" * (size // 2))
        stamp = time.time() - age
        os.utime(path, (stamp, stamp))
    return files


def test_prune_removes_the_least_recently_used_entries_first(tmp_path, monkeypatch):
    monkeypatch.setenv("MAGAZINE_CACHE_MB", "1")  # 1 MB
    folder = tmp_path / "parts"
    make_entry(folder, "old", 600_000, age=3000)
    make_entry(folder, "older-but-kept", 600_000, age=4000)
    make_entry(folder, "new", 600_000, age=100)
    make_entry(folder, "in-use", 600_000, age=5)  # used in the last minute: never removed
    (folder / ".tmp-write.partial").write_bytes(b"y" * 900_000)  # a write in progress: left alone
    removed = prune(folder, "parts", keep={"older-but-kept"})
    names = sorted(p.name for p in folder.iterdir())
    assert removed == 2
    assert "old.json" not in names and "new.json" not in names
    assert {"older-but-kept.json", "in-use.json", "in-use.0.pdf", ".tmp-write.partial"} <= set(names)


def test_prune_leaves_a_folder_under_its_limit_alone(tmp_path):
    folder = tmp_path / "fonts"
    make_entry(folder, "a", 1000, age=10_000)
    assert prune(folder, "fonts") == 0 and (folder / "a.json").exists()
