from __future__ import annotations

from datetime import date

import pytest

from raas.domain.birthdates import BirthDate, InvalidBirthDate


def test_a_birth_date_reads_and_writes_yyyy_mm_dd_with_zeros_for_unknown_parts() -> None:
    for text in ("1993-00-00", "1993-05-00", "1993-05-17", "0000-00-00"):
        assert str(BirthDate.parse(text)) == text


def test_only_a_date_with_year_month_and_day_is_complete() -> None:
    assert BirthDate(1993, 5, 17).is_complete
    assert BirthDate(1993, 5, 17).to_date() == date(1993, 5, 17)
    assert not BirthDate(1993, 5, 0).is_complete
    assert BirthDate(1993, 0, 0).to_date() is None


@pytest.mark.parametrize("text", ["1993-13-01", "1993-00-05", "1993-02-30", "93-01-01", "x"])
def test_an_impossible_birth_date_is_refused(text: str) -> None:
    with pytest.raises(InvalidBirthDate):
        BirthDate.parse(text)
