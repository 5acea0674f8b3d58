"""The local stack: the Apache Kafka broker and PostgreSQL, started and stopped by pid."""

from __future__ import annotations


class StackError(RuntimeError):
    """A service cannot be set up or started; the message says what to do."""
