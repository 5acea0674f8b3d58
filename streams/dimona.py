"""Dimona declarations routed to the subscribed tenants that follow the worker (issue 11).

Thin by design: decode, `raas.domain.dimona.route_dimona`, encode, send.

- `rekey_declarations` re-keys `dimona.declarations` (any producer's partitioner) by the worker's
  INSZ into `<app>-dimona`, which has the partition count of the tables.
- The register agent reads `<app>-dimona` with the commands and identities, so a declaration meets
  the register lines of its INSZ in the same partition, in the same batch as the commands before
  it. It hands each declaration to `DimonaBatch.route` with that INSZ's current state and calls
  `DimonaBatch.write` at the end of its batch.
- The `dimona-routes` table keeps, per INSZ, the tenants that received a mutation of each period
  id (OUT, UPDATE and CANCEL also reach them, contracts.md); like the register, each key is
  written once per batch.
- A declaration on a replaced INSZ goes, unchanged, to the new INSZ's partition.
- A tenant whose `dimona` topic is missing (deleted by hand) gets nothing: the declaration goes to
  `raas.dlq` with the reason, the other tenants still get theirs, and the agent never waits for
  the topic (the broker makes no topic on a first write; Faust's producer would wait minutes).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import UTC, datetime
from typing import Any

from raas import codec
from raas.clients import make_consumer
from raas.config import Settings
from raas.deadletters import DeadLetters
from raas.domain.dimona import DimonaMutation, recipients_after, route_dimona
from raas.domain.register import InszState, forward_target
from raas.topics import tenant_topic
from streams.app import RaasApp
from streams.batches import use
from streams.rekey import rekey
from streams.tenants import TenantDirectory

log = logging.getLogger(__name__)
DECLARATION = codec.DIMONA_DECLARATION

Routes = dict[str, frozenset[str]]  # period id -> the tenants that received a mutation of it
TOPIC_SEEN_TTL = 60.0  # seconds a tenant's dimona topic is trusted to exist without a new look


class MissingDimonaTopic(LookupError):
    """A tenant should receive a mutation but has no dimona topic."""


class DimonaTopics:
    """Each tenant's `raas.tenant.<KBO>.dimona` topic, looked up before the first send to it."""

    def __init__(self, raas: RaasApp, settings: Settings) -> None:
        self._raas = raas
        self._settings = settings
        self._topics: dict[str, Any] = {}
        self._seen: dict[str, float] = {}

    async def of(self, kbo: str) -> Any | None:
        """The Faust topic of the tenant, None when the broker has no such topic."""
        seen = self._seen.get(kbo)
        if seen is None or time.monotonic() - seen > TOPIC_SEEN_TTL:
            loop = asyncio.get_running_loop()
            if not await loop.run_in_executor(None, self._exists, tenant_topic(kbo, "dimona")):
                return None
            self._seen[kbo] = time.monotonic()
        if kbo not in self._topics:
            self._topics[kbo] = self._raas.app.topic(tenant_topic(kbo, "dimona"))
        return self._topics[kbo]

    def _exists(self, name: str) -> bool:
        consumer = make_consumer(self._settings)
        try:
            metadata = consumer.list_topics(name, timeout=10).topics.get(name)
            return metadata is not None and metadata.error is None
        finally:
            consumer.close()


class DimonaRouter:
    """What the register agent needs to route declarations: tenants, topics, stored routes."""

    def __init__(
        self, raas: RaasApp, tenants: TenantDirectory, dead: DeadLetters, settings: Settings
    ) -> None:
        self.raas = raas
        self.tenants = tenants
        self.dead = dead
        self.topics = DimonaTopics(raas, settings)

    def batch(self) -> DimonaBatch:
        """The routing of one batch of the register agent."""
        return DimonaBatch(self)

    def stored_routes(self, key: bytes) -> Routes:
        return decode_routes(self.raas.dimona_routes.get(key))


def encode_routes(routes: Routes) -> bytes:
    """Routes as JSON: period id -> the sorted KBOs."""
    return json.dumps({p: sorted(kbos) for p, kbos in routes.items()}, sort_keys=True).encode()


def decode_routes(raw: bytes | None) -> Routes:
    if not raw:
        return {}
    return {period: frozenset(kbos) for period, kbos in json.loads(raw).items()}


class DimonaBatch:
    """The declarations of one batch: routes changed in memory, written once per key at the end."""

    def __init__(self, router: DimonaRouter) -> None:
        self._router = router
        self._changed: dict[bytes, tuple[Any, Routes]] = {}  # key -> (its last event, routes)

    async def route(self, event: Any, state: InszState) -> None:
        """Send the declaration's mutations; `state` is the register of the event's INSZ."""
        router, message = self._router, event.message
        key: bytes = message.key
        target = forward_target(state)
        if target is not None:  # the INSZ was replaced: its owner routes the declaration
            router.raas.dimona.send_soon(key=target.encode(), value=message.value)
            return
        declaration = codec.decode(message.value, DECLARATION)
        routes = self._changed[key][1] if key in self._changed else router.stored_routes(key)
        received = routes.get(declaration.period_id, frozenset())
        candidates = sorted({line.tenant for line in state.lines} | received)
        configs = [c for kbo in candidates if (c := await router.tenants.get_soon(kbo))]
        mutations = route_dimona(
            declaration, state.lines, configs, received=received, now=datetime.now(UTC)
        )
        sent: list[DimonaMutation] = []
        missing: list[str] = []
        for mutation in mutations:
            topic = await router.topics.of(mutation.tenant)
            if topic is None:
                missing.append(tenant_topic(mutation.tenant, "dimona"))
                continue
            topic.send_soon(key=key, value=codec.encode(mutation))
            sent.append(mutation)
        if missing:  # one dead letter per declaration: its event id is the message's place
            why = f"no topic {', '.join(missing)}; `raas tenant add KBO` creates a tenant's topics"
            log.warning("dimona: declaration %s: %s", declaration.declaration_id, why)
            router.dead.send(message, MissingDimonaTopic(why))
        after = recipients_after(received, sent)
        if after != received:
            self._changed[key] = (event, {**routes, declaration.period_id: after})

    def write(self) -> None:
        """Store each changed INSZ's routes once."""
        for key, (event, routes) in self._changed.items():
            use(event)
            self._router.raas.dimona_routes[key] = encode_routes(routes)
        self._changed.clear()


def install(
    raas: RaasApp, tenants: TenantDirectory, dead: DeadLetters, settings: Settings
) -> DimonaRouter:
    """Declare the re-keying agent on `raas.app`; the router is for the register agent."""

    @raas.app.agent(raas.dimona_in, concurrency=1)
    async def rekey_declarations(stream: Any) -> None:
        """dimona.declarations, from any producer's partitioner, re-keyed by the worker's INSZ."""
        await rekey(
            stream, raas.dimona, dead, lambda raw: codec.decode(raw, DECLARATION).worker_insz
        )

    return DimonaRouter(raas, tenants, dead, settings)
