"""The designer's workflow: new issue from the last, watch with live proofs."""

from __future__ import annotations

import shutil
import threading
import time

from typer.testing import CliRunner

from cli import app
from magazine.build import build_issue
from magazine.manifest import load_manifest
from magazine.new import next_label, next_month
from magazine.watch import WatchEvent, watch_issue
from tests.conftest import SAMPLE
from tests.pdftext import read_pages

runner = CliRunner()


def test_next_label_and_month():
    assert next_label("总第09期", 9, 10) == "总第10期"
    assert next_label("总第99期", 99, 100) == "总第100期"
    import datetime as dt

    assert next_month(dt.date(2022, 12, 31)) == dt.date(2023, 1, 28)


def test_new_issue_from_the_sample_builds_without_edits(tmp_path):
    target = tmp_path / "issues" / "2022-07"
    result = runner.invoke(app, ["new", str(target), "--from", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    issue = load_manifest(target).manifest
    assert issue.issue.number == 10 and issue.issue.label == "总第10期"
    assert issue.issue.printed_date == "2022.07"
    assert [s.title for s in issue.sections] == [s.title for s in load_manifest(SAMPLE).manifest.sections]
    assert all(len(s.articles) == 1 for s in issue.sections)
    assert issue.images == {} and not list((target / "images").iterdir())
    assert "2022年7月 · 总第10期" in [entry.value for entry in issue.imprint]
    built = build_issue(target, tmp_path / "out")
    pages = read_pages(built.pdf)
    assert built.pages % 4 == 0
    assert any("总第10期" in "".join(p.whole.split()) for p in pages[:3])


def test_new_refuses_an_existing_issue(tmp_path):
    target = tmp_path / "2022-07"
    target.mkdir()
    (target / "issue.yaml").write_text("x: 1\n", encoding="utf-8")
    result = runner.invoke(app, ["new", str(target), "--from", str(SAMPLE)])
    assert result.exit_code == 2 and "not empty" in result.output


def test_watch_rebuilds_and_survives_a_broken_save(small_issue, tmp_path):
    events: list[WatchEvent] = []
    stop = threading.Event()
    arrived = threading.Condition()

    def on_event(event: WatchEvent) -> None:
        with arrived:
            events.append(event)
            arrived.notify_all()

    def wait_for(count: int) -> None:
        with arrived:
            assert arrived.wait_for(lambda: len(events) >= count, timeout=60), events

    thread = threading.Thread(target=watch_issue, args=(small_issue, tmp_path / "out"),
                              kwargs={"on_event": on_event, "debounce_ms": 100, "stop_event": stop}, daemon=True)
    thread.start()
    try:
        wait_for(1)
        assert events[0].ok and events[0].proofs_written
        pdf = events[0].pdf
        time.sleep(0.5)  # let the watcher start
        article = small_issue / "articles" / "two.md"
        article.write_text(article.read_text(encoding="utf-8").replace("第二则简讯的正文", "第二则简讯改过的正文"),
                           encoding="utf-8")
        wait_for(2)
        assert events[1].ok and article in events[1].changed
        assert 0 < len(events[1].proofs_written) < events[1].pages  # only the changed pages (and the sheet)
        good = pdf.read_bytes()
        manifest = small_issue / "issue.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8").replace("title: 测试月刊", "title: [测试月刊"),
                            encoding="utf-8")
        wait_for(3)
        assert not events[2].ok and any("YAML syntax error" in p for p in events[2].problems)
        assert pdf.read_bytes() == good  # the last good PDF is kept
        manifest.write_text(manifest.read_text(encoding="utf-8").replace("title: [测试月刊", "title: 测试月刊"),
                            encoding="utf-8")
        wait_for(4)
        assert events[3].ok
    finally:
        stop.set()
        thread.join(timeout=10)
    shutil.rmtree(tmp_path / "out", ignore_errors=True)


def test_only_one_section_keeps_the_issues_folios(sample_build, tmp_path):
    from pypdf import PdfReader

    part = build_issue(SAMPLE, tmp_path, only="03")
    assert part.pdf.name == "2022-06-section-03-print.pdf"
    whole = read_pages(sample_build.pdf)
    pages = read_pages(part.pdf)
    start = next(p.index for p in whole if "业务推动businessprogress" in "".join(p.whole.split()).casefold()
                 and p.index > 3)
    assert "".join(pages[0].whole.split()) == "".join(whole[start].whole.split())  # the divider
    assert pages[1].foot.strip() == whole[start + 1].foot.strip() == f"{start + 2:02d}"
    labels = PdfReader(part.pdf).page_labels
    assert labels[:2] == [str(start + 1), str(start + 2)]


def test_only_an_article(tmp_path):
    part = build_issue(SAMPLE, tmp_path, only="04-1-retail-performance")
    pages = read_pages(part.pdf)
    assert len(pages) == 1 and "示例数据" in "".join(pages[0].whole.split())
