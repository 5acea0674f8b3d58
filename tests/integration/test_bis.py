"""The BIS register on a real worker (issue 11): a number created, used at once, then updated,
and the update told to another tenant that has the person."""

from __future__ import annotations

import random
import time
import uuid
from datetime import date

import pytest
from confluent_kafka import TopicPartition

from raas import codec
from raas.clients import make_consumer
from raas.config import Settings
from raas.domain import codes
from raas.domain.birthdates import BirthDate
from raas.domain.commands import CreateBis, Register, UpdateBisIdentity
from raas.domain.insz import InszKind, parse_insz
from raas.domain.notifications import IdentityChanged
from raas.domain.periods import Period
from raas.domain.persons import FieldChange, PersonIdentity
from raas.domain.results import CommandResult, Status
from raas.domain.sex import Sex
from raas.sources import person, publish_persons
from raas.topics import AUTHENTIC_PERSONS
from tests.integration.numbers import new_insz
from tests.integration.tenants import new_tenant
from tests.integration.test_following_sources import Notifications
from tests.integration.test_outside_world import ends
from tests.integration.workers import send

pytestmark = pytest.mark.usefixtures("worker")


def _id() -> str:
    return str(uuid.uuid4())


def _codes(result: CommandResult) -> set[int]:
    return {d.code for d in result.details}


def tenant(settings: Settings) -> str:
    return new_tenant(settings, "BIS office", "member")


def published(settings: Settings, starts: dict[int, int], insz: str, last_name: str) -> bool:
    """Whether authentic.persons got, after `starts`, the identity of `insz` with `last_name`."""
    consumer = make_consumer(settings)
    deadline = time.monotonic() + 60
    try:
        consumer.assign([TopicPartition(AUTHENTIC_PERSONS, p, o) for p, o in starts.items()])
        while time.monotonic() < deadline:
            message = consumer.poll(1.0)
            if message is None or message.error() is not None:
                continue
            person = codec.decode(message.value(), PersonIdentity)
            if person.insz == insz and person.last_name == last_name:
                return person.source is InszKind.BIS
        return False
    finally:
        consumer.close()


def test_a_bis_number_is_created_registered_against_at_once_and_updated(
    worker_settings: Settings,
) -> None:
    s = worker_settings
    creator, other = tenant(s), tenant(s)
    starts = ends(s, AUTHENTIC_PERSONS)
    born = BirthDate(random.randint(1930, 2005), random.randint(1, 12), random.randint(1, 28))
    create = CreateBis(_id(), "c1", "Nowak", "Anna", born, Sex.F, "Krakow")

    created = send(s, creator, create)

    assert created.status is Status.OK, created.details
    assert codes.BIS_CREATED.code in _codes(created)
    assert created.insz is not None and parse_insz(created.insz).kind is InszKind.BIS
    insz = created.insz
    registered = send(s, other, Register(_id(), None, insz, 1, Period(date(2024, 1, 1), None)))
    assert registered.status is Status.OK, registered.details
    assert published(s, starts, insz, "Nowak")

    again = send(s, other, CreateBis(_id(), None, "NOWAK", "anna", born, Sex.F, "Krakow"))
    assert codes.BIS_DUPLICATE.code in _codes(again)
    assert again.status is Status.ERROR

    inbox = Notifications(s, other)
    try:
        updated = send(s, creator, UpdateBisIdentity(_id(), None, insz, last_name="Nowak-Kowalska"))
        assert updated.status is Status.OK, updated.details
        assert codes.BIS_IDENTITY_UPDATED.code in _codes(updated)
        assert published(s, starts, insz, "Nowak-Kowalska")
        key, note = inbox.next()  # the other tenant, with a line on the number, is told
    finally:
        inbox.close()
    assert key == insz
    assert isinstance(note, IdentityChanged)
    assert (note.tenant, note.changes) == (
        other,
        (FieldChange("last_name", "Nowak", "Nowak-Kowalska"),),
    )


def test_the_identity_of_a_national_register_number_cannot_be_updated(
    worker_settings: Settings,
) -> None:
    s = worker_settings
    insz = new_insz()
    publish_persons(s, [person(insz, "Peeters", "Jan")])
    kbo = tenant(s)
    line = Register(_id(), None, insz, 1, Period(date(2024, 1, 1), None))
    assert send(s, kbo, line).status is Status.OK

    refused = send(s, kbo, UpdateBisIdentity(_id(), None, insz, last_name="Other"))

    assert refused.status is Status.ERROR
    assert codes.INSZ_NOT_BIS.code in _codes(refused)
