"""The command line: exit codes and messages."""

from __future__ import annotations

from typer.testing import CliRunner

from cli import app

runner = CliRunner()


def test_build_prints_path_pages_and_time(small_issue, tmp_path):
    result = runner.invoke(app, ["build", str(small_issue), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "small-print.pdf" in result.stdout and "pages" in result.stdout
    assert (tmp_path / "small-print.pdf").is_file()


def test_emit_html(small_issue, tmp_path):
    result = runner.invoke(app, ["build", str(small_issue), "--out", str(tmp_path), "--emit-html", "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "small.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_broken_manifest_exits_2_with_file_and_line(small_issue, tmp_path):
    manifest = small_issue / "issue.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("subtitle:", "subtitel:"), encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(small_issue), "--out", str(out)])
    assert result.exit_code == 2
    assert "issue.yaml:3:3: error: magazine.subtitel: unknown key" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_check(small_issue):
    result = runner.invoke(app, ["check", str(small_issue)])
    assert result.exit_code == 0 and "3 articles" in result.output


def test_usage_error_exits_2():
    assert runner.invoke(app, ["build"]).exit_code == 2
