"""Alembic migrations of the read side's tables (`sinks/tables.py`); `sinks.database.upgrade`."""
