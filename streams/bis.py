"""The BIS register in the streams (issue 11): CreateBis and UpdateBisIdentity.

Thin by design: decode, `raas.domain.bisregister`, encode, send. The register agent hands these
commands here.

- **CreateBis** is keyed by its birth date by the ingress (`bisregister.bis_key`), so every number
  of a birth date is allocated in one partition, against the `bis-days` table (per birth date:
  every BIS person created, and the answers). The new person goes to `<app>-bis`, keyed by its
  new INSZ, with the pending result in a message header; the register agent, in the INSZ's
  partition, stores the identity, publishes it to `authentic.persons` (source BIS) and only then
  sends the result. So a `register` on the new number right after the result finds the person.
- **UpdateBisIdentity** runs in its INSZ's partition (the register agent forwards it first when
  the INSZ was replaced). The changed identity goes to `authentic.persons` only: the stored one is
  left as it is, so the change flows like any other identity change, to every tenant with lines.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any

from raas import codec
from raas.codec.envelopes import TenantCommand
from raas.domain.bisregister import BisDay, create_bis, update_bis_identity
from raas.domain.commands import CreateBis, UpdateBisIdentity
from raas.domain.persons import PersonIdentity
from raas.domain.register import InszState
from raas.domain.results import CommandResult
from raas.topics import AUTHENTIC_PERSONS
from streams.app import RaasApp

RESULT_HEADER = "raas-result"  # on `<app>-bis`: the CreateBis result to send once stored


def encode_day(day: BisDay) -> bytes:
    """A BisDay as JSON around Avro records: its answers in an InszState, then its persons."""
    answers = codec.encode(InszState(day.birth_date, answers=day.answers))
    persons = [base64.b64encode(codec.encode(p)).decode() for p in day.persons]
    return json.dumps({"answers": base64.b64encode(answers).decode(), "persons": persons}).encode()


def decode_day(birth_date: str, raw: bytes | None) -> BisDay:
    if not raw:
        return BisDay(birth_date)
    stored = json.loads(raw)
    answers = codec.decode(base64.b64decode(stored["answers"]), codec.INSZ_STATE).answers
    persons = tuple(
        codec.decode(base64.b64decode(p), codec.PERSON_IDENTITY) for p in stored["persons"]
    )
    return BisDay(birth_date, persons, answers)


class BisRegister:
    """What the register agent calls for the BIS commands and the BIS persons to store."""

    def __init__(self, raas: RaasApp) -> None:
        self.raas = raas
        self.authentic = raas.app.topic(AUTHENTIC_PERSONS, key_type=bytes, value_type=bytes)

    def create(self, message: Any, envelope: TenantCommand) -> CommandResult | None:
        """Allocate in the birth date's partition; the result to send now, None when it waits
        for the person to be stored in its INSZ partition."""
        command = envelope.command
        assert isinstance(command, CreateBis)
        key: bytes = message.key
        day = decode_day(key.decode(), self.raas.bis_days.get(key))
        new_day, result, person = create_bis(
            day, command, tenant=envelope.tenant, now=datetime.now(UTC)
        )
        if new_day is not day:
            self.raas.bis_days[key] = encode_day(new_day)
        if person is None:
            return result
        self.raas.bis.send_soon(
            key=person.insz.encode(),
            value=codec.encode(person),
            headers=[(RESULT_HEADER, codec.encode(result))],
        )
        return None

    def store(self, message: Any) -> CommandResult:
        """Store a new BIS person in its INSZ partition, publish it; the result to send now."""
        person = codec.decode(message.value, codec.PERSON_IDENTITY)
        raw_result = dict(message.headers or ()).get(RESULT_HEADER)
        result = codec.decode(raw_result, codec.COMMAND_RESULT)
        self.raas.identities[message.key] = message.value
        self.authentic.send_soon(key=person.insz.encode(), value=message.value)
        return result

    def update(
        self, state: InszState, envelope: TenantCommand, person: PersonIdentity | None
    ) -> tuple[InszState, CommandResult]:
        """The INSZ's state with the answer remembered, and the result; a change is published."""
        command = envelope.command
        assert isinstance(command, UpdateBisIdentity)
        new_state, result, updated = update_bis_identity(
            state, person, command, tenant=envelope.tenant, now=datetime.now(UTC)
        )
        if updated is not None:
            self.authentic.send_soon(key=updated.insz.encode(), value=codec.encode(updated))
        return new_state, result
