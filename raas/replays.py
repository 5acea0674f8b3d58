"""The read side of raas.dlq: its dead letters, decoded, and their replay to the source topic.

A replay sends the original record (key, value) back to its source topic and partition, with the
header `raas-replay-of: <dead letter event id>`, and writes a **replay marker** on raas.dlq in the
same Kafka transaction: a DeadLetter with reason `REPLAYED`, the source topic, partition and offset
of the dead letter it replays, no key or value, and `error` = `replayed to <topic>[<p>]@<offset>`,
where the replayed copy landed. Both are written or neither is, so a second replay of the same
dead letter finds the marker and sends nothing.

A replayed copy that fails again is dead-lettered again by its consumer, at the copy's own
topic, partition and offset. That is the link: the marker maps the copy's place back to the first
dead letter, and `raas dlq list` shows `replay_of` on the second. Markers are not dead letters:
readers that count dead letters skip the reason `REPLAYED`.

A dead letter keeps at most the first 64 KiB of a value (`raas.deadletters`); the replay of such
a one reads the whole original from its source topic at its offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, KafkaError, TopicPartition

from raas.clients import make_consumer, make_producer
from raas.codec import CodecError, DeadLetter, default_codec
from raas.config import Settings
from raas.domain.identifiers import event_id_for
from raas.topics import DLQ

REPLAYED = "REPLAYED"
REPLAY_HEADER = "raas-replay-of"
REPLAYER = "raas dlq replay"
TIMEOUT = 30.0
_TARGET = re.compile(r"^replayed to (?P<topic>\S+)\[(?P<partition>[0-9]+)\]@(?P<offset>[0-9]+)$")

Place = tuple[str, int, int]  # topic, partition, offset


class ReplayError(RuntimeError):
    """A dead letter cannot be replayed (its original is gone from the source topic)."""


@dataclass(frozen=True)
class Entry:
    """A dead letter and where it sits on raas.dlq."""

    partition: int
    offset: int
    letter: DeadLetter

    @property
    def source(self) -> Place:
        return self.letter.topic, self.letter.partition, self.letter.offset

    @property
    def truncated(self) -> bool:
        return "[value truncated to the first" in self.letter.error or (
            "[key truncated to the first" in self.letter.error
        )


@dataclass(frozen=True)
class DeadLetters:
    """raas.dlq as read: the dead letters, which were replayed, and where each replay landed."""

    entries: tuple[Entry, ...]
    replayed: frozenset[Place]  # sources of the dead letters that have a replay marker
    replay_of: dict[Place, Entry]  # where a replayed copy landed -> the dead letter it replays


def read_dead_letters(settings: Settings, since: datetime | None = None) -> DeadLetters:
    """raas.dlq from `since` (or its start) to its end now; duplicates (same event id) once."""
    entries: list[Entry] = []
    replayed: set[Place] = set()
    landed: dict[Place, Place] = {}
    seen: set[str] = set()
    codec = default_codec()
    for partition, offset, value in _read_to_end(settings, DLQ, since):
        try:
            letter = codec.decode(value, DeadLetter)
        except CodecError:
            continue  # not ours to judge: `raas tail raas.dlq` shows it
        if letter.event_id in seen or (since is not None and letter.timestamp < since):
            continue
        seen.add(letter.event_id)
        place = (letter.topic, letter.partition, letter.offset)
        target = _TARGET.match(letter.error)
        if letter.reason == REPLAYED and target:
            replayed.add(place)
            landed[(target["topic"], int(target["partition"]), int(target["offset"]))] = place
        elif letter.reason != REPLAYED:
            entries.append(Entry(partition, offset, letter))
    by_source = {e.source: e for e in entries}
    replay_of = {copy: by_source[first] for copy, first in landed.items() if first in by_source}
    return DeadLetters(tuple(entries), frozenset(replayed), replay_of)


def _read_to_end(
    settings: Settings, topic: str, since: datetime | None
) -> Iterator[tuple[int, int, bytes | None]]:
    consumer = make_consumer(settings, group_id=f"{settings.app_id}-dlq-cli")
    try:
        found = consumer.list_topics(topic, timeout=TIMEOUT).topics.get(topic)
        if found is None or found.error is not None:
            return
        starts = [
            TopicPartition(topic, p, int(since.timestamp() * 1000) if since else OFFSET_BEGINNING)
            for p in found.partitions
        ]
        if since is not None:
            starts = consumer.offsets_for_times(starts, timeout=TIMEOUT)
        ends = {}
        for tp in starts:
            _low, high = consumer.get_watermark_offsets(TopicPartition(topic, tp.partition))
            if high > 0 and tp.offset != -1:  # -1: nothing at or after `since`
                ends[tp.partition] = high
        consumer.assign([tp for tp in starts if tp.partition in ends])
        while ends:
            for message in consumer.consume(500, timeout=1.0):
                error = message.error()
                if error is not None:
                    if error.code() != KafkaError._PARTITION_EOF:
                        raise ReplayError(str(error))
                    continue
                yield message.partition() or 0, message.offset() or 0, message.value()
            for tp in consumer.position([TopicPartition(topic, p) for p in list(ends)]):
                if tp.offset >= ends[tp.partition]:
                    ends.pop(tp.partition)
    finally:
        consumer.close()


def original_of(settings: Settings, entry: Entry) -> tuple[bytes | None, bytes | None]:
    """The dead letter's (key, value), whole: read from its source topic when it kept a prefix."""
    if not entry.truncated:
        return entry.letter.key, entry.letter.value
    topic, partition, offset = entry.source
    consumer = make_consumer(settings, group_id=f"{settings.app_id}-dlq-cli")
    try:
        low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), TIMEOUT)
        if not low <= offset < high:
            raise ReplayError(f"{topic}[{partition}]@{offset} is no longer on its topic")
        consumer.assign([TopicPartition(topic, partition, offset)])
        while True:
            message = consumer.poll(TIMEOUT)
            if message is None or message.error() is not None or (message.offset() or 0) > offset:
                raise ReplayError(f"{topic}[{partition}]@{offset} could not be read back")
            if message.offset() == offset:
                return message.key(), message.value()
    finally:
        consumer.close()


def replay(settings: Settings, entry: Entry, now: datetime | None = None) -> Place:
    """Send the original back to its source in one transaction with its marker; return where."""
    key, value = original_of(settings, entry)
    topic, partition, _offset = entry.source
    producer = make_producer(settings, **{"transactional.id": f"{settings.app_id}-dlq-replay"})
    producer.init_transactions(TIMEOUT)
    producer.begin_transaction()
    landed: list[Any] = []
    producer.produce(
        topic,
        value=value,
        key=key,
        partition=partition,
        headers=[(REPLAY_HEADER, entry.letter.event_id.encode())],
        on_delivery=lambda error, message: landed.append(error or message.offset()),
    )
    producer.flush(TIMEOUT)
    if len(landed) != 1 or not isinstance(landed[0], int):
        producer.abort_transaction(TIMEOUT)
        raise ReplayError(f"the replay to {topic}[{partition}] failed: {landed}")
    target = (topic, partition, landed[0])
    producer.produce(DLQ, value=default_codec().encode(replay_marker(entry, target, now)))
    producer.commit_transaction(TIMEOUT)
    return target


def replay_marker(entry: Entry, target: Place, now: datetime | None = None) -> DeadLetter:
    """The marker on raas.dlq that says `entry` was replayed and where the copy landed."""
    stamp = now or datetime.now(UTC)
    topic, partition, offset = entry.source
    return DeadLetter(
        topic=topic,
        partition=partition,
        offset=offset,
        key=None,
        value=None,
        reason=REPLAYED,
        error=f"replayed to {target[0]}[{target[1]}]@{target[2]}",
        consumer=REPLAYER,
        event_id=event_id_for("dead-letter-replay", topic, str(partition), str(offset)),
        timestamp=stamp.replace(microsecond=stamp.microsecond // 1000 * 1000),
    )
