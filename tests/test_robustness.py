"""Bad input and faults: every broken input gets a clear error, outputs are never lost."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from magazine.build import build_issue
from magazine.content import load_content
from magazine.errors import MagazineError
from magazine.manifest import load_manifest

ROOT = Path(__file__).resolve().parent.parent


def write_two(issue: Path, body: str) -> Path:
    path = issue / "articles" / "two.md"
    path.write_text(f"---\ntitle: 简讯两则\n---\n\n{body}\n", encoding="utf-8")
    return path


def test_scripts_and_event_attributes_are_dropped_with_a_warning(small_issue):
    write_two(small_issue, '<div onclick="steal()">正文<script>alert(1)</script></div>\n\n'
                           '<a href="javascript:alert(2)">链接</a>')
    content = load_content(load_manifest(small_issue))
    two = next(a for a in content.articles if a.file.name == "two.md")
    assert "script" not in two.body and "onclick" not in two.body and "javascript:" not in two.body
    assert "正文" in two.body
    assert [w.line for w in content.warnings] == [5, 7] and all(w.level == "warning" for w in content.warnings)


def test_picture_limits(small_issue):
    Image.new("1", (11000, 10000)).save(small_issue / "images" / "photo.png")
    write_two(small_issue, "![巨图](images/photo.png)")
    with pytest.raises(MagazineError) as caught:
        load_content(load_manifest(small_issue))
    assert any("decompression bomb" in p.message or "megapixels" in p.message for p in caught.value.problems)


def test_symlink_leading_outside_is_refused(small_issue, tmp_path):
    outside = tmp_path / "outside.jpg"
    Image.new("RGB", (1200, 800)).save(outside)
    (small_issue / "images" / "escape.jpg").symlink_to(outside)
    write_two(small_issue, "![外部](images/escape.jpg)")
    with pytest.raises(MagazineError) as caught:
        load_content(load_manifest(small_issue))
    assert "picture not found: images/escape.jpg" in str(caught.value)


def test_csv_in_another_encoding(small_issue):
    (small_issue / "data" / "figures.csv").write_bytes("指标,余额\n存款,1\n".encode("gbk"))
    with pytest.raises(MagazineError) as caught:
        load_content(load_manifest(small_issue))
    [problem] = caught.value.problems
    assert problem.file.name == "figures.csv" and "GB18030" in problem.hint


@pytest.mark.parametrize("mode", ["CMYK", "RGBA", "I;16", "P"])
def test_unusual_pictures_are_accepted_and_converted(small_issue, tmp_path, mode):
    image = Image.new("RGB", (1200, 800), (200, 120, 40)).convert(mode if mode != "I;16" else "I")
    if mode == "I;16":
        image = image.convert("I;16")
    suffix = ".jpg" if mode == "CMYK" else ".png"
    image.save(small_issue / "images" / f"unusual{suffix}")
    manifest = small_issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("images/photo.jpg", f"images/unusual{suffix}"),
                        encoding="utf-8")
    assert build_issue(small_issue, tmp_path / "out").preflight.passed


def test_a_second_build_waits_for_the_first(small_issue, tmp_path):
    import hashlib

    from magazine.fonts import cache_dir

    out = tmp_path / "out"
    messages: list[str] = []
    lock = cache_dir() / "locks" / f"small-{hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:16]}.lock"
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        thread = threading.Thread(target=build_issue, args=(small_issue, out), kwargs={"progress": messages.append})
        thread.start()
        time.sleep(1.0)
        assert "waiting for another build of this issue" in messages
        assert not (out / "small-print.pdf").exists()
        fcntl.flock(handle, fcntl.LOCK_UN)
    thread.join(timeout=60)
    assert (out / "small-print.pdf").is_file()


def test_a_build_killed_while_writing_leaves_the_previous_pdf(small_issue, tmp_path):
    out = tmp_path / "out"
    previous = build_issue(small_issue, out).pdf.read_bytes()
    write_two(small_issue, "改过的正文。")
    # The child builds with os.replace held up, so that it is killed after writing the new
    # PDF to its temporary file and before renaming it into place.
    child = subprocess.Popen([sys.executable, "-c", (
        "import os, time, sys\n"
        "def slow_replace(a, b):\n"
        "    if str(b).endswith('-print.pdf'):\n"
        "        print('writing', flush=True); time.sleep(60)\n"
        "    os.rename(a, b)\n"
        "os.replace = slow_replace\n"
        "from magazine.build import build_issue\n"
        f"build_issue({str(small_issue)!r}, {str(out)!r})\n")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        assert any(p.name.endswith(".tmp") for p in out.iterdir())  # the new PDF is half-way there
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    assert (out / "small-print.pdf").read_bytes() == previous


markdown = st.text(alphabet=st.sampled_from(list("中文，。！（）「」#*_-`>[]()!:\n \"'<>/&;=|~0123456789abcXYZ😀")),
                   max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=markdown)
def test_any_markdown_is_converted_or_reported(small_issue, body):
    write_two(small_issue, body)
    try:
        load_content(load_manifest(small_issue))
    except MagazineError as error:  # its own error, with a location; any other exception fails the test
        assert error.problems and all(p.file for p in error.problems)


yaml_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=12),
                        st.lists(st.text(max_size=5), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                                                   max_size=2))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["magazine", "issue", "format", "cover", "sections", "back_cover", "theme", "print",
                            "typography", "images", "imprint", "inside_cover", "extra"]), value=yaml_values)
def test_any_manifest_value_is_validated_or_reported(small_issue, key, value):
    import yaml

    manifest = small_issue / "issue.yaml"
    data = yaml.safe_load((ROOT / "tests" / "fixtures" / "small" / "issue.yaml").read_text(encoding="utf-8"))
    data[key] = value
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        load_content(load_manifest(small_issue))
    except MagazineError as error:
        assert error.problems and all(p.file for p in error.problems)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=markdown)
def test_builds_either_succeed_or_report(small_issue, tmp_path_factory, body):
    write_two(small_issue, body)
    try:
        build_issue(small_issue, tmp_path_factory.mktemp("fuzz"))
    except MagazineError as error:
        assert error.problems


def test_a_large_issue_builds_within_the_memory_limits(tmp_path):
    """500 pages and 200 pictures: built in a fresh process, peak memory under 2 GB."""
    from magazine.bench import synthetic_issue

    issue = synthetic_issue(tmp_path / "large", pages=500, pictures=200)
    pictures = list((issue / "images" / "synthetic").glob("*.jpg"))
    assert len(pictures) == 200
    process = subprocess.Popen([sys.executable, "-c", "from cli import app; app()", "build", str(issue),
                                "--out", str(tmp_path / "out"), "-e", "print", "-q"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    assert status == 0, output
    pages = int(output.split(" pages")[0].split()[-1])
    assert pages >= 480 and pages % 4 == 0
    assert usage.ru_maxrss / 1024 < 2048, f"peak memory {usage.ru_maxrss / 1024:.0f} MB"


def test_markdown_over_5_mb_is_refused(small_issue):
    path = small_issue / "articles" / "two.md"
    path.write_text("---\ntitle: 长文\n---\n\n" + "很长的正文。" * 300_000, encoding="utf-8")
    with pytest.raises(MagazineError) as caught:
        load_content(load_manifest(small_issue))
    assert "more than the 5 MB allowed" in str(caught.value)


def test_deep_nesting_is_cut_off_not_fatal(small_issue):
    write_two(small_issue, "> " * 500 + "深层引用")
    content = load_content(load_manifest(small_issue))
    two = next(a for a in content.articles if a.file.name == "two.md")
    assert two.body.count("<blockquote>") <= 20


def test_css_url_outside_the_issue_is_refused(small_issue, tmp_path):
    write_two(small_issue, '<div style="background: url(file:///etc/hostname)">正文</div>')
    with pytest.raises(MagazineError) as caught:
        build_issue(small_issue, tmp_path / "out")
    assert "refused" in str(caught.value)
