"""Which topics each sink reads and what a record of each becomes: decode -> row -> Changes.

A route's `apply` raises (CodecError, or ValueError and kin for a value it cannot map) on bad
input; the loop dead-letters that record and goes on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from raas.codec import (
    COMMAND_RESULT,
    DIMONA_MUTATION,
    INSZ_STATE,
    NOTIFICATION,
    PERSON_IDENTITY,
    Codec,
    CodecError,
    Reason,
    decode_key,
)
from raas.codec.picking import Picker
from raas.topics import AUTHENTIC_PERSONS, KBO_PATTERN
from sinks.rows import (
    RESULT_FIELDS,
    Changes,
    audit_row,
    audit_row_of,
    dimona_row,
    line_rows,
    notification_row,
    person_row,
)

Apply = Callable[[Codec, bytes | None, bytes | None, Changes], None]


@dataclass(frozen=True)
class Route:
    subscription: str  # a topic name, or a regex (starting with ^) as librdkafka takes it
    apply: Apply

    def matches(self, topic: str) -> bool:
        if self.subscription.startswith("^"):
            return re.match(self.subscription, topic) is not None
        return topic == self.subscription


@dataclass(frozen=True)
class SinkSpec:
    """One sink: a consumer (its name keys its offsets and its group) and the routes it reads."""

    name: str
    routes: tuple[Route, ...]

    def group_id(self, app_id: str) -> str:
        """Its consumer group, which never commits to Kafka: the offsets are in `sink_offsets`."""
        return f"{app_id}-sink-{self.name}"

    def route_for(self, topic: str) -> Route | None:
        return next((r for r in self.routes if r.matches(topic)), None)

    @property
    def subscriptions(self) -> list[str]:
        return [r.subscription for r in self.routes]


def tenant_regex(kind: str) -> str:
    return rf"^raas\.tenant\.{KBO_PATTERN}\.{kind}$"


def register_changelog(app_id: str) -> str:
    """The changelog Faust keeps of the register table, keyed by INSZ, an InszState a value."""
    return f"{app_id}-register-changelog"


@cache
def result_picker(codec: Codec) -> Picker:
    """Reads of a CommandResult only what its audit row needs (`audit_row_of`)."""
    return Picker(codec.wire, COMMAND_RESULT, RESULT_FIELDS)


def _audit(codec: Codec, _key: bytes | None, value: bytes | None, changes: Changes) -> None:
    picked = result_picker(codec).read(value)
    # what the picker cannot read, the full decode reads, or raises the CodecError saying why
    row = audit_row(codec.decode(value, COMMAND_RESULT)) if picked is None else audit_row_of(picked)
    changes.add("audit", (row["event_id"],), row)


def _notification(codec: Codec, _key: bytes | None, value: bytes | None, changes: Changes) -> None:
    notification = codec.decode(value, NOTIFICATION)
    changes.add("notifications", (notification.event_id,), notification_row(notification))


def _dimona(codec: Codec, _key: bytes | None, value: bytes | None, changes: Changes) -> None:
    mutation = codec.decode(value, DIMONA_MUTATION)
    changes.add("dimona_mutations", (mutation.event_id,), dimona_row(mutation))


def _person(codec: Codec, _key: bytes | None, value: bytes | None, changes: Changes) -> None:
    person = codec.decode(value, PERSON_IDENTITY)
    changes.add("persons", (person.insz,), person_row(person))


def _register_state(codec: Codec, key: bytes | None, value: bytes | None, changes: Changes) -> None:
    insz = decode_key(key)
    if not insz:
        raise CodecError(Reason.INVALID_VALUE, "a register changelog record without an INSZ key")
    state = None if value is None else codec.decode(value, INSZ_STATE)
    if state is not None and state.insz != insz:
        raise CodecError(Reason.INVALID_VALUE, f"state of {state.insz} under key {insz}")
    changes.replace_lines(insz, line_rows(state))


def sink_specs(app_id: str) -> tuple[SinkSpec, ...]:
    """Every sink `raas sink` runs."""
    return (
        SinkSpec("audit", (Route(tenant_regex("results"), _audit),)),
        SinkSpec(
            "deliveries",
            (
                Route(tenant_regex("notifications"), _notification),
                Route(tenant_regex("dimona"), _dimona),
            ),
        ),
        SinkSpec("persons", (Route(AUTHENTIC_PERSONS, _person),)),
        SinkSpec("register", (Route(register_changelog(app_id), _register_state),)),
    )
