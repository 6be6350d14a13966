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


def test_proof_preflight_package_and_impose_commands(small_issue, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(small_issue), "--out", str(out), "-q"])
    assert result.exit_code == 0, result.output
    pdf = out / "small-print.pdf"

    proof = runner.invoke(app, ["proof", str(pdf), "--out", str(tmp_path / "proof"), "--pages", "1-2", "--spreads"])
    assert proof.exit_code == 0, proof.output
    assert (tmp_path / "proof" / "small-print-contact.png").is_file()
    bad_pages = runner.invoke(app, ["proof", str(pdf), "--pages", "99"])
    assert bad_pages.exit_code == 2 and "past the last page" in bad_pages.output

    report = runner.invoke(app, ["preflight", str(pdf), "--json", "--saddle-stitch"])
    assert report.exit_code == 0 and '"passed": true' in report.stdout
    assert runner.invoke(app, ["preflight", str(tmp_path / "proof" / "small-print-contact.png")]).exit_code == 2

    package = runner.invoke(app, ["package", str(small_issue), "--out", str(tmp_path / "pkg")])
    assert package.exit_code == 0, package.output
    assert (tmp_path / "pkg" / "small-printer.zip").is_file()

    impose = runner.invoke(app, ["impose", str(small_issue), "--out", str(tmp_path / "imp")])
    assert impose.exit_code == 0, impose.output
    assert (tmp_path / "imp" / "small-imposed.pdf").is_file() and "spreads: 12-1 2-11" in impose.stdout


def test_every_command_has_help_with_an_example():
    for command in ("build", "check", "proof", "preflight", "package", "impose", "new", "watch", "catalogue",
                    "doctor", "fonts"):
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, command
        if command != "fonts":
            assert "Example: magazine" in result.output, command


def test_doctor():
    result = runner.invoke(app, ["doctor"])
    assert "Python" in result.output and "Pango" in result.output
    assert result.exit_code in (0, 1)
