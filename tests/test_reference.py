"""docs/manifest.md: generated from the models, complete, up to date."""

from __future__ import annotations

import re

import pytest
import yaml
from pydantic import BaseModel

from magazine import reference
from magazine.content import FrontMatter
from magazine.manifest import Manifest
from magazine.reference import manifest_reference, walk_models


def all_models(model: type[BaseModel]) -> set[type[BaseModel]]:
    """``model`` and every model reachable through its fields, found independently of the module under test."""
    found = {model}
    for info in model.model_fields.values():
        for inner in _models_in(info.annotation):
            if inner not in found:
                found |= all_models(inner)
    return found


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in getattr(annotation, "__args__", ()) for model in _models_in(arg)]


def sections(text: str) -> list[str]:
    """The reference split at its headings."""
    return re.split(r"^#+ ", text, flags=re.MULTILINE)


def test_docs_manifest_md_is_up_to_date():
    current = reference.OUTPUT.read_text(encoding="utf-8") if reference.OUTPUT.is_file() else ""
    assert current == manifest_reference(), (
        "docs/manifest.md differs from the models in magazine/manifest.py and magazine/content.py: "
        "run `python -m magazine.reference` and commit the result")


@pytest.mark.parametrize("root", [Manifest, FrontMatter])
def test_every_field_of_every_model_is_documented(root):
    text = manifest_reference()
    models = all_models(root)
    assert {model for _, model in walk_models(root)} == models
    for model in models:
        rows = [f"| `{name}` |" for name in model.model_fields]
        assert any(all(row in section for row in rows) for section in sections(text)), (
            f"no section of the reference documents every key of {model.__name__}")
        for name, info in model.model_fields.items():
            if info.description:
                assert info.description.replace("|", "\\|").rstrip(".") in text, f"{model.__name__}.{name}"
            for example in info.examples or []:
                assert str(example) in text, f"example of {model.__name__}.{name}"


def test_nested_keys_have_their_paths():
    text = manifest_reference()
    for heading in ("## `magazine`", "## `issue`", "## `format`", "## `typography`", "## `print`", "## `cover`",
                    "## `inside_cover`", "## `imprint[]`", "## `sections[]`", "## `sections[].divider`",
                    "## `sections[].articles[]`", "## `back_cover`", "## Article front matter", "### `data`"):
        assert f"\n{heading}\n" in text, heading


def test_types_defaults_and_required_in_designers_words():
    text = manifest_reference()
    assert "| `bleed` | length like 3mm (mm, cm, in, pt or px) | no | `3mm` | Bleed on every trimmed edge. |" in text
    assert "| `accent` | CMYK colour like C0 M95 Y85 K5 | yes | — |" in text
    assert '| `binding` | one of "saddle-stitch" \\| "perfect-bound" | no | `saddle-stitch` |' in text
    assert "| `number` | integer ≥ 1 | yes | — | Running issue number. Example: `9` |" in text
    assert "| `qr` | yes/no | no | `true` |" in text
    assert "| `date` | date (YYYY-MM-DD) | yes | — |" in text
    assert "| `sections` | list of mappings, at least one | yes | — |" in text
    assert "| `images` | mapping of text to text | no | none |" in text
    assert '| `pdfx` | one of "4" \\| "1a" | no | `"4"` |' in text


def test_extra_descriptions_name_real_fields():
    for model, name in reference.EXTRA_DESCRIPTIONS:
        assert name in model.model_fields, f"{model.__name__}.{name} no longer exists"


def test_examples_are_valid():
    Manifest.model_validate(yaml.safe_load(reference.MANIFEST_EXAMPLE))
    FrontMatter.model_validate(yaml.safe_load(reference.FRONT_MATTER_EXAMPLE))


def test_check_option(tmp_path, monkeypatch, capsys):
    target = tmp_path / "manifest.md"
    monkeypatch.setattr(reference, "OUTPUT", target)
    monkeypatch.setattr(reference, "PROJECT_ROOT", tmp_path)
    assert reference.main(["--check"]) == 1
    assert "run python -m magazine.reference" in capsys.readouterr().err
    assert reference.main([]) == 0
    assert target.read_text(encoding="utf-8") == manifest_reference()
    assert reference.main(["--check"]) == 0
    target.write_text("stale", encoding="utf-8")
    assert reference.main(["--check"]) == 1
