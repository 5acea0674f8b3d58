from __future__ import annotations

from dataclasses import replace

import pytest

from raas.domain.tenants import NotAuthorized, authorize_dimona, subscribe_dimona
from tests.unit.domain.builders import config


def test_authorising_lets_the_tenant_subscribe() -> None:
    authorised = authorize_dimona(config(), "DEL-24-001")
    assert authorised.dimona_authorized and not authorised.dimona_subscribed
    subscribed = subscribe_dimona(authorised)
    assert subscribed.receives_dimona


def test_subscribing_without_authorisation_is_refused_and_says_how_to_get_one() -> None:
    with pytest.raises(NotAuthorized, match="tenant authorize"):
        subscribe_dimona(config())


def test_authorising_or_subscribing_twice_changes_nothing() -> None:
    authorised = authorize_dimona(config(), "DEL-24-001")
    assert authorize_dimona(authorised, "DEL-24-001") is authorised
    subscribed = subscribe_dimona(authorised)
    assert subscribe_dimona(subscribed) is subscribed


def test_authorising_keeps_everything_else() -> None:
    before = config(codes=(1, 2, 7))
    assert authorize_dimona(before, "DEL-24-001") == replace(
        before, dimona_authorized=True, dimona_reference="DEL-24-001"
    )


def test_a_new_authorisation_reference_replaces_the_old_one_and_keeps_the_subscription() -> None:
    subscribed = subscribe_dimona(authorize_dimona(config(), "DEL-24-001"))
    renewed = authorize_dimona(subscribed, "DEL-26-117")
    assert renewed.dimona_reference == "DEL-26-117"
    assert renewed.receives_dimona
