"""Small helpers for reading PDF objects with pypdf."""

from __future__ import annotations

from typing import Any


def resource(resources: Any, category: str, name: Any) -> Any:
    """The resource ``name`` of ``category`` (e.g. ``/ColorSpace``) in a resource dictionary, or None."""
    if resources is None:
        return None
    group = resources.get_object().get(category)
    if group is None:
        return None
    value = group.get_object().get(name)
    return value.get_object() if value is not None else None


def object_key(obj: Any) -> tuple:
    """A key naming a PDF object for caches: its object number when indirect, else its identity."""
    reference = getattr(obj, "indirect_reference", None)
    if reference is not None:
        return ("ref", reference.idnum, reference.generation)
    return ("id", id(obj))


def resolved(value: Any) -> Any:
    """``value`` with indirect references followed."""
    return value.get_object() if hasattr(value, "get_object") else value


def numbers(values: Any) -> list[float]:
    """The numeric entries of a PDF array (or operand list) as floats."""
    return [float(v) for v in values if isinstance(v, int | float)]
