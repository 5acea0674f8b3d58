"""Fix 9 to faust-streaming 0.15.3: the worker reads only committed records (issue 14).

Faust's consumer reads `read_uncommitted` unless the app itself runs exactly-once. Ours runs
at-least-once, but what it reads is written in transactions: the ingress forwards each batch of
tenant commands into `<app>-tenant-commands` inside a transaction with the batch's offsets, and
when its group moves on (a worker starts or stops) it aborts the transaction and the batch's next
owner forwards it again. Reading uncommitted, the worker applied and answered the aborted copy as
well as the committed one: a rolling restart answered 51 of 822 commands twice, and a record the
ingress dead-letters after a failed transaction could be answered too.

`read_committed` delivers a transactional partition only up to its last stable offset and never
delivers an aborted record (aiokafka skips them and the commit markers; `streams.faust_fetches`
counts what a fetch stepped over as a gap). Topics written without transactions (changelogs,
authentic sources) read as before: their stable offset is their end.
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

ISOLATION = "read_committed"
_upstream_create_worker_consumer = AIOKafkaConsumerThread._create_worker_consumer


def create_worker_consumer(self: Any, transport: Any) -> Any:
    """Upstream's worker consumer, reading only committed records; it is not started yet, and
    `start()` hands the level to its fetcher."""
    consumer = _upstream_create_worker_consumer(self, transport)
    consumer._isolation_level = ISOLATION
    return consumer


def install() -> None:
    AIOKafkaConsumerThread._create_worker_consumer = create_worker_consumer  # type: ignore[method-assign]
