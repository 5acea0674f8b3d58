"""The domain core: numbers, periods and the register's rules, as pure standard-library Python.

Nothing here does I/O or reads the clock: functions that need the time take `now: datetime`.
The binding type names are listed in `docs/domain-types.md`.
"""
