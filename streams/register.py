"""The register agents: identities re-keyed by INSZ, and commands against the register table.

The register agent also follows identities and replacement steps (`streams.following`), since
they read and change the same state.

Thin by design: decode, call the domain core, encode, send. Both run at concurrency 1
(faust-streaming #606 commits offsets past in-flight messages otherwise). The register agent
takes its events in batches (`streams.batches`, which says why offsets stay safe): within a batch
an INSZ's state lives in memory, is encoded and written to the table once at the end of the
batch, and results are handed straight to the Kafka client without awaiting their delivery. The
register table is read and written the short way (`streams.tablewrites`), the persons table read so.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from raas import codec, metrics
from raas.deadletters import DeadLetters
from raas.domain.commands import Consult, CreateBis, Delete, Register, UpdateBisIdentity
from raas.domain.register import InszState, forward_target, handle, refuse_unserved
from raas.domain.results import CommandResult
from raas.topics import tenant_topic
from streams.app import RaasApp
from streams.batches import batches, send_now, use
from streams.bis import BisRegister
from streams.decoded import Decoded
from streams.dimona import DimonaRouter
from streams.following import Follower, install_rekey
from streams.rekey import rekey
from streams.tablewrites import FastTable
from streams.tenants import TenantDirectory


def install(
    raas: RaasApp, tenants: TenantDirectory, dead: DeadLetters, dimona: DimonaRouter
) -> None:
    """Declare the agents of the register on `raas.app`; `dimona` routes Dimona declarations."""
    app = raas.app
    persons_topic = raas.persons.get_topic_name()
    dimona_topic = raas.dimona.get_topic_name()  # issue 11, Dimona: streams.dimona
    bis_topic = raas.bis.get_topic_name()  # issue 11, BIS register: streams.bis
    bis = BisRegister(raas)
    steps_topic = raas.replacements.get_topic_name()
    states = Decoded(lambda raw: codec.decode(raw, codec.INSZ_STATE))
    register_table, identities_table = (
        FastTable(app, raas.register),
        FastTable(app, raas.identities),
    )
    identities = Decoded(lambda raw: codec.decode(raw, codec.PERSON_IDENTITY))

    @app.agent(raas.persons_in, concurrency=1)
    async def rekey_persons(stream: Any) -> None:
        """authentic.persons, from any producer's partitioner, re-keyed by our own code."""
        await rekey(
            stream, raas.persons, dead, lambda raw: codec.decode(raw, codec.PERSON_IDENTITY).insz
        )

    @app.agent(raas.inputs, concurrency=1)
    async def register(stream: Any) -> None:
        """Commands and identities of the INSZs in this worker's partitions, batch by batch."""
        async for events in batches(stream):
            changed: dict[bytes, tuple[Any, InszState]] = {}  # key -> (its last event, state)
            dimona_batch = dimona.batch()  # issue 11, Dimona: streams.dimona
            for event in events:
                use(event)
                message = event.message
                try:
                    if message.topic == persons_topic:
                        await follower.on_person(event, changed)
                    elif message.topic == steps_topic:
                        await follower.on_step(event, changed)
                    elif message.topic == bis_topic:  # issue 11, BIS register: streams.bis
                        await send_result(bis.store(message), message)
                    elif message.topic == dimona_topic:  # issue 11, Dimona: streams.dimona
                        await dimona_batch.route(event, current_state(message.key, changed))
                    else:
                        await on_command(event, changed)
                except Exception as exc:  # bad input never stops the worker: keep it, carry on
                    dead.send(message, exc)
            for key, (event, state) in changed.items():  # one table write per key per batch
                raw_state = codec.encode(state)
                states.put(key, raw_state, state)
                await register_table.put(event, key, raw_state)
            register_table.end_batch()
            dimona_batch.write()  # issue 11, Dimona: one routes write per key per batch

    def current_state(key: bytes, changed: dict[bytes, tuple[Any, InszState]]) -> InszState:
        if key in changed:
            return changed[key][1]
        stored = register_table.get(key)
        return states.get(key, stored) if stored else InszState(key.decode())

    follower = Follower(raas, current_state, tenants.get_soon)
    install_rekey(raas, dead)

    async def on_command(event: Any, changed: dict[bytes, tuple[Any, InszState]]) -> None:
        message = event.message
        envelope = codec.decode(message.value, codec.TENANT_COMMAND)
        if isinstance(envelope.command, CreateBis):  # issue 11, BIS register: streams.bis
            created = bis.create(message, envelope)  # None: answered once the person is stored
            if created is not None:
                await send_result(created, message)
            return
        if not isinstance(envelope.command, Register | Delete | Consult | UpdateBisIdentity):
            refusal = refuse_unserved(
                envelope.command, tenant=envelope.tenant, now=datetime.now(UTC)
            )
            await send_result(refusal, message)
            return
        key: bytes = message.key
        state = current_state(key, changed)
        target = forward_target(state, envelope.command, tenant=envelope.tenant)
        if target is not None:  # the INSZ was replaced: its owner answers
            raas.commands.send_soon(key=target.encode(), value=message.value)
            return
        raw_person = identities_table.get(key)
        person = identities.get(key, raw_person) if raw_person else None
        if isinstance(envelope.command, UpdateBisIdentity):  # issue 11, BIS register
            new_state, result = bis.update(state, envelope, person)
        else:
            new_state, result = handle(
                state,
                envelope.command,
                tenant=envelope.tenant,
                config=await tenants.get_soon(envelope.tenant),
                person=person,
                now=datetime.now(UTC),
            )
        if new_state is not state:  # `state` itself: a repeat, a consult or a refusal
            changed[key] = (event, new_state)
        await send_result(result, message)

    async def send_result(result: CommandResult, cause: Any) -> None:
        """Send `result`, answering the record `cause` (its timestamp times the answer)."""
        topic = tenant_topic(result.tenant, "results")
        await send_now(app, topic, result.request_id.encode(), codec.encode(result))
        metrics.answered(type(result.command).__name__, result.status.value, cause.timestamp)
