"""The limits of what a tenant may send, checked where input enters (the ingress) and again by
the register (`register.handle`), and the clipped copy of a refused command that its result echoes.

A command over a limit gets an ERROR result with its own code (FIELD_TOO_LONG,
COMMAND_TOO_LARGE, VALUE_OUT_OF_RANGE), is never stored, and is echoed only clipped: no text field
of the echo is longer than `ECHO_CHARS` characters plus an ellipsis. So no record we write because
of a command can come near the broker's `message.max.bytes` (1,048,588 bytes by default).

Where the numbers come from. The KSZ-BCSS message formats (XSDs) could not be consulted where
this was written, so each text limit is our own bound, chosen generously above what the field
holds in practice, and to be aligned with the KSZ formats once checked:

- `request_id` 64: a UUID is 36 characters; room for a tenant's own prefix.
- `reference` 100: a free business reference, echoed, never read.
- `insz` 32: 11 digits, or 15 with the usual dots and dash; room for spaces.
- `last_name`, `first_names`, `first_name` 120: longer than any name an authentic source holds.
- `birth_place` 100: a municipality or country name.
- `address` 250: street, number, box, postal code, municipality and country on one line.
- `type_dossier`: an Avro `int`, and a code, so 0 to 2^31 - 1.
- a whole command, as the bytes of its record, 4,096 bytes: a command with every field at its
  limit is about 1,100 bytes.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from raas.domain import codes
from raas.domain.commands import Command
from raas.domain.fieldnames import field_names
from raas.domain.results import CommandResult, Detail, detail, result_for

FIELD_LIMITS: dict[str, int] = {
    "request_id": 64,
    "reference": 100,
    "insz": 32,
    "last_name": 120,
    "first_names": 120,
    "first_name": 120,
    "birth_place": 100,
    "address": 250,
}
INT_RANGES: dict[str, tuple[int, int]] = {"type_dossier": (0, 2**31 - 1)}
MAX_COMMAND_BYTES = 4096
ECHO_CHARS = 32
ELLIPSIS = "\u2026"

T = TypeVar("T")


def check_limits(command: object, size: int | None = None) -> tuple[Detail, ...]:
    """Every limit `command` breaks: its size in bytes (when known), each long field, each number
    out of range. Empty when it is within every limit."""
    details: list[Detail] = []
    if size is not None and size > MAX_COMMAND_BYTES:
        extra = f"({size} bytes; at most {MAX_COMMAND_BYTES})"
        details.append(detail(codes.COMMAND_TOO_LARGE, extra))
    _check_fields(command, "", details)
    return tuple(details)


def refuse_over_limits(
    command: Command, *, tenant: str, now: datetime, size: int | None = None
) -> CommandResult | None:
    """The ERROR result of a command over a limit, echoing it clipped; None when within them.

    Its key and ticket come from the clipped request id, so even they stay small.
    """
    broken = check_limits(command, size)
    if not broken:
        return None
    return result_for(clipped(command), tenant, None, broken, (), now)


def clipped(command: T) -> T:
    """A copy of `command` fit to echo: long text cut to `ECHO_CHARS` characters and an
    ellipsis, numbers out of range set to their nearest bound."""
    changes: dict[str, Any] = {}
    for field in fields(command):  # type: ignore[arg-type]
        value = getattr(command, field.name)
        fit = _clip(field.name, value)
        if fit is not value:
            changes[field.name] = fit
    return replace(command, **changes) if changes else command  # type: ignore[type-var]


def _clip(name: str, value: object) -> object:
    """`value` fit to echo as the field `name`; `value` itself when it fits."""
    if is_dataclass(value) and not isinstance(value, type):
        return clipped(value)
    if isinstance(value, str) and len(value) > FIELD_LIMITS.get(name, len(value)):
        return value[:ECHO_CHARS] + ELLIPSIS
    if isinstance(value, int) and not isinstance(value, bool) and name in INT_RANGES:
        low, high = INT_RANGES[name]
        return value if low <= value <= high else min(max(value, low), high)
    return value


def _check_fields(obj: object, prefix: str, details: list[Detail]) -> None:
    """Add to `details` every limit a field of `obj` breaks, nested records (an identity claim)
    included, depth first in declaration order; a field's dotted path is built only when it
    breaks one (a command within its limits, nearly every one, builds none)."""
    for name in field_names(obj) or ():
        value = getattr(obj, name)
        if isinstance(value, str):
            limit = FIELD_LIMITS.get(name)
            if limit is not None and len(value) > limit:
                path = f"{prefix}{name}"
                extra = f"({path}: {len(value)} characters; at most {limit})"
                details.append(detail(codes.FIELD_TOO_LONG, extra, field=path))
        elif isinstance(value, int) and not isinstance(value, bool):
            if name in INT_RANGES:
                low, high = INT_RANGES[name]
                if not low <= value <= high:
                    path = f"{prefix}{name}"
                    extra = f"({path}: {value}; from {low} to {high})"
                    details.append(detail(codes.VALUE_OUT_OF_RANGE, extra, field=path))
        elif value is not None and field_names(value) is not None:
            _check_fields(value, f"{prefix}{name}.", details)
