"""A batch of consumed messages becomes the Changes it makes and the offsets after it.

    changes, offsets = batch_changes(spec, codec, producer, messages)

A record that cannot be read or mapped becomes a dead letter on raas.dlq and its offset is passed
all the same: bad input never stops a sink. This is the part of a sink's work that runs in its
consumer's thread, while the batch before is being written (`sinks/committing.py`).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Protocol

from confluent_kafka import Consumer, KafkaError, TopicPartition

from raas.codec import Codec
from raas.deadletters import Producer, RawMessage, send_dead_letter
from sinks.routes import Route, SinkSpec
from sinks.rows import Changes

log = logging.getLogger(__name__)
Offsets = dict[tuple[str, int], int]  # (topic, partition) -> the next offset to read


class Consumed(Protocol):
    """What the loop reads of a confluent_kafka Message (a hand-written fake in the unit tier)."""

    def error(self) -> Any: ...
    def topic(self) -> str | None: ...
    def partition(self) -> int | None: ...
    def offset(self) -> int | None: ...
    def key(self) -> bytes | None: ...
    def value(self) -> bytes | None: ...


def batch_changes(
    spec: SinkSpec, codec: Codec, producer: Producer, messages: Sequence[Consumed]
) -> tuple[Changes, Offsets]:
    """The rows of a batch and the offsets after it; a bad record becomes a dead letter."""
    changes = Changes()
    offsets: Offsets = {}
    routes: dict[str | None, Route | None] = {}  # a topic's route, looked up once a batch
    for message in messages:
        error = message.error()
        if error is not None:
            if error.code() != KafkaError._PARTITION_EOF:
                log.warning("sink %s: %s", spec.name, error)
            continue
        topic = message.topic()
        if topic not in routes:
            routes[topic] = spec.route_for(topic or "")
        route = routes[topic]
        try:
            if route is None:
                raise ValueError(f"no route of sink {spec.name} reads {topic}")
            route.apply(codec, message.key(), message.value(), changes)
        except Exception as exc:  # bad input never stops the sink
            raw = RawMessage.of(message)
            send_dead_letter(producer, raw, exc, consumer=f"sink-{spec.name}", codec=codec)
        offsets[(topic or "", message.partition() or 0)] = (message.offset() or 0) + 1
    return changes, offsets


def sink_lags(consumer: Consumer, offsets: Offsets) -> Offsets:
    """End offset (as last fetched, no broker call) minus the offset stored, per partition."""
    lags = {}
    for (topic, partition), offset in offsets.items():
        _low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), cached=True)
        if high >= 0:
            lags[(topic, partition)] = max(high - offset, 0)
    return lags
