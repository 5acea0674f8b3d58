from __future__ import annotations

from dataclasses import replace
from datetime import date

from raas.domain.dimona import DimonaDeclaration, DimonaKind, recipients_after, route_dimona
from raas.domain.results import RegisterLine
from tests.unit.domain.builders import MAN, NOW, OTHER_TENANT, TENANT, config, day, period

THIRD = "0202239951"


def declaration(kind: DimonaKind, begin: int, end: int | None) -> DimonaDeclaration:
    return DimonaDeclaration(
        declaration_id=f"d-{kind}",
        period_id="p-1",
        kind=kind,
        employer="0403019261",
        worker_insz=MAN,
        worker_type="STU",
        joint_committee="302",
        begin=day(begin),
        end=None if end is None else day(end),
        event_id=f"dimona-{kind}",
        timestamp=NOW,
    )


LINES = (
    RegisterLine(TENANT, MAN, 1, period(0, 9)),
    RegisterLine(OTHER_TENANT, MAN, 1, period(20, 29)),
)
SUBSCRIBED = (config(TENANT, dimona=True), config(OTHER_TENANT, dimona=True))


def tenants_of(mutations: tuple[object, ...]) -> list[str]:
    return [m.tenant for m in mutations]  # type: ignore[attr-defined]


def test_an_in_reaches_subscribed_tenants_whose_lines_overlap_the_employment() -> None:
    routed = route_dimona(declaration(DimonaKind.IN, 5, 15), LINES, SUBSCRIBED, now=NOW)
    assert tenants_of(routed) == [TENANT]
    assert routed[0].declaration.kind is DimonaKind.IN and routed[0].timestamp == NOW


def test_an_open_ended_employment_reaches_every_later_line() -> None:
    routed = route_dimona(declaration(DimonaKind.IN, 5, None), LINES, SUBSCRIBED, now=NOW)
    assert tenants_of(routed) == [TENANT, OTHER_TENANT]


def test_no_authorisation_or_no_subscription_means_no_data() -> None:
    unauthorised = replace(config(TENANT, dimona=True), dimona_authorized=False)
    unsubscribed = replace(config(OTHER_TENANT, dimona=True), dimona_subscribed=False)
    routed = route_dimona(
        declaration(DimonaKind.IN, 0, None), LINES, (unauthorised, unsubscribed), now=NOW
    )
    assert routed == ()


def test_a_tenant_without_a_config_receives_nothing() -> None:
    assert route_dimona(declaration(DimonaKind.IN, 0, None), LINES, (), now=NOW) == ()


def test_cancel_and_update_reach_those_who_received_the_in() -> None:
    received = recipients_after(
        (), route_dimona(declaration(DimonaKind.IN, 5, 8), LINES, SUBSCRIBED, now=NOW)
    )
    assert received == {TENANT}
    for kind in (DimonaKind.UPDATE, DimonaKind.CANCEL, DimonaKind.OUT):
        routed = route_dimona(
            declaration(kind, 25, 26), LINES, SUBSCRIBED, received=received, now=NOW
        )
        assert tenants_of(routed) == [TENANT, OTHER_TENANT]


def test_an_in_does_not_reach_earlier_recipients_without_overlap() -> None:
    routed = route_dimona(
        declaration(DimonaKind.IN, 25, 26), LINES, SUBSCRIBED, received={TENANT}, now=NOW
    )
    assert tenants_of(routed) == [OTHER_TENANT]


def test_an_earlier_recipient_that_lost_its_authorisation_receives_nothing_more() -> None:
    routed = route_dimona(
        declaration(DimonaKind.CANCEL, 5, 8), LINES, (config(TENANT),), received={TENANT}, now=NOW
    )
    assert routed == ()


def test_mutation_event_ids_are_deterministic_and_distinct_per_tenant() -> None:
    first = route_dimona(declaration(DimonaKind.IN, 0, None), LINES, SUBSCRIBED, now=NOW)
    again = route_dimona(declaration(DimonaKind.IN, 0, None), LINES, SUBSCRIBED, now=NOW)
    assert [m.event_id for m in first] == [m.event_id for m in again]
    assert len({m.event_id for m in first}) == 2


def test_a_reversed_employment_period_is_read_between_its_dates() -> None:
    reversed_in = declaration(DimonaKind.IN, 9, 5)
    assert reversed_in.employment.begin == day(5) and reversed_in.employment.end == day(9)
    assert date(2024, 1, 6) == day(5)
