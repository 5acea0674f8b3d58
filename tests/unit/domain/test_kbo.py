from __future__ import annotations

import pytest

from raas.domain.kbo import InvalidKbo, parse_kbo


@pytest.mark.parametrize("number", ["0403019261", "1000000021"])
def test_the_valid_enterprise_numbers_of_domain_md_are_accepted(number: str) -> None:
    assert parse_kbo(number) == number


@pytest.mark.parametrize(
    "spelling", ["0403.019.261", "0403 019 261", "BE0403019261", "be 0403.019.261"]
)
def test_common_spellings_give_the_ten_digits(spelling: str) -> None:
    assert parse_kbo(spelling) == "0403019261"


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("0431150351", "check digits"),
        ("2000000042", "business-unit"),
        ("8000000076", "business-unit"),
        ("9000000013", "not an enterprise number"),
        ("403019261", "9 digits"),
        ("04030192611", "11 digits"),
        ("04030I9261", "other than digits"),
    ],
)
def test_an_invalid_number_is_refused_with_its_reason(number: str, reason: str) -> None:
    with pytest.raises(InvalidKbo) as refused:
        parse_kbo(number)
    assert reason in refused.value.reason
