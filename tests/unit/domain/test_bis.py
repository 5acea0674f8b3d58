from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raas.domain.birthdates import BirthDate
from raas.domain.bis import BisSerialsExhausted, allocate_bis
from raas.domain.insz import InszKind, parse_insz
from raas.domain.sex import Sex


def test_a_known_sex_raises_the_month_by_40_and_sets_the_serial_parity() -> None:
    woman = parse_insz(allocate_bis(BirthDate(1975, 6, 8), Sex.F, ()))
    man = parse_insz(allocate_bis(BirthDate(1975, 6, 8), Sex.M, ()))
    assert (woman.number[2:4], woman.sex, woman.kind) == ("46", Sex.F, InszKind.BIS)
    assert (man.number, man.sex) == ("75460800107", Sex.M)


def test_an_unknown_sex_raises_the_month_by_20() -> None:
    for sex in (None, Sex.U):
        number = parse_insz(allocate_bis(BirthDate(1975, 6, 8), sex, ()))
        assert (number.number[2:4], number.sex) == ("26", None)


def test_a_birth_in_the_2000s_gets_check_digits_over_the_2_prefix() -> None:
    number = parse_insz(allocate_bis(BirthDate(2001, 9, 7), Sex.M, ()))
    assert (number.century, number.birth_date) == (20, BirthDate(2001, 9, 7))


def test_an_incomplete_birth_date_is_kept_in_the_number() -> None:
    assert parse_insz(allocate_bis(BirthDate(1993, 0, 0), Sex.F, ())).birth_date == BirthDate(
        1993, 0, 0
    )
    assert parse_insz(allocate_bis(BirthDate(1993, 5, 0), None, ())).birth_date == BirthDate(
        1993, 5, 0
    )


def test_a_used_number_is_never_given_again() -> None:
    first = allocate_bis(BirthDate(1975, 6, 8), Sex.F, ())
    second = allocate_bis(BirthDate(1975, 6, 8), Sex.F, {first})
    assert first != second and int(second[6:9]) == int(first[6:9]) + 2


def test_exhausted_serials_give_a_clear_error() -> None:
    used: set[str] = set()
    for _ in range(499):
        used.add(allocate_bis(BirthDate(1975, 6, 8), Sex.M, used))
    with pytest.raises(BisSerialsExhausted, match="all 499 BIS serials for birth date 1975-06-08"):
        allocate_bis(BirthDate(1975, 6, 8), Sex.M, used)
    assert parse_insz(allocate_bis(BirthDate(1975, 6, 8), Sex.F, used)).sex is Sex.F


def test_a_year_is_needed() -> None:
    with pytest.raises(ValueError, match="known year"):
        allocate_bis(BirthDate(0, 0, 0), Sex.M, ())


dates = st.builds(
    lambda y, m, d: BirthDate(y, m, min(d, 28) if m else 0),
    st.integers(1900, 2099),
    st.integers(0, 12),
    st.integers(0, 28),
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(dates, st.sampled_from([Sex.M, Sex.F, Sex.U, None])), min_size=1, max_size=30
    )
)
def test_every_allocated_number_validates_and_is_unique(
    requests: list[tuple[BirthDate, Sex | None]],
) -> None:
    used: set[str] = set()
    for birth_date, sex in requests:
        number = allocate_bis(birth_date, sex, used)
        assert number not in used
        used.add(number)
        insz = parse_insz(number)
        assert insz.kind is InszKind.BIS and insz.birth_date == birth_date
        assert insz.sex is (sex if sex in (Sex.M, Sex.F) else None)
