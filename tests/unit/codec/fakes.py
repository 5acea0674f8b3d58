"""Hand-written fakes of the Kafka client objects the codec's users touch."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeProducer:
    """Records what was produced, like a confluent_kafka Producer that never fails."""

    sent: list[tuple[str, bytes | None, bytes | None]] = field(default_factory=list)

    def produce(self, topic: str, value: bytes | None = None, key: bytes | None = None) -> None:
        self.sent.append((topic, value, key))


@dataclass
class FakeMessage:
    """A consumed message, with confluent_kafka's accessor methods."""

    _value: bytes | None
    _key: bytes | None = None
    _topic: str = "raas.tenant.0403019261.commands"
    _partition: int = 0
    _offset: int = 0

    def value(self) -> bytes | None:
        return self._value

    def key(self) -> bytes | None:
        return self._key

    def topic(self) -> str:
        return self._topic

    def partition(self) -> int:
        return self._partition

    def offset(self) -> int:
        return self._offset

    def error(self) -> None:
        return None


@dataclass
class FakeConsumer:
    """Hands out its messages one poll at a time, then nothing."""

    messages: list[FakeMessage]

    def poll(self, timeout: float) -> FakeMessage | None:
        return self.messages.pop(0) if self.messages else None
