from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from magazine.build import BuildResult, build_issue

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2022-06"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The sample issue, built once per test run."""
    return build_issue(SAMPLE, tmp_path_factory.mktemp("sample"), emit_html=True)


@pytest.fixture
def small_issue(tmp_path: Path) -> Path:
    """A copy of the small test issue (tests/fixtures/small) that a test may change."""
    target = tmp_path / "small"
    shutil.copytree(FIXTURES / "small", target)
    return target
