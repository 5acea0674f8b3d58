from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from raas.domain.identifiers import event_id_for, ticket_for

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:raas")
TICKETS = uuid.uuid5(NAMESPACE, "ticket")


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_an_event_id_is_the_uuid5_of_its_parts_as_uuid_makes_it(parts: list[str]) -> None:
    expected = str(uuid.uuid5(NAMESPACE, "\x1f".join(parts)))
    assert event_id_for(*parts) == expected


@given(st.text(), st.text())
def test_a_ticket_is_the_uuid5_of_tenant_and_request_id_as_uuid_makes_it(
    tenant: str, request_id: str
) -> None:
    assert ticket_for(tenant, request_id) == str(uuid.uuid5(TICKETS, f"{tenant}\x1f{request_id}"))


def test_ids_written_before_keep_their_value() -> None:
    # made by uuid.uuid5, as every id was before it was built without a uuid.UUID
    assert event_id_for("state", "85073003328") == "0c1ed49b-c70a-5d69-bba1-8c744f789ecd"
    assert ticket_for("0123456789", "req-1") == "576b7b87-969d-5d03-bc50-c5875b6307c2"
