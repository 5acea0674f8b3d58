"""Following the authentic sources: identity changes and INSZ replacements, inside the register.

The register agent (`streams.register`) hands this module the events of `<app>-persons` and
`<app>-replacements`, with the state of their INSZ as the batch knows it; `rekey_replacements`
re-keys `authentic.insz-replacements` (keyed by the old INSZ by an outside producer) into the
first step of each replacement, keyed by our own partitioner (`raas.domain.replacing` says why a
replacement takes three steps).

Thin, as agents are: decode, domain, encode, send. Within a batch, messages are handed to the
producer before the state they follow from is written, so a worker killed between the two leaves
the message on the broker, and replays it (with the same event id) rather than lose it.
A notification for a tenant the worker does not know (its `raas tenant add` not read, or the
tenant removed: its topic may not exist, and the broker creates none) is skipped with a warning,
not dead-lettered: the source message is good and the other tenants are told.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from raas import codec, metrics
from raas.deadletters import DeadLetters
from raas.domain.insz import parse_insz
from raas.domain.notifications import IdentityChanged, Notification, notify_identity_change
from raas.domain.register import InszState
from raas.domain.replacement import InszReplacement
from raas.domain.replacing import (
    ReplacementStep,
    StepKind,
    check_step,
    merge_step,
    retire_step,
    served_lines,
    start_replacement,
    tenants_to_notify,
)
from raas.domain.tenants import TenantConfig
from raas.topics import tenant_topic
from streams.app import RaasApp

log = logging.getLogger(__name__)

Changed = dict[bytes, tuple[Any, InszState]]  # key -> (its last event, state), per batch
CurrentState = Callable[[bytes, Changed], InszState]
TenantLookup = Callable[[str], Awaitable[TenantConfig | None]]


def install_rekey(raas: RaasApp, dead: DeadLetters) -> None:
    """Declare the agent that turns each outside replacement into its first step."""

    @raas.app.agent(raas.replacements_in, concurrency=1)
    async def rekey_replacements(stream: Any) -> None:
        """authentic.insz-replacements: numbers checked, the CHECK sent to the new INSZ."""
        async for event in stream.events():
            message = event.message
            try:
                step = start_replacement(valid_replacement(message.value))
            except Exception as exc:  # an invalid number or a self-replacement: dead letter
                dead.send(message, exc)
                continue
            await raas.replacements.send(key=step.at.encode(), value=codec.encode(step))


def valid_replacement(raw: bytes) -> InszReplacement:
    """The decoded replacement with both numbers as 11 digits; raises on an invalid one."""
    replacement = codec.decode(raw, codec.INSZ_REPLACEMENT)
    old, new = parse_insz(replacement.old_insz), parse_insz(replacement.new_insz)
    return InszReplacement(old.number, new.number, replacement.event_id, replacement.timestamp)


class Follower:
    """What the register agent does with identities and replacement steps."""

    def __init__(
        self, raas: RaasApp, current_state: CurrentState, tenant_config: TenantLookup
    ) -> None:
        self.raas = raas
        self.current_state = current_state
        self.tenant_config = tenant_config
        self.topics: dict[str, Any] = {}

    async def on_person(self, event: Any, changed: Changed) -> None:
        """Store the snapshot; tell each tenant with lines on the INSZ what changed."""
        message = event.message
        person = codec.decode(message.value, codec.PERSON_IDENTITY)  # only valid ones
        stored = self.raas.identities.get(message.key)
        old = codec.decode(stored, codec.PERSON_IDENTITY) if stored else None
        tenants = tenants_to_notify(served_lines(self.current_state(message.key, changed)))
        if old is not None and tenants:
            await self.notify(notify_identity_change(old, person, tenants, now=datetime.now(UTC)))
        self.raas.identities[message.key] = message.value

    async def on_step(self, event: Any, changed: Changed) -> None:
        """One step of a replacement at this INSZ (`raas.domain.replacing`)."""
        key: bytes = event.message.key
        step = codec.decode(event.message.value, codec.REPLACEMENT_STEP)
        state = self.current_state(key, changed)
        if step.kind is StepKind.CHECK:
            self.send_step(check_step(state, step))
        elif step.kind is StepKind.RETIRE:
            retired, merge = retire_step(state, step)
            self.send_step(merge)
            changed[key] = (event, retired)
        else:
            merged, notes, onwards = merge_step(state, step, now=datetime.now(UTC))
            if onwards is not None:
                self.send_step(onwards)
            else:
                await self.notify(notes)
                changed[key] = (event, merged)

    def send_step(self, step: ReplacementStep) -> None:
        self.raas.replacements.send_soon(key=step.at.encode(), value=codec.encode(step))

    async def notify(self, notes: Iterable[Notification]) -> None:
        for note in notes:
            if await self.tenant_config(note.tenant) is None:
                log.warning("no notification for unknown tenant %s: %s", note.tenant, note)
                continue
            insz = note.insz if isinstance(note, IdentityChanged) else note.new_insz
            self.topic(note.tenant).send_soon(key=insz.encode(), value=codec.encode(note))
            metrics.notified(note.tenant)

    def topic(self, kbo: str) -> Any:
        if kbo not in self.topics:
            self.topics[kbo] = self.raas.app.topic(tenant_topic(kbo, "notifications"))
        return self.topics[kbo]
