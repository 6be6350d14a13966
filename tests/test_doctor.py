"""``magazine doctor``: the checks, their failures, and the report."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from magazine import doctor, fonts
from magazine.doctor import Check, diagnose, exit_code, report_lines, summary

EXPECTED = ["Python", "WeasyPrint", "Pango", "HarfBuzz subset library", "fontconfig isolation", "ICC profile",
            "qpdf", "Ghostscript", "pdftoppm", "output folder", "cache folder"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder, so no test rewrites the project's fontconfig file."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("MAGAZINE_CACHE", str(folder))
    return folder


def by_name(checks: list[Check]) -> dict[str, Check]:
    return {check.name: check for check in checks}


def test_diagnose_runs_every_check(tmp_path, cache):
    checks = diagnose(output_dir=tmp_path / "build")
    names = [check.name for check in checks]
    assert [name for name in names if name in EXPECTED] == EXPECTED
    fonts_checked = [name for name in names if name.startswith("font ")]
    assert fonts_checked == [f"font {face.file}" for face in fonts.load_index()]
    found = by_name(checks)
    # Without these the test suite would not be running.
    for name in ("Python", "WeasyPrint", "Pango", "ICC profile", "output folder", "cache folder", *fonts_checked):
        assert found[name].ok, found[name]
    assert found["output folder"].detail.endswith("(will be created)")
    assert not (tmp_path / "build").exists()
    assert all(check.level in ("error", "warning", "info") for check in checks)
    assert all(check.fix for check in checks if not check.ok)


def test_fontconfig_isolation_sees_only_the_bundled_fonts(tmp_path, cache):
    if not shutil.which("fc-list"):
        pytest.skip("fc-list is not installed")
    check = by_name(diagnose(output_dir=tmp_path))["fontconfig isolation"]
    assert check.ok, check
    assert (cache / "fontconfig" / "fonts.conf").is_file()


def test_fontconfig_without_fc_list_is_a_note(tmp_path, cache, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(doctor.shutil, "which", lambda name: None if name == "fc-list" else real_which(name))
    check = by_name(diagnose(output_dir=tmp_path))["fontconfig isolation"]
    assert (check.ok, check.level, check.status) == (False, "info", "missing")
    assert "fc-list not found" in check.detail


def test_wrong_checksum_and_missing_font_are_reported(tmp_path, cache, monkeypatch):
    folder = tmp_path / "fonts"
    folder.mkdir()
    (folder / "Good.otf").write_bytes(b"good font")
    (folder / "Changed.otf").write_bytes(b"changed font")
    entries = [
        {"family": "Good", "weight": 400, "style": "normal", "file": "Good.otf", "version": "1", "licence": "OFL",
         "sha256": hashlib.sha256(b"good font").hexdigest()},
        {"family": "Changed", "weight": 700, "style": "normal", "file": "Changed.otf", "version": "1",
         "licence": "OFL", "sha256": hashlib.sha256(b"original font").hexdigest()},
        {"family": "Gone", "weight": 400, "style": "normal", "file": "Gone.otf", "version": "1", "licence": "OFL",
         "sha256": "0" * 64},
    ]
    index = folder / "fonts.yaml"
    index.write_text(yaml.safe_dump({"fonts": entries}), encoding="utf-8")
    monkeypatch.setattr(fonts, "FONTS_DIR", folder)
    monkeypatch.setattr(fonts, "INDEX", index)

    checks = diagnose(output_dir=tmp_path)
    found = by_name(checks)
    assert found["font Good.otf"].ok
    changed = found["font Changed.otf"]
    assert (changed.ok, changed.level, changed.missing) == (False, "error", False)
    assert "sha256 differs" in changed.detail and "git checkout" in changed.fix
    gone = found["font Gone.otf"]
    assert (gone.ok, gone.status) == (False, "missing")
    assert exit_code(checks) == 1
    lines = report_lines(checks)
    assert any(line.startswith("error   font Changed.otf: ") for line in lines)
    assert any(line.startswith("missing font Gone.otf: ") for line in lines)


def test_missing_font_index_is_reported(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(fonts, "INDEX", tmp_path / "fonts.yaml")
    check = by_name(diagnose(output_dir=tmp_path))["font index"]
    assert (check.ok, check.status) == (False, "missing")
    assert "python -m magazine.fonts" in check.fix


def test_missing_profile_is_reported(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(doctor, "DEFAULT_PROFILE", tmp_path / "coated-fogra39.icc")
    checks = diagnose(output_dir=tmp_path)
    check = by_name(checks)["ICC profile"]
    assert (check.ok, check.level, check.status) == (False, "error", "missing")
    assert "not found" in check.detail and "git checkout" in check.fix
    assert exit_code(checks) == 1


def test_rgb_profile_is_reported(tmp_path, cache, monkeypatch):
    profile = tmp_path / "srgb.icc"
    header = bytearray(128)
    header[16:20] = b"RGB "
    header[36:40] = b"acsp"
    profile.write_bytes(bytes(header))
    monkeypatch.setattr(doctor, "DEFAULT_PROFILE", profile)
    check = by_name(diagnose(output_dir=tmp_path))["ICC profile"]
    assert not check.ok and "RGB profile" in check.detail and "CMYK" in check.detail


def test_missing_harfbuzz_subset_is_a_warning(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(doctor.ctypes.util, "find_library", lambda name: None)
    monkeypatch.setattr(doctor, "HARFBUZZ_SUBSET_NAMES", ("libno-such-library.so.0",))
    checks = diagnose(output_dir=tmp_path)
    check = by_name(checks)["HarfBuzz subset library"]
    assert (check.ok, check.level, check.status) == (False, "warning", "missing")
    assert "fontTools, about ten times slower" in check.detail and "not reduced" in check.detail
    assert check.fix == "apt-get install libharfbuzz-subset0"
    assert exit_code([c for c in checks if c.name == check.name]) == 0


def test_wrong_weasyprint_version_is_an_error(tmp_path, cache, monkeypatch):
    real_version = doctor.metadata.version
    monkeypatch.setattr(doctor.metadata, "version",
                        lambda name: "69.0" if name.lower() == "weasyprint" else real_version(name))
    check = by_name(diagnose(output_dir=tmp_path))["WeasyPrint"]
    assert (check.ok, check.level) == (False, "error")
    assert "69.0" in check.detail and "weasyprint==70.0" in check.fix


def test_tools_missing_are_warnings(tmp_path, cache, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(doctor.shutil, "which",
                        lambda name: None if name in ("qpdf", "gs", "pdftoppm") else real_which(name))
    found = by_name(diagnose(output_dir=tmp_path))
    for name in ("qpdf", "Ghostscript"):
        assert (found[name].ok, found[name].level, found[name].status) == (False, "warning", "missing")
        assert "tests use it" in found[name].detail
        assert found[name].fix == "apt-get install qpdf ghostscript"
    assert (found["pdftoppm"].ok, found["pdftoppm"].level) == (False, "info")


def test_output_folder_that_cannot_be_written(tmp_path, cache):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    check = by_name(diagnose(output_dir=blocker / "build"))["output folder"]
    assert (check.ok, check.level) == (False, "error")
    assert "is not a folder" in check.detail and "--out" in check.fix


def test_a_check_that_crashes_is_reported(monkeypatch, tmp_path, cache):
    def broken() -> Check:
        raise RuntimeError("boom")

    monkeypatch.setattr(doctor, "_python", broken)
    check = by_name(diagnose(output_dir=tmp_path))["Python"]
    assert not check.ok and "RuntimeError: boom" in check.detail


def test_report_lines_are_aligned():
    checks = [
        Check("Pango", True, "error", "1.50.12"),
        Check("HarfBuzz subset library", False, "warning",
              "font subsetting falls back to fontTools, about ten times slower",
              "apt-get install libharfbuzz-subset0", missing=True),
        Check("ICC profile", False, "error", "profiles/x.icc is a RGB profile", "use a CMYK profile"),
        Check("pdftoppm", False, "info", "", "apt-get install poppler-utils"),
    ]
    assert report_lines(checks) == [
        "ok      Pango 1.50.12",
        "missing HarfBuzz subset library: font subsetting falls back to fontTools, about ten times slower"
        " — fix: apt-get install libharfbuzz-subset0",
        "error   ICC profile: profiles/x.icc is a RGB profile — fix: use a CMYK profile",
        "info    pdftoppm — fix: apt-get install poppler-utils",
    ]
    assert summary(checks) == "4 checks: 1 error, 1 warning, 1 note"


def test_exit_code():
    assert exit_code([Check("a", True, "error", "")]) == 0
    assert exit_code([Check("a", False, "warning", ""), Check("b", False, "info", "")]) == 0
    assert exit_code([Check("a", True, "error", ""), Check("b", False, "error", "")]) == 1
