from __future__ import annotations

from dataclasses import replace

import pytest

from raas.domain.tenants import NotAuthorized, authorize_dimona, subscribe_dimona
from tests.unit.domain.builders import config


def test_authorising_lets_the_tenant_subscribe() -> None:
    authorised = authorize_dimona(config())
    assert authorised.dimona_authorized and not authorised.dimona_subscribed
    subscribed = subscribe_dimona(authorised)
    assert subscribed.receives_dimona


def test_subscribing_without_authorisation_is_refused_and_says_how_to_get_one() -> None:
    with pytest.raises(NotAuthorized, match="tenant authorize"):
        subscribe_dimona(config())


def test_authorising_or_subscribing_twice_changes_nothing() -> None:
    authorised = authorize_dimona(config())
    assert authorize_dimona(authorised) is authorised
    subscribed = subscribe_dimona(authorised)
    assert subscribe_dimona(subscribed) is subscribed


def test_authorising_keeps_everything_else() -> None:
    before = config(codes=(1, 2, 7))
    assert authorize_dimona(before) == replace(before, dimona_authorized=True)
