"""Dead letters from the Faust agents: the project's one helper, on a plain producer.

Each dead letter is flushed before the agent moves on, so the offset Faust commits next never
passes a message that is neither processed nor in raas.dlq.
"""

from __future__ import annotations

from typing import Any

from raas.clients import make_producer
from raas.config import Settings
from raas.deadletters import RawMessage, send_dead_letter


class DeadLetters:
    def __init__(self, settings: Settings, consumer: str) -> None:
        self._settings = settings
        self._consumer = consumer
        self._producer: Any = None

    def send(self, message: Any, error: BaseException) -> None:
        """Send a Faust message that could not be processed to raas.dlq."""
        if self._producer is None:
            self._producer = make_producer(self._settings)
        raw = RawMessage(
            message.topic, message.partition, message.offset, message.key, message.value
        )
        send_dead_letter(self._producer, raw, error, consumer=self._consumer)
        self._producer.flush(30)

    def close(self) -> None:
        if self._producer is not None:
            self._producer.flush(30)
