"""YAML loading that remembers where every value came from.

PyYAML's composer gives nodes with marks; this module turns them into plain Python
values plus a map from each value's path (``("sections", 0, "title")``) to its line
and column, so that validation errors can name the exact place in the file.
Duplicate keys, which PyYAML would silently merge, are reported as problems.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import MagazineError, Problem

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed YAML document and the line/column (1-based) of each value and key."""

    file: Path
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def where(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of the value (or key) at ``path``, or of its nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while True:
            if probe in table:
                line, column = table[probe]
                return line + self.line_offset, column
            if probe in self.values:
                line, column = self.values[probe]
                return line + self.line_offset, column
            if not probe:
                return None, None
            probe = probe[:-1]

    def problem(self, path: Path_, message: str, *, key: bool = False, hint: str | None = None,
                level: str = "error") -> Problem:
        line, column = self.where(path, key=key)
        return Problem(message, file=self.file, line=line, column=column,
                       field=dotted(path) or None, hint=hint, level=level)


def dotted(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_yaml(text: str, file: Path, *, line_offset: int = 0) -> YamlDocument:
    """Parse one YAML document; syntax errors and duplicate keys raise MagazineError."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        what = exc.problem or "syntax error"
        if exc.context:
            what = f"{exc.context}, {what}"
        raise MagazineError(Problem(f"YAML syntax error: {what}", file=file, line=line, column=column,
                                    hint="check indentation, colons and quotes on this line")) from None
    except yaml.YAMLError as exc:
        raise MagazineError(Problem(f"YAML error: {exc}", file=file)) from None
    finally:
        loader.dispose()
    doc = YamlDocument(file=file, data=None, line_offset=line_offset)
    problems: list[Problem] = []
    if node is not None:
        doc.data = _construct(loader, node, (), doc, problems)
    if problems:
        raise MagazineError(problems)
    return doc


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _construct(loader: yaml.SafeLoader, node: yaml.Node, path: Path_, doc: YamlDocument,
               problems: list[Problem]) -> Any:
    doc.values[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            child = (*path, key)
            if key in result:
                line, column = _mark(key_node)
                problems.append(Problem(f"duplicate key '{key}' (first given on line "
                                        f"{doc.keys[child][0] + doc.line_offset})",
                                        file=doc.file, line=line + doc.line_offset, column=column,
                                        field=dotted(child), hint="keep one of them"))
                continue
            doc.keys[child] = _mark(key_node)
            result[key] = _construct(loader, value_node, child, doc, problems)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(loader, item, (*path, i), doc, problems) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def validation_problems(doc: YamlDocument, exc: ValidationError, root: type[BaseModel]) -> list[Problem]:
    """Pydantic's errors for ``root`` turned into Problems located in the YAML source."""
    return [_problem_from(doc, error, root) for error in exc.errors()]


def _model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class whose fields apply at ``loc`` (for suggesting key names)."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _unwrap(arg)
        if isinstance(found, type) and issubclass(found, BaseModel):
            return found
    return annotation


def _problem_from(doc: YamlDocument, error: Any, root: type[BaseModel]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        model = _model_at(root, loc[:-1])
        known = sorted(model.model_fields) if model else []
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else ("allowed keys: " + ", ".join(known) if known else None)
        return doc.problem(loc, f"unknown key '{key}'", key=True, hint=hint)
    if kind == "missing":
        return doc.problem(loc[:-1], f"missing required key '{loc[-1]}'", hint=_describe(root, loc))
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, "):]
    if kind not in {"value_error"} and given is not None and not isinstance(given, dict | list):
        message += f", found {given!r}"
    return doc.problem(loc, message, hint=_describe(root, loc))


def _describe(root: type[BaseModel], loc: tuple) -> str | None:
    model = _model_at(root, loc[:-1])
    if model is None or isinstance(loc[-1], int):
        return None
    field = model.model_fields.get(str(loc[-1]))
    if field is None or not field.description:
        return None
    example = f", e.g. {field.examples[0]!r}" if field.examples else ""
    return f"{field.description}{example}"
