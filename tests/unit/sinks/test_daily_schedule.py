"""Which day's files the daily job owes, given the time now and the tenant's last written day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sinks.daily.job import due_day

# 2026-11-28 22:30 UTC is 23:30 in Brussels (CET), 23:30 UTC is already 29 November there.
BEFORE_BRUSSELS_MIDNIGHT = datetime(2026, 11, 28, 22, 30, tzinfo=UTC)
AFTER_BRUSSELS_MIDNIGHT = datetime(2026, 11, 28, 23, 30, tzinfo=UTC)


def test_a_tenant_without_files_is_owed_yesterday() -> None:
    assert due_day(AFTER_BRUSSELS_MIDNIGHT, None) == date(2026, 11, 28)


def test_nothing_is_owed_once_yesterday_is_written() -> None:
    assert due_day(AFTER_BRUSSELS_MIDNIGHT, date(2026, 11, 28)) is None


def test_the_day_turns_at_brussels_midnight_not_at_utc_midnight() -> None:
    assert due_day(BEFORE_BRUSSELS_MIDNIGHT, date(2026, 11, 27)) is None
    assert due_day(AFTER_BRUSSELS_MIDNIGHT, date(2026, 11, 27)) == date(2026, 11, 28)


def test_missed_nights_are_caught_up_oldest_first() -> None:
    assert due_day(AFTER_BRUSSELS_MIDNIGHT, date(2026, 11, 24)) == date(2026, 11, 25)


def test_summer_time_moves_the_turn_of_the_day_to_22_utc() -> None:
    assert due_day(datetime(2026, 7, 14, 22, 0, tzinfo=UTC), None) == date(2026, 7, 14)
    assert due_day(datetime(2026, 7, 14, 21, 59, tzinfo=UTC), None) == date(2026, 7, 13)


def test_a_day_written_ahead_by_hand_owes_nothing() -> None:
    assert due_day(AFTER_BRUSSELS_MIDNIGHT, date(2026, 11, 29)) is None
