from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raas.domain.birthdates import BirthDate
from raas.domain.insz import InszKind, InvalidInsz, check_digits, parse_insz
from raas.domain.sex import Sex


@pytest.mark.parametrize(
    ("number", "kind", "birth_date", "sex", "century"),
    [
        ("85073003328", InszKind.RN, BirthDate(1985, 7, 30), Sex.M, 19),
        ("17073003384", InszKind.RN, BirthDate(2017, 7, 30), Sex.M, 20),
        ("75060898009", InszKind.RN, BirthDate(1975, 6, 8), Sex.F, 19),
        ("80010100897", InszKind.RN, BirthDate(1980, 1, 1), Sex.F, 19),
        ("60000000195", InszKind.RN, BirthDate(1960, 0, 0), Sex.M, 19),
        ("85073500107", InszKind.RN, BirthDate(1985, 7, 0), Sex.M, 19),
        ("75460898095", InszKind.BIS, BirthDate(1975, 6, 8), Sex.F, 19),
        ("75260898052", InszKind.BIS, BirthDate(1975, 6, 8), None, 19),
        ("01490700185", InszKind.BIS, BirthDate(2001, 9, 7), Sex.M, 20),
    ],
)
def test_the_examples_of_domain_md_are_read_as_documented(
    number: str, kind: InszKind, birth_date: BirthDate, sex: Sex | None, century: int
) -> None:
    insz = parse_insz(number)
    assert (insz.number, insz.kind, insz.birth_date, insz.sex, insz.century) == (
        number,
        kind,
        birth_date,
        sex,
        century,
    )


@pytest.mark.parametrize(
    "spelling",
    ["85.07.30-033.28", "850730 033 28", " 85073003328 ", "850730-033-28", "850730/03328"],
)
def test_common_spellings_are_read_as_the_eleven_digits(spelling: str) -> None:
    assert parse_insz(spelling).number == "85073003328"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("85073003327", "check digits"),
        ("12345678901", "check digits"),
        ("85133000105", "month 13"),
        ("8507300332", "10 digits"),
        ("850730033288", "12 digits"),
        ("", "0 digits"),
        ("85O73003328", "other than digits"),
        ("\uff18\uff15073003328", "other than digits"),  # fullwidth digits
    ],
)
def test_an_invalid_number_is_refused_with_a_precise_reason(number: str, reason: str) -> None:
    with pytest.raises(InvalidInsz) as refused:
        parse_insz(number)
    assert reason in refused.value.reason


def valid(first_nine: str, century: int = 19) -> str:
    return f"{first_nine}{check_digits(first_nine, century):02d}"


def test_a_month_above_12_after_removing_the_bis_offset_is_refused() -> None:
    for month in ("13", "19", "33", "39", "53", "99"):
        with pytest.raises(InvalidInsz, match="above 12"):
            parse_insz(valid(f"85{month}30033"))


def test_a_day_no_calendar_has_reads_as_an_unknown_day() -> None:
    assert parse_insz(valid("850735001")).birth_date == BirthDate(1985, 7, 0)
    assert parse_insz(valid("850799001")).birth_date == BirthDate(1985, 7, 0)
    assert parse_insz(valid("850700001")).birth_date == BirthDate(1985, 7, 0)


def test_any_day_under_month_00_reads_as_an_unknown_day() -> None:
    assert parse_insz(valid("850017001")).birth_date == BirthDate(1985, 0, 0)
    assert parse_insz(valid("852047001")).birth_date == BirthDate(1985, 0, 0)


def test_000001_is_the_fully_unknown_birth_date() -> None:
    assert parse_insz(valid("000001001")).birth_date == BirthDate(0, 0, 0)


def test_a_calendar_slip_such_as_30_february_is_refused_as_an_impossible_day() -> None:
    with pytest.raises(InvalidInsz, match="day 30 is impossible"):
        parse_insz(valid("850230001"))
    with pytest.raises(InvalidInsz, match="day 29 is impossible"):
        parse_insz(valid("850229001"))
    assert parse_insz(valid("840229001")).birth_date == BirthDate(1984, 2, 29)


def test_serials_000_and_999_are_refused() -> None:
    for serial in ("000", "999"):
        with pytest.raises(InvalidInsz, match="serial"):
            parse_insz(valid(f"850730{serial}"))


def test_the_century_comes_from_the_check_that_passes() -> None:
    assert parse_insz(valid("170730033", 19)).birth_date.year == 1917
    assert parse_insz(valid("170730033", 20)).birth_date.year == 2017


def test_a_bis_number_with_plus_20_does_not_tell_the_sex() -> None:
    assert parse_insz(valid("752608981")).sex is None
    assert parse_insz(valid("754608981")).sex is Sex.M


@settings(max_examples=200)
@given(
    year=st.integers(1900, 2099),
    month=st.integers(0, 12),
    day=st.integers(0, 28),
    serial=st.integers(1, 998),
    offset=st.sampled_from([0, 20, 40]),
)
def test_every_well_built_number_is_read_back_to_its_parts(
    year: int, month: int, day: int, serial: int, offset: int
) -> None:
    first_nine = f"{year % 100:02d}{month + offset:02d}{day if month else 0:02d}{serial:03d}"
    insz = parse_insz(valid(first_nine, year // 100))
    assert insz.century == year // 100
    assert insz.kind is (InszKind.RN if offset == 0 else InszKind.BIS)
    if first_nine[:6] != "000001":
        expected_day = day if month else 0
        assert insz.birth_date == BirthDate(year, month, expected_day)
    expected_sex = None if offset == 20 else (Sex.M if serial % 2 else Sex.F)
    assert insz.sex is expected_sex


@settings(max_examples=200)
@given(st.text(max_size=14))
def test_any_text_either_parses_or_is_refused_with_a_reason(text: str) -> None:
    try:
        insz = parse_insz(text)
    except InvalidInsz as refused:
        assert refused.reason
    else:
        assert len(insz.number) == 11 and insz.number.isdigit()
