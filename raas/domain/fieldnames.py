"""The field names of a dataclass, looked up once per class.

`dataclasses.fields()` builds a tuple of Field objects on every call and `is_dataclass()` asks
again each time; the register walks every command's fields twice (its limits, its digest), so
the names are kept per class.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass

_NAMES: dict[type, tuple[str, ...] | None] = {}


def field_names(value: object) -> tuple[str, ...] | None:
    """The field names of the dataclass instance `value`, in declaration order; None when `value`
    is not a dataclass instance (a dataclass itself, the class, is not one)."""
    if isinstance(value, type):
        return None
    cls = type(value)
    try:
        return _NAMES[cls]
    except KeyError:
        names = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
        _NAMES[cls] = names
        return names
