"""The values streams.bis and streams.dimona keep in their tables survive a round trip."""

from __future__ import annotations

from raas.domain.birthdates import BirthDate
from raas.domain.bisregister import BisDay, create_bis
from raas.domain.commands import CreateBis
from raas.domain.sex import Sex
from streams.bis import decode_day, encode_day
from streams.dimona import decode_routes, encode_routes
from tests.unit.domain.builders import NOW, OTHER_TENANT, TENANT


def test_a_bis_day_with_its_persons_and_answers_reads_back_equal() -> None:
    command = CreateBis("b1", None, "Nowak", "Anna", BirthDate(1975, 6, 8), Sex.F, "Krakow")
    day, _result, person = create_bis(BisDay("1975-06-08"), command, tenant=TENANT, now=NOW)
    assert person is not None and day.answers

    assert decode_day("1975-06-08", encode_day(day)) == day


def test_a_birth_date_without_a_stored_value_has_no_persons() -> None:
    assert decode_day("1975-06-08", None) == BisDay("1975-06-08")


def test_the_tenants_that_received_each_period_read_back_equal() -> None:
    routes = {"7": frozenset({TENANT, OTHER_TENANT}), "8": frozenset({TENANT})}

    assert decode_routes(encode_routes(routes)) == routes
