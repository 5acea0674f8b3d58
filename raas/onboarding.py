"""Tenant onboarding: a tenant's config on the compacted admin topic, and its four topics.

`raas tenant add`, and later `authorize` / `subscribe`, read the current config, change it and
write it back (contracts.md), so re-adding a tenant with new TypeDossiers updates it.

In secure mode `add_tenant` also creates the tenant's SCRAM user and its literal ACLs
(`raas.security`), and `remove_tenant` takes them away again.

The broker creates no topic on a first write (`auto.create.topics.enable=false`), so `add_tenant`
creates the tenant's four topics itself, idempotently, before it publishes the config. A record
of the admin topic that cannot be read is skipped with a warning naming its partition and offset:
one bad record must not stop every reader (issue 9).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime

from confluent_kafka import OFFSET_BEGINNING, KafkaError, KafkaException, TopicPartition

from raas import codec, security
from raas.clients import end_offset, ensure_topics, make_admin, make_consumer, make_producer
from raas.config import Settings
from raas.domain.identifiers import event_id_for
from raas.domain.tenants import DossierType, TenantConfig, authorize_dimona, subscribe_dimona
from raas.topics import ADMIN_TENANTS, TENANT_TOPIC_KINDS, tenant_topic

ADMIN_TOPIC_CONFIG = {"cleanup.policy": "compact"}
log = logging.getLogger(__name__)


def tenant_topics(kbo: str) -> list[str]:
    return [tenant_topic(kbo, kind) for kind in TENANT_TOPIC_KINDS]


def read_tenants(settings: Settings, timeout: float = 10.0) -> dict[str, TenantConfig]:
    """Every tenant's latest config, read from the beginning of the admin topic to its end."""
    ensure_admin_topic(settings)
    consumer = make_consumer(settings, group_id=f"{settings.app_id}-tenant-cli")
    try:
        partitions = consumer.list_topics(ADMIN_TENANTS, timeout=timeout).topics[ADMIN_TENANTS]
        ends: dict[int, int] = {}
        assignment = []
        for p in partitions.partitions:
            high = end_offset(consumer, ADMIN_TENANTS, p, wait=timeout).offset
            if high > 0:
                ends[p] = high
                assignment.append(TopicPartition(ADMIN_TENANTS, p, OFFSET_BEGINNING))
        configs: dict[str, TenantConfig] = {}
        if not assignment:
            return configs
        consumer.assign(assignment)
        deadline = time.monotonic() + timeout
        while ends:
            if time.monotonic() > deadline:
                raise KafkaException(f"{ADMIN_TENANTS} not read to its end within {timeout:g} s")
            # consume() waits its whole timeout unless it fills the batch: ask often, briefly.
            batch = consumer.consume(num_messages=500, timeout=0.2)
            if not batch:  # the end may be a marker or a compacted record, never delivered
                for tp in consumer.position([TopicPartition(ADMIN_TENANTS, p) for p in ends]):
                    if tp.offset >= ends[tp.partition]:
                        ends.pop(tp.partition)
            for msg in batch:
                error = msg.error()
                if error is not None:
                    if error.code() != KafkaError._PARTITION_EOF:
                        raise RuntimeError(str(error))
                    continue
                partition, offset = msg.partition() or 0, msg.offset() or 0
                _apply(configs, msg.key(), msg.value(), partition, offset)
                if offset + 1 >= ends.get(partition, 0):
                    ends.pop(partition, None)
        return configs
    finally:
        consumer.close()


def _apply(
    configs: dict[str, TenantConfig],
    key: bytes | None,
    value: bytes | None,
    partition: int,
    offset: int,
) -> None:
    """Apply one admin record to `configs`; an unreadable one is logged and skipped."""
    if value is None:  # a tombstone removes the tenant
        configs.pop((key or b"").decode(errors="replace"), None)
        return
    try:
        config = codec.decode(value, codec.TENANT_CONFIG)
    except Exception as exc:  # bad bytes or a config the domain refuses: not ours to stop on
        log.warning(
            "%s: skipping the record at partition %d offset %d: %s",
            ADMIN_TENANTS,
            partition,
            offset,
            exc,
        )
        return
    configs[config.kbo] = config


def ensure_admin_topic(settings: Settings) -> None:
    ensure_topics(make_admin(settings), [ADMIN_TENANTS], partitions=1, config=ADMIN_TOPIC_CONFIG)


def add_tenant(
    settings: Settings, kbo: str, name: str | None, dossier_types: Iterable[DossierType]
) -> TenantConfig:
    """Create or update the tenant: new dossier types are added (a code's label is replaced)."""
    current = read_tenants(settings).get(kbo)
    merged = {t.code: t for t in (current.dossier_types if current else ())}
    merged.update({t.code: t for t in dossier_types})
    now = datetime.now(UTC)
    types = tuple(sorted(merged.values(), key=lambda t: t.code))
    if current is None:
        config = TenantConfig(kbo, name or kbo, types, False, False, "", now)
    else:
        config = replace(current, name=name or current.name, dossier_types=types)
    config = replace(config, timestamp=now, event_id=event_id_for("tenant", kbo, now.isoformat()))
    admin = make_admin(settings)
    ensure_topics(admin, tenant_topics(kbo), partitions=settings.tenant_partitions)
    if settings.secure:
        security.onboard_tenant(settings, admin, kbo)
    publish(settings, config)
    return config


def remove_tenant(settings: Settings, kbo: str, delete_topics: bool) -> bool:
    """Off-board the tenant: a tombstone for its config, in secure mode its ACLs and user, and with
    `delete_topics` its four topics. True when it had a config. Idempotent.
    """
    known = kbo in read_tenants(settings)
    admin = make_admin(settings)
    if settings.secure:
        security.offboard_tenant(settings, admin, kbo)
    producer = make_producer(settings)
    producer.produce(ADMIN_TENANTS, key=kbo.encode(), value=None)
    if producer.flush(30) != 0:
        raise RuntimeError("the tombstone was not acknowledged by the broker")
    if delete_topics:
        existing = set(admin.list_topics(timeout=30).topics)
        doomed = [t for t in tenant_topics(kbo) if t in existing]
        for future in admin.delete_topics(doomed, operation_timeout=30).values() if doomed else []:
            future.result()
    return known


def publish(settings: Settings, config: TenantConfig) -> None:
    producer = make_producer(settings)
    producer.produce(ADMIN_TENANTS, key=config.kbo.encode(), value=codec.encode(config))
    if producer.flush(30) != 0:
        raise RuntimeError("the tenant config was not acknowledged by the broker")


class UnknownTenant(LookupError):
    """No config on the admin topic for this KBO."""


def authorize_dimona_for(
    settings: Settings, kbo: str, reference: str
) -> tuple[TenantConfig, TenantConfig]:
    """Grant the Dimona authorisation `reference`; the config before and after. Idempotent."""
    return _change_tenant(
        settings, kbo, lambda c: authorize_dimona(c, reference), ("dimona-authorized", reference)
    )


def subscribe_dimona_for(settings: Settings, kbo: str) -> tuple[TenantConfig, TenantConfig]:
    """Subscribe to Dimona; NotAuthorized without an authorisation. Idempotent."""
    return _change_tenant(settings, kbo, subscribe_dimona, ("dimona-subscribed",))


def _change_tenant(
    settings: Settings,
    kbo: str,
    change: Callable[[TenantConfig], TenantConfig],
    cause: tuple[str, ...],
) -> tuple[TenantConfig, TenantConfig]:
    """Read the current config, change it, write it back only when it changed.

    Returns the config before and after; `after is before` when nothing changed.
    """
    current = read_tenants(settings).get(kbo)
    if current is None:
        raise UnknownTenant(f"no tenant {kbo}; add it first with `raas tenant add {kbo}`")
    changed = change(current)
    if changed == current:
        return current, current
    now = datetime.now(UTC)
    changed = replace(changed, timestamp=now, event_id=event_id_for("tenant", kbo, *cause))
    publish(settings, changed)
    return current, changed
